"""Dialogs: import a text, export a deck, settings, help."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Select, Static, Switch

from lessons.errors import UserError
from lessons.model import CEFR_LEVELS, Kind, Lesson

if TYPE_CHECKING:
    from lessons.vocab import VocabEntry
    from tui.app import LesestoffApp


# --- messages from workers ------------------------------------------------------------------------------


class Progressed(Message):
    def __init__(self, stage: str, fraction: float) -> None:
        super().__init__()
        self.stage = stage
        self.fraction = fraction


class Finished(Message):
    def __init__(self, ok: bool, text: str, value: Any = None, warnings: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.ok = ok
        self.text = text
        self.value = value
        self.warnings = warnings


def _lapp(screen: ModalScreen[Any]) -> LesestoffApp:
    return screen.app  # type: ignore[return-value]


def _compact(screen: ModalScreen[Any]) -> None:
    """One-line inputs, selects and buttons: the dialogs fit an 80×24 terminal."""
    for widget in screen.query("Input, Select, Button"):
        widget.compact = True  # type: ignore[attr-defined]


# --- import ---------------------------------------------------------------------------------------------


class PathValidator(Validator):
    """The path exists, is a file or a folder, and can be read."""

    def validate(self, value: str) -> ValidationResult:
        text = value.strip()
        if not text:
            return self.failure("Type the path of a file or folder.")
        path = Path(os.path.expanduser(text))
        try:
            if not path.exists():
                return self.failure(f"No such file or folder: {text}")
            if not (path.is_file() or path.is_dir()):
                return self.failure("Not a regular file or folder.")
        except OSError as exc:
            return self.failure(f"Cannot check the path: {exc.strerror or exc}")
        if not os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):
            return self.failure("Not readable: check its permissions.")
        return self.success()


def _path_hint(value: str) -> str:
    path = Path(os.path.expanduser(value.strip()))
    if path.is_dir():
        try:
            count = sum(1 for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        except OSError:
            count = 0
        return f"A folder: its {count} file{'s' if count != 1 else ''} will be imported (not its subfolders)."
    try:
        size = path.stat().st_size
    except OSError:
        return ""
    return f"A file of {size / 1024:.1f} KiB."


class ImportDialog(ModalScreen[str | None]):
    """Path (checked as you type), kind, title; a progress bar for big files; errors stay in the dialog."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="import-dialog", classes="dialog"):
            yield Label("Import a text", classes="dialog-title")
            yield Label("File or folder (.txt, .md, .html, .srt, .vtt):")
            yield Input(
                placeholder="~/Downloads/artikel.txt",
                validators=[PathValidator()],
                validate_on=["changed", "submitted"],
                id="import-path",
            )
            yield Static("", id="import-check", classes="hint")
            with Horizontal(classes="row"):
                yield Label("Kind:", classes="label")
                yield Select(
                    [("detect", "auto"), ("article", Kind.ARTICLE.value), ("transcript", Kind.TRANSCRIPT.value)],
                    value="auto",
                    allow_blank=False,
                    id="import-kind",
                )
            with Horizontal(classes="row"):
                yield Label("Title:", classes="label")
                yield Input(placeholder="(from the text)", id="import-title")
            yield Checkbox("Import even if it does not look German", id="import-force")
            yield ProgressBar(total=1.0, show_eta=False, id="import-progress")
            yield Static("", id="import-status", classes="hint")
            yield Static("", id="import-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Import", variant="primary", id="import-go", disabled=True)
                yield Button("Cancel", id="import-cancel")

    def on_mount(self) -> None:
        _compact(self)
        self.query_one("#import-progress").display = False
        self.query_one("#import-path", Input).focus()

    @on(Input.Changed, "#import-path")
    def _path_changed(self, event: Input.Changed) -> None:
        check = self.query_one("#import-check", Static)
        result = event.validation_result
        valid = result is not None and result.is_valid
        if valid:
            check.update(Text(_path_hint(event.value)))
            check.set_class(False, "error")
        else:
            reason = result.failure_descriptions[0] if result and result.failure_descriptions else ""
            check.update(Text(reason))
            check.set_class(bool(event.value.strip()), "error")
        self.query_one("#import-go", Button).disabled = not valid or self._busy
        self.query_one("#import-error", Static).update("")

    _busy = False

    @on(Input.Submitted, "#import-path")
    @on(Input.Submitted, "#import-title")
    def _submitted(self) -> None:
        self._start()

    @on(Button.Pressed, "#import-go")
    def _go(self) -> None:
        self._start()

    @on(Button.Pressed, "#import-cancel")
    def action_cancel(self) -> None:
        if self._busy:
            self.notify("The import is still running; it finishes in the background.", severity="warning")
        self.dismiss(None)

    def _start(self) -> None:
        if self._busy:
            return
        path_input = self.query_one("#import-path", Input)
        result = path_input.validate(path_input.value)
        if result is not None and not result.is_valid:
            self.query_one("#import-error", Static).update(Text(result.failure_descriptions[0]))
            return
        kind_value = self.query_one("#import-kind", Select).value
        kind = Kind(kind_value) if kind_value in (Kind.ARTICLE.value, Kind.TRANSCRIPT.value) else None
        title = self.query_one("#import-title", Input).value.strip() or None
        force = self.query_one("#import-force", Checkbox).value
        self._busy = True
        self.query_one("#import-go", Button).disabled = True
        self.query_one("#import-error", Static).update("")
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(progress=0)
        self.run_import(Path(os.path.expanduser(path_input.value.strip())), kind, title, force)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def run_import(self, path: Path, kind: Kind | None, title: str | None, force: bool) -> None:
        from lessons.importing import expand

        session = _lapp(self).session
        try:
            library = session.library()
            items = expand([path])
        except UserError as exc:
            self.post_message(Finished(False, exc.message))
            return
        imported: list[str] = []
        errors: list[str] = []
        warnings: list[str] = []
        total = len(items)
        for number, item in enumerate(items):

            def progress(stage: str, fraction: float, number: int = number) -> None:
                self.post_message(Progressed(stage, (number + min(1.0, fraction)) / max(1, total)))

            try:
                if isinstance(item, UserError):
                    raise item
                assert item is not None
                progress(f"reading {item.name}", 0.0)
                lesson = library.import_file(item, kind=kind, title=title, force=force, progress=progress)
            except UserError as exc:
                errors.append(exc.message)
                continue
            except Exception as exc:  # a bug in one file must not take the dialog down
                errors.append(f"{item}: unexpected {type(exc).__name__}: {exc}")
                continue
            imported.append(lesson.id)
            warnings.extend(f"{lesson.id}: {w}" for w in lesson.warnings)
        if imported:
            text = f"Imported {len(imported)} lesson{'s' if len(imported) != 1 else ''}: {', '.join(imported)}"
            if errors:
                text += f"; {len(errors)} refused"
            self.post_message(Finished(True, text, imported, tuple(warnings + errors)))
        else:
            self.post_message(Finished(False, "\n".join(errors) or "Nothing was imported."))

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        self.query_one("#import-progress", ProgressBar).update(progress=message.fraction)
        self.query_one("#import-status", Static).update(Text(f"{message.stage} {message.fraction:.0%}"))

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self._busy = False
        self.query_one("#import-go", Button).disabled = False
        if not message.ok:
            self.query_one("#import-progress").display = False
            self.query_one("#import-status", Static).update("")
            self.query_one("#import-error", Static).update(Text(message.text))
            return
        self.notify(message.text, title="Import")
        for warning in message.warnings:
            self.notify(warning, title="Import", severity="warning", timeout=8)
        self.dismiss(message.value[-1])


# --- export ---------------------------------------------------------------------------------------------


LEVEL_OPTIONS = [("all levels", "all"), *[(f"{level} and up", level) for level in CEFR_LEVELS]]


class ExportDialog(ModalScreen[None]):
    """A lesson's vocabulary (or the vocabulary screen's selection) as an Anki deck or a TSV file."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, lesson: Lesson, entries: list[VocabEntry] | None = None, *, fmt: str = "apkg") -> None:
        super().__init__()
        self.lesson = lesson
        self.entries = entries
        self.fmt = fmt
        self._busy = False

    def _default_path(self, fmt: str) -> str:
        folder = _lapp(self).paths.root / "exports"
        return str(folder / f"{self.lesson.id}.{fmt}")

    def compose(self) -> ComposeResult:
        from lessons import audio

        has_audio = audio.tools_available()
        with VerticalScroll(id="export-dialog", classes="dialog"):
            yield Label("Export to Anki", classes="dialog-title")
            yield Static(Text(self.lesson.title, overflow="ellipsis", no_wrap=True), classes="hint")
            if self.entries is not None:
                count = len(self.entries)
                yield Static(Text(f"{count} word{'s' if count != 1 else ''} from the vocabulary list"), classes="hint")
            with Horizontal(classes="row"):
                yield Label("Format:", classes="label")
                yield Select(
                    [("Anki deck (.apkg)", "apkg"), ("TSV for Anki's importer", "tsv")],
                    value=self.fmt,
                    allow_blank=False,
                    id="export-format",
                )
            with Horizontal(classes="row"):
                yield Label("File:", classes="label")
                yield Input(self._default_path(self.fmt), id="export-path")
            with Horizontal(classes="row"):
                yield Label("Level:", classes="label")
                yield Select(LEVEL_OPTIONS, value="all", allow_blank=False, id="export-level")
            yield Checkbox("Only words that are new to me (not known or ignored)", True, id="export-new")
            yield Checkbox("Only words on my Anki list (a in the reader)", False, id="export-list")
            yield Checkbox("Cloze cards from the lesson sentences", True, id="export-cloze")
            yield Checkbox(
                "Audio (synthetic voice)" if has_audio else "Audio (needs espeak-ng and lame: not installed)",
                False,
                id="export-audio",
                disabled=not has_audio,
            )
            yield ProgressBar(total=1.0, show_eta=False, id="export-progress")
            yield Static("", id="export-result", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Close", id="export-close")

    def on_mount(self) -> None:
        _compact(self)
        self.query_one("#export-progress").display = False
        if self.entries is not None:
            self.query_one("#export-level", Select).disabled = True
        self._format_changed()
        self.query_one("#export-go", Button).focus()

    @on(Select.Changed, "#export-format")
    def _format_changed(self) -> None:
        fmt = str(self.query_one("#export-format", Select).value)
        path_input = self.query_one("#export-path", Input)
        current = path_input.value
        stem, _, ext = current.rpartition(".")
        if ext in ("apkg", "tsv") and stem:
            path_input.value = f"{stem}.{fmt}"
        is_deck = fmt == "apkg"
        self.query_one("#export-cloze", Checkbox).disabled = not is_deck
        from lessons import audio

        self.query_one("#export-audio", Checkbox).disabled = not is_deck or not audio.tools_available()

    @on(Button.Pressed, "#export-close")
    def action_close(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        if self._busy:
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._show_result(Text("Type where to write the file.", style="bold"), error=True)
            return
        path = Path(os.path.expanduser(raw))
        if path.is_dir():
            self._show_result(Text(f"{raw} is a folder: add a file name.", style="bold"), error=True)
            return
        options = {
            "fmt": str(self.query_one("#export-format", Select).value),
            "level": str(self.query_one("#export-level", Select).value),
            "new_only": self.query_one("#export-new", Checkbox).value,
            "list_only": self.query_one("#export-list", Checkbox).value,
            "cloze": self.query_one("#export-cloze", Checkbox).value,
            "audio": self.query_one("#export-audio", Checkbox).value,
        }
        self._busy = True
        self.query_one("#export-go", Button).disabled = True
        bar = self.query_one("#export-progress", ProgressBar)
        bar.display = True
        bar.update(progress=0)
        self._show_result(Text("Collecting the words …"))
        self.run_export(path, options)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def run_export(self, path: Path, options: dict[str, Any]) -> None:
        from lessons.anki import AnkiLesson, deck_name_for, export_deck, write_tsv
        from lessons.store import WordStatus
        from lessons.vocab import anki_word, build_vocabulary

        session = _lapp(self).session
        lesson = self.lesson
        try:
            entries = self.entries
            if entries is None:
                self.post_message(Progressed("looking up meanings", 0.05))
                level = None if options["level"] == "all" else options["level"]
                entries = build_vocabulary(lesson, session.meanings(), level=level)
            store = session.store()
            if options["new_only"]:
                statuses = store.statuses(e.lemma for e in entries)
                entries = [e for e in entries if statuses[e.lemma] not in (WordStatus.KNOWN, WordStatus.IGNORED)]
            if options["list_only"]:
                listed = {e.lemma for e in store.anki_list()}
                entries = [e for e in entries if e.lemma in listed]
            words = [anki_word(e, default_level=lesson.cefr) for e in entries]
            if options["fmt"] == "tsv":
                self.post_message(Progressed("writing", 0.5))
                rows = write_tsv(words, path, deck=deck_name_for(lesson.title, lesson.id), tags=[lesson.id])
                text = f"Wrote {rows} word{'s' if rows != 1 else ''} to {path} (TSV: File → Import in Anki)."
                warnings: tuple[str, ...] = () if rows else ("no words to export",)
            else:

                def progress(done: int, total: int) -> None:
                    if total and (done == total or done % max(1, total // 50) == 0):
                        self.post_message(Progressed("writing the deck", done / total))

                result = export_deck(
                    [AnkiLesson(lesson.id, lesson.title, words)],
                    path,
                    cloze=options["cloze"],
                    audio=options["audio"],
                    audio_cache=session.paths.audio,
                    progress=progress,
                )
                text = (
                    f"Wrote {result.notes} notes ({result.cards} cards, {result.media} audio clips) "
                    f"in {result.decks} deck{'s' if result.decks != 1 else ''} to {result.path}."
                )
                warnings = result.warnings
            if options["list_only"]:
                store.mark_exported(w.lemma for w in words)
        except UserError as exc:
            self.post_message(Finished(False, exc.message))
            return
        except OSError as exc:
            self.post_message(Finished(False, f"Could not write {path}: {exc.strerror or exc}"))
            return
        except Exception as exc:
            self.post_message(Finished(False, f"Export failed: {type(exc).__name__}: {exc}"))
            return
        self.post_message(Finished(True, text, path, tuple(warnings)))

    def _show_result(self, text: Text, *, error: bool = False) -> None:
        result = self.query_one("#export-result", Static)
        result.update(text)
        result.set_class(error, "error")

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        self.query_one("#export-progress", ProgressBar).update(progress=message.fraction)
        self._show_result(Text(f"{message.stage} … {message.fraction:.0%}"))

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self._busy = False
        self.query_one("#export-go", Button).disabled = False
        if not message.ok:
            self.query_one("#export-progress").display = False
            self._show_result(Text(message.text), error=True)
            self.notify(message.text, title="Export", severity="error")
            return
        self.query_one("#export-progress", ProgressBar).update(progress=1.0)
        summary = Text(message.text)
        for warning in message.warnings[:5]:
            summary.append("\n• ")
            summary.append(warning)
        if len(message.warnings) > 5:
            summary.append(f"\n• … and {len(message.warnings) - 5} more")
        self._show_result(summary)
        self.notify(message.text, title="Export")
        self.query_one("#export-close", Button).focus()


# --- settings -------------------------------------------------------------------------------------------


class SettingsScreen(ModalScreen[bool]):
    """Learner level, target language and online translation (off unless turned on), saved in the store."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def compose(self) -> ComposeResult:
        from lessons.online import SENTENCE_BACKENDS, WORD_BACKENDS, backend_label
        from tui.session import TARGET_LANGUAGES

        with VerticalScroll(id="settings-dialog", classes="dialog"):
            yield Label("Settings", classes="dialog-title")
            with Horizontal(classes="row"):
                yield Label("My level:", classes="label")
                yield Select([(level, level) for level in CEFR_LEVELS], prompt="not set", id="settings-level")
            with Horizontal(classes="row"):
                yield Label("Translate into:", classes="label")
                yield Select(
                    [(f"{name} ({code})", code) for code, name in TARGET_LANGUAGES],
                    value="en",
                    allow_blank=False,
                    id="settings-target",
                )
            with Horizontal(classes="row"):
                yield Label("Online mode:", classes="label")
                yield Switch(False, id="settings-online")
                yield Label("off", id="settings-online-label")
            with Horizontal(classes="row"):
                yield Label("Sentences via:", classes="label")
                yield Select(
                    [(backend_label(b), b) for b in SENTENCE_BACKENDS],
                    value="google",
                    allow_blank=False,
                    id="settings-backend",
                )
            with Horizontal(classes="row"):
                yield Label("Words via:", classes="label")
                yield Select(
                    [(backend_label(b), b) for b in WORD_BACKENDS],
                    value="linguee",
                    allow_blank=False,
                    id="settings-word-backend",
                )
            with Horizontal(classes="row"):
                yield Label("LibreTranslate URL:", classes="label")
                yield Input(placeholder="http://localhost:5000/", id="settings-libre")
            yield Static("", id="settings-privacy", classes="privacy")
            yield Static("", id="settings-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="settings-save")
                yield Button("Cancel", id="settings-cancel")

    def on_mount(self) -> None:
        _compact(self)
        session = _lapp(self).session
        try:
            stored = session.stored_online()
            level = session.learner_level()
        except UserError as exc:
            stored, level = {}, None
            self.query_one("#settings-error", Static).update(Text(f"The settings cannot be read: {exc.message}"))
        if level:
            self.query_one("#settings-level", Select).value = level
        self.query_one("#settings-target", Select).value = (
            stored.get("target", "en") if stored.get("target") in {c for c, _ in _targets()} else "en"
        )
        self.query_one("#settings-online", Switch).value = bool(stored.get("enabled")) or session.online_flag
        self.query_one("#settings-backend", Select).value = stored.get("backend", "google")
        self.query_one("#settings-word-backend", Select).value = stored.get("word_backend", "linguee")
        self.query_one("#settings-libre", Input).value = stored.get("libre_url") or ""
        self._update_privacy()
        self.query_one("#settings-level", Select).focus()

    def _values(self) -> dict[str, Any]:
        return {
            "enabled": self.query_one("#settings-online", Switch).value,
            "backend": str(self.query_one("#settings-backend", Select).value),
            "word_backend": str(self.query_one("#settings-word-backend", Select).value),
            "target": str(self.query_one("#settings-target", Select).value),
            "libre_url": self.query_one("#settings-libre", Input).value.strip() or None,
        }

    @on(Switch.Changed)
    @on(Select.Changed)
    @on(Input.Changed, "#settings-libre")
    def _update_privacy(self) -> None:
        from lessons.online import OnlineSettings, describe_privacy

        values = self._values()
        self.query_one("#settings-online-label", Label).update(
            "ON: text is sent out" if values["enabled"] else "off: nothing leaves this computer"
        )
        error = self.query_one("#settings-error", Static)
        try:
            settings = OnlineSettings(**values)
        except ValueError as exc:
            error.update(Text(str(exc)))
            settings = OnlineSettings(enabled=values["enabled"])
        else:
            error.update("")
        privacy = self.query_one("#settings-privacy", Static)
        privacy.update(Text(describe_privacy(settings)))
        privacy.set_class(values["enabled"], "online")

    @on(Button.Pressed, "#settings-save")
    def action_save(self) -> None:
        session = _lapp(self).session
        level = self.query_one("#settings-level", Select).value
        try:
            if isinstance(level, str) and level in CEFR_LEVELS and level != session.learner_level():
                from lessons.tutor import set_level

                # with its history entry: the tutor's level adjustment counts answers from this moment on
                set_level(session.store(), level, "chosen by the learner in Settings")
            settings = session.save_online(self._values())
        except (UserError, ValueError) as exc:
            self.query_one("#settings-error", Static).update(Text(str(exc)))
            return
        self.notify("Settings saved. " + ("Online mode is ON." if settings.enabled else "Online mode is off."))
        self.dismiss(True)

    @on(Button.Pressed, "#settings-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


def _targets() -> tuple[tuple[str, str], ...]:
    from tui.session import TARGET_LANGUAGES

    return TARGET_LANGUAGES


# --- help -----------------------------------------------------------------------------------------------


def _screens_with_bindings(first: type | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Key tables, screen by screen; ``first``'s sections (the screen the learner is on) come first."""
    from tui.app import LesestoffApp
    from tui.exercise_screen import ExerciseScreen
    from tui.library_screen import LibraryScreen
    from tui.reader_screen import ReaderScreen
    from tui.reader_view import ReaderView
    from tui.stats_screen import StatsScreen
    from tui.study_screen import StudyScreen
    from tui.vocab_screen import VocabularyScreen

    groups: list[list[tuple[str, type]]] = [
        [("Library", LibraryScreen)],
        [("Reader", ReaderScreen), ("Reader: moving", ReaderView)],
        [("Vocabulary", VocabularyScreen)],
        [("Exercises", ExerciseScreen)],
        [("Study session", StudyScreen)],
        [("Statistics", StatsScreen)],
    ]
    groups.sort(key=lambda group: group[0][1] is not first)
    sections = [section for group in groups for section in group]
    sections.insert(1 if sections[0][1] is first else 0, ("Everywhere", LesestoffApp))
    out = []
    for title, cls in sections:
        written = getattr(cls, "HELP", None)
        if written:
            out.append((title, list(written)))
            continue
        rows: dict[str, list[str]] = {}
        for binding in cls.BINDINGS:
            if not isinstance(binding, Binding) or (cls is not LesestoffApp and binding.action.startswith("app.")):
                continue
            rows.setdefault(binding.description, []).extend(k.strip() for k in binding.key.split(","))
        out.append((title, [(", ".join(_key_name(k) for k in keys), desc) for desc, keys in rows.items()]))
    for title, rows in out:
        if title == "Everywhere":
            rows.append(("ctrl+p", "Command palette: every action by name"))
    return out


_KEY_NAMES = {
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "right": "→",
    "left": "←",
    "up": "↑",
    "down": "↓",
    "home": "Home",
    "end": "End",
}


def _key_name(key: str) -> str:
    return _KEY_NAMES.get(key, key)


class HelpScreen(ModalScreen[None]):
    """Every key, screen by screen."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, current: type | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label("Keys", classes="dialog-title")
            for title, rows in _screens_with_bindings(self.current):
                yield Label(title, classes="help-section")
                with Grid(classes="help-grid"):
                    for keys, description in rows:
                        yield Static(Text(keys), classes="help-key")
                        yield Static(Text(description), classes="help-desc")
            yield Static(
                Text(
                    "The mouse works too: click a word in the reader, a column header to sort, a row to select. "
                    "Ctrl+P opens the command palette with every action of the current screen."
                ),
                classes="hint",
            )
            with Horizontal(classes="buttons"):
                yield Button("Close", id="help-close", variant="primary")

    def on_mount(self) -> None:
        _compact(self)

    @on(Button.Pressed, "#help-close")
    def action_close(self) -> None:
        self.dismiss(None)
