"""Is a line German? Mean Zipf frequency of its words in German vs English (wordfreq).

STACK-NOTES: the share of words known to German wordfreq is useless (English words are in it); comparing
the mean German and English Zipf works as well as a language identifier on the seeds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

ENGLISH_MARGIN = 0.6
"""How much higher the English mean Zipf must be before a line counts as English."""


@lru_cache(maxsize=8)
def _frequencies(lang: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict

    # Positional, as wordfreq calls it itself: its lru_cache keys on how arguments are passed, and a keyword
    # call would build a second copy of the table (15 MB, 0.2 s) when ``zipf_frequency`` first runs.
    return get_frequency_dict(lang, "best")


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str = "de") -> float:
    """wordfreq's Zipf value. A plain lower-case word is looked up in wordfreq's table directly (its
    ``zipf_frequency`` tokenizes every query, several times slower); anything else goes through it."""
    table = _frequencies(lang)
    frequency = table.get(word) or table.get(word.casefold())  # casefold: wordfreq stores "ß" as "ss"
    if frequency:
        return round(math.log10(frequency) + 9, 2)
    if word.isalpha():
        return 0.0  # a plain word missing from the table is unknown to wordfreq too
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


def mean_zipf(words: Sequence[str], lang: str) -> float:
    if not words:
        return 0.0
    return sum(zipf(w.lower(), lang) for w in words) / len(words)


@lru_cache(maxsize=200_000)
def _english_lead(word: str) -> float:
    lower = word.lower()
    return zipf(lower, "en") - zipf(lower, "de")


def looks_english(words: Sequence[str]) -> bool:
    # The difference of the two means is the mean of the per-word differences: one cached lookup a word.
    return bool(words) and sum(map(_english_lead, words)) / len(words) > ENGLISH_MARGIN


def language_of(words: Sequence[str]) -> str:
    """ "de", "en" or "other" for a run of words (no words → "other")."""
    if not words:
        return "other"
    de, en = mean_zipf(words, "de"), mean_zipf(words, "en")
    if max(de, en) < 1.5:
        return "other"
    return "en" if en - de > ENGLISH_MARGIN else "de"
