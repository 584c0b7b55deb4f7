"""Meanings offline first: curated translations and glossaries for the bundled lessons, Ding for the rest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lessons.curated import content_lemmas, curated_for
from lessons.lexicon import DEBIAN_DING
from lessons.meanings import CURATED, DICTIONARY, Meanings
from lessons.model import CONTENT_POS, Lesson
from lessons.paths import Paths, seeds_dir
from lessons.pipeline import build_lesson

HAS_DING = DEBIAN_DING.exists()


def test_every_bundled_sentence_has_a_curated_translation(seed_lessons: dict[str, Lesson]) -> None:
    meanings = Meanings(lexicon=None, seeds=seeds_dir())  # no dictionary, no network
    missing = [
        (source, s.text)
        for source, lesson in seed_lessons.items()
        for s in lesson.sentences
        if (t := meanings.translation(s, source)) is None or t.source != CURATED or not t.english.strip()
    ]
    assert missing == []


def test_every_bundled_content_word_has_an_in_context_meaning_without_ding(seed_lessons: dict[str, Lesson]) -> None:
    meanings = Meanings(lexicon=None, seeds=seeds_dir())
    missing = []
    for source, lesson in seed_lessons.items():
        for sentence in lesson.sentences:
            for token in sentence.tokens:
                if token.pos in CONTENT_POS and not token.function_word:
                    gloss = meanings.token_gloss(token, source)
                    if gloss is None or gloss.source != CURATED or not gloss.english:
                        missing.append((source, token.lemma, str(token.pos)))
    assert missing == []


def test_curated_glossary_beats_the_dictionary_in_context(seed_lessons: dict[str, Lesson], seed_paths: Paths) -> None:
    from lessons.services import shared_lexicon

    meanings = Meanings(shared_lexicon(seed_paths), seeds_dir())
    info = meanings.word("Abverkauf", "NOUN", "001_7cc699a9debdee11.txt")
    assert info.best is not None and info.best.source == CURATED and "sell-off" in info.best.english
    assert info.article == "der"
    if HAS_DING:
        assert any(m.source == DICTIONARY for m in info.meanings[1:])


def test_curated_lemmas_cover_the_pipeline_output(seed_lessons: dict[str, Lesson]) -> None:
    for source, lesson in seed_lessons.items():
        curated = curated_for(seeds_dir(), source)
        assert all(curated.gloss(lemma, str(pos)) for lemma, pos in content_lemmas(lesson)), source


UNCURATED = """Der Bäcker öffnet seinen Laden jeden Morgen um sechs Uhr.
Die Kunden kaufen frisches Brot, Brötchen und Kuchen.
Im Winter ist es draußen kalt, aber in der Bäckerei ist es warm und gemütlich.
Viele Nachbarn treffen sich dort und sprechen über das Wetter, die Arbeit und ihre Familien.
Der Bäcker verdient nicht viel Geld, doch er liebt seinen Beruf und die frühen Stunden.
"""


@pytest.mark.skipif(not HAS_DING, reason="Debian's trans-de-en is not installed")
def test_ding_gives_meanings_for_most_content_words_of_an_uncurated_text(seed_paths: Paths) -> None:
    from lessons.services import shared_lexicon

    lexicon = shared_lexicon(seed_paths)
    draft = build_lesson(UNCURATED, nouns=lexicon)
    meanings = Meanings(lexicon, seeds=None)
    content = [t for s in draft.sentences for t in s.tokens if t.pos in CONTENT_POS and not t.function_word]
    glossed = [t for t in content if (m := meanings.token_gloss(t)) is not None and m.source != CURATED]
    share = len(glossed) / len(content)
    print(f"dictionary meanings for {len(glossed)}/{len(content)} content words ({share:.0%})")
    assert share >= 0.85


@pytest.mark.skipif(not HAS_DING, reason="Debian's trans-de-en is not installed")
@pytest.mark.parametrize(
    ("lemma", "pos", "article", "plural"),
    [
        ("Rechenleistung", "NOUN", "die", "Rechenleistungen"),
        ("Modell", "NOUN", "das", "Modelle"),
        ("Hochleistungsprozessor", "NOUN", "der", "Hochleistungsprozessoren"),
        ("Börse", "NOUN", "die", "Börsen"),
    ],
)
def test_noun_grammar(seed_paths: Paths, lemma: str, pos: str, article: str, plural: str) -> None:
    from lessons.services import shared_lexicon

    info = Meanings(shared_lexicon(seed_paths), None).word(lemma, pos)
    assert (info.article, info.plural) == (article, plural)
    assert info.display == f"{article} {lemma}"


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LESESTOFF_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "tui.main", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_show_json_has_glosses_and_translations(tmp_path: Path) -> None:
    result = _cli("show", "5", "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert all(s["translation"] and s["translation_source"] == CURATED for s in data["sentences"])
    tokens = [t for s in data["sentences"] for t in s["tokens"]]
    content = [t for t in tokens if t["pos"] in {"NOUN", "VERB", "ADJ", "ADV"} and not t["function_word"]]
    assert all(t["gloss"] and t["gloss_source"] for t in content)
    assert all(t["gloss"] is None for t in tokens if t["pos"] in {"PUNCT", "NUM", "PROPN"})


@pytest.mark.skipif(not HAS_DING, reason="Debian's trans-de-en is not installed")
def test_gloss_command(tmp_path: Path) -> None:
    data = json.loads(_cli("gloss", "Hochleistungsprozessor", "--json", home=tmp_path).stdout)
    assert data["display"] == "der Hochleistungsprozessor"
    assert [p["lemma"] for p in data["parts"]] == ["hoch", "Leistung", "Prozessor"]
    assert data["glosses"][0]["source"] in {DICTIONARY, "compound parts"}
    verb = json.loads(_cli("gloss", "aufholen", "--json", home=tmp_path).stdout)
    assert verb["pos"] == "VERB" and any("catch up" in g["english"] for g in verb["glosses"])
    readable = _cli("gloss", "Rechenleistung", home=tmp_path).stdout
    assert readable.startswith("die Rechenleistung") and "[dictionary]" in readable


@pytest.mark.parametrize("word", ["", "zwei Wörter", "123", "!!"])
def test_gloss_rejects_non_words(tmp_path: Path, word: str) -> None:
    result = _cli("gloss", word, home=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
