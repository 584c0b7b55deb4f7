"""Lesestoff core: German text → graded reading lessons, glosses, exercises, Anki decks.

This package never imports Textual or Rich (``tests/test_layering.py`` checks), so it can be used from the
CLI, the TUI and scripts alike.
"""

__version__ = "0.1.0"
