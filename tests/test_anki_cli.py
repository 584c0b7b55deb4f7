"""``lesestoff anki``: the deck the CLI writes, imported into a real Anki collection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lessons import cli
from lessons.paths import Paths

anki_collection = pytest.importorskip("anki.collection")


@pytest.fixture
def col(tmp_path: Path) -> Iterator[object]:
    (tmp_path / "profile").mkdir()
    collection = anki_collection.Collection(str(tmp_path / "profile" / "collection.anki2"))
    try:
        yield collection
    finally:
        collection.close()


def anki(paths: Paths, *args: str) -> int:
    return cli.run(["--data-dir", str(paths.root), "anki", *args])


def import_deck(col: object, path: Path) -> None:
    request = anki_collection.ImportAnkiPackageRequest(
        package_path=str(path),
        options=anki_collection.ImportAnkiPackageOptions(merge_notetypes=True, with_scheduling=False),
    )
    col.import_anki_package(request)  # type: ignore[attr-defined]


def notes(col: object, note_type: str) -> list:
    found = [col.get_note(nid) for nid in col.find_notes("")]  # type: ignore[attr-defined]
    return [n for n in found if n.note_type()["name"] == note_type]


def test_deck_of_two_lessons(
    seed_paths: Paths, tmp_path: Path, col: object, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "lesestoff.apkg"
    assert anki(seed_paths, "1", "5", "-o", str(out)) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Wrote {out}: ") and "notes" in printed and "cards" in printed and "2 decks" in printed
    import_deck(col, out)

    vocab = {n["Lemma"]: n for n in notes(col, "Lesestoff Vocabulary")}
    power = vocab["Rechenleistung"]
    assert power["Word"] == "die Rechenleistung" and power["Plural"] == "Rechenleistungen"
    assert power["Meaning"] == "computing power" and power["Article"] == "die" and power["IsNoun"] == "1"
    assert "<b>Rechenleistung</b>" in power["Example"] and power["ExampleTranslation"]
    shake = vocab["aufmischen"]
    assert shake["Word"] == "aufmischen" and "<b>mischt</b>" in shake["Example"]
    assert vocab["Kosten"]["Word"] == "die Kosten"
    assert "JetGPT" not in " ".join(n["Example"] for n in vocab.values())

    cloze = notes(col, "Lesestoff Cloze")
    assert any("{{c1::mischt}}" in n["Text"] for n in cloze)
    assert all("{{c1::" in n["Text"] for n in cloze)
    decks = {col.decks.name(c.did) for n in vocab.values() for c in n.cards()}  # type: ignore[attr-defined]
    assert len(decks) == 2 and all(name.startswith("Lesestoff::") for name in decks)


def test_options_level_and_no_cloze(seed_paths: Paths, tmp_path: Path, col: object) -> None:
    out = tmp_path / "hard.apkg"
    assert anki(seed_paths, "5", "-o", str(out), "--level", "C1", "--no-cloze") == 0
    import_deck(col, out)
    vocab = notes(col, "Lesestoff Vocabulary")
    assert vocab and all(n["Level"] in {"C1", "C2"} for n in vocab)
    assert notes(col, "Lesestoff Cloze") == []


def test_all_lessons_without_ids_and_new_words_only(seed_paths: Paths, tmp_path: Path, col: object) -> None:
    from lessons.store import WordStatus, open_store
    from tests.study_texts import copy_lesson_cache

    paths = copy_lesson_cache(seed_paths, tmp_path / "data")
    with open_store(paths) as store:
        store.set_status("Rechenleistung", WordStatus.KNOWN)
    out = tmp_path / "all.apkg"
    assert anki(paths, "-o", str(out), "--new", "--no-cloze") == 0
    import_deck(col, out)
    vocab = {n["Lemma"] for n in notes(col, "Lesestoff Vocabulary")}
    assert "aufmischen" in vocab and "Rechenleistung" not in vocab
    decks = {d.name for d in col.decks.all_names_and_ids()}  # type: ignore[attr-defined]
    assert len([d for d in decks if d.startswith("Lesestoff::")]) == 5


def test_errors_are_one_line(seed_paths: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (("1",), ("1", "-o", str(tmp_path / "deck.txt")), ("nope", "-o", str(tmp_path / "x.apkg"))):
        assert anki(seed_paths, *args) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("lesestoff: error:") and err.count("\n") == 1, err
    assert not (tmp_path / "x.apkg").exists()


def test_audio_is_cached_in_the_data_dir(seed_paths: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lessons import audio
    from tests.study_texts import copy_lesson_cache

    if not audio.tools_available():
        pytest.skip("espeak-ng/lame not installed")
    paths = copy_lesson_cache(seed_paths, tmp_path / "data")
    out = tmp_path / "audio.apkg"
    assert anki(paths, "5", "--level", "C2", "--audio", "--no-cloze", "-o", str(out)) == 0
    printed = capsys.readouterr().out
    clips = sorted(paths.audio.glob("*.mp3"))
    assert clips and f"{len(clips)} media files" in printed
