"""The seeds ship inside the wheel, and the installed package finds them there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return next(out.glob("lesestoff-*.whl"))


def test_wheel_contains_seeds_and_entry_point(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    seeds = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    for seed in seeds:
        assert f"lessons/_seeds/{seed}" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "lesestoff = tui.main:console" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_finds_packaged_seeds(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = "from lessons.paths import seeds_dir; p = seeds_dir(); print(p, len(list(p.glob('*.txt'))))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(target)}
    )
    assert result.returncode == 0, result.stderr
    where, count = result.stdout.split()
    assert where.startswith(str(target)) and count == "5"
