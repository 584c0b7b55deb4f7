"""Vocabulary lists: entries of the seed lessons and of a small text, filters, and the output formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lessons import cli
from lessons.meanings import CURATED, Meanings
from lessons.model import CEFR_LEVELS, Lesson, Pos
from lessons.paths import Paths, seeds_dir
from lessons.vocab import VocabEntry, build_vocabulary, read_known_file, render
from tests.study_texts import EVERYDAY, EVERYDAY_EN, copy_lesson_cache, fake_meanings, lesson_from

ARTICLE_SEED = "000_1a7e6b30ec4f487a.txt"
TRANSCRIPT_SEED = "004_30d06220ccea89d7.txt"


@pytest.fixture(scope="module")
def meanings(seed_paths: Paths) -> Meanings:
    from lessons.services import shared_lexicon

    return Meanings(shared_lexicon(seed_paths), seeds_dir())


@pytest.fixture(scope="module")
def article_vocab(seed_lessons: dict[str, Lesson], meanings: Meanings) -> list[VocabEntry]:
    return build_vocabulary(seed_lessons[ARTICLE_SEED], meanings)


@pytest.fixture(scope="module")
def transcript_vocab(seed_lessons: dict[str, Lesson], meanings: Meanings) -> list[VocabEntry]:
    return build_vocabulary(seed_lessons[TRANSCRIPT_SEED], meanings)


@pytest.fixture(scope="module")
def everyday(seed_paths: Paths) -> Lesson:
    from lessons.services import shared_lexicon

    return lesson_from(EVERYDAY, shared_lexicon(seed_paths))


def by_lemma(entries: list[VocabEntry], lemma: str) -> VocabEntry:
    found = [e for e in entries if e.lemma == lemma]
    assert len(found) == 1, (lemma, found)
    return found[0]


# --- entries -------------------------------------------------------------------------------------------------


def test_noun_entry_carries_article_plural_meaning_and_example(article_vocab: list[VocabEntry]) -> None:
    entry = by_lemma(article_vocab, "Rechenleistung")
    assert entry.display == "die Rechenleistung"
    assert (entry.pos, entry.article, entry.gender) == ("NOUN", "die", "f")
    assert entry.plural == "Rechenleistungen"
    assert entry.meaning == "computing power" and entry.meaning_source == CURATED
    assert "Rechenleistung" in entry.example and entry.example_word == "Rechenleistung"
    assert entry.example_translation and entry.example_translation_source == CURATED
    assert entry.cefr in CEFR_LEVELS and entry.count >= 1
    start, end = entry.example_spans[0]
    assert entry.example[start:end] == "Rechenleistung"


def test_every_seed_entry_has_a_meaning_and_an_example_containing_its_word(
    seed_lessons: dict[str, Lesson], meanings: Meanings
) -> None:
    for source, lesson in seed_lessons.items():
        entries = build_vocabulary(lesson, meanings)
        assert entries, source
        glossed = [e for e in entries if e.meaning]
        assert len(glossed) >= 0.95 * len(entries), [e.lemma for e in entries if not e.meaning]
        for entry in entries:
            assert entry.example_word in entry.example, (source, entry.lemma)
            assert entry.example == lesson.sentences[entry.sentence].text
            if entry.pos == "NOUN" and entry.article:
                assert entry.display == f"{entry.article} {entry.lemma}" or entry.display.startswith("das ")


def test_split_separable_verb_is_one_entry_with_the_finite_part(transcript_vocab: list[VocabEntry]) -> None:
    entry = by_lemma(transcript_vocab, "aufmischen")
    assert entry.display == "aufmischen" and entry.pos == "VERB"
    assert entry.example_word == "mischt"
    assert entry.count == 1
    assert [entry.example[s:e] for s, e in entry.example_spans] == ["mischt", "auf"]
    assert entry.meaning == "to shake up"


def test_one_entry_per_lemma_and_no_names_numbers_or_function_words(transcript_vocab: list[VocabEntry]) -> None:
    keys = [(e.lemma, e.pos) for e in transcript_vocab]
    assert len(keys) == len(set(keys))
    assert all(e.pos in {"NOUN", "VERB", "ADJ", "ADV"} for e in transcript_vocab)
    lemmas = {e.lemma for e in transcript_vocab}
    assert not lemmas & {"DeepSeek", "ChatGPT", "Microsoft", "Rothe", "sein", "haben", "werden", "auch", "der"}


def test_vocabulary_uses_the_corrected_text(transcript_vocab: list[VocabEntry]) -> None:
    examples = " ".join(e.example for e in transcript_vocab)
    assert "JetGPT" not in examples and "Diebsieg" not in examples


def test_function_words_on_request(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    lesson = seed_lessons[TRANSCRIPT_SEED]
    with_all = {e.lemma for e in build_vocabulary(lesson, meanings, include_function_words=True)}
    assert {"haben", "auch"} <= with_all


def test_plural_only_nouns(transcript_vocab: list[VocabEntry]) -> None:
    for lemma in ("Kosten", "Leute"):
        entry = by_lemma(transcript_vocab, lemma)
        assert entry.display == f"die {lemma}" and entry.plural_only and entry.plural is None


def test_small_text_entries(everyday: Lesson) -> None:
    entries = build_vocabulary(everyday, fake_meanings(EVERYDAY_EN))
    arrive = by_lemma(entries, "ankommen")
    assert arrive.example_word == "kommt" and arrive.meaning == "to arrive" and arrive.count == 1
    assert arrive.example_translation == EVERYDAY_EN[arrive.example]
    assert arrive.example_translation_source == "fake translator"
    bike = by_lemma(entries, "Fahrrad")
    assert (bike.display, bike.plural, bike.meaning_source) == ("das Fahrrad", "Fahrräder", "dictionary")
    assert [e.lemma for e in entries][:5] == ["Zug", "ankommen", "heute", "pünktlich", "Bahnhof"]


# --- filters -------------------------------------------------------------------------------------------------


def test_level_filter(seed_lessons: dict[str, Lesson], meanings: Meanings, article_vocab: list[VocabEntry]) -> None:
    entries = build_vocabulary(seed_lessons[ARTICLE_SEED], meanings, level="B2")
    assert entries and len(entries) < len(article_vocab)
    assert all(CEFR_LEVELS.index(e.cefr or "A1") >= CEFR_LEVELS.index("B2") for e in entries)
    with pytest.raises(ValueError):
        build_vocabulary(seed_lessons[ARTICLE_SEED], meanings, level="D1")


def test_zipf_filters_and_difficulty_sort(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    lesson = seed_lessons[ARTICLE_SEED]
    entries = build_vocabulary(lesson, meanings, min_zipf=3.0, max_zipf=4.5, sort="difficulty")
    assert entries and all(3.0 <= e.zipf <= 4.5 for e in entries)
    zipfs = [e.zipf for e in entries]
    assert zipfs == sorted(zipfs)


def test_known_words_are_left_out(
    seed_lessons: dict[str, Lesson], meanings: Meanings, article_vocab: list[VocabEntry]
) -> None:
    entries = build_vocabulary(seed_lessons[ARTICLE_SEED], meanings, known={"Rechenleistung", "das KI-Modell"})
    lemmas = {e.lemma for e in entries}
    assert "Rechenleistung" not in lemmas and "KI-Modell" not in lemmas
    assert len(entries) == len(article_vocab) - 2


def test_known_file(tmp_path: Path) -> None:
    path = tmp_path / "known.txt"
    path.write_text("# my words\nRechenleistung\ndie Börse  # learnt in May\n\n  aufholen\n", encoding="utf-8")
    known = read_known_file(path)
    assert {"Rechenleistung", "Börse", "aufholen"} <= known


def test_entries_serialise(article_vocab: list[VocabEntry]) -> None:
    data = json.loads(json.dumps([e.to_dict() for e in article_vocab], ensure_ascii=False))
    first = data[0]
    assert {
        "lemma",
        "display",
        "pos",
        "article",
        "plural",
        "meaning",
        "meaning_source",
        "cefr",
        "zipf",
        "count",
    } <= set(first)
    assert {"example", "example_word", "example_translation", "sentence", "parts"} <= set(first)


# --- formats -------------------------------------------------------------------------------------------------


def test_csv_format(seed_lessons: dict[str, Lesson], article_vocab: list[VocabEntry]) -> None:
    rows = list(csv.DictReader(io.StringIO(render(article_vocab, seed_lessons[ARTICLE_SEED], "csv"))))
    assert len(rows) == len(article_vocab)
    row = next(r for r in rows if r["lemma"] == "Rechenleistung")
    assert row["display"] == "die Rechenleistung" and row["plural"] == "Rechenleistungen"


def test_markdown_glossary(seed_lessons: dict[str, Lesson], transcript_vocab: list[VocabEntry]) -> None:
    lesson = seed_lessons[TRANSCRIPT_SEED]
    text = render(transcript_vocab, lesson, "md", level="B2")
    lines = text.splitlines()
    assert lines[0].startswith("# ") and lesson.cefr in text
    assert "| Wort | Plural | Bedeutung | Beispiel |" in lines
    row = next(line for line in lines if line.startswith("| **aufmischen**"))
    assert "**mischt**" in row and "**auf**" in row and "to shake up" in row
    kosten = next(line for line in lines if line.startswith("| **die Kosten**"))
    assert "nur Plural" in kosten


def test_tsv_imports_into_anki(
    tmp_path: Path, seed_lessons: dict[str, Lesson], article_vocab: list[VocabEntry]
) -> None:
    anki_collection = pytest.importorskip("anki.collection")
    out = tmp_path / "vocab.tsv"
    out.write_text(render(article_vocab, seed_lessons[ARTICLE_SEED], "tsv"), encoding="utf-8")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["#separator:tab", "#html:true", "#guid column:1"]
    assert any(line.startswith("#columns:GUID\tFront\tBack") for line in lines)
    (tmp_path / "profile").mkdir()
    col = anki_collection.Collection(str(tmp_path / "profile" / "collection.anki2"))
    try:
        metadata = col.get_csv_metadata(str(out), None)
        log = col.import_csv(anki_collection.ImportCsvRequest(path=str(out), metadata=metadata)).log
        assert len(log.new) == len(article_vocab)
        fronts = {col.get_note(nid)["Front"]: col.get_note(nid) for nid in col.find_notes("")}
        assert "<b>Rechenleistung</b>" in fronts["die Rechenleistung"]["Back"]
        assert fronts["die Rechenleistung"]["Back"].startswith("computing power")
    finally:
        col.close()


# --- CLI -----------------------------------------------------------------------------------------------------


def vocab_cli(paths: Paths, *args: str) -> int:
    return cli.run(["--data-dir", str(paths.root), "vocab", *args])


def test_cli_json_and_table(seed_paths: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    assert vocab_cli(seed_paths, "5", "--format", "json", "--level", "c1") == 0
    data = json.loads(capsys.readouterr().out)
    assert data and all(row["cefr"] in {"C1", "C2"} for row in data)
    assert "aufmischen" in {row["lemma"] for row in data}
    assert vocab_cli(seed_paths, "1", "--sort", "difficulty") == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["word", "plural", "pos"]
    assert any(line.startswith("die Rechenleistung") and "Rechenleistungen" in line for line in table)


def test_cli_writes_a_file(seed_paths: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "glossar.md"
    assert vocab_cli(seed_paths, "1", "--format", "md", "-o", str(out)) == 0
    assert f"to {out}" in capsys.readouterr().out
    assert "**die Rechenleistung**" in out.read_text(encoding="utf-8")


def test_cli_new_uses_the_store_and_a_known_file(
    seed_paths: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from lessons.store import WordStatus, open_store

    paths = copy_lesson_cache(seed_paths, tmp_path / "data")
    with open_store(paths) as store:
        store.set_statuses({"Rechenleistung": WordStatus.KNOWN, "chinesisch": WordStatus.IGNORED})
    known = tmp_path / "known.txt"
    known.write_text("# known\ndas KI-Modell\n", encoding="utf-8")

    assert vocab_cli(paths, "1", "--format", "json") == 0
    everything = {row["lemma"] for row in json.loads(capsys.readouterr().out)}
    assert {"Rechenleistung", "chinesisch", "KI-Modell"} <= everything
    assert vocab_cli(paths, "1", "--format", "json", "--new", "--known", str(known)) == 0
    new = {row["lemma"] for row in json.loads(capsys.readouterr().out)}
    assert new == everything - {"Rechenleistung", "chinesisch", "KI-Modell"}


def test_cli_errors_are_one_line(seed_paths: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (("nope",), ("1", "--level", "Z9"), ("1", "--known", str(tmp_path / "missing.txt"))):
        assert vocab_cli(seed_paths, *args) == 2
        err = capsys.readouterr().err
        assert err.startswith("lesestoff: error:") and err.count("\n") == 1, err


def test_pos_values_are_plain_strings(article_vocab: list[VocabEntry]) -> None:
    assert {e.pos for e in article_vocab} <= {p.value for p in Pos}
