"""Exercises: a graded set (``lessons.exercises``), one at a time, immediate feedback, a score at the end.

Typing kinds (cloze, spot the error, plural) take an Input; choice kinds take keys: 1–4 for meanings, 1–3 for
der/die/das, chunk numbers in order for word order, and for sentence match a letter for each German sentence
in turn. Backspace takes back the last pick. Every answer is recorded in the learner store (a wrong answer on a
word gives it a review card), and after the last one the tutor may move the learner's level.

A study session hands the screen a ready set (``exercises=``) instead of building one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from lessons.errors import UserError
from lessons.model import Lesson

if TYPE_CHECKING:
    from lessons.exercises import CheckResult, Exercise
    from lessons.store import Store
    from tui.app import LesestoffApp

TYPED = {"cloze", "spot_error", "plural"}
LETTERS = "abcdefgh"


class SetBuilt(Message):
    def __init__(self, exercises: list[Exercise], level: str) -> None:
        super().__init__()
        self.exercises = exercises
        self.level = level


class SetFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class RecordFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class Choice(Static):
    """A clickable option; clicking it is the same as pressing its key."""

    class Picked(Message):
        def __init__(self, value: str) -> None:
            super().__init__()
            self.value = value

    def __init__(self, label: Text, value: str, **kwargs: object) -> None:
        super().__init__(label, classes="choice", **kwargs)  # type: ignore[arg-type]
        self.value = value

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Picked(self.value))


@dataclass
class Answered:
    exercise: Exercise
    answer: str
    result: CheckResult


def instruction(exercise: Exercise) -> str:
    """What to do, in terms of this screen's keys (the core's instructions are written for typing)."""
    kind = exercise.kind
    if kind == "meaning":
        return f"What does “{exercise.prompt}” mean in this text? Press 1–{len(exercise.choices)} (or click)."
    if kind == "article":
        return "der, die oder das? Press 1, 2 or 3 (or click)."
    if kind == "word_order":
        return (
            "Put the parts in order: press their numbers (or click them) one after another; Backspace takes one back."
        )
    if kind == "match":
        return (
            "Match the German sentences with their translations: for each sentence in turn, press the letter of "
            "its translation (or click it); Backspace takes one back."
        )
    return exercise.instruction


def shown_answer(exercise: Exercise, answer: str) -> str:
    """An answer as the learner meant it: choice numbers become their text ("1" → "der")."""
    if exercise.kind in ("meaning", "article") and answer.isdigit() and 0 < int(answer) <= len(exercise.choices):
        return exercise.choices[int(answer) - 1]
    if exercise.kind == "word_order" and answer.replace(" ", "").isdigit():
        numbers = [int(n) for n in answer.split()]
        if all(0 < n <= len(exercise.chunks) for n in numbers):
            return " ".join(exercise.chunks[n - 1] for n in numbers)
    return answer


class ExerciseScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f2", "hint", "Hint"),
        *[Binding(str(n), f"choose({n})", "Choose" if n == 1 else f"Choose {n}", show=n == 1) for n in range(1, 10)],
        *[
            Binding(
                letter,
                f"letter('{letter}')",
                "Pick a translation" if letter == "a" else f"Pick {letter}",
                show=letter == "a",
            )
            for letter in LETTERS
        ],
        Binding("backspace", "undo", "Undo pick"),
        Binding("enter,space", "next", "Next"),
        Binding("r", "restart", "New set"),
    ]

    HELP = [
        ("Esc", "Back"),
        ("(type) Enter", "Answer a gap fill, a plural or a spot-the-error item"),
        ("1–4", "Choose a meaning or der/die/das (or click it)"),
        ("1–9", "Word order: pick the parts in order (or click them)"),
        ("a–e", "Sentence match: the translation of each sentence in turn"),
        ("Backspace", "Take back the last pick"),
        ("F2", "A hint (and the word bank of a gap fill)"),
        ("Enter, Space", "Next exercise"),
        ("r", "A new set, at the end"),
    ]

    DONE_KEYS = "r: a new set · Esc: back"
    """The keys shown under the score at the end."""

    def __init__(
        self,
        lesson: Lesson,
        *,
        seed: int | None = None,
        count: int | None = None,
        exercises: list[Exercise] | None = None,
        level: str | None = None,
    ) -> None:
        """``exercises`` (with the ``level`` they were built for): a ready set, shown instead of a new one."""
        super().__init__(id="exercise-screen")
        self.lesson = lesson
        self.prepared = exercises
        self.prepared_level = level
        self.seed = seed
        self.count = count
        self.queue: list[Exercise] = []
        self.position = 0
        self.answered: list[Answered] = []
        self.phase = "loading"  # loading | answering | feedback | done
        self.picks: list[str] = []
        self.level = ""

    @property
    def lapp(self) -> LesestoffApp:
        return self.app  # type: ignore[return-value]

    @property
    def current(self) -> Exercise | None:
        return self.queue[self.position] if 0 <= self.position < len(self.queue) else None

    @property
    def score(self) -> int:
        return sum(1 for a in self.answered if a.result.correct)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="exercise-body"):
            yield Static("", id="exercise-progress")
            yield Static("", id="exercise-title", classes="dialog-title")
            yield Static("", id="exercise-instruction")
            yield Static("", id="exercise-prompt")
            yield Vertical(id="exercise-choices")
            yield Static("", id="exercise-picks")
            yield Input(placeholder="your answer, then Enter", id="exercise-answer")
            yield Static("", id="exercise-hint")
            yield Static("", id="exercise-feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Exercises · {self.lesson.title}"
        self.query_one("#exercise-answer").display = False
        self.query_one("#exercise-prompt", Static).update(Text("Preparing exercises …"))
        if self.count is None:
            self.count = int(getattr(self.app, "exercise_count", 10))
        if self.seed is None:
            self.seed = getattr(self.app, "exercise_seed", None)
        if self.seed is None:
            self.seed = random.randrange(1 << 30)
        if self.prepared is not None:
            self.post_message(SetBuilt(list(self.prepared), self.prepared_level or "B1"))
            return
        self.build()

    # --- building --------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="exercises")
    def build(self) -> None:
        from lessons.exercises import build_exercises
        from lessons.store import WordStatus

        session = self.lapp.session
        try:
            meanings = session.meanings()
            try:
                store = session.store()
                level = store.learner_level() or "B1"
                known = [w.lemma for w in store.words(WordStatus.KNOWN)]
            except UserError:
                level, known = "B1", []
            exercises = build_exercises(
                self.lesson, meanings, level=level, count=self.count or 10, seed=self.seed or 0, known=known
            )
        except UserError as exc:
            self.post_message(SetFailed(exc.message))
            return
        except Exception as exc:
            self.post_message(SetFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(SetBuilt(exercises, level))

    @on(SetBuilt)
    def _built(self, message: SetBuilt) -> None:
        self.queue = list(message.exercises)
        self.level = message.level
        self.position = 0
        self.answered = []
        if not self.queue:
            self.phase = "done"
            self.query_one("#exercise-prompt", Static).update(
                Text("This lesson has no material for exercises at your level.")
            )
            self.refresh_bindings()
            return
        self._show()

    @on(SetFailed)
    def _failed(self, message: SetFailed) -> None:
        self.query_one("#exercise-prompt", Static).update(Text("Could not prepare the exercises."))
        self.notify(message.error, title="Exercises", severity="error")

    # --- showing ---------------------------------------------------------------------------------------

    def _progress_line(self) -> Text:
        total = len(self.queue)
        return Text(
            f"Exercise {self.position + 1} of {total} · score {self.score}/{len(self.answered)} · level {self.level}"
        )

    def _show(self) -> None:
        exercise = self.current
        if exercise is None:
            self._finish()
            return
        self.phase = "answering"
        self.picks = []
        self.query_one("#exercise-progress", Static).update(self._progress_line())
        self.query_one("#exercise-title", Static).update(Text(exercise.title))
        self.query_one("#exercise-instruction", Static).update(Text(instruction(exercise)))
        self.query_one("#exercise-feedback", Static).update("")
        self.query_one("#exercise-feedback").set_classes("")
        self.query_one("#exercise-hint", Static).update("")
        self._show_prompt(exercise)
        self._show_choices(exercise)
        self._show_picks()
        answer = self.query_one("#exercise-answer", Input)
        if exercise.kind in TYPED:
            answer.display = True
            answer.disabled = False
            answer.value = ""
            answer.focus()
        else:
            answer.display = False
            self.set_focus(None)
        self.query_one("#exercise-body", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

    def _show_prompt(self, exercise: Exercise) -> None:
        from lessons.exercises import BLANK

        prompt = Text()
        if exercise.kind == "word_order":
            ending = getattr(exercise, "ending", "")
            if ending and ending != ".":
                prompt.append(f"The sentence ends with “{ending}”.", style="dim")
        elif exercise.kind == "match":
            current = len(self.picks)
            for number, (german, _) in enumerate(exercise.pairs, start=1):
                style = "bold reverse" if number - 1 == current and self.phase == "answering" else "bold"
                prompt.append(f"{number}.", style=style)
                prompt.append(" ")
                prompt.append(german)
                prompt.append("\n")
            prompt.rstrip()
        elif exercise.kind == "meaning":
            prompt.append(exercise.prompt, style="bold")
            if exercise.hint:
                prompt.append("\n")
                prompt.append(exercise.hint, style="italic dim")
        else:
            text = exercise.prompt
            start = 0
            while True:
                found = text.find(BLANK, start)
                if found < 0:
                    prompt.append(text[start:])
                    break
                prompt.append(text[start:found])
                prompt.append(BLANK, style="bold reverse")
                start = found + len(BLANK)
        widget = self.query_one("#exercise-prompt", Static)
        widget.update(prompt)
        widget.display = bool(prompt.plain)

    def _show_choices(self, exercise: Exercise) -> None:
        box = self.query_one("#exercise-choices", Vertical)
        box.remove_children()
        widgets: list[Choice] = []
        if exercise.kind in ("meaning", "article"):
            for number, choice in enumerate(exercise.choices, start=1):
                widgets.append(Choice(Text.assemble((f"{number}  ", "bold"), choice), str(number)))
        elif exercise.kind == "word_order":
            for number, chunk in enumerate(exercise.chunks, start=1):
                widgets.append(Choice(Text.assemble((f"{number}  ", "bold"), chunk), str(number)))
        elif exercise.kind == "match":
            for index, english in enumerate(exercise.choices):
                widgets.append(Choice(Text.assemble((f"{LETTERS[index]}  ", "bold"), english), LETTERS[index]))
        if widgets:
            box.mount_all(widgets)
        box.display = bool(widgets)

    def _show_picks(self) -> None:
        exercise = self.current
        picks = self.query_one("#exercise-picks", Static)
        if exercise is None or exercise.kind not in ("word_order", "match"):
            picks.update("")
            picks.display = False
            return
        picks.display = True
        out = Text()
        if exercise.kind == "word_order":
            out.append("your sentence: ", style="bold")
            out.append(" ".join(exercise.chunks[int(n) - 1] for n in self.picks) or "…")
            for choice in self.query(Choice):
                choice.set_class(choice.value in self.picks, "picked")
        else:
            out.append("your answer: ", style="bold")
            cells = []
            for number in range(1, len(exercise.pairs) + 1):
                letter = self.picks[number - 1] if number - 1 < len(self.picks) else "?"
                cells.append(f"{number}{letter}")
            out.append(" ".join(cells))
            if len(self.picks) < len(exercise.pairs):
                out.append(f"   → pick the translation of sentence {len(self.picks) + 1}", style="dim")
            self._show_prompt(exercise)
            for choice in self.query(Choice):
                choice.set_class(choice.value in self.picks, "picked")
        picks.update(out)
        if self.picks:
            picks.scroll_visible(animate=False)

    # --- answering -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        exercise = self.current
        kind = exercise.kind if exercise is not None else ""
        answering = self.phase == "answering"
        if action == "choose":
            if not answering or kind not in ("meaning", "article", "word_order"):
                return False
            number = int(parameters[0]) if parameters else 0  # type: ignore[call-overload]
            limit = len(exercise.chunks if kind == "word_order" else exercise.choices) if exercise else 0
            return number <= limit
        if action == "letter":
            if not answering or kind != "match" or exercise is None:
                return False
            return LETTERS.index(str(parameters[0])) < len(exercise.choices)
        if action == "undo":
            return answering and kind in ("word_order", "match")
        if action == "next":
            return self.phase == "feedback"
        if action == "hint":
            if not answering or exercise is None or kind == "meaning":
                return False
            return bool(exercise.hint) or (kind == "cloze" and bool(exercise.choices))
        if action == "restart":
            return self.phase == "done"
        return True

    @on(Choice.Picked)
    def _picked(self, message: Choice.Picked) -> None:
        if message.value.isdigit():
            self.action_choose(int(message.value))
        else:
            self.action_letter(message.value)

    def action_choose(self, number: int) -> None:
        exercise = self.current
        if exercise is None or self.phase != "answering":
            return
        if exercise.kind == "word_order":
            if str(number) in self.picks or number > len(exercise.chunks):
                return
            self.picks.append(str(number))
            self._show_picks()
            self.refresh_bindings()
            if len(self.picks) == len(exercise.chunks):
                self._answer(" ".join(self.picks))
            return
        if exercise.kind in ("meaning", "article") and number <= len(exercise.choices):
            self._answer(str(number))

    def action_letter(self, letter: str) -> None:
        exercise = self.current
        if exercise is None or self.phase != "answering" or exercise.kind != "match":
            return
        if LETTERS.index(letter) >= len(exercise.choices) or letter in self.picks:
            return
        self.picks.append(letter)
        self._show_picks()
        if len(self.picks) == len(exercise.pairs):
            self._answer(" ".join(f"{i + 1}{p}" for i, p in enumerate(self.picks)))

    def action_undo(self) -> None:
        if self.picks and self.phase == "answering":
            self.picks.pop()
            self._show_picks()

    def action_hint(self) -> None:
        exercise = self.current
        if exercise is None:
            return
        hint = Text()
        if exercise.hint:
            hint.append("hint: ", style="bold")
            hint.append(exercise.hint)
        if exercise.kind == "cloze" and exercise.choices:
            hint.append("\nword bank: ", style="bold")
            hint.append(" · ".join(exercise.choices))
            hint.append(f"  (type the word or its number 1–{len(exercise.choices)})", style="dim")
        self.query_one("#exercise-hint", Static).update(hint)

    @on(Input.Submitted, "#exercise-answer")
    def _typed(self, event: Input.Submitted) -> None:
        if self.phase != "answering":
            return
        if not event.value.strip():
            self.notify("Type an answer first (F2 shows a hint).", severity="warning", timeout=2)
            return
        self._answer(event.value)

    def _answer(self, answer: str) -> None:
        exercise = self.current
        if exercise is None:
            return
        try:
            result = exercise.check(answer)
        except Exception as exc:  # a checker bug must not end the session
            self.notify(f"Could not check that answer: {exc}", severity="error")
            return
        self.answered.append(Answered(exercise, shown_answer(exercise, answer), result))
        self.phase = "feedback"
        if exercise.followup is not None:
            self.queue.insert(self.position + 1, exercise.followup)
        last = self.position + 1 >= len(self.queue)
        self._record(exercise, shown_answer(exercise, answer), result.correct, last)
        feedback = Text()
        feedback.append("✓ " if result.correct else "✗ ", style="bold")
        feedback.append(result.feedback, style="bold")
        if result.note:
            feedback.append("\n")
            feedback.append(result.note, style="italic")
        if exercise.translation and exercise.kind not in ("article", "match"):
            feedback.append("\n")
            feedback.append("translation: ", style="dim")
            feedback.append(exercise.translation, style="dim")
        feedback.append("\n\n")
        feedback.append("Enter: next" if self.position + 1 < len(self.queue) else "Enter: see your score", style="dim")
        widget = self.query_one("#exercise-feedback", Static)
        widget.update(feedback)
        widget.set_classes("right" if result.correct else "wrong")
        answer_input = self.query_one("#exercise-answer", Input)
        answer_input.disabled = True
        self.query_one("#exercise-progress", Static).update(self._progress_line())
        self.set_focus(None)
        self.refresh_bindings()
        self.query_one("#exercise-body", VerticalScroll).scroll_end(animate=False)

    @work(thread=True, exit_on_error=False, group="store")
    def _record(self, exercise: Exercise, answer: str, correct: bool, last: bool = False) -> None:
        """Record the answer (a missed word gets a review card); after the ``last`` one, let the tutor adjust
        the learner's level from the recent answers (the app says so when it moves)."""
        from lessons.store import CardReason

        store = None
        try:
            store = self.lapp.session.store()
            store.record_attempt(
                self.lesson.id, str(exercise.kind), exercise.prompt, correct, answer, lemma=exercise.lemma
            )
            if not correct and exercise.lemma:
                store.add_card(exercise.lemma, CardReason.MISSED)
        except (UserError, ValueError) as exc:
            self.post_message(RecordFailed(f"Could not record the answer: {exc}"))
        if last and store is not None:
            self._adjust_level(store)

    def _adjust_level(self, store: Store) -> None:
        from lessons.tutor import adjust_level, level_history
        from tui.app import LevelChanged

        try:
            level = adjust_level(store)
            if level is None:
                return
            history = level_history(store)
            reason = history[-1].reason if history else "from your recent exercise answers"
        except (UserError, ValueError) as exc:
            self.post_message(RecordFailed(f"Could not update your level: {exc}"))
            return
        self.app.post_message(LevelChanged(level, reason))

    @on(RecordFailed)
    def _record_failed(self, message: RecordFailed) -> None:
        self.notify(message.error, severity="error")

    def action_next(self) -> None:
        if self.phase != "feedback":
            return
        self.position += 1
        if self.position >= len(self.queue):
            self._finish()
        else:
            self._show()

    # --- the end ---------------------------------------------------------------------------------------

    def _finish(self) -> None:
        self.phase = "done"
        total = len(self.answered)
        percent = round(100 * self.score / total) if total else 0
        self.query_one("#exercise-progress", Static).update(Text(f"Done · level {self.level}"))
        self.query_one("#exercise-title", Static).update(Text(f"Score: {self.score} of {total} ({percent} %)"))
        self.query_one("#exercise-instruction", Static).update(
            Text("Well done!" if percent >= 80 else "Keep practising: r gives a new set.")
        )
        summary = Text()
        for number, item in enumerate(self.answered, start=1):
            summary.append(f"{number:>2}. ")
            summary.append("✓ " if item.result.correct else "✗ ", style="bold")
            summary.append(f"{item.exercise.title}: ", style="dim")
            if item.result.correct:
                summary.append(item.result.expected)
            else:
                summary.append(f"you: {item.answer}  →  {item.result.expected}")
            summary.append("\n")
        summary.append("\n" + self.DONE_KEYS, style="dim")
        self.query_one("#exercise-prompt", Static).update(summary)
        self.query_one("#exercise-prompt").display = True
        box = self.query_one("#exercise-choices", Vertical)
        box.remove_children()
        box.display = False
        self.query_one("#exercise-picks").display = False
        self.query_one("#exercise-answer").display = False
        self.query_one("#exercise-hint", Static).update("")
        self.query_one("#exercise-feedback", Static).update("")
        self.set_focus(None)
        self.refresh_bindings()
        self.query_one("#exercise-body", VerticalScroll).scroll_home(animate=False)

    def action_restart(self) -> None:
        self.seed = (self.seed or 0) + 1
        self.phase = "loading"
        self.query_one("#exercise-prompt", Static).update(Text("Preparing exercises …"))
        self.query_one("#exercise-prompt").display = True
        self.query_one("#exercise-title", Static).update("")
        self.query_one("#exercise-instruction", Static).update("")
        self.refresh_bindings()
        self.build()

    def action_back(self) -> None:
        self.app.pop_screen()
