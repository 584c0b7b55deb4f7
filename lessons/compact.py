"""Compact read-only tables of byte-string keys, and the index files they are kept in.

The word lists Lesestoff looks words up in (wordfreq's frequencies, simplemma's lemma dictionary) are
hundreds of thousands of entries; as Python dicts they take 100 bytes an entry and seconds to build. A
``KeyTable`` keeps every key's bytes in one blob, sorted by CRC-32, with the offsets where each key ends and
a table of where each 16-bit hash prefix starts: about 10 bytes an entry beside the key itself, read from
disk in milliseconds. A lookup hashes the key, bisects the few entries sharing its prefix and compares the
stored bytes, so an answer is exact (no false positives), in about a microsecond.

Index files (``write_index`` / ``read_index``): a magic line, a JSON header line naming the source they were
built from and their sections, then the sections' bytes. A file that is not whole, or was built from another
source or on a machine of the other byte order, raises ``StaleIndex`` and is rebuilt by its owner.
"""

from __future__ import annotations

import array
import bisect
import json
import os
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

MAGIC = b"lesestoff-index\n"
FORMAT = 1
PREFIX_BITS = 16
_SHIFT = 32 - PREFIX_BITS

Section = array.array | bytes


class StaleIndex(Exception):
    """An index file that cannot be used (missing, damaged, another format or source): rebuild it."""


class KeyTable:
    """Positions of byte-string keys; ``find`` is exact. Build with ``KeyTable.build``."""

    __slots__ = ("_blob", "_ends", "_hashes", "_starts")

    def __init__(self, starts: array.array, hashes: array.array, ends: array.array, blob: bytes) -> None:
        self._starts = starts  # starts[p]: first position whose hash's top bits are >= p; starts[-1] = count
        self._hashes = hashes  # CRC-32 of each key, ascending
        self._ends = ends  # key i is blob[ends[i - 1]:ends[i]] (0 before the first)
        self._blob = blob

    @classmethod
    def build(cls, keys: Sequence[bytes]) -> tuple[KeyTable, list[int]]:
        """The table of ``keys`` (distinct) and the order it put them in: entry ``i`` is ``keys[order[i]]``."""
        crcs = [zlib.crc32(key) for key in keys]
        order = sorted(range(len(keys)), key=crcs.__getitem__)
        hashes = array.array("I", (crcs[i] for i in order))
        ends = array.array("I")
        total = 0
        for i in order:
            total += len(keys[i])
            ends.append(total)
        blob = b"".join(keys[i] for i in order)
        starts = array.array("I", (bisect.bisect_left(hashes, p << _SHIFT) for p in range(1 << PREFIX_BITS)))
        starts.append(len(hashes))
        return cls(starts, hashes, ends, blob), order

    def find(self, key: bytes) -> int:
        """The position of ``key``, or -1."""
        crc = zlib.crc32(key)
        prefix = crc >> _SHIFT
        high = self._starts[prefix + 1]
        position = bisect.bisect_left(self._hashes, crc, self._starts[prefix], high)
        hashes, ends, blob = self._hashes, self._ends, self._blob
        while position < high and hashes[position] == crc:
            if blob[ends[position - 1] if position else 0 : ends[position]] == key:
                return position
            position += 1
        return -1

    def key(self, position: int) -> bytes:
        return self._blob[self._ends[position - 1] if position else 0 : self._ends[position]]

    def __len__(self) -> int:
        return len(self._hashes)

    def sections(self) -> list[Section]:
        return [self._starts, self._hashes, self._ends, self._blob]

    @classmethod
    def from_sections(cls, sections: Sequence[Section]) -> KeyTable:
        starts, hashes, ends, blob = sections
        if not (
            isinstance(starts, array.array)
            and isinstance(hashes, array.array)
            and isinstance(ends, array.array)
            and isinstance(blob, bytes)
            and len(starts) == (1 << PREFIX_BITS) + 1
            and starts[-1] == len(hashes) == len(ends)
            and (ends[-1] if ends else 0) == len(blob)
        ):
            raise StaleIndex("the key table's sections do not fit together")
        return cls(starts, hashes, ends, blob)


class Strings:
    """Distinct strings in one blob, by number (the values a ``KeyTable``'s entries point to)."""

    __slots__ = ("_blob", "_ends")

    def __init__(self, ends: array.array, blob: bytes) -> None:
        self._ends = ends
        self._blob = blob

    @classmethod
    def build(cls, values: Sequence[bytes]) -> Strings:
        ends = array.array("I")
        total = 0
        for value in values:
            total += len(value)
            ends.append(total)
        return cls(ends, b"".join(values))

    def __getitem__(self, number: int) -> bytes:
        return self._blob[self._ends[number - 1] if number else 0 : self._ends[number]]

    def __len__(self) -> int:
        return len(self._ends)

    def sections(self) -> list[Section]:
        return [self._ends, self._blob]

    @classmethod
    def from_sections(cls, sections: Sequence[Section]) -> Strings:
        ends, blob = sections
        if not (isinstance(ends, array.array) and isinstance(blob, bytes) and (ends[-1] if ends else 0) == len(blob)):
            raise StaleIndex("the string table's sections do not fit together")
        return cls(ends, blob)


def write_index(path: Path, header: dict[str, Any], sections: Sequence[Section]) -> None:
    """Write ``sections`` (arrays and byte strings) under ``header``, atomically."""
    layout = [[s.typecode, len(s)] if isinstance(s, array.array) else ["bytes", len(s)] for s in sections]
    head = {**header, "format": FORMAT, "byteorder": sys.byteorder, "sections": layout}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC)
            handle.write(json.dumps(head, ensure_ascii=False).encode() + b"\n")
            for section in sections:
                if isinstance(section, array.array):
                    section.tofile(handle)
                else:
                    handle.write(section)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_index(path: Path, expected: dict[str, Any]) -> list[Section]:
    """The sections of the index at ``path``; ``StaleIndex`` unless its header has every ``expected`` item
    and the file holds exactly the sections it names."""
    try:
        with open(path, "rb") as handle:
            if handle.readline() != MAGIC:
                raise StaleIndex(f"{path}: not an index file")
            header = json.loads(handle.readline())
            wanted = {**expected, "format": FORMAT, "byteorder": sys.byteorder}
            if not isinstance(header, dict) or any(header.get(k) != v for k, v in wanted.items()):
                raise StaleIndex(f"{path}: built from another source")
            sections: list[Section] = []
            for code, length in header["sections"]:
                if code == "bytes":
                    data = handle.read(length)
                    if len(data) != length:
                        raise StaleIndex(f"{path}: truncated")
                    sections.append(data)
                else:
                    part = array.array(code)
                    part.fromfile(handle, length)  # EOFError when short
                    sections.append(part)
            if handle.read(1):
                raise StaleIndex(f"{path}: longer than its header says")
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise StaleIndex(f"{path}: {exc}") from exc
    return sections


def package_fingerprint(package: str, data_file: Path) -> str:
    """What an index is built from: the package's version and the size and mtime of its data file."""
    import importlib.metadata

    stat = data_file.stat()
    return f"{package} {importlib.metadata.version(package)} {data_file.name} {stat.st_size} {stat.st_mtime_ns}"


_T = TypeVar("_T")
_build_lock = threading.Lock()


def read_or_build(read: Callable[[], _T], build: Callable[[], _T]) -> _T:
    """``read()`` the index, or ``build()`` it when that raises ``StaleIndex``; two threads asking at once
    build it once (the second reads what the first wrote)."""
    with _build_lock:
        try:
            return read()
        except StaleIndex:
            return build()
