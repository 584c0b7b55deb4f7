"""The reader: a lesson sentence by sentence, a word cursor, translations and the word panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from lessons.errors import UserError
from lessons.model import Lesson, Pos
from tui.reader_view import ReaderView, ShownTranslation
from tui.word_panel import WordDetails, WordPanel, describe

if TYPE_CHECKING:
    from tui.app import LesestoffApp


class TranslationsFound(Message):
    def __init__(self, found: dict[int, ShownTranslation | None]) -> None:
        super().__init__()
        self.found = found


class TranslationsDropped(Message):
    def __init__(self, indices: list[int]) -> None:
        super().__init__()
        self.indices = indices


class WordLooked(Message):
    def __init__(self, details: WordDetails) -> None:
        super().__init__()
        self.details = details


class StatusSaved(Message):
    def __init__(self, lemma: str, status: str, error: str | None = None, previous: str | None = None) -> None:
        super().__init__()
        self.lemma = lemma
        self.status = status
        self.error = error
        self.previous = previous


class Notice(Message):
    """A worker's one-line result for a notification."""

    def __init__(self, text: str, severity: str = "information") -> None:
        super().__init__()
        self.text = text
        self.severity = severity


STATUS_NAMES = {
    "known": "known",
    "learning1": "learning",
    "learning2": "learning (2)",
    "learning3": "learning (3)",
    "learning4": "learning (4)",
    "ignored": "ignored",
    "new": "new",
}


class ReaderScreen(Screen[None]):
    """One lesson; the word panel follows the cursor."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the library (your place is saved)"),
        Binding("t", "toggle_translation", "Translate", tooltip="Show or hide the translation of each sentence"),
        Binding("c", "toggle_colours", "Colours", tooltip="Colour words by difficulty or by what you know"),
        Binding("w", "mark('known')", "Known", tooltip="Mark the word as known"),
        Binding("1", "mark('learning1')", "Learning", tooltip="Mark the word as learning"),
        Binding("2", "mark('learning2')", "Learning 2", show=False, tooltip="Mark the word as learning (2)"),
        Binding("3", "mark('learning3')", "Learning 3", show=False, tooltip="Mark the word as learning (3)"),
        Binding("4", "mark('learning4')", "Learning 4", show=False, tooltip="Mark the word as learning (4)"),
        Binding("i", "mark('ignored')", "Ignore", tooltip="Mark the word as ignored (a name, an English word …)"),
        Binding("0", "mark('new')", "Mark as new", show=False, tooltip="Mark the word as new again"),
        Binding("a", "add_anki", "Anki", tooltip="Add the word to the Anki list"),
        Binding("o", "lookup_online", "Look up online", show=False, tooltip="Look the word up online (sends it)"),
        Binding("n", "next_occurrence", "Next occurrence", show=False, tooltip="Go to the next occurrence"),
        Binding("v", "vocabulary", "Vocabulary", show=False, tooltip="This lesson's vocabulary list"),
        Binding("x", "exercises", "Exercises", show=False, tooltip="Exercises on this lesson"),
        Binding("e", "export", "Export", show=False, tooltip="Export this lesson's words to Anki"),
    ]

    HELP = [
        ("Esc", "Back to the library (your place is saved)"),
        ("t", "Show or hide the English under each sentence (with its source)"),
        ("c", "Colour words by difficulty (CEFR) or by what you know"),
        ("w", "Mark the word as known"),
        ("1, 2, 3, 4", "Mark the word as learning (level 1–4)"),
        ("i", "Ignore the word (names, English words …)"),
        ("0", "Mark the word as new again"),
        ("a", "Put the word on the Anki list"),
        ("o", "Look the word up online (online mode only: sends the word out)"),
        ("n", "Next occurrence of the word"),
        ("v, x, e", "Vocabulary, exercises, export for this lesson"),
    ]

    def __init__(self, lesson: Lesson, *, start: int = 0) -> None:
        super().__init__(id="reader-screen")
        self.lesson = lesson
        self.start = start
        self._occurrences: dict[str, list[int]] | None = None
        self._details: WordDetails | None = None
        self._save_timer: Timer | None = None
        self._saved_sentence: int | None = None

    @property
    def lapp(self) -> LesestoffApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        session = self.lapp.session
        try:
            level = session.learner_level()
        except Exception:
            level = None
        yield Header()
        yield Static(id="reader-info")
        with Horizontal(id="reader-body"):
            yield ReaderView(self.lesson, statuses=self._statuses, learner_level=level, start=self.start, id="text")
            yield WordPanel(id="word")
        yield Footer()

    @property
    def view(self) -> ReaderView:
        return self.query_one("#text", ReaderView)

    @property
    def panel(self) -> WordPanel:
        return self.query_one("#word", WordPanel)

    def on_mount(self) -> None:
        self.sub_title = self.lesson.title
        self.view.focus()
        self._info()
        # The colour legend is drawn with the theme's colours: redraw it when the theme changes.
        self.watch(self.app, "theme", lambda _theme: self.call_after_refresh(self._info), init=False)
        if self.lesson.sentences:
            self._saved_sentence = self.view.sentence
            self._lookup_current()
        else:
            self.panel.show(Text("This lesson has no sentences."))

    def _statuses(self, lemmas: list[str]) -> dict[str, str]:
        return {lemma: str(status) for lemma, status in self.lapp.session.statuses(lemmas).items()}

    def _info(self) -> None:
        view = self.view
        total = len(self.lesson.sentences)
        info = Text(f"{view.sentence + 1}/{total}" if total else "empty")
        info.append(f" · {self.lesson.cefr} · ")

        def key(name: str, label: str) -> None:
            info.append(label, style=view._style(name))
            info.append(" ")

        if view.colour_mode == "status":
            info.append("status: ")
            key("reader--new", "new")
            key("reader--learning", "learning")
            key("reader--known", "known")
        else:
            level = view.learner_level
            info.append(f"difficulty for {level}: " if level else "difficulty: ")
            if level:
                key("reader--easy", "easy")
                key("reader--stretch", "stretch")
                key("reader--hard", "hard")
            else:
                key("reader--easy", "A")
                key("reader--stretch", "B")
                key("reader--hard", "C")
        info.append("(c)", style="dim")
        if view.show_translation:
            info.append(" · translation on (t)")
        self.query_one("#reader-info", Static).update(info)

    # --- cursor and word panel -------------------------------------------------------------------------

    @on(ReaderView.CursorMoved, "#text")
    def _cursor_moved(self, event: ReaderView.CursorMoved) -> None:
        self._info()
        self._lookup_current()
        if event.sentence != self._saved_sentence:
            if self._save_timer is not None:
                self._save_timer.stop()
            self._save_timer = self.set_timer(0.8, self.save_progress)

    def _lookup_current(self) -> None:
        view = self.view
        token = view.current_token
        if token is None or view.token is None:
            self.panel.show(Text("No word here.", style="dim"))
            return
        details = WordDetails(
            view.sentence, view.token, token, correction=view.correction_at(view.sentence, view.token)
        )
        details.status = view.statuses.get(token.lemma, "new")
        self._details = details
        self.panel.show(describe(details, pending=True))
        self.lookup_word(details)

    @work(thread=True, exclusive=True, exit_on_error=False, group="word")
    def lookup_word(self, details: WordDetails) -> None:
        session = self.lapp.session
        token = details.token
        try:
            if self._occurrences is None:
                index: dict[str, list[int]] = {}
                for sentence in self.lesson.sentences:
                    for t in sentence.tokens:
                        places = index.setdefault(t.lemma, [])
                        if not places or places[-1] != sentence.index:
                            places.append(sentence.index)
                self._occurrences = index
            details.occurrences = self._occurrences.get(token.lemma, [])
            sentence = self.lesson.sentences[details.sentence]
            if token.separable:
                parts = [t.text for t in sentence.tokens if t.separable and t.lemma == token.lemma]
                if len(parts) > 1:
                    details.separable_form = " … ".join(parts)
            if get_current_worker().is_cancelled:
                return
            try:
                store = session.store()
                details.status = str(store.status(token.lemma))
                details.in_anki = any(e.lemma == token.lemma for e in store.anki_list())
            except UserError:
                pass
            if token.pos is not Pos.PUNCT:
                meanings = session.meanings()
                details.info = meanings.word(token.lemma, str(token.pos), self.lesson.source)
        except UserError as exc:
            details.error = exc.message
        except Exception as exc:
            details.error = f"lookup failed: {type(exc).__name__}: {exc}"
        if not get_current_worker().is_cancelled:
            self.post_message(WordLooked(details))

    @on(WordLooked)
    def _word_looked(self, message: WordLooked) -> None:
        details = message.details
        if self._details is not None and details.key == self._details.key:
            details.online = self._details.online if details.online is None else details.online
            self._details = details
            self.view.statuses[details.token.lemma] = details.status
            self.panel.show(describe(details))

    # --- translations ----------------------------------------------------------------------------------

    def action_toggle_translation(self) -> None:
        view = self.view
        view.show_translation = not view.show_translation
        self._info()

    @on(ReaderView.TranslationsWanted, "#text")
    def _translations_wanted(self, event: ReaderView.TranslationsWanted) -> None:
        self.translate(list(event.indices))

    @work(thread=True, exclusive=False, exit_on_error=False, group="translate")
    def translate(self, indices: list[int]) -> None:
        from lessons.meanings import WORD_BY_WORD

        worker = get_current_worker()
        try:
            meanings = self.lapp.session.meanings()
        except Exception as exc:
            self.post_message(Notice(f"Translations unavailable: {exc}", "error"))
            self.post_message(TranslationsFound(dict.fromkeys(indices)))
            return
        for position, index in enumerate(indices):
            if worker.is_cancelled:
                self.post_message(TranslationsDropped(indices[position:]))
                return
            sentence = self.lesson.sentences[index]
            shown: ShownTranslation | None
            try:
                found = meanings.translation(sentence, self.lesson.source)
                if found is not None:
                    shown = ShownTranslation(found.english, found.source)
                else:
                    text = meanings.word_by_word(sentence, self.lesson.source)
                    shown = ShownTranslation(text, WORD_BY_WORD) if text else None
            except Exception as exc:
                shown = ShownTranslation(f"(translation failed: {exc})", "error")
            self.post_message(TranslationsFound({index: shown}))

    @on(TranslationsFound)
    def _translations_found(self, message: TranslationsFound) -> None:
        self.view.set_translations(message.found)

    @on(TranslationsDropped)
    def _translations_dropped(self, message: TranslationsDropped) -> None:
        self.view.drop_requests(message.indices)

    # --- colours ---------------------------------------------------------------------------------------

    def action_toggle_colours(self) -> None:
        view = self.view
        view.colour_mode = "status" if view.colour_mode == "difficulty" else "difficulty"
        self._info()

    # --- word status, Anki list, online ----------------------------------------------------------------

    def _current_lemma(self) -> str | None:
        token = self.view.current_token
        if token is None:
            self.notify("No word under the cursor.", severity="warning")
            return None
        return token.lemma

    def action_mark(self, status: str) -> None:
        lemma = self._current_lemma()
        if lemma is None:
            return
        previous = self.view.statuses.get(lemma, "new")
        self.view.set_status(lemma, status)
        if self._details is not None and self._details.token.lemma == lemma:
            self._details.status = status
            self.panel.show(describe(self._details, pending=self._details.info is None))
        self.save_status(lemma, status, previous)

    @work(thread=True, exit_on_error=False, group="store")
    def save_status(self, lemma: str, status: str, previous: str) -> None:
        from lessons.store import WordStatus

        try:
            self.lapp.session.store().set_status(lemma, WordStatus(status))
        except (UserError, ValueError) as exc:
            self.post_message(StatusSaved(lemma, status, str(exc), previous))
            return
        self.post_message(StatusSaved(lemma, status))

    @on(StatusSaved)
    def _status_saved(self, message: StatusSaved) -> None:
        if message.error is not None:
            self.view.set_status(message.lemma, message.previous or "new")
            self.notify(f"Could not save: {message.error}", severity="error")
            return
        self.notify(Text(f"{message.lemma}: {STATUS_NAMES.get(message.status, message.status)}").plain, timeout=2)

    def action_add_anki(self) -> None:
        lemma = self._current_lemma()
        if lemma is None:
            return
        sentence = self.lesson.sentences[self.view.sentence].text
        self.add_anki(lemma, sentence)

    @work(thread=True, exit_on_error=False, group="store")
    def add_anki(self, lemma: str, context: str) -> None:
        try:
            self.lapp.session.store().add_to_anki(lemma, lesson_id=self.lesson.id, context=context)
        except (UserError, ValueError) as exc:
            self.post_message(Notice(f"Could not add {lemma} to the Anki list: {exc}", "error"))
            return
        self.post_message(Notice(f"{lemma} is on the Anki list (export with e)"))
        if self._details is not None and self._details.token.lemma == lemma:
            self._details.in_anki = True
            self.post_message(WordLooked(self._details))

    @on(Notice)
    def _notice(self, message: Notice) -> None:
        self.notify(message.text, severity=message.severity)  # type: ignore[arg-type]

    def action_lookup_online(self) -> None:
        lemma = self._current_lemma()
        if lemma is None:
            return
        session = self.lapp.session
        settings = session.online_settings()
        if not settings.enabled:
            self.notify(
                "Online mode is off, so nothing was sent. Turn it on in Settings (p) to look words up online.",
                severity="warning",
            )
            return
        from lessons.online import backend_label

        self.notify(f"Sending “{lemma}” to {backend_label(settings.word_backend, settings)} …", timeout=3)
        self.lookup_online(lemma, self.view.sentence, self.view.token or 0)

    @work(thread=True, exclusive=True, exit_on_error=False, group="online")
    def lookup_online(self, lemma: str, sentence: int, token: int) -> None:
        from lessons.online import OnlineTranslationError

        session = self.lapp.session
        details = self._details
        try:
            session.meanings()
            translator = session.translator()
            if translator is None:
                raise UserError("the learner database is unavailable, so online lookups are off")
            results = translator.translate_word(lemma)
        except OnlineTranslationError as exc:
            self.post_message(Notice(f"Online lookup failed: {exc}", "error"))
            if details is not None and details.key == (sentence, token):
                details.online_error = str(exc)
                self.post_message(WordLooked(details))
            return
        except Exception as exc:
            self.post_message(Notice(f"Online lookup failed: {exc}", "error"))
            return
        if details is not None and details.key == (sentence, token):
            details.online = list(results)
            self.post_message(WordLooked(details))

    def action_next_occurrence(self) -> None:
        details = self._details
        if details is None or not details.occurrences:
            return
        later = [i for i in details.occurrences if i > details.sentence] or details.occurrences
        target = later[0]
        tokens = self.lesson.sentences[target].tokens
        index = next((i for i, t in enumerate(tokens) if t.lemma == details.token.lemma), None)
        self.view.jump_to(target, index)

    # --- other screens ---------------------------------------------------------------------------------

    def action_vocabulary(self) -> None:
        self.lapp.open_vocabulary(self.lesson)

    def action_exercises(self) -> None:
        self.lapp.open_exercises(self.lesson)

    def action_export(self) -> None:
        self.lapp.open_export(self.lesson)

    # --- progress --------------------------------------------------------------------------------------

    def save_progress(self) -> None:
        """Remember the sentence under the cursor (and whether the lesson is read to the end)."""
        if not self.lesson.sentences:
            return
        sentence = self.view.sentence
        completed = True if sentence >= len(self.lesson.sentences) - 1 else None
        try:
            self.lapp.session.store().save_progress(self.lesson.id, last_sentence=sentence, completed=completed)
        except (UserError, ValueError) as exc:
            self.notify(f"Could not save your place: {exc}", severity="error")
            return
        self._saved_sentence = sentence

    def action_back(self) -> None:
        self.save_progress()
        self.app.pop_screen()

    def on_unmount(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
