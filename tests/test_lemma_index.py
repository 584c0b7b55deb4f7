"""simplemma on its dictionary as a compact index (``lessons.lemma_index``) and the tokens module's use of it."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import simplemma
from simplemma.strategies import dictionaries

from lessons import lemma_index, tokens

WORDS = [
    "Häuser",
    "ging",
    "gestützte",
    "Rechenleistung",
    "KI-Modelle",
    "Straßen",
    "besser",
    "heruntergeladene",
    "Diebsieg",
    "Mütter",
    "aufgeholt",
    "die",
    "Essen",
    "essen",
    "Arbeits-",
    "Ärzte",
    "größten",
    "hat's",
    "Open-Source-Modelle",
    "DeepSeek",
    "2024",
    "Wettbewerbsvorteile",
    "kollaborative",
    "Aufholjagd",
]


@pytest.fixture(scope="module")
def indexed(shared_cache: Path) -> lemma_index.Simplemma:
    factory = lemma_index.IndexedDictionaryFactory(shared_cache / "indexes")
    return lemma_index.Simplemma(factory)


@pytest.mark.parametrize("greedy", [False, True])
@pytest.mark.parametrize("word", WORDS)
def test_lemmas_are_simplemmas(word: str, greedy: bool, indexed: lemma_index.Simplemma) -> None:
    assert indexed.lemmatize(word, greedy) == simplemma.lemmatize(word, lang="de", greedy=greedy)


@pytest.mark.parametrize("word", [*WORDS, "xqzvw", "HÄUSER"])
def test_is_known_is_simplemmas(word: str, indexed: lemma_index.Simplemma) -> None:
    assert indexed.is_known(word) == simplemma.is_known(word, lang="de")


def test_empty_word_is_not_known(indexed: lemma_index.Simplemma) -> None:
    assert indexed.is_known("") is False


def test_index_holds_simplemmas_whole_dictionary(shared_cache: Path) -> None:
    ours = lemma_index.open_dictionary("de", shared_cache / "indexes")
    theirs = dictionaries.DefaultDictionaryFactory(cache_max_size=1).get_dictionary("de")
    assert len(ours) == len(theirs)
    sample = random.Random(7).sample(list(theirs), 20_000)
    assert [form for form in sample if ours.get(form) != theirs[form]] == []
    assert ours.get("xqzvw") is None and "xqzvw" not in ours
    with pytest.raises(KeyError):
        ours["xqzvw"]


@pytest.fixture
def fake_simplemma(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """simplemma's dictionary replaced by two forms, its fingerprint by one the test can change."""

    class Factory:
        def __init__(self, cache_max_size: int = 8) -> None:
            pass

        def get_dictionary(self, lang: str) -> dict[str, str]:
            return {"Häuser": "Haus", "ging": "gehen", "Hauses": "Haus"}

    monkeypatch.setattr(dictionaries, "DefaultDictionaryFactory", Factory)
    fingerprints = ["simplemma A"]
    monkeypatch.setattr(lemma_index, "source_fingerprint", lambda _lang: fingerprints[-1])
    return fingerprints


def test_rebuilt_when_simplemma_changes_or_the_file_is_damaged(fake_simplemma: list[str], tmp_path: Path) -> None:
    seen: list[tuple[str, float]] = []
    built = lemma_index.open_dictionary("de", tmp_path, lambda stage, fraction: seen.append((stage, fraction)))
    assert dict(built.items()) == {"Häuser": "Haus", "ging": "gehen", "Hauses": "Haus"}
    assert seen[0] == ("lemma dictionary (de)", 0.0) and seen[-1] == ("lemma dictionary (de)", 1.0)
    seen.clear()
    lemma_index.open_dictionary("de", tmp_path, lambda stage, fraction: seen.append((stage, fraction)))
    assert seen == []  # read, not rebuilt
    fake_simplemma.append("simplemma B")
    assert lemma_index.open_dictionary("de", tmp_path).fingerprint == "simplemma B"
    path = lemma_index.index_path(tmp_path, "de")
    path.write_bytes(path.read_bytes()[:-2])
    with pytest.raises(lemma_index.StaleIndex):
        lemma_index.read_dictionary(path, "de", "simplemma B")
    assert lemma_index.open_dictionary("de", tmp_path).get("ging") == "gehen"


def test_no_dictionary_for_a_language_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no dictionary"):
        lemma_index.open_dictionary("xx", tmp_path)


@pytest.fixture
def lemmatizer_restored() -> Iterator[None]:
    saved = tokens._index_dir
    yield
    tokens._index_dir = saved
    tokens._simplemma.cache_clear()
    tokens.lemmatize.cache_clear()
    tokens.simplemma_knows.cache_clear()


def test_tokens_use_the_index_once_configured(shared_cache: Path, lemmatizer_restored: None) -> None:
    tokens._index_dir = None
    tokens._simplemma.cache_clear()
    assert isinstance(tokens._simplemma(), tokens._LowMemorySimplemma)
    tokens.use_indexes(shared_cache / "indexes")
    assert isinstance(tokens._simplemma(), lemma_index.Simplemma)
    tokens.lemmatize.cache_clear()
    assert tokens.lemmatize("Häuser", greedy=True) == simplemma.lemmatize("Häuser", lang="de", greedy=True)


def test_unwritable_cache_dir_falls_back_to_simplemmas_backend(tmp_path: Path, lemmatizer_restored: None) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    tokens._index_dir = None
    tokens.use_indexes(blocker / "indexes")
    assert isinstance(tokens._simplemma(), tokens._LowMemorySimplemma)
    tokens.lemmatize.cache_clear()
    assert tokens.lemmatize("ging") == "gehen"
