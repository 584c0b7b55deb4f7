"""wordfreq's tables as compact on-disk indexes: the same frequencies in a fifth of the memory.

``wordfreq.get_frequency_dict`` holds a language's whole list as a Python dict: its 634,000 German words take
70 MB and 0.37 s to build, the 321,000 English ones 30 MB (the language check and the name detector need
both). The index (``lessons.compact``) keeps each word's UTF-8 bytes beside its frequency bucket: 13 MB for
German, read in milliseconds, a lookup in about a microsecond.

It is built from the installed wordfreq into the cache dir on first use and rebuilt when wordfreq's data
file or version changes. Frequencies are wordfreq's own: bucket ``i`` of its cBpack list is
``10 ** (-i / 100)``, as ``get_frequency_dict`` computes them.
"""

from __future__ import annotations

import array
from collections.abc import Callable
from pathlib import Path

from lessons.compact import KeyTable, StaleIndex, package_fingerprint, read_index, read_or_build, write_index

ProgressFn = Callable[[str, float], None]


def source_fingerprint(lang: str) -> str:
    """wordfreq's version and the size and mtime of the data file its "best" list for ``lang`` comes from."""
    import wordfreq

    return package_fingerprint("wordfreq", Path(wordfreq.available_languages("best")[lang]))


class FrequencyIndex:
    """A read-only ``word → frequency`` lookup with the ``get`` of wordfreq's dict."""

    def __init__(self, lang: str, fingerprint: str, keys: KeyTable, buckets: array.array) -> None:
        self.lang = lang
        self.fingerprint = fingerprint
        self._keys = keys
        self._buckets = buckets  # wordfreq's centibel bucket of each entry
        top = max(buckets) if buckets else 0
        self._frequency = [10 ** (-index / 100) for index in range(top + 1)]  # wordfreq's cB_to_freq

    def __len__(self) -> int:
        return len(self._keys)

    def get(self, word: str, default: float | None = None) -> float | None:
        position = self._keys.find(word.encode("utf-8", "surrogatepass"))
        return default if position < 0 else self._frequency[self._buckets[position]]

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None


def index_path(directory: Path, lang: str) -> Path:
    return directory / f"wordfreq-{lang}.idx"


def build_index(lang: str, path: Path, progress: ProgressFn | None = None) -> FrequencyIndex:
    """Write the index of wordfreq's "best" list for ``lang`` to ``path`` (atomically) and return it."""
    import wordfreq

    stage = f"word frequencies ({lang})"
    if progress is not None:
        progress(stage, 0.0)
    fingerprint = source_fingerprint(lang)
    # read_cBpack, not get_frequency_list: that one's lru_cache would keep the whole list alive.
    pack = wordfreq.read_cBpack(wordfreq.available_languages("best")[lang])
    bucket_of: dict[bytes, int] = {}
    for bucket, words in enumerate(pack):
        for word in words:
            bucket_of[word.encode("utf-8", "surrogatepass")] = bucket  # a repeat: the last wins, as in the dict
    del pack
    if progress is not None:
        progress(stage, 0.4)
    keys = list(bucket_of)
    table, order = KeyTable.build(keys)
    buckets = array.array("H", (bucket_of[keys[i]] for i in order))
    del bucket_of, keys, order
    index = FrequencyIndex(lang, fingerprint, table, buckets)
    write_index(path, {"kind": "wordfreq", "lang": lang, "source": fingerprint}, [*table.sections(), buckets])
    if progress is not None:
        progress(stage, 1.0)
    return index


def read_frequency_index(path: Path, lang: str, fingerprint: str) -> FrequencyIndex:
    """The index at ``path``; ``StaleIndex`` unless it is whole and built from ``fingerprint``."""
    sections = read_index(path, {"kind": "wordfreq", "lang": lang, "source": fingerprint})
    if len(sections) != 5:
        raise StaleIndex(f"{path}: {len(sections)} sections")
    table = KeyTable.from_sections(sections[:4])
    buckets = sections[4]
    if not isinstance(buckets, array.array) or len(buckets) != len(table):
        raise StaleIndex(f"{path}: the buckets do not fit the keys")
    return FrequencyIndex(lang, fingerprint, table, buckets)


def open_index(lang: str, directory: Path, progress: ProgressFn | None = None) -> FrequencyIndex:
    """The index for ``lang`` in ``directory``, built (or rebuilt) there first when missing or stale.

    Raises ``OSError`` when it cannot be written (a read-only cache dir); callers fall back to wordfreq.
    """
    path = index_path(directory, lang)
    fingerprint = source_fingerprint(lang)
    return read_or_build(
        lambda: read_frequency_index(path, lang, fingerprint), lambda: build_index(lang, path, progress)
    )
