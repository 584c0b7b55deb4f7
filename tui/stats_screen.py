"""Statistics: known words over time, reviews per day and accuracy by exercise kind, as terminal charts.

The charts are ``lessons.stats.render_stats`` output, shown as it is (plain text, no markup), drawn for the
screen's size and drawn again when the terminal is resized.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static

from lessons.errors import UserError

if TYPE_CHECKING:
    from tui.app import LesestoffApp


class Rendered(Message):
    def __init__(self, text: str, size: tuple[int, int], error: str | None = None) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.error = error


class StatsScreen(Screen[None]):
    """The learner's statistics, for the terminal's size."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "refresh", "Refresh", tooltip="Draw the statistics again from your latest answers"),
    ]

    def __init__(self) -> None:
        super().__init__(id="stats-screen")
        self.text = ""
        """The charts as drawn (plain text)."""
        self.drawn_for: tuple[int, int] | None = None
        self._resize_timer: Timer | None = None

    @property
    def lapp(self) -> LesestoffApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static(Text("Drawing your statistics …"), id="stats-chart")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Statistics"
        self.call_after_refresh(self.action_refresh)

    def chart_size(self) -> tuple[int, int]:
        """Columns and lines the charts may use (the body without its padding)."""
        body = self.query_one("#stats-body", VerticalScroll)
        region = body.content_region
        return max(20, region.width), max(6, region.height)

    def on_resize(self) -> None:
        if self._resize_timer is not None:
            self._resize_timer.stop()
        self._resize_timer = self.set_timer(0.15, self._resized)

    def _resized(self) -> None:
        if self.chart_size() != self.drawn_for:
            self.action_refresh()

    def action_refresh(self) -> None:
        self.draw(*self.chart_size())

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def draw(self, width: int, height: int) -> None:
        from lessons.stats import render_stats

        try:
            text = render_stats(self.lapp.session.store(), width, height)
        except UserError as exc:
            self.post_message(Rendered("", (width, height), exc.message))
            return
        except Exception as exc:
            self.post_message(Rendered("", (width, height), f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(Rendered(text, (width, height)))

    @on(Rendered)
    def _rendered(self, message: Rendered) -> None:
        chart = self.query_one("#stats-chart", Static)
        if message.error is not None:
            chart.update(Text(f"The statistics cannot be read: {message.error}"))
            self.notify(message.error, title="Statistics", severity="error")
            return
        self.text = message.text
        self.drawn_for = message.size
        chart.update(Text(message.text, no_wrap=True, overflow="crop"))

    def action_back(self) -> None:
        self.app.pop_screen()
