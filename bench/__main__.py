"""Benchmarks: ``python -m bench`` (or ``make bench``) prints each figure beside a baseline measured in the same run.

Ratios, not absolute times, are the result: both sides of a comparison run on the same (possibly busy)
machine a moment apart. Every measured command runs as its own process, so wall time and peak memory
(max RSS, from ``wait4``) are the whole program's, start-up included.

1. Import throughput: ``lesestoff import`` of a book-sized German text vs a baseline script that only reads
   the file, lemmatizes every token with simplemma and looks up its wordfreq Zipf value.
2. Second open (cache hit): ``lesestoff show ID --json``.
3. TUI start: process start → library on screen (polled through tmux), vs a minimal Textual app showing a
   table, measured the same way.
4. Reader on the big lesson: keypress → first sentence of the 300,000-word lesson on screen.
5. Anki export of 5,000 notes vs plain genanki writing the same notes (same fields and tags).
6. Peak memory of each.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORTUNES = Path("/usr/share/games/fortunes/de")
TARGET_WORDS = 300_000


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    stdout: str


def run(cmd: list[str], env: dict[str, str] | None = None, check: bool = True) -> Run:
    """Run a command as its own process: wall time and that process's peak RSS (``os.wait4``)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})}, text=True
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if check and proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({proc.returncode}): {stderr.strip()[-500:]}")
    return Run(seconds, usage.ru_maxrss / 1024, stdout)


def book_text(workdir: Path) -> tuple[Path, str, int]:
    """A >= 300,000-word German text: Debian's fortunes-de when installed, else the seeds repeated."""
    out = workdir / "book.txt"
    parts: list[str] = []
    if FORTUNES.is_dir():
        for path in sorted(FORTUNES.glob("*.u8")):
            text = path.read_text(encoding="utf-8", errors="replace")
            parts.extend(chunk.strip() for chunk in text.split("\n%\n") if chunk.strip())
        origin = f"Debian fortunes-de ({len(parts):,} fortunes, repeated as needed)"
    if not parts:
        parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
        origin = "the bundled seed texts concatenated and repeated (fortunes-de not installed)"
    words = 0
    chunks: list[str] = []
    while words < TARGET_WORDS:
        for part in parts:
            chunks.append(part)
            words += len(part.split())
            if words >= TARGET_WORDS:
                break
    out.write_text("\n\n".join(chunks) + "\n", encoding="utf-8")
    return out, origin, words


BASELINE = r"""
import re, sys
import simplemma
from wordfreq import zipf_frequency
text = open(sys.argv[1], encoding="utf-8").read()
total = 0.0
count = 0
for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text):
    lemma = simplemma.lemmatize(word, lang="de")
    total += zipf_frequency(lemma, "de")
    count += 1
print(count)
"""


def lesestoff(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.main", *args]


def figure(name: str, value: float, unit: str, baseline: float | None = None, target: str = "") -> None:
    line = f"{name:<44} {value:>9.2f} {unit:<4}"
    if baseline is not None:
        line += f"  baseline {baseline:>8.2f} {unit:<4} ratio {value / baseline:>5.2f}"
    if target:
        line += f"  (target {target})"
    print(line, flush=True)


def bench_import(workdir: Path, env: dict[str, str]) -> str:
    book, origin, words = book_text(workdir)
    print(f"Text: {origin}; {words:,} words, {book.stat().st_size / 1e6:.1f} MB")
    baseline_script = workdir / "baseline.py"
    baseline_script.write_text(BASELINE, encoding="utf-8")
    base = run([sys.executable, str(baseline_script), str(book)], env)
    ours = run(lesestoff("import", str(book), "--title", "Benchmark book"), env)
    lesson_id = ours.stdout.strip().splitlines()[-1]
    figure("import: wall time", ours.seconds, "s", base.seconds, "ratio <= 2")
    figure("import: words per second", words / ours.seconds, "w/s", words / base.seconds)
    figure("import: peak memory", ours.max_rss_mb, "MB", base.max_rss_mb, "< 300 MB")
    return lesson_id


def bench_second_open(env: dict[str, str], lesson_id: str) -> None:
    run(lesestoff("show", "1", "--json"), env)  # warm: the first open processes and caches
    seed = min((run(lesestoff("show", "1", "--json"), env) for _ in range(3)), key=lambda r: r.seconds)
    figure("second open (seed lesson): show --json, best of 3", seed.seconds, "s", target="well under 1 s")
    figure("second open (seed lesson): peak memory", seed.max_rss_mb, "MB")
    big = run(lesestoff("show", lesson_id), env)
    figure("second open (300k-word lesson): show", big.seconds, "s")
    figure("second open (300k-word lesson): peak memory", big.max_rss_mb, "MB")


MINIMAL_APP = r"""
from textual.app import App
from textual.widgets import DataTable, Footer, Header
class Minimal(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("#", "Title", "Kind", "Date", "CEFR", "Words")
        table.add_row("1", "Das KI-Modell der chinesischen Forschungsgruppe", "article", "2025-01-30", "C1", "545")
Minimal().run()
"""


def tmux_time_to_screen(command: str, needle: str, timeout: float = 60.0) -> float:
    """Seconds from starting ``command`` in a fresh tmux session until ``needle`` is on its screen."""
    session = f"bench{os.getpid()}"
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command], check=True)
    try:
        while time.perf_counter() - start < timeout:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True)
            if needle in screen.stdout:
                return time.perf_counter() - start
            time.sleep(0.01)
        raise SystemExit(f"bench: {needle!r} did not appear within {timeout} s")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def bench_tui_start(workdir: Path, env: dict[str, str]) -> None:
    if shutil.which("tmux") is None:
        print("TUI start: skipped (tmux not installed)")
        return
    minimal = workdir / "minimal_app.py"
    minimal.write_text(MINIMAL_APP, encoding="utf-8")
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    samples_ours, samples_base = [], []
    for _ in range(5):
        samples_base.append(tmux_time_to_screen(f"{sys.executable} {minimal}", "Das KI-Modell"))
        samples_ours.append(tmux_time_to_screen(f"env {exports} {sys.executable} -m tui.main", "Das KI-Modell"))
    figure("TUI start → library on screen (best of 5)", min(samples_ours), "s", min(samples_base), "ratio <= 1.5")


def bench_reader(env: dict[str, str], rows_down: int, needle: str) -> None:
    """Open the big lesson from the library (cursor down to its row, Enter) and time the first paint."""
    if shutil.which("tmux") is None:
        print("reader: skipped (tmux not installed)")
        return
    session = f"benchreader{os.getpid()}"
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "40",
            f"env {exports} {sys.executable} -m tui.main",
        ],
        check=True,
    )
    try:
        deadline = time.perf_counter() + 120
        while "Benchmark book" not in (screen := _screen(session)) or "loading" in screen:
            if time.perf_counter() > deadline:
                raise SystemExit("bench: the library did not finish listing the benchmark lesson")
            time.sleep(0.05)
        time.sleep(1.0)
        for _ in range(rows_down):
            _keys(session, "Down")
        # Keys can land before the table takes them: open, and if another lesson opened, go back and step down.
        for _attempt in range(rows_down + 2):
            start = time.perf_counter()
            subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)
            while "German reading tutor" in (header := _screen(session).splitlines()[0]):
                if time.perf_counter() - start > 120:
                    raise SystemExit("bench: the reader did not open")
                time.sleep(0.005)
            if "Benchmark book" in header:
                while needle not in _screen(session):
                    if time.perf_counter() - start > 120:
                        raise SystemExit("bench: the reader did not show the lesson")
                    time.sleep(0.005)
                break
            _keys(session, "Escape")  # another lesson opened: back, one row down, again
            time.sleep(1.0)
            _keys(session, "Down")
        else:
            raise SystemExit("bench: could not open the benchmark lesson from the library")
        figure("reader: first paint of the 300k-word lesson", time.perf_counter() - start, "s", target="< 1 s")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def _keys(session: str, key: str) -> None:
    subprocess.run(["tmux", "send-keys", "-t", session, key], check=True)
    time.sleep(0.3)


def _screen(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


ANKI_ROUNDS = 5
"""Sub-second figures swing by half on a shared machine: each side is run this often, alternating, and its
best run counts."""


def bench_anki(workdir: Path) -> None:
    ours: list[Run] = []
    base: list[Run] = []
    bare: list[Run] = []
    for _ in range(ANKI_ROUNDS):
        ours.append(run([sys.executable, "-m", "bench.anki_bench", "ours", str(workdir / "ours.apkg")]))
        base.append(run([sys.executable, "-m", "bench.anki_bench", "plain", str(workdir / "plain.apkg")]))
        bare.append(run([sys.executable, "-m", "bench.anki_bench", "bare", str(workdir / "bare.apkg")]))
    inner_ours, inner_base = min(float(r.stdout) for r in ours), min(float(r.stdout) for r in base)
    label = f"Anki export of 5,000 notes vs plain genanki, same notes (best of {ANKI_ROUNDS})"
    figure(label, inner_ours, "s", inner_base, "ratio <= 1.5")
    figure("Anki export vs a bare 9-field note without tags", inner_ours, "s", min(float(r.stdout) for r in bare))
    figure("Anki export: whole process", min(r.seconds for r in ours), "s", min(r.seconds for r in base))
    figure("Anki export: peak memory", max(r.max_rss_mb for r in ours), "MB", max(r.max_rss_mb for r in base))


def _first_words(book: Path) -> str:
    with book.open(encoding="utf-8") as handle:
        return " ".join(handle.readline().split()[:4])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["import", "open", "tui", "anki"], action="append")
    args = parser.parse_args(argv)
    chosen = set(args.only or ["import", "open", "tui", "anki"])
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    with tempfile.TemporaryDirectory(prefix="lesestoff-bench-") as tmp:
        workdir = Path(tmp)
        env = {"LESESTOFF_HOME": str(workdir / "home"), "LESESTOFF_CACHE": str(workdir / "cache")}
        run(lesestoff("dict", "status", "--build"), env, check=False)  # build the lexicon outside timings
        run(lesestoff("lessons"), env)  # process and cache the seed lessons outside timings
        run(lesestoff("level", "B1"), env)  # a returning learner: the app doesn't open on the level dialog
        lesson_id = None
        if "tui" in chosen:
            bench_tui_start(workdir, env)  # on the bundled library, before the book is imported
        if "import" in chosen:
            lesson_id = bench_import(workdir, env)
        if "open" in chosen and lesson_id:
            bench_second_open(env, lesson_id)
        if "tui" in chosen and lesson_id:
            bench_reader(env, rows_down=5, needle=_first_words(workdir / "book.txt"))
        if "anki" in chosen:
            bench_anki(workdir)
    return 0


if __name__ == "__main__":
    random.seed(0)
    sys.exit(main())
