"""Text → Lesson: clean, detect the kind, split sentences, correct, tokenize, grade."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from lessons import cleaning, kinds
from lessons.difficulty import lesson_level
from lessons.keys import content_hash
from lessons.model import Correction, Kind, Lesson, Sentence, collector_paused
from lessons.sentences import cap_length, split_sentences
from lessons.tokens import CONTEXT_TAGGING_LIMIT, NounOracle, tag_tokens


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


def _paragraph_times(
    paragraphs: Sequence[Sequence[str]], timed_lines: Sequence[tuple[float, str]]
) -> list[tuple[list[int], list[float]]]:
    """For each kept paragraph: the offsets of its lines in the joined block and their start times.

    Cleaning keeps lines in order and only ever shortens them (a bullet, a credit or a date prefix cut off), so
    each kept line is matched to the next input line (within 1000) that contains it.
    """
    normal = [" ".join(line.replace("\u00a0", " ").split()) for _, line in timed_lines]
    cursor = 0
    result: list[tuple[list[int], list[float]]] = []
    for paragraph in paragraphs:
        offsets: list[int] = []
        starts: list[float] = []
        offset = 0
        for line in paragraph:
            window = range(cursor, min(len(normal), cursor + 1000))
            found = next((i for i in window if line in normal[i]), None)
            if found is not None:
                cursor = found + 1
            offsets.append(offset)
            starts.append(timed_lines[found][0] if found is not None else (starts[-1] if starts else 0.0))
            offset += len(line) + 1
        result.append((offsets, starts))
    return result


def _time_at(times: tuple[list[int], list[float]], offset: int) -> float | None:
    offsets, starts = times
    if not offsets:
        return None
    return starts[max(0, bisect.bisect_right(offsets, offset) - 1)]


def build_lesson(
    text: str,
    *,
    kind: Kind | None = None,
    title: str | None = None,
    corrector: Corrector | None = None,
    nouns: NounOracle | None = None,
    zipf_of: Callable[[str], float] | None = None,
    today: dt.date | None = None,
    timed_lines: Sequence[tuple[float, str]] | None = None,
    keep_foreign: bool = False,
    progress: Callable[[str, float], None] | None = None,
) -> Draft:
    """Run every stage on ``text``; never raises on odd input (an empty text gives an empty lesson).

    ``timed_lines`` (subtitles): ``(start seconds, line)`` pairs, an empty line ending a paragraph. The lesson is
    built from these lines and each sentence keeps the start of the line it begins in; ``text`` is then only
    what the content hash is taken of (the stored subtitle file). ``keep_foreign`` keeps lines cleaning would
    drop as not German (an import forced with ``--force``). ``progress("processing", fraction)`` is called as
    the paragraphs are tokenized. Sentences longer than ``sentences.MAX_SENTENCE_CHARS`` are cut (see there).
    """
    with collector_paused():
        return _build_lesson(text, kind, title, corrector, nouns, zipf_of, today, timed_lines, keep_foreign, progress)


def _build_lesson(
    text: str,
    kind: Kind | None,
    title: str | None,
    corrector: Corrector | None,
    nouns: NounOracle | None,
    zipf_of: Callable[[str], float] | None,
    today: dt.date | None,
    timed_lines: Sequence[tuple[float, str]] | None,
    keep_foreign: bool,
    progress: Callable[[str, float], None] | None,
) -> Draft:
    source = "\n".join(line for _, line in timed_lines) if timed_lines is not None else text
    cleaned = cleaning.clean(source, today=today, keep_foreign=keep_foreign)
    times = _paragraph_times(cleaned.paragraphs, timed_lines) if timed_lines is not None else None
    detected = kind or kinds.detect_kind(cleaned.paragraphs)
    blocks = (
        kinds.transcript_paragraphs(cleaned.paragraphs)
        if detected is Kind.TRANSCRIPT
        else kinds.article_paragraphs(cleaned.paragraphs)
    )
    sentences: list[Sentence] = []
    corrections: list[Correction] = []
    paragraph = -1
    total = sum(len(block) + 1 for block in blocks)
    in_context = sum(block.count(" ") + 1 for block in blocks) <= CONTEXT_TAGGING_LIMIT
    done = reported = 0
    memo: dict = {}  # see tag_tokens: one text's word attributes, shared by its sentences
    for number, block in enumerate(blocks):
        paragraph += 1
        previous_question: bool | None = None
        cursor = 0
        for raw in (piece for whole in split_sentences(block) for piece in cap_length(whole)):
            offset = block.find(raw, cursor)
            at = offset if offset >= 0 else cursor
            cursor = at + len(raw)
            start = _time_at(times[number], at) if times is not None else None
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
                    tokens=tag_tokens(fixed, nouns=nouns, zipf_of=zipf_of, context=in_context, memo=memo),
                    paragraph=paragraph,
                    original=raw if fixed != raw else None,
                    start=start,
                )
            )
            if progress is not None and min(99, (done + cursor) * 100 // total) > reported:
                reported = min(99, (done + cursor) * 100 // total)  # at most once per percent
                progress("processing", reported / 100)
        done += len(block) + 1
    if progress is not None:
        progress("processing", 1.0)
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
