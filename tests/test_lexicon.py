"""The offline lexicon: Ding parsing and ranking, german-nouns grammar, compounds, rebuilds, status, CLI.

Dictionary tests use small Ding-format fixtures (tests/fixtures/lexicon-*); noun grammar comes from the
installed german-nouns package. Tests against Debian's full trans-de-en skip when it is not installed.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from lessons import lexicon as lexicon_module
from lessons.errors import UserError
from lessons.lexicon import (
    DEBIAN_DING,
    Gloss,
    GlossSource,
    Lexicon,
    NounInfo,
    dictionaries_dir,
    import_dictionary,
    open_lexicon,
    validate_ding,
)
from lessons.lexicon_cli import add_dict_commands
from lessons.paths import Paths

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "lexicon-ding-mini.txt"
EXTRA_GZ = FIXTURES / "lexicon-ding-extra.txt.gz"
NOT_DING = FIXTURES / "lexicon-not-ding.csv"

HAS_NOUNS = lexicon_module.german_nouns_csv() is not None
needs_nouns = pytest.mark.skipif(not HAS_NOUNS, reason="german-nouns is not installed")
needs_debian = pytest.mark.skipif(not DEBIAN_DING.is_file(), reason=f"{DEBIAN_DING} (trans-de-en) absent")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lexicon file with german-nouns and both fixtures indexed (built once: nouns take ~2 s)."""
    base = tmp_path_factory.mktemp("lexicon")
    mini = base / MINI.name
    extra = base / EXTRA_GZ.name
    shutil.copy(MINI, mini)
    shutil.copy(EXTRA_GZ, extra)
    lex = Lexicon(base / "lexicon.sqlite", [mini, extra])
    status = lex.ensure_built()
    assert status.dictionary_ready, status.message
    lex.close()
    return base


@pytest.fixture()
def lex(built: Path):
    lexicon = Lexicon(built / "lexicon.sqlite", [built / MINI.name, built / EXTRA_GZ.name])
    yield lexicon
    lexicon.close()


def copy_db(built: Path, target: Path) -> Path:
    """A private copy of the built lexicon (keeps the noun index, so a test only re-indexes Ding files)."""
    db = target / "lexicon.sqlite"
    shutil.copy(built / "lexicon.sqlite", db)
    return db


# --- glosses -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lemma", "pos", "english", "gloss_pos", "headword"),
    [
        ("Leistung", None, "performance", "NOUN", "Leistung"),
        ("Modell", "NOUN", "model", "NOUN", "Modell"),
        ("hoch", None, "high", "ADJ", "hoch"),  # the {adj} marker of the last alternative covers "hoch"
        ("schnell", "ADJ", "fast; quick", "ADJ", "schnell"),
        ("vergleichen", "VERB", "to compare sb./sth. with sb./sth.", "VERB", "vergleichen"),  # from a phrase
        ("aufholen", None, "to catch up on sth.", "VERB", "aufholen"),  # "etw. aufholen"
        ("essen", None, "to eat", "VERB", "essen"),
        ("Essen", None, "meal", "NOUN", "Essen"),
        ("Rechenleistung", None, "computing power", "NOUN", "Rechenleistung"),
        ("Rechenleistungen", None, "computing power", "NOUN", "Rechenleistung"),  # plural → lemma
        ("höher", None, "high", "ADJ", "hoch"),  # comparative → lemma
        ("verglichen", None, "to compare sb./sth. with sb./sth.", "VERB", "vergleichen"),  # participle
        ("Sprachmodell", None, "language model", "NOUN", "Sprachmodell"),  # from the .gz source
    ],
)
def test_first_gloss(lex: Lexicon, lemma: str, pos: str | None, english: str, gloss_pos: str,
                     headword: str) -> None:
    first = lex.glosses(lemma, pos)[0]
    assert (first.english, first.pos, first.headword, first.rank, first.source) == (
        english, gloss_pos, headword, 0, "dictionary")


def test_ranking_puts_first_senses_and_own_entries_first(lex: Lexicon) -> None:
    found = [g.english for g in lex.glosses("Leistung")]
    # Own lines before the one where Leistung is a synonym of Dienst; the plain line before the [techn.] one.
    assert found == ["performance", "power", "service"]
    assert [g.rank for g in lex.glosses("Leistung")] == [0, 1, 2]
    assert lex.glosses("Leistung", limit=1) == [Gloss("performance", "NOUN", "dictionary", "Leistung", 0, "f")]


def test_gloss_gender_and_markup_is_cleaned(lex: Lexicon) -> None:
    (gloss,) = lex.glosses("Prozessor")
    assert (gloss.english, gloss.gender) == ("processor", "m")
    assert lex.glosses("Ocker")[0].gender == "m,n"


def test_case_matters_but_falls_back(lex: Lexicon) -> None:
    assert lex.glosses("Essen")[0].pos == "NOUN"
    assert lex.glosses("essen")[0].pos == "VERB"
    # Unknown spelling: the other capitalisation is tried (a sentence-initial adjective, say).
    assert lex.glosses("Schnell")[0].english == "fast; quick"


def test_unknown_word_has_no_glosses(lex: Lexicon) -> None:
    assert lex.glosses("Xyzzyquux") == []
    assert lex.glosses("") == []


@pytest.mark.parametrize(
    ("word", "known"),
    [("Leistung", True), ("vergleichen", True), ("Rechenleistung", True), ("Modell", True),
     ("leistung", False), ("Rechenleistungen", False), ("Hochleistungsprozessor", False), ("Xyzzy", False)],
)
def test_knows_exact_headwords(lex: Lexicon, word: str, known: bool) -> None:
    assert lex.knows(word) is known


def test_protocol(lex: Lexicon) -> None:
    class Fake:
        def glosses(self, lemma: str, pos: str | None = None, limit: int = 5) -> list[Gloss]:
            return [Gloss("house", "NOUN", "dictionary", lemma, 0)]

        def noun(self, lemma: str) -> NounInfo | None:
            return None

    assert isinstance(lex, GlossSource)
    assert isinstance(Fake(), GlossSource)


# --- nouns (german-nouns) ----------------------------------------------------------------------------------


@needs_nouns
@pytest.mark.parametrize(
    ("lemma", "gender", "article", "plural", "genitive"),
    [
        ("Rechenleistung", "f", "die", "Rechenleistungen", "Rechenleistung"),
        ("Modell", "n", "das", "Modelle", "Modells"),
        ("Prozessor", "m", "der", "Prozessoren", "Prozessors"),
        ("Essen", "n", "das", "Essen", "Essens"),
        ("Leistung", "f", "die", "Leistungen", "Leistung"),
        ("Abverkauf", "m", "der", "Abverkäufe", "Abverkaufs"),
    ],
)
def test_noun_grammar(lex: Lexicon, lemma: str, gender: str, article: str, plural: str, genitive: str) -> None:
    info = lex.noun(lemma)
    assert info is not None
    assert (info.lemma, info.gender, info.article, info.plural, info.genitive, info.source) == (
        lemma, gender, article, plural, genitive, "german-nouns")


@needs_nouns
def test_noun_is_case_sensitive(lex: Lexicon) -> None:
    assert lex.noun("essen") is None
    assert lex.noun("Essen") is not None


@needs_nouns
def test_noun_keeps_every_gender_and_plural(lex: Lexicon) -> None:
    band = lex.noun("Band")
    assert band is not None
    assert set(band.genders) == {"n", "m", "f"}
    assert band.gender == band.genders[0]
    assert {"Bänder", "Bände", "Bands"} <= set(band.plurals)
    assert band.plural == band.plurals[0]
    joghurt = lex.noun("Joghurt")
    assert joghurt is not None and len(joghurt.genders) >= 2


@needs_nouns
def test_nouns_read_under_ascii_locale(tmp_path: Path) -> None:
    """german-nouns' own loader fails under LC_ALL=C; ours reads the CSV as UTF-8 explicitly."""
    script = (
        "from lessons.lexicon import _read_nouns, german_nouns_csv\n"
        "rows, forms = _read_nouns(german_nouns_csv())\n"
        "print(ascii(dict((r[0], r[2]) for r in rows)['Abverkauf']))\n"
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "ascii"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ascii("Abverkäufe")


@needs_nouns
def test_inflected_noun_maps_to_lemma(lex: Lexicon) -> None:
    info = lex.noun("Modelle")
    assert info is not None and info.lemma == "Modell" and info.gender == "n"
    assert lex.lemma_of("Rechenleistungen") == "Rechenleistung"


@needs_nouns
@pytest.mark.parametrize(
    ("word", "expected"),
    [("Modell", True), ("Modellen", True), ("KI-Modell", True), ("Hochleistungsprozessor", True),
     ("Berlin", False), ("DeepSeek", False)],
)
def test_is_common_noun(lex: Lexicon, word: str, expected: bool) -> None:
    assert lex.is_common_noun(word) is expected


# --- compounds ---------------------------------------------------------------------------------------------


@needs_nouns
@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("Hochleistungsprozessor", ["hoch", "Leistung", "Prozessor"]),  # linking -s-
        ("Rechenleistung", ["rechnen", "Leistung"]),  # Rechen- is rechnen's stem
        ("Rechenkapazität", ["rechnen", "Kapazität"]),
        ("KI-Modell", ["KI", "Modell"]),  # hyphen: unknown first piece kept
        ("Sprachmodell", ["Sprache", "Modell"]),  # -e dropped
        ("Modellprozessoren", ["Modell", "Prozessor"]),  # inflected head → lemma
        ("Adblocker", None),  # no "Ocker" head: "Adbl" is not a word, "Ad" too short
        ("Xyzzyprozessor", None),  # unknown first part: no split
        ("Modell", None),
    ],
)
def test_split_compound(lex: Lexicon, word: str, parts: list[str] | None) -> None:
    assert lex.split_compound(word) == parts


@needs_nouns
@pytest.mark.parametrize(
    ("word", "lemma", "article", "plural", "head"),
    [
        ("Hochleistungsprozessor", "Hochleistungsprozessor", "der", "Hochleistungsprozessoren", "Prozessor"),
        ("Hochleistungsprozessoren", "Hochleistungsprozessor", "der", "Hochleistungsprozessoren", "Prozessor"),
        ("KI-Modell", "KI-Modell", "das", "KI-Modelle", "Modell"),
        ("Rechenkapazität", "Rechenkapazität", "die", "Rechenkapazitäten", "Kapazität"),
    ],
)
def test_compound_takes_grammar_from_head(lex: Lexicon, word: str, lemma: str, article: str, plural: str,
                                           head: str) -> None:
    info = lex.noun(word)
    assert info is not None
    assert (info.lemma, info.article, info.plural, info.head, info.source) == (
        lemma, article, plural, head, "compound head")


@needs_nouns
def test_no_false_head(lex: Lexicon) -> None:
    info = lex.noun("Adblocker")
    assert info is None or info.head != "Ocker"
    assert lex.glosses("Adblocker") == [] or "ochre" not in lex.glosses("Adblocker")[0].english


@needs_nouns
def test_compound_gloss_from_parts(lex: Lexicon) -> None:
    (gloss,) = lex.glosses("Hochleistungsprozessor")
    assert gloss == Gloss("high + performance + processor", "NOUN", "compound", "hoch+Leistung+Prozessor", 0, "m")
    # A word with its own entry is not split.
    assert lex.glosses("Rechenleistung")[0].source == "dictionary"


# --- building, sources, status -----------------------------------------------------------------------------


def test_rebuilds_when_source_changes(built: Path, tmp_path: Path) -> None:
    db = copy_db(built, tmp_path)
    source = tmp_path / "words.txt"
    source.write_text("Modell {n} :: model\n", encoding="utf-8")
    stages: list[str] = []
    lex = Lexicon(db, [source], progress=lambda stage, fraction: stages.append(stage))
    assert lex.ensure_built().dictionary_ready
    assert [g.english for g in lex.glosses("Modell")] == ["model"]
    assert lex.glosses("Leistung") == []  # sources no longer configured are dropped
    assert not any(s == "nouns" for s in stages)  # the noun index was kept

    stages.clear()
    lex.ensure_built()
    assert stages == []  # unchanged: nothing re-indexed

    source.write_text("Modell {n} :: mock-up\nHaus {n} :: house\n", encoding="utf-8")
    os.utime(source, ns=(1_000_000_000, 1_000_000_000))
    lex.ensure_built()
    assert stages and stages[0] == "dictionary words.txt"
    assert [g.english for g in lex.glosses("Modell")] == ["mock-up"]
    assert lex.glosses("Haus")[0].english == "house"
    lex.close()

    # A fresh instance sees the new index without rebuilding.
    stages.clear()
    again = Lexicon(db, [source], progress=lambda stage, fraction: stages.append(stage))
    assert again.glosses("Haus")[0].english == "house"
    assert stages == []
    again.close()


def test_missing_debian_source_is_reported_once(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    missing = tmp_path / "no-such-de-en"
    monkeypatch.setattr(lexicon_module, "DEBIAN_DING", missing)
    lex = Lexicon(copy_db(built, tmp_path), ding_sources=None)
    with caplog.at_level(logging.WARNING, logger="lessons.lexicon"):
        status = lex.ensure_built()
        lex.ensure_built()
    assert not status.dictionary_ready and status.dictionary_source is None
    assert str(missing) in status.message and "trans-de-en" in status.message
    assert "\n" not in status.message
    assert sum(str(missing) in r.getMessage() for r in caplog.records) == 1
    assert lex.glosses("Leistung") == []  # no crash, just no glosses
    if HAS_NOUNS:
        assert status.nouns_ready
        assert lex.noun("Modell") is not None  # the rest keeps working
    assert lex.status() == status
    lex.close()


def test_missing_named_source_and_empty_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon_module, "german_nouns_csv", lambda: None)  # fast: no noun index
    lex = Lexicon(tmp_path / "a.sqlite", [tmp_path / "gone.txt"])
    status = lex.ensure_built()
    assert not status.dictionary_ready and "gone.txt" in status.message
    assert not status.nouns_ready and "german-nouns" in status.message
    assert lex.noun("Modell") is None and lex.glosses("Modell") == []
    lex.close()
    empty = Lexicon(tmp_path / "b.sqlite", [])
    assert "No English dictionary" in empty.ensure_built().message
    empty.close()


def test_status_without_building(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon_module, "german_nouns_csv", lambda: None)
    lex = Lexicon(tmp_path / "lexicon.sqlite", [MINI])
    status = lex.status()
    assert not status.dictionary_ready and "not indexed yet" in status.message
    assert lex.ensure_built().dictionary_ready
    assert lex.status().dictionary_source == str(MINI)
    lex.close()


def test_queries_build_on_first_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon_module, "german_nouns_csv", lambda: None)
    lex = Lexicon(tmp_path / "lexicon.sqlite", [MINI])
    assert lex.glosses("Modell")[0].english == "model"
    lex.close()


def test_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon_module, "german_nouns_csv", lambda: None)
    db = tmp_path / "lexicon.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    lex = Lexicon(db, [MINI])
    assert lex.glosses("Modell")[0].english == "model"
    lex.close()


def test_threads_share_a_lexicon(lex: Lexicon) -> None:
    results: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                results.append(lex.glosses("Leistung")[0].english)
                assert lex.knows("Modell")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == ["performance"] * 80


# --- importing user files ----------------------------------------------------------------------------------


def test_import_gz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon_module, "german_nouns_csv", lambda: None)
    lex = Lexicon(tmp_path / "lexicon.sqlite", [])
    assert lex.import_ding(EXTRA_GZ) == 3
    assert lex.glosses("Sprachmodell")[0].english == "language model"
    assert lex.ensure_built().dictionary_ready  # the imported file stays a source
    assert lex.import_ding(EXTRA_GZ) == 3  # already indexed: no duplicates
    assert [g.english for g in lex.glosses("Blocker")] == ["blocker"]
    lex.close()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("words.csv", NOT_DING.read_bytes(), "is not a Ding dictionary"),
        ("empty.txt", b"# only a comment\n\n", "no entries"),
        ("blob.bin", bytes(range(256)) * 4, "binary"),
        ("broken.gz", b"\x1f\x8b\x08\x00garbage", "cannot read"),
    ],
)
def test_import_rejects_other_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    lex = Lexicon(tmp_path / "lexicon.sqlite", [])
    with pytest.raises(ValueError, match=message) as info:
        lex.import_ding(path)
    assert "\n" not in str(info.value)
    with pytest.raises(ValueError, match="no such file"):
        validate_ding(tmp_path / "missing.txt")
    lex.close()


def test_latin1_ding_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon_module, "german_nouns_csv", lambda: None)
    path = tmp_path / "old.txt"
    path.write_bytes("Größe {f} | Größen {pl} :: size | sizes\n".encode("latin-1"))
    lex = Lexicon(tmp_path / "lexicon.sqlite", [])
    assert lex.import_ding(path) == 1
    assert lex.glosses("Größe")[0].english == "size"
    lex.close()


def test_import_dictionary_into_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon_module, "DEBIAN_DING", tmp_path / "absent")
    monkeypatch.setattr(lexicon_module, "german_nouns_csv", lambda: None)
    paths = Paths(tmp_path / "data")
    kept, entries = import_dictionary(paths, EXTRA_GZ)
    assert entries == 3 and kept.parent == dictionaries_dir(paths) and kept.read_bytes() == EXTRA_GZ.read_bytes()
    again, _ = import_dictionary(paths, EXTRA_GZ)
    assert again == kept and len(list(dictionaries_dir(paths).iterdir())) == 1
    lex = open_lexicon(paths)
    assert lex.ding_sources == (kept,)
    status = lex.ensure_built()
    assert status.dictionary_ready and status.dictionary_source == str(kept)
    assert lex.glosses("Ocker")[0].english == "ochre"
    lex.close()

    # A newer release under the same name replaces the kept copy and is re-indexed.
    newer = tmp_path / EXTRA_GZ.name
    newer.write_bytes(gzip.compress(b"Ocker {m,n} :: ocher\nHaus {n} :: house\n"))
    kept_again, entries = import_dictionary(paths, newer)
    assert (kept_again, entries) == (kept, 2) and len(list(dictionaries_dir(paths).iterdir())) == 1
    lex = open_lexicon(paths)
    assert [g.english for g in lex.glosses("Ocker")] == ["ocher"]
    lex.close()


# --- CLI -----------------------------------------------------------------------------------------------------


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lesestoff")
    add_dict_commands(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_cli_import_and_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(lexicon_module, "DEBIAN_DING", tmp_path / "absent")
    monkeypatch.setattr(lexicon_module, "german_nouns_csv", lambda: None)
    paths = Paths(tmp_path / "data")
    args = parse(["dict", "import", str(EXTRA_GZ)])
    assert args.func(args, paths) == 0
    assert "Indexed 3 entries from lexicon-ding-extra.txt.gz" in capsys.readouterr().out

    args = parse(["dict", "status"])
    code = args.func(args, paths)
    out = capsys.readouterr().out
    assert code == 1  # no noun data in this test
    assert "Dictionary ready: 3 entries" in out and "german-nouns" in out


@pytest.mark.parametrize("path", [str(NOT_DING), "/no/such/file.txt"])
def test_cli_import_errors_are_user_errors(tmp_path: Path, path: str) -> None:
    args = parse(["dict", "import", path])
    with pytest.raises(UserError) as info:
        args.func(args, Paths(tmp_path / "data"))
    assert "\n" not in info.value.message


def test_cli_status_reports_missing_dictionary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(lexicon_module, "DEBIAN_DING", tmp_path / "absent")
    monkeypatch.setattr(lexicon_module, "german_nouns_csv", lambda: None)
    args = parse(["dict", "status", "--build"])
    assert args.func(args, Paths(tmp_path / "data")) == 1
    out = capsys.readouterr().out
    assert "dictionary: not ready" in out and "trans-de-en" in out


# --- Debian's full trans-de-en -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def debian(tmp_path_factory: pytest.TempPathFactory):
    lexicon = Lexicon(tmp_path_factory.mktemp("debian") / "lexicon.sqlite", [DEBIAN_DING])
    status = lexicon.ensure_built()
    assert status.dictionary_ready, status.message
    yield lexicon
    lexicon.close()


@needs_debian
@pytest.mark.parametrize(
    ("lemma", "pos", "expected"),
    [
        ("Rechenleistung", None, "computing power"),
        ("vergleichen", "VERB", "to compare"),  # only in phrases: "jdn./etw. mit jdm./einer Sache vergleichen"
        ("Abverkauf", None, "sale"),
        ("Leistung", "NOUN", "performance"),
        ("Modell", "NOUN", "model"),
        ("aufholen", "VERB", "to catch up"),
        ("hoch", "ADJ", "high"),
        ("Sprache", "NOUN", "language"),
    ],
)
def test_debian_entries(debian: Lexicon, lemma: str, pos: str | None, expected: str) -> None:
    top3 = [g.english for g in debian.glosses(lemma, pos, limit=3)]
    assert any(expected in g for g in top3), top3


@needs_debian
def test_debian_forms_and_compounds(debian: Lexicon) -> None:
    assert debian.glosses("Rechenleistungen")[0].headword == "Rechenleistung"
    assert debian.glosses("Essen", "NOUN")[0].pos == "NOUN"
    assert debian.glosses("essen", "VERB")[0].english == "to eat"
    (gloss,) = debian.glosses("Hochleistungsprozessor")
    assert gloss.source == "compound" and gloss.headword == "hoch+Leistung+Prozessor"
    assert debian.split_compound("Adblocker") is None or debian.split_compound("Adblocker")[-1] != "Ocker"


def test_gzip_fixture_is_gzip() -> None:
    with gzip.open(EXTRA_GZ, "rt", encoding="utf-8") as fh:
        assert " :: " in fh.read()
