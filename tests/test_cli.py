"""The scriptable CLI, run as a user would (a subprocess of the installed entry point's module)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lessons.paths import Paths

LESSON_FIELDS = {"id", "title", "source", "kind", "date", "words", "sentences", "cefr"}


def run(*args: str, home: Path, stdin: str | None = None, env: dict[str, str] | None = None):
    environment = {**os.environ, "LESESTOFF_HOME": str(home), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tui.main", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=environment,
        timeout=120,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-home")


def test_lessons_json(home: Path) -> None:
    result = run("lessons", "--json", home=home)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 5
    assert all(set(row) == LESSON_FIELDS for row in rows)
    assert [row["source"] for row in rows] == sorted(p.name for p in (Path("seeds")).glob("*.txt"))
    assert len({row["id"] for row in rows}) == 5
    assert all(row["cefr"] in {"A1", "A2", "B1", "B2", "C1", "C2"} for row in rows)


def test_ids_are_stable_and_rows_work(home: Path) -> None:
    first = json.loads(run("lessons", "--json", home=home).stdout)
    second = json.loads(run("lessons", "--json", home=home).stdout)
    assert [r["id"] for r in first] == [r["id"] for r in second]
    by_row = json.loads(run("show", "5", "--json", home=home).stdout)
    by_id = json.loads(run("show", first[4]["id"], "--json", home=home).stdout)
    assert by_row["id"] == by_id["id"] == first[4]["id"]


def test_show_json_shape(home: Path) -> None:
    data = json.loads(run("show", "1", "--json", home=home).stdout)
    assert {"id", "title", "source", "kind", "date", "cefr", "words", "removed", "sentences"} <= set(data)
    assert data["removed"] and all(isinstance(line, str) for line in data["removed"])
    token = data["sentences"][0]["tokens"][0]
    assert {"text", "lemma", "pos", "zipf", "cefr"} <= set(token)


def test_show_readable(home: Path) -> None:
    result = run("show", "2", home=home)
    assert result.returncode == 0
    assert "Removed while cleaning" in result.stdout
    assert "CEFR" in result.stdout


def test_processed_lessons_are_cached(home: Path) -> None:
    run("lessons", home=home)
    cache = Paths(home).lesson_cache
    files = sorted(cache.glob("*.jsonl"))
    assert len(files) == 5
    run("show", "1", "--json", home=home)
    assert sorted(cache.glob("*.jsonl")) == files


def test_import_and_duplicate(tmp_path: Path) -> None:
    home = tmp_path / "home"
    text = tmp_path / "meintext.txt"
    text.write_text("Der Hund läuft schnell über die Wiese. Die Katze schläft im Garten.\n", encoding="utf-8")
    result = run("import", str(text), "--title", "Hund und Katze", home=home)
    assert result.returncode == 0, result.stderr
    lesson_id = result.stdout.strip()
    assert lesson_id == "hund-katze"
    rows = json.loads(run("lessons", "--json", home=home).stdout)
    assert (
        rows[-1]["id"] == lesson_id and rows[-1]["title"] == "Hund und Katze" and rows[-1]["source"] == "meintext.txt"
    )
    again = run("import", str(text), home=home)
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "already in the library" in again.stderr
    assert len(json.loads(run("lessons", "--json", home=home).stdout)) == 6


def test_import_stdin(tmp_path: Path) -> None:
    result = run("import", "-", home=tmp_path, stdin="Heute scheint die Sonne. Wir gehen schwimmen.\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


@pytest.mark.parametrize(
    "args",
    [("show", "no-such-lesson"), ("show", "99"), ("import", "/no/such/file.txt"), ("import", "/no/such/folder/")],
)
def test_errors_are_one_line_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run(*args, home=tmp_path)
    assert result.returncode == 2
    # (whichever test first needs the shared lexicon sees its one-time build announced before the error)
    lines = [line for line in result.stderr.splitlines() if not line.endswith("(first run only) …")]
    assert len(lines) == 1 and lines[0].startswith("lesestoff: error:")
    assert result.stderr.endswith("\n")
    assert "Traceback" not in result.stderr


def test_data_dir_option_beats_environment(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen"
    text = tmp_path / "t.txt"
    text.write_text("Das Wetter ist heute schön. Wir gehen spazieren.", encoding="utf-8")
    result = run("--data-dir", str(chosen), "import", str(text), home=tmp_path / "env-home")
    assert result.returncode == 0, result.stderr
    assert (chosen / "library.json").exists()
    assert not (tmp_path / "env-home" / "library.json").exists()


def test_default_data_dir_comes_from_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from lessons.paths import resolve

    monkeypatch.delenv("LESESTOFF_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve().root == tmp_path / "xdg" / "lesestoff"
    monkeypatch.setenv("LESESTOFF_HOME", str(tmp_path / "env"))
    assert resolve().root == tmp_path / "env"
    assert resolve(tmp_path / "flag").root == tmp_path / "flag"


def test_an_import_does_not_rebuild_other_articles(tmp_path: Path) -> None:
    """Known names change with an import; only transcripts (whose corrections use them) are redone."""
    from lessons.services import open_library

    paths = Paths(tmp_path / "home")
    library = open_library(paths)
    lessons = library.lessons()
    article = next(lesson for lesson in lessons if str(lesson.kind) == "article")
    entries = {e.id: e for e in library.entries()}
    article_cache = library._cache_path(entries[article.id])
    stamp = article_cache.stat().st_mtime_ns
    before = library._names_fingerprint()
    library.add_text(
        "Die Firma QuarkSoft aus Berlin hat ein neues Modell vorgestellt. QuarkSoft will damit wachsen. "
        "Viele Fachleute halten QuarkSoft für einen wichtigen Anbieter.",
        "neu.txt",
    )
    fresh = open_library(paths)
    assert fresh._names_fingerprint() != before  # the import brought a new name
    fresh.lessons()
    assert fresh._cache_path(entries[article.id]) == article_cache
    assert article_cache.stat().st_mtime_ns == stamp  # read from cache, not rebuilt


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {"data_dir": None, "online": False, "command": None}),
        (["--online"], {"data_dir": None, "online": True, "command": None}),
        (["--data-dir", "/x", "--online"], {"data_dir": "/x", "online": True, "command": None}),
        (["--data-dir=/x"], {"data_dir": "/x", "online": False, "command": None}),
        (["--data-dir"], None),  # a missing value: the full parser reports it
        (["lessons"], None),
        (["--online", "study"], None),
        (["-h"], None),
        (["--version"], None),
        (["--bogus"], None),
    ],
)
def test_app_arguments_take_only_the_global_options(argv: list[str], expected: dict | None) -> None:
    from lessons.cli import app_arguments

    found = app_arguments(argv)
    assert (None if found is None else vars(found)) == expected


@pytest.mark.parametrize(("argv", "collector_off"), [(["level"], True), ([], False), (["--data-dir", "x"], False)])
def test_program_runs_commands_without_the_collector(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], collector_off: bool
) -> None:
    import gc

    import tui.main

    registered: list[object] = []
    disabled: list[bool] = []
    ran: list[list[str]] = []
    monkeypatch.setattr(tui.main.atexit, "register", registered.append)
    monkeypatch.setattr(tui.main.gc, "disable", lambda: disabled.append(True))
    monkeypatch.setattr(tui.main, "main", lambda args: ran.append(list(args)) or 0)
    monkeypatch.setattr(sys, "argv", ["lesestoff", *argv])
    assert tui.main.console() == 0
    assert ran == [argv]
    assert registered == [gc.freeze]  # what is alive at exit is frozen, not scanned
    assert disabled == ([True] if collector_off else [])  # the app keeps its collector


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["import", "a.txt"], "import"),
        (["--data-dir", "x", "show", "1"], "show"),
        (["--data-dir=x", "--online", "lessons"], "lessons"),
        (["anki", "-o", "x.apkg"], "anki"),
        (["--help"], None),
        ([], None),
        (["--data-dir", "x"], None),
    ],
)
def test_command_word(argv: list[str], command: str | None) -> None:
    from lessons.cli import _command_of

    assert _command_of(argv) == command


def test_core_commands_do_not_load_the_other_commands(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from lessons import cli

    def refuse() -> list[object]:
        raise AssertionError("every command's module imported for a core command")

    monkeypatch.setattr(cli, "_extensions", refuse)
    with pytest.raises(SystemExit) as exit_info:
        cli.run(["--data-dir", str(tmp_path), "import", "--help"])
    assert exit_info.value.code == 0
    with pytest.raises(AssertionError, match="every command's module"):
        cli.run(["--data-dir", str(tmp_path), "anki", "--help"])
