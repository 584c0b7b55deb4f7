"""Helpers shared by the Pilot tests of the TUI (tests/test_tui.py, tests/test_tui_study.py)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from lessons.library import Library
from lessons.paths import Paths
from tui.app import LesestoffApp


def warm_paths(seed_library: Library, seed_paths: Paths, tmp_path: Path) -> Paths:
    """A fresh data dir whose lesson cache already holds the processed seeds (the library opens at once)."""
    seed_library.lessons()
    paths = Paths(tmp_path / "data", seed_paths.shared_cache).ensure()
    shutil.copytree(seed_paths.cache, paths.cache, dirs_exist_ok=True)
    return paths


async def until(pilot: Pilot, condition: Callable[[], object], what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


def screen_text(app: LesestoffApp) -> str:
    """What the terminal shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
