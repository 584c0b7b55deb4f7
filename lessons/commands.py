"""Command groups beyond the core ones, each defined beside the code it drives.

Each registrar takes argparse's subparsers object and adds its commands; every command's handler is set with
``set_defaults(func=handler)`` where ``handler(args, paths) -> int``. Registrars are named as
``"module:function"`` and imported only when the parser is built.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

REGISTRAR_NAMES: list[str] = [
    "lessons.store:add_store_commands",
    "lessons.lexicon_cli:add_dict_commands",
    "lessons.meanings_cli:add_meaning_commands",
    "lessons.vocab_cli:add_vocab_commands",
    "lessons.quiz:add_exercise_commands",
    "lessons.corrections_cli:add_correction_commands",
    "lessons.tutor_cli:add_tutor_commands",
]


REGISTRARS: list[Callable[[Any], None]] = []
"""Registrars appended at import time by modules that are imported anyway (kept for compatibility)."""


def registrars() -> list[Callable[[Any], None]]:
    found = list(REGISTRARS)
    for name in REGISTRAR_NAMES:
        module, _, function = name.partition(":")
        found.append(getattr(importlib.import_module(module), function))
    return found
