"""The reader's text: a virtual list of sentences drawn with the Line API.

Only the sentences on screen are laid out and styled, so a lesson of any length opens at once. The view keeps
a word cursor (sentence, token); the sentence under it is highlighted. Translations (shown under each sentence
when toggled on) and word statuses arrive from the screen's workers; the view asks for what it lacks with
messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from lessons.model import CEFR_LEVELS, CONTENT_POS, Correction, Lesson, Token
from tui.layout import Piece, corrected_tokens, corrections_by_sentence, sentence_pieces, word_indices, wrap_pieces


@dataclass(frozen=True, slots=True)
class ShownTranslation:
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class _Row:
    """One screen line: a sentence line (pieces), a translation line, or a blank."""

    sentence: int
    kind: str  # "text" | "translation" | "blank"
    pieces: tuple[Piece, ...] = ()
    first: bool = False
    label: str = ""


LABEL = -1
"""Piece.token of the words of a translation's source label."""


def level_of(token: Token) -> int | None:
    return CEFR_LEVELS.index(token.cefr) if token.cefr in CEFR_LEVELS else None


class ReaderView(Widget, can_focus=True):
    """Sentences with a word cursor. Keys move the cursor; the screen adds the rest."""

    BINDINGS = [
        Binding("right,l", "next_word", "Next word", show=False),
        Binding("left,h", "previous_word", "Previous word", show=False),
        Binding("down,j", "next_sentence", "Next sentence", show=False),
        Binding("up,k", "previous_sentence", "Previous sentence", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first", "First sentence", show=False),
        Binding("end", "last", "Last sentence", show=False),
    ]

    HELP = [
        ("←, →, h, l", "Previous / next word (the word panel follows)"),
        ("↑, ↓, k, j", "Previous / next sentence"),
        ("PgUp, PgDn, Space", "Page up / down"),
        ("Home, End", "First / last sentence"),
        ("click", "Put the cursor on a word; the wheel scrolls"),
    ]

    COMPONENT_CLASSES = {
        "reader--current",
        "reader--cursor",
        "reader--number",
        "reader--translation",
        "reader--source",
        "reader--pending",
        "reader--easy",
        "reader--stretch",
        "reader--hard",
        "reader--new",
        "reader--learning",
        "reader--known",
        "reader--ignored",
        "reader--corrected",
    }

    DEFAULT_CSS = """
    ReaderView {
        height: 1fr;
        padding: 0 1;
    }
    """

    class CursorMoved(Message):
        def __init__(self, view: ReaderView, sentence: int, token: int | None) -> None:
            super().__init__()
            self.view = view
            self.sentence = sentence
            self.token = token

        @property
        def control(self) -> ReaderView:
            return self.view

    class TranslationsWanted(Message):
        def __init__(self, view: ReaderView, indices: list[int]) -> None:
            super().__init__()
            self.view = view
            self.indices = indices

        @property
        def control(self) -> ReaderView:
            return self.view

    show_translation: reactive[bool] = reactive(False)
    colour_mode: reactive[str] = reactive("difficulty")  # "difficulty" | "status"

    def __init__(
        self,
        lesson: Lesson,
        *,
        statuses: Callable[[list[str]], dict[str, str]] | None = None,
        learner_level: str | None = None,
        start: int = 0,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.lesson = lesson
        self.status_source = statuses
        self.learner_level = learner_level
        self.statuses: dict[str, str] = {}
        self.translations: dict[int, ShownTranslation | None] = {}
        self._requested: set[int] = set()
        self._corrections = corrections_by_sentence(lesson.corrections)
        self._corrected_cache: dict[int, dict[int, Correction]] = {}
        self._wrap_cache: dict[tuple[int, int], list[list[Piece]]] = {}
        self._rows: list[_Row] | None = None
        self.sentence = 0
        self.token: int | None = None
        self.top = 0
        self._gutter = len(str(len(lesson.sentences))) + 2
        if lesson.sentences:
            self.sentence = max(0, min(start, len(lesson.sentences) - 1))
            self.token = self._first_word(self.sentence)
            self.top = self.sentence

    # --- queries ---------------------------------------------------------------------------------------

    @property
    def current_token(self) -> Token | None:
        if not self.lesson.sentences or self.token is None:
            return None
        return self.lesson.sentences[self.sentence].tokens[self.token]

    def correction_at(self, sentence: int, token: int | None) -> Correction | None:
        if token is None:
            return None
        return self._corrected(sentence).get(token)

    def visible_sentences(self) -> list[int]:
        rows = self._layout()
        return sorted({row.sentence for row in rows})

    def visible_text(self) -> str:
        """What the view shows, as plain text (tests and accessibility)."""
        lines = []
        for row in self._layout():
            if row.kind == "text" or row.kind == "translation":
                lines.append("".join(p.text for p in row.pieces))
            else:
                lines.append("")
        return "\n".join(lines)

    # --- updates from the screen -----------------------------------------------------------------------

    def set_translations(self, found: dict[int, ShownTranslation | None]) -> None:
        self.translations.update(found)
        self._invalidate(layout=True)

    def drop_requests(self, indices: list[int]) -> None:
        """Requests a cancelled worker did not finish: ask again when they are on screen."""
        self._requested.difference_update(indices)
        self._invalidate(layout=True)

    def set_status(self, lemma: str, status: str) -> None:
        self.statuses[lemma] = status
        self._invalidate()

    def jump_to(self, sentence: int, token: int | None = None) -> None:
        if not self.lesson.sentences:
            return
        sentence = max(0, min(sentence, len(self.lesson.sentences) - 1))
        words = word_indices(self.lesson.sentences[sentence])
        if token is None or token not in words:
            token = words[0] if words else None
        self._move(sentence, token)

    # --- cursor actions --------------------------------------------------------------------------------

    def _first_word(self, sentence: int) -> int | None:
        words = word_indices(self.lesson.sentences[sentence])
        return words[0] if words else None

    def _move(self, sentence: int, token: int | None) -> None:
        changed = (sentence, token) != (self.sentence, self.token)
        self.sentence, self.token = sentence, token
        self._scroll_to_cursor()
        self._invalidate(layout=True)
        if changed:
            self.post_message(self.CursorMoved(self, sentence, token))

    def action_next_word(self) -> None:
        if not self.lesson.sentences:
            return
        words = word_indices(self.lesson.sentences[self.sentence])
        later = [i for i in words if self.token is None or i > self.token]
        if later:
            self._move(self.sentence, later[0])
            return
        for index in range(self.sentence + 1, len(self.lesson.sentences)):
            words = word_indices(self.lesson.sentences[index])
            if words:
                self._move(index, words[0])
                return

    def action_previous_word(self) -> None:
        if not self.lesson.sentences:
            return
        words = word_indices(self.lesson.sentences[self.sentence])
        earlier = [i for i in words if self.token is not None and i < self.token]
        if earlier:
            self._move(self.sentence, earlier[-1])
            return
        for index in range(self.sentence - 1, -1, -1):
            words = word_indices(self.lesson.sentences[index])
            if words:
                self._move(index, words[-1])
                return

    def action_next_sentence(self) -> None:
        if self.sentence + 1 < len(self.lesson.sentences):
            self.jump_to(self.sentence + 1)

    def action_previous_sentence(self) -> None:
        if self.sentence > 0:
            self.jump_to(self.sentence - 1)

    def action_page_down(self) -> None:
        last = max(self.visible_sentences() or [self.sentence])
        self.jump_to(max(last, self.sentence + 1))
        self.top = self.sentence
        self._scroll_to_cursor()
        self._invalidate(layout=True)

    def action_page_up(self) -> None:
        height = max(1, self.size.height)
        index, used = self.top, 0
        while index > 0 and used + self._height_of(index - 1) <= height:
            index -= 1
            used += self._height_of(index)
        self.top = index
        self.jump_to(index if index < self.sentence else max(0, self.sentence - 1))

    def action_first(self) -> None:
        self.jump_to(0)

    def action_last(self) -> None:
        self.jump_to(len(self.lesson.sentences) - 1)

    # --- mouse -----------------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        rows = self._layout()
        if not 0 <= offset.y < len(rows):
            return
        row = rows[offset.y]
        if row.kind != "text":
            self.jump_to(row.sentence)
            return
        x = self._gutter
        chosen: int | None = None
        for piece in row.pieces:
            width = cell_len(piece.text)
            if x <= offset.x < x + width and piece.token is not None:
                chosen = piece.token
                break
            x += width
        words = word_indices(self.lesson.sentences[row.sentence])
        if chosen is None or chosen not in words:
            self.jump_to(row.sentence, self.token if row.sentence == self.sentence else None)
        else:
            self._move(row.sentence, chosen)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._scroll_by(1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._scroll_by(-1)

    def _scroll_by(self, step: int) -> None:
        if not self.lesson.sentences:
            return
        self.top = max(0, min(self.top + step, len(self.lesson.sentences) - 1))
        self._invalidate(layout=True)
        visible = self.visible_sentences()
        if visible and self.sentence not in visible:
            target = visible[0] if self.sentence < visible[0] else visible[-1]
            self.sentence, self.token = target, self._first_word(target)
            self._invalidate(layout=True)
            self.post_message(self.CursorMoved(self, self.sentence, self.token))

    # --- layout ----------------------------------------------------------------------------------------

    def watch_show_translation(self) -> None:
        self._scroll_to_cursor()
        self._invalidate(layout=True)

    def watch_colour_mode(self) -> None:
        self._invalidate()

    def on_resize(self, event: events.Resize) -> None:
        self._wrap_cache.clear()
        self._scroll_to_cursor()
        self._invalidate(layout=True)

    def _text_width(self) -> int:
        return max(8, self.size.width - self._gutter)

    def _wrapped(self, index: int) -> list[list[Piece]]:
        key = (index, self._text_width())
        lines = self._wrap_cache.get(key)
        if lines is None:
            if len(self._wrap_cache) > 2000:
                self._wrap_cache.clear()
            lines = wrap_pieces(sentence_pieces(self.lesson.sentences[index]), self._text_width())
            self._wrap_cache[key] = lines
        return lines

    def _sentence_rows(self, index: int) -> list[_Row]:
        sentences = self.lesson.sentences
        rows: list[_Row] = []
        if index > 0 and sentences[index].paragraph != sentences[index - 1].paragraph:
            rows.append(_Row(index, "blank"))
        for number, line in enumerate(self._wrapped(index)):
            rows.append(_Row(index, "text", tuple(line), first=number == 0))
        if self.show_translation:
            width = self._text_width() - 2
            if index not in self.translations:
                rows.append(_Row(index, "translation", (Piece("… translating"),), first=True))
            else:
                shown = self.translations[index]
                if shown is None:
                    rows.append(_Row(index, "translation", (Piece("(no translation available)"),), first=True))
                else:
                    pieces = [Piece(shown.text)]
                    for word in ("—", *shown.source.split()):
                        pieces += [Piece(" "), Piece(word, LABEL)]
                    for number, line in enumerate(wrap_pieces(pieces, width)):
                        rows.append(_Row(index, "translation", tuple(line), first=number == 0, label=shown.source))
        return rows

    def _height_of(self, index: int) -> int:
        return len(self._sentence_rows(index))

    def _scroll_to_cursor(self) -> None:
        if not self.lesson.sentences:
            return
        height = self.size.height
        if height <= 0:
            return
        if self.sentence < self.top:
            self.top = self.sentence
            return
        # Walk back from the cursor (never over the whole lesson): keep ``top`` if the cursor's sentence
        # fits below it, else start at the earliest sentence that lets it fit.
        total = 0
        index = self.sentence
        while index >= self.top:
            total += self._height_of(index)
            if total > height:
                self.top = min(index + 1, self.sentence)
                return
            index -= 1

    def _layout(self) -> list[_Row]:
        if self._rows is not None:
            return self._rows
        rows: list[_Row] = []
        height = max(1, self.size.height)
        index = self.top
        wanted: list[int] = []
        while index < len(self.lesson.sentences) and len(rows) < height:
            sentence_rows = self._sentence_rows(index)
            if index == self.top and sentence_rows and sentence_rows[0].kind == "blank":
                sentence_rows = sentence_rows[1:]
            rows.extend(sentence_rows)
            if self.show_translation and index not in self.translations and index not in self._requested:
                wanted.append(index)
            index += 1
        rows = rows[:height]
        self._rows = rows
        if wanted:
            self._requested.update(wanted)
            self.post_message(self.TranslationsWanted(self, wanted))
        self._fetch_statuses(rows)
        return rows

    def _fetch_statuses(self, rows: list[_Row]) -> None:
        if self.status_source is None:
            return
        missing: set[str] = set()
        for row in rows:
            tokens = self.lesson.sentences[row.sentence].tokens
            for piece in row.pieces:
                if piece.token is not None:
                    lemma = tokens[piece.token].lemma
                    if lemma not in self.statuses:
                        missing.add(lemma)
        if missing:
            try:
                self.statuses.update(self.status_source(sorted(missing)))
            except Exception:  # a damaged store must not stop reading: colour as new
                self.statuses.update(dict.fromkeys(missing, "new"))

    def _invalidate(self, *, layout: bool = False) -> None:
        if layout:
            self._rows = None
        self.refresh()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    # --- drawing ---------------------------------------------------------------------------------------

    def _corrected(self, index: int) -> dict[int, Correction]:
        found = self._corrected_cache.get(index)
        if found is None:
            found = corrected_tokens(self.lesson.sentences[index], self._corrections.get(index, []))
            self._corrected_cache[index] = found
        return found

    def _word_class(self, token: Token) -> str | None:
        if token.pos not in CONTENT_POS or token.function_word:
            return None
        if self.colour_mode == "status":
            status = self.statuses.get(token.lemma, "new")
            if status == "new":
                return "reader--new"
            if status.startswith("learning"):
                return "reader--learning"
            if status == "ignored":
                return "reader--ignored"
            return "reader--known"
        level = level_of(token)
        if level is None:
            return None
        base = CEFR_LEVELS.index(self.learner_level) if self.learner_level in CEFR_LEVELS else None
        if base is None:
            return "reader--easy" if level <= 1 else "reader--stretch" if level <= 3 else "reader--hard"
        step = level - base
        return "reader--easy" if step <= 0 else "reader--stretch" if step == 1 else "reader--hard"

    def _style(self, name: str) -> Style:
        """A component's foreground and text style, to lay over a line. The full style (not the partial one)
        has translucent theme colours ($text-muted, …) blended; its background is left to the line."""
        full = self.get_component_rich_style(name)
        return full.without_color + Style(color=full.color)

    def render_line(self, y: int) -> Strip:
        rows = self._layout()
        width = self.size.width
        base = self.rich_style
        if y >= len(rows):
            return Strip.blank(width, base)
        row = rows[y]
        current = row.sentence == self.sentence and row.kind != "blank"
        # Not partial: the translucent highlight is blended over the background here.
        line_style = base + self.get_component_rich_style("reader--current") if current else base
        segments: list[Segment] = []
        if row.kind == "text":
            number = str(row.sentence + 1) if row.first else ""
            segments.append(Segment(number.rjust(self._gutter - 2) + "  ", line_style + self._style("reader--number")))
            tokens = self.lesson.sentences[row.sentence].tokens
            corrected = self._corrected(row.sentence)
            for piece in row.pieces:
                style = line_style
                if piece.token is not None:
                    name = self._word_class(tokens[piece.token])
                    if name is not None:
                        style = style + self._style(name)
                    if piece.token in corrected:
                        style = style + self._style("reader--corrected")
                    if current and piece.token == self.token:
                        style = style + self._style("reader--cursor")
                segments.append(Segment(piece.text, style))
        elif row.kind == "translation":
            pending = not row.label
            text_style = line_style + self._style("reader--pending" if pending else "reader--translation")
            label_style = line_style + self._style("reader--source")
            segments.append(Segment(" " * self._gutter + ("↳ " if row.first else "  "), line_style))
            for piece in row.pieces:
                segments.append(Segment(piece.text, label_style if piece.token == LABEL else text_style))
        strip = Strip(segments)
        return strip.crop_extend(0, width, line_style)
