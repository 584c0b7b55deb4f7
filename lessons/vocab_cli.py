"""``lesestoff vocab ID`` (a lesson's vocabulary list) and ``lesestoff anki [ID…] -o FILE.apkg`` (an Anki deck)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lessons.errors import UserError
from lessons.model import CEFR_LEVELS
from lessons.paths import Paths
from lessons.vocab import FORMATS


def add_vocab_commands(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "vocab",
        help="a lesson's vocabulary list: word with article, plural, meaning in the text, example sentence",
    )
    p.add_argument("lesson", metavar="ID", help="lesson id or row number")
    p.add_argument("--format", choices=FORMATS, default="table", help="table (default), csv, tsv (Anki), json, md")
    p.add_argument("--level", metavar="LEVEL", help="only words at or above this CEFR level (A1…C2)")
    p.add_argument("--min-zipf", type=float, metavar="X", help="only words at least this frequent (Zipf)")
    p.add_argument("--max-zipf", type=float, metavar="Y", help="only words at most this frequent (Zipf)")
    p.add_argument("--new", action="store_true", help="leave out words marked known or ignored")
    p.add_argument("--known", metavar="FILE", type=Path, help="leave out the lemmas in FILE (one a line, # comments)")
    p.add_argument("--sort", choices=("appearance", "difficulty"), default="appearance")
    p.add_argument("--all", action="store_true", help="include function words (articles, pronouns, auxiliaries)")
    p.add_argument("-o", "--output", metavar="FILE", type=Path, help="write to FILE instead of standard output")
    p.set_defaults(func=cmd_vocab)

    p = subparsers.add_parser(
        "anki",
        help="export vocabulary (all lessons without ID) as an Anki deck (.apkg); re-exports update the notes",
    )
    p.add_argument("lessons", nargs="*", metavar="ID", help="lesson ids or row numbers (default: all lessons)")
    p.add_argument("-o", "--output", metavar="FILE.apkg", type=Path, help="the deck file to write (required)")
    p.add_argument("--level", metavar="LEVEL", help="only words at or above this CEFR level (A1…C2)")
    p.add_argument("--new", action="store_true", help="leave out words marked known or ignored")
    p.add_argument("--known", metavar="FILE", type=Path, help="leave out the lemmas in FILE (one a line, # comments)")
    p.add_argument(
        "--cloze",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also make a cloze card from each word's example sentence (default: yes)",
    )
    p.add_argument("--audio", action="store_true", help="add synthetic pronunciation (espeak-ng + lame)")
    p.set_defaults(func=cmd_anki)


# --- shared helpers --------------------------------------------------------------------------------------------


def parse_level(level: str | None) -> str | None:
    """A CEFR level from the command line ("b1" → "B1"); a UserError otherwise."""
    if level is None:
        return None
    upper = level.strip().upper()
    if upper not in CEFR_LEVELS:
        raise UserError(f"unknown level {level!r}: use one of {', '.join(CEFR_LEVELS)}")
    return upper


def store_known(paths: Paths) -> set[str]:
    """Lemmas the learner marked known or ignored (empty when there is no store yet)."""
    if not paths.store.exists():
        return set()
    from lessons.store import WordStatus, open_store

    with open_store(paths) as store:
        return {e.lemma for status in (WordStatus.KNOWN, WordStatus.IGNORED) for e in store.words(status)}


def known_words(paths: Paths, *, new: bool, known_file: Path | None) -> set[str]:
    from lessons.vocab import read_known_file

    known = store_known(paths) if new else set()
    if known_file is not None:
        known |= read_known_file(known_file)
    return known


def store_level(paths: Paths) -> str | None:
    """The learner's level from the store (None when unset or there is no store)."""
    if not paths.store.exists():
        return None
    from lessons.store import open_store

    with open_store(paths) as store:
        return store.learner_level()


def _library(paths: Paths):  # type: ignore[no-untyped-def]
    from lessons.services import open_library

    return open_library(paths)


# --- vocab -----------------------------------------------------------------------------------------------------


def cmd_vocab(args: argparse.Namespace, paths: Paths) -> int:
    from lessons.services import open_meanings
    from lessons.vocab import build_vocabulary, render

    level = parse_level(args.level)
    if args.min_zipf is not None and args.max_zipf is not None and args.min_zipf > args.max_zipf:
        raise UserError(f"--min-zipf {args.min_zipf} is above --max-zipf {args.max_zipf}")
    known = known_words(paths, new=args.new, known_file=args.known)
    lesson = _library(paths).get(args.lesson)
    entries = build_vocabulary(
        lesson,
        open_meanings(paths),
        level=level,
        min_zipf=args.min_zipf,
        max_zipf=args.max_zipf,
        known=known,
        include_function_words=args.all,
        sort=args.sort,
    )
    text = render(entries, lesson, args.format, level=level)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    _write(args.output, text)
    print(f"Wrote {len(entries)} words ({args.format}) to {args.output}")
    return 0


def _write(path: Path, text: str) -> None:
    from lessons.library import atomic_write_text

    try:
        atomic_write_text(Path(path), text)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc


# --- anki ------------------------------------------------------------------------------------------------------


def cmd_anki(args: argparse.Namespace, paths: Paths) -> int:
    from lessons.anki import AnkiLesson, export_deck
    from lessons.services import open_meanings
    from lessons.vocab import anki_word, build_vocabulary

    if args.output is None:
        raise UserError("say where to write the deck: -o FILE.apkg")
    out = Path(args.output)
    if out.suffix.lower() != ".apkg":
        raise UserError(f"{out} does not end in .apkg (for a text file use: lesestoff vocab ID --format tsv)")
    if out.is_dir():
        raise UserError(f"{out} is a directory")
    level = parse_level(args.level)
    known = known_words(paths, new=args.new, known_file=args.known)
    library = _library(paths)
    lessons = [library.get(ref) for ref in _unique(args.lessons)] if args.lessons else library.lessons()
    if not lessons:
        raise UserError("the library has no lessons to export")
    meanings = open_meanings(paths)
    decks = []
    for lesson in lessons:
        entries = build_vocabulary(lesson, meanings, level=level, known=known)
        decks.append(AnkiLesson(lesson.id, lesson.title, [anki_word(e, default_level=lesson.cefr) for e in entries]))
    if args.audio:
        print("lesestoff: synthesising audio (cached in the data dir) …", file=sys.stderr, flush=True)
    try:
        result = export_deck(decks, out, cloze=args.cloze, audio=args.audio, audio_cache=paths.audio)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from exc
    print(
        f"Wrote {result.path}: {result.notes} notes, {result.cards} cards, {result.media} media files, "
        f"{result.decks} {'deck' if result.decks == 1 else 'decks'}"
    )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _mark_exported(paths, (w.lemma for deck in decks for w in deck.words))
    return 0


def _unique(refs: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(refs))


def _mark_exported(paths: Paths, lemmas: Iterable[str]) -> None:
    """Words on the learner's Anki list that went into the deck are marked exported."""
    if not paths.store.exists():
        return
    from lessons.store import StoreError, open_store

    try:
        with open_store(paths) as store:
            wanted = {e.lemma for e in store.anki_list(unexported_only=True)}
            done = [lemma for lemma in lemmas if lemma in wanted]
            if done:
                store.mark_exported(done)
    except StoreError as exc:
        print(f"warning: the deck was written, but the Anki list was not updated: {exc.message}", file=sys.stderr)
