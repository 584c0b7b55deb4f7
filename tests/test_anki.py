"""Anki export, checked by importing into a fresh collection with the real ``anki`` package (test-only)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import genanki
import pytest

import lessons.anki as anki_mod
from lessons import audio as audio_mod
from lessons.anki import (
    CLOZE_MODEL_ID,
    VOCAB_MODEL_ID,
    AnkiLesson,
    AnkiWord,
    deck_id_for,
    export_deck,
    write_tsv,
)

anki_collection = pytest.importorskip("anki.collection")
Collection = anki_collection.Collection
ImportAnkiPackageOptions = anki_collection.ImportAnkiPackageOptions
ImportAnkiPackageRequest = anki_collection.ImportAnkiPackageRequest
ImportCsvRequest = anki_collection.ImportCsvRequest


# --- fixtures -----------------------------------------------------------------------------------------


def noun(lemma: str = "Rechenleistung", **kw: object) -> AnkiWord:
    base: dict[str, object] = {
        "lemma": lemma,
        "display": f"die {lemma}",
        "pos": "NOUN",
        "gender": "f",
        "article": "die",
        "plural": f"{lemma}en",
        "meaning": "computing power",
        "level": "B2",
        "example": f"Die {lemma} wächst jedes Jahr.",
        "example_word": lemma,
        "example_translation": "Computing power grows every year.",
    }
    base.update(kw)
    return AnkiWord(**base)  # type: ignore[arg-type]


VERB = AnkiWord(
    lemma="aufholen",
    display="aufholen",
    pos="VERB",
    gender=None,
    article=None,
    plural=None,
    meaning="to catch up",
    level="B1",
    example="Europa holt bei der KI auf.",
    example_word="holt",
    example_translation="Europe is catching up in AI.",
)
ADJ = AnkiWord(
    lemma="schnell",
    display="schnell",
    pos="ADJ",
    gender=None,
    article=None,
    plural=None,
    meaning="fast",
    level="A1",
    example="Das Modell ist schnell.",
    example_word="schnell",
    example_translation=None,
)
LESSON = AnkiLesson("ki-im-alltag", "KI im Alltag", (noun(), VERB, ADJ))


@pytest.fixture
def col(tmp_path: Path) -> Iterator[object]:
    """A fresh collection; Anki puts its media folder and media DB next to it, all inside tmp_path."""
    home = tmp_path / "anki-profile"
    home.mkdir()
    collection = Collection(str(home / "collection.anki2"))
    try:
        yield collection
    finally:
        collection.close()


def import_apkg(col: object, path: Path):
    request = ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(merge_notetypes=True, with_scheduling=False),
    )
    return col.import_anki_package(request).log  # type: ignore[attr-defined]


def strip_style(card_html: str) -> str:
    return re.sub(r"<style>.*?</style>", "", card_html, flags=re.S)


def notes_by_type(col: object) -> dict[str, list]:
    out: dict[str, list] = {}
    for nid in col.find_notes(""):  # type: ignore[attr-defined]
        note = col.get_note(nid)  # type: ignore[attr-defined]
        out.setdefault(note.note_type()["name"], []).append(note)
    return out


def vocab_note(col: object, lemma: str):
    notes = [n for n in notes_by_type(col)["Lesestoff Vocabulary"] if n["Lemma"] == lemma]
    assert len(notes) == 1, [n["Lemma"] for n in notes]
    return notes[0]


def card_by_template(note, name: str):
    cards = [c for c in note.cards() if c.template()["name"] == name]
    assert len(cards) == 1
    return cards[0]


# --- structure ----------------------------------------------------------------------------------------


def test_counts_decks_and_note_types(tmp_path: Path, col: object) -> None:
    second = AnkiLesson("energie", "Energie :: Wende", (noun("Windkraft", gender="f"),))
    result = export_deck([LESSON, second], tmp_path / "out.apkg", timestamp=1_700_000_000)

    # 4 vocab notes (2 nouns: 3 cards, verb and adjective: 2) + 4 cloze notes (1 card each)
    assert (result.notes, result.cards, result.decks, result.media) == (8, 3 + 2 + 2 + 3 + 4, 2, 0)
    assert result.warnings == ()
    log = import_apkg(col, result.path)
    assert len(log.new) == 8 and not log.updated and not log.duplicate
    assert col.note_count() == 8  # type: ignore[attr-defined]
    assert col.card_count() == result.cards  # type: ignore[attr-defined]

    by_type = notes_by_type(col)
    assert sorted(by_type) == ["Lesestoff Cloze", "Lesestoff Vocabulary"]
    assert col.models.by_name("Lesestoff Vocabulary")["id"] == VOCAB_MODEL_ID  # type: ignore[attr-defined]
    assert col.models.by_name("Lesestoff Cloze")["id"] == CLOZE_MODEL_ID  # type: ignore[attr-defined]
    field_names = col.models.field_names(col.models.by_name("Lesestoff Vocabulary"))  # type: ignore[attr-defined]
    assert field_names[:9] == [
        "Word",
        "Plural",
        "Meaning",
        "POS",
        "Level",
        "Example",
        "ExampleTranslation",
        "Source",
        "Audio",
    ]
    per_note = {n["Lemma"]: len(n.cards()) for n in by_type["Lesestoff Vocabulary"]}
    assert per_note == {"Rechenleistung": 3, "aufholen": 2, "schnell": 2, "Windkraft": 3}
    assert all(len(n.cards()) == 1 for n in by_type["Lesestoff Cloze"])

    deck_names = {col.decks.name(col.get_card(cid).did) for cid in col.find_cards("")}  # type: ignore[attr-defined]
    assert deck_names == {"Lesestoff::KI im Alltag", "Lesestoff::Energie : Wende"}
    assert col.decks.id_for_name("Lesestoff::KI im Alltag") is not None  # type: ignore[attr-defined]
    assert (1 << 30) <= deck_id_for("ki-im-alltag") < (1 << 31)
    assert deck_id_for("ki-im-alltag") == deck_id_for("ki-im-alltag") != deck_id_for("energie")


def test_tags(tmp_path: Path, col: object) -> None:
    lesson = AnkiLesson("mein text 2", "Mein Text", (noun(), VERB))
    import_apkg(col, export_deck([lesson], tmp_path / "out.apkg").path)
    assert sorted(vocab_note(col, "Rechenleistung").tags) == sorted(["lesestoff", "B2", "mein_text_2", "NOUN"])
    assert sorted(vocab_note(col, "aufholen").tags) == sorted(["lesestoff", "B1", "mein_text_2", "VERB"])
    cloze = notes_by_type(col)["Lesestoff Cloze"]
    assert all("lesestoff" in n.tags and "mein_text_2" in n.tags for n in cloze)


def test_rendered_cards(tmp_path: Path, col: object) -> None:
    import_apkg(col, export_deck([LESSON], tmp_path / "out.apkg").path)
    note = vocab_note(col, "Rechenleistung")

    de_en = card_by_template(note, "German → English")
    q, a = strip_style(de_en.question()), strip_style(de_en.answer())
    assert '<div class="word g-f">die Rechenleistung</div>' in q
    assert "computing power" not in q
    assert "computing power" in a
    assert "Die <b>Rechenleistung</b> wächst jedes Jahr." in a
    assert "Computing power grows every year." in a
    assert "Plural: Rechenleistungen" in a and "KI im Alltag" in a and "B2" in a

    en_de = card_by_template(note, "English → German")
    q, a = strip_style(en_de.question()), strip_style(en_de.answer())
    assert "computing power" in q and "Rechenleistung" not in q
    assert "die Rechenleistung" in a

    article = card_by_template(note, "Article")
    q, a = strip_style(article.question()), strip_style(article.answer())
    assert "___ Rechenleistung" in q
    assert '<span class="article">die</span> Rechenleistung' in a

    # the CSS is there, with dark-mode rules
    css = de_en.question()
    assert ".nightMode" in css and ".night_mode" in css

    # verbs and adjectives: no article card
    assert {c.template()["name"] for c in vocab_note(col, "aufholen").cards()} == {
        "German → English",
        "English → German",
    }

    clozes = {n["Word"]: n for n in notes_by_type(col)["Lesestoff Cloze"]}
    card = clozes["aufholen"].cards()[0]
    q, a = strip_style(card.question()), strip_style(card.answer())
    assert re.search(r'Europa <span class="cloze"[^>]*>\[\.\.\.\]</span> bei der KI auf\.', q)
    assert "to catch up" in q  # hint
    assert re.search(r'<span class="cloze"[^>]*>holt</span>', a)
    assert "Europe is catching up in AI." in a
    assert "Europe is catching up" not in q


def test_escaping(tmp_path: Path, col: object) -> None:
    evil = noun(
        "Skript",
        display="das <script>alert(1)</script> Skript",
        gender="n",
        article="das",
        meaning="script & <b>bold</b>",
        example="Tom & Jerry: <script>alert(1)</script> Das Skript läuft & läuft.",
        example_word="Skript",
        example_translation="Tom & Jerry <i>run</i>",
    )
    amp = noun("amp", display="amp", pos="OTHER", gender=None, article=None, example="Tom & amp.")
    result = export_deck([AnkiLesson("x", "Tests & <Co>", (evil, amp))], tmp_path / "out.apkg")
    import_apkg(col, result.path)

    note = vocab_note(col, "Skript")
    assert note["Word"] == "das &lt;script&gt;alert(1)&lt;/script&gt; Skript"
    assert note["Meaning"] == "script &amp; &lt;b&gt;bold&lt;/b&gt;"
    assert note["Example"] == (
        "Tom &amp; Jerry: &lt;script&gt;alert(1)&lt;/script&gt; Das <b>Skript</b> läuft &amp; läuft."
    )
    assert note["Source"] == "Tests &amp; &lt;Co&gt;"
    # the word is found in the raw text, never inside an entity ("amp" in "&amp;")
    assert vocab_note(col, "amp")["Example"] == "Tom &amp; <b>amp</b>."
    for cid in col.find_cards(""):  # type: ignore[attr-defined]
        card = col.get_card(cid)  # type: ignore[attr-defined]
        for side in (card.question(), card.answer()):
            assert "<script" not in side
            assert "<i>" not in side
    answers = " ".join(col.get_card(cid).answer() for cid in col.find_cards(""))  # type: ignore[attr-defined]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answers
    assert "Tom &amp; Jerry" in answers
    assert col.decks.id_for_name("Lesestoff::Tests & <Co>") is not None  # type: ignore[attr-defined]


# --- identity and updates -----------------------------------------------------------------------------


def test_reexport_with_changed_meaning_updates(tmp_path: Path, col: object) -> None:
    out = tmp_path / "out.apkg"
    first = export_deck([LESSON], out)  # default timestamps: both exports within the same second
    log = import_apkg(col, first.path)
    assert len(log.new) == first.notes
    cards_before = col.card_count()  # type: ignore[attr-defined]

    changed = AnkiLesson(
        LESSON.slug,
        LESSON.title,
        (noun(meaning="processing power", example_translation="More power."), VERB, ADJ),
    )
    second = export_deck([changed], out)
    log = import_apkg(col, second.path)
    assert not log.new
    assert not log.duplicate
    assert len(log.updated) == second.notes
    assert col.note_count() == first.notes  # type: ignore[attr-defined]
    assert col.card_count() == cards_before  # type: ignore[attr-defined]
    note = vocab_note(col, "Rechenleistung")
    assert note["Meaning"] == "processing power"
    assert note["ExampleTranslation"] == "More power."


def test_same_second_across_processes_still_newer(tmp_path: Path, col: object, monkeypatch) -> None:
    """A new process has no memory of the last stamp: the existing file's mtime is the floor."""
    out = tmp_path / "out.apkg"
    frozen = 1_800_000_000.25
    monkeypatch.setattr(anki_mod, "time", SimpleNamespace(time=lambda: frozen))
    monkeypatch.setattr(anki_mod, "_last_stamp", 0.0)
    import_apkg(col, export_deck([LESSON], out).path)
    os.utime(out, (frozen, frozen))
    monkeypatch.setattr(anki_mod, "_last_stamp", 0.0)  # "another process"
    changed = AnkiLesson(LESSON.slug, LESSON.title, (noun(meaning="new meaning"), VERB, ADJ))
    log = import_apkg(col, export_deck([changed], out).path)
    assert log.updated and not log.new
    assert vocab_note(col, "Rechenleistung")["Meaning"] == "new meaning"


def test_explicit_timestamps(tmp_path: Path, col: object) -> None:
    out = tmp_path / "out.apkg"
    import_apkg(col, export_deck([LESSON], out, timestamp=1_700_000_000).path)
    changed = AnkiLesson(LESSON.slug, LESSON.title, (noun(meaning="changed"), VERB, ADJ))
    # same second: Anki keeps the note as it is (which is why the default stamp increases)
    log = import_apkg(col, export_deck([changed], out, timestamp=1_700_000_000.9).path)
    assert not log.new and not log.updated
    log = import_apkg(col, export_deck([changed], out, timestamp=1_700_000_001).path)
    assert log.updated and not log.new
    assert vocab_note(col, "Rechenleistung")["Meaning"] == "changed"


def test_word_shared_by_two_lessons_is_one_note(tmp_path: Path, col: object) -> None:
    a = AnkiLesson("a", "Lektion A", (noun(), VERB))
    b = AnkiLesson("b", "Lektion B", (noun(meaning="other sense", example="Rechenleistung kostet."), ADJ))

    # in one export: emitted once, in the first lesson's deck, tagged with both lessons
    both = export_deck([a, b], tmp_path / "both.apkg")
    assert both.notes == 3 + 3  # Rechenleistung, aufholen, schnell + their cloze notes
    import_apkg(col, both.path)
    note = vocab_note(col, "Rechenleistung")
    assert note["Meaning"] == "computing power"
    assert {"a", "b"} <= set(note.tags)
    assert {col.decks.name(c.did) for c in note.cards()} == {"Lesestoff::Lektion A"}  # type: ignore[attr-defined]


def test_two_exports_sharing_a_word_do_not_duplicate(tmp_path: Path, col: object) -> None:
    a = AnkiLesson("a", "Lektion A", (noun(), VERB))
    b = AnkiLesson("b", "Lektion B", (noun(), ADJ))
    import_apkg(col, export_deck([a], tmp_path / "a.apkg").path)
    count = col.note_count()  # type: ignore[attr-defined]
    log = import_apkg(col, export_deck([b], tmp_path / "b.apkg").path)
    # only "schnell" and its cloze are new; Rechenleistung (and its identical cloze) are updates
    assert len(log.new) == 2
    assert col.note_count() == count + 2  # type: ignore[attr-defined]
    assert len([n for n in notes_by_type(col)["Lesestoff Vocabulary"] if n["Lemma"] == "Rechenleistung"]) == 1


def test_case_makes_distinct_notes(tmp_path: Path, col: object) -> None:
    essen_n = noun(
        "Essen",
        display="das Essen",
        gender="n",
        article="das",
        plural=None,
        meaning="food",
        example="Das Essen ist fertig.",
        example_word="Essen",
    )
    essen_v = AnkiWord("essen", "essen", "VERB", None, None, None, "to eat", "A1", "Wir essen um acht.", "essen", None)
    assert anki_mod.vocab_guid(essen_n) != anki_mod.vocab_guid(essen_v)
    result = export_deck([AnkiLesson("e", "Essen", (essen_n, essen_v))], tmp_path / "out.apkg", cloze=False)
    assert (result.notes, result.cards) == (2, 3 + 2)
    import_apkg(col, result.path)
    assert sorted(n["Lemma"] for n in notes_by_type(col)["Lesestoff Vocabulary"]) == ["Essen", "essen"]
    assert "Lesestoff Cloze" not in notes_by_type(col)


def test_guids_depend_on_identity_only() -> None:
    base = noun()
    assert anki_mod.vocab_guid(base) == anki_mod.vocab_guid(
        noun(meaning="x", example="y", level="C1", display="Rechenleistung", plural=None)
    )
    assert anki_mod.vocab_guid(base) != anki_mod.vocab_guid(noun(gender="m"))
    # capitalisation is identity: "Essen" and "essen" never share a note, whatever the POS says
    assert anki_mod.vocab_guid(base) != anki_mod.vocab_guid(noun(lemma="rechenleistung"))
    assert anki_mod.vocab_guid(base) != anki_mod.vocab_guid(noun(pos="PROPN"))
    assert anki_mod.cloze_guid("Die Rechenleistung wächst.", "Rechenleistung") != anki_mod.cloze_guid(
        "Die Rechenleistung sinkt.", "Rechenleistung"
    )


def test_word_missing_from_example_warns_and_skips_cloze(tmp_path: Path) -> None:
    odd = noun(example="Ein ganz anderer Satz.")
    result = export_deck([AnkiLesson("x", "X", (odd,))], tmp_path / "out.apkg")
    assert result.notes == 1 and result.cards == 3
    assert any("not found in its example" in w for w in result.warnings)


def test_progress_and_empty_export(tmp_path: Path, col: object) -> None:
    calls: list[tuple[int, int]] = []
    export_deck([LESSON], tmp_path / "out.apkg", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]

    empty = export_deck([AnkiLesson("e", "Leer", ())], tmp_path / "empty.apkg")
    assert (empty.notes, empty.decks) == (0, 0)
    assert "no words to export" in empty.warnings
    log = import_apkg(col, empty.path)
    assert not log.new


# --- writing ------------------------------------------------------------------------------------------


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "deck.apkg"
    export_deck([LESSON], out)
    before = out.read_bytes()

    def boom(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(genanki.Package, "write_to_db", boom)
    monkeypatch.setattr(genanki.Package, "write_to_file", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        export_deck([AnkiLesson("other", "Other", (ADJ,))], out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.apkg"]


def test_atomic_write_half_written_file_is_removed(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "deck.apkg"
    export_deck([LESSON], out)
    before = out.read_bytes()

    def half(package, path, timestamp):
        Path(path).write_bytes(b"PK\x03\x04 truncated")
        raise OSError("interrupted")

    monkeypatch.setattr(anki_mod, "_write_package", half)
    with pytest.raises(OSError, match="interrupted"):
        export_deck([LESSON], out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.apkg"]
    with zipfile.ZipFile(out) as zf:
        assert "collection.anki2" in zf.namelist()


def test_no_temp_files_left_behind(tmp_path: Path, monkeypatch) -> None:
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    (tmp_path / "out").mkdir()
    export_deck([LESSON], tmp_path / "out" / "deck.apkg")
    assert list(system_tmp.iterdir()) == []
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["deck.apkg"]


# --- audio --------------------------------------------------------------------------------------------


@pytest.mark.skipif(not audio_mod.tools_available(), reason="espeak-ng/lame not installed")
def test_audio_with_real_tools(tmp_path: Path, col: object, monkeypatch) -> None:
    cache = tmp_path / "audio-cache"
    result = export_deck([LESSON], tmp_path / "out.apkg", audio=True, audio_cache=cache)
    assert result.warnings == ()
    assert result.media == 3
    clips = sorted(cache.glob("*.mp3"))
    assert len(clips) == 3
    assert all(0 < p.stat().st_size < 50_000 for p in clips)
    assert clips[0].read_bytes()[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3")

    import_apkg(col, result.path)
    note = vocab_note(col, "Rechenleistung")
    match = re.fullmatch(r"\[sound:(lesestoff-[0-9a-f]+\.mp3)\]", note["Audio"])
    assert match
    assert (Path(col.media.dir()) / match.group(1)).is_file()  # type: ignore[attr-defined]
    question = card_by_template(note, "German → English").question()
    assert "synthetic voice" in question
    assert card_by_template(note, "German → English").question_av_tags()

    # a second export uses the cache: no tool runs
    def no_run(*args, **kwargs):
        raise AssertionError("synthesised again")

    monkeypatch.setattr(subprocess, "run", no_run)
    again = export_deck([LESSON], tmp_path / "again.apkg", audio=True, audio_cache=cache)
    assert again.media == 3 and again.warnings == ()


def test_audio_without_tools_warns(tmp_path: Path, col: object, monkeypatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = export_deck([LESSON], tmp_path / "out.apkg", audio=True, audio_cache=tmp_path / "cache")
    assert result.warnings == ("espeak-ng/lame not found: exported without audio",)
    assert result.media == 0
    with zipfile.ZipFile(result.path) as zf:
        assert zf.read("media") == b"{}"
    import_apkg(col, result.path)
    note = vocab_note(col, "Rechenleistung")
    assert note["Audio"] == ""
    assert "synthetic voice" not in card_by_template(note, "German → English").question()


def test_audio_failure_for_one_word_is_a_warning(tmp_path: Path, monkeypatch) -> None:
    def failing(text, cache_dir, **kwargs):
        raise audio_mod.AudioError("espeak-ng timed out")

    monkeypatch.setattr(audio_mod, "tools_available", lambda: True)
    monkeypatch.setattr(audio_mod, "synthesize", failing)
    result = export_deck([LESSON], tmp_path / "out.apkg", audio=True)
    assert result.media == 0
    assert len(result.warnings) == 3 and all("timed out" in w for w in result.warnings)


# --- TSV ----------------------------------------------------------------------------------------------


def test_write_tsv_imports_into_anki(tmp_path: Path, col: object) -> None:
    tricky = noun(
        "Tab",
        display="#der Tab",
        gender="m",
        article="der",
        meaning="tab\tstop & <b>\nnew line",
        example='Der "Tab" hier.',
        example_word="Tab",
    )
    out = tmp_path / "words.tsv"
    rows = write_tsv([noun(), VERB, tricky, noun()], out, deck="Lesestoff::Import", tags=["ki im alltag"])
    assert rows == 3
    text = out.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header[:2] == ["#separator:tab", "#html:true"]
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert len(body) == 3
    assert all(line.count("\t") == len(anki_mod.TSV_COLUMNS) - 1 for line in body)

    metadata = col.get_csv_metadata(str(out), None)  # type: ignore[attr-defined]
    log = col.import_csv(ImportCsvRequest(path=str(out), metadata=metadata)).log  # type: ignore[attr-defined]
    assert len(log.new) == 3
    fronts = {}
    for nid in col.find_notes(""):  # type: ignore[attr-defined]
        note = col.get_note(nid)  # type: ignore[attr-defined]
        fronts[note["Front"]] = note
    assert set(fronts) == {"die Rechenleistung", "aufholen", "&#35;der Tab"}
    assert fronts["die Rechenleistung"]["Back"].startswith("computing power")
    assert "<b>Rechenleistung</b>" in fronts["die Rechenleistung"]["Back"]
    assert fronts["&#35;der Tab"]["Back"].startswith("tab&#9;stop &amp; &lt;b&gt;<br>new line")
    assert {"lesestoff", "ki_im_alltag", "B2", "NOUN"} <= set(fronts["die Rechenleistung"].tags)
    deck_names = {col.decks.name(c.did) for n in fronts.values() for c in n.cards()}  # type: ignore[attr-defined]
    assert deck_names == {"Lesestoff::Import"}

    # a second import of the same file updates by GUID instead of adding
    log = col.import_csv(ImportCsvRequest(path=str(out), metadata=metadata)).log  # type: ignore[attr-defined]
    assert not log.new
    assert col.note_count() == 3  # type: ignore[attr-defined]
