"""``lesestoff stats``, ``lesestoff level`` and ``lesestoff review``: the tutor in a plain terminal; and
``lesestoff study``, which starts the app on a study session.

All three read answers with ``input()`` where they ask anything, so they can be completed by piping answers
in (one line each); end of input ends them gracefully.

* ``review``: each due card shows the German word; Enter shows the meaning; then 1 again, 2 hard, 3 good,
  4 easy (or the words). The summary of the session follows.
* ``level``: shows the learner's level; ``level B2`` sets it; ``level --place`` runs the placement check:
  "y"/"n" per word, and for a checked word the number of its meaning (0 or "n": don't know).
* ``study``: its handler returns :data:`START_APP`; the ``lesestoff`` launcher (``tui.main``) then starts the
  app on a study session (this module never imports the app).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from lessons.errors import UserError
from lessons.paths import Paths
from lessons.tutor import PlacementAnswer, PlacementItem, ReviewItem, parse_rating

__all__ = [
    "START_APP",
    "add_tutor_commands",
    "cmd_level",
    "cmd_review",
    "cmd_stats",
    "cmd_study",
    "run_placement",
    "run_review",
]

Ask = Callable[[str], str]
Say = Callable[[str], None]

START_APP = -1
"""What ``cmd_study`` returns (``cli.run`` passes it on): "start the app" — on a study session when
``args.command == "study"``."""


def add_tutor_commands(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "stats", help="your statistics: known words over time, reviews per day, accuracy by exercise kind"
    )
    p.add_argument("--json", action="store_true", help="the data series as JSON")
    p.add_argument("--width", type=int, metavar="N", help="chart width in columns (default: the terminal's)")
    p.add_argument("--height", type=int, default=40, metavar="N", help="at most N lines (default 40)")
    p.set_defaults(func=cmd_stats)

    p = subparsers.add_parser(
        "level", help="show or set your level (A1…C2), or find it with a short vocabulary check (--place)"
    )
    p.add_argument("level", nargs="?", metavar="LEVEL", help="set your level to this (A1, A2, B1, B2, C1, C2)")
    p.add_argument("--place", action="store_true", help="take the placement check (about 30 words)")
    p.add_argument("--seed", type=int, metavar="N", help="the same seed gives the same placement words")
    p.set_defaults(func=cmd_level)

    p = subparsers.add_parser(
        "review", help="review the words that are due (spaced repetition): word, Enter for the meaning, rate 1–4"
    )
    p.add_argument("--max", type=int, default=20, metavar="N", help="at most N cards (default 20)")
    p.set_defaults(func=cmd_review)

    p = subparsers.add_parser(
        "study",
        help="a study session in the app: the reviews that are due, then the next lesson for you "
        "(read it, do its exercises), then a summary",
        description="Start the app on a study session: the review cards that are due (the German word; "
        "Space shows the meaning; rate 1 again, 2 hard, 3 good, 4 easy), then the lesson chosen for you "
        "(with why), read in the reader (x: on to the exercises), its exercises, and a summary of the "
        "session. Without a level set, the app first asks for it (or runs a short placement check).",
    )
    p.set_defaults(func=cmd_study)


def _ask(prompt: str) -> str:
    """``input()``; answers piped in are echoed, so the transcript reads like a session."""
    answer = input(prompt)
    if not sys.stdin.isatty():
        print(answer, flush=True)
    return answer


def _now() -> datetime:
    return datetime.now(UTC)


# --- stats -----------------------------------------------------------------------------------------------------


def cmd_stats(args: argparse.Namespace, paths: Paths) -> int:
    from lessons.stats import collect_stats, render
    from lessons.store import open_store

    if args.height < 1:
        raise UserError(f"--height must be at least 1, not {args.height}")
    if args.width is not None and args.width < 20:
        raise UserError(f"--width must be at least 20, not {args.width}")
    with open_store(paths) as store:
        stats = collect_stats(store)
    if args.json:
        sys.stdout.write(json.dumps(stats.to_json(), ensure_ascii=False, indent=2) + "\n")
        return 0
    width = args.width or min(100, shutil.get_terminal_size((80, 24)).columns)
    print(render(stats, width, args.height))
    return 0


# --- level -----------------------------------------------------------------------------------------------------


def cmd_level(args: argparse.Namespace, paths: Paths) -> int:
    from lessons.store import open_store
    from lessons.tutor import DEFAULT_LEVEL, level_history, set_level
    from lessons.vocab_cli import parse_level

    if args.place and args.level:
        raise UserError("give a LEVEL or --place, not both")
    if args.seed is not None and not args.place:
        raise UserError("--seed only goes with --place")
    if args.place:
        return _place(args, paths)
    if args.level:
        level = parse_level(args.level)
        assert level is not None
        with open_store(paths) as store:
            change = set_level(store, level, "chosen by the learner", at=_now())
        if change.previous and change.previous != level:
            print(f"Your level is now {level} (was {change.previous}).")
        else:
            print(f"Your level is now {level}.")
        return 0
    with open_store(paths) as store:
        level = store.learner_level()
        history = level_history(store)
    if level is None:
        print(f"No level set yet (exercises use {DEFAULT_LEVEL}).")
        print("Set it with 'lesestoff level B1', or take the placement check: 'lesestoff level --place'.")
        return 0
    print(f"Your level: {level}")
    if history and history[-1].level == level:
        last = history[-1]
        print(f"Set {last.at.astimezone():%Y-%m-%d}: {last.reason}")
    return 0


def _place(args: argparse.Namespace, paths: Paths) -> int:
    import random

    from lessons.services import open_meanings
    from lessons.store import open_store
    from lessons.tutor import placement_items, score_placement, set_level

    seed = random.SystemRandom().randrange(1_000_000) if args.seed is None else args.seed
    items = placement_items(seed, open_meanings(paths))
    if len(items) < 6:
        raise UserError("the placement check needs the offline dictionary; see 'lesestoff dict status'")
    print(f"Placement check: {len(items)} words (seed {seed}).")
    print("For each word: do you know it? Answer y or n. For some you pick the meaning (0 if you don't know).")
    print("Answer honestly: claiming words you don't know is noticed and counts against you.")
    answers = run_placement(items, ask=_ask, say=print)
    print()
    if answers is None:
        print("Placement check ended early; your level was not changed.")
        return 1
    result = score_placement(answers)
    for line in result.lines():
        print(line)
    with open_store(paths) as store:
        reason = (
            f"placement check: {sum(a.known for a in answers if not a.item.checked)} of "
            f"{sum(not a.item.checked for a in answers)} words known, meaning checks "
            f"{result.checked_right}/{result.checked_total}"
        )
        set_level(store, result.level, reason, at=_now())
    print(f"Saved: your level is {result.level}. Change it any time with 'lesestoff level LEVEL'.")
    return 0


_YES = {"y", "yes", "j", "ja", "1"}
_NO = {"n", "no", "nein", "0", ""}


def run_placement(
    items: Sequence[PlacementItem], *, ask: Ask = input, say: Say = print
) -> list[PlacementAnswer] | None:
    """Ask each placement item; returns the answers, or None if input ended before the last one.

    Yes/no items take y/yes/j/ja or n/no/nein (an empty line is no); checked items take the number of a
    meaning, or 0/n/empty for "don't know". Anything else asks again.
    """
    answers: list[PlacementAnswer] = []
    total = len(items)
    try:
        for number, item in enumerate(items, start=1):
            say("")
            if not item.checked:
                while True:
                    reply = ask(f"[{number}/{total}] {item.display} — do you know it? [y/n] ").strip().lower()
                    if reply in _YES or reply in _NO:
                        answers.append(PlacementAnswer.yes_no(item, reply in _YES))
                        break
                    say("   Please answer y or n.")
                continue
            say(f"[{number}/{total}] What does “{item.display}” mean?")
            for index, choice in enumerate(item.choices, start=1):
                say(f"   {index}) {choice}")
            say("   0) I don't know")
            while True:
                reply = ask("> ").strip().lower()
                if reply in _NO:
                    answers.append(PlacementAnswer.pick(item, None))
                    break
                if reply.isdigit() and 1 <= int(reply) <= len(item.choices):
                    answers.append(PlacementAnswer.pick(item, int(reply) - 1))
                    break
                say(f"   Please answer with a number from 0 to {len(item.choices)}.")
    except EOFError:
        return None
    return answers


# --- study ------------------------------------------------------------------------------------------------------


def cmd_study(args: argparse.Namespace, paths: Paths) -> int:
    """Nothing to do here: the launcher starts the app on a study session when it gets :data:`START_APP`."""
    return START_APP


# --- review ----------------------------------------------------------------------------------------------------

RATING_HELP = "1 again · 2 hard · 3 good · 4 easy"


def run_review(
    items: Sequence[ReviewItem], *, ask: Ask = input, say: Say = print, now: Callable[[], datetime] = _now
) -> int:
    """Review each item: the word, Enter reveals the meaning, then a rating 1–4. Returns how many were rated;
    end of input stops early (the ratings given so far are saved)."""
    from lessons.tutor import describe_due

    done = 0
    try:
        for number, item in enumerate(items, start=1):
            say("")
            say(f"[{number}/{len(items)}] {item.prompt}")
            ask("   (Enter shows the meaning) ")
            say(f"   = {item.reveal()}")
            while True:
                reply = ask(f"   {RATING_HELP}: ")
                try:
                    rating = parse_rating(reply)
                except ValueError:
                    say(f"   Please answer {RATING_HELP}.")
                    continue
                break
            moment = now()
            due = item.rate(rating, at=moment)
            done += 1
            say(f"   Next time: {describe_due(due, moment)}")
    except EOFError:
        say("")
        say("Review ended early.")
    return done


def cmd_review(args: argparse.Namespace, paths: Paths) -> int:
    from lessons.services import open_meanings
    from lessons.store import open_store
    from lessons.tutor import ensure_cards_for_learning, review_items, summarise

    if args.max < 1:
        raise UserError(f"--max must be at least 1, not {args.max}")
    meanings = open_meanings(paths)
    with open_store(paths) as store:
        started = _now()
        ensure_cards_for_learning(store, at=started)
        due = {card.lemma for card in store.due_cards(started, limit=args.max)}
        practised = due & {a.lemma for a in store.attempts() if a.lemma}
        sources = _lesson_sources(paths) if practised else None
        items = review_items(store, started, meanings=meanings, sources=sources, limit=args.max)
        if not items:
            summary = summarise(store, started, started)
            print("Nothing to review right now.")
            print(summary.lines()[-1])
            return 0
        print(f"{len(items)} {'card' if len(items) == 1 else 'cards'} to review. Ctrl-D ends the review.")
        run_review(items, ask=_ask, say=print)
        summary = summarise(store, started, _now())
    print()
    for line in summary.lines():
        print(line)
    return 0


def _lesson_sources(paths: Paths) -> dict[str, str]:
    """Lesson id → source file, for the curated meaning of a word practised in a bundled lesson."""
    from lessons.services import open_library

    try:
        return {entry.id: entry.source for entry in open_library(paths).entries()}
    except (UserError, OSError, ValueError):
        return {}
