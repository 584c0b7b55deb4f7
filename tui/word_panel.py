"""The reader's side panel: everything about the word under the cursor, as literal text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from lessons.model import Correction, Pos, Token

if TYPE_CHECKING:
    from lessons.meanings import WordInfo
    from lessons.online import Translation

STATUS_LABELS = {
    "new": "new",
    "learning1": "learning (1)",
    "learning2": "learning (2)",
    "learning3": "learning (3)",
    "learning4": "learning (4)",
    "known": "known",
    "ignored": "ignored",
}

POS_LABELS = {
    "NOUN": "noun",
    "VERB": "verb",
    "ADJ": "adjective",
    "ADV": "adverb",
    "PROPN": "name",
    "NUM": "number",
    "OTHER": "function word",
    "PUNCT": "punctuation",
}


@dataclass
class WordDetails:
    """What the panel shows for one cursor position (built in a worker)."""

    sentence: int
    token_index: int
    token: Token
    info: WordInfo | None = None
    status: str = "new"
    occurrences: list[int] = field(default_factory=list)
    """Sentence indices where the lemma occurs (all of them, this one included)."""
    correction: Correction | None = None
    separable_form: str | None = None
    in_anki: bool = False
    online: list[Translation] | None = None
    online_error: str | None = None
    error: str | None = None

    @property
    def key(self) -> tuple[int, int]:
        return (self.sentence, self.token_index)


def _line(text: Text, label: str, value: str, style: str = "") -> None:
    text.append(f"{label}: ", style="bold")
    text.append(value, style=style)
    text.append("\n")


def describe(details: WordDetails, *, pending: bool = False) -> Text:
    """The panel's text. Every value is appended as plain text: nothing from the lesson is markup."""
    token = details.token
    info = details.info
    out = Text()
    display = info.display if info is not None else token.lemma
    out.append(display, style="bold underline")
    out.append("\n")
    if token.text != token.lemma:
        out.append("in the text: ", style="dim")
        out.append(details.separable_form or token.text, style="italic")
        out.append("\n")
    elif details.separable_form:
        out.append("in the text: ", style="dim")
        out.append(details.separable_form, style="italic")
        out.append("\n")
    kind = POS_LABELS.get(str(token.pos), str(token.pos).lower())
    if token.separable:
        kind = "separable verb"
    out.append(kind, style="dim")
    if token.cefr:
        out.append(f" · CEFR {token.cefr}", style="dim")
    out.append("\n")
    if info is not None:
        if info.article and info.pos == Pos.NOUN:
            _line(out, "article", info.article)
        if info.plural:
            _line(out, "plural", f"die {info.plural}" if info.article else info.plural)
    out.append("\n")
    if details.error:
        out.append(details.error, style="italic")
        out.append("\n")
    elif pending:
        out.append("looking up … (the dictionary loads on first use)", style="italic dim")
        out.append("\n")
    elif info is not None:
        if info.meanings:
            from lessons.vocab import short_meaning

            best = info.meanings[0]
            shown = best.english if best.source == "curated" else short_meaning(best.english, 3, 80)
            out.append("meaning here: ", style="bold")
            out.append(shown)
            out.append(f"  [{best.source}]", style="dim")
            out.append("\n")
            if best.note:
                out.append(best.note, style="italic dim")
                out.append("\n")
            others = [short_meaning(m.english) for m in info.meanings[1:4]]
            others = [o for o in dict.fromkeys(others) if o.casefold() not in shown.casefold()]
            if others:
                out.append("also: ", style="bold")
                out.append("; ".join(others))
                out.append(f"  [{info.meanings[1].source}]", style="dim")
                out.append("\n")
        elif token.pos in (Pos.PROPN, Pos.NUM, Pos.PUNCT):
            out.append("(a name or number: nothing to look up)", style="dim")
            out.append("\n")
        else:
            out.append("no meaning found offline", style="italic")
            out.append("\n")
        if info.parts:
            out.append("parts: ", style="bold")
            out.append(" + ".join(f"{p.lemma} ({p.english})" if p.english else p.lemma for p in info.parts))
            out.append("\n")
    if details.online is not None:
        if details.online:
            out.append("online: ", style="bold")
            out.append("; ".join(t.text for t in details.online[:4]))
            out.append(f"  [{details.online[0].source}]", style="dim")
        else:
            out.append("online: no result", style="italic")
        out.append("\n")
    elif details.online_error:
        out.append("online: ", style="bold")
        out.append(details.online_error, style="italic")
        out.append("\n")
    if details.correction is not None:
        c = details.correction
        out.append("\n")
        out.append("corrected: ", style="bold")
        out.append(c.original)
        out.append(" → ")
        out.append(c.corrected)
        out.append(f"  [{c.kind} fix, {c.source}]", style="dim")
        out.append("\n")
        if c.note:
            out.append(c.note, style="italic dim")
            out.append("\n")
    out.append("\n")
    _line(out, "status", STATUS_LABELS.get(details.status, details.status))
    if details.in_anki:
        out.append("on the Anki list\n", style="dim")
    others = [i for i in details.occurrences if i != details.sentence]
    if others:
        shown = ", ".join(str(i + 1) for i in others[:8])
        more = f" (+{len(others) - 8} more)" if len(others) > 8 else ""
        _line(out, "also in sentences", shown + more)
    elif details.occurrences:
        out.append("only in this sentence\n", style="dim")
    return out


class WordPanel(VerticalScroll):
    """Scrollable side panel; ``show`` replaces its text."""

    DEFAULT_CSS = """
    WordPanel {
        height: 1fr;
    }
    WordPanel > Static {
        width: 1fr;
    }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Text("Move the cursor onto a word.", style="dim"), id="word-text")

    plain = ""
    """The panel's text without styles (tests, screen readers)."""

    def show(self, text: Text) -> None:
        self.plain = text.plain
        self.query_one("#word-text", Static).update(text)
        self.scroll_home(animate=False)
