"""The start screen: the lessons, with this learner's new words and reading progress."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, ProgressBar, Static
from textual.worker import get_current_worker

from lessons.errors import UserError
from lessons.model import CEFR_LEVELS, Lesson
from tui.session import LessonInfo, LessonRow

if TYPE_CHECKING:
    from lessons.library import Entry
    from lessons.store import LessonProgress
    from tui.app import LesestoffApp


LIST_PAINT_WAIT_SECONDS = 1.0
"""How long the loader waits for the listed rows to be painted before it reads progress and lessons."""


class Listed(Message):
    """The library's texts with what their caches say (no lesson loaded yet)."""

    def __init__(self, infos: list[LessonInfo], progress: dict[str, LessonProgress]) -> None:
        super().__init__()
        self.infos = infos
        self.progress = progress


class LessonReady(Message):
    """One lesson loaded (or processed), with its new-word count."""

    def __init__(self, lesson: Lesson, new_words: int | None) -> None:
        super().__init__()
        self.lesson = lesson
        self.new_words = new_words


class Counted(Message):
    def __init__(self, counts: dict[str, int], progress: dict[str, LessonProgress]) -> None:
        super().__init__()
        self.counts = counts
        self.progress = progress


class LoadFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


def _progress_cell(row: LessonRow) -> str:
    if row.progress is None:
        return "–"
    if row.progress.completed:
        return "✓"
    return f"{row.progress.last_sentence + 1}/{row.info.sentences}"


def _progress_key(row: LessonRow) -> float:
    if row.progress is None:
        return -1.0
    if row.progress.completed:
        return 2.0
    return (row.progress.last_sentence + 1) / max(1, row.info.sentences)


# column key, header, sort key
COLUMNS: tuple[tuple[str, str, Callable[[LessonRow], Any]], ...] = (
    ("title", "Title", lambda r: r.info.title.casefold()),
    ("kind", "Kind", lambda r: (r.info.kind, r.info.title.casefold())),
    ("date", "Date", lambda r: (r.info.date or "0000", r.info.title.casefold())),
    ("cefr", "CEFR", lambda r: CEFR_LEVELS.index(r.info.cefr) if r.info.cefr in CEFR_LEVELS else 9),
    ("words", "Words", lambda r: r.info.words),
    ("new", "New", lambda r: -1 if r.new_words is None else r.new_words),
    ("read", "Read", _progress_key),
)
WIDTHS = {"kind": 10, "date": 10, "cefr": 4, "words": 6, "new": 5, "read": 7}
RIGHT = {"words", "new", "read"}
FIXED_WIDTH = sum(WIDTHS.values()) + 2 * len(COLUMNS) + 2


class LibraryScreen(Screen[None]):
    """DataTable of lessons; Enter opens the reader.

    The rows come from the lessons' cache headers at once; the lessons themselves load (or are processed, on a
    first start) one by one in a worker, each filling in its new-word count. An action on a lesson that is not
    loaded yet runs when it is.
    """

    BINDINGS = [
        Binding("enter", "open", "Read", priority=True),
        Binding("v", "vocabulary", "Vocabulary"),
        Binding("x", "exercises", "Exercises"),
        Binding("S", "app.study", "Study session", show=False),
        Binding("g", "app.statistics", "Statistics", show=False),
        Binding("i", "import", "Import"),
        Binding("e", "export", "Export"),
        Binding("s", "sort", "Sort"),
        Binding("r", "reverse", "Reverse sort", show=False),
        Binding("f5", "reload", "Reload library", show=False),
        Binding("p", "app.settings", "Settings"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__(id="library-screen")
        self.rows: dict[str, LessonRow] = {}
        self.order: list[str] = []
        self.sort_column = ""
        self.sort_reverse = False
        self.loaded = False
        """The list is shown (lessons may still be loading: see ``all_ready``)."""
        self._select_after: str | None = None
        self._list_painted = threading.Event()
        """Set once the listed rows are on screen: the loader waits for it (see ``load_lessons``)."""
        self._pending: tuple[str, str] | None = None
        """(action, lesson id) waiting for that lesson to load."""

    @property
    def lapp(self) -> LesestoffApp:
        return self.app  # type: ignore[return-value]

    @property
    def all_ready(self) -> bool:
        return self.loaded and all(row.lesson is not None for row in self.rows.values())

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading lessons …", id="library-status")
        yield Static("", id="library-hint")
        with Horizontal(id="warmup"):
            yield Label("Loading the dictionary …", id="warmup-label")
            yield ProgressBar(total=1.0, show_eta=False, id="warmup-bar")
        yield DataTable(id="library", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#library-hint", Static).display = False
        self.watch(self.lapp, "warm_fraction", self._show_warmup)
        self.watch(self.lapp, "warm_done", self._warmup_done)
        # The list is read here, before the first frame: a few small reads (the library index and the first
        # line of each cached lesson, no lesson itself). Handed over by a worker it came a fifth of a second
        # later, the worker and the first frames taking turns at one interpreter lock. Progress and lessons
        # (the slow part) follow in the worker.
        listing = self._read_listing()
        if listing is not None:  # (else the error is on screen; F5 tries again)
            self._listed(Listed([info for _, info in listing], {}))
            self.load_lessons(listing)

    # --- loading ---------------------------------------------------------------------------------------

    def _read_listing(self) -> list[tuple[Entry, LessonInfo]] | None:
        """The library's texts with what their caches say; None (and the error posted) when it cannot be read."""
        try:
            return self.lapp.session.listing()
        except UserError as exc:
            self.post_message(LoadFailed(exc.message))
        except Exception as exc:  # never a crash: say what happened
            self.post_message(LoadFailed(f"could not read the library: {type(exc).__name__}: {exc}"))
        return None

    @work(thread=True, exclusive=True, exit_on_error=False, group="library")
    def load_lessons(self, listed: list[tuple[Entry, LessonInfo]] | None = None) -> None:
        """Read the list (unless ``listed`` is it, already shown), then progress, then each lesson."""
        session = self.lapp.session
        worker = get_current_worker()
        listing = listed
        if listing is None:
            self._list_painted.clear()
            listing = self._read_listing()
            if listing is None:
                return
            self.post_message(Listed([info for _, info in listing], {}))
        # The learner's progress (opening the store is a tenth of a second) and the lessons hold the interpreter
        # lock for long stretches, and the screen draws under the same lock: they wait until the list is
        # painted (or a moment, should no frame come).
        self._list_painted.wait(timeout=LIST_PAINT_WAIT_SECONDS)
        try:
            self.post_message(Counted({}, session.all_progress()))
        except Exception as exc:
            self.post_message(LoadFailed(f"could not read your progress: {exc}"))
        counting = True
        for entry, _ in listing:
            if worker.is_cancelled:
                return
            try:
                lesson = session.lesson(entry)
            except UserError as exc:
                self.post_message(LoadFailed(exc.message))
                continue
            except Exception as exc:
                self.post_message(LoadFailed(f"{entry.source}: could not load: {type(exc).__name__}: {exc}"))
                continue
            count = None
            if counting:
                try:
                    count = session.new_words([lesson])[lesson.id]
                except Exception as exc:  # a damaged store: say so once, keep listing
                    counting = False
                    self.post_message(LoadFailed(f"could not count your new words: {exc}"))
            self.post_message(LessonReady(lesson, count))

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-count")
    def count_rows(self) -> None:
        """After reading or exercises: new-word counts and progress again."""
        session = self.lapp.session
        lessons = [row.lesson for row in self.rows.values() if row.lesson is not None]
        try:
            counts = session.new_words(lessons)
            progress = session.all_progress()
        except Exception as exc:
            self.post_message(LoadFailed(f"could not read your progress: {exc}"))
            return
        self.post_message(Counted(counts, progress))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        previous = self.rows
        self.rows = {}
        for info in message.infos:
            old = previous.get(info.id)
            same = old is not None and old.lesson is not None and old.info.source == info.source
            self.rows[info.id] = LessonRow(
                info,
                old.new_words if same and old else None,
                message.progress.get(info.id),
                old.lesson if same and old else None,
            )
        self.order = [info.id for info in message.infos]
        self.loaded = True
        self._fill()
        self._status()
        self.call_after_refresh(self._shown)

    def _shown(self) -> None:
        self._list_painted.set()
        self.lapp.library_shown()

    @on(LessonReady)
    def _lesson_ready(self, message: LessonReady) -> None:
        lesson = message.lesson
        row = self.rows.get(lesson.id)
        if row is None:
            return
        self.rows[lesson.id] = LessonRow(LessonInfo.of(lesson), message.new_words, row.progress, lesson)
        self._update_row(lesson.id)
        self._status()
        if self._pending is not None and self._pending[1] == lesson.id:
            action, _ = self._pending
            self._pending = None
            self._run(action, self.rows[lesson.id])

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        for key, row in list(self.rows.items()):
            self.rows[key] = LessonRow(
                row.info, message.counts.get(key, row.new_words), message.progress.get(key), row.lesson
            )
        self._fill()
        self._status()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.lapp.library_shown()
        if not self.loaded:
            self.query_one("#library-status", Static).update("Could not load the library.")
        self.notify(message.error, title="Library", severity="error", timeout=10)

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.count_rows()

    def reload(self, select: str | None = None) -> None:
        """Read the library again (after an import); ``select`` puts the cursor on that lesson."""
        self._select_after = select
        self.load_lessons()

    # --- warm-up ---------------------------------------------------------------------------------------

    def _show_warmup(self, fraction: float) -> None:
        self.query_one("#warmup-bar", ProgressBar).update(progress=fraction)
        stage = self.lapp.warm_stage
        if stage:
            self.query_one("#warmup-label", Label).update(Text(f"Loading {stage} …"))
        if not self.loaded and not self.lapp.warm_done:
            self.query_one("#library-status", Static).update(
                Text("Preparing the lessons; the first start also indexes the dictionary (once) …")
            )

    def _warmup_done(self, done: bool) -> None:
        if not done:
            return
        self.query_one("#warmup").display = False
        session = self.lapp.session
        hint = self.query_one("#library-hint", Static)
        if session.dictionary_ready is False and session.lexicon_message:
            hint.update(Text(session.lexicon_message))
            hint.tooltip = session.lexicon_message
            hint.display = True

    # --- table -----------------------------------------------------------------------------------------

    def _title_width(self) -> int:
        return max(16, min(70, self.size.width - FIXED_WIDTH))

    def _ordered(self) -> list[LessonRow]:
        rows = [self.rows[key] for key in self.order if key in self.rows]
        if self.sort_column:
            key = next(k for c, _, k in COLUMNS if c == self.sort_column)
            rows.sort(key=key, reverse=self.sort_reverse)
        elif self.sort_reverse:
            rows.reverse()
        return rows

    def _cells(self, row: LessonRow) -> list[Text]:
        info = row.info
        if not info.ready:
            return [
                Text(info.title, overflow="ellipsis", no_wrap=True),
                Text(info.kind or "…"),
                Text(""),
                Text("…"),
                Text("…", justify="right"),
                Text("…", justify="right"),
                Text(_progress_cell(row), justify="right"),
            ]
        return [
            Text(info.title, overflow="ellipsis", no_wrap=True),
            Text(info.kind),
            Text(info.date or ""),
            Text(info.cefr),
            Text(str(info.words), justify="right"),
            Text("…" if row.new_words is None else str(row.new_words), justify="right"),
            Text(_progress_cell(row), justify="right"),
        ]

    def _fill(self) -> None:
        table = self.query_one("#library", DataTable)
        keep = self.selected_id()
        if self._select_after in self.rows:
            keep, self._select_after = self._select_after, None
        table.clear(columns=True)
        width = self._title_width()
        for key, label, _ in COLUMNS:
            arrow = (" ▼" if self.sort_reverse else " ▲") if key == self.sort_column else ""
            header = Text(label + arrow, justify="right" if key in RIGHT else "left")
            table.add_column(header, key=key, width=WIDTHS.get(key, width))
        for row in self._ordered():
            table.add_row(*self._cells(row), key=row.info.id)
        if keep is not None and keep in self.rows:
            with contextlib.suppress(Exception):
                table.move_cursor(row=table.get_row_index(keep))

    def _update_row(self, key: str) -> None:
        """One lesson loaded: its cells change in place (a sorted column re-sorts the table)."""
        if self.sort_column:
            self._fill()
            return
        table = self.query_one("#library", DataTable)
        try:
            for (column, _, _), cell in zip(COLUMNS, self._cells(self.rows[key]), strict=True):
                table.update_cell(key, column, cell)
        except Exception:
            self._fill()

    def _status(self) -> None:
        count = len(self.rows)
        text = f"{count} lesson{'s' if count != 1 else ''}"
        waiting = sum(1 for row in self.rows.values() if row.lesson is None)
        if waiting:
            text += f" ({waiting} loading)"
        if self.sort_column:
            label = next(h for c, h, _ in COLUMNS if c == self.sort_column)
            text += f" · sorted by {label.lower()}{' (descending)' if self.sort_reverse else ''}"
        text += " · Enter reads the lesson under the cursor · S: a study session"
        self.query_one("#library-status", Static).update(Text(text))

    def on_resize(self) -> None:
        if self.loaded:
            self._fill()

    def selected_id(self) -> str | None:
        table = self.query_one("#library", DataTable)
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:
            return None
        return str(key.value) if key.value is not None else None

    def selected(self) -> LessonRow | None:
        key = self.selected_id()
        return self.rows.get(key) if key else None

    @on(DataTable.RowSelected, "#library")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    @on(DataTable.HeaderSelected, "#library")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self._fill()
        self._status()

    # --- actions ---------------------------------------------------------------------------------------

    def _with_lesson(self, action: str) -> None:
        """Run ``action`` on the selected lesson now, or as soon as it has loaded."""
        row = self.selected()
        if row is None:
            self.notify("No lesson selected yet.", severity="warning")
            return
        if row.lesson is None:
            self._pending = (action, row.info.id)
            self.notify(f"Preparing “{row.info.title}” …", timeout=3)
            return
        self._run(action, row)

    def _run(self, action: str, row: LessonRow) -> None:
        lesson = row.lesson
        assert lesson is not None
        if action == "open":
            from tui.reader_screen import ReaderScreen

            start = row.progress.last_sentence if row.progress is not None and not row.progress.completed else 0
            self.app.push_screen(ReaderScreen(lesson, start=start))
        elif action == "vocabulary":
            self.lapp.open_vocabulary(lesson)
        elif action == "exercises":
            self.lapp.open_exercises(lesson)
        elif action == "export":
            self.lapp.open_export(lesson)

    def action_open(self) -> None:
        self._with_lesson("open")

    def action_vocabulary(self) -> None:
        self._with_lesson("vocabulary")

    def action_exercises(self) -> None:
        self._with_lesson("exercises")

    def action_export(self) -> None:
        self._with_lesson("export")

    def action_import(self) -> None:
        self.lapp.action_import()

    def action_sort(self) -> None:
        keys = [c for c, _, _ in COLUMNS]
        position = keys.index(self.sort_column) + 1 if self.sort_column in keys else 0
        self.sort_column = keys[position % len(keys)]
        self.sort_reverse = False
        self._fill()
        self._status()

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._fill()
        self._status()

    def action_reload(self) -> None:
        self.load_lessons()
