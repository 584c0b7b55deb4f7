"""``lesestoff exercises ID`` (a set with its answers) and ``lesestoff quiz ID`` (a plain terminal quiz).

The quiz reads answers with ``input()`` and so can be completed by piping answers in, one line per item (and
one for each plural follow-up of an article item). "?" shows a hint, an empty line skips, end of input ends
the quiz with the score so far. Every answer is recorded in the learner's store; a missed word gets a review
card (reason "missed").
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from lessons.errors import UserError
from lessons.exercises import KINDS, LETTERS, CheckResult, Exercise, ExerciseKind, kind_title
from lessons.paths import Paths

if TYPE_CHECKING:
    from lessons.model import Lesson
    from lessons.store import Store

__all__ = ["QuizResult", "add_exercise_commands", "render_exercise", "run_quiz"]


def add_exercise_commands(subparsers: Any) -> None:
    for name, helptext in (
        ("exercises", "a graded exercise set on a lesson, with the answers (--json for scripts)"),
        ("quiz", "practise a lesson in the terminal: exercises with immediate feedback and a score"),
    ):
        p = subparsers.add_parser(name, help=helptext)
        p.add_argument("lesson", metavar="ID", help="lesson id or row number")
        p.add_argument(
            "--kind",
            action="append",
            type=_kinds,
            metavar="KIND",
            help=f"only these kinds (repeat, or separate by commas): {', '.join(KINDS)}",
        )
        p.add_argument("--level", metavar="LEVEL", help="the learner's level (default: the stored one, else B1)")
        p.add_argument("--count", type=int, default=10, metavar="N", help="how many exercises (default 10)")
        p.add_argument("--seed", type=int, default=None, metavar="N", help="the same seed gives the same set")
        p.add_argument("--stretch", type=int, default=1, metavar="N", help="target words up to N levels above")
        if name == "exercises":
            p.add_argument("--json", action="store_true")
            p.set_defaults(func=cmd_exercises)
        else:
            p.set_defaults(func=cmd_quiz)


def _kinds(text: str) -> list[str]:
    kinds = [k.strip().replace("-", "_") for k in text.split(",") if k.strip()]
    for kind in kinds:
        if kind not in KINDS:
            raise argparse.ArgumentTypeError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    return kinds


def _build(args: argparse.Namespace, paths: Paths, *, seed: int) -> tuple[Lesson, str, list[Exercise]]:
    from lessons.exercises import build_exercises
    from lessons.services import open_library, open_meanings
    from lessons.vocab_cli import parse_level, store_known, store_level

    if args.count < 1:
        raise UserError(f"--count must be at least 1, not {args.count}")
    if args.stretch < 0:
        raise UserError(f"--stretch must be 0 or more, not {args.stretch}")
    level = parse_level(args.level) or store_level(paths) or "B1"
    kinds = [k for group in args.kind for k in group] if args.kind else None
    lesson = open_library(paths).get(args.lesson)
    exercises = build_exercises(
        lesson,
        open_meanings(paths),
        kinds=kinds,
        level=level,
        count=args.count,
        seed=seed,
        known=store_known(paths),
        stretch=args.stretch,
    )
    if not exercises:
        what = f"{', '.join(kinds)} exercises" if kinds else "exercises"
        raise UserError(f"no {what} can be made from {lesson.id!r}")
    return lesson, level, exercises


# --- exercises -------------------------------------------------------------------------------------------------


def cmd_exercises(args: argparse.Namespace, paths: Paths) -> int:
    seed = 0 if args.seed is None else args.seed
    lesson, level, exercises = _build(args, paths, seed=seed)
    if args.json:
        data = {
            "lesson": lesson.id,
            "title": lesson.title,
            "level": level,
            "seed": seed,
            "exercises": [e.to_dict() for e in exercises],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    print(f"{lesson.title} · level {level} · seed {seed} · {len(exercises)} exercises")
    for number, exercise in enumerate(exercises, start=1):
        print()
        print(render_exercise(exercise, f"{number}."))
        print(f"   Answer: {_answer_line(exercise)}")
        if exercise.followup is not None:
            print(render_exercise(exercise.followup, f"{number}b."))
            print(f"   Answer: {_answer_line(exercise.followup)}")
    return 0


def _answer_line(exercise: Exercise) -> str:
    if exercise.kind == ExerciseKind.MEANING:
        return f"{exercise.choices.index(exercise.expected) + 1}. {exercise.expected}"
    if exercise.kind == ExerciseKind.WORD_ORDER:
        return f"{exercise.answers[1]}  ({exercise.expected})"
    if exercise.kind == ExerciseKind.ARTICLE:
        return " / ".join(exercise.answers) + f" {exercise.lemma}"
    return exercise.expected


def render_exercise(exercise: Exercise, label: str = "") -> str:
    """An exercise as plain text: heading, instruction, the item, numbered choices or chunks."""
    lines = [f"{label} {kind_title(exercise.kind)}".strip(), exercise.instruction]
    kind = exercise.kind
    if kind == ExerciseKind.MEANING:
        lines.append(f"   {exercise.prompt}")
        if exercise.sentence_text:
            lines.append(f"   (in: {exercise.sentence_text})")
        lines += [f"   {i}) {choice}" for i, choice in enumerate(exercise.choices, start=1)]
    elif kind == ExerciseKind.ARTICLE:
        lines.append(f"   {exercise.prompt}      1) der  2) die  3) das")
    elif kind == ExerciseKind.WORD_ORDER:
        ending = getattr(exercise, "ending", "")
        lines += [f"   {i}) {chunk}" for i, chunk in enumerate(exercise.chunks, start=1)]
        if ending:
            lines.append(f"   (the sentence ends with “{ending}”)")
    elif kind == ExerciseKind.MATCH:
        lines += [f"   {line}" for line in exercise.prompt.splitlines()]
        lines += [f"   {LETTERS[i]}) {english}" for i, english in enumerate(exercise.choices)]
    else:
        lines += [f"   {line}" for line in exercise.prompt.splitlines()]
    return "\n".join(lines)


# --- quiz ------------------------------------------------------------------------------------------------------


@dataclass
class QuizResult:
    asked: int = 0
    correct: int = 0
    finished: bool = False
    missed: list[str] = field(default_factory=list)

    @property
    def score_line(self) -> str:
        percent = round(100 * self.correct / self.asked) if self.asked else 0
        return f"Score: {self.correct}/{self.asked} ({percent}%)"


class _EndOfQuiz(Exception):
    pass


def run_quiz(
    exercises: Sequence[Exercise],
    *,
    ask: Callable[[str], str] = input,
    out: TextIO | None = None,
    record: Callable[[Exercise, str, CheckResult], None] | None = None,
) -> QuizResult:
    """Ask each exercise (and its follow-up) with ``ask``; feedback goes to ``out``; ``record`` sees each answer.

    End of input (EOFError) ends the quiz early; the result counts what was answered.
    """
    stream = out if out is not None else sys.stdout
    result = QuizResult()

    def say(text: str = "") -> None:
        print(text, file=stream, flush=True)

    try:
        for number, exercise in enumerate(exercises, start=1):
            label = f"[{number}/{len(exercises)}]"
            _ask_one(exercise, label, ask, say, result, record)
            if exercise.followup is not None:
                _ask_one(exercise.followup, f"[{number}/{len(exercises)}+]", ask, say, result, record)
        result.finished = True
    except _EndOfQuiz:
        say()
        say("Quiz ended early.")
    return result


def _ask_one(
    exercise: Exercise,
    label: str,
    ask: Callable[[str], str],
    say: Callable[[str], None],
    result: QuizResult,
    record: Callable[[Exercise, str, CheckResult], None] | None,
) -> None:
    say("")
    say(render_exercise(exercise, label))
    while True:
        try:
            answer = ask("> ")
        except EOFError:
            raise _EndOfQuiz from None
        if answer.strip() == "?":
            say(f"   Hint: {_hint(exercise)}")
            continue
        break
    result.asked += 1
    if not answer.strip():
        check = CheckResult(False, f"Skipped – the answer is {_answer_line(exercise)}", exercise.expected)
    else:
        check = exercise.check(answer)
    if check.correct:
        result.correct += 1
        say(f"   ✓ {check.feedback}")
    else:
        say(f"   ✗ {check.feedback}")
        if exercise.lemma and exercise.lemma not in result.missed:
            result.missed.append(exercise.lemma)
    if check.note:
        say(f"   Note: {check.note}")
    if exercise.translation and exercise.kind in (ExerciseKind.CLOZE, ExerciseKind.WORD_ORDER):
        say(f"   ({exercise.translation})")
    if record is not None:
        record(exercise, answer, check)


def _hint(exercise: Exercise) -> str:
    parts = [exercise.hint] if exercise.hint else []
    if exercise.kind == ExerciseKind.CLOZE and exercise.choices:
        parts.append("word bank: " + ", ".join(f"{i}) {c}" for i, c in enumerate(exercise.choices, start=1)))
    if exercise.kind == ExerciseKind.MATCH:
        parts.append("answer like “1c 2a 3b”")
    return " · ".join(parts) or "no hint for this one"


def _recorder(store: Store, lesson: Lesson) -> Callable[[Exercise, str, CheckResult], None]:
    from lessons.store import CardReason

    def record(exercise: Exercise, answer: str, check: CheckResult) -> None:
        store.record_attempt(
            lesson.id, str(exercise.kind), exercise.prompt, check.correct, answer, lemma=exercise.lemma
        )
        if not check.correct and exercise.lemma:
            store.add_card(exercise.lemma, CardReason.MISSED)

    return record


def _ask(prompt: str) -> str:
    """``input()``; answers piped in are echoed, so the transcript reads like a session."""
    answer = input(prompt)
    if not sys.stdin.isatty():
        print(answer, flush=True)
    return answer


def cmd_quiz(args: argparse.Namespace, paths: Paths) -> int:
    import random

    from lessons.store import open_store

    seed = random.SystemRandom().randrange(1_000_000) if args.seed is None else args.seed
    lesson, level, exercises = _build(args, paths, seed=seed)
    extra = sum(1 for e in exercises if e.followup is not None)
    print(f"Quiz: {lesson.title}")
    print(
        f"Level {level} · {len(exercises)} exercises"
        + (f" (+{extra} follow-up {'question' if extra == 1 else 'questions'})" if extra else "")
        + f" · seed {seed}"
    )
    print("Type your answer and press Enter. “?” shows a hint, an empty line skips, Ctrl-D ends the quiz.")
    with open_store(paths) as store:
        result = run_quiz(exercises, ask=_ask, record=_recorder(store, lesson))
        changed = _adjusted_level(store) if args.level is None else None
    print()
    print(result.score_line)
    if result.missed:
        print("To review (added to your review cards): " + ", ".join(result.missed))
    if changed:
        print(changed)
    return 0


def _adjusted_level(store: Store) -> str | None:
    """After a quiz at the stored level: move the level when enough answers say so (``tutor.adjust_level``)."""
    from lessons.tutor import adjust_level, level_history

    level = adjust_level(store)
    if level is None:
        return None
    return f"Your level is now {level} ({level_history(store)[-1].reason})."
