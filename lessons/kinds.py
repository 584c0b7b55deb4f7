"""Stage 3: is the text an article or a transcript? A transcript's line fragments become whole sentences.

A transcript (speech recognition, subtitles) arrives as many short lines that break sentences anywhere; an
article has paragraphs whose lines end sentences. We look at the kept lines of the longest paragraph run:

* fragment share: lines that end without sentence punctuation and are continued by the next line;
* line length: transcripts have short lines (median under 90 characters);
* dialogue cues: questions answered by the next line, greetings, "Herr/Frau X" addresses.

``transcript`` when there are at least 8 lines, the median line is short and either a quarter of the lines
are fragments or dialogue cues are frequent.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence

from lessons.model import Kind

_END = re.compile(r"[.!?…:\"“”»)]$")
_DIALOGUE = re.compile(
    r"\b(guten (tag|morgen|abend)|herzlich willkommen|vielen dank|danke (für|schön)|herr [A-ZÄÖÜ]|frau [A-ZÄÖÜ]|"
    r"schönen guten)\b",
    re.I,
)
MIN_LINES = 8
MAX_MEDIAN_LINE = 90
MIN_FRAGMENT_SHARE = 0.25


def detect_kind(paragraphs: Sequence[Sequence[str]]) -> Kind:
    lines = [line for paragraph in paragraphs for line in paragraph]
    if len(lines) < MIN_LINES:
        return Kind.ARTICLE
    median = statistics.median(len(line) for line in lines)
    if median > MAX_MEDIAN_LINE:
        return Kind.ARTICLE
    fragment_lines = [line for line in lines if not _END.search(line)]
    fragments = len(fragment_lines)
    if fragment_lines and _hard_wrapped(lines, fragment_lines):
        return Kind.ARTICLE
    cues = sum(1 for line in lines if _DIALOGUE.search(line)) + sum(
        1 for a, b in itertools.pairwise(lines) if a.endswith("?") and not b.endswith("?")
    )
    if fragments / len(lines) >= MIN_FRAGMENT_SHARE or cues / len(lines) >= 0.1:
        return Kind.TRANSCRIPT
    return Kind.ARTICLE


WRAP_SLACK = 15
HARD_WRAP_SHARE = 0.6


def _hard_wrapped(lines: Sequence[str], fragments: Sequence[str]) -> bool:
    """Prose wrapped at a fixed width (e-mail, fortunes, plain-text books): its broken lines end near the wrap
    column, while a transcript breaks anywhere. True when most fragments are within ``WRAP_SLACK``
    characters of the 95th-percentile line length."""
    longest = sorted(len(line) for line in lines)[int(len(lines) * 0.95)]
    near = sum(1 for line in fragments if len(line) >= longest - WRAP_SLACK)
    return near / len(fragments) >= HARD_WRAP_SHARE


def _join_lines(lines: Sequence[str]) -> str:
    """Lines of a paragraph as running text; a word hyphenated at a line end is put back together
    ("Universi-" + "tätsplatz"), while "Denk-" + "und" keeps its hyphen."""
    text = ""
    for line in lines:
        if (
            text.endswith("-")
            and len(text) > 1
            and text[-2].isalpha()
            and line[:1].islower()
            and not line.startswith(("und ", "oder ", "bzw", "sowie "))
        ):
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text


def transcript_paragraphs(paragraphs: Sequence[Sequence[str]]) -> list[str]:
    """Re-join a transcript's fragments into running text, one block per blank-line paragraph."""
    return [_join_lines(paragraph) for paragraph in paragraphs if paragraph]


def article_paragraphs(paragraphs: Sequence[Sequence[str]]) -> list[str]:
    """An article's paragraph lines are joined; a line break inside a paragraph is a space."""
    return [_join_lines(paragraph) for paragraph in paragraphs if paragraph]
