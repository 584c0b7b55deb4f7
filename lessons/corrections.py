"""Transcript corrections: curated fixes, detected misheard names, and the learner's decisions on them.

Curated fixes
    ``seeds/corrections.toml`` (shipped with the seeds): ``[[correction]]`` tables with ``wrong``, ``right``,
    ``kind`` (``name`` | ``grammar`` | ``spelling``), ``note`` (why, for the learner) and ``lesson`` (a text's file
    name, or ``"all"``). ``wrong`` matches on word boundaries (Unicode-aware: no letter or digit may touch either
    end), case-sensitively, with any run of spaces where it has one; give context words to pin an ambiguous fix
    ("Modellen Der bisher" → "Modellen bisher" touches no other "Der").

Suggestions (transcripts only)
    :mod:`lessons.names` finds misheard names (kind ``name``) and other spellings of a known name (``variant``)
    in each sentence after the curated fixes, never overlapping them. A ``name`` suggestion is applied when its
    score reaches ``names.APPLY_THRESHOLD`` and listed (not applied) from ``names.LIST_THRESHOLD``. A ``variant`` is
    applied only towards a built-in spelling (a transcript's spelling is the recogniser's, not an author's).
    Articles get variants listed, never applied (their spellings, "Deepseek" in the NZZ, are the publication's
    style), and no name detection.

Decisions
    The learner can reject a suggestion (it is then listed, not applied) or accept a listed one (then applied):
    ``lesestoff corrections ID --reject ORIGINAL`` / ``--accept ORIGINAL``. Decisions live in the learner store
    (:meth:`lessons.store.Store.decide_correction`), keyed by the lesson's content hash (``Lesson.content_hash``:
    stable when ids or file names change), the original and the corrected text.

Every applied correction is recorded on the lesson (``Lesson.corrections``, with the sentence index) and the
sentence keeps its text before corrections in ``Sentence.original``. The corrector's ``fingerprint`` covers the
curated file, the decisions, the target names and this code, so the library's lesson cache follows any change.
Set ``LESESTOFF_CURATED_CORRECTIONS=0`` to process lessons without the curated file (``Corrector(curated=None)``
in code).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lessons import names
from lessons.errors import UserError
from lessons.model import Correction, Kind
from lessons.names import KnowsWords, NameDetector, NameIndex

if TYPE_CHECKING:
    from lessons.library import Library
    from lessons.paths import Paths

CURATED_FILE = "corrections.toml"
CURATED_KINDS = ("name", "grammar", "spelling")
ALL_LESSONS = "all"
ENV_CURATED = "LESESTOFF_CURATED_CORRECTIONS"
NAMES_CACHE = "corrections-names.json"
CORRECTOR_VERSION = "1"

CURATED = "curated"
SUGGESTED = "suggested"
ACCEPTED = "accepted"
REJECTED = "rejected"


# --- curated file ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CuratedEntry:
    wrong: str
    right: str
    kind: str
    note: str
    lesson: str = ALL_LESSONS

    @property
    def pattern(self) -> re.Pattern[str]:
        body = r"\s+".join(re.escape(part) for part in self.wrong.split())
        return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")

    def applies_to(self, source: str) -> bool:
        return self.lesson == ALL_LESSONS or self.lesson == source


def parse_curated(text: str, where: str = CURATED_FILE) -> tuple[CuratedEntry, ...]:
    """Entries of a curated corrections file; a bad file raises UserError naming the entry and the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{where}: not valid TOML ({exc})") from None
    items = data.get("correction", [])
    if not isinstance(items, list):
        raise UserError(f"{where}: 'correction' must be an array of tables ([[correction]])")
    entries = []
    for number, item in enumerate(items, start=1):
        label = f"{where}: correction #{number}"
        if not isinstance(item, dict):
            raise UserError(f"{label}: not a table")
        unknown = set(item) - {"wrong", "right", "kind", "note", "lesson"}
        if unknown:
            raise UserError(f"{label}: unknown field(s) {', '.join(sorted(unknown))}")
        values = {}
        for field in ("wrong", "right", "kind", "note"):
            value = item.get(field)
            if not isinstance(value, str) or (field != "right" and not value.strip()):
                raise UserError(f"{label}: '{field}' must be a non-empty string")
            values[field] = value.strip()
        if values["kind"] not in CURATED_KINDS:
            raise UserError(f"{label}: kind {values['kind']!r} is not one of {', '.join(CURATED_KINDS)}")
        lesson = item.get("lesson", ALL_LESSONS)
        if not isinstance(lesson, str) or not lesson.strip():
            raise UserError(f"{label}: 'lesson' must be a file name or {ALL_LESSONS!r}")
        if values["wrong"] == values["right"]:
            raise UserError(f"{label}: 'wrong' and 'right' are the same")
        entries.append(CuratedEntry(values["wrong"], values["right"], values["kind"], values["note"], lesson.strip()))
    return tuple(entries)


def load_curated(path: Path) -> tuple[CuratedEntry, ...]:
    if not path.exists():
        return ()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read ({exc})") from None
    return parse_curated(text, str(path))


# --- decisions ---------------------------------------------------------------------------------------------

DecisionKey = tuple[str, str, str]
"""(lesson content hash, original, corrected)."""


def load_decisions(paths: Paths) -> dict[DecisionKey, str]:
    """The learner's decisions from the store (none if there is no store yet; it is not created here)."""
    if not paths.store.exists():
        return {}
    from lessons.store import open_store

    with open_store(paths) as store:
        return {(d.lesson_id, d.original, d.corrected): str(d.decision) for d in store.correction_decisions()}


def decide(paths: Paths, lesson_hash: str, original: str, corrected: str, decision: str) -> None:
    from lessons.store import open_store

    paths.ensure()
    with open_store(paths) as store:
        store.decide_correction(lesson_hash, original, corrected, decision)


# --- corrector ---------------------------------------------------------------------------------------------


def _code_digest() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256(CORRECTOR_VERSION.encode())
    for name in ("corrections.py", "names.py", "data/tech_names.txt"):
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()[:12]


class Corrector:
    """Curated fixes plus (for transcripts) detected names; ``for_lesson`` binds it to one text.

    ``curated=None`` (or empty) disables the curated file; ``names=None`` disables detection.
    """

    def __init__(
        self,
        *,
        curated: Sequence[CuratedEntry] | None = (),
        names: NameIndex | Callable[[], NameIndex] | None = None,
        decisions: dict[DecisionKey, str] | None = None,
        lexicon: KnowsWords | None = None,
    ) -> None:
        """``names``: the known names, or a function that builds them when first needed (listing the library
        needs only ``base_fingerprint``; the names cost a tenth of a second at every start)."""
        self.curated = tuple(curated or ())
        self._names = names
        self.decisions = dict(decisions or {})
        self.lexicon = lexicon
        digest = hashlib.sha256(_code_digest().encode())
        for entry in self.curated:
            digest.update(repr((entry.wrong, entry.right, entry.kind, entry.note, entry.lesson)).encode())
        digest.update(b"|lexicon:" + (b"yes" if lexicon is not None else b"no"))
        for key in sorted(self.decisions):
            digest.update(repr((key, self.decisions[key])).encode())
        self._digest = digest
        self.base_fingerprint = digest.hexdigest()[:16]
        """Everything but the known names: what every lesson's text depends on."""

    @functools.cached_property
    def names(self) -> NameIndex | None:
        return self._names() if callable(self._names) else self._names

    @functools.cached_property
    def detector(self) -> NameDetector | None:
        return NameDetector(self.names, self.lexicon) if self.names is not None else None

    @functools.cached_property
    def names_fingerprint(self) -> str:
        """The known names, which change with every import; only transcripts' text depends on them."""
        return self.names.fingerprint if self.names is not None else "off"

    @functools.cached_property
    def fingerprint(self) -> str:
        digest = self._digest.copy()
        digest.update(b"|names:" + self.names_fingerprint.encode())
        return digest.hexdigest()[:16]

    def for_lesson(self, source: str, sha256: str) -> LessonCorrector:
        return LessonCorrector(self, source, sha256)

    def correct(self, text: str, sentence: int, kind: Kind) -> tuple[str, list[Correction]]:
        """Unbound: only curated fixes for all lessons, no decisions."""
        return self.for_lesson("", "").correct(text, sentence, kind)


class LessonCorrector:
    """The corrector for one text (implements ``pipeline.Corrector``)."""

    def __init__(self, parent: Corrector, source: str, sha256: str) -> None:
        self.parent = parent
        self.source = source
        self.sha256 = sha256
        self.curated = [e for e in parent.curated if e.applies_to(source)]
        self.fingerprint = parent.fingerprint
        self.base_fingerprint = parent.base_fingerprint
        self.names_fingerprint = parent.names_fingerprint

    def decision(self, original: str, corrected: str) -> str | None:
        return self.parent.decisions.get((self.sha256, original, corrected))

    def correct(self, text: str, sentence: int, kind: Kind) -> tuple[str, list[Correction]]:
        fixed, protected, changes = self._apply_curated(text, sentence)
        detector = self.parent.detector
        if detector is None:
            return fixed, changes
        transcript = kind is Kind.TRANSCRIPT
        found = [
            s
            for s in detector.suggest(fixed, misheard=transcript)
            if all(s.end <= start or end <= s.start for start, end in protected)
        ]
        pending: list[tuple[int, int, str]] = []
        for suggestion in found:
            decided = self.decision(suggestion.original, suggestion.corrected)
            if suggestion.kind == "variant":
                wanted = transcript and suggestion.builtin
                note = f"another spelling of {suggestion.corrected}" + (
                    ", as its owner spells it" if suggestion.builtin else ", the spelling most lessons use"
                )
            else:
                wanted = suggestion.score >= names.APPLY_THRESHOLD
                note = f"sounds like {suggestion.corrected}, a known name ({suggestion.note})"
            if decided == REJECTED:
                wanted, note = False, f"rejected by you; {note}"
            elif decided == ACCEPTED:
                wanted, note = True, f"accepted by you; {note}"
            if wanted:
                pending.append((suggestion.start, suggestion.end, suggestion.corrected))
            changes.append(
                Correction(
                    original=suggestion.original,
                    corrected=suggestion.corrected,
                    kind=suggestion.kind,
                    source=SUGGESTED,
                    applied=wanted,
                    sentence=sentence,
                    note=note,
                    score=round(suggestion.score, 3),
                )
            )
        for start, end, replacement in sorted(pending, reverse=True):
            fixed = fixed[:start] + replacement + fixed[end:]
        return fixed, changes

    def _apply_curated(self, text: str, sentence: int) -> tuple[str, list[tuple[int, int]], list[Correction]]:
        """Apply the curated fixes (file order wins where matches overlap); returns the new text, the spans of
        the replacements in it and the corrections."""
        matches: list[tuple[int, int, CuratedEntry]] = []
        for entry in self.curated:
            for match in entry.pattern.finditer(text):
                if all(match.end() <= s or e <= match.start() for s, e, _ in matches):
                    matches.append((match.start(), match.end(), entry))
        if not matches:
            return text, [], []
        out: list[str] = []
        spans: list[tuple[int, int]] = []
        changes: list[Correction] = []
        cursor = 0
        for start, end, entry in sorted(matches, key=lambda m: m[0]):
            out.append(text[cursor:start])
            new_start = sum(len(part) for part in out)
            out.append(entry.right)
            spans.append((new_start, new_start + len(entry.right)))
            cursor = end
            changes.append(
                Correction(
                    original=text[start:end],
                    corrected=entry.right,
                    kind=entry.kind,
                    source=CURATED,
                    applied=True,
                    sentence=sentence,
                    note=entry.note,
                )
            )
        out.append(text[cursor:])
        fixed = "".join(out)
        # Removing a word may leave two spaces or a space before punctuation.
        if "  " in fixed or re.search(r" [,.;:!?]", fixed):
            fixed, spans = _tidy(fixed, spans)
        return fixed, spans, changes


def _tidy(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Collapse doubled spaces (and a space before punctuation), keeping the spans aligned."""
    keep = [True] * len(text)
    for index in range(1, len(text)):
        if text[index - 1] == " " and (text[index] == " " or text[index] in ",.;:!?"):
            keep[index - 1] = False
    shift = [0] * (len(text) + 1)
    for index in range(len(text)):
        shift[index + 1] = shift[index] + (0 if keep[index] else 1)
    tidied = "".join(c for c, k in zip(text, keep, strict=True) if k)
    return tidied, [(s - shift[s], e - shift[e]) for s, e in spans]


# --- names of the library ----------------------------------------------------------------------------------


def _article_texts(library: Library) -> list[tuple[str, str]]:
    """(sha256, cleaned text) of every article in the library, read without building any lesson."""
    from lessons import cleaning, kinds
    from lessons.reading import read_text

    texts = []
    for entry in library.raw_entries():
        if entry.kind == str(Kind.TRANSCRIPT) or not entry.path.endswith(".txt"):
            continue  # transcripts (and stored subtitles) spell names as the recogniser heard them
        try:
            cleaned = cleaning.clean(read_text(Path(entry.path)))
        except UserError:
            continue
        kind = Kind(entry.kind) if entry.kind else kinds.detect_kind(cleaned.paragraphs)
        if kind is Kind.ARTICLE:
            texts.append((entry.sha256, "\n".join(" ".join(p) for p in cleaned.paragraphs)))
    return texts


def library_names(library: Library, paths: Paths | None = None) -> NameIndex:
    """Targets from the library's articles plus the built-in list; the counts are cached in the data dir by the
    texts' hashes, so a warm start reads no text."""
    entries = [e for e in library.raw_entries() if e.kind != str(Kind.TRANSCRIPT) and e.path.endswith(".txt")]
    key = hashlib.sha256(
        (_code_digest() + "|" + "|".join(sorted(f"{e.sha256}:{e.kind}" for e in entries))).encode()
    ).hexdigest()
    cache = paths.cache / NAMES_CACHE if paths is not None else None
    counts = None
    if cache is not None and cache.exists():
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data.get("key") == key:
                from collections import Counter

                counts = Counter({str(k): int(v) for k, v in data["names"].items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            counts = None
    if counts is None:
        articles = [text for _, text in _article_texts(library)]
        counts = names.name_counts(articles)
        if cache is not None:
            from lessons.library import atomic_write_text

            with contextlib.suppress(OSError):  # a read-only data dir just recounts next time
                atomic_write_text(cache, json.dumps({"key": key, "names": dict(counts)}, ensure_ascii=False))
    return NameIndex(counts, names.builtin_names())


def curated_enabled() -> bool:
    return os.environ.get(ENV_CURATED, "1").strip().lower() not in ("0", "no", "false", "off")


def corrector_factory(
    paths: Paths,
    *,
    curated: Path | bool | None = True,
    detect: bool = True,
    lexicon: KnowsWords | None = None,
) -> Callable[[Library], Corrector]:
    """What ``Library(corrector_factory=...)`` needs. ``curated``: True for the library's own file
    (``seeds/corrections.toml``, unless ``LESESTOFF_CURATED_CORRECTIONS=0``), a path, or None/False for none."""

    def build(library: Library) -> Corrector:
        if curated is True:
            entries = load_curated(library.seeds / CURATED_FILE) if curated_enabled() else ()
        elif curated:
            entries = load_curated(Path(curated))
        else:
            entries = ()
        index = functools.partial(library_names, library, paths) if detect else None
        try:
            decisions = load_decisions(paths)
        except UserError:
            decisions = {}  # a damaged store is reported by the commands that need it; lessons still open
        return Corrector(curated=entries, names=index, decisions=decisions, lexicon=lexicon)

    return build


def unmatched_curated(entries: Iterable[CuratedEntry], source: str, corrections: Iterable[Correction]) -> list[str]:
    """Curated entries for ``source`` that matched nothing (a stale entry, or the text changed)."""
    used = {c.corrected for c in corrections if c.source == CURATED}
    return [e.wrong for e in entries if e.lesson == source and e.right not in used]
