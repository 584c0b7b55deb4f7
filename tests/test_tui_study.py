"""The tutor in the TUI: a whole study session, the level dialog (pick or placement check), statistics, and the
``lesestoff study`` command, driven by Textual's pilot.

Each test gets a data dir holding a copy of the session's processed seed lessons, so the library and the study
plan open from the cache; the lexicon index is shared by the whole run.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from lessons.library import Library
from lessons.paths import Paths
from lessons.store import CardReason, WordStatus, open_store
from lessons.tutor import level_history, set_level
from tests.tui_helpers import screen_text, until, warm_paths
from tui.app import LesestoffApp
from tui.exercise_screen import ExerciseScreen
from tui.level_dialog import LevelDialog
from tui.library_screen import LibraryScreen
from tui.stats_screen import StatsScreen
from tui.study_screen import StudyExerciseScreen, StudyReaderScreen, StudyScreen

SIZE = (100, 30)
LEARNING = ("Forschungsgruppe", "Rechenleistung", "Wettrennen")
"""Words of the first seed article with curated meanings, marked LEARNING with due cards."""


@pytest.fixture
def study_paths(seed_library: Library, seed_paths: Paths, tmp_path: Path) -> Paths:
    """A fresh data dir whose lesson cache already holds the processed seeds."""
    return warm_paths(seed_library, seed_paths, tmp_path)


def make_app(paths: Paths, **kwargs: object) -> LesestoffApp:
    kwargs.setdefault("warm_up", False)
    kwargs.setdefault("exercise_seed", 1)
    return LesestoffApp(paths, **kwargs)  # type: ignore[arg-type]




def notified(app: LesestoffApp, text: str) -> bool:
    return any(text in str(n.message) for n in app._notifications)


async def answer(pilot: Pilot, screen: ExerciseScreen) -> None:
    """Answer the current exercise right (Exercise.expected), with the screen's keys."""
    exercise = screen.current
    assert exercise is not None
    kind = exercise.kind
    if kind in ("cloze", "plural", "spot_error"):
        box = screen.query_one("#exercise-answer", Input)
        assert box.has_focus
        box.value = exercise.expected
        await pilot.press("enter")
    elif kind in ("meaning", "article"):
        right = exercise.choices.index(exercise.answers[0] if kind == "article" else exercise.expected)
        await pilot.press(str(right + 1))
    elif kind == "word_order":
        await pilot.press(*exercise.answers[1].split())
    elif kind == "match":
        await pilot.press(*[pair[-1] for pair in exercise.expected.split()])
    else:  # pragma: no cover - a new kind must get its keys here
        raise AssertionError(kind)


# --- a whole session ------------------------------------------------------------------------------------------


async def test_a_whole_study_session_reviews_reads_exercises_and_sums_up(study_paths: Paths) -> None:
    now = datetime.now(UTC)
    with open_store(study_paths) as store:
        set_level(store, "B1", "test", at=now - timedelta(hours=2))
        for lemma in LEARNING:
            store.set_status(lemma, WordStatus.LEARNING_1, at=now - timedelta(days=3))
            store.add_card(lemma, CardReason.LEARNING, at=now - timedelta(days=2))
        # 20 right answers at B1 already: the session's answers (all right) move the level up
        for number in range(20):
            store.record_attempt("earlier", "cloze", f"p{number}", True, "x", at=now - timedelta(hours=1))
    app = make_app(study_paths, start="study")
    app.exercise_count = 4
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, StudyScreen) and app.screen.phase == "review", "reviews")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen)
        plan = study.plan
        assert plan is not None and sorted(item.lemma for item in plan.reviews) == sorted(LEARNING)
        store = app.session.store()

        # 1. reviews: the German word; Space shows the meaning and its source; 3 good, 1 again, 4 easy
        for number, key in enumerate(("3", "1", "4")):
            item = plan.reviews[number]
            text = screen_text(app)
            assert f"Review {number + 1} of 3" in text
            assert item.display in text and item.meaning is not None and item.meaning not in text
            await pilot.press("space")
            text = screen_text(app)
            assert item.meaning in text and "source: curated" in text
            before = datetime.now(UTC)
            await pilot.press(key)
            await until(pilot, lambda item=item: item.rating is not None and study.phase != "rating", "the rating")
            await pilot.pause()
            card = store.card(item.lemma)
            assert card is not None and card.due > before, "the next review moved into the future"
            assert card.last_review is not None
        assert "research group" in " ".join(str(item.meaning) for item in plan.reviews)

        # 2. the lesson chosen for the learner, with why
        assert study.phase == "lesson"
        lesson = plan.lesson
        assert lesson is not None and plan.choice is not None
        text = screen_text(app)
        assert "Reviews: 3 done, 2 remembered." in text
        assert lesson.title[:30] in text
        assert "Why this one:" in text and plan.choice.reason in text
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, StudyReaderScreen), "the reader")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, StudyReaderScreen)
        assert reader.lesson is lesson
        assert lesson.sentences[0].text.split()[0] in screen_text(app)
        await pilot.press("j", "j", "j")
        assert reader.view.sentence == 3
        await pilot.press("x")  # done reading: on to the exercises

        # 3. the session's exercises, all answered right
        await until(
            pilot,
            lambda: isinstance(app.screen, StudyExerciseScreen) and app.screen.phase == "answering",
            "the exercises",
        )
        exercises = app.screen
        assert isinstance(exercises, StudyExerciseScreen)
        assert exercises.queue[: len(plan.exercises)] == plan.exercises
        progress = store.progress(lesson.id)
        assert progress is not None and progress.last_sentence == 3
        while exercises.phase == "answering":
            await answer(pilot, exercises)
            assert exercises.phase == "feedback"
            assert "✓" in str(exercises.query_one("#exercise-feedback").render())
            await pilot.press("enter")
        assert exercises.phase == "done"
        total = len(exercises.answered)
        assert total >= 4
        assert f"Score: {total} of {total}" in screen_text(app)
        assert "Enter: the session summary" in screen_text(app)
        await until(pilot, lambda: store.learner_level() == "B2", "the level to move up")
        await until(pilot, lambda: notified(app, "Your level is now B2"), "the level notification")
        await pilot.press("enter")

        # 4. the summary
        await until(pilot, lambda: app.screen is study and study.phase == "summary", "the summary")
        await pilot.pause()
        text = screen_text(app)
        assert "Session summary" in text
        assert "Reviews: 3, 2 remembered (67%)" in text
        assert f"Exercises: {total}, {total} right (100%)" in text
        assert "Next review: in " in text
        assert "Your level: B2" in text
        summary = study.summary
        assert summary is not None and summary.reviews == 3 and summary.exercises == total
        assert summary.next_due is not None and summary.next_due > now
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")


async def test_study_from_the_library_without_due_cards_goes_to_the_lesson_and_can_end_early(
    study_paths: Paths,
) -> None:
    with open_store(study_paths) as store:
        set_level(store, "B2", "test")
    app = make_app(study_paths)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, "the library")
        commands = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Study session", "Statistics", "My level"} <= commands
        app.set_focus(None)
        await pilot.press("S")
        await until(pilot, lambda: isinstance(app.screen, StudyScreen) and app.screen.phase == "lesson", "the lesson")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen)
        assert "No reviews were due." in screen_text(app)
        await pilot.press("s")  # skip reading
        assert study.phase == "exercises"
        await pilot.press("escape")  # end the session now
        await until(pilot, lambda: study.phase == "summary", "the summary")
        await pilot.pause()
        text = screen_text(app)
        assert "Reviews: none" in text and "Exercises: none" in text
        assert "Reviews ✓" in text and "Read (skipped)" in text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")


# --- the learner's level --------------------------------------------------------------------------------------


async def test_without_a_level_the_dialog_comes_first_and_a_picked_level_is_stored(study_paths: Paths) -> None:
    app = make_app(study_paths, start="study")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LevelDialog), "the level dialog")
        await pilot.pause()
        assert "Your German level" in screen_text(app)
        await pilot.press("4")  # B2
        await until(pilot, lambda: isinstance(app.screen, StudyScreen), "the study session after it")
        store = app.session.store()
        assert store.learner_level() == "B2"
        assert level_history(store)[-1].reason == "chosen by the learner"


async def test_the_placement_check_stores_the_level_its_answers_give(study_paths: Paths) -> None:
    easy = {"A1", "A2", "B1"}
    app = make_app(study_paths)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LevelDialog), "the level dialog")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LevelDialog)
        await pilot.press("p")
        await until(pilot, lambda: dialog.phase == "asking", "the placement words", timeout=120)
        assert len(dialog.items) >= 20
        checked = 0
        while dialog.phase == "asking":
            item = dialog.item
            assert item is not None
            assert item.display in screen_text(app)
            if item.checked:
                checked += 1
                assert item.choices[0] in screen_text(app)
                await pilot.press(str(item.answer + 1) if item.band in easy and item.answer is not None else "0")
            else:
                await pilot.press("y" if item.band in easy else "n")
        assert checked >= 3
        assert dialog.phase == "result"
        assert "Your level: B1" in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        store = app.session.store()
        assert store.learner_level() == "B1"
        assert level_history(store)[-1].reason.startswith("placement check: ")


# --- statistics -----------------------------------------------------------------------------------------------


async def test_statistics_fit_80x24_and_are_drawn_again_on_resize(study_paths: Paths) -> None:
    now = datetime.now(UTC)
    with open_store(study_paths) as store:
        set_level(store, "B1", "test")
        for days, lemma in enumerate(("Haus", "Baum", "gehen", "schnell")):
            store.set_status(lemma, WordStatus.KNOWN, at=now - timedelta(days=6 - days))
        store.add_card("Katze", CardReason.ADDED, at=now - timedelta(days=3))
        store.schedule_review("Katze", 3, at=now - timedelta(days=2))
        store.record_attempt("x", "cloze", "a", True, "a", at=now - timedelta(days=1))
        store.record_attempt("x", "meaning", "b", False, "b", at=now - timedelta(days=1))
    app = make_app(study_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, "the library")
        app.set_focus(None)
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.text, "the statistics")
        await pilot.pause()
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        lines = stats.text.splitlines()
        width, height = stats.drawn_for or (0, 0)
        assert width <= 78 and height <= 22
        assert 10 < len(lines) <= height and max(len(line) for line in lines) <= width
        text = screen_text(app)
        for heading in ("Known words: 4", "Known words over time", "Reviews per day", "Accuracy by exercise kind"):
            assert heading in text, heading
        assert "█" in text and "100% of 1" in text and "0% of 1" in text
        await pilot.resize_terminal(100, 30)
        await until(pilot, lambda: stats.drawn_for is not None and stats.drawn_for[0] > 78, "a wider chart")
        assert max(len(line) for line in stats.text.splitlines()) > 78
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


# --- the command ----------------------------------------------------------------------------------------------


def test_lesestoff_study_help_and_launch(monkeypatch: pytest.MonkeyPatch) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui.main", "study", "--help"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: lesestoff study" in result.stdout
    assert "study session" in result.stdout

    from tui import main

    monkeypatch.setenv("LESESTOFF_ONLINE", "")
    monkeypatch.delenv("LESESTOFF_ONLINE")  # restored after the test: --online sets it
    started: list[tuple[str | None, bool]] = []
    monkeypatch.setattr(LesestoffApp, "run", lambda self: started.append((self.start, self.online)))
    assert main.main(["study"]) == 0
    assert main.main(["--online", "study"]) == 0
    assert main.main([]) == 0
    assert started == [("study", False), ("study", True), (None, False)]
