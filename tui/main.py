"""The ``lesestoff`` console script: a command runs the CLI, no command starts the TUI, and ``lesestoff study``
starts it on a study session."""

from __future__ import annotations

import atexit
import gc
import sys
from collections.abc import Sequence

from lessons import cli


def console() -> int:
    """The program (the ``lesestoff`` console script, ``python -m tui.main``): ``main`` with the collector set
    for a process that ends with it.

    Python's cyclic collector rescans every object still alive whenever enough new ones were made, and once
    more as the interpreter exits: after a book's import, with a million objects alive and no garbage cycles
    worth finding, those scans are a tenth of the command's time. So a command runs with the collector off,
    and what is alive at exit is frozen first (``gc.freeze``; it is still freed as usual). The app, a long
    session of screens that do make cycles, keeps its collector.
    """
    argv = sys.argv[1:]
    atexit.register(gc.freeze)
    if cli.app_arguments(argv) is None:  # a command (or --help), not the app
        gc.disable()
    return main(argv)


def main(argv: Sequence[str] | None = None) -> int:
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
    sys.exit(console())
