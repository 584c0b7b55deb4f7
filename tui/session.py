"""The app's handle on the core: library, learner store and meanings, opened lazily and shared by workers.

Nothing here imports Textual: screens call these methods from thread workers and post the results back.
Every method may raise ``UserError`` (a damaged store, an unreadable library index); the screens turn that
into a notification.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from lessons.model import CONTENT_POS, Lesson
from lessons.paths import Paths

if TYPE_CHECKING:
    from lessons.library import Entry, Library
    from lessons.meanings import Meanings
    from lessons.online import OnlineSettings, OnlineTranslator
    from lessons.store import LessonProgress, Store, WordStatus

Progress = Callable[[str, float], None]

TARGET_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("nl", "Dutch"),
    ("pl", "Polish"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
)


def content_lemmas(lesson: Lesson) -> list[str]:
    """Each content lemma (names, numbers, punctuation and function words aside), in order of appearance."""
    seen: dict[str, None] = {}
    for sentence in lesson.sentences:
        for token in sentence.tokens:
            if token.pos in CONTENT_POS and not token.function_word:
                seen.setdefault(token.lemma, None)
    return list(seen)


@dataclass(frozen=True, slots=True)
class LessonInfo:
    """What the library table shows: known from a lesson's cache header without loading its sentences."""

    id: str
    title: str
    source: str
    kind: str
    date: str | None
    cefr: str
    words: int
    sentences: int
    ready: bool = True
    """False while the lesson is still being processed (first start, changed pipeline): fields are guesses."""

    @classmethod
    def of(cls, lesson: Lesson) -> LessonInfo:
        return cls(
            lesson.id,
            lesson.title,
            lesson.source,
            str(lesson.kind),
            lesson.date,
            lesson.cefr,
            lesson.words,
            len(lesson.sentences),
        )

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> LessonInfo:
        return cls(
            str(header["id"]),
            str(header["title"]),
            str(header["source"]),
            str(header["kind"]),
            header.get("date"),
            str(header["cefr"]),
            int(header["words"]),
            int(header["sentence_count"]),
        )

    @classmethod
    def pending(cls, entry: Entry) -> LessonInfo:
        return cls(entry.id, entry.title or entry.source, entry.source, entry.kind or "", None, "", 0, 0, ready=False)


@dataclass(frozen=True, slots=True)
class LessonRow:
    """A library row: the lesson (once loaded) plus what this learner has done with it."""

    info: LessonInfo
    new_words: int | None
    """Content lemmas neither known nor ignored (None until counted)."""
    progress: LessonProgress | None
    lesson: Lesson | None = None


class Session:
    """Shared by the app and its workers; each resource is built once, under a lock."""

    def __init__(self, paths: Paths, *, online: bool = False) -> None:
        self.paths = paths
        self.online_flag = online
        """``--online``: online mode for this run, whatever the stored setting says."""
        self._lock = threading.RLock()
        self._library: Library | None = None
        self._store: Store | None = None
        self._meanings: Meanings | None = None
        self._translator: OnlineTranslator | None = None
        self.lexicon_message = ""
        self.dictionary_ready: bool | None = None
        self.progress: Progress | None = None
        """Where the lexicon reports its first-run build (the app shows it); set before the first use."""

    # --- resources -------------------------------------------------------------------------------------

    def library(self) -> Library:
        with self._lock:
            if self._library is None:
                from lessons.services import open_library

                self._library = open_library(self.paths, self._lexicon_progress)
            return self._library

    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                from lessons.store import open_store

                self._store = open_store(self.paths)
            return self._store

    def meanings(self, progress: Progress | None = None) -> Meanings:
        """Curated glossaries, the offline lexicon and the (cached or, in online mode, live) translator."""
        with self._lock:
            if self._meanings is None:
                from lessons.meanings import Meanings
                from lessons.online import OnlineTranslator, default_cache_path
                from lessons.paths import seeds_dir
                from lessons.services import shared_lexicon

                settings = self.online_settings()
                translator = None
                try:
                    self.store()  # vets the database the translation cache lives in
                    store_ok = True
                except Exception:
                    store_ok = False
                if settings.enabled or store_ok:
                    self.paths.ensure()
                    translator = OnlineTranslator(settings, default_cache_path(self.paths))
                self._translator = translator
                lexicon = shared_lexicon(self.paths, progress or self._lexicon_progress)
                self._meanings = Meanings(lexicon, seeds_dir(), translator)
            return self._meanings

    def _lexicon_progress(self, stage: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress(stage, fraction)

    def translator(self) -> OnlineTranslator | None:
        """The translator ``meanings()`` uses (None without a usable store)."""
        self.meanings()
        return self._translator

    def reset_meanings(self) -> None:
        """After the online settings change: the next ``meanings()`` uses them."""
        with self._lock:
            if self._translator is not None:
                with contextlib.suppress(Exception):
                    self._translator.close()
            self._meanings = None
            self._translator = None

    def warm_up(self, progress: Progress) -> str:
        """Load the dictionary index (built on first use, ~10 s) and the meanings; returns the lexicon's
        status line."""
        from lessons.services import shared_lexicon

        progress("dictionary", 0.0)
        lexicon = shared_lexicon(self.paths, self._lexicon_progress)
        lexicon.progress = self._lexicon_progress
        status = lexicon.get().status()
        self.dictionary_ready = status.dictionary_ready
        self.lexicon_message = status.message
        # The word indexes (wordfreq, simplemma, HanTa's tags): read in milliseconds, built on the first
        # start only, and then here rather than in the middle of the learner's first import.
        from lessons.services import build_indexes

        with contextlib.suppress(OSError):  # a cache dir that cannot be written: the packages serve directly
            build_indexes(self.paths, self._lexicon_progress)
        progress("meanings", 0.95)
        self.meanings(progress)
        progress("ready", 1.0)
        return status.message

    def close(self) -> None:
        with self._lock:
            self.reset_meanings()
            if self._store is not None:
                self._store.close()
                self._store = None

    # --- lessons ---------------------------------------------------------------------------------------

    def listing(self) -> list[tuple[Entry, LessonInfo]]:
        """Every text in the library with what its cache already says about it (no lesson is loaded)."""
        library = self.library()
        out = []
        for entry in library.entries():
            header = library.cached_header(entry)
            try:
                info = LessonInfo.from_header(header) if header is not None else LessonInfo.pending(entry)
            except (KeyError, TypeError, ValueError):
                info = LessonInfo.pending(entry)
            out.append((entry, info))
        return out

    def lesson(self, entry: Entry) -> Lesson:
        """The whole lesson (read from the cache, or processed now)."""
        return self.library().lesson_for(entry)

    def lessons(self, progress: Progress | None = None) -> list[Lesson]:
        return self.library().lessons(progress)

    def all_progress(self) -> dict[str, LessonProgress]:
        return self.store().all_progress()

    def new_words(self, lessons: Iterable[Lesson]) -> dict[str, int]:
        """Per lesson id: content lemmas neither known nor ignored (one status query for all)."""
        per_lesson = {lesson.id: content_lemmas(lesson) for lesson in lessons}
        wanted = {lemma for lemmas in per_lesson.values() for lemma in lemmas}
        statuses = self.store().statuses(wanted)
        done = _settled()
        return {
            lesson_id: sum(1 for lemma in lemmas if statuses.get(lemma) not in done)
            for lesson_id, lemmas in per_lesson.items()
        }

    def statuses(self, lemmas: Iterable[str]) -> dict[str, WordStatus]:
        return self.store().statuses(lemmas)

    # --- settings --------------------------------------------------------------------------------------

    def online_settings(self) -> OnlineSettings:
        from lessons.services import online_settings

        settings = online_settings(self.paths)
        return replace(settings, enabled=True) if self.online_flag else settings

    def stored_online(self) -> dict[str, Any]:
        return dict(self.store().get_setting("online") or {})

    def save_online(self, values: dict[str, Any]) -> OnlineSettings:
        """Validate (``OnlineSettings`` raises ValueError with a readable message) and store."""
        from lessons.online import OnlineSettings

        checked = OnlineSettings(
            enabled=bool(values.get("enabled")),
            backend=values.get("backend", "google"),
            word_backend=values.get("word_backend", "linguee"),
            target=values.get("target", "en"),
            libre_url=values.get("libre_url") or None,
        )
        stored = {
            "enabled": checked.enabled,
            "backend": checked.backend,
            "word_backend": checked.word_backend,
            "target": checked.target,
            "libre_url": checked.libre_url,
        }
        self.store().set_setting("online", stored)
        if not checked.enabled:
            self.online_flag = False  # turning it off in Settings wins over --online
        self.reset_meanings()
        return checked

    def learner_level(self) -> str | None:
        return self.store().learner_level()


def _settled() -> frozenset[WordStatus]:
    from lessons.store import WordStatus

    return frozenset({WordStatus.KNOWN, WordStatus.IGNORED})
