"""Command groups beyond the core ones, each defined beside the code it drives.

Each registrar takes argparse's subparsers object and adds its commands; every command's handler is set with
``set_defaults(func=handler)`` where ``handler(args, paths) -> int``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

REGISTRARS: list[Callable[[Any], None]] = []
