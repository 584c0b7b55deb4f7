"""``lesestoff corrections ID [--json] [--reject ORIGINAL | --accept ORIGINAL]``: review a lesson's corrections.

Lists the curated fixes and the suggestions (applied or only listed, with scores) of one lesson. ``--reject``
stops a suggestion from being applied, ``--accept`` applies a listed one; the decision is kept in the learner
store and the lesson is rebuilt at once. Errors are one line (exit code 2), as everywhere in the CLI.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Iterable
from typing import Any, TextIO

from lessons import names
from lessons.corrections import ACCEPTED, CURATED, CURATED_FILE, REJECTED, SUGGESTED, Corrector, decide
from lessons.errors import UserError
from lessons.model import Correction, Lesson
from lessons.paths import Paths


def add_correction_commands(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "corrections",
        help="list a lesson's corrections (curated and suggested, with scores); reject or accept a suggestion",
    )
    p.add_argument("lesson", metavar="ID", help="lesson id or row number")
    p.add_argument("--json", action="store_true")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--reject", metavar="ORIGINAL", help="do not apply the suggestion for this text")
    group.add_argument("--accept", metavar="ORIGINAL", help="apply a suggestion that is only listed")
    p.set_defaults(func=cmd_corrections)


def _state(correction: Correction, decision: str | None) -> str:
    if decision == REJECTED:
        return "rejected"
    return "applied" if correction.applied else "listed"


def _matching(lesson: Lesson, original: str) -> list[Correction]:
    exact = [c for c in lesson.corrections if c.original == original]
    if exact:
        return exact
    wanted = " ".join(original.split()).casefold()
    return [c for c in lesson.corrections if " ".join(c.original.split()).casefold() == wanted]


def cmd_corrections(args: argparse.Namespace, paths: Paths, out: TextIO | None = None) -> int:
    from lessons.services import open_library

    out = out or sys.stdout
    library = open_library(paths)
    entry = library.resolve(args.lesson)
    lesson = library.lesson_for(entry)
    message = None
    original = args.reject or args.accept
    if original is not None:
        if not original.strip():
            raise UserError("--reject/--accept needs the original text of a suggestion")
        matches = _matching(lesson, original)
        suggested = [c for c in matches if c.source == SUGGESTED]
        if not suggested:
            if matches:
                raise UserError(
                    f"{original!r} in {entry.id!r} is a curated correction, not a suggestion; "
                    f"change it in {CURATED_FILE}"
                )
            offered = sorted({c.original for c in lesson.corrections if c.source == SUGGESTED})
            listing = ", ".join(repr(o) for o in offered[:8]) + (", …" if len(offered) > 8 else "")
            raise UserError(
                f"no suggested correction {original!r} in lesson {entry.id!r} "
                f"({'suggestions: ' + listing if offered else 'it has no suggestions'})"
            )
        decision = REJECTED if args.reject is not None else ACCEPTED
        pairs = sorted({(c.original, c.corrected) for c in suggested})
        for before, after in pairs:
            decide(paths, entry.sha256, before, after, decision)
        # A new library reads the new decisions: its fingerprint differs, so the lesson is rebuilt.
        library = open_library(paths)
        entry = next((e for e in library.entries() if e.sha256 == entry.sha256), entry)
        lesson = library.lesson_for(entry)
        verb = "rejected" if decision == REJECTED else "accepted"
        message = "; ".join(f"{verb} {b!r} → {a!r}" for b, a in pairs) + f" in {entry.id}; lesson rebuilt"
    corrector = library.corrector()
    decisions = corrector.decisions if isinstance(corrector, Corrector) else {}
    curated = corrector.curated if isinstance(corrector, Corrector) else ()
    rows = []
    for c in lesson.corrections:
        decided = decisions.get((entry.sha256, c.original, c.corrected)) if c.source == SUGGESTED else None
        rows.append({**c.to_dict(), "state": _state(c, decided), "decision": decided})
    unmatched = [
        e.wrong
        for e in curated
        if e.lesson == entry.source
        and not any(c.source == CURATED and " ".join(c.original.split()) == e.wrong for c in lesson.corrections)
    ]
    if args.json:
        data = {
            "id": entry.id,
            "title": lesson.title,
            "source": entry.source,
            "kind": str(lesson.kind),
            "thresholds": {"apply": names.APPLY_THRESHOLD, "list": names.LIST_THRESHOLD},
            "corrections": rows,
            "curated_not_found": unmatched,
        }
        if message:
            data["message"] = message
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    if message:
        print(message, file=out)
    print(render_corrections(entry.id, lesson, rows, unmatched), file=out)
    return 0


def render_corrections(lesson_id: str, lesson: Lesson, rows: list[dict[str, Any]], unmatched: list[str]) -> str:
    out = [f"Corrections in {lesson_id} ({lesson.kind}): {lesson.title}"]
    if not rows:
        out.append("  none")
    for row in rows:
        where = f"sentence {row['sentence'] + 1}" if row["sentence"] is not None else ""
        score = f"score {row['score']:.2f}" if row["score"] is not None else ""
        tags = ", ".join(t for t in (row["source"], row["kind"], row["state"], score, where) if t)
        out.append(f"  {row['original']} → {row['corrected']}  [{tags}]")
        if row["note"]:
            out.extend(textwrap.wrap(row["note"], width=100, initial_indent="      ", subsequent_indent="      "))
    if unmatched:
        out.append(f"Curated entries not found in the text: {', '.join(repr(w) for w in unmatched)}")
    out.append(
        f"Suggestions are applied from score {names.APPLY_THRESHOLD:.2f} and listed from {names.LIST_THRESHOLD:.2f}; "
        f"'lesestoff corrections {lesson_id} --reject ORIGINAL' stops one."
    )
    return "\n".join(out)


def correction_lines(corrections: Iterable[Correction]) -> list[str]:
    """The corrections block of ``lesestoff show``: applied ones with before/after and the reason, then the
    suggestions that are only listed (grouped, with their sentences)."""
    corrections = list(corrections)
    applied = [c for c in corrections if c.applied]
    listed = [c for c in corrections if not c.applied]
    out: list[str] = []
    if applied:
        out += ["", f"Corrections ({len(applied)}):"]
        for c in applied:
            where = f" (sentence {c.sentence + 1})" if c.sentence is not None else ""
            score = f", score {c.score:.2f}" if c.score is not None else ""
            out.append(f"  {c.original} → {c.corrected}  [{c.kind}, {c.source}{score}]{where}")
            if c.note:
                out.extend(textwrap.wrap(c.note, width=100, initial_indent="      ", subsequent_indent="      "))
    if listed:
        groups: dict[tuple[str, str, str], list[Correction]] = {}
        for c in listed:
            groups.setdefault((c.original, c.corrected, c.kind), []).append(c)
        out += ["", f"Suggested, not applied ({len(listed)}):"]
        for (before, after, kind), items in groups.items():
            sentences = sorted({c.sentence + 1 for c in items if c.sentence is not None})
            where = ""
            if sentences:
                shown = ", ".join(str(n) for n in sentences[:6]) + (", …" if len(sentences) > 6 else "")
                where = f" (sentence{'s' if len(sentences) > 1 else ''} {shown})"
            score = f", score {items[0].score:.2f}" if items[0].score is not None else ""
            times = f" ×{len(items)}" if len(items) > 1 else ""
            out.append(f"  {before} → {after}  [{kind}{score}]{times}{where}")
    return out
