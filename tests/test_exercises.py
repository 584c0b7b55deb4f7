"""Exercises: every kind on the seed lessons and on small texts written for the tests; answer checking; grading."""

from __future__ import annotations

import json
import re

import pytest

from lessons.exercises import (
    BLANK,
    FALLBACK_WORDS,
    KINDS,
    NOUN_CASE_NOTE,
    ArticleExercise,
    ClozeExercise,
    Exercise,
    MatchExercise,
    MeaningExercise,
    SpotErrorExercise,
    WordOrderExercise,
    build_exercises,
    content_words,
)
from lessons.meanings import Meanings
from lessons.model import CEFR_LEVELS, Lesson, Pos
from lessons.paths import Paths, seeds_dir
from lessons.vocab import build_vocabulary
from tests.study_texts import (
    EVERYDAY,
    EVERYDAY_EN,
    TRANSCRIPT_ERRORS,
    fake_meanings,
    lesson_from,
    transcript_lesson,
)

ARTICLE_SEED = "000_1a7e6b30ec4f487a.txt"
TRANSCRIPT_SEED = "004_30d06220ccea89d7.txt"


@pytest.fixture(scope="module")
def meanings(seed_paths: Paths) -> Meanings:
    from lessons.services import shared_lexicon

    return Meanings(shared_lexicon(seed_paths), seeds_dir())


@pytest.fixture(scope="module")
def nouns(seed_paths: Paths) -> object:
    from lessons.services import shared_lexicon

    return shared_lexicon(seed_paths)


@pytest.fixture(scope="module")
def everyday(nouns: object) -> Lesson:
    return lesson_from(EVERYDAY, nouns)


@pytest.fixture(scope="module")
def transcript(nouns: object) -> Lesson:
    return transcript_lesson(nouns)


@pytest.fixture(scope="module")
def small_meanings() -> Meanings:
    return fake_meanings(EVERYDAY_EN)


def of_kind(exercises: list[Exercise], kind: str) -> list:
    return [e for e in exercises if e.kind == kind]


def rank(level: str | None) -> int:
    return CEFR_LEVELS.index(level) if level in CEFR_LEVELS else -1


# --- cloze ---------------------------------------------------------------------------------------------------


def check_cloze(exercise: ClozeExercise, lesson: Lesson) -> None:
    assert exercise.prompt.count(BLANK) == 1
    assert exercise.prompt.replace(BLANK, exercise.expected) == exercise.sentence_text
    assert lesson.sentences[exercise.sentence_index].text == exercise.sentence_text
    assert exercise.lemma and exercise.lemma in (exercise.hint or "")
    assert exercise.check(exercise.expected).correct
    assert not exercise.check("Quatsch").correct
    assert exercise.expected in exercise.choices and len(set(exercise.choices)) == len(exercise.choices) <= 4
    forms = {(t.text, str(t.pos)) for s in lesson.sentences for t in s.tokens}
    assert all((choice, exercise.pos) in forms for choice in exercise.choices), exercise.choices
    number = exercise.choices.index(exercise.expected) + 1
    assert exercise.check(str(number)).correct


def test_cloze_on_seed_lessons(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    for source, lesson in seed_lessons.items():
        exercises = build_exercises(lesson, meanings, kinds=["cloze"], count=15, seed=1)
        assert len(exercises) == 15, source
        for exercise in exercises:
            check_cloze(exercise, lesson)


def test_cloze_on_a_small_text(everyday: Lesson, small_meanings: Meanings) -> None:
    exercises = build_exercises(everyday, small_meanings, kinds=["cloze"], level="A1", stretch=5, count=50)
    assert len(exercises) >= 15
    for exercise in exercises:
        check_cloze(exercise, everyday)
    arrive = next(e for e in exercises if e.lemma == "ankommen")
    assert arrive.expected == "kommt" and arrive.prompt.endswith(" an.")
    assert not arrive.check("ankommen").correct and "dictionary form" in arrive.check("ankommen").feedback


def test_cloze_checks_case_and_umlauts(everyday: Lesson, small_meanings: Meanings) -> None:
    exercises = {
        e.lemma: e for e in build_exercises(everyday, small_meanings, kinds=["cloze"], level="A1", stretch=5, count=50)
    }
    bike = exercises["Fahrrad"]
    lower = bike.check("fahrrad")
    assert lower.correct and NOUN_CASE_NOTE in lower.note
    sleeps = exercises["schlafen"]
    assert sleeps.expected == "schläft"
    typed = sleeps.check("schlaeft")
    assert typed.correct and "ae" in typed.note and "schläft" in typed.note
    assert sleeps.check("  schläft. ").correct and not sleeps.check("  schläft. ").note
    bare = sleeps.check("schlaft")
    assert not bare.correct and "umlaut" in bare.feedback
    capital = sleeps.check("Schläft")
    assert capital.correct and "capitalised" in capital.note


# --- meaning -------------------------------------------------------------------------------------------------


def check_meaning(exercise: MeaningExercise, lesson: Lesson, meanings: Meanings) -> None:
    assert len(exercise.choices) == 4 and len({c.casefold() for c in exercise.choices}) == 4
    assert exercise.expected in exercise.choices
    assert len(exercise.choice_lemmas) == 4 and len({lemma.casefold() for lemma in exercise.choice_lemmas}) == 4
    right = exercise.choices.index(exercise.expected)
    assert exercise.choice_lemmas[right] == exercise.lemma
    vocab_pos = {e.lemma: e.pos for e in build_vocabulary(lesson, meanings)}
    fallback = {lemma for lemma, _ in FALLBACK_WORDS[exercise.pos or ""]}
    answer_words = content_words(exercise.expected)
    for i, (choice, lemma) in enumerate(zip(exercise.choices, exercise.choice_lemmas, strict=True)):
        if i == right:
            continue
        assert vocab_pos.get(lemma) == exercise.pos or lemma in fallback, (lemma, exercise.pos)
        assert not content_words(choice) & answer_words, (choice, exercise.expected)
        assert choice.casefold() != exercise.expected.casefold()
        info = meanings.word(exercise.lemma or "", exercise.pos or "", lesson.source)
        assert choice not in {m.english for m in info.meanings}
    assert exercise.check(str(right + 1)).correct
    assert exercise.check(exercise.expected).correct
    wrong = (right + 1) % 4
    result = exercise.check(str(wrong + 1))
    assert not result.correct and exercise.expected in result.feedback
    assert not exercise.check("7").correct


def test_meaning_on_seed_lessons(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    for source, lesson in seed_lessons.items():
        exercises = build_exercises(lesson, meanings, kinds=["meaning"], count=12, seed=2)
        assert len(exercises) == 12, source
        for exercise in exercises:
            check_meaning(exercise, lesson, meanings)


def test_meaning_on_a_small_text(everyday: Lesson, small_meanings: Meanings) -> None:
    exercises = build_exercises(everyday, small_meanings, kinds=["meaning"], level="A1", stretch=5, count=50)
    assert len(exercises) >= 15
    for exercise in exercises:
        check_meaning(exercise, everyday, small_meanings)
    bike = next(e for e in exercises if e.lemma == "Fahrrad")
    assert bike.expected == "bicycle" and bike.prompt == "das Fahrrad"
    assert bike.check("Bicycle").correct and bike.check("  a bicycle ").correct
    go = next(e for e in exercises if e.lemma == "fahren")
    assert go.expected == "to go" and go.check("go").correct
    assert not any("drive" in choice for choice in go.choices)  # another gloss of the same word is no distractor


def test_meaning_distractors_are_never_synonyms() -> None:
    from lessons.exercises import pick_distractors

    pool = [
        ("Rechenkraft", "computing capacity"),
        ("Leistung", "power"),
        ("Rechenleistung", "processing speed"),
        ("Haus", "house"),
        ("Baum", "tree"),
        ("Haus", "home"),
        ("Zug", "train"),
    ]
    picked = pick_distractors("computing power", {"compu", "power"}, pool, "Rechenleistung")
    assert picked == [("Haus", "house"), ("Baum", "tree"), ("Zug", "train")]


# --- article -------------------------------------------------------------------------------------------------


def test_article_and_plural_on_seed_lesson(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    lesson = seed_lessons[ARTICLE_SEED]
    exercises = build_exercises(lesson, meanings, kinds=["article"], level="A1", stretch=5, count=500)
    by_lemma = {e.lemma: e for e in exercises}
    power = by_lemma["Rechenleistung"]
    assert isinstance(power, ArticleExercise)
    assert power.answers == ("die",) and power.choices == ("der", "die", "das")
    assert power.check("die").correct and power.check("Die").correct and power.check("2").correct
    assert power.check("die Rechenleistung").correct
    assert not power.check("der").correct and "die Rechenleistung" in power.check("der").feedback
    assert not power.check("den").correct
    assert power.followup is not None and power.followup.kind == "plural"
    assert power.followup.check("Rechenleistungen").correct
    assert power.followup.check("die Rechenleistungen").correct
    assert not power.followup.check("Rechenleistung").correct
    for exercise in exercises:
        assert set(exercise.answers) <= {"der", "die", "das"}
        assert exercise.check(exercise.expected).correct
        if exercise.followup is not None:
            assert exercise.followup.check(exercise.followup.expected).correct


def test_plural_only_nouns_get_no_article_exercise(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    exercises = build_exercises(
        seed_lessons[TRANSCRIPT_SEED], meanings, kinds=["article"], level="A1", stretch=5, count=500
    )
    lemmas = {e.lemma for e in exercises}
    assert lemmas and not lemmas & {"Kosten", "Leute"}


def test_article_on_a_small_text(everyday: Lesson, small_meanings: Meanings) -> None:
    exercises = build_exercises(everyday, small_meanings, kinds=["article"], level="A1", stretch=5, count=50)
    by_lemma = {e.lemma: e for e in exercises}
    assert set(by_lemma) == {
        "Zug",
        "Bahnhof",
        "Schwester",
        "Fahrrad",
        "Katze",
        "Sofa",
        "Sommer",
        "See",
        "Wetter",
        "Wind",
        "Kind",
        "Garten",
        "Ball",
    }
    lake = by_lemma["See"]
    assert lake.check("der").correct and lake.check("die").correct and not lake.check("das").correct
    bike = by_lemma["Fahrrad"]
    assert bike.check("das").correct and bike.check("3").correct and bike.check("n").correct
    plural = bike.followup
    assert plural is not None and plural.expected == "Fahrräder"
    typed = plural.check("Fahrraeder")
    assert typed.correct and "ae" in typed.note
    lower = plural.check("fahrräder")
    assert lower.correct and NOUN_CASE_NOTE in lower.note
    assert not plural.check("Fahrrads").correct
    assert "compound" not in (bike.hint or "")


# --- word order ----------------------------------------------------------------------------------------------


def check_word_order(exercise: WordOrderExercise, lesson: Lesson) -> None:
    sentence = lesson.sentences[exercise.sentence_index]
    assert 5 <= len(sentence.words) <= 12
    assert 4 <= len(exercise.chunks) <= 9
    assert all(re.search(r"\w", chunk) for chunk in exercise.chunks), exercise.chunks  # no bare punctuation
    numbers = [int(n) for n in exercise.answers[1].split()]
    assert sorted(numbers) != numbers or len(set(exercise.chunks)) < len(exercise.chunks)
    rebuilt = " ".join(exercise.chunks[n - 1] for n in numbers) + exercise.ending
    assert rebuilt[:1].casefold() + rebuilt[1:] == sentence.text[:1].casefold() + sentence.text[1:]
    assert exercise.check(exercise.answers[1]).correct
    assert exercise.check(",".join(str(n) for n in numbers)).correct
    assert exercise.check(sentence.text).correct
    assert exercise.check(sentence.text.lower()).correct
    assert not exercise.check(" ".join(str(n) for n in range(1, len(exercise.chunks) + 1))).correct
    assert not exercise.check("1 1 2").correct


def test_word_order_on_seed_lessons(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    total = 0
    for lesson in seed_lessons.values():
        exercises = build_exercises(lesson, meanings, kinds=["word_order"], level="C2", count=50)
        total += len(exercises)
        for exercise in exercises:
            check_word_order(exercise, lesson)
    assert total >= 20


def test_word_order_on_a_small_text(everyday: Lesson, small_meanings: Meanings) -> None:
    exercises = build_exercises(everyday, small_meanings, kinds=["word_order"], level="A1", count=50)
    assert len(exercises) == len(everyday.sentences)
    for exercise in exercises:
        check_word_order(exercise, everyday)
    train = next(e for e in exercises if e.sentence_index == 0)
    assert set(train.chunks) == {"der Zug", "kommt", "heute", "pünktlich", "am Bahnhof", "an"}
    assert train.ending == "."


def test_word_order_accepts_swapped_identical_chunks() -> None:
    exercise = WordOrderExercise(
        kind="word_order",
        instruction="",
        prompt="",
        answers=("Er kommt und er kommt.", "1 2 3 4 5"),
        chunks=("er", "kommt", "und", "er", "kommt"),
        ending=".",
    )
    assert exercise.check("4 5 3 1 2").correct
    assert exercise.check("1 5 3 4 2").correct
    assert exercise.check("12345").correct
    assert exercise.check("er kommt und er kommt").correct
    assert not exercise.check("2 1 3 4 5").correct
    assert "1–5" in exercise.check("1 2 3").feedback


# --- spot the error ------------------------------------------------------------------------------------------


def test_spot_error_on_the_seed_transcript(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    lesson = seed_lessons[TRANSCRIPT_SEED]
    exercises = build_exercises(lesson, meanings, kinds=["spot_error"], count=20)
    by_wrong = {e.wrong: e for e in exercises}
    assert set(by_wrong) == {"JetGPT", "Diebsieg", "Generell", "weiteren", "auf", "Der"}
    for exercise in exercises:
        assert isinstance(exercise, SpotErrorExercise)
        sentence = lesson.sentences[exercise.sentence_index]
        assert exercise.sentence_text == sentence.text and exercise.prompt != sentence.text
        assert exercise.original in exercise.prompt
        result = exercise.check(exercise.expected)
        assert result.correct and exercise.correction_kind in result.note
        assert exercise.note and exercise.note in result.note
        assert not exercise.check("Modell -> Modelle").correct

    chat = by_wrong["JetGPT"]
    assert chat.check("ChatGPT").correct and chat.check("JetGPT -> ChatGPT").correct
    assert chat.check("JetGPT → ChatGPT").correct and chat.check("chatgpt").correct
    assert not chat.check("JetGPT -> ChatGTP").correct
    assert "found the error" in chat.check("JetGPT -> ChatGTP").feedback

    general = by_wrong["Generell"]
    assert general.check("generell").correct and general.check("Generell -> generell").correct
    assert general.check("eher Generell -> eher generell").correct
    assert not general.check("Generell").correct and not general.check("Generell -> Generell").correct

    cards = by_wrong["weiteren"]
    assert cards.check("weitere").correct and cards.check("weiteren -> weitere").correct
    assert cards.check("weiteren Grafikkarten -> weitere Grafikkarten").correct

    for stray in (by_wrong["Der"], by_wrong["auf"]):
        assert stray.right == ""
        assert stray.check(f"{stray.wrong} ->").correct
        assert stray.check(f"{stray.wrong} -> (delete)").correct
        assert not stray.check("bisher").correct
    assert by_wrong["Der"].check("der ->").correct  # finding the stray word is what counts


def test_no_spot_error_without_corrections(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    lesson = seed_lessons[ARTICLE_SEED]
    assert not any(c.applied for c in lesson.corrections)
    assert build_exercises(lesson, meanings, kinds=["spot_error"]) == []
    mixed = build_exercises(lesson, meanings, count=12)
    assert len(mixed) == 12 and not of_kind(mixed, "spot_error")


def test_spot_error_on_a_small_transcript(transcript: Lesson) -> None:
    exercises = build_exercises(transcript, fake_meanings(), kinds=["spot_error"], count=10)
    assert {(e.sentence_index, e.wrong, e.right) for e in exercises} == {
        (0, "Brüfung", "Prüfung"),
        (1, "Hut", "hat"),
        (2, "Genau", "genau"),
    }
    exam = next(e for e in exercises if e.wrong == "Brüfung")
    typed = exam.check("Pruefung")
    assert typed.correct and "ue" in typed.note
    assert exam.check("Brüfung -> Prüfung").correct and exam.check("brüfung -> prüfung").correct
    assert not exam.check("Prüfungen").correct
    assert not exam.check("Klasse -> Prüfung").correct
    has = next(e for e in exercises if e.wrong == "Hut")
    assert has.check("hat").correct and has.check("Hut -> hat").correct
    exact = next(e for e in exercises if e.wrong == "Genau")
    assert exact.case_matters and exact.check("genau").correct and not exact.check("Genau").correct
    assert len(TRANSCRIPT_ERRORS) == len(exercises)


# --- sentence match ------------------------------------------------------------------------------------------


def check_match(exercise: MatchExercise, translations: dict[str, str]) -> None:
    assert 3 <= len(exercise.pairs) <= 5
    assert sorted(exercise.choices) == sorted(en for _, en in exercise.pairs)
    for german, english in exercise.pairs:
        assert translations[german] == english
    assert exercise.check(exercise.expected).correct
    letters = "".join(pair[-1] for pair in exercise.expected.split())
    assert exercise.check(" ".join(letters)).correct
    assert exercise.check(exercise.expected.upper().replace(" ", ", ")).correct
    wrong = " ".join(
        f"{i + 1}{'abcde'[(exercise.solution[i] + 1) % len(exercise.pairs)]}" for i in range(len(exercise.pairs))
    )
    result = exercise.check(wrong)
    assert not result.correct and f"0 of {len(exercise.pairs)}" in result.feedback
    assert not exercise.check("banana").correct and "1c 2a 3b" in exercise.check("banana").feedback


def test_match_on_seed_lessons(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    for lesson in seed_lessons.values():
        translations = {s.text: meanings.translation(s, lesson.source).english for s in lesson.sentences}  # type: ignore[union-attr]
        exercises = build_exercises(lesson, meanings, kinds=["match"], count=3, seed=5)
        assert exercises
        for exercise in exercises:
            check_match(exercise, translations)


def test_match_on_a_small_text(everyday: Lesson, small_meanings: Meanings) -> None:
    exercises = build_exercises(everyday, small_meanings, kinds=["match"], count=5)
    assert [len(e.pairs) for e in exercises] == [4]  # six translated sentences: one set of four
    for exercise in exercises:
        check_match(exercise, EVERYDAY_EN)
    assert build_exercises(everyday, fake_meanings({}), kinds=["match"]) == []


# --- sets: grading, mixing, determinism ----------------------------------------------------------------------


def test_a_set_takes_the_kinds_in_turn(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    exercises = build_exercises(seed_lessons[TRANSCRIPT_SEED], meanings, count=12, seed=4)
    assert [e.kind for e in exercises] == list(KINDS) * 2
    chosen = build_exercises(seed_lessons[TRANSCRIPT_SEED], meanings, kinds=["match", "cloze"], count=5)
    assert [e.kind for e in chosen] == ["match", "cloze", "match", "cloze", "match"]


def test_same_seed_same_set_other_seed_other_set(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    lesson = seed_lessons[TRANSCRIPT_SEED]
    first = [e.to_dict() for e in build_exercises(lesson, meanings, count=12, seed=42)]
    again = [e.to_dict() for e in build_exercises(lesson, meanings, count=12, seed=42)]
    other = [e.to_dict() for e in build_exercises(lesson, meanings, count=12, seed=43)]
    assert first == again
    assert first != other


def test_same_seed_same_set_on_a_small_text(everyday: Lesson, small_meanings: Meanings) -> None:
    first = [e.to_dict() for e in build_exercises(everyday, small_meanings, level="A2", seed=7)]
    assert first == [e.to_dict() for e in build_exercises(everyday, small_meanings, level="A2", seed=7)]
    assert first != [e.to_dict() for e in build_exercises(everyday, small_meanings, level="A2", seed=8)]


def test_targets_are_graded(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    lesson = seed_lessons[TRANSCRIPT_SEED]
    kinds = ["cloze", "meaning", "article"]
    stretch1 = build_exercises(lesson, meanings, kinds=kinds, level="B1", count=15, seed=3)
    assert all(rank(e.level) in (2, 3) for e in stretch1), [(e.lemma, e.level) for e in stretch1]
    stretch0 = build_exercises(lesson, meanings, kinds=kinds, level="B1", count=10, seed=3, stretch=0)
    assert all(e.level == "B1" for e in stretch0)
    assert len({e.lemma for e in stretch1}) == len(stretch1)  # a varied set: each word once


def test_known_words_are_not_targets(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    lesson = seed_lessons[ARTICLE_SEED]
    every = build_exercises(lesson, meanings, kinds=["cloze", "meaning", "article"], level="A1", stretch=5, count=400)
    lemmas = {e.lemma for e in every}
    assert "Rechenleistung" in lemmas
    known = {"Rechenleistung", "KI-Modell"}
    without = build_exercises(
        lesson, meanings, kinds=["cloze", "meaning", "article"], level="A1", stretch=5, count=400, known=known
    )
    assert not {e.lemma for e in without} & known


def test_runs_short_gracefully(everyday: Lesson, small_meanings: Meanings) -> None:
    exercises = build_exercises(everyday, small_meanings, kinds=["spot_error"], count=5)
    assert exercises == []
    few = build_exercises(everyday, small_meanings, level="C2", count=300)
    assert 20 < len(few) < 300
    with pytest.raises(ValueError):
        build_exercises(everyday, small_meanings, kinds=["essay"])
    with pytest.raises(ValueError):
        build_exercises(everyday, small_meanings, level="Z1")


def test_exercises_serialise(seed_lessons: dict[str, Lesson], meanings: Meanings) -> None:
    exercises = build_exercises(seed_lessons[TRANSCRIPT_SEED], meanings, count=12, seed=9)
    data = json.loads(json.dumps([e.to_dict() for e in exercises], ensure_ascii=False))
    for item, exercise in zip(data, exercises, strict=True):
        assert {"kind", "instruction", "prompt", "answers", "sentence", "hint", "choices", "chunks", "pairs"} <= set(
            item
        )
        assert item["answers"][0] == exercise.expected
        assert item["sentence"]["index"] == exercise.sentence_index
    article = next(item for item in data if item["kind"] == "article")
    if article["followup"] is not None:
        assert article["followup"]["kind"] == "plural"


def test_check_result_is_plain(everyday: Lesson, small_meanings: Meanings) -> None:
    exercise = build_exercises(everyday, small_meanings, kinds=["cloze"], level="A1", count=1)[0]
    result = exercise.check(exercise.expected)
    assert result.to_dict() == {"correct": True, "feedback": result.feedback, "expected": exercise.expected, "note": ""}
    assert exercise.pos in {p.value for p in Pos}
