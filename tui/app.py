"""The Lesestoff TUI (Textual)."""

from __future__ import annotations

from textual import on, work
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from lessons.model import Lesson
from lessons.paths import Paths


class LessonsLoaded(Message):
    def __init__(self, lessons: list[Lesson]) -> None:
        super().__init__()
        self.lessons = lessons


class LoadFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class LesestoffApp(App[None]):
    """Library of lessons (more screens arrive with the TUI issue)."""

    TITLE = "Lesestoff"
    SUB_TITLE = "German reading tutor"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, paths: Paths, *, online: bool = False) -> None:
        super().__init__()
        self.paths = paths
        self.online = online

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading lessons…", id="status")
        yield DataTable(id="library", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#library", DataTable)
        table.add_columns("#", "Title", "Kind", "Date", "CEFR", "Words")
        self.load_lessons()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load_lessons(self) -> None:
        from lessons.errors import UserError
        from lessons.services import open_library

        try:
            lessons = open_library(self.paths).lessons()
        except UserError as exc:
            self.post_message(LoadFailed(exc.message))
            return
        self.post_message(LessonsLoaded(lessons))

    @on(LessonsLoaded)
    def show_lessons(self, message: LessonsLoaded) -> None:
        from rich.text import Text

        table = self.query_one("#library", DataTable)
        table.clear()
        for number, lesson in enumerate(message.lessons, start=1):
            table.add_row(
                str(number),
                Text(lesson.title),
                str(lesson.kind),
                lesson.date or "",
                lesson.cefr,
                str(lesson.words),
                key=lesson.id,
            )
        self.query_one("#status", Static).update(f"{len(message.lessons)} lessons")

    @on(LoadFailed)
    def show_error(self, message: LoadFailed) -> None:
        self.query_one("#status", Static).update("Could not load the library.")
        self.notify(message.error, severity="error")
