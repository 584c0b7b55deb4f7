"""Domain values of a lesson: frozen, typed, serialisable to plain JSON."""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Pos(StrEnum):
    """Coarse part of speech."""

    NOUN = "NOUN"
    PROPN = "PROPN"
    VERB = "VERB"
    ADJ = "ADJ"
    ADV = "ADV"
    NUM = "NUM"
    PUNCT = "PUNCT"
    OTHER = "OTHER"


CONTENT_POS = frozenset({Pos.NOUN, Pos.VERB, Pos.ADJ, Pos.ADV})
"""Parts of speech a learner studies as vocabulary (names, numbers, punctuation and function words aside)."""


class Kind(StrEnum):
    ARTICLE = "article"
    TRANSCRIPT = "transcript"


CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2")


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a sentence; ``start``/``end`` are character offsets into the sentence text."""

    text: str
    lemma: str
    pos: Pos
    start: int
    end: int
    zipf: float = 0.0
    cefr: str | None = None
    function_word: bool = False
    separable: bool = False
    """Part of a separable verb split in the sentence ("holt … auf"): both parts carry the whole lemma."""

    @property
    def is_word(self) -> bool:
        return self.pos not in (Pos.PUNCT,)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "lemma": self.lemma,
            "pos": str(self.pos),
            "zipf": self.zipf,
            "cefr": self.cefr,
            "start": self.start,
            "end": self.end,
            "function_word": self.function_word,
            "separable": self.separable,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Token:
        return cls(
            text=data["text"],
            lemma=data["lemma"],
            pos=Pos(data["pos"]),
            start=data["start"],
            end=data["end"],
            zipf=data.get("zipf", 0.0),
            cefr=data.get("cefr"),
            function_word=data.get("function_word", False),
            separable=data.get("separable", False),
        )


_TOKEN_SLOTS = tuple(getattr(Token, f.name).__set__ for f in fields(Token))
_new_object = object.__new__


def make_token(
    text: str,
    lemma: str,
    pos: Pos,
    start: int,
    end: int,
    zipf: float = 0.0,
    cefr: str | None = None,
    function_word: bool = False,
    separable: bool = False,
) -> Token:
    """``Token(...)``, the same object, made without the frozen dataclass's ``__init__``.

    That ``__init__`` sets each of the nine fields through ``object.__setattr__`` (a frozen class refuses
    plain assignment): 0.8 µs a token, a quarter of a second for a book's 330,000 tokens, built on import and
    again on every open. Setting the slots directly takes a third of that. (Token has no ``__post_init__``
    to skip; a test checks both stay so.)
    """
    token = _new_object(Token)
    s_text, s_lemma, s_pos, s_start, s_end, s_zipf, s_cefr, s_function_word, s_separable = _TOKEN_SLOTS
    s_text(token, text)
    s_lemma(token, lemma)
    s_pos(token, pos)
    s_start(token, start)
    s_end(token, end)
    s_zipf(token, zipf)
    s_cefr(token, cefr)
    s_function_word(token, function_word)
    s_separable(token, separable)
    return token


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as the learner reads it (after corrections); ``original`` is the text before them."""

    index: int
    text: str
    tokens: tuple[Token, ...]
    paragraph: int = 0
    original: str | None = None
    start: float | None = None
    """Start time in seconds, for sentences from subtitles."""

    @property
    def words(self) -> tuple[Token, ...]:
        return tuple(t for t in self.tokens if t.pos is not Pos.PUNCT)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "index": self.index,
            "text": self.text,
            "paragraph": self.paragraph,
            "tokens": [t.to_dict() for t in self.tokens],
        }
        if self.original is not None:
            data["original"] = self.original
        if self.start is not None:
            data["start"] = self.start
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        return cls(
            index=data["index"],
            text=data["text"],
            tokens=tuple(Token.from_dict(t) for t in data["tokens"]),
            paragraph=data.get("paragraph", 0),
            original=data.get("original"),
            start=data.get("start"),
        )


@dataclass(frozen=True, slots=True)
class Correction:
    """A fix applied to (or suggested for) the lesson text."""

    original: str
    corrected: str
    kind: str  # "name" | "grammar" | "spelling" | "variant"
    source: str  # "curated" | "suggested"
    applied: bool
    sentence: int | None = None
    note: str = ""
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "original": self.original,
            "corrected": self.corrected,
            "kind": self.kind,
            "source": self.source,
            "applied": self.applied,
            "sentence": self.sentence,
            "note": self.note,
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Correction:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Lesson:
    """A processed text: metadata, cleaned sentences with tokens, and what cleaning removed."""

    id: str
    title: str
    source: str
    kind: Kind
    date: str | None
    cefr: str
    sentences: tuple[Sentence, ...]
    removed: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    content_hash: str = ""
    warnings: tuple[str, ...] = field(default=())

    @property
    def words(self) -> int:
        """Running words (tokens that are not punctuation)."""
        punct = Pos.PUNCT
        return sum(1 for s in self.sentences for t in s.tokens if t.pos is not punct)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "kind": str(self.kind),
            "date": self.date,
            "cefr": self.cefr,
            "words": self.words,
            "removed": list(self.removed),
            "corrections": [c.to_dict() for c in self.corrections],
            "content_hash": self.content_hash,
            "warnings": list(self.warnings),
            "sentences": [s.to_dict() for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lesson:
        return cls(
            id=data["id"],
            title=data["title"],
            source=data["source"],
            kind=Kind(data["kind"]),
            date=data.get("date"),
            cefr=data["cefr"],
            sentences=tuple(Sentence.from_dict(s) for s in data["sentences"]),
            removed=tuple(data.get("removed", ())),
            corrections=tuple(Correction.from_dict(c) for c in data.get("corrections", ())),
            content_hash=data.get("content_hash", ""),
            warnings=tuple(data.get("warnings", ())),
        )


# --- the lesson cache format -------------------------------------------------------------------------------
# JSON Lines: a header line (the lesson without sentences), then one line per sentence with its tokens as
# arrays. Written and read a sentence at a time, so a book-length lesson never exists as one huge JSON
# document (several times its size in memory) and a reader can stop early.

CACHE_FORMAT = "lesestoff-lesson/2"
_POS = {p.value: p for p in Pos}


def _token_from_row(row: list[Any]) -> Token:
    text, lemma, pos, start, end, zipf, cefr, function_word, separable = row
    return make_token(text, lemma, _POS[pos], start, end, zipf, cefr, bool(function_word), bool(separable))


def lesson_cache_lines(lesson: Lesson, extra: dict[str, Any] | None = None) -> Iterator[str]:
    """The cache form of a lesson, line by line (``extra``: more header fields, e.g. what it was built with)."""
    header = {**replace_sentences(lesson, ()).to_dict(), **(extra or {})}
    header["words"] = lesson.words
    header["format"] = CACHE_FORMAT
    header["sentence_count"] = len(lesson.sentences)
    yield json.dumps(header, ensure_ascii=False) + "\n"
    encode = _ROW_ENCODER.encode
    for s in lesson.sentences:
        # a row per token, in ``_token_from_row``'s order, built inline: a book has 300,000 of them (and a Pos
        # is a str already)
        tokens = [
            [t.text, t.lemma, t.pos, t.start, t.end, t.zipf, t.cefr, int(t.function_word), int(t.separable)]
            for t in s.tokens
        ]
        yield encode([s.index, s.text, s.paragraph, s.original, s.start, tokens]) + "\n"


_ROW_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def lesson_from_cache_lines(lines: Iterable[str]) -> Lesson:
    """Inverse of :func:`lesson_cache_lines`; raises ValueError for anything else."""
    iterator = iter(lines)
    header = json.loads(next(iterator))
    if header.get("format") != CACHE_FORMAT:
        raise ValueError("not a lesson cache file of this version")
    sentences = []
    for line in iterator:
        index, text, paragraph, original, start, tokens = json.loads(line)
        sentences.append(Sentence(index, text, tuple(_token_from_row(r) for r in tokens), paragraph, original, start))
    if len(sentences) != header["sentence_count"]:
        raise ValueError("truncated lesson cache file")
    header["sentences"] = []
    return replace_sentences(Lesson.from_dict(header), tuple(sentences))


def replace_sentences(lesson: Lesson, sentences: tuple[Sentence, ...]) -> Lesson:
    from dataclasses import replace

    return replace(lesson, sentences=sentences)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while (re-enabled after, if it was on).

    Tokenizing a book makes millions of small objects and no reference cycles, yet each allocation burst
    makes the collector rescan everything still alive: a quarter of a book's import time, for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
