"""``lesestoff dict import PATH`` and ``lesestoff dict status``: the offline dictionary on the command line.

``lessons.cli`` registers these with :func:`add_dict_commands`; each handler is ``handler(args, paths) -> int``
(set with ``set_defaults(func=...)``) and raises :class:`lessons.errors.UserError` with a one-line message.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from lessons.errors import UserError
from lessons.lexicon import LexiconStatus, import_dictionary, open_lexicon
from lessons.paths import Paths


def add_dict_commands(subparsers: Any) -> None:
    """Add ``dict import PATH`` and ``dict status`` to an argparse subparsers object."""
    parser = subparsers.add_parser("dict", help="the offline dictionary: import Ding word lists, show status")
    actions = parser.add_subparsers(dest="dict_command", metavar="ACTION", required=True)

    p = actions.add_parser("import", help="index a Ding-format German–English list (plain text or .gz)")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=cmd_dict_import)

    p = actions.add_parser("status", help="show which dictionaries and noun data are indexed")
    p.add_argument(
        "--build", action="store_true", help="index missing or changed sources first (dictionary and word indexes)"
    )
    p.set_defaults(func=cmd_dict_status)


def cmd_dict_import(args: argparse.Namespace, paths: Paths, out: TextIO | None = None) -> int:
    """Copy the file into the data dir, index it and print how many entries it has."""
    out = out or sys.stdout
    source = Path(args.path).expanduser()
    announced: set[str] = set()

    def progress(stage: str, fraction: float) -> None:
        if stage not in announced:
            announced.add(stage)
            print(f"Indexing {source.name} …", file=sys.stderr, flush=True)

    try:
        kept, entries = import_dictionary(paths, source, progress=progress)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"{source}: {exc.strerror or exc}") from None
    print(f"Indexed {entries:,} entries from {source.name} (kept as {kept}).", file=out)
    return 0


def cmd_dict_status(args: argparse.Namespace, paths: Paths, out: TextIO | None = None) -> int:
    """Print what the lexicon has; exit code 0 when both nouns and a dictionary are ready, else 1."""
    out = out or sys.stdout
    lexicon = open_lexicon(paths)
    try:
        status = lexicon.ensure_built() if getattr(args, "build", False) else lexicon.status()
    finally:
        lexicon.close()
    if getattr(args, "build", False):
        from lessons.services import build_indexes, stderr_progress

        try:
            build_indexes(paths, stderr_progress)
        except OSError as exc:
            raise UserError(f"{paths.indexes}: cannot build the word indexes there ({exc.strerror or exc})") from None
    print(render_status(status, lexicon.path), file=out)
    return 0 if status.nouns_ready and status.dictionary_ready else 1


def render_status(status: LexiconStatus, index: Path | None = None) -> str:
    lines = [
        f"nouns:      {'ready' if status.nouns_ready else 'not ready'}",
        f"dictionary: {status.dictionary_source or 'not ready'}",
    ]
    if index is not None:
        lines.append(f"index:      {index}")
    lines.append(status.message)
    return "\n".join(lines)
