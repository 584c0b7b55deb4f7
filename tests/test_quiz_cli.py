"""``lesestoff exercises`` and ``lesestoff quiz``, run as a user would: a subprocess with answers piped in."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from lessons.exercises import build_exercises
from lessons.paths import Paths
from lessons.quiz import run_quiz
from lessons.store import CardReason, open_store
from tests.study_texts import EVERYDAY, EVERYDAY_EN, copy_lesson_cache, fake_meanings, lesson_from
from tests.test_cli import run

LESSON = "5"  # the seed transcript (all six kinds)


@pytest.fixture
def home(seed_paths: Paths, tmp_path: Path) -> Path:
    """A learner's data dir of its own, with the processed seed lessons copied in."""
    return copy_lesson_cache(seed_paths, tmp_path / "home").root


def exercise_set(home: Path, *args: str) -> dict:
    result = run("exercises", LESSON, "--json", *args, home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def right_answers(data: dict) -> list[str]:
    lines = []
    for exercise in data["exercises"]:
        lines.append(exercise["answers"][0])
        if exercise["followup"]:
            lines.append(exercise["followup"]["answers"][0])
    return lines


def test_quiz_completed_with_piped_answers(home: Path) -> None:
    data = exercise_set(home, "--seed", "11", "--count", "8")
    assert [e["kind"] for e in data["exercises"]][:6] == [
        "cloze",
        "meaning",
        "article",
        "word_order",
        "spot_error",
        "match",
    ]
    answers = right_answers(data)
    result = run("quiz", LESSON, "--seed", "11", "--count", "8", home=home, stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stderr
    total = len(answers)
    assert f"Score: {total}/{total} (100%)" in result.stdout
    assert result.stdout.count("✓") == total and "✗" not in result.stdout
    with open_store(Paths(home)) as store:
        attempts = store.attempts(lesson_id=data["lesson"])
        assert len(attempts) == total and all(a.correct for a in attempts)
        assert {a.kind for a in attempts} >= {"cloze", "meaning", "article", "plural", "word_order", "spot_error"}
        assert store.cards() == []


def test_quiz_misses_become_review_cards(home: Path) -> None:
    data = exercise_set(home, "--seed", "3", "--count", "6")
    total = len(right_answers(data))
    result = run("quiz", LESSON, "--seed", "3", "--count", "6", home=home, stdin="Quatsch\n" * total)
    assert result.returncode == 0, result.stderr
    assert f"Score: 0/{total} (0%)" in result.stdout
    assert "To review" in result.stdout
    lemmas = {e["lemma"] for e in data["exercises"] if e["lemma"]}
    with open_store(Paths(home)) as store:
        cards = {c.lemma: c for c in store.cards()}
        assert lemmas and lemmas <= set(cards)
        assert all(cards[lemma].reason is CardReason.MISSED for lemma in lemmas)
        assert not any(a.correct for a in store.attempts())


def test_quiz_ends_gracefully_at_end_of_input(home: Path) -> None:
    data = exercise_set(home, "--seed", "5", "--count", "10")
    answers = right_answers(data)[:2]
    result = run("quiz", LESSON, "--seed", "5", "--count", "10", home=home, stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Quiz ended early." in result.stdout
    assert "Score: 2/2 (100%)" in result.stdout


def test_quiz_hint_skip_and_numbers(home: Path) -> None:
    data = exercise_set(home, "--seed", "8", "--count", "2")
    cloze, meaning = data["exercises"]
    number = meaning["choices"].index(meaning["answers"][0]) + 1
    stdin = f"?\n{cloze['answers'][0]}\n?\n{number}\n"
    result = run("quiz", LESSON, "--seed", "8", "--count", "2", home=home, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Hint:") == 2 and "word bank:" in result.stdout
    assert "Score: 2/2 (100%)" in result.stdout
    skipped = run("quiz", LESSON, "--seed", "8", "--count", "2", home=home, stdin="\n\n")
    assert "Skipped" in skipped.stdout and "Score: 0/2 (0%)" in skipped.stdout


def test_exercises_are_reproducible_and_use_the_stored_level(home: Path) -> None:
    first = exercise_set(home, "--seed", "21")
    assert first == exercise_set(home, "--seed", "21")
    assert first["level"] == "B1" and len(first["exercises"]) == 10
    with open_store(Paths(home)) as store:
        store.set_learner_level("C1")
    assert exercise_set(home, "--seed", "21")["level"] == "C1"
    assert exercise_set(home, "--seed", "21", "--level", "a2")["level"] == "A2"
    only = exercise_set(home, "--kind", "article,match", "--kind", "cloze", "--count", "3")
    assert [e["kind"] for e in only["exercises"]] == ["article", "match", "cloze"]


def test_exercises_text_output(home: Path) -> None:
    result = run("exercises", LESSON, "--seed", "1", "--count", "6", home=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Answer:") >= 6
    assert "der, die oder das?" in result.stdout and "Lückentext" in result.stdout


def test_errors_are_one_line(home: Path) -> None:
    for args in (("quiz", "nope"), ("exercises", "1", "--kind", "spot_error"), ("quiz", LESSON, "--level", "Q3")):
        result = run(*args, home=home, stdin="")
        assert result.returncode == 2, (args, result.stdout)
        assert result.stderr.startswith("lesestoff: error:") and result.stderr.count("\n") == 1, result.stderr


def test_run_quiz_in_process(seed_paths: Paths) -> None:
    """The runner on a small text written for the tests, with a scripted learner."""
    from lessons.services import shared_lexicon

    lesson = lesson_from(EVERYDAY, shared_lexicon(seed_paths))
    exercises = build_exercises(lesson, fake_meanings(EVERYDAY_EN), level="A2", count=5, seed=2)
    script = []
    for exercise in exercises:
        script.append(exercise.expected.lower() if exercise.kind == "cloze" else exercise.expected)
        if exercise.followup is not None:
            script.append("falsch")
    answers = iter(script)
    seen = []
    out = io.StringIO()
    result = run_quiz(exercises, ask=lambda _prompt: next(answers), out=out, record=lambda e, a, c: seen.append(c))
    followups = sum(1 for e in exercises if e.followup is not None)
    assert result.finished and result.asked == len(script) == len(seen)
    assert result.correct == len(exercises) and result.score_line.startswith(f"Score: {len(exercises)}/{len(script)}")
    assert len(result.missed) == followups
