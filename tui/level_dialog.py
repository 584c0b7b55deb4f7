"""The learner's level: pick it (A1–C2) or find it with the short placement check (``lessons.tutor``).

Offered at the first start (no level in the store) and from the palette ("My level"). The placement check asks
about 30 words, easiest band first: "do you know it?" (y/n) for most, and for one word per band the learner picks
its meaning out of four (0: don't know), which keeps the yes answers honest. ``score_placement`` turns the answers
into a level, saved with ``set_level`` and the reason.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from lessons.errors import UserError
from lessons.model import CEFR_LEVELS

if TYPE_CHECKING:
    from lessons.tutor import PlacementAnswer, PlacementItem, PlacementResult
    from tui.app import LesestoffApp

LEVEL_NAMES = {
    "A1": "beginner: everyday words, short simple sentences",
    "A2": "elementary: familiar topics, simple texts",
    "B1": "intermediate: the gist of clear texts on familiar matters",
    "B2": "upper intermediate: most news articles with some effort",
    "C1": "advanced: long, demanding texts",
    "C2": "proficient: practically everything",
}

MIN_ITEMS = 6
"""Fewer placement words than this means the offline dictionary is missing."""


class ItemsReady(Message):
    def __init__(self, items: list[PlacementItem]) -> None:
        super().__init__()
        self.items = items


class ItemsFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class LevelDialog(ModalScreen[str | None]):
    """Pick a level or take the placement check; dismisses with the saved level (None: not now)."""

    BINDINGS = [
        Binding("escape", "later", "Not now"),
        *[Binding(str(n), f"level({n})", CEFR_LEVELS[n - 1], show=False) for n in range(1, 7)],
        Binding("p", "place", "Placement check"),
        Binding("y", "known(True)", "Yes, I know it"),
        Binding("n", "known(False)", "No"),
        *[Binding(str(n), f"pick({n})", f"Meaning {n}", show=False) for n in range(0, 5)],
        Binding("enter", "save", "Save", show=False),
    ]

    def __init__(self, *, first: bool = False) -> None:
        """``first``: offered at the first start (the text says why)."""
        super().__init__(id="level-screen")
        self.first = first
        self.phase = "choose"  # choose | loading | asking | result
        self.items: list[PlacementItem] = []
        self.answers: list[PlacementAnswer] = []
        self.result: PlacementResult | None = None
        self.current: str | None = None
        """The level stored when the dialog opened."""

    @property
    def lapp(self) -> LesestoffApp:
        return self.app  # type: ignore[return-value]

    @property
    def item(self) -> PlacementItem | None:
        position = len(self.answers)
        return self.items[position] if self.phase == "asking" and position < len(self.items) else None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="level-dialog", classes="dialog"):
            yield Label("Your German level", id="level-title", classes="dialog-title")
            yield Static("", id="level-text")
            yield OptionList(id="level-options")
            yield Static("", id="level-hint", classes="hint")

    def on_mount(self) -> None:
        try:
            self.current = self.lapp.session.learner_level()
        except Exception:
            self.current = None
        self._choose()

    # --- choose ----------------------------------------------------------------------------------------

    def _options(self, options: list[Option], hint: str) -> None:
        box = self.query_one("#level-options", OptionList)
        box.clear_options()
        box.add_options(options)
        box.display = bool(options)
        if options:
            box.highlighted = 0
            box.focus()
        self.query_one("#level-hint", Static).update(Text(hint))
        self.refresh_bindings()

    def _choose(self, note: str = "") -> None:
        self.phase = "choose"
        self.query_one("#level-title", Label).update("Your German level")
        text = Text()
        if self.first:
            text.append("Welcome! ", style="bold")
        text.append(
            "Lesestoff picks lessons and exercises for your level. Pick it, or take a short check "
            "(about 30 words, two or three minutes)."
        )
        if self.current:
            text.append(f" Your level now: {self.current}.")
        if note:
            text.append("\n")
            text.append(note, style="bold")
        self.query_one("#level-text", Static).update(text)
        options = [
            Option(Text.assemble((f"{n}  {level}", "bold"), f"  {LEVEL_NAMES[level]}"), id=f"level:{level}")
            for n, level in enumerate(CEFR_LEVELS, start=1)
        ]
        options.append(Option(Text.assemble(("p  ", "bold"), "Take the placement check"), id="place"))
        later = f"  Keep {self.current}" if self.current else "  Not now (exercises use B1)"
        options.append(Option(Text.assemble(("Esc", "bold"), later), id="later"))
        self._options(options, "Change it any time in Settings (p on the library) or with “My level” (Ctrl+P).")
        if self.current in CEFR_LEVELS:
            self.query_one("#level-options", OptionList).highlighted = CEFR_LEVELS.index(self.current)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("level", "place"):
            return self.phase == "choose"
        item = self.item
        if action == "known":
            return item is not None and not item.checked
        if action == "pick":
            if item is None or not item.checked:
                return False
            number = int(parameters[0]) if parameters else 0  # type: ignore[call-overload]
            return number <= len(item.choices)
        if action == "save":
            return self.phase == "result"
        return True

    def action_level(self, number: int) -> None:
        self._save(CEFR_LEVELS[number - 1], "chosen by the learner")

    def action_later(self) -> None:
        if self.phase == "result":
            self.answers = []
            self._choose()
            return
        if self.phase in ("asking", "loading"):
            self.answers = []
            self._choose("The placement check was stopped; nothing was saved.")
            return
        self.dismiss(None)

    # --- placement -------------------------------------------------------------------------------------

    def action_place(self) -> None:
        self.phase = "loading"
        self.query_one("#level-title", Label).update("Placement check")
        self.query_one("#level-text", Static).update(
            Text("Choosing the words … (the first time this loads the dictionary)")
        )
        self._options([], "Esc: back")
        self.make_items()

    @work(thread=True, exclusive=True, exit_on_error=False, group="placement")
    def make_items(self) -> None:
        from lessons.tutor import placement_items

        seed = self.lapp.exercise_seed  # fixed in tests
        try:
            items = placement_items(random.randrange(1_000_000) if seed is None else seed, self.lapp.session.meanings())
        except UserError as exc:
            self.post_message(ItemsFailed(exc.message))
            return
        except Exception as exc:
            self.post_message(ItemsFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(ItemsReady(items))

    @on(ItemsFailed)
    def _items_failed(self, message: ItemsFailed) -> None:
        if self.phase == "loading":
            self._choose(f"The placement check is not available: {message.error}")

    @on(ItemsReady)
    def _items_ready(self, message: ItemsReady) -> None:
        if self.phase != "loading":
            return
        if len(message.items) < MIN_ITEMS:
            self._choose("The placement check needs the offline dictionary (see 'lesestoff dict status').")
            return
        self.items = message.items
        self.answers = []
        self.phase = "asking"
        self._ask()

    def _ask(self) -> None:
        item = self.item
        if item is None:
            self._score()
            return
        number, total = len(self.answers) + 1, len(self.items)
        self.query_one("#level-title", Label).update(f"Placement check · word {number} of {total}")
        text = Text()
        if item.checked:
            text.append("What does ")
            text.append(item.display, style="bold")
            text.append(" mean?")
            options = [
                Option(Text.assemble((f"{n}  ", "bold"), choice), id=f"pick:{n}")
                for n, choice in enumerate(item.choices, start=1)
            ]
            options.append(Option(Text.assemble(("0  ", "bold"), "I don't know"), id="pick:0"))
            hint = f"Press 1–{len(item.choices)}, or 0 if you don't know (guessing counts against you)."
        else:
            text.append("Do you know ")
            text.append(item.display, style="bold")
            text.append("?")
            options = [
                Option(Text.assemble(("y  ", "bold"), "Yes, I know it"), id="known:yes"),
                Option(Text.assemble(("n  ", "bold"), "No"), id="known:no"),
            ]
            hint = "Answer honestly: some words are checked, and claiming words you don't know counts against you."
        self.query_one("#level-text", Static).update(text)
        self._options(options, hint + "  Esc: stop")

    def action_known(self, known: bool) -> None:
        from lessons.tutor import PlacementAnswer

        item = self.item
        if item is None or item.checked:
            return
        self.answers.append(PlacementAnswer.yes_no(item, known))
        self._ask()

    def action_pick(self, number: int) -> None:
        from lessons.tutor import PlacementAnswer

        item = self.item
        if item is None or not item.checked or number > len(item.choices):
            return
        self.answers.append(PlacementAnswer.pick(item, number - 1 if number else None))
        self._ask()

    def _score(self) -> None:
        from lessons.tutor import score_placement

        self.result = score_placement(self.answers)
        self.phase = "result"
        self.query_one("#level-title", Label).update("Placement check · result")
        self.query_one("#level-text", Static).update(Text("\n".join(self.result.lines())))
        level = self.result.level
        self._options(
            [
                Option(Text.assemble(("Enter", "bold"), f"  Save: my level is {level}"), id="save"),
                Option(Text.assemble(("Esc", "bold"), "  Back: pick a level myself"), id="back"),
            ],
            f"{level}: {LEVEL_NAMES[level]}.",
        )

    def action_save(self) -> None:
        result = self.result
        if result is None:
            return
        plain = [a for a in self.answers if not a.item.checked]
        reason = (
            f"placement check: {sum(a.known for a in plain)} of {len(plain)} words known, "
            f"meaning checks {result.checked_right}/{result.checked_total}"
        )
        self._save(result.level, reason)

    # --- saving ----------------------------------------------------------------------------------------

    def _save(self, level: str, reason: str) -> None:
        from lessons.tutor import set_level

        try:
            set_level(self.lapp.session.store(), level, reason, at=datetime.now(UTC))
        except (UserError, ValueError) as exc:
            self.notify(f"Could not save your level: {exc}", severity="error")
            return
        self.notify(f"Your level: {level}. Change it any time in Settings.", title="Level", timeout=4)
        self.dismiss(level)

    @on(OptionList.OptionSelected, "#level-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id or ""
        kind, _, value = key.partition(":")
        if kind == "level":
            self._save(value, "chosen by the learner")
        elif kind == "place":
            self.action_place()
        elif kind == "later":
            self.dismiss(None)
        elif kind == "known":
            self.action_known(value == "yes")
        elif kind == "pick":
            self.action_pick(int(value))
        elif kind == "save":
            self.action_save()
        elif kind == "back":
            self.answers = []
            self._choose()
