"""``lesestoff import``: add files, folders (or standard input) to the library, one line per file.

Every input goes through ``lessons.sources`` (size limit, binary check, encoding, format: plain text, Markdown,
HTML, SRT/WebVTT subtitles), then a language check: a text that does not look German is refused unless
``force`` is given (then it is imported with its foreign lines kept, and a warning). A folder imports every
file in it (not its subfolders, not hidden files), in name order. Problems are one line each on ``err``:
``lesestoff: error: …`` for a refused file (exit code 2 if any), ``lesestoff: warning: …`` for an accepted one
(an encoding guessed, mojibake repaired, a forced language). A refused file leaves the library as it was.

For the TUI: ``import_one(library, path, progress=callback)`` does one file from a worker thread;
``callback(stage, fraction)`` is called with "reading" (bytes read) and then "processing" (text tokenized).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, TextIO

from lessons import language
from lessons.errors import UserError
from lessons.library import Library, Progress
from lessons.model import Kind, Lesson
from lessons.sources import load_path, load_stream

GERMAN_SHARE = 1 / 3
"""A text is German enough when at least this share of its words is in runs that look German."""

_WORD = re.compile(r"[^\W\d_]+")
_CHUNK_WORDS = 30
_MAX_CHUNKS = 400


def _is_cjk(char: str) -> bool:
    return "\u3040" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" or "\uf900" <= char <= "\ufaff"


def _sample(text: str, size: int = 200_000, pieces: int = 20) -> str:
    """The whole text if short, else evenly spread slices of it (language checks stay fast on a book)."""
    if len(text) <= size:
        return text
    step = len(text) // pieces
    return "\n".join(text[i * step : i * step + size // pieces] for i in range(pieces))


def foreign_language(text: str) -> str | None:
    """None if the text looks German, else a short description ("English", "Chinese, Japanese or Korean").

    Runs of 30 words are judged by ``language.language_of``; a German text quoting English passes as long as a
    third of its words are in German runs. Texts of fewer than four words are not judged.
    """
    sample = _sample(text)
    letters = [c for c in sample if c.isalpha()]
    if len(letters) >= 4 and sum(1 for c in letters if _is_cjk(c)) / len(letters) > 0.3:
        return "Chinese, Japanese or Korean"
    words = _WORD.findall(sample)
    if len(words) < 4:
        return None
    chunks = [words[i : i + _CHUNK_WORDS] for i in range(0, len(words), _CHUNK_WORDS)]
    if len(chunks) > _MAX_CHUNKS:
        chunks = chunks[:: len(chunks) // _MAX_CHUNKS + 1]
    counts = {"de": 0, "en": 0, "other": 0}
    for chunk in chunks:
        counts[language.language_of(chunk)] += len(chunk)
    total = sum(counts.values())
    if counts["de"] >= GERMAN_SHARE * total:
        return None
    return "English" if counts["en"] >= counts["other"] else "another language"


def import_one(
    library: Library,
    path: Path | None,
    *,
    kind: Kind | None = None,
    title: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
) -> Lesson:
    """Import one file (None: ``stdin``, default standard input); the lesson's ``warnings`` say what was assumed."""
    if path is None:
        source = load_stream(stdin if stdin is not None else sys.stdin.buffer, "stdin", progress)
        name = "stdin"
    else:
        source = load_path(path, progress)
        name = path.name
    warnings = list(source.warnings)
    foreign = foreign_language(source.text)
    if foreign is not None:
        if not force:
            raise UserError(f"{source.name}: does not look German ({foreign}); use --force to import it anyway")
        warnings.append(f"does not look German ({foreign}); imported because of --force")
    try:
        lesson = library.add_text(
            source.stored_text(),
            name,
            kind=kind,
            title=title or source.title,
            timed=source.timed,
            keep_foreign=foreign is not None,
            progress=progress,
        )
    except UserError as exc:
        if path is None or not exc.message.startswith(f"{name}:"):
            raise
        raise UserError(f"{path}{exc.message[len(name) :]}") from None  # the path as given, like the others
    return replace(lesson, warnings=tuple(warnings))


def expand(paths: Sequence[Path | None]) -> list[Path | UserError | None]:
    """Folders replaced by their files (sorted, not recursive, hidden files skipped); errors kept in place."""
    result: list[Path | UserError | None] = []
    for path in paths:
        if path is None or not path.is_dir():
            result.append(path)
            continue
        try:
            files = sorted(p for p in path.iterdir() if not p.name.startswith(".") and not p.is_dir())
        except OSError as exc:
            result.append(UserError(f"{path}: cannot list the folder ({exc.strerror or exc})"))
            continue
        if not files:
            result.append(UserError(f"{path}: no files to import in this folder"))
        result.extend(files)
    return result


def _terminal_progress(err: TextIO) -> Progress | None:
    """A one-line progress display on an interactive stderr (nothing when stderr is a file or pipe)."""
    try:
        interactive = err.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive:
        return None

    def show(stage: str, fraction: float) -> None:
        err.write(f"\r{stage} {fraction:4.0%}\x1b[K")
        err.flush()

    return show


def import_paths(
    library: Library,
    paths: Sequence[Path | None],
    *,
    kind: Kind | None = None,
    title: str | None = None,
    force: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> int:
    """Import each path (None = standard input, a folder = its files); prints ids of the good ones, one line
    per problem; returns 2 if any file was refused, else 0."""
    failures = 0
    terminal = _terminal_progress(err) if progress is None else None
    progress = progress or terminal
    for item in expand(paths):
        try:
            if isinstance(item, UserError):
                raise item
            lesson = import_one(library, item, kind=kind, title=title, force=force, progress=progress, stdin=stdin)
        except UserError as exc:
            failures += 1
            if terminal is not None:
                err.write("\r\x1b[K")
            print(f"lesestoff: error: {exc.message}", file=err)
            continue
        if terminal is not None:
            err.write("\r\x1b[K")
        for warning in lesson.warnings:
            print(f"lesestoff: warning: {'stdin' if item is None else item}: {warning}", file=err)
        print(lesson.id, file=out)
    return 2 if failures else 0
