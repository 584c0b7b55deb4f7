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
    fragments = sum(1 for line in lines if not _END.search(line))
    cues = sum(1 for line in lines if _DIALOGUE.search(line)) + sum(
        1 for a, b in itertools.pairwise(lines) if a.endswith("?") and not b.endswith("?")
    )
    if fragments / len(lines) >= MIN_FRAGMENT_SHARE or cues / len(lines) >= 0.1:
        return Kind.TRANSCRIPT
    return Kind.ARTICLE


def transcript_paragraphs(paragraphs: Sequence[Sequence[str]]) -> list[str]:
    """Re-join a transcript's fragments into running text, one block per blank-line paragraph."""
    return [" ".join(paragraph) for paragraph in paragraphs if paragraph]


def article_paragraphs(paragraphs: Sequence[Sequence[str]]) -> list[str]:
    """An article's paragraph lines are joined; each line break inside a paragraph is a space."""
    return [" ".join(paragraph) for paragraph in paragraphs if paragraph]
