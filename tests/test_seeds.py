"""The pipeline on the bundled seed texts: boilerplate out, every content paragraph in, sentences whole."""

from __future__ import annotations

import re

import pytest

from lessons.model import Kind, Lesson, Pos
from tests.conftest import SEEDS

# Every line of the seeds that is not lesson content (the test's oracle, written by reading the texts).
BOILERPLATE = {
    "000_1a7e6b30ec4f487a.txt": [
        "Donnerstag, Januar 30",
        "Optimieren Sie Ihre Browsereinstellungen",
        "NZZ.ch benötigt JavaScript für wichtige Funktionen.",
        "Ihr Browser oder Adblocker verhindert dies momentan.",
        "Bitte passen Sie die Einstellungen an.",
        "Exit mobile version",
    ],
    "001_7cc699a9debdee11.txt": [
        "(Optik: Michel Becker | Dall-E)",
        "Anthropic-Chef Dario Amodei (Foto: AP)",
        "Mehr zu diesem Thema erfahren Sie hier.",
        "Dieser Beitrag erschien in unserem KI-Newsletter.",
        "abonnieren Sie gerne das KI-Briefing hier.",
    ],
    "002_db403e8faec01c99.txt": [
        "Bildquelle: Stanford University",
        "<<:  Der Kampf der Ausländer um die Drei Königreiche",
        ">>:  Jedes Mal ist die Lautstärke hoch",
        "Artikel empfehlen",
        "Welche Vorsichtsmaßnahmen sind beim Bergsteigen im Herbst zu beachten?",
        "Viele Menschen gehen im Herbst gerne wandern. Der...",
        "So praktizieren Sie Yoga zu Hause",
        "Welche Art von Fahrrad sollte ich zum Trainieren verwenden?",
        "Die Vorteile des Badmintonspielens",
        "Welche Übungen können Bauchfett reduzieren?",
        "Wie macht man Ganzkörpertraining?",
        "Was ist die angemessene Laufkadenz?",
        "Mit 1 Gramm Mondboden das „Geheimnis“ der Helium-3-Gewinnung lüften",
        "Das junge wissenschaftliche Forscherteam machte e...",
        "Charlotte Edmond",
        "Leitender Redakteur, Forumsagenda",
    ],
    "003_643e80ae98615dc9.txt": ["date 2025-03-04"],
    "004_30d06220ccea89d7.txt": ["德语助手", "2025-02-09", "沙发还没有被抢走"],
}
SEED_FILES = sorted(BOILERPLATE)
# Where a recommended-articles list starts: everything from there on is boilerplate.
TAIL_FROM = {"002_db403e8faec01c99.txt": "Artikel empfehlen"}


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _lesson_text(lesson: Lesson) -> str:
    return _normalise(" ".join(s.original or s.text for s in lesson.sentences))


def _content_line(line: str) -> str:
    line = re.sub(r"^\s*(?:•|-)\s+", "", line)
    line = re.sub(r"\s*\((?:Optik|Foto):[^)]*\)", "", line)
    line = line.replace("US- Technologiefirmen", "US-Technologiefirmen")  # the one typo cleaning repairs
    return _normalise(line.replace(" date 2025-03-04 ", "").replace("date 2025-03-04 ", ""))


@pytest.mark.parametrize("source", SEED_FILES)
def test_no_boilerplate_line_survives(seed_lessons: dict[str, Lesson], source: str) -> None:
    text = _lesson_text(seed_lessons[source])
    for junk in BOILERPLATE[source]:
        assert _normalise(junk) not in text, junk


@pytest.mark.parametrize("source", SEED_FILES)
def test_every_content_line_survives(seed_lessons: dict[str, Lesson], source: str) -> None:
    lesson = seed_lessons[source]
    text = _lesson_text(lesson)
    lines = (SEEDS / source).read_text(encoding="utf-8").splitlines()
    if source in TAIL_FROM:
        lines = lines[: lines.index(TAIL_FROM[source])]
    checked = 0
    for line in lines:
        if not line.strip() or any(_normalise(j) in _normalise(line) for j in BOILERPLATE[source]):
            continue
        content = _content_line(line)
        if content == _normalise(lesson.title) and text.count(content) == 1:
            checked += 1
            continue
        assert content in text, line
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("source", SEED_FILES)
def test_removed_lines_are_listed(seed_lessons: dict[str, Lesson], source: str) -> None:
    removed = " ".join(seed_lessons[source].removed)
    for junk in BOILERPLATE[source]:
        first_words = " ".join(junk.split()[:3])
        assert first_words in removed or junk.strip("() ") in removed, junk


def test_repeated_title_appears_once(seed_lessons: dict[str, Lesson]) -> None:
    lesson = seed_lessons["002_db403e8faec01c99.txt"]
    title = "Was bedeutet Open-Source-KI und warum ist DeepSeek anders?"
    assert lesson.title == title
    assert [s.text for s in lesson.sentences].count(title) == 1


@pytest.mark.parametrize(
    ("source", "date"),
    [
        ("000_1a7e6b30ec4f487a.txt", "2025-01-30"),
        ("003_643e80ae98615dc9.txt", "2025-03-04"),
        ("004_30d06220ccea89d7.txt", "2025-02-09"),
        ("001_7cc699a9debdee11.txt", None),
    ],
)
def test_seed_dates(seed_lessons: dict[str, Lesson], source: str, date: str | None) -> None:
    assert seed_lessons[source].date == date


def test_kinds(seed_lessons: dict[str, Lesson]) -> None:
    kinds = {source: lesson.kind for source, lesson in seed_lessons.items()}
    assert kinds.pop("004_30d06220ccea89d7.txt") is Kind.TRANSCRIPT
    assert set(kinds.values()) == {Kind.ARTICLE}


def test_transcript_becomes_whole_sentences(seed_lessons: dict[str, Lesson]) -> None:
    lesson = seed_lessons["004_30d06220ccea89d7.txt"]
    texts = [s.original or s.text for s in lesson.sentences]
    assert 55 <= len(texts) <= 75  # 96 lines of fragments
    assert all(re.search(r"[.!?…]$", t) for t in texts)
    assert all(t[0].isupper() or t[0].isdigit() for t in texts)
    assert (
        "Herr Rothe, Microsoft zum Beispiel hat mehrere Milliarden Dollar in OpenAI investiert und jetzt kommt ein "
        "Startup in China um die Ecke und sagt, wir können das mindestens genauso gut, aber für viel weniger Geld."
    ) in texts


@pytest.mark.parametrize(
    "sentence_start",
    [
        "Das entscheidende Unterscheidungsmerkmal von DeepSeek besteht darin, dass die chinesische App Open Source "
        "ist, d. h. jeder kann sie kopieren",
        "Was die Aufregung auslöste, war die Tatsache",
        "Wer am 20. Januar 2025 die Schlagzeilen las",
        "Die Aktie des Chipkonzerns Nvidia hat am Montag historische 592,7 Milliarden Dollar",
        "Er lobte DeepSeek als „einen der erstaunlichsten und beeindruckendsten Durchbrüche",
    ],
)
def test_abbreviations_do_not_split_seed_sentences(seed_lessons: dict[str, Lesson], sentence_start: str) -> None:
    texts = [s.text for lesson in seed_lessons.values() for s in lesson.sentences]
    matches = [t for t in texts if t.startswith(sentence_start)]
    assert matches, sentence_start
    assert matches[0].endswith((".", "?", "!", "“"))


def test_mio_usd_stays_in_one_sentence(seed_lessons: dict[str, Lesson]) -> None:
    texts = [s.text for s in seed_lessons["003_643e80ae98615dc9.txt"].sentences]
    assert any("5,6 Mio. USD – und mit weit weniger Ressourcen" in t for t in texts)


@pytest.mark.parametrize(
    ("source", "parts", "lemma"),
    [
        ("004_30d06220ccea89d7.txt", ("mischt", "auf"), "aufmischen"),
        ("001_7cc699a9debdee11.txt", ("stellt", "dar"), "darstellen"),
        ("001_7cc699a9debdee11.txt", ("weist", "hin"), "hinweisen"),
        ("004_30d06220ccea89d7.txt", ("schätzen", "ein"), "einschätzen"),
    ],
)
def test_seed_separable_verbs(seed_lessons: dict[str, Lesson], source: str, parts: tuple[str, str], lemma: str) -> None:
    for sentence in seed_lessons[source].sentences:
        texts = {t.text: t for t in sentence.tokens}
        if all(p in texts for p in parts) and texts[parts[0]].separable:
            assert {texts[p].lemma for p in parts} == {lemma}
            return
    pytest.fail(f"{parts} not joined to {lemma}")


def test_seed_participle_and_zu_infinitive(seed_lessons: dict[str, Lesson]) -> None:
    tokens = [t for s in seed_lessons["004_30d06220ccea89d7.txt"].sentences for t in s.tokens]
    assert {t.lemma for t in tokens if t.text == "aufgeholt"} == {"aufholen"}


def test_auf_den_kopf_not_glued(seed_lessons: dict[str, Lesson]) -> None:
    for sentence in seed_lessons["000_1a7e6b30ec4f487a.txt"].sentences:
        if "stellt diese Annahme derzeit auf den Kopf" in sentence.text:
            stellt = next(t for t in sentence.tokens if t.text == "stellt")
            assert stellt.lemma == "stellen" and not stellt.separable
            return
    pytest.fail("sentence not found")


def test_seed_nouns_keep_capitals(seed_lessons: dict[str, Lesson]) -> None:
    nouns = [t for lesson in seed_lessons.values() for s in lesson.sentences for t in s.tokens if t.pos is Pos.NOUN]
    assert len(nouns) > 300
    assert all(t.lemma[:1].isupper() for t in nouns), [t.lemma for t in nouns if not t.lemma[:1].isupper()]
    lemmas = {t.lemma for t in nouns}
    assert {"Rechenleistung", "Modell", "Börse", "Grafikkarte"} <= lemmas


@pytest.mark.parametrize("name", ["DeepSeek", "Nvidia", "Liang", "Wenfeng", "OpenAI", "ChatGPT", "Andreessen"])
def test_seed_names_are_propn(seed_lessons: dict[str, Lesson], name: str) -> None:
    tokens = [t for lesson in seed_lessons.values() for s in lesson.sentences for t in s.tokens if t.text == name]
    assert tokens and all(t.pos is Pos.PROPN and t.cefr is None for t in tokens)


def test_every_token_covers_its_text(seed_lessons: dict[str, Lesson]) -> None:
    for lesson in seed_lessons.values():
        for sentence in lesson.sentences:
            assert "".join(t.text for t in sentence.tokens) == "".join(sentence.text.split())
            for token in sentence.tokens:
                assert sentence.text[token.start : token.end] == token.text
