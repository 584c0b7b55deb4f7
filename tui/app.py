"""The Lesestoff TUI (Textual): library, reader, vocabulary, exercises, import/export, settings, help, study
sessions, the learner's level and statistics.

The app owns a :class:`tui.session.Session` (library, learner store, meanings). The library screen shows at
once; the heavy resources load afterwards in a worker (``warm_up``) whose progress the library screen shows.
Without a learner level in the store, the app first offers to set one (``LevelDialog``); ``start="study"``
(``lesestoff study``) then opens a study session.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from functools import partial

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

from lessons.model import Lesson
from lessons.paths import Paths
from tui.session import Session

LIBRARY_FIRST_SECONDS = 3.0
"""The warm-up and the first dialogs wait for the library's list, or this long if listing takes longer."""


class WarmProgress(Message):
    def __init__(self, stage: str, fraction: float) -> None:
        super().__init__()
        self.stage = stage
        self.fraction = fraction


class WarmDone(Message):
    def __init__(self, error: str | None = None) -> None:
        super().__init__()
        self.error = error


class LevelChanged(Message):
    """The tutor moved the learner's level (after an exercise set); posted to the app from any thread."""

    def __init__(self, level: str, reason: str) -> None:
        super().__init__()
        self.level = level
        self.reason = reason


class LesestoffApp(App[None]):
    """Everything the CLI does, with the keyboard and the mouse."""

    TITLE = "Lesestoff"
    SUB_TITLE = "German reading tutor"
    CSS_PATH = "lesestoff.tcss"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("p", "settings", "Settings", show=False),
        Binding("q", "quit", "Quit", show=False),
        Binding("ctrl+t", "toggle_theme", "Light/dark theme", show=False),
    ]

    EXTRA_COMMANDS: tuple[tuple[str, str, str], ...] = (
        ("Study session", "Due reviews, then the next lesson for you and its exercises, then a summary", "study"),
        ("Statistics", "Known words over time, reviews per day, accuracy by exercise kind", "statistics"),
        ("My level", "Pick your level (A1–C2) or take the short placement check", "level"),
        ("Import a text", "Add a file or folder to the library", "import"),
        ("Settings", "Learner level, language, online translation", "settings"),
        ("Help", "All keys", "help"),
        ("Light/dark theme", "Switch between the light and the dark theme", "toggle_theme"),
    )
    """Palette commands offered on every screen (besides the active bindings)."""

    warm_stage: reactive[str] = reactive("")
    warm_fraction: reactive[float] = reactive(0.0)
    warm_done: reactive[bool] = reactive(False)

    def __init__(
        self,
        paths: Paths,
        *,
        online: bool = False,
        warm_up: bool = True,
        exercise_seed: int | None = None,
        start: str | None = None,
        ask_level: bool = True,
    ) -> None:
        """``online``: online mode for this run (``--online``). ``warm_up``: load the dictionary in the
        background at start. ``exercise_seed``: a fixed seed for exercise sets (tests; default: random).
        ``start``: ``"study"`` opens a study session at once. ``ask_level``: offer to set the learner's level
        at start when the store has none (tests turn it off)."""
        super().__init__()
        self.paths = paths
        self.online = online
        self.session = Session(paths, online=online)
        self.session.progress = self._report
        self._last_report = -1.0
        self.exercise_seed = exercise_seed
        self.exercise_count = 10
        """Exercises in a set."""
        self._warm_up = warm_up
        self._warm_started = False
        self._library_shown = False
        self.start = start
        self.ask_level = ask_level

    def get_default_screen(self) -> Screen:
        from tui.library_screen import LibraryScreen

        return LibraryScreen()

    def on_mount(self) -> None:
        if not self._warm_up:
            self.warm_done = True
        # The library's list comes first: the warm-up's worker would share one interpreter lock with the
        # listing and the level check would open the learner store on the UI thread, and the list would
        # appear half a second later. The library screen calls ``library_shown`` once the list is on screen;
        # this timer does if it never gets there.
        self.set_timer(LIBRARY_FIRST_SECONDS, self.library_shown)

    def library_shown(self) -> None:
        """Once per run, after the library is on screen: the warm-up, then the level dialog or study session."""
        if self._library_shown:
            return
        self._library_shown = True
        self.start_warm_up()
        self._first_screens()

    def _first_screens(self) -> None:
        """The level dialog when the learner has no level yet; then the study session (``start="study"``)."""
        study = self.start == "study"
        if self.ask_level and self._needs_level():
            self.push_screen(self._level_dialog(first=True), lambda _level: self._start_study() if study else None)
        elif study:
            self._start_study()

    def on_unmount(self) -> None:
        with contextlib.suppress(Exception):
            self.session.close()

    # --- heavy resources -------------------------------------------------------------------------------

    def _report(self, stage: str, fraction: float) -> None:
        """Progress from any thread (the lexicon's first build, the warm-up), at most every 2 %."""
        if abs(fraction - self._last_report) >= 0.02 or fraction >= 1.0:
            self._last_report = fraction
            self.post_message(WarmProgress(stage, fraction))

    def start_warm_up(self) -> None:
        """Load the heavy resources (lexicon, meanings) in the background, once per run."""
        if self._warm_up and not self._warm_started:
            self._warm_started = True
            self.warm_up()

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm-up")
    def warm_up(self) -> None:
        try:
            self.session.warm_up(self._report)
        except Exception as exc:
            self.post_message(WarmDone(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(WarmDone())

    @on(WarmProgress)
    def _warm_progress(self, message: WarmProgress) -> None:
        self.warm_stage = message.stage
        self.warm_fraction = message.fraction

    @on(WarmDone)
    def _warm_done(self, message: WarmDone) -> None:
        self.warm_fraction = 1.0
        self.warm_done = True
        if message.error:
            self.notify(
                f"The dictionary could not be loaded ({message.error}); meanings are limited.",
                title="Dictionary",
                severity="warning",
                timeout=10,
            )

    # --- screens ---------------------------------------------------------------------------------------

    def action_help(self) -> None:
        from tui.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(type(self.screen)))

    def action_settings(self) -> None:
        from tui.dialogs import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen(), self._settings_closed)

    def _settings_closed(self, saved: bool | None) -> None:
        if saved:
            from tui.library_screen import LibraryScreen

            for screen in self.screen_stack:
                if isinstance(screen, LibraryScreen):
                    screen.count_rows()

    def action_import(self) -> None:
        from tui.dialogs import ImportDialog

        if not isinstance(self.screen, ImportDialog):
            self.push_screen(ImportDialog(), self._imported)

    def _imported(self, lesson_id: str | None) -> None:
        if not lesson_id:
            return
        from tui.library_screen import LibraryScreen

        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.reload(select=lesson_id)

    def open_export(self, lesson: Lesson | None, words: list | None = None) -> None:  # type: ignore[type-arg]
        from tui.dialogs import ExportDialog

        if lesson is None:
            self.notify("Select a lesson to export its vocabulary.", severity="warning")
            return
        self.push_screen(ExportDialog(lesson, words))

    def open_vocabulary(self, lesson: Lesson) -> None:
        try:
            from tui.vocab_screen import VocabularyScreen
        except ImportError as exc:
            self.notify(f"The vocabulary list is not available: {exc}", severity="error")
            return
        self.push_screen(VocabularyScreen(lesson))

    def open_exercises(self, lesson: Lesson) -> None:
        try:
            from tui.exercise_screen import ExerciseScreen
        except ImportError as exc:
            self.notify(f"Exercises are not available: {exc}", severity="error")
            return
        self.push_screen(ExerciseScreen(lesson))

    # --- tutor: level, study sessions, statistics --------------------------------------------------------

    def _needs_level(self) -> bool:
        """No learner level in the store (a store that cannot be read asks nothing: its errors show elsewhere)."""
        try:
            return self.session.learner_level() is None
        except Exception:
            return False

    def _level_dialog(self, *, first: bool = False) -> Screen:  # type: ignore[type-arg]
        from tui.level_dialog import LevelDialog

        return LevelDialog(first=first)

    def action_level(self) -> None:
        from tui.level_dialog import LevelDialog

        if not isinstance(self.screen, LevelDialog):
            self.push_screen(self._level_dialog())

    def action_study(self) -> None:
        """A study session; without a level, the level dialog comes first."""
        from tui.level_dialog import LevelDialog
        from tui.study_screen import StudyScreen

        if any(isinstance(screen, StudyScreen | LevelDialog) for screen in self.screen_stack):
            self.notify("A study session is already under way.", severity="warning", timeout=3)
            return
        if self.ask_level and self._needs_level():
            self.push_screen(self._level_dialog(first=True), lambda _level: self._start_study())
            return
        self._start_study()

    def _start_study(self) -> None:
        from tui.study_screen import StudyScreen

        if not any(isinstance(screen, StudyScreen) for screen in self.screen_stack):
            self.push_screen(StudyScreen())

    def action_statistics(self) -> None:
        from tui.stats_screen import StatsScreen

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen())

    @on(LevelChanged)
    def _level_changed(self, message: LevelChanged) -> None:
        self.notify(f"Your level is now {message.level}: {message.reason}.", title="Level", timeout=10)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    # --- command palette -------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The built-in commands plus every binding active on ``screen`` (so each action is in the palette)."""
        yield from super().get_system_commands(screen)
        seen: set[str] = {"Theme", "Quit", "Keys", "Screenshot", "Maximize", "Minimize"}
        for _key, active in screen.active_bindings.items():
            binding = active.binding
            name = binding.tooltip or binding.description
            if not binding.description or name in seen or binding.action in ("command_palette",):
                continue
            seen.add(name)
            shown = self.get_key_display(binding)
            yield SystemCommand(
                name,
                f"{binding.description} (key: {shown})",
                partial(self._run_binding, active.node, binding.action),
            )
        for name, help_text, action in self.EXTRA_COMMANDS:
            if name not in seen:
                seen.add(name)
                yield SystemCommand(name, help_text, partial(self._run_binding, self, action))

    async def _run_binding(self, node: object, action: str) -> None:
        await self.run_action(action, node)  # type: ignore[arg-type]
