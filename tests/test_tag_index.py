"""HanTa's out-of-context tags as an index (``lessons.tag_index``): the same tags without loading HanTa."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from lessons import lexicon_cli, services, tag_index, tokens
from lessons.errors import UserError
from lessons.paths import Paths

WORDS = [
    "Haus",
    "haus",
    "HAUS",
    "gehen",
    "Gehen",
    "die",
    "Die",
    "auf",
    "Auf",
    "schnell",
    "Schnell",
    "KI",
    "ki",
    "über",
    "Über",
    "Straße",
    "'",
    "''",
    "`",
    "´",
    "xqzvw",
    "Xqzvw",
    "Essen",
    "essen",
    "heute",
    "Heute",
    "z",
    "o_",
]


@pytest.fixture(scope="module")
def index(shared_cache: Path) -> tag_index.OutOfContextTags:
    return tag_index.open_tags(Paths(shared_cache / "unused", shared_cache).indexes, tokens.hanta_tagger)


@pytest.mark.parametrize("sentence_initial", [False, True])
@pytest.mark.parametrize("word", WORDS)
def test_tag_is_hantas(word: str, sentence_initial: bool, index: tag_index.OutOfContextTags) -> None:
    assert index.tag(word, casesensitive=not sentence_initial) == tokens._hanta_lexicon_tag(word, sentence_initial)


def test_every_word_of_hantas_lexicon_in_three_spellings(index: tag_index.OutOfContextTags) -> None:
    tagger = tokens.hanta_tagger()
    differ = []
    for word in list(tagger.cache)[::7]:  # every seventh: 3,300 words, 20,000 questions
        for form in {word, word.capitalize(), word.upper()}:
            for initial in (False, True):
                if index.tag(form, casesensitive=not initial) != tokens._hanta_lexicon_tag(form, initial):
                    differ.append((form, initial))
    assert differ == []


@pytest.fixture
def fake_hanta(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], type]:
    """HanTa replaced by a lexicon of three words, its fingerprint by one the test can change."""

    class Tagger:
        cache = {"haus": [(1, -1.0)], "gehen": [(2, -1.0)], '"': [(3, -1.0)]}

        def normalize(self, word: str) -> str:
            return '"' if word in ("'", "''") else word.lower()

        def tag_word(self, word: str, casesensitive: bool = True) -> list[tuple[str, float]]:
            key = self.normalize(word)
            if key not in self.cache:
                return []
            if key == "haus" and casesensitive and not word[0].isupper():
                return [("ADJ(D)", -2.0)]
            return [({1: "NN", 2: "VV(INF)", 3: "$("}[self.cache[key][0][0]], -1.0)]

    fingerprints = ["HanTa A"]
    monkeypatch.setattr(tag_index, "source_fingerprint", lambda: fingerprints[-1])
    return fingerprints, Tagger


def test_rebuilt_when_hanta_changes_or_the_file_is_damaged(fake_hanta: tuple[list[str], type], tmp_path: Path) -> None:
    fingerprints, fake_tagger = fake_hanta
    made: list[int] = []

    def tagger() -> object:
        made.append(1)
        return fake_tagger()

    seen: list[tuple[str, float]] = []
    built = tag_index.open_tags(tmp_path, tagger, lambda stage, fraction: seen.append((stage, fraction)))
    assert seen[0] == ("tagger index", 0.0) and seen[-1] == ("tagger index", 1.0)
    assert (built.tag("Haus", True), built.tag("haus", True), built.tag("haus", False)) == ("NN", "ADJ(D)", "NN")
    assert built.tag("''", True) == "$(" and built.tag("Baum", True) is None
    assert tag_index.open_tags(tmp_path, tagger).tag("gehen", False) == "VV(INF)"
    assert made == [1]  # read, not rebuilt: HanTa is not loaded again
    fingerprints.append("HanTa B")
    assert tag_index.open_tags(tmp_path, tagger).fingerprint == "HanTa B" and made == [1, 1]
    path = tag_index.index_path(tmp_path)
    for damage in ("{", json.dumps({"format": 1, "source": "HanTa B", "tags": {"x": ["NN"]}}), "[]"):
        path.write_text(damage, encoding="utf-8")
        with pytest.raises(tag_index.StaleIndex):
            tag_index.read_tags(path, "HanTa B")
        assert tag_index.open_tags(tmp_path, tagger).tag("Haus", True) == "NN"


@pytest.fixture
def tags_restored() -> Iterator[None]:
    saved = tokens._index_dir
    yield
    tokens._index_dir = saved
    tokens._out_of_context_tags.cache_clear()
    tokens._word_tag.cache_clear()


def test_long_texts_are_tagged_from_the_index_without_hanta(
    shared_cache: Path, tags_restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sentence = "Die Regierung holt heute die verlorene Zeit auf, und die Forscher gehen nach Hause."
    tokens._word_tag.cache_clear()
    expected = [(t.text, t.pos, t.lemma) for t in tokens.tag_tokens(sentence, context=False)]
    tokens._index_dir = None
    tokens.use_indexes(Paths(shared_cache / "unused", shared_cache).indexes)
    tokens._word_tag.cache_clear()

    def no_hanta() -> object:
        raise AssertionError("HanTa asked although the index answers")

    monkeypatch.setattr(tokens._Tagger, "get", no_hanta)
    assert [(t.text, t.pos, t.lemma) for t in tokens.tag_tokens(sentence, context=False)] == expected


def test_dict_status_build_builds_the_word_indexes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_cache: Path
) -> None:
    built: list[Path] = []
    monkeypatch.setattr(services, "build_indexes", lambda paths, progress=None: built.append(paths.indexes))
    paths = Paths(tmp_path / "data", shared_cache)  # (the lexicon is built there already)
    lexicon_cli.cmd_dict_status(argparse.Namespace(build=True), paths)
    assert built == [shared_cache / "indexes"]

    def unwritable(paths: Paths, progress: object = None) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(services, "build_indexes", unwritable)
    with pytest.raises(UserError, match="cannot build the word indexes there"):
        lexicon_cli.cmd_dict_status(argparse.Namespace(build=True), paths)
