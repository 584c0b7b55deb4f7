"""The ``lesestoff`` console script: a command runs the CLI, no command starts the TUI, and ``lesestoff study``
starts it on a study session."""

from __future__ import annotations

import atexit
import gc
import sys
from collections.abc import Sequence

from lessons import cli

_exit_collection_skipped = False


def _skip_exit_collection() -> None:
    """As the interpreter exits it collects garbage once more, scanning every object still alive: after a
    book's import (its caches, the tagger's model) half a second of the command's time. Nothing needs
    collecting then, so the survivors are frozen first (``gc.freeze``); they are still freed as usual."""
    global _exit_collection_skipped
    if not _exit_collection_skipped:
        _exit_collection_skipped = True
        atexit.register(gc.freeze)


def main(argv: Sequence[str] | None = None) -> int:
    _skip_exit_collection()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = cli.app_arguments(argv)  # just the app's options: no need to build every command's parser
    if args is None:
        code = cli.run(argv)
        if code != -1:
            return code
        args = cli.build_parser().parse_args(argv)
    from lessons.paths import resolve
    from tui.app import LesestoffApp

    start = "study" if args.command == "study" else None
    app = LesestoffApp(resolve(args.data_dir), online=args.online, start=start)
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
