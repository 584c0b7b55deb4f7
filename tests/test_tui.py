"""The Textual tutor, driven by Textual's pilot: every screen's main flow, literal text, layout and speed.

Each test gets its own data dir holding a copy of the session's processed seed lessons (``tui_paths``), so the
library opens from the cache and the learner store starts empty. The lexicon index is shared by the whole run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Select, Switch

from lessons.library import Library
from lessons.model import Lesson
from lessons.paths import Paths
from lessons.store import WordStatus
from tests.tui_helpers import screen_text, until, warm_paths
from tui.app import LesestoffApp
from tui.dialogs import ExportDialog, HelpScreen, ImportDialog, SettingsScreen
from tui.exercise_screen import ExerciseScreen
from tui.library_screen import LibraryScreen
from tui.reader_screen import ReaderScreen
from tui.session import Session
from tui.vocab_screen import VocabularyScreen

ARTICLE_SEED = "000_1a7e6b30ec4f487a.txt"
TRANSCRIPT_SEED = "004_30d06220ccea89d7.txt"
SIZE = (100, 30)

GERMAN_WITH_MARKUP = (
    "Der Winter kommt früh\n\n"
    "Im kleinen Dorf am Fuß der Alpen fällt in diesem Jahr schon im Oktober der erste Schnee. "
    "Die Bauern bringen ihre Kühe früher als sonst ins Tal. "
    "Viele Menschen freuen sich auf die Skisaison, doch die Hotels sind noch nicht bereit. "
    "Auf dem Schild stand [bold]x[/] und daneben [/] in eckigen Klammern.\n"
)


# --- fixtures and helpers -------------------------------------------------------------------------------------


@pytest.fixture
def tui_paths(seed_library: Library, seed_paths: Paths, tmp_path: Path) -> Paths:
    """A fresh data dir whose lesson cache already holds the processed seeds (the library opens at once)."""
    return warm_paths(seed_library, seed_paths, tmp_path)


def make_app(paths: Paths, **kwargs: object) -> LesestoffApp:
    kwargs.setdefault("warm_up", False)
    kwargs.setdefault("exercise_seed", 1)
    kwargs.setdefault("ask_level", False)  # no first-start level dialog (tests/test_tui_study.py covers it)
    return LesestoffApp(paths, **kwargs)  # type: ignore[arg-type]




def library(app: LesestoffApp) -> LibraryScreen:
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    return screen


async def loaded_library(pilot: Pilot) -> LibraryScreen:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, "the library")
    screen = library(app)  # type: ignore[arg-type]
    await until(pilot, lambda: all(r.new_words is not None for r in screen.rows.values()), "new-word counts")
    return screen


def lesson_by_source(screen: LibraryScreen, source: str) -> Lesson:
    lesson = next(row.lesson for row in screen.rows.values() if row.info.source == source)
    assert lesson is not None
    return lesson


async def select(pilot: Pilot, screen: LibraryScreen, lesson_id: str) -> None:
    table = screen.query_one("#library", DataTable)
    table.move_cursor(row=table.get_row_index(lesson_id))
    await pilot.pause()
    assert screen.selected_id() == lesson_id


async def open_reader(pilot: Pilot, source: str = ARTICLE_SEED) -> ReaderScreen:
    screen = await loaded_library(pilot)
    lesson = lesson_by_source(screen, source)
    await select(pilot, screen, lesson.id)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReaderScreen), "the reader")
    reader = pilot.app.screen
    assert isinstance(reader, ReaderScreen)
    await word_looked_up(pilot, reader)
    return reader


async def word_looked_up(pilot: Pilot, reader: ReaderScreen) -> None:
    await until(
        pilot,
        lambda: reader._details is not None and (reader._details.info is not None or reader._details.error),
        "the word panel",
    )
    await pilot.pause()


# --- library --------------------------------------------------------------------------------------------------


async def test_library_shows_before_the_dictionary_loads_then_hints_when_there_is_none(
    tui_paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def slow_warm_up(self: Session, progress: Callable[[str, float], None]) -> str:
        progress("dictionary", 0.3)
        release.wait(30)
        self.dictionary_ready = False
        self.lexicon_message = "No English dictionary: /usr/share/trans/de-en is missing. Install trans-de-en."
        return self.lexicon_message

    monkeypatch.setattr(Session, "warm_up", slow_warm_up)
    app = make_app(tui_paths, warm_up=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_library(pilot)
        assert not app.warm_done, "the library must not wait for the dictionary"
        assert screen.query_one("#warmup").display
        table = screen.query_one("#library", DataTable)
        assert table.row_count == 5
        text = screen_text(app)
        for header in ("Title", "Kind", "Date", "CEFR", "Words", "New", "Read"):
            assert header in text
        assert "Loading dictionary" in text
        release.set()
        await until(pilot, lambda: app.warm_done, "the warm-up")
        await pilot.pause()
        assert not screen.query_one("#warmup").display
        hint = screen.query_one("#library-hint")
        assert hint.display
        assert "No English dictionary" in screen_text(app)


async def test_library_lists_from_the_cache_headers_before_any_lesson_is_loaded(
    tui_paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = Session.lesson

    def slow_lesson(self: Session, entry: object) -> Lesson:
        release.wait(30)
        return real(self, entry)  # type: ignore[arg-type]

    monkeypatch.setattr(Session, "lesson", slow_lesson)
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, "the list")
        screen = library(app)
        assert len(screen.rows) == 5 and not screen.all_ready
        assert "(5 loading)" in screen_text(app)
        assert "Das Startup DeepSeek" in screen_text(app)  # the title, from the cache header
        await pilot.press("enter")  # a lesson not loaded yet opens when it is
        assert any("Preparing" in str(n.message) for n in app._notifications)
        release.set()
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        # Let the reader finish mounting and drawing before the app shuts down (a shutdown mid-mount fails
        # under load).
        reader = app.screen
        first_words = " ".join(reader.lesson.sentences[0].text.split()[:3])
        await until(pilot, lambda: first_words in screen_text(app), "the reader drawn")
        await pilot.pause(0.2)


async def test_library_list_is_read_at_mount_and_drawn_in_the_first_frame(tui_paths: Paths) -> None:
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = library(app)
        assert screen.loaded and len(screen.rows) == 5  # before any worker has run
        assert not screen._list_painted.is_set()  # the lessons wait for the list to be painted
        await until(pilot, lambda: screen._list_painted.is_set(), "the list painted")
        assert "Das Startup DeepSeek" in screen_text(app)
        await loaded_library(pilot)


async def test_unreadable_library_index_is_one_message_and_reload_recovers(tui_paths: Paths) -> None:
    tui_paths.library_index.write_text("{ not json", encoding="utf-8")
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        def reported() -> bool:
            return any("library index is unreadable" in str(n.message) for n in app._notifications)

        await until(pilot, reported, "the error")
        screen = library(app)
        assert not screen.loaded
        assert "Could not load the library." in screen_text(app)
        messages = [str(n.message) for n in app._notifications if "unreadable" in str(n.message)]
        assert len(messages) == 1 and "\n" not in messages[0] and "Traceback" not in messages[0]
        tui_paths.library_index.unlink()
        await pilot.press("f5")
        await until(pilot, lambda: screen.loaded and len(screen.rows) == 5, "the list after the reload")


async def test_library_counts_new_words_and_sorts_by_key_and_header(tui_paths: Paths) -> None:
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_library(pilot)
        rows = list(screen.rows.values())
        assert all(0 < row.new_words <= row.info.words for row in rows if row.new_words is not None)
        assert all(row.progress is None for row in rows)
        app.set_focus(None)
        await pilot.press("s")  # first sort column: title
        assert screen.sort_column == "title"
        titles = [row.info.title.casefold() for row in screen._ordered()]
        assert titles == sorted(titles)
        assert "sorted by title" in screen_text(app)
        await pilot.press("r")
        assert [row.info.title.casefold() for row in screen._ordered()] == sorted(titles, reverse=True)
        # A click on the "Words" header sorts by words.
        table = screen.query_one("#library", DataTable)
        x = sum(column.get_render_width(table) for column in list(table.columns.values())[:4]) + 2
        await pilot.click("#library", offset=(x, 0))
        await pilot.pause()
        assert screen.sort_column == "words"
        words = [row.info.words for row in screen._ordered()]
        assert words == sorted(words)


# --- reader ---------------------------------------------------------------------------------------------------


async def test_reader_translation_word_panel_marking_and_progress(tui_paths: Paths) -> None:
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot)
        view = reader.view
        lesson = reader.lesson
        first = lesson.sentences[0]
        assert first.text.split()[0] in screen_text(app)

        # t: the English under each sentence, with where it came from
        await pilot.press("t")
        await until(pilot, lambda: view.translations.get(0) is not None, "the first translation")
        await pilot.pause()
        text = screen_text(app)
        assert "The AI model" in text
        assert "— curated" in text

        # the cursor moves word by word; the panel follows
        for _ in range(12):
            if view.current_token is not None and view.current_token.lemma == "Forschungsgruppe":
                break
            await pilot.press("right")
        assert view.current_token is not None and view.current_token.lemma == "Forschungsgruppe"
        await word_looked_up(pilot, reader)
        panel = reader.panel.plain
        assert "die Forschungsgruppe" in panel
        assert "plural: die Forschungsgruppen" in panel
        assert "meaning here: research group  [curated]" in panel
        assert "CEFR" in panel
        assert "status: new" in panel

        # w: known (in the store); a: on the Anki list
        await pilot.press("w")
        store = app.session.store()
        await until(pilot, lambda: store.status("Forschungsgruppe") is WordStatus.KNOWN, "the known status")
        await pilot.press("a")
        await until(pilot, lambda: [e.lemma for e in store.anki_list()] == ["Forschungsgruppe"], "the Anki list")
        await until(pilot, lambda: "status: known" in reader.panel.plain, "the panel's status")

        # c: colour by status; o: offline, nothing is sent
        await pilot.press("c")
        assert view.colour_mode == "status"
        assert "status: new learning known" in screen_text(app)
        await pilot.press("o")
        assert any("Online mode is off" in str(n.message) for n in app._notifications)

        # j j then Esc: the place is saved and shown in the library
        await pilot.press("j", "j", "escape")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        progress = store.progress(lesson.id)
        assert progress is not None and progress.last_sentence == 2 and not progress.completed
        await until(pilot, lambda: f"3/{len(lesson.sentences)}" in screen_text(app), "the progress cell")


async def test_reader_marks_corrected_words_and_resumes_where_the_learner_left(tui_paths: Paths) -> None:
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, TRANSCRIPT_SEED)
        view = reader.view
        lesson = reader.lesson
        fix = next(c for c in lesson.corrections if c.applied and c.original == "JetGPT")
        assert fix.sentence is not None
        tokens = lesson.sentences[fix.sentence].tokens
        index = next(i for i, t in enumerate(tokens) if t.text == "ChatGPT")
        view.jump_to(fix.sentence, index)
        await word_looked_up(pilot, reader)
        await until(pilot, lambda: reader._details is not None and reader._details.token.text == "ChatGPT", "ChatGPT")
        panel = reader.panel.plain
        assert "corrected: JetGPT → ChatGPT  [name fix, curated]" in panel
        assert view.correction_at(fix.sentence, index) == fix
        # the corrected word is drawn underlined
        line = next(y for y in range(view.size.height) if "ChatGPT" in view.render_line(y).text)
        strip = view.render_line(line)
        styles = [seg.style for seg in strip if seg.text == "ChatGPT"]
        assert styles and styles[0] is not None and styles[0].underline

        await pilot.press("end", "escape")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        progress = app.session.store().progress(lesson.id)
        assert progress is not None and progress.completed
        await until(pilot, lambda: "✓" in screen_text(app), "the ✓ of a finished lesson")


async def test_a_300000_word_lesson_lays_out_only_what_is_on_screen(tui_paths: Paths) -> None:
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_library(pilot)
        base = lesson_by_source(screen, ARTICLE_SEED)
        sentences = []
        words = 0
        while words < 300_000:
            for sentence in base.sentences:
                sentences.append(replace(sentence, index=len(sentences), paragraph=len(sentences) // 6))
                words += len(sentence.words)
        big = replace(base, id="big-book", sentences=tuple(sentences), corrections=())
        assert big.words >= 300_000
        # Speed is measured by the benchmark (python -m bench: 0.2 s); this test checks what makes it fast:
        # only the sentences on screen are laid out, at the start and after jumping to the end.
        app.push_screen(ReaderScreen(big))
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert base.sentences[0].text.split()[0] in screen_text(app)
        assert 0 < len(reader.view._wrap_cache) <= 3 * SIZE[1]
        await pilot.press("end")
        assert reader.view.sentence == len(sentences) - 1
        assert sentences[-1].text.split()[0] in screen_text(app)
        assert len(reader.view._wrap_cache) <= 6 * SIZE[1]


# --- exercises ------------------------------------------------------------------------------------------------


async def answer(pilot: Pilot, screen: ExerciseScreen, *, wrong: bool = False) -> None:
    exercise = screen.current
    assert exercise is not None
    kind = exercise.kind
    if kind in ("cloze", "plural", "spot_error"):
        box = screen.query_one("#exercise-answer", Input)
        assert box.has_focus
        box.value = "falsch" if wrong else exercise.expected
        await pilot.press("enter")
    elif kind in ("meaning", "article"):
        right = exercise.choices.index(exercise.answers[0] if kind == "article" else exercise.expected)
        pick = (right + 1) % len(exercise.choices) if wrong else right
        await pilot.press(str(pick + 1))
    elif kind == "word_order":
        await pilot.press(*exercise.answers[1].split())
    elif kind == "match":
        await pilot.press(*[pair[-1] for pair in exercise.expected.split()])
    else:  # pragma: no cover - a new kind must get its keys here
        raise AssertionError(kind)


async def test_exercise_set_runs_to_the_end_with_feedback_score_and_recorded_attempts(tui_paths: Paths) -> None:
    app = make_app(tui_paths)
    app.exercise_count = 6
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_library(pilot)
        lesson = lesson_by_source(screen, TRANSCRIPT_SEED)
        await select(pilot, screen, lesson.id)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExerciseScreen) and app.screen.phase != "loading", "a set")
        exercises = app.screen
        assert isinstance(exercises, ExerciseScreen)
        seen: list[str] = []
        while exercises.phase == "answering":
            exercise = exercises.current
            assert exercise is not None
            seen.append(str(exercise.kind))
            await answer(pilot, exercises, wrong=exercise.kind == "cloze")
            assert exercises.phase == "feedback"
            feedback = str(exercises.query_one("#exercise-feedback").render())
            assert ("✗" if exercise.kind == "cloze" else "✓") in feedback, (exercise.kind, feedback)
            await pilot.press("enter")
        assert set(seen) == {"cloze", "meaning", "article", "plural", "word_order", "spot_error", "match"}
        assert exercises.phase == "done"
        total = len(seen)
        assert f"Score: {total - 1} of {total}" in screen_text(app)
        attempts = app.session.store().attempts(lesson_id=lesson.id)
        await until(pilot, lambda: len(app.session.store().attempts(lesson_id=lesson.id)) == total, "the attempts")
        attempts = app.session.store().attempts(lesson_id=lesson.id)
        assert sum(a.correct for a in attempts) == total - 1
        assert {a.kind for a in attempts} == set(seen)


# --- import, export, vocabulary -------------------------------------------------------------------------------


async def test_import_dialog_validates_as_you_type_then_the_lesson_appears(tui_paths: Paths, tmp_path: Path) -> None:
    text_file = tmp_path / "winter.txt"
    text_file.write_text(GERMAN_WITH_MARKUP, encoding="utf-8")
    english = tmp_path / "english.txt"
    english.write_text("This is an English text about the weather. " * 20, encoding="utf-8")
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_library(pilot)
        app.set_focus(None)
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        path_box = dialog.query_one("#import-path", Input)
        path_box.value = str(tmp_path / "nothing-here.txt")
        await pilot.pause()
        assert "No such file or folder" in str(dialog.query_one("#import-check").render())
        assert dialog.query_one("#import-go").disabled

        # refused: not German; the error stays in the dialog
        path_box.value = str(english)
        await pilot.pause()
        assert not dialog.query_one("#import-go").disabled
        await pilot.press("enter")
        await until(pilot, lambda: not dialog._busy and str(dialog.query_one("#import-error").render()), "the error")
        assert "does not look German" in str(dialog.query_one("#import-error").render())
        assert app.screen is dialog

        path_box.value = str(text_file)
        await pilot.pause()
        assert "A file of" in str(dialog.query_one("#import-check").render())
        dialog.query_one("#import-kind", Select).value = "article"
        dialog.query_one("#import-title", Input).value = "Winter [bold]früh[/]"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the dialog to close")
        await until(pilot, lambda: len(screen.rows) == 6, "the new lesson")
        new_id = next(key for key, row in screen.rows.items() if row.info.source == "winter.txt")
        await until(pilot, lambda: screen.selected_id() == new_id, "the cursor on the new lesson")
        assert "Winter [bold]früh[/]" in screen_text(app)

        # its translation is the offline word-by-word fallback, labelled as such
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("t")
        await until(pilot, lambda: reader.view.translations.get(0) is not None, "a translation", timeout=120)
        shown = reader.view.translations[0]
        assert shown is not None and shown.source == "word-by-word glosses (offline)"


async def test_markup_in_a_text_is_shown_literally(tui_paths: Paths, tmp_path: Path) -> None:
    source = tmp_path / "klammern.txt"
    source.write_text(GERMAN_WITH_MARKUP, encoding="utf-8")
    Session(tui_paths).library().import_file(source, title="[bold]x[/] Titel [/]")
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_library(pilot)
        assert "[bold]x[/] Titel [/]" in screen_text(app)
        lesson = lesson_by_source(screen, "klammern.txt")
        await select(pilot, screen, lesson.id)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        index = next(i for i, s in enumerate(lesson.sentences) if "[bold]" in s.text)
        tokens = lesson.sentences[index].tokens
        reader.view.jump_to(index, next(i for i, t in enumerate(tokens) if t.text == "x"))
        await word_looked_up(pilot, reader)
        text = screen_text(app)
        assert "[bold]x[/]" in text
        assert "[/] in eckigen" in text
        assert "x" in reader.panel.plain


async def test_export_a_deck_from_the_library(tui_paths: Paths) -> None:
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_library(pilot)
        lesson = lesson_by_source(screen, ARTICLE_SEED)
        await select(pilot, screen, lesson.id)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        out = Path(dialog.query_one("#export-path", Input).value)
        assert out.suffix == ".apkg" and not out.exists()
        assert dialog.query_one("#export-go").has_focus
        await pilot.press("enter")
        await until(pilot, lambda: out.exists() and not dialog._busy, "the deck", timeout=120)
        summary = str(dialog.query_one("#export-result").render())
        assert summary.startswith("Wrote ") and " notes (" in summary and str(out) in summary
        assert out.stat().st_size > 1000


async def test_vocabulary_filters_sorts_marks_and_exports_tsv(tui_paths: Paths) -> None:
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_library(pilot)
        lesson = lesson_by_source(screen, ARTICLE_SEED)
        await select(pilot, screen, lesson.id)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, VocabularyScreen) and app.screen.loaded, "the list")
        vocab = app.screen
        assert isinstance(vocab, VocabularyScreen)
        everything = len(vocab.shown())
        assert everything == len(vocab.entries) > 50
        await pilot.press("f", "f", "f", "f", "f")  # all → A1 → A2 → B1 → B2 → C1
        assert vocab.level == "C1"
        assert 0 < len(vocab.shown()) < everything
        assert all(e.cefr in ("C1", "C2") for e in vocab.shown())
        assert f"{len(vocab.shown())} of {everything} words · C1 and up" in screen_text(app)
        await pilot.press("s")
        assert vocab.sort == "difficulty"
        zipfs = [e.zipf for e in vocab.shown()]
        assert zipfs == sorted(zipfs)
        first = vocab.selected()
        assert first is not None
        await pilot.press("w")
        await until(pilot, lambda: app.session.store().status(first.lemma) is WordStatus.KNOWN, "the known status")
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        out = Path(dialog.query_one("#export-path", Input).value)
        assert out.suffix == ".tsv"
        await pilot.press("enter")
        await until(pilot, lambda: out.exists() and not dialog._busy, "the TSV")
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "#separator:tab"
        rows = [line for line in lines if not line.startswith("#")]
        assert len(rows) == len(vocab.shown()) - 1  # "only new words": the one marked known is left out
        assert "Wrote" in str(dialog.query_one("#export-result").render())


# --- settings, help, palette ----------------------------------------------------------------------------------


async def test_settings_persist_and_say_that_online_mode_sends_text(tui_paths: Paths) -> None:
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await loaded_library(pilot)
        app.set_focus(None)
        await pilot.press("p")
        dialog = app.screen
        assert isinstance(dialog, SettingsScreen)
        assert "nothing you read or look up leaves this computer" in screen_text(app)
        dialog.query_one("#settings-level", Select).value = "B2"
        dialog.query_one("#settings-online", Switch).value = True
        await pilot.pause()
        privacy = str(dialog.query_one("#settings-privacy").render())
        assert "sends" in privacy and "translate.google.com" in privacy
        # LibreTranslate without a URL is refused, with the reason in the dialog
        dialog.query_one("#settings-backend", Select).value = "libre"
        await pilot.pause()
        dialog.query_one("#settings-save", Button).press()
        await pilot.pause()
        assert app.screen is dialog
        assert "libre_url" in str(dialog.query_one("#settings-error").render())
        dialog.query_one("#settings-libre", Input).value = "http://localhost:5000/"
        await pilot.pause()
        assert "LibreTranslate at http://localhost:5000/" in str(dialog.query_one("#settings-privacy").render())
        dialog.query_one("#settings-save", Button).press()
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the dialog to close")
        store = app.session.store()
        assert store.learner_level() == "B2"
        online = store.get_setting("online")
        assert online["enabled"] is True and online["backend"] == "libre"
        assert app.session.online_settings().enabled


async def test_help_lists_the_keys_and_the_palette_offers_every_action(tui_paths: Paths) -> None:
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot)
        commands = {command.title: command.help for command in app.get_system_commands(reader)}
        for wanted in (
            "Show or hide the translation of each sentence",
            "Colour words by difficulty or by what you know",
            "Mark the word as known",
            "Mark the word as learning",
            "Mark the word as ignored (a name, an English word …)",
            "Mark the word as new again",
            "Add the word to the Anki list",
            "Look the word up online (sends it)",
            "Back to the library (your place is saved)",
            "This lesson's vocabulary list",
            "Exercises on this lesson",
            "Export this lesson's words to Anki",
            "Settings",
            "Help",
            "Next word",
            "Next sentence",
        ):
            assert wanted in commands, wanted
        assert commands["Mark the word as known"] == "Known (key: w)"
        await pilot.press("ctrl+p")
        await pilot.press(*"translation")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: reader.view.show_translation, "the palette's command")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Reader" in text and "Mark the word as known" in text
        await pilot.press("escape")
        assert app.screen is reader


# --- sizes and themes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_reader_fits_80x24_and_its_colours_read_in_both_themes(tui_paths: Paths, theme: str) -> None:
    app = make_app(tui_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        reader = await open_reader(pilot)
        view = reader.view
        assert view.size.width >= 40 and reader.panel.outer_size.width >= 26
        text = screen_text(app)
        assert reader.lesson.sentences[0].text.split()[0] in text
        background = view.rich_style.bgcolor
        assert background is not None
        colours = set()
        for name in ("reader--easy", "reader--stretch", "reader--hard", "reader--new", "reader--learning"):
            style = view._style(name)
            assert style.color is not None and style.color != background, name
            colours.add(style.color)
            # enough contrast against the background to read
            fg = style.color.get_truecolor()
            bg = background.get_truecolor()
            luminance = [(0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue) / 255 for c in (fg, bg)]
            assert abs(luminance[0] - luminance[1]) > 0.2, (name, theme)
        assert len(colours) >= 3


# --- snapshots ------------------------------------------------------------------------------------------------


def _snapshot_app(paths: Paths) -> LesestoffApp:
    return make_app(paths)


def test_snapshot_library(tui_paths: Paths, snap_compare: Callable[..., bool]) -> None:
    async def ready(pilot: Pilot) -> None:
        await loaded_library(pilot)
        await pilot.pause()

    assert snap_compare(_snapshot_app(tui_paths), terminal_size=SIZE, run_before=ready)


def test_snapshot_reader(tui_paths: Paths, snap_compare: Callable[..., bool]) -> None:
    async def ready(pilot: Pilot) -> None:
        reader = await open_reader(pilot)
        await pilot.press("t", "right", "right", "right", "right")
        await until(pilot, lambda: all(i in reader.view.translations for i in range(3)), "translations")
        await word_looked_up(pilot, reader)
        await until(pilot, lambda: reader._details is not None and reader._details.key == (0, 4), "the word")
        await pilot.pause()

    assert snap_compare(_snapshot_app(tui_paths), terminal_size=SIZE, run_before=ready)


def test_snapshot_exercise(tui_paths: Paths, snap_compare: Callable[..., bool]) -> None:
    async def ready(pilot: Pilot) -> None:
        screen = await loaded_library(pilot)
        await select(pilot, screen, lesson_by_source(screen, TRANSCRIPT_SEED).id)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(pilot.app.screen, ExerciseScreen), "the exercises")
        exercises = pilot.app.screen
        assert isinstance(exercises, ExerciseScreen)
        await until(pilot, lambda: exercises.phase == "answering", "a set")
        await answer(pilot, exercises)  # the cloze, right
        await pilot.press("enter")  # on to the meaning exercise
        await pilot.pause()

    assert snap_compare(_snapshot_app(tui_paths), terminal_size=SIZE, run_before=ready)


# --- online lookups and failures ------------------------------------------------------------------------------


async def test_online_lookup_says_that_it_sends_the_word_and_shows_the_answer(
    tui_paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessons.online import OnlineTranslator, Translation

    sent: list[str] = []

    def translate_word(self: OnlineTranslator, word: str) -> list[Translation]:
        sent.append(word)
        return [Translation("to catch up", "Linguee (online)")]

    def translate_sentence(self: OnlineTranslator, text: str) -> Translation:
        sent.append(text)
        return Translation("(an online translation)", "Google Translate (online)")

    monkeypatch.setattr(OnlineTranslator, "translate_word", translate_word)
    monkeypatch.setattr(OnlineTranslator, "translate_sentence", translate_sentence)
    app = make_app(tui_paths, online=True)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot)
        lemma = reader.view.current_token.lemma  # type: ignore[union-attr]
        await pilot.press("o")
        assert any(f"Sending “{lemma}” to Linguee" in str(n.message) for n in app._notifications)
        await until(pilot, lambda: "online: to catch up  [Linguee (online)]" in reader.panel.plain, "the answer")
        assert sent == [lemma]


async def test_a_damaged_learner_database_gives_notifications_not_a_crash(tui_paths: Paths) -> None:
    tui_paths.store.write_bytes(b"not a database at all " * 200)
    app = make_app(tui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, "the library")
        screen = library(app)
        await until(pilot, lambda: any(n.severity == "error" for n in app._notifications), "a notification")
        assert screen.query_one("#library", DataTable).row_count == 5
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await word_looked_up(pilot, reader)
        before = len(app._notifications)
        await pilot.press("w")
        await until(pilot, lambda: len(app._notifications) > before, "the failed save")
        assert "Could not save" in str(list(app._notifications)[-1].message)
        assert reader.view.statuses.get(reader.view.current_token.lemma) == "new"  # type: ignore[union-attr]
        await pilot.press("j", "escape")
        assert isinstance(app.screen, LibraryScreen)
        assert any("Could not save your place" in str(n.message) for n in app._notifications)
        assert app.is_running
