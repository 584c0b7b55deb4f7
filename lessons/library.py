"""The learner's library: bundled seed texts plus imported ones, processed lessons cached in the data dir.

Lessons are cached as JSON keyed by the text's content hash and a fingerprint of everything else that
shapes them (pipeline version, kind/title overrides, corrections), so a second open is a file read.
Imported texts are copied into the data dir and listed in ``library.json``; writes go through a temp
file and ``os.replace`` so an interrupted import never leaves a half-written index.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessons.errors import UserError
from lessons.keys import content_hash, pipeline_fingerprint, slugify
from lessons.model import CACHE_FORMAT, Kind, Lesson, collector_paused, lesson_cache_lines, lesson_from_cache_lines
from lessons.paths import Paths, seeds_dir
from lessons.reading import read_text

if TYPE_CHECKING:
    from lessons.pipeline import Corrector
    from lessons.tokens import NounOracle

Progress = Callable[[str, float], None]


@dataclass(frozen=True, slots=True)
class Entry:
    """A text in the library (not yet processed)."""

    id: str
    source: str
    path: str
    sha256: str
    builtin: bool
    kind: str | None = None
    title: str | None = None
    added: str | None = None
    foreign: bool = False
    """Imported with ``--force`` although not German: lines in other languages are kept."""


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_lines(path, [text])


def atomic_write_lines(path: Path, lines: Iterable[str]) -> None:
    """Write to a temp file in the same directory, fsync, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines(lines)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Library:
    """Lists, builds (with cache) and imports lessons. Safe to use from one worker thread at a time."""

    def __init__(
        self,
        paths: Paths,
        *,
        seeds: Path | None = None,
        corrector_factory: Callable[[Library], Corrector | None] | None = None,
        nouns: NounOracle | None = None,
        zipf_of: Callable[[str], float] | None = None,
    ) -> None:
        self.paths = paths
        self.seeds = seeds if seeds is not None else seeds_dir()
        self._corrector_factory = corrector_factory
        self._corrector: Corrector | None = None
        self._corrector_ready = False
        self.nouns = nouns
        self.zipf_of = zipf_of
        self._lock = threading.RLock()
        self._lessons: dict[str, Lesson] = {}

    # --- entries ---------------------------------------------------------------------------------------

    def _imported(self) -> list[Entry]:
        index = self.paths.library_index
        if not index.exists():
            return []
        try:
            data = json.loads(index.read_text(encoding="utf-8"))
            return [Entry(**item) for item in data.get("entries", [])]
        except (OSError, ValueError, TypeError) as exc:
            raise UserError(f"{index}: library index is unreadable ({exc}); fix or remove it") from None

    def _write_imported(self, entries: list[Entry]) -> None:
        payload = {"version": 1, "entries": [asdict(e) for e in entries]}
        atomic_write_text(self.paths.library_index, json.dumps(payload, ensure_ascii=False, indent=2))

    def _seed_entries(self) -> list[Entry]:
        entries = []
        for path in sorted(self.seeds.glob("*.txt")):
            digest = content_hash(read_text(path))
            entries.append(Entry(id="", source=path.name, path=str(path), sha256=digest, builtin=True))
        return entries

    def entries(self) -> list[Entry]:
        """Seeds first (file order), then imports (import order); seed ids come from their titles."""
        with self._lock:
            result: list[Entry] = []
            taken: set[str] = set()
            imported = self._imported()
            taken.update(e.id for e in imported)
            for entry in self._seed_entries():
                # The title (hence the id) from the cache file's first line when there is one: listing the
                # library must not parse whole lessons.
                header = self.cached_header(entry)
                title = header["title"] if header else self._build(entry, lesson_id="").title
                slug = _unique(slugify(title), taken)
                taken.add(slug)
                result.append(Entry(**{**asdict(entry), "id": slug}))
            result.extend(imported)
            return result

    def raw_entries(self) -> list[Entry]:
        """Every text without processing any (seed ids are still empty): for cheap passes over the texts."""
        with self._lock:
            return [*self._seed_entries(), *self._imported()]

    # --- lessons ---------------------------------------------------------------------------------------

    def corrector(self) -> Corrector | None:
        if not self._corrector_ready:
            self._corrector_ready = True
            self._corrector = self._corrector_factory(self) if self._corrector_factory else None
        return self._corrector

    def corrector_for(self, source: str, sha256: str) -> Corrector | None:
        """The corrector bound to one text if it supports that (curated fixes and decisions are per lesson)."""
        corrector = self.corrector()
        bind = getattr(corrector, "for_lesson", None)
        return bind(source, sha256) if callable(bind) else corrector

    def fingerprint(self, entry: Entry) -> str:
        corrector = self.corrector()
        # Known names change with every import, but only a transcript's text depends on them: they are
        # checked against the cache header instead (see _build), so an import doesn't rebuild every lesson.
        extra = ""
        if corrector is not None:  # (not getattr's default: that would build the names for nothing)
            extra = getattr(corrector, "base_fingerprint", None) or getattr(corrector, "fingerprint", "")
        extra += "|" + getattr(self.nouns, "fingerprint", "")  # the lexicon shapes POS and difficulty
        key = f"{pipeline_fingerprint()}|{entry.sha256}|{entry.kind}|{entry.title}|{extra}"
        if entry.foreign:
            key += "|foreign"
        return hashlib.sha256(key.encode()).hexdigest()[:24]

    def _names_fingerprint(self) -> str:
        corrector = self.corrector()
        return str(getattr(corrector, "names_fingerprint", "")) if corrector is not None else ""

    def _cache_extra(self) -> dict[str, str]:
        return {"names_fingerprint": self._names_fingerprint()}

    def _names_changed(self, entry: Entry) -> bool:
        header = self.cached_header(entry) or {}
        return header.get("names_fingerprint", "") != self._names_fingerprint()

    def _cache_path(self, entry: Entry) -> Path:
        return self.paths.lesson_cache / f"{entry.sha256[:16]}-{self.fingerprint(entry)}.jsonl"

    def _build(self, entry: Entry, lesson_id: str) -> Lesson:
        cache = self._cache_path(entry)
        if cache.exists():
            try:
                with cache.open(encoding="utf-8") as handle, collector_paused():
                    lesson = lesson_from_cache_lines(handle)
                if lesson.kind is Kind.TRANSCRIPT and self._names_changed(entry):
                    raise ValueError("known names changed since this transcript was corrected")
                return _with_identity(lesson, lesson_id, entry.source)
            except (OSError, ValueError, KeyError, TypeError):
                cache.unlink(missing_ok=True)  # a damaged cache entry is rebuilt, never trusted
        from lessons.pipeline import build_lesson  # the stages, only when a lesson is built
        from lessons.sources import stored_timed_lines

        text = read_text(Path(entry.path))
        draft = build_lesson(
            text,
            kind=Kind(entry.kind) if entry.kind else None,
            title=entry.title,
            corrector=self.corrector_for(entry.source, entry.sha256),
            nouns=self.nouns,
            zipf_of=self.zipf_of,
            timed_lines=stored_timed_lines(text) if entry.path.endswith(".vtt") else None,
            keep_foreign=entry.foreign,
        )
        lesson = draft.with_id(lesson_id, entry.source)
        try:
            self.paths.ensure()
            with collector_paused():
                atomic_write_lines(cache, lesson_cache_lines(lesson, self._cache_extra()))
        except OSError:
            pass  # a read-only data dir still gets lessons, just uncached
        return lesson

    def lessons(self, progress: Progress | None = None) -> list[Lesson]:
        entries = self.entries()
        result = []
        for number, entry in enumerate(entries):
            if progress:
                progress(entry.source, number / max(1, len(entries)))
            result.append(self.lesson_for(entry))
        return result

    def cached_header(self, entry: Entry) -> dict[str, Any] | None:
        """The lesson's metadata (title, kind, date, cefr, words, sentence_count, …) from the first line of its
        cache file, without reading its sentences (a library of books lists at once); None if not cached."""
        try:
            with self._cache_path(entry).open(encoding="utf-8") as handle:
                header = json.loads(handle.readline())
        except (OSError, ValueError):
            return None
        if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
            return None
        return {**header, "id": entry.id, "source": entry.source}

    def lesson_for(self, entry: Entry) -> Lesson:
        with self._lock:
            cached = self._lessons.get(entry.id)
            if cached is not None and cached.content_hash == entry.sha256:
                return cached
            lesson = self._build(entry, entry.id)
            self._lessons[entry.id] = lesson
            return lesson

    def resolve(self, ref: str) -> Entry:
        """An entry by id, or by its 1-based row number in ``lessons``."""
        entries = self.entries()
        for entry in entries:
            if entry.id == ref:
                return entry
        if ref.isdigit() and 1 <= int(ref) <= len(entries):
            return entries[int(ref) - 1]
        known = ", ".join(e.id for e in entries[:8])
        raise UserError(f"no lesson {ref!r} (ids: {known}{', …' if len(entries) > 8 else ''}; or a row number)")

    def get(self, ref: str) -> Lesson:
        return self.lesson_for(self.resolve(ref))

    def __iter__(self) -> Iterator[Lesson]:
        return iter(self.lessons())

    # --- import ----------------------------------------------------------------------------------------

    def find_duplicate(self, text: str) -> Entry | None:
        digest = content_hash(text)
        return next((e for e in self.entries() if e.sha256 == digest), None)

    def add_text(
        self,
        text: str,
        source: str,
        *,
        kind: Kind | None = None,
        title: str | None = None,
        timed: bool = False,
        keep_foreign: bool = False,
        progress: Progress | None = None,
    ) -> Lesson:
        """Add a decoded text; raises UserError for an empty or duplicate text, leaving the library as it was.

        The text is normalised first (``sources.normalize``) and hashed in that form, so the same text from a
        UTF-8 and a UTF-16 file is a duplicate. ``timed``: the text is subtitles in the stored WebVTT form
        (``sources.to_vtt``); the lesson is a transcript whose sentences keep their start times.
        """
        from lessons.pipeline import build_lesson
        from lessons.sources import normalize, stored_timed_lines

        text = normalize(text)
        if not text.strip():
            raise UserError(f"{source}: the file is empty")
        with self._lock:
            duplicate = self.find_duplicate(text)
            if duplicate is not None:
                raise UserError(f"{source}: already in the library as {duplicate.id!r}")
            digest = content_hash(text)
            if timed and kind is None:
                kind = Kind.TRANSCRIPT
            # One pause for building and writing: each time the collector comes back it first scans every
            # object made while it was off (a book's: a million).
            with collector_paused():
                draft = build_lesson(
                    text,
                    kind=kind,
                    title=title,
                    corrector=self.corrector_for(source, digest),
                    nouns=self.nouns,
                    zipf_of=self.zipf_of,
                    timed_lines=stored_timed_lines(text) if timed else None,
                    keep_foreign=keep_foreign,
                    progress=progress,
                )
                if not draft.sentences:
                    raise UserError(f"{source}: no German sentences left after cleaning")
                imported = self._imported()
                taken = {e.id for e in self.entries()}
                lesson_id = _unique(slugify(draft.title), taken)
                self.paths.ensure()
                stored = self.paths.texts / f"{digest[:16]}{'.vtt' if timed else '.txt'}"
                atomic_write_text(stored, text)
                entry = Entry(
                    id=lesson_id,
                    source=source,
                    path=str(stored),
                    sha256=digest,
                    builtin=False,
                    kind=str(kind) if kind else None,
                    title=title,
                    added=datetime.now(UTC).isoformat(timespec="seconds"),
                    foreign=keep_foreign,
                )
                self._write_imported([*imported, entry])
                lesson = draft.with_id(lesson_id, source)
                atomic_write_lines(self._cache_path(entry), lesson_cache_lines(lesson, self._cache_extra()))
            return lesson

    def import_file(
        self,
        path: Path,
        *,
        kind: Kind | None = None,
        title: str | None = None,
        force: bool = False,
        progress: Progress | None = None,
    ) -> Lesson:
        """Import a file of any supported format (see ``lessons.importing``); warnings are on ``lesson.warnings``."""
        from lessons.importing import import_one

        return import_one(self, path, kind=kind, title=title, force=force, progress=progress)


def _with_identity(lesson: Lesson, lesson_id: str, source: str) -> Lesson:
    if lesson.id == lesson_id and lesson.source == source:
        return lesson
    from dataclasses import replace

    return replace(lesson, id=lesson_id, source=source)


def _unique(slug: str, taken: set[str]) -> str:
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"
