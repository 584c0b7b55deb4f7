"""Transcript corrections: the curated file, the misheard-name detector, decisions, and the CLI around them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lessons import names
from lessons.corrections import (
    Corrector,
    corrector_factory,
    load_curated,
    parse_curated,
)
from lessons.corrections_cli import correction_lines
from lessons.errors import UserError
from lessons.keys import content_hash
from lessons.library import Library
from lessons.model import Correction, Kind, Lesson
from lessons.names import APPLY_THRESHOLD, build_index
from lessons.paths import Paths
from lessons.pipeline import build_lesson
from tests.conftest import SEEDS
from tests.test_cli import run

TRANSCRIPT = "004_30d06220ccea89d7.txt"
TRANSCRIPT_ROW = "5"

CURATED = [
    ("JetGPT", "ChatGPT", "name"),
    ("Diebsieg", "DeepSeek", "name"),
    ("eher Generell", "eher generell", "spelling"),
    ("weiteren Grafikkarten", "weitere Grafikkarten", "grammar"),
    ("auf flächendeckend", "flächendeckend", "grammar"),
    ("Modellen Der bisher", "Modellen bisher", "grammar"),
]


# --- the curated file --------------------------------------------------------------------------------------


def test_curated_file_holds_exactly_the_reviewed_fixes() -> None:
    entries = load_curated(SEEDS / "corrections.toml")
    assert [(e.wrong, e.right, e.kind) for e in entries] == CURATED
    assert all(e.lesson == TRANSCRIPT for e in entries)
    assert all(len(e.note) > 150 for e in entries)  # a teacher's justification, not a label


def test_curated_fixes_change_the_seed_transcript_and_nothing_else(seed_lessons: dict[str, Lesson]) -> None:
    lesson = seed_lessons[TRANSCRIPT]
    curated = [c for c in lesson.corrections if c.source == "curated"]
    assert sorted((c.original, c.corrected, c.kind) for c in curated) == sorted(CURATED)
    assert all(c.applied and c.note for c in curated)
    assert not [c for c in lesson.corrections if c.source == "suggested"]  # the curated file covers the names
    changed = [s for s in lesson.sentences if s.original is not None]
    assert len(changed) == len(CURATED)
    for sentence in changed:
        expected = sentence.original
        for c in curated:
            if c.sentence == sentence.index:
                expected = expected.replace(c.original, c.corrected)
        assert sentence.text == expected
    texts = " ".join(s.text for s in lesson.sentences)
    assert "mit Gemini oder ChatGPT mithalten" in texts
    assert "in der Mathematik, DeepSeek aufgeholt hat" in texts
    assert "den Vorsprung" in texts and " Der bisher" not in texts


def test_articles_keep_their_text_and_list_spelling_variants(seed_lessons: dict[str, Lesson]) -> None:
    lesson = seed_lessons["000_1a7e6b30ec4f487a.txt"]  # the NZZ writes "Deepseek" and "Open AI"
    assert all(s.original is None for s in lesson.sentences)
    assert {c.kind for c in lesson.corrections} == {"variant"}
    assert not any(c.applied for c in lesson.corrections)
    pairs = {(c.original, c.corrected) for c in lesson.corrections}
    assert {("Deepseek", "DeepSeek"), ("Open AI", "OpenAI"), ("Chat-GPT", "ChatGPT")} <= pairs


def _one(entries: str) -> Corrector:
    return Corrector(curated=parse_curated(entries))


def test_curated_matches_whole_words_only() -> None:
    corrector = _one('[[correction]]\nwrong = "Sieg"\nright = "Erfolg"\nkind = "spelling"\nnote = "n"\n')
    fixed, changes = corrector.for_lesson("x.txt", "h").correct(
        "Der Sieg, die Siege, der Diebsieg und die Sieg-Feier.", 3, Kind.ARTICLE
    )
    assert fixed == "Der Erfolg, die Siege, der Diebsieg und die Erfolg-Feier."
    assert [(c.original, c.corrected, c.sentence, c.source) for c in changes] == [("Sieg", "Erfolg", 3, "curated")] * 2


def test_curated_boundaries_are_unicode_aware_and_context_pins_a_word() -> None:
    corrector = _one(
        '[[correction]]\nwrong = "Ärger"\nright = "Streit"\nkind = "spelling"\nnote = "n"\n'
        '[[correction]]\nlesson = "a.txt"\nwrong = "Modellen Der bisher"\nright = "Modellen bisher"\n'
        'kind = "grammar"\nnote = "n"\n'
    )
    bound = corrector.for_lesson("a.txt", "h")
    assert bound.correct("Großer Ärger, kein Ärgernis, Mehrärger.", 0, Kind.ARTICLE)[0] == (
        "Großer Streit, kein Ärgernis, Mehrärger."
    )
    text = "Der Markt: mit Modellen  Der bisher größte Erfolg. Der Rest."
    assert bound.correct(text, 0, Kind.TRANSCRIPT)[0] == "Der Markt: mit Modellen bisher größte Erfolg. Der Rest."
    other = corrector.for_lesson("b.txt", "h2")  # the entry names its lesson
    assert other.correct(text, 0, Kind.TRANSCRIPT)[0] == text


def test_curated_deletion_leaves_no_double_space() -> None:
    corrector = _one('[[correction]]\nwrong = "ähm"\nright = ""\nkind = "grammar"\nnote = "a filler"\n')
    fixed, [change] = corrector.correct("Das ist ähm gut.", 0, Kind.TRANSCRIPT)
    assert fixed == "Das ist gut."
    assert (change.original, change.corrected) == ("ähm", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[correction]\n", "not valid TOML"),
        ('[[correction]]\nwrong = "a"\nright = "b"\nkind = "style"\nnote = "n"\n', "kind 'style'"),
        ('[[correction]]\nwrong = "a"\nright = "b"\nkind = "name"\n', "'note'"),
        ('[[correction]]\nwrong = "a"\nright = "b"\nkind = "name"\nnote = "n"\nwhy = "x"\n', "unknown field"),
    ],
)
def test_bad_curated_file_is_a_one_line_error(text: str, message: str) -> None:
    with pytest.raises(UserError) as error:
        parse_curated(text, "corrections.toml")
    assert message in error.value.message and "\n" not in error.value.message


# --- the detector on the seed transcript -------------------------------------------------------------------


@pytest.fixture(scope="module")
def detector_only(tmp_path_factory: pytest.TempPathFactory) -> Corrector:
    """The seed library's corrector with the curated file disabled: targets from the four seed articles."""
    paths = Paths(tmp_path_factory.mktemp("detector")).ensure()
    library = Library(paths, corrector_factory=corrector_factory(paths, curated=None))
    corrector = library.corrector()
    assert isinstance(corrector, Corrector) and not corrector.curated
    return corrector


def test_targets_come_from_the_articles_and_the_builtin_list(detector_only: Corrector) -> None:
    index = detector_only.names
    assert index is not None
    canonical = {g.canonical for g in index.groups.values()}
    assert {"Marc Andreessen", "Liang Wenfeng", "DeepSeek-R1", "IBM"} <= canonical  # from the articles
    assert {"ChatGPT", "DeepSeek", "OpenAI", "Microsoft"} <= canonical  # built-in
    assert not index.is_name("JetGPT") and not index.is_name("Diebsieg")  # the transcript is no source
    assert index.group_of("Deepseek").canonical == "DeepSeek"  # variants grouped under the built-in spelling
    assert index.group_of("Open AI").forms["Open AI"] == 4


def test_detector_alone_fixes_exactly_the_misheard_names(detector_only: Corrector) -> None:
    text = (SEEDS / TRANSCRIPT).read_text(encoding="utf-8")
    draft = build_lesson(text, corrector=detector_only.for_lesson(TRANSCRIPT, content_hash(text)))
    assert draft.kind is Kind.TRANSCRIPT
    # Nothing else is suggested, not even below the threshold: no ordinary word of the interview is touched.
    assert {(c.original, c.corrected, c.kind, c.applied) for c in draft.corrections} == {
        ("JetGPT", "ChatGPT", "name", True),
        ("Diebsieg", "DeepSeek", "name", True),
    }
    assert all(
        c.source == "suggested" and c.score is not None and c.score >= APPLY_THRESHOLD for c in draft.corrections
    )
    texts = [s.text for s in draft.sentences]
    assert any("mit Gemini oder ChatGPT mithalten" in t for t in texts)
    assert any("Mathematik, DeepSeek aufgeholt" in t for t in texts)
    sentence = draft.sentences[next(c.sentence for c in draft.corrections if c.original == "Diebsieg")]
    assert "Diebsieg aufgeholt" in (sentence.original or "")


# --- the detector on invented transcripts ------------------------------------------------------------------

ARTICLE = (
    "Der Investor Marc Andreessen lobt das Modell. Der Übersetzungsdienst DeepL aus Köln wächst schnell, "
    "und die Firma HeyGen macht Videos mit KI. Gründer Jonas Andrulis spricht in Heidelberg."
)


@pytest.fixture(scope="module")
def invented() -> Corrector:
    return Corrector(names=build_index([ARTICLE]))


def _correct(corrector: Corrector, sentence: str) -> tuple[str, list[Correction]]:
    return corrector.for_lesson("invented.txt", "invented").correct(sentence, 0, Kind.TRANSCRIPT)


@pytest.mark.parametrize(
    ("sentence", "fixed"),
    [
        # names split into several words
        ("Die Firma Open Ei Ei hat ein neues Sprachmodell vorgestellt.", "Die Firma OpenAI hat"),
        ("Das chinesische Start-up Deep Sieg überrascht die ganze Branche.", "Start-up DeepSeek überrascht"),
        ("Ich übersetze meine Briefe mit Diep El.", "mit DeepL."),
        # English names spelt the way a German recogniser hears them
        ("Auch Maikrosoft investiert Milliarden in neue Rechenzentren.", "Auch Microsoft investiert"),
        ("Viele Schüler fragen inzwischen Tschet Dschi Pi Ti nach der Lösung.", "inzwischen ChatGPT nach"),
        ("Mit Jet GPT schreiben viele ihre E-Mails.", "Mit ChatGPT schreiben"),
        ("Die Aktie von Ämason ist gestiegen.", "von Amazon ist"),
        ("Der Chef von Nwidia heißt Jensen Hwang.", "von Nvidia heißt Jensen Huang."),
        ("Die Firma Häi Dschenn macht jetzt auch Musik.", "Die Firma HeyGen macht"),  # a name from the article
        ("Der Investor Mark Andrisen ist begeistert.", "Der Investor Marc Andreessen ist"),
        # a spelling variant of a built-in name
        ("Deepseek und Open AI streiten sich.", "DeepSeek und OpenAI streiten"),
    ],
)
def test_invented_transcripts_misheard_names_are_fixed(invented: Corrector, sentence: str, fixed: str) -> None:
    text, changes = _correct(invented, sentence)
    assert fixed in text
    assert changes and all(c.applied and c.source == "suggested" for c in changes)
    assert all(c.original in sentence and c.corrected in text for c in changes)


@pytest.mark.parametrize(
    "sentence",
    [
        "In der Mitte der Stadt steht ein alter Apfelbaum.",
        "Das war wirklich gemein von ihm.",
        "Gemein ist das nicht, sagt der Trainer.",
        "Die Siege der Mannschaft waren knapp.",
        "Wir essen Chips und einen Apfel.",
        "Apfel, Birne und Mitte.",
        "Meta hat ein neues Modell vorgestellt, Gemini auch.",
        "Die Daten liegen in der Cloud.",
        "Die Diebe wurden gestern gefasst.",
        "Der Dieb feierte seinen Sieg.",
        "Der Jet landet pünktlich in Berlin.",
        "Das Modell ist Open Source.",
        "Herr Rothe vom Bundesverband KI spricht mit Rasmus.",
        "Im Amazonas regnet es viel.",
        "Die Mieter zahlen mehr für Strom.",
        "Die Talfahrt an der Börse kam wie ein Bumerang zurück.",
        "Über Drittmärkte kommen Hochleistungschips nach China.",
    ],
)
def test_invented_transcripts_ordinary_german_is_left_alone(invented: Corrector, sentence: str) -> None:
    assert _correct(invented, sentence) == (sentence, [])


def test_invented_transcript_through_the_pipeline(invented: Corrector) -> None:
    text = "\n".join(
        [
            "Guten Tag und herzlich willkommen.",
            "Heute geht es um das Start-up Deep Sieg",
            "und um die Firma Open Ei Ei.",
            "Herr Rothe, wie sehen Sie das?",
            "Ich glaube, Maikrosoft wird nachziehen",
            "und Gemini von Google auch.",
            "Die Mitte des Marktes bleibt gemein umkämpft.",
            "Vielen Dank für das Gespräch.",
        ]
    )
    draft = build_lesson(text, kind=Kind.TRANSCRIPT, corrector=invented.for_lesson("t.txt", content_hash(text)))
    assert [(c.original, c.corrected) for c in draft.corrections] == [
        ("Deep Sieg", "DeepSeek"),
        ("Open Ei Ei", "OpenAI"),
        ("Maikrosoft", "Microsoft"),
    ]
    for c in draft.corrections:
        sentence = draft.sentences[c.sentence]
        assert c.original in (sentence.original or "") and c.corrected in sentence.text
    assert sum(s.original is not None for s in draft.sentences) == 2


def test_below_the_threshold_a_suggestion_is_listed_not_applied(invented: Corrector) -> None:
    sentence = "Das Modell Klod ist neu."
    text, changes = _correct(invented, sentence)
    assert text == sentence
    [listed] = changes
    assert (listed.original, listed.corrected, listed.applied) == ("Klod", "Claude", False)
    assert names.LIST_THRESHOLD <= listed.score < APPLY_THRESHOLD


def test_decisions_reject_and_accept(invented: Corrector) -> None:
    index = invented.names
    rejected = Corrector(names=index, decisions={("h", "Maikrosoft", "Microsoft"): "rejected"})
    accepted = Corrector(names=index, decisions={("h", "Klod", "Claude"): "accepted"})
    text, [change] = rejected.for_lesson("t.txt", "h").correct("Auch Maikrosoft zahlt.", 0, Kind.TRANSCRIPT)
    assert text == "Auch Maikrosoft zahlt." and not change.applied and change.note.startswith("rejected")
    other_lesson = rejected.for_lesson("u.txt", "other")  # decisions are per lesson
    assert other_lesson.correct("Auch Maikrosoft zahlt.", 0, Kind.TRANSCRIPT)[0] == "Auch Microsoft zahlt."
    assert accepted.for_lesson("t.txt", "h").correct("Das Modell Klod.", 0, Kind.TRANSCRIPT)[0] == "Das Modell Claude."


def test_fingerprint_follows_curated_file_decisions_and_names(invented: Corrector) -> None:
    entries = load_curated(SEEDS / "corrections.toml")
    index = invented.names
    base = Corrector(curated=entries, names=index)
    assert base.fingerprint == Corrector(curated=entries, names=build_index([ARTICLE])).fingerprint
    assert base.fingerprint == base.for_lesson("x.txt", "h").fingerprint
    others = [
        Corrector(curated=None, names=index),
        Corrector(curated=entries[:-1], names=index),
        Corrector(curated=entries, names=build_index([ARTICLE + " Die Firma SambaNova baut Chips."])),
        Corrector(curated=entries, names=None),
        Corrector(curated=entries, names=index, decisions={("h", "Klod", "Claude"): "rejected"}),
    ]
    assert len({base.fingerprint, *(o.fingerprint for o in others)}) == len(others) + 1


def test_builtin_names_ship_as_package_data() -> None:
    listed = names.builtin_names()
    assert {"ChatGPT", "DeepSeek", "OpenAI", "Microsoft", "Sam Altman"} <= set(listed)
    assert Path(names.__file__).parent.joinpath("data", "tech_names.txt").is_file()


def test_show_lists_suggestions_not_applied() -> None:
    lines = correction_lines(
        [
            Correction("JetGPT", "ChatGPT", "name", "curated", True, sentence=0, note="Misheard name."),
            Correction("Deepseek", "DeepSeek", "variant", "suggested", False, sentence=2, score=1.0),
            Correction("Deepseek", "DeepSeek", "variant", "suggested", False, sentence=5, score=1.0),
        ]
    )
    text = "\n".join(lines)
    assert "Corrections (1):" in text and "JetGPT → ChatGPT  [name, curated] (sentence 1)" in text
    assert "Misheard name." in text
    assert (
        "Suggested, not applied (2):" in text
        and "Deepseek → DeepSeek  [variant, score 1.00] ×2 (sentences 3, 6)" in text
    )


# --- the command line --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corrections-cli")


def test_show_json_lists_curated_corrections_with_before_and_after(cli_home: Path) -> None:
    result = run("show", TRANSCRIPT_ROW, "--json", home=cli_home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    rows = data["corrections"]
    assert all({"original", "corrected", "kind", "sentence", "source", "applied"} <= set(c) for c in rows)
    assert sorted((c["original"], c["corrected"], c["kind"]) for c in rows) == sorted(CURATED)
    assert all(c["source"] == "curated" and c["applied"] for c in rows)
    for c in rows:
        sentence = data["sentences"][c["sentence"]]
        assert c["original"] in sentence["original"] and c["corrected"] in sentence["text"]
    assert sum("original" in s for s in data["sentences"]) == len(CURATED)


def test_show_readable_lists_curated_corrections(cli_home: Path) -> None:
    result = run("show", TRANSCRIPT_ROW, home=cli_home)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Corrections ({len(CURATED)}):" in out
    assert "JetGPT → ChatGPT  [name, curated] (sentence 1)" in out
    assert "Modellen Der bisher → Modellen bisher  [grammar, curated]" in out
    assert "strong declension" in out  # the teacher's note
    assert "(was: Das Startup DeepSeek kommt aus China und sein Modell R1 kann offenbar mit Gemini oder JetGPT" in out


def test_corrections_command_lists_curated_entries(cli_home: Path) -> None:
    result = run("corrections", TRANSCRIPT_ROW, "--json", home=cli_home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"] == TRANSCRIPT and data["curated_not_found"] == []
    assert data["thresholds"] == {"apply": names.APPLY_THRESHOLD, "list": names.LIST_THRESHOLD}
    assert {c["state"] for c in data["corrections"]} == {"applied"}
    readable = run("corrections", TRANSCRIPT_ROW, home=cli_home).stdout
    assert "Diebsieg → DeepSeek  [curated, name, applied, sentence 30]" in readable


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("corrections", "no-such-lesson"), "no lesson 'no-such-lesson'"),
        (("corrections", "99"), "no lesson '99'"),
        (("corrections", TRANSCRIPT_ROW, "--reject", "Nonsense"), "no suggested correction 'Nonsense'"),
        (("corrections", TRANSCRIPT_ROW, "--reject", "JetGPT"), "is a curated correction"),
        (("corrections", TRANSCRIPT_ROW, "--accept", "  "), "needs the original text"),
    ],
)
def test_corrections_errors_are_one_line_exit_2(cli_home: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*args, home=cli_home)
    assert result.returncode == 2
    assert result.stderr.startswith("lesestoff: error:") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_reject_persists_and_rebuilds_the_lesson(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    env = {"LESESTOFF_CURATED_CORRECTIONS": "0"}  # the detector alone: its suggestions can be rejected
    before = json.loads(run("corrections", TRANSCRIPT_ROW, "--json", home=home, env=env).stdout)
    assert {(c["original"], c["corrected"], c["applied"]) for c in before["corrections"]} == {
        ("JetGPT", "ChatGPT", True),
        ("Diebsieg", "DeepSeek", True),
    }
    cached = set(Paths(home).lesson_cache.glob("*.jsonl"))

    result = run("corrections", TRANSCRIPT_ROW, "--reject", "Diebsieg", home=home, env=env)
    assert result.returncode == 0, result.stderr
    assert "rejected 'Diebsieg' → 'DeepSeek'" in result.stdout and "lesson rebuilt" in result.stdout
    assert set(Paths(home).lesson_cache.glob("*.jsonl")) - cached  # a new fingerprint, a new cache entry

    from lessons.store import open_store

    with open_store(Paths(home)) as store:
        [decision] = store.correction_decisions()
    assert (decision.original, decision.corrected, str(decision.decision)) == ("Diebsieg", "DeepSeek", "rejected")

    after = json.loads(run("corrections", TRANSCRIPT_ROW, "--json", home=home, env=env).stdout)
    states = {c["original"]: (c["applied"], c["state"]) for c in after["corrections"]}
    assert states == {"JetGPT": (True, "applied"), "Diebsieg": (False, "rejected")}

    monkeypatch.setenv("LESESTOFF_HOME", str(home))
    monkeypatch.setenv("LESESTOFF_CURATED_CORRECTIONS", "0")
    from lessons.services import open_library

    lesson = open_library(Paths(home)).get(TRANSCRIPT_ROW)
    texts = " ".join(s.text for s in lesson.sentences)
    assert "Mathematik, Diebsieg aufgeholt" in texts and "oder ChatGPT mithalten" in texts

    again = run("corrections", TRANSCRIPT_ROW, "--accept", "Diebsieg", home=home, env=env)
    assert again.returncode == 0, again.stderr
    lesson = open_library(Paths(home)).get(TRANSCRIPT_ROW)
    assert "Mathematik, DeepSeek aufgeholt" in " ".join(s.text for s in lesson.sentences)
