"""Text → Lesson: clean, detect the kind, split sentences, correct, tokenize, grade."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lessons import cleaning, kinds
from lessons.difficulty import lesson_level
from lessons.model import Correction, Kind, Lesson, Sentence
from lessons.sentences import split_sentences
from lessons.tokens import NounOracle, tag_tokens

PIPELINE_VERSION = 1
"""Bump when a stage changes its output: cached lessons of older versions are rebuilt."""

_STAGE_MODULES = ("cleaning", "kinds", "sentences", "tokens", "difficulty", "language", "pipeline", "model")


@functools.cache
def pipeline_fingerprint() -> str:
    """The version plus a hash of the stages' source, so an upgraded install never serves stale lessons."""
    digest = hashlib.sha256(str(PIPELINE_VERSION).encode())
    here = Path(__file__).parent
    for name in _STAGE_MODULES:
        try:
            digest.update((here / f"{name}.py").read_bytes())
        except OSError:
            digest.update(name.encode())
    return f"{PIPELINE_VERSION}-{digest.hexdigest()[:12]}"

_STOP_SLUG = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "und",
        "oder",
        "aber",
        "in",
        "im",
        "an",
        "am",
        "auf",
        "aus",
        "mit",
        "von",
        "vom",
        "zu",
        "zum",
        "zur",
        "für",
        "ist",
        "sind",
        "war",
        "hat",
        "haben",
        "es",
        "sich",
        "wie",
        "was",
        "warum",
        "wer",
        "the",
        "a",
        "of",
        "and",
        "to",
    ]
)


class Corrector(Protocol):
    """Fixes a sentence before tokenizing (transcription errors); returns the new text and what changed."""

    def correct(self, text: str, sentence: int, kind: Kind) -> tuple[str, list[Correction]]: ...


@dataclass(frozen=True, slots=True)
class Draft:
    """The pipeline's output before the library gives it an id."""

    title: str
    kind: Kind
    date: str | None
    cefr: str
    sentences: tuple[Sentence, ...]
    removed: tuple[str, ...]
    corrections: tuple[Correction, ...]
    content_hash: str

    def with_id(self, lesson_id: str, source: str) -> Lesson:
        return Lesson(
            id=lesson_id,
            title=self.title,
            source=source,
            kind=self.kind,
            date=self.date,
            cefr=self.cefr,
            sentences=self.sentences,
            removed=self.removed,
            corrections=self.corrections,
            content_hash=self.content_hash,
        )


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _is_heading(paragraph: Sequence[str]) -> bool:
    return len(paragraph) == 1 and len(paragraph[0].split()) <= 15 and not paragraph[0].endswith((".", ":", ";", ","))


def derive_title(paragraphs: Sequence[Sequence[str]], sentences: Sequence[Sentence]) -> str:
    """A heading-like first line, else the first sentence shortened to a few words."""
    if paragraphs and _is_heading(paragraphs[0]) and sentences and sentences[0].text == paragraphs[0][0]:
        return sentences[0].text
    if not sentences:
        return "Untitled"
    words = sentences[0].text.split()
    if len(words) <= 10:
        return sentences[0].text
    return " ".join(words[:8]).rstrip(",;:–-") + " …"


def slugify(title: str, max_words: int = 4, max_length: int = 40) -> str:
    """A short, readable id: "Was bedeutet Open-Source-KI …" → "bedeutet-open-source-ki"."""
    text = title.replace("ß", "ss")
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue")):
        text = text.replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text.lower()) if w]
    significant = [w for w in words if w not in _STOP_SLUG] or words
    slug = "-".join(significant[:max_words])[:max_length].strip("-")
    return slug or "lesson"


def build_lesson(
    text: str,
    *,
    kind: Kind | None = None,
    title: str | None = None,
    corrector: Corrector | None = None,
    nouns: NounOracle | None = None,
    zipf_of: Callable[[str], float] | None = None,
    today: dt.date | None = None,
) -> Draft:
    """Run every stage on ``text``; never raises on odd input (an empty text gives an empty lesson)."""
    cleaned = cleaning.clean(text, today=today)
    detected = kind or kinds.detect_kind(cleaned.paragraphs)
    blocks = (
        kinds.transcript_paragraphs(cleaned.paragraphs)
        if detected is Kind.TRANSCRIPT
        else kinds.article_paragraphs(cleaned.paragraphs)
    )
    sentences: list[Sentence] = []
    corrections: list[Correction] = []
    paragraph = -1
    for block in blocks:
        paragraph += 1
        previous_question: bool | None = None
        for raw in split_sentences(block):
            is_question = raw.rstrip('“”"»« ').endswith("?")
            # In a transcript a turn changes where questions give way to answers and back.
            if detected is Kind.TRANSCRIPT and previous_question is not None and is_question != previous_question:
                paragraph += 1
            previous_question = is_question
            index = len(sentences)
            fixed, changes = (raw, []) if corrector is None else corrector.correct(raw, index, detected)
            corrections.extend(changes)
            sentences.append(
                Sentence(
                    index=index,
                    text=fixed,
                    tokens=tag_tokens(fixed, nouns=nouns, zipf_of=zipf_of),
                    paragraph=paragraph,
                    original=raw if fixed != raw else None,
                )
            )
    lesson_title = title or derive_title(cleaned.paragraphs, sentences)
    return Draft(
        title=lesson_title,
        kind=detected,
        date=cleaned.date,
        cefr=lesson_level(sentences),
        sentences=tuple(sentences),
        removed=tuple(r.line for r in cleaned.removed),
        corrections=tuple(corrections),
        content_hash=content_hash(text),
    )
