"""Stage 6: difficulty of words (Zipf → CEFR band) and of lessons (lexical coverage + sentence length).

Word bands. wordfreq's Zipf value is log10 of a word's frequency per billion words. Learner word lists
(Goethe-Institut A1–B1, Profile Deutsch) are mostly made of the most frequent words, so we band by
frequency:

    Zipf >= 5.0  A1   (top ~1,000 words: "haben", "Jahr", "gut")
    Zipf >= 4.5  A2
    Zipf >= 4.0  B1
    Zipf >= 3.5  B2
    Zipf >= 3.0  C1
    otherwise    C2   (rare words)

A compound wordfreq doesn't know (Rechenleistung, KI-Wettrennen) is as hard as its rarest part, less
half a Zipf point for putting the parts together: see ``compound_zipf``.

Lesson level. Over the running content words (nouns, verbs, adjectives, adverbs; names, numbers and
function words excluded), the lexical level is the lowest band L such that words at L or below cover at
least 90% of them. Unassisted reading needs 95–98% (Hu & Nation 2000); a tutor that glosses every word
on demand supports reading at 90%, and news texts are full of compounds whose parts the learner knows.
Long sentences make a text harder: if the mean sentence length exceeds 18 words the level goes up one
band, above 25 words two bands; a text of short sentences (mean under 8 words) goes down one band.
The result is capped to A1–C2.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lessons.model import CEFR_LEVELS, CONTENT_POS, Sentence

ZIPF_BANDS: tuple[tuple[float, str], ...] = (
    (5.0, "A1"),
    (4.5, "A2"),
    (4.0, "B1"),
    (3.5, "B2"),
    (3.0, "C1"),
)
COVERAGE = 0.90
LONG_SENTENCE = 18.0
VERY_LONG_SENTENCE = 25.0
SHORT_SENTENCE = 8.0


COMPOUND_PENALTY = 0.5


def compound_zipf(own: float, parts: Sequence[float]) -> float:
    """Zipf of a compound: its own if wordfreq knows it well, else its rarest part's less a penalty."""
    if len(parts) < 2:
        return own
    return max(own, min(parts) - COMPOUND_PENALTY)


def cefr_for_zipf(zipf: float) -> str:
    for threshold, band in ZIPF_BANDS:
        if zipf >= threshold:
            return band
    return "C2"


def level_index(level: str) -> int:
    return CEFR_LEVELS.index(level.upper())


def shift(level: str, steps: int) -> str:
    return CEFR_LEVELS[max(0, min(len(CEFR_LEVELS) - 1, level_index(level) + steps))]


def lexical_level(bands: Sequence[str], coverage: float = COVERAGE) -> str:
    """Lowest band whose words (at or below it) cover ``coverage`` of ``bands``."""
    if not bands:
        return "A1"
    counts = [0] * len(CEFR_LEVELS)
    for band in bands:
        counts[level_index(band)] += 1
    covered = 0
    for index, count in enumerate(counts):
        covered += count
        if covered / len(bands) >= coverage:
            return CEFR_LEVELS[index]
    return CEFR_LEVELS[-1]


def lesson_level(sentences: Iterable[Sentence]) -> str:
    bands: list[str] = []
    lengths: list[int] = []
    for sentence in sentences:
        words = sentence.words
        lengths.append(len(words))
        bands.extend(t.cefr for t in words if t.pos in CONTENT_POS and not t.function_word and t.cefr)
    level = lexical_level(bands)
    if lengths:
        mean = sum(lengths) / len(lengths)
        if mean > VERY_LONG_SENTENCE:
            level = shift(level, 2)
        elif mean > LONG_SENTENCE:
            level = shift(level, 1)
        elif mean < SHORT_SENTENCE:
            level = shift(level, -1)
    return level
