"""Where Lesestoff keeps its state: one data dir, chosen at run time.

Precedence: an explicit ``--data-dir`` (passed in as ``override``), then ``LESESTOFF_HOME``, then the
platform's user data dir (platformdirs). Nothing here is computed at import time, so tests can point
``LESESTOFF_HOME`` at a temp dir.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

ENV_VAR = "LESESTOFF_HOME"
CACHE_ENV_VAR = "LESESTOFF_CACHE"
"""Optional: where rebuildable indexes (the lexicon) live, to share one build between data dirs."""


@dataclass(frozen=True, slots=True)
class Paths:
    """All locations under one data dir."""

    root: Path
    shared_cache: Path | None = None

    @property
    def cache(self) -> Path:
        """Rebuildable data: processed lessons, dictionary indexes, audio."""
        return self.root / "cache"

    @property
    def lesson_cache(self) -> Path:
        return self.cache / "lessons"

    @property
    def texts(self) -> Path:
        """Texts the learner imported (copied here, so the library survives moved originals)."""
        return self.root / "texts"

    @property
    def library_index(self) -> Path:
        return self.root / "library.json"

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    @property
    def store(self) -> Path:
        """The learner's SQLite database (progress, reviews, translation cache)."""
        return self.root / "lesestoff.db"

    @property
    def lexicon(self) -> Path:
        """The dictionary index, built from installed packages (shared when ``LESESTOFF_CACHE`` is set)."""
        return (self.shared_cache or self.cache) / "lexicon.sqlite"

    @property
    def indexes(self) -> Path:
        """Installed word lists (wordfreq, simplemma) as compact indexes, shared like the lexicon."""
        return (self.shared_cache or self.cache) / "indexes"

    @property
    def audio(self) -> Path:
        return self.cache / "audio"

    def ensure(self) -> Paths:
        for directory in (self.root, self.cache, self.lesson_cache, self.texts):
            directory.mkdir(parents=True, exist_ok=True)
        return self


def resolve(override: str | os.PathLike[str] | None = None) -> Paths:
    """The data dir for this run (not created; call ``ensure()`` before writing)."""
    shared = os.environ.get(CACHE_ENV_VAR)
    cache = Path(shared).expanduser().resolve() if shared else None
    if override:
        return Paths(Path(override).expanduser().resolve(), cache)
    env = os.environ.get(ENV_VAR)
    if env:
        return Paths(Path(env).expanduser().resolve(), cache)
    import platformdirs

    return Paths(Path(platformdirs.user_data_dir("lesestoff", appauthor=False)), cache)


def seeds_dir() -> Path:
    """The bundled texts and their curated data.

    In a wheel they ship inside the package as ``lessons/_seeds``; in a source checkout (editable install)
    they are the repository's ``seeds/``.
    """
    packaged = Path(str(resources.files("lessons"))) / "_seeds"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "seeds"
