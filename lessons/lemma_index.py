"""simplemma with its German dictionary as a compact on-disk index (``lessons.compact``).

simplemma offers two dictionary backends: a Python dict (1.1 million German forms, 101 MB, 1.0 s to load)
and a memory-frugal stream it decodes on every lookup (48 MB, but some 20 µs a word: seconds on a book).
Its ``DictionaryFactory`` protocol lets a caller supply the dictionary instead; ``IndexedDictionaryFactory``
serves it from an index built once from the installed simplemma into the cache dir: 33 MB, read in
milliseconds, a lookup in about a microsecond. simplemma's own strategies (rules, affixes, greedy
chasing) run on it unchanged, so the lemmas are simplemma's.

The index is rebuilt when simplemma's version or data file changes.
"""

from __future__ import annotations

import array
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import overload

from lessons.compact import (
    KeyTable,
    StaleIndex,
    Strings,
    package_fingerprint,
    read_index,
    read_or_build,
    write_index,
)

ProgressFn = Callable[[str, float], None]


def _data_file(lang: str) -> Path:
    from simplemma.strategies.dictionaries.dictionary_factory import DATA_FOLDER

    return Path(DATA_FOLDER) / f"{lang}.plzma"


def source_fingerprint(lang: str) -> str:
    """simplemma's version and the size and mtime of its data file for ``lang``."""
    return package_fingerprint("simplemma", _data_file(lang))


class IndexedDictionary(Mapping[str, str]):
    """simplemma's ``form → lemma`` dictionary for one language, read-only, from the index."""

    def __init__(self, lang: str, fingerprint: str, keys: KeyTable, lemma_ids: array.array, lemmas: Strings) -> None:
        self.lang = lang
        self.fingerprint = fingerprint
        self._keys = keys
        self._lemma_ids = lemma_ids
        self._lemmas = lemmas

    @overload
    def get(self, key: str) -> str | None: ...
    @overload
    def get(self, key: str, default: str) -> str: ...
    def get(self, key: str, default: str | None = None) -> str | None:
        position = self._keys.find(key.encode("utf-8", "surrogatepass"))
        if position < 0:
            return default
        return self._lemmas[self._lemma_ids[position]].decode("utf-8", "surrogatepass")

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        for position in range(len(self._keys)):
            yield self._keys.key(position).decode("utf-8", "surrogatepass")

    def __len__(self) -> int:
        return len(self._keys)


def index_path(directory: Path, lang: str) -> Path:
    return directory / f"simplemma-{lang}.idx"


def build_dictionary(lang: str, path: Path, progress: ProgressFn | None = None) -> IndexedDictionary:
    """Index simplemma's dictionary for ``lang`` into ``path`` (atomically) and return it."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    stage = f"lemma dictionary ({lang})"
    if progress is not None:
        progress(stage, 0.0)
    fingerprint = source_fingerprint(lang)
    # A factory of our own: simplemma's shared one would keep the 100 MB dict alive after the build.
    source = DefaultDictionaryFactory(cache_max_size=1).get_dictionary(lang)
    lemma_numbers: dict[bytes, int] = {}
    lemma_of: dict[bytes, int] = {}
    for form, lemma in source.items():
        encoded = lemma.encode("utf-8", "surrogatepass")
        number = lemma_numbers.get(encoded)
        if number is None:
            number = lemma_numbers[encoded] = len(lemma_numbers)
        lemma_of[form.encode("utf-8", "surrogatepass")] = number
    del source
    if progress is not None:
        progress(stage, 0.5)
    forms = list(lemma_of)
    table, order = KeyTable.build(forms)
    lemma_ids = array.array("I", (lemma_of[forms[i]] for i in order))
    del lemma_of, forms, order
    lemmas = Strings.build(list(lemma_numbers))  # dicts keep insertion order: number i is the i-th lemma
    del lemma_numbers
    dictionary = IndexedDictionary(lang, fingerprint, table, lemma_ids, lemmas)
    write_index(
        path,
        {"kind": "simplemma", "lang": lang, "source": fingerprint},
        [*table.sections(), lemma_ids, *lemmas.sections()],
    )
    if progress is not None:
        progress(stage, 1.0)
    return dictionary


def read_dictionary(path: Path, lang: str, fingerprint: str) -> IndexedDictionary:
    """The index at ``path``; ``StaleIndex`` unless it is whole and built from ``fingerprint``."""
    sections = read_index(path, {"kind": "simplemma", "lang": lang, "source": fingerprint})
    if len(sections) != 7:
        raise StaleIndex(f"{path}: {len(sections)} sections")
    table = KeyTable.from_sections(sections[:4])
    lemma_ids = sections[4]
    lemmas = Strings.from_sections(sections[5:])
    if not isinstance(lemma_ids, array.array) or len(lemma_ids) != len(table):
        raise StaleIndex(f"{path}: the lemma numbers do not fit the forms")
    if len(lemma_ids) and max(lemma_ids) >= len(lemmas):
        raise StaleIndex(f"{path}: a lemma number past the lemmas")
    return IndexedDictionary(lang, fingerprint, table, lemma_ids, lemmas)


def open_dictionary(lang: str, directory: Path, progress: ProgressFn | None = None) -> IndexedDictionary:
    """The index for ``lang`` in ``directory``, built (or rebuilt) first when missing or stale.

    Raises ``OSError`` when it cannot be written (a read-only cache dir), ``ValueError`` for a language
    simplemma has no dictionary for.
    """
    path = index_path(directory, lang)
    fingerprint = source_fingerprint(lang) if _data_file(lang).exists() else ""
    if not fingerprint:
        raise ValueError(f"simplemma has no dictionary for {lang!r}")
    return read_or_build(
        lambda: read_dictionary(path, lang, fingerprint), lambda: build_dictionary(lang, path, progress)
    )


class IndexedDictionaryFactory:
    """simplemma's ``DictionaryFactory`` protocol, served from indexes in ``directory``."""

    def __init__(self, directory: Path, progress: ProgressFn | None = None) -> None:
        self.directory = directory
        self.progress = progress
        self._dictionaries: dict[str, IndexedDictionary] = {}
        self._lock = threading.Lock()

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        found = self._dictionaries.get(lang)
        if found is None:
            with self._lock:
                found = self._dictionaries.get(lang)
                if found is None:
                    found = self._dictionaries[lang] = open_dictionary(lang, self.directory, self.progress)
        return found


class Simplemma:
    """simplemma's ``lemmatize`` (plain and greedy) and ``is_known`` for one language on a given dictionary
    factory: the module functions of the same names, without their own caches (callers cache)."""

    def __init__(self, factory: object, lang: str = "de") -> None:
        from simplemma import Lemmatizer
        from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy

        self.lang = lang
        self._plain = Lemmatizer(
            cache_max_size=0, lemmatization_strategy=DefaultStrategy(greedy=False, dictionary_factory=factory)
        )
        self._greedy = Lemmatizer(
            cache_max_size=0, lemmatization_strategy=DefaultStrategy(greedy=True, dictionary_factory=factory)
        )
        self._lookup = DictionaryLookupStrategy(factory)

    def lemmatize(self, word: str, greedy: bool = False) -> str:
        return (self._greedy if greedy else self._plain).lemmatize(word, self.lang)

    def is_known(self, word: str) -> bool:
        from simplemma.utils import normalize_token

        if not word:
            return False
        return self._lookup.get_lemma(normalize_token(word), self.lang) is not None
