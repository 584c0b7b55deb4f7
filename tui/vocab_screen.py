"""A lesson's vocabulary list (``lessons.vocab``): level filter, sorting, marking, export."""

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
from textual.widgets import DataTable, Footer, Header, Label, Select, Static

from lessons.errors import UserError
from lessons.model import CEFR_LEVELS, Lesson
from tui.dialogs import LEVEL_OPTIONS

if TYPE_CHECKING:
    from lessons.vocab import VocabEntry
    from tui.app import LesestoffApp


class VocabBuilt(Message):
    def __init__(self, entries: list[VocabEntry], statuses: dict[str, str]) -> None:
        super().__init__()
        self.entries = entries
        self.statuses = statuses


class VocabFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class VocabSaved(Message):
    def __init__(self, text: str, severity: str = "information") -> None:
        super().__init__()
        self.text = text
        self.severity = severity


def _level(entry: VocabEntry) -> int:
    return CEFR_LEVELS.index(entry.cefr) if entry.cefr in CEFR_LEVELS else -1


SORTS: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
    ("appearance", "order in the text", lambda e: e.sentence),
    ("difficulty", "hardest first", lambda e: (e.zipf, e.sentence)),
    ("alphabet", "A–Z", lambda e: (e.lemma.casefold(), e.pos)),
    ("count", "most frequent first", lambda e: (-e.count, e.sentence)),
)
COLUMN_SORT = {"word": "alphabet", "level": "difficulty", "n": "count", "first": "appearance"}


class VocabularyScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f", "cycle_level", "Level filter"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("h", "toggle_hide", "Hide known"),
        Binding("w", "mark_known", "Known"),
        Binding("a", "add_anki", "Anki list"),
        Binding("e", "export", "Export deck"),
        Binding("t", "export_tsv", "Export TSV"),
    ]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__(id="vocab-screen")
        self.lesson = lesson
        self.entries: list[VocabEntry] = []
        self.statuses: dict[str, str] = {}
        self.level = "all"
        self.sort = "appearance"
        self.hide_known = False
        self.loaded = False

    @property
    def lapp(self) -> LesestoffApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="vocab-bar"):
            yield Label("Level:", classes="label")
            yield Select(LEVEL_OPTIONS, value="all", allow_blank=False, id="vocab-level", compact=True)
            yield Static("", id="vocab-status")
        yield DataTable(id="vocab", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Vocabulary · {self.lesson.title}"
        table = self.query_one("#vocab", DataTable)
        table.focus()
        self.query_one("#vocab-status", Static).update(Text("Building the list (meanings from the dictionary) …"))
        self.build()

    @work(thread=True, exclusive=True, exit_on_error=False, group="vocab")
    def build(self) -> None:
        from lessons.vocab import build_vocabulary

        session = self.lapp.session
        try:
            entries = build_vocabulary(self.lesson, session.meanings())
            statuses = {k: str(v) for k, v in session.statuses(e.lemma for e in entries).items()}
        except UserError as exc:
            self.post_message(VocabFailed(exc.message))
            return
        except Exception as exc:
            self.post_message(VocabFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(VocabBuilt(entries, statuses))

    @on(VocabBuilt)
    def _built(self, message: VocabBuilt) -> None:
        self.entries = message.entries
        self.statuses = message.statuses
        self.loaded = True
        self._fill()

    @on(VocabFailed)
    def _failed(self, message: VocabFailed) -> None:
        self.query_one("#vocab-status", Static).update(Text("Could not build the list."))
        self.notify(message.error, title="Vocabulary", severity="error")

    def shown(self) -> list[VocabEntry]:
        floor = CEFR_LEVELS.index(self.level) if self.level in CEFR_LEVELS else -1
        entries = [e for e in self.entries if _level(e) >= floor]
        if self.hide_known:
            entries = [e for e in entries if self.statuses.get(e.lemma, "new") not in ("known", "ignored")]
        key = next(k for name, _, k in SORTS if name == self.sort)
        return sorted(entries, key=key)

    def _fill(self) -> None:
        table = self.query_one("#vocab", DataTable)
        keep = self._selected_key()
        table.clear(columns=True)
        narrow = self.size.width < 100
        word_width, plural_width = (20, 12) if narrow else (24, 18)
        meaning_width = max(14, self.size.width - word_width - plural_width - 5 - 3 - 8 - 2 * 6 - 3)
        table.add_column("Word", key="word", width=word_width)
        table.add_column("Plural", key="plural", width=plural_width)
        table.add_column("Level", key="level", width=5)
        table.add_column("n", key="n", width=3)
        table.add_column("Meaning", key="meaning", width=meaning_width)
        table.add_column("Status", key="status", width=8)
        shown = self.shown()
        for entry in shown:
            meaning = Text(entry.meaning or "–", overflow="ellipsis", no_wrap=True)
            if entry.meaning_source and entry.meaning_source != "curated":
                meaning.append(f" [{entry.meaning_source}]", style="dim")
            status = self.statuses.get(entry.lemma, "new")
            table.add_row(
                Text(entry.display, overflow="ellipsis", no_wrap=True),
                Text("(nur Plural)" if entry.plural_only else entry.plural or "", overflow="ellipsis", no_wrap=True),
                Text(entry.cefr or ""),
                Text(str(entry.count), justify="right"),
                meaning,
                Text("learning" if status.startswith("learning") else status),
                key=f"{entry.lemma}\t{entry.pos}",
            )
        if keep is not None:
            with contextlib.suppress(Exception):
                table.move_cursor(row=table.get_row_index(keep))
        level = "all levels" if self.level == "all" else f"{self.level} and up"
        sort = next(label for name, label, _ in SORTS if name == self.sort)
        hidden = " · known words hidden" if self.hide_known else ""
        self.query_one("#vocab-status", Static).update(
            Text(f"{len(shown)} of {len(self.entries)} words · {level} · {sort}{hidden}")
        )

    def _selected_key(self) -> str | None:
        table = self.query_one("#vocab", DataTable)
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:
            return None
        return str(key.value) if key.value is not None else None

    def selected(self) -> VocabEntry | None:
        key = self._selected_key()
        if key is None:
            return None
        lemma, _, pos = key.partition("\t")
        return next((e for e in self.entries if e.lemma == lemma and e.pos == pos), None)

    def on_resize(self) -> None:
        if self.loaded:
            self._fill()

    # --- filter and sort -------------------------------------------------------------------------------

    @on(Select.Changed, "#vocab-level")
    def _level_changed(self, event: Select.Changed) -> None:
        value = str(event.value)
        if value != self.level:
            self.level = value
            if self.loaded:
                self._fill()

    def action_cycle_level(self) -> None:
        values = [v for _, v in LEVEL_OPTIONS]
        self.level = values[(values.index(self.level) + 1) % len(values)]
        self.query_one("#vocab-level", Select).value = self.level
        self._fill()

    def action_cycle_sort(self) -> None:
        names = [n for n, _, _ in SORTS]
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self._fill()

    @on(DataTable.HeaderSelected, "#vocab")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        sort = COLUMN_SORT.get(str(event.column_key.value))
        if sort is not None:
            self.sort = sort
            self._fill()

    def action_toggle_hide(self) -> None:
        self.hide_known = not self.hide_known
        self._fill()

    # --- marking ---------------------------------------------------------------------------------------

    def action_mark_known(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        self.statuses[entry.lemma] = "known"
        self._fill()
        self.store_known(entry.lemma)

    @work(thread=True, exit_on_error=False, group="store")
    def store_known(self, lemma: str) -> None:
        from lessons.store import WordStatus

        try:
            self.lapp.session.store().set_status(lemma, WordStatus.KNOWN)
        except (UserError, ValueError) as exc:
            self.post_message(VocabSaved(f"Could not save: {exc}", "error"))
            return
        self.post_message(VocabSaved(f"{lemma}: known"))

    def action_add_anki(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.store_anki(entry.lemma, entry.example)

    @work(thread=True, exit_on_error=False, group="store")
    def store_anki(self, lemma: str, context: str) -> None:
        try:
            self.lapp.session.store().add_to_anki(lemma, lesson_id=self.lesson.id, context=context)
        except (UserError, ValueError) as exc:
            self.post_message(VocabSaved(f"Could not add {lemma}: {exc}", "error"))
            return
        self.post_message(VocabSaved(f"{lemma} is on the Anki list"))

    @on(VocabSaved)
    def _saved(self, message: VocabSaved) -> None:
        self.notify(message.text, severity=message.severity, timeout=2)  # type: ignore[arg-type]

    # --- export ----------------------------------------------------------------------------------------

    def _export(self, fmt: str) -> None:
        if not self.loaded:
            self.notify("The list is still being built.", severity="warning")
            return
        from tui.dialogs import ExportDialog

        self.app.push_screen(ExportDialog(self.lesson, self.shown(), fmt=fmt))

    def action_export(self) -> None:
        self._export("apkg")

    def action_export_tsv(self) -> None:
        self._export("tsv")

    def action_back(self) -> None:
        self.app.pop_screen()
