"""Is a line German? Mean Zipf frequency of its words in German vs English (wordfreq).

STACK-NOTES: the share of words known to German wordfreq is useless (English words are in it); comparing
the mean German and English Zipf works as well as a language identifier on the seeds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

ENGLISH_MARGIN = 0.6
"""How much higher the English mean Zipf must be before a line counts as English."""


class _Frequencies(Protocol):
    def get(self, word: str, default: float | None = None, /) -> float | None: ...


_index_dir: Path | None = None
_index_progress: Callable[[str, float], None] | None = None


def use_frequency_index(directory: Path, progress: Callable[[str, float], None] | None = None) -> None:
    """Serve Zipf lookups from compact indexes in ``directory`` (``lessons.frequency``; built there on first
    use, ``progress(stage, fraction)`` meanwhile) instead of wordfreq's in-memory dicts (100 MB for German and
    English). The indexes hold the installed wordfreq's data whatever the data dir, so the first directory
    given serves the whole process (the latest ``progress`` reports a build); without one (tests of single
    stages, scripts) wordfreq's dicts do.
    """
    global _index_dir, _index_progress
    _index_progress = progress
    if _index_dir is None:
        _index_dir = directory
        _frequencies.cache_clear()  # a dict loaded before this is replaced at the next lookup


@lru_cache(maxsize=8)
def _frequencies(lang: str) -> _Frequencies:
    if _index_dir is not None:
        from lessons.frequency import open_index

        try:
            return open_index(lang, _index_dir, _index_progress)
        except (OSError, KeyError):
            pass  # a cache dir that cannot be written (or no such list): wordfreq's own table, same values
    from wordfreq import get_frequency_dict

    # Positional, as wordfreq calls it itself: its lru_cache keys on how arguments are passed, and a keyword
    # call would build a second copy of the table (15 MB, 0.2 s) when ``zipf_frequency`` first runs.
    return get_frequency_dict(lang, "best")


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str = "de") -> float:
    """wordfreq's Zipf value, from its table (or the index of it): a plain word is looked up directly
    (wordfreq's ``zipf_frequency`` tokenizes every query, several times slower); anything else is split into
    wordfreq's tokens and their frequencies combined as wordfreq does."""
    table = _frequencies(lang)
    frequency = table.get(word)
    if not frequency:
        folded = word.casefold()  # wordfreq stores "ß" as "ss"
        if folded != word:
            frequency = table.get(folded)
    if frequency:
        return round(math.log10(frequency) + 9, 2)
    if word.isalpha():
        return 0.0  # a plain word missing from the table is unknown to wordfreq too
    return _combined_zipf(word, lang, table)


def _combined_zipf(word: str, lang: str, table: _Frequencies) -> float:
    """``wordfreq.zipf_frequency`` of a text of several tokens ("KI-Modell", "3D"), on ``table``."""
    from wordfreq import digit_freq, get_language_info, lossy_tokenize, smash_numbers, zipf_frequency

    if get_language_info(lang)["tokenizer"] == "jieba":
        return zipf_frequency(word, lang)  # inferred word breaks: leave it to wordfreq
    tokens = lossy_tokenize(word, lang)
    if not tokens:
        return 0.0
    one_over_result = 0.0
    for token in tokens:
        smashed = smash_numbers(token)
        frequency = table.get(smashed)
        if frequency is None:
            return 0.0  # any token missing: wordfreq's minimum
        if smashed != token:
            frequency *= digit_freq(token)  # a digit sequence: wordfreq's distribution of numbers
        one_over_result += 1.0 / frequency
    frequency = max(1.0 / one_over_result, 1e-9)  # zipf_frequency's floor: Zipf 0
    # wordfreq rounds to 3 significant digits, then to hundredths of a Zipf unit (its very formulas: log10
    # and log(x, 10) differ in the last bit, which can move a rounding)
    rounded = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
    return round(math.log(rounded, 10) + 9, 2)


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
