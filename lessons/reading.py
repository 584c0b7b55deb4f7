"""Stage 1: read a text file as Unicode text."""

from __future__ import annotations

from pathlib import Path

from lessons.errors import UserError

MAX_BYTES = 20 * 1024 * 1024
"""Largest file accepted for import (20 MB): a long book is ~2 MB of plain text."""


def decode(data: bytes) -> str:
    """Decode UTF-8 text; a UTF-8 byte-order mark is dropped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"not UTF-8 text (invalid byte at offset {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (BOM tolerated), with one-line errors for every failure."""
    if not path.exists():
        raise UserError(f"{path}: no such file")
    if path.is_dir():
        raise UserError(f"{path}: is a directory, not a text file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UserError(f"{path}: {size / 1e6:.1f} MB is larger than the {MAX_BYTES // 2**20} MB limit")
        data = path.read_bytes()
    except PermissionError:
        raise UserError(f"{path}: permission denied") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return decode(data)
    except UserError as exc:
        raise UserError(f"{path}: {exc.message}") from None
