"""The start screen: the lessons, with this learner's new words and reading progress."""

from __future__ import annotations

import contextlib
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

from lessons.errors import UserError
from lessons.model import CEFR_LEVELS, Lesson
from tui.session import LessonRow

if TYPE_CHECKING:
    from tui.app import LesestoffApp


class LessonsLoaded(Message):
    def __init__(self, lessons: list[Lesson]) -> None:
        super().__init__()
        self.lessons = lessons


class RowsCounted(Message):
    def __init__(self, rows: list[LessonRow]) -> None:
        super().__init__()
        self.rows = rows


class LoadFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class LoadProgress(Message):
    def __init__(self, stage: str, fraction: float) -> None:
        super().__init__()
        self.stage = stage
        self.fraction = fraction


def _progress_cell(row: LessonRow) -> str:
    if row.progress is None:
        return "–"
    if row.progress.completed:
        return "✓"
    return f"{row.progress.last_sentence + 1}/{len(row.lesson.sentences)}"


def _progress_key(row: LessonRow) -> float:
    if row.progress is None:
        return -1.0
    if row.progress.completed:
        return 2.0
    return (row.progress.last_sentence + 1) / max(1, len(row.lesson.sentences))


# column key, header, sort key
COLUMNS: tuple[tuple[str, str, Callable[[LessonRow], Any]], ...] = (
    ("title", "Title", lambda r: r.lesson.title.casefold()),
    ("kind", "Kind", lambda r: (str(r.lesson.kind), r.lesson.title.casefold())),
    ("date", "Date", lambda r: (r.lesson.date or "0000", r.lesson.title.casefold())),
    ("cefr", "CEFR", lambda r: CEFR_LEVELS.index(r.lesson.cefr) if r.lesson.cefr in CEFR_LEVELS else 9),
    ("words", "Words", lambda r: r.lesson.words),
    ("new", "New", lambda r: -1 if r.new_words is None else r.new_words),
    ("read", "Read", _progress_key),
)
WIDTHS = {"kind": 10, "date": 10, "cefr": 4, "words": 6, "new": 5, "read": 7}
FIXED_WIDTH = sum(WIDTHS.values()) + 2 * len(COLUMNS) + 2


class LibraryScreen(Screen[None]):
    """DataTable of lessons; Enter opens the reader."""

    BINDINGS = [
        Binding("enter", "open", "Read"),
        Binding("v", "vocabulary", "Vocabulary"),
        Binding("x", "exercises", "Exercises"),
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

    @property
    def lapp(self) -> LesestoffApp:
        return self.app  # type: ignore[return-value]

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
        self.call_after_refresh(self.load_lessons)

    # --- loading ---------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="library")
    def load_lessons(self) -> None:
        session = self.lapp.session
        try:
            lessons = session.lessons(lambda stage, fraction: self.post_message(LoadProgress(stage, fraction)))
        except UserError as exc:
            self.post_message(LoadFailed(exc.message))
            return
        except Exception as exc:  # never a crash: say what happened
            self.post_message(LoadFailed(f"could not load the library: {type(exc).__name__}: {exc}"))
            return
        self.post_message(LessonsLoaded(lessons))
        self._count(session, lessons)

    def _count(self, session: Any, lessons: list[Lesson]) -> None:
        try:
            rows = session.rows(lessons)
        except UserError as exc:
            self.post_message(LoadFailed(exc.message))
            return
        except Exception as exc:
            self.post_message(LoadFailed(f"could not read your progress: {type(exc).__name__}: {exc}"))
            return
        self.post_message(RowsCounted(rows))

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-count")
    def count_rows(self) -> None:
        lessons = [row.lesson for row in self.rows.values()]
        self._count(self.lapp.session, lessons)

    @on(LoadProgress)
    def _loading(self, message: LoadProgress) -> None:
        self.query_one("#library-status", Static).update(
            Text(f"Preparing lessons … {message.fraction:.0%} ({message.stage})")
        )

    @on(LessonsLoaded)
    def _lessons_loaded(self, message: LessonsLoaded) -> None:
        previous = self.rows
        self.rows = {
            lesson.id: LessonRow(
                lesson,
                previous[lesson.id].new_words if lesson.id in previous else None,
                previous[lesson.id].progress if lesson.id in previous else None,
            )
            for lesson in message.lessons
        }
        self.order = [lesson.id for lesson in message.lessons]
        self.loaded = True
        self._fill()
        self._status()

    @on(RowsCounted)
    def _rows_counted(self, message: RowsCounted) -> None:
        for row in message.rows:
            if row.lesson.id in self.rows:
                self.rows[row.lesson.id] = row
        self._fill()
        self._status()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
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

    _select_after: str | None = None

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

    def _fill(self) -> None:
        table = self.query_one("#library", DataTable)
        keep = self.selected_id()
        if self._select_after in self.rows:
            keep, self._select_after = self._select_after, None
        table.clear(columns=True)
        width = self._title_width()
        for key, label, _ in COLUMNS:
            arrow = (" ▼" if self.sort_reverse else " ▲") if key == self.sort_column else ""
            table.add_column(Text(label + arrow), key=key, width=WIDTHS.get(key, width))
        for row in self._ordered():
            lesson = row.lesson
            table.add_row(
                Text(lesson.title, overflow="ellipsis", no_wrap=True),
                Text(str(lesson.kind)),
                Text(lesson.date or ""),
                Text(lesson.cefr),
                Text(str(lesson.words), justify="right"),
                Text("…" if row.new_words is None else str(row.new_words), justify="right"),
                Text(_progress_cell(row), justify="right"),
                key=lesson.id,
            )
        if keep is not None and keep in self.rows:
            with contextlib.suppress(Exception):
                table.move_cursor(row=table.get_row_index(keep))

    def _status(self) -> None:
        count = len(self.rows)
        text = f"{count} lesson{'s' if count != 1 else ''}"
        if self.sort_column:
            label = next(h for c, h, _ in COLUMNS if c == self.sort_column)
            text += f" · sorted by {label.lower()}{' (descending)' if self.sort_reverse else ''}"
        text += " · Enter reads the lesson under the cursor"
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

    def _need_row(self) -> LessonRow | None:
        row = self.selected()
        if row is None:
            self.notify("No lesson selected yet.", severity="warning")
        return row

    def action_open(self) -> None:
        row = self._need_row()
        if row is None:
            return
        from tui.reader_screen import ReaderScreen

        start = row.progress.last_sentence if row.progress is not None and not row.progress.completed else 0
        self.app.push_screen(ReaderScreen(row.lesson, start=start))

    def action_vocabulary(self) -> None:
        row = self._need_row()
        if row is not None:
            self.lapp.open_vocabulary(row.lesson)

    def action_exercises(self) -> None:
        row = self._need_row()
        if row is not None:
            self.lapp.open_exercises(row.lesson)

    def action_import(self) -> None:
        self.lapp.action_import()

    def action_export(self) -> None:
        row = self.selected()
        self.lapp.open_export(row.lesson if row is not None else None)

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
