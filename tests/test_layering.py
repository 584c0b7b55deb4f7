"""`lessons` is the UI-free core: importing all of it must not pull in Textual, Rich or the TUI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import lessons


def test_lessons_never_imports_textual_rich_or_tui() -> None:
    modules = sorted(m.name for m in pkgutil.iter_modules(lessons.__path__, "lessons."))
    assert len(modules) > 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich', 'tui'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
