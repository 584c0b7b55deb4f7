"""Wall time per pipeline stage of one ``lesestoff`` command, without a profiler.

``python -m bench.stages import book.txt --title Book`` runs the command as ``lesestoff`` would and prints,
on stderr, the seconds spent in each stage (wrapped with timers; nested stages overlap). Profilers add
30–50% to a Python-heavy loop and blur which part of it is real; timers around a dozen functions cost
nothing measurable.
"""

from __future__ import annotations

import atexit
import functools
import runpy
import sys
import time
from collections.abc import Callable
from typing import Any

START = time.perf_counter()
totals: dict[str, float] = {}


def timed(owner: Any, name: str, label: str) -> None:
    """Replace ``owner.name`` with a wrapper that adds its wall time to ``totals[label]``."""
    function: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + time.perf_counter() - began

    setattr(owner, name, wrapper)


def install() -> None:
    from lessons import corrections, importing, library, pipeline, services, tokens

    timed(pipeline, "_build_lesson", "build_lesson (all below)")
    timed(pipeline.cleaning, "clean", "cleaning.clean")
    timed(pipeline, "tag_tokens", "tokens.tag_tokens")
    timed(tokens, "_word_attributes", "  per distinct form (_word_attributes)")
    timed(services.LazyLexicon, "zipf", "    compound-aware Zipf")
    timed(tokens, "split_tokens", "  split_tokens")
    timed(pipeline, "split_sentences", "sentences.split_sentences")
    timed(pipeline, "lesson_level", "difficulty.lesson_level")
    timed(corrections.LessonCorrector, "correct", "corrector.correct")
    timed(library, "atomic_write_lines", "cache write")
    timed(importing, "foreign_language", "importing.foreign_language")


@atexit.register
def report() -> None:
    print(f"{'total (after Python started)':42} {time.perf_counter() - START:6.2f} s", file=sys.stderr)
    for label, seconds in totals.items():
        print(f"{label:42} {seconds:6.2f} s", file=sys.stderr)


if __name__ == "__main__":
    install()
    sys.argv = ["lesestoff", *sys.argv[1:]]
    runpy.run_module("tui.main", run_name="__main__")
