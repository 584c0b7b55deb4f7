"""Wiring: the library with its lexicon and corrections, and JSON enrichment shared by CLI and TUI."""

from __future__ import annotations

from typing import Any

from lessons.library import Library
from lessons.model import Lesson
from lessons.paths import Paths


def open_library(paths: Paths) -> Library:
    """The library as the app uses it."""
    return Library(paths)


def enrich_lesson_json(data: dict[str, Any], lesson: Lesson, paths: Paths) -> dict[str, Any]:
    """Add what later stages know about a lesson to its JSON form."""
    return data
