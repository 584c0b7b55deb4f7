"""Wiring: the library with its lexicon and corrections, and JSON enrichment shared by CLI and TUI."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessons.library import Library
from lessons.model import Lesson
from lessons.paths import Paths

ProgressFn = Callable[[str, float], None]

if TYPE_CHECKING:
    from lessons.corrections import Corrector
    from lessons.lexicon import Gloss, Lexicon, NounInfo
    from lessons.meanings import Meanings
    from lessons.online import OnlineSettings


def open_library(paths: Paths, progress: ProgressFn | None = None) -> Library:
    """The library as the app uses it: curated and detected corrections (``lessons.corrections``) applied,
    the lexicon telling common nouns from names and grading unknown compounds by their parts."""
    from lessons import language, tokens

    # wordfreq's, simplemma's and HanTa's tables as compact indexes in the cache dir (built on first use)
    language.use_frequency_index(paths.indexes, progress or stderr_progress)
    tokens.use_indexes(paths.indexes, progress or stderr_progress)
    lexicon = shared_lexicon(paths, progress)
    return Library(paths, corrector_factory=_corrector_factory(paths), nouns=lexicon, zipf_of=lexicon.zipf)


def build_indexes(paths: Paths, progress: ProgressFn | None = None) -> None:
    """Build (or check) every index made from installed packages besides the lexicon: wordfreq's tables,
    simplemma's dictionary and HanTa's out-of-context tags. Each is otherwise built when first needed; this
    is for ``dict status --build`` and the app's warm-up, so no lesson waits for one. OSError when the cache
    dir cannot be written."""
    from lessons import frequency, lemma_index, tag_index, tokens

    for lang in ("de", "en"):
        frequency.open_index(lang, paths.indexes, progress)
    lemma_index.open_dictionary("de", paths.indexes, progress)
    tag_index.open_tags(paths.indexes, tokens.hanta_tagger, progress)


def _corrector_factory(paths: Paths) -> Callable[[Library], Corrector]:
    """``corrections.corrector_factory``, imported when a lesson first needs it (not to list the library)."""

    def build(library: Library) -> Corrector:
        from lessons.corrections import corrector_factory

        return corrector_factory(paths)(library)

    return build


def enrich_lesson_json(data: dict[str, Any], lesson: Lesson, paths: Paths) -> dict[str, Any]:
    """``show --json``: tokens gain ``gloss``; sentences gain ``translation`` and ``translation_source``."""
    from lessons.meanings import enrich

    return enrich(data, lesson, open_meanings(paths))


# --- lexicon and meanings ------------------------------------------------------------------------------------


def stderr_progress(stage: str, fraction: float, _shown: set[str] = set()) -> None:  # noqa: B006
    """CLI progress for slow first-run builds: one line per stage on stderr."""
    if stage not in _shown:
        _shown.add(stage)
        print(f"lesestoff: {stage} (first run only) …", file=sys.stderr, flush=True)


class LazyLexicon:
    """The lexicon, built on first use (from installed sources into the cache dir) and shared by threads.

    It also serves the pipeline as its noun oracle and compound-aware Zipf source; ``fingerprint`` names the
    lexicon state so lessons processed with another state are rebuilt.
    """

    def __init__(self, paths: Paths, progress: ProgressFn | None = None) -> None:
        self.paths = paths
        self.progress = progress
        self._lexicon: Lexicon | None = None
        self._lock = threading.Lock()
        self._fingerprint: str | None = None
        self._zipf_memo: dict[str, float] = {}
        self.status_message = ""

    def get(self) -> Lexicon:
        with self._lock:
            if self._lexicon is None:
                from lessons.lexicon import open_lexicon

                lexicon = open_lexicon(self.paths, progress=self.progress)
                status = lexicon.ensure_built()
                self.status_message = status.message
                self._lexicon = lexicon
            return self._lexicon

    @property
    def fingerprint(self) -> str:
        """The lexicon's sources, known without building it (part of the lesson cache key)."""
        if self._fingerprint is None:
            from lessons.lexicon import open_lexicon

            self._fingerprint = open_lexicon(self.paths).source_fingerprint()
        return self._fingerprint

    # GlossSource / Lexical
    def glosses(self, lemma: str, pos: str | None = None, limit: int = 5) -> list[Gloss]:
        return self.get().glosses(lemma, pos, limit)

    def noun(self, lemma: str) -> NounInfo | None:
        return self.get().noun(lemma)

    def split_compound(self, word: str) -> list[str] | None:
        return self.get().split_compound(word)

    def knows(self, word: str) -> bool:
        return self.get().knows(word)

    # NounOracle
    def is_common_noun(self, word: str) -> bool | None:
        return self.get().is_common_noun(word)

    def zipf(self, lemma: str) -> float:
        """wordfreq Zipf; an unknown compound is graded by its parts (``difficulty.compound_zipf``)."""
        found = self._zipf_memo.get(lemma)
        if found is None:
            found = self._zipf_memo[lemma] = self._compound_aware_zipf(lemma)
        return found

    def _compound_aware_zipf(self, lemma: str) -> float:
        from lessons.difficulty import compound_zipf
        from lessons.tokens import lemma_zipf

        own = lemma_zipf(lemma)
        if own >= 3.0 or len(lemma) < 8 or "-" in lemma:
            return own
        return compound_zipf(own, quick_compound_parts(lemma))


def quick_compound_parts(word: str) -> list[float]:
    """Zipf values of the two parts of the best split of an unknown compound, for grading only.

    The split whose rarer part is most frequent (both parts at least 3 letters, a linking -s-/-es-/-n-/-en-
    dropped); [] if no split has two real words. A few dozen wordfreq lookups — much cheaper than the
    lexicon's full splitter, which the word panel uses for glosses.
    """
    from lessons.language import zipf

    lower = word.lower()
    best: list[float] = []
    for cut in range(3, len(lower) - 2):
        head = zipf(lower[cut:])
        if head < 2.5:
            continue
        stem = lower[:cut]
        stems = [stem] + [stem[: -len(link)] for link in ("s", "es", "n", "en", "e") if stem.endswith(link)]
        first = max(zipf(s) for s in stems if len(s) >= 3) if any(len(s) >= 3 for s in stems) else 0.0
        if first >= 2.5 and (not best or min(first, head) > min(best)):
            best = [first, head]
    return best


_LEXICONS: dict[Path, LazyLexicon] = {}
_LEXICONS_LOCK = threading.Lock()


def shared_lexicon(paths: Paths, progress: ProgressFn | None = None) -> LazyLexicon:
    """One lexicon per data dir per process."""
    with _LEXICONS_LOCK:
        lexicon = _LEXICONS.get(paths.root)
        if lexicon is None:
            lexicon = _LEXICONS[paths.root] = LazyLexicon(paths, progress or stderr_progress)
        return lexicon


def online_settings(paths: Paths) -> OnlineSettings:
    """The learner's online settings (store); ``--online`` / LESESTOFF_ONLINE=1 turns online mode on for a run."""
    from lessons.online import OnlineSettings

    stored: dict[str, Any] = {}
    if paths.store.exists():
        from lessons.store import StoreError, open_store

        try:
            with open_store(paths) as store:
                stored = store.get_setting("online") or {}
        except StoreError:
            stored = {}
    enabled = bool(stored.get("enabled")) or os.environ.get("LESESTOFF_ONLINE") == "1"
    try:
        return OnlineSettings(
            enabled=enabled,
            backend=stored.get("backend", "google"),
            word_backend=stored.get("word_backend", "linguee"),
            target=stored.get("target", "en"),
            libre_url=stored.get("libre_url"),
        )
    except ValueError:
        return OnlineSettings(enabled=False)


def _store_is_sound(paths: Paths) -> bool:
    """The translation cache shares the learner's database: touch it only after the store has vetted it."""
    if not paths.store.exists():
        return False
    from lessons.store import StoreError, open_store

    try:
        open_store(paths).close()
    except StoreError:
        return False
    return True


def open_meanings(paths: Paths, *, progress: ProgressFn | None = None) -> Meanings:
    """Curated glossaries, the offline lexicon and (cached, or live in online mode) online translation."""
    from lessons.meanings import Meanings
    from lessons.online import OnlineTranslator, default_cache_path
    from lessons.paths import seeds_dir

    settings = online_settings(paths)
    translator = None
    if settings.enabled or _store_is_sound(paths):
        # Offline, the translator only answers from its cache; it sends nothing.
        paths.ensure()
        translator = OnlineTranslator(settings, default_cache_path(paths))
    return Meanings(shared_lexicon(paths, progress), seeds_dir(), translator)
