"""The scriptable command line: ``lesestoff lessons|show|import|…``.

Every command prints plain text or, with ``--json``, JSON on stdout; errors are one line on stderr with exit
code 2. The bare ``lesestoff`` (no command) starts the TUI; that is dispatched by ``tui.main`` so this
module stays free of Textual.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from lessons import __version__
from lessons.errors import UserError
from lessons.model import Kind, Lesson
from lessons.paths import Paths, resolve

Handler = Callable[[argparse.Namespace, Paths], int]


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _library(paths: Paths):  # type: ignore[no-untyped-def]
    from lessons.services import open_library

    return open_library(paths)


# --- lessons -----------------------------------------------------------------------------------------------


def lesson_row(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "title": lesson.title,
        "source": lesson.source,
        "kind": str(lesson.kind),
        "date": lesson.date,
        "words": lesson.words,
        "sentences": len(lesson.sentences),
        "cefr": lesson.cefr,
    }


def cmd_lessons(args: argparse.Namespace, paths: Paths) -> int:
    lessons = _library(paths).lessons()
    rows = [lesson_row(lesson) for lesson in lessons]
    if args.json:
        _print_json(rows)
        return 0
    print(f"{'#':>3}  {'id':<40} {'kind':<10} {'date':<10} {'cefr':<4} {'words':>6}  title")
    for number, row in enumerate(rows, start=1):
        title = row["title"] if len(row["title"]) <= 60 else row["title"][:59] + "…"
        print(
            f"{number:>3}  {row['id']:<40} {row['kind']:<10} {row['date'] or '':<10} {row['cefr']:<4} "
            f"{row['words']:>6}  {title}"
        )
    return 0


# --- show --------------------------------------------------------------------------------------------------


def lesson_json(lesson: Lesson, paths: Paths) -> dict[str, Any]:
    from lessons.services import enrich_lesson_json

    data = lesson.to_dict()
    data.pop("content_hash", None)
    return enrich_lesson_json(data, lesson, paths)


def clock(seconds: float) -> str:
    """A subtitle time as the reader sees it: 83.4 → "00:01:23"."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def render_lesson(lesson: Lesson) -> str:
    out = [lesson.title, "=" * min(len(lesson.title), 100)]
    meta = [
        f"id {lesson.id}",
        str(lesson.kind),
        f"CEFR {lesson.cefr}",
        f"{lesson.words} words",
        f"{len(lesson.sentences)} sentences",
    ]
    if lesson.date:
        meta.insert(2, lesson.date)
    out.append(" · ".join(meta) + f" · from {lesson.source}")
    from lessons.corrections_cli import correction_lines

    out.extend(correction_lines(lesson.corrections))
    out.append("")
    paragraph = None
    for sentence in lesson.sentences:
        if paragraph is not None and sentence.paragraph != paragraph:
            out.append("")
        paragraph = sentence.paragraph
        stamp = f"[{clock(sentence.start)}] " if sentence.start is not None else ""
        out.append(f"{sentence.index + 1:>3}. {stamp}{sentence.text}")
        if sentence.original is not None:
            out.append(f"     (was: {sentence.original})")
    if lesson.removed:
        out.append("")
        out.append(f"Removed while cleaning ({len(lesson.removed)} lines):")
        out.extend(f"  - {line}" for line in lesson.removed)
    return "\n".join(out)


def cmd_show(args: argparse.Namespace, paths: Paths) -> int:
    lesson = _library(paths).get(args.lesson)
    if args.json:
        _print_json(lesson_json(lesson, paths))
    else:
        print(render_lesson(lesson))
    return 0


# --- import ------------------------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, paths: Paths) -> int:
    from lessons.importing import import_paths

    return import_paths(
        _library(paths),
        [Path(p) if p != "-" else None for p in args.paths],
        kind=Kind(args.kind) if args.kind else None,
        title=args.title,
        force=args.force,
        out=sys.stdout,
        err=sys.stderr,
    )


# --- parser ------------------------------------------------------------------------------------------------


_CORE_COMMANDS = frozenset({"lessons", "show", "import"})
"""Commands defined in this module: running one needs no other command's module."""


def build_parser(extensions: bool = True) -> argparse.ArgumentParser:
    """The whole command line; ``extensions=False`` leaves out the commands defined in other modules
    (``lessons.commands``), whose imports are most of a quick command's start."""
    parser = argparse.ArgumentParser(
        prog="lesestoff",
        description="Lesestoff: graded German reading lessons, glosses, exercises and Anki decks. "
        "Without a command, starts the app.",
    )
    parser.add_argument("--version", action="version", version=f"lesestoff {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where to keep state (default: $LESESTOFF_HOME or the platform's user data dir)",
    )
    parser.add_argument(
        "--online",
        action="store_true",
        help="allow online translation for this run (sends text to the configured service)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("lessons", help="list the lessons in the library")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lessons)

    p = sub.add_parser("show", help="show a lesson (id or row number)")
    p.add_argument("lesson", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "import",
        help="add texts to the library: .txt/.md/.html/.srt/.vtt in any common encoding, "
        "a folder imports its files, '-' reads standard input",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--kind", choices=[k.value for k in Kind])
    p.add_argument("--title")
    p.add_argument("--force", action="store_true", help="import even if the text does not look German")
    p.set_defaults(func=cmd_import)

    if extensions:
        for register in _extensions():
            register(sub)
    return parser


def _extensions() -> list[Callable[[Any], None]]:
    """Command groups defined next to the code they drive."""
    from lessons import commands

    return commands.registrars()


class _NotJustOptions(Exception):
    pass


class _GlobalOptionsParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotJustOptions(message)


def app_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The global options when ``argv`` is nothing else (no command, no --help): the app starts with them.

    Without building the full parser, which imports every command's module (a sixth of the app's start);
    None for anything else, which :func:`run` then parses and reports on as usual."""
    parsed = _global_options(argv)
    if parsed is None or parsed[1]:
        return None
    args = parsed[0]
    args.command = None
    return args


def _global_options(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]] | None:
    """The global options and the rest of ``argv``; None when they cannot be told apart (--help, an error)."""
    parser = _GlobalOptionsParser(prog="lesestoff", add_help=False)
    parser.add_argument("--data-dir")
    parser.add_argument("--online", action="store_true")
    try:
        return parser.parse_known_args(list(argv))
    except _NotJustOptions:
        return None


def _command_of(argv: Sequence[str]) -> str | None:
    """The command word in ``argv`` (after the global options), if any."""
    parsed = _global_options(argv)
    rest = parsed[1] if parsed is not None else []
    return rest[0] if rest and not rest[0].startswith("-") else None


def run(argv: Sequence[str] | None = None) -> int:
    """Run a command; returns the exit code. ``argv`` without a command returns -1 (caller starts the TUI)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(extensions=_command_of(argv) not in _CORE_COMMANDS)
    args = parser.parse_args(argv)
    paths = resolve(args.data_dir)
    if args.command is None:
        return -1
    if args.online:
        import os

        os.environ["LESESTOFF_ONLINE"] = "1"
    try:
        return int(args.func(args, paths))
    except UserError as exc:
        print(f"lesestoff: error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lesestoff: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        print(f"lesestoff: error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    code = run(argv)
    if code == -1:
        print("lesestoff: no command given (the app is started by the 'lesestoff' launcher)", file=sys.stderr)
        return 2
    return code
