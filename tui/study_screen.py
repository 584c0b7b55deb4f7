"""A study session (``lesestoff study``, or S on the library): reviews, a lesson, its exercises, a summary.

1. Reviews: each due card (FSRS, ``lessons.tutor.ReviewItem``) shows the German word; Space or Enter shows its
   meaning with where the meaning comes from; 1–4 rate it (Again, Hard, Good, Easy) and reschedule it.
2. The next lesson for the learner (i+1: ``plan_session`` → ``LessonChoice``), with why it was chosen; Enter
   reads it in the reader, where x goes on to the exercises (Esc comes back here).
3. Its exercises (the exercise screen, with the session's set); the level may move after the last answer.
4. A summary of the session (``SessionSummary.lines()``): time, words learned, reviews, accuracy, next review.

Esc ends the session early (straight to the summary); s skips the current step.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from lessons.errors import UserError
from tui.exercise_screen import ExerciseScreen
from tui.reader_screen import ReaderScreen

if TYPE_CHECKING:
    from lessons.model import Lesson
    from lessons.tutor import ReviewItem, SessionPlan, SessionSummary
    from tui.app import LesestoffApp

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
STEPS = (("review", "Reviews"), ("lesson", "Read"), ("exercises", "Exercises"), ("summary", "Summary"))
MAX_REVIEWS = 20
RECORD_WAIT = 3.0
"""Seconds the summary waits for the last exercise answers to be recorded (they are written by workers)."""


# --- messages from workers ------------------------------------------------------------------------------


class Planning(Message):
    def __init__(self, stage: str) -> None:
        super().__init__()
        self.stage = stage


class Planned(Message):
    def __init__(self, plan: SessionPlan, start: int) -> None:
        super().__init__()
        self.plan = plan
        self.start = start


class PlanFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class Rated(Message):
    def __init__(self, item: ReviewItem, due: datetime | None, error: str | None = None) -> None:
        super().__init__()
        self.item = item
        self.due = due
        self.error = error


class Summarised(Message):
    def __init__(self, summary: SessionSummary | None, level: str | None, error: str | None = None) -> None:
        super().__init__()
        self.summary = summary
        self.level = level
        self.error = error


# --- the reader and the exercises, inside a session -----------------------------------------------------


class StudyReaderScreen(ReaderScreen):
    """The reader, in a session: x goes on to the exercises, Esc back to the session (the place is saved)."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the study session (your place is saved)"),
        Binding("x", "exercises", "Exercises", tooltip="Done reading: on to this session's exercises"),
    ]

    def on_mount(self) -> None:  # after ReaderScreen.on_mount (Textual calls both)
        self.call_after_refresh(self._say_how_to_go_on)

    def _say_how_to_go_on(self) -> None:
        self.sub_title = "Study session · x: on to the exercises"
        self.notify("Read as much as you like; x goes on to the exercises.", title="Study session", timeout=4)

    def action_back(self) -> None:
        self.save_progress()
        self.dismiss(False)  # type: ignore[arg-type]

    def action_exercises(self) -> None:
        self.save_progress()
        self.dismiss(True)  # type: ignore[arg-type]


class StudyExerciseScreen(ExerciseScreen):
    """The session's exercise set; at the end Enter goes on to the summary (dismisses with the answers given)."""

    DONE_KEYS = "Enter: the session summary"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="End the exercises: on to the session summary"),
        Binding("enter", "summary", "Summary", tooltip="On to the session summary"),
        Binding("enter", "next", "Next"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "summary":
            return self.phase == "done"
        if action == "restart":
            return False
        return super().check_action(action, parameters)

    def _finish(self) -> None:
        super()._finish()
        self.query_one("#exercise-instruction", Static).update(Text("Enter: on to the summary of your session."))

    def action_summary(self) -> None:
        self.dismiss(len(self.answered))  # type: ignore[arg-type]

    def action_back(self) -> None:
        self.dismiss(len(self.answered))  # type: ignore[arg-type]


# --- the session ----------------------------------------------------------------------------------------


class StudyScreen(Screen[None]):
    """The session's steps, one after another; the flashcards are shown here."""

    BINDINGS = [
        Binding("space,enter", "reveal", "Show meaning"),
        *[Binding(str(n), f"rate({n})", name, key_display=str(n)) for n, name in RATINGS.items()],
        Binding("enter", "read", "Read it"),
        Binding("enter", "exercises", "Exercises"),
        Binding("enter", "close", "Library", tooltip="Back to the library"),
        Binding("r", "reread", "Read again", tooltip="Read the session's lesson again"),
        Binding("s", "skip_reviews", "Skip reviews", tooltip="Skip the rest of the reviews"),
        Binding("s", "skip_reading", "Skip reading", tooltip="Go straight to the exercises"),
        Binding("s", "skip_exercises", "Skip exercises", tooltip="Go straight to the summary"),
        Binding("g", "app.statistics", "Statistics"),
        Binding("escape", "finish", "End session", tooltip="End the session now: its summary"),
        Binding("escape", "close", "Library", tooltip="Back to the library"),
    ]

    HELP = [
        ("Space, Enter", "Reviews: show the meaning of the word"),
        ("1, 2, 3, 4", "Reviews: rate how well you knew it (Again, Hard, Good, Easy)"),
        ("Enter", "Read the lesson chosen for you; then (x in the reader) its exercises"),
        ("r", "Read the lesson again"),
        ("s", "Skip this step"),
        ("g", "Statistics"),
        ("Esc", "End the session (its summary); on the summary: back to the library"),
    ]

    def __init__(self) -> None:
        super().__init__(id="study-screen")
        self.phase = "planning"  # planning | review | rating | lesson | exercises | summarising | summary | failed
        self.plan: SessionPlan | None = None
        self.start = 0
        """The sentence the reader opens at (the learner's place in the lesson)."""
        self.index = 0
        self.revealed = False
        self.rated: list[ReviewItem] = []
        self.last_line = Text()
        self.read = False
        self.answered = 0
        self.summary: SessionSummary | None = None
        self.done: set[str] = set()
        """The steps done (not skipped): "review", "lesson", "exercises"."""

    @property
    def lapp(self) -> LesestoffApp:
        return self.app  # type: ignore[return-value]

    @property
    def item(self) -> ReviewItem | None:
        plan = self.plan
        if plan is None or self.phase not in ("review", "rating") or self.index >= len(plan.reviews):
            return None
        return plan.reviews[self.index]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="study-body"):
            yield Static("", id="study-steps")
            yield Static("", id="study-title", classes="dialog-title")
            yield Static("", id="study-card")
            yield Static("", id="study-text")
            yield Static("", id="study-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Study session"
        self._show("Preparing your session …", Text("Looking for due reviews and the next lesson for you …"))
        self.make_plan()

    # --- planning --------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="study")
    def make_plan(self) -> None:
        from lessons.tutor import plan_session

        session = self.lapp.session
        try:
            store = session.store()
            self.post_message(Planning("Loading the lessons …"))
            lessons = session.lessons()
            self.post_message(Planning("Loading the dictionary …"))
            meanings = session.meanings()
            self.post_message(Planning("Choosing your next lesson and its exercises …"))
            plan = plan_session(
                lessons,
                store,
                datetime.now(UTC),
                meanings=meanings,
                max_reviews=MAX_REVIEWS,
                exercise_count=self.lapp.exercise_count,
                seed=self.lapp.exercise_seed,
            )
            start = 0
            if plan.lesson is not None:
                progress = store.progress(plan.lesson.id)
                if progress is not None and not progress.completed:
                    start = progress.last_sentence
        except UserError as exc:
            self.post_message(PlanFailed(exc.message))
            return
        except Exception as exc:
            self.post_message(PlanFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(Planned(plan, start))

    @on(Planning)
    def _planning(self, message: Planning) -> None:
        if self.phase == "planning":
            self.query_one("#study-text", Static).update(Text(message.stage))

    @on(PlanFailed)
    def _plan_failed(self, message: PlanFailed) -> None:
        self.phase = "failed"
        self._show("The session could not be prepared", Text(message.error), "Esc: back to the library")
        self.notify(message.error, title="Study session", severity="error")
        self.refresh_bindings()

    @on(Planned)
    def _planned(self, message: Planned) -> None:
        self.plan = message.plan
        self.start = message.start
        if message.plan.reviews:
            self.phase = "review"
            self.index = 0
            self._show_card()
        else:
            self.done.add("review")
            self._show_lesson()

    # --- the screen ------------------------------------------------------------------------------------

    def _steps(self) -> Text:
        """The steps ("Reviews ✓ › Read › Exercises › Summary"), the current one highlighted."""
        current = {"planning": "review", "rating": "review", "summarising": "summary", "failed": ""}.get(
            self.phase, self.phase
        )
        order = [phase for phase, _ in STEPS]
        here = order.index(current) if current in order else -1
        out = Text()
        for number, (phase, label) in enumerate(STEPS):
            if number:
                out.append("  ›  ", style="dim")
            if number < here:
                out.append(f"{label} ✓" if phase in self.done else f"{label} (skipped)", style="dim")
            elif number == here:
                out.append(label, style="bold reverse")
            else:
                out.append(label)
        return out

    def _show(self, title: str, text: Text, hint: str = "", card: Text | None = None) -> None:
        self.query_one("#study-steps", Static).update(self._steps())
        self.query_one("#study-title", Static).update(Text(title))
        box = self.query_one("#study-card", Static)
        box.update(card if card is not None else "")
        box.display = card is not None
        self.query_one("#study-text", Static).update(text)
        self.query_one("#study-hint", Static).update(Text(hint, style="dim"))
        self.query_one("#study-body", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

    # --- 1. reviews ------------------------------------------------------------------------------------

    def _show_card(self) -> None:
        item = self.item
        plan = self.plan
        if item is None or plan is None:
            self.done.add("review")
            self._show_lesson()
            return
        card = Text(justify="center")
        card.append(item.prompt, style="bold")
        if self.revealed:
            card.append("\n\n")
            if item.meaning:
                card.append(item.meaning)
                if item.meaning_source:
                    card.append(f"\nsource: {item.meaning_source}", style="dim")
            else:
                card.append(item.answer, style="italic")
        text = Text()
        if self.last_line.plain:
            text.append_text(self.last_line)
        hint = (
            "How well did you know it?  1 Again · 2 Hard · 3 Good · 4 Easy"
            if self.revealed
            else "Space or Enter: show the meaning · s: skip the reviews · Esc: end the session"
        )
        self._show(f"Review {self.index + 1} of {len(plan.reviews)}", text, hint, card)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.phase
        if action == "reveal":
            return phase == "review" and not self.revealed
        if action == "rate":
            return phase == "review" and self.revealed
        if action == "skip_reviews":
            return phase == "review"
        if action in ("read", "skip_reading"):
            return phase == "lesson"
        if action in ("exercises", "reread", "skip_exercises"):
            return phase == "exercises"
        if action == "finish":
            return phase not in ("summary", "summarising", "failed")
        if action == "close":
            return phase in ("summary", "failed")
        return True

    def action_reveal(self) -> None:
        item = self.item
        if item is None or self.phase != "review":
            return
        item.reveal()
        self.revealed = True
        self._show_card()

    def action_rate(self, rating: int) -> None:
        item = self.item
        if item is None or self.phase != "review" or not self.revealed:
            return
        self.phase = "rating"
        self.refresh_bindings()
        self.rate(item, rating)

    @work(thread=True, exit_on_error=False, group="store")
    def rate(self, item: ReviewItem, rating: int) -> None:
        try:
            due = item.rate(rating, at=datetime.now(UTC))
        except (UserError, ValueError, KeyError, RuntimeError) as exc:
            self.post_message(Rated(item, None, str(exc)))
            return
        self.post_message(Rated(item, due))

    @on(Rated)
    def _rated(self, message: Rated) -> None:
        from lessons.tutor import describe_due

        item = message.item
        self.phase = "review"
        if message.error is not None or message.due is None:
            self.notify(f"Could not save the rating of {item.lemma}: {message.error}", severity="error")
            self.refresh_bindings()
            return
        self.rated.append(item)
        name = item.rating.name if item.rating is not None else ""
        line = Text()
        line.append(f"{item.prompt}: ", style="dim")
        line.append(name, style="bold")
        line.append(f" · next review {describe_due(message.due, datetime.now(UTC))}", style="dim")
        self.last_line = line
        self.index += 1
        self.revealed = False
        self._show_card()

    def action_skip_reviews(self) -> None:
        if self.phase == "review":
            self._show_lesson()

    # --- 2. the lesson ---------------------------------------------------------------------------------

    def _reviews_line(self) -> Text:
        plan = self.plan
        if plan is None or not plan.reviews:
            return Text("No reviews were due.")
        remembered = sum(1 for item in self.rated if item.rating is not None and item.rating.value > 1)
        left = len(plan.reviews) - len(self.rated)
        line = f"Reviews: {len(self.rated)} done, {remembered} remembered"
        if left:
            line += f" ({left} left for later)"
        return Text(line + ".")

    def _show_lesson(self) -> None:
        plan = self.plan
        self.phase = "lesson"
        if plan is None or plan.lesson is None:
            self._summarise()
            return
        lesson = plan.lesson
        text = self._reviews_line()
        text.append("\n\n")
        text.append("Next, read:\n", style="bold")
        text.append("  ")
        text.append(lesson.title, style="bold")
        text.append("\n")
        details = [str(lesson.kind), lesson.cefr, f"{lesson.words} words"]
        choice = plan.choice
        if choice is not None:
            count = len(choice.coverage.new_lemmas)
            details.append(f"{count} new {'word' if count == 1 else 'words'} for you")
        text.append("  " + " · ".join(d for d in details if d) + "\n")
        if choice is not None:
            text.append("  Why this one: ", style="bold")
            text.append(choice.reason)
            text.append("\n")
        if self.start:
            text.append(f"  You stopped at sentence {self.start + 1} of {len(lesson.sentences)}.\n")
        text.append("\n")
        if plan.exercises:
            text.append(f"Then {len(plan.exercises)} exercises on it, at level {plan.level}.")
        else:
            text.append("There are no exercises for this lesson at your level.")
        self._show(
            "Your next lesson",
            text,
            "Enter: read it (x in the reader: on to the exercises) · s: skip reading · Esc: end the session",
        )

    def action_read(self) -> None:
        plan = self.plan
        if plan is None or plan.lesson is None or self.phase not in ("lesson", "exercises"):
            return
        self.app.push_screen(StudyReaderScreen(plan.lesson, start=self.start), self._read_done)

    def action_reread(self) -> None:
        self.action_read()

    def _read_done(self, go_on: bool | None) -> None:
        self.read = True
        self.done.add("lesson")
        self._refresh_start()
        if go_on:
            self.action_exercises()
        else:
            self._show_exercises()

    def _refresh_start(self) -> None:
        plan = self.plan
        if plan is None or plan.lesson is None:
            return
        try:
            progress = self.lapp.session.store().progress(plan.lesson.id)
        except Exception:
            return
        if progress is not None:
            self.start = 0 if progress.completed else progress.last_sentence

    def action_skip_reading(self) -> None:
        if self.phase == "lesson":
            self._show_exercises()

    # --- 3. exercises ----------------------------------------------------------------------------------

    def _show_exercises(self) -> None:
        plan = self.plan
        self.phase = "exercises"
        if plan is None or plan.lesson is None or not plan.exercises:
            self._summarise()
            return
        text = Text(f"{len(plan.exercises)} exercises on “{plan.lesson.title}”, at level {plan.level}.")
        self._show(
            "Exercises",
            text,
            "Enter: start · r: read the lesson again · s: skip the exercises · Esc: end the session",
        )

    def action_exercises(self) -> None:
        plan = self.plan
        if plan is None or plan.lesson is None or not plan.exercises:
            self._summarise()
            return
        self.phase = "exercises"
        self.refresh_bindings()
        screen = StudyExerciseScreen(plan.lesson, exercises=plan.exercises, level=plan.level)
        self.app.push_screen(screen, self._exercises_done)

    def _exercises_done(self, answered: int | None) -> None:
        self.answered = answered or 0
        if self.answered:
            self.done.add("exercises")
        self._summarise()

    def action_skip_exercises(self) -> None:
        if self.phase == "exercises":
            self._summarise()

    # --- 4. summary ------------------------------------------------------------------------------------

    def action_finish(self) -> None:
        if self.phase == "planning":
            self.workers.cancel_group(self, "study")
            self.dismiss()
            return
        if self.phase == "rating":
            return
        self._summarise()

    def _summarise(self) -> None:
        self.phase = "summarising"
        self._show("Session summary", Text("Adding it up …"))
        self.make_summary(self.answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="study")
    def make_summary(self, answered: int) -> None:
        from lessons.tutor import ensure_cards_for_learning, summarise

        plan = self.plan
        try:
            store = self.lapp.session.store()
            started = plan.started_at if plan is not None else datetime.now(UTC)
            deadline = time.monotonic() + RECORD_WAIT
            while answered and time.monotonic() < deadline:  # the last answers are recorded by workers
                if sum(1 for a in store.attempts() if a.at >= started) >= answered:
                    break
                time.sleep(0.05)
            ended = datetime.now(UTC)
            ensure_cards_for_learning(store, at=ended)  # words marked learning while reading: due from now on
            summary = summarise(store, started, ended)
            level = store.learner_level()
        except UserError as exc:
            self.post_message(Summarised(None, None, exc.message))
            return
        except Exception as exc:
            self.post_message(Summarised(None, None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(Summarised(summary, level))

    @on(Summarised)
    def _summarised(self, message: Summarised) -> None:
        self.phase = "summary"
        self.summary = message.summary
        if message.summary is None:
            self._show(
                "Session summary",
                Text(f"The summary could not be made: {message.error}"),
                "Enter or Esc: back to the library",
            )
            return
        text = Text("\n".join(message.summary.lines()))
        if message.level:
            text.append(f"\nYour level: {message.level}")
        self._show("Session summary", text, "Enter or Esc: back to the library · g: statistics")

    def action_close(self) -> None:
        self.dismiss()

    # --- for tests and the help ------------------------------------------------------------------------

    @property
    def lesson(self) -> Lesson | None:
        return self.plan.lesson if self.plan is not None else None
