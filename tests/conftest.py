"""Shared fixtures: every test runs with a temp data dir; seed lessons are built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessons.library import Library
from lessons.paths import Paths

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One lexicon index for the whole run (built from installed packages on first use, ~10 s), and the word
    indexes (built here, so no test's output depends on whether it was the first to need them)."""
    from lessons.services import build_indexes

    cache = tmp_path_factory.mktemp("shared-cache")
    build_indexes(Paths(cache / "unused", cache))
    return cache


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, shared_cache: Path
) -> None:
    """No test touches the user's home: LESESTOFF_HOME and XDG dirs point at a temp dir."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("LESESTOFF_HOME", str(home / "lesestoff"))
    monkeypatch.setenv("LESESTOFF_CACHE", str(shared_cache))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.delenv("LESESTOFF_ONLINE", raising=False)


@pytest.fixture(scope="session")
def seed_paths(tmp_path_factory: pytest.TempPathFactory, shared_cache: Path) -> Paths:
    """A data dir whose lesson cache holds the processed seeds (built once for the whole run)."""
    return Paths(tmp_path_factory.mktemp("seed-data"), shared_cache).ensure()


@pytest.fixture(scope="session")
def seed_library(seed_paths: Paths) -> Library:
    from lessons.services import open_library

    return open_library(seed_paths)


@pytest.fixture(scope="session")
def seed_lessons(seed_library: Library) -> dict[str, object]:
    """Seed lessons by source file name."""
    return {lesson.source: lesson for lesson in seed_library.lessons()}
