"""``lesestoff import``: add files (or standard input) to the library, one line per file."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from lessons.errors import UserError
from lessons.library import Library
from lessons.model import Kind
from lessons.reading import decode


def import_paths(
    library: Library,
    paths: Sequence[Path | None],
    *,
    kind: Kind | None = None,
    title: str | None = None,
    force: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Import each path (None = standard input); prints ids of the good ones, one error line per bad one."""
    failures = 0
    for path in paths:
        try:
            if path is None:
                lesson = library.add_text(decode(sys.stdin.buffer.read()), "stdin", kind=kind, title=title)
            else:
                lesson = library.import_file(path, kind=kind, title=title)
        except UserError as exc:
            failures += 1
            print(f"lesestoff: error: {exc.message}", file=err)
            continue
        print(lesson.id, file=out)
    return 2 if failures else 0
