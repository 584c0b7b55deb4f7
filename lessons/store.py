"""The learner store: everything the learner did, in one SQLite file (``Paths.store``).

What is kept: the status of every word (per lemma, case-sensitive: "Essen" and "essen" are different words),
a log of status changes (for "known words over time"), exercise attempts, FSRS review cards and their review
log, decisions on suggested corrections, reading progress per lesson, the learner's "Anki list" and
settings. The same file also holds ``translation_cache`` (owned by :mod:`lessons.online`); this module never
creates, reads or drops that table, and nothing here depends on which other tables exist.

Durability
    * WAL journal mode, ``synchronous=FULL``: every committed transaction is fsynced to the WAL before the
      call returns. WAL alone (``NORMAL``) already survives a killed *process* (committed pages sit in the OS
      page cache), but can lose the last commits on power loss or an OS crash; the learner's actions come at
      human pace (a few a second at most), so one fsync each costs nothing noticeable and a confirmed action
      is on disk, full stop.
    * Every public method that writes is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``). Several calls
      can be grouped into one atomic user action with ``with store.transaction(): ...`` (nested use becomes
      a savepoint).

Safety of the file
    * A file that is not an SQLite database, fails ``PRAGMA integrity_check`` or was written by a newer
      Lesestoff (``PRAGMA user_version`` above :data:`SCHEMA_VERSION`) raises :class:`StoreError` with a
      one-line message, before anything is written to it.
    * Before an existing database is migrated, a copy is made next to it with SQLite's backup API
      (``lesestoff.db.bak-v<old version>-<UTC time>``). Migrations run in one transaction together with the
      ``user_version`` bump: all or nothing.

Threads
    One connection (``check_same_thread=False``) guarded by a re-entrant lock; the TUI may call any method
    from worker threads. Several processes (TUI and a CLI command) can share the file: SQLite's locking plus
    a busy timeout.

Times are stored as UTC text of fixed width (``2025-03-04T10:00:00.000000Z``), so text order is time order.
Every method that records a time takes an optional aware ``at``; naive datetimes are refused.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from fsrs import Card, Rating, ReviewLog, Scheduler, State

from lessons import __version__
from lessons.errors import UserError
from lessons.model import CEFR_LEVELS
from lessons.paths import Paths

__all__ = [
    "BACKUP_FORMAT",
    "BACKUP_FORMAT_VERSION",
    "SCHEMA_VERSION",
    "AnkiEntry",
    "Attempt",
    "CardReason",
    "CorrectionDecision",
    "DayCount",
    "Decision",
    "KindAccuracy",
    "LessonProgress",
    "ReviewCard",
    "ReviewEntry",
    "StatusChange",
    "Store",
    "StoreError",
    "WordEntry",
    "WordStatus",
    "add_store_commands",
    "cmd_backup",
    "cmd_restore",
    "open_store",
]

SQLITE_MAGIC: Final = b"SQLite format 3\x00"
BUSY_TIMEOUT_S: Final = 10.0
_CHUNK: Final = 500  # lemmas per IN (...) query


class StoreError(UserError):
    """The store cannot be used as asked; the message (one line) says what to do about it."""


# ---------------------------------------------------------------------------------------------- enums


class WordStatus(StrEnum):
    """How well the learner knows a lemma (as in LWT/Lute). NEW is never stored: no row means new."""

    NEW = "new"
    LEARNING_1 = "learning1"
    LEARNING_2 = "learning2"
    LEARNING_3 = "learning3"
    LEARNING_4 = "learning4"
    KNOWN = "known"
    IGNORED = "ignored"

    @property
    def level(self) -> int | None:
        """0 new, 1–4 learning, 5 known; None for ignored."""
        return _LEVELS[self]

    @property
    def is_learning(self) -> bool:
        return self in _LEARNING

    @classmethod
    def learning(cls, level: int) -> WordStatus:
        """The learning status of ``level`` 1–4."""
        if not 1 <= level <= 4:
            raise ValueError(f"learning level must be 1–4, not {level}")
        return _LEARNING[level - 1]


_LEARNING: Final = (WordStatus.LEARNING_1, WordStatus.LEARNING_2, WordStatus.LEARNING_3, WordStatus.LEARNING_4)
_LEVELS: Final[dict[WordStatus, int | None]] = {
    WordStatus.NEW: 0,
    **{s: i for i, s in enumerate(_LEARNING, start=1)},
    WordStatus.KNOWN: 5,
    WordStatus.IGNORED: None,
}


class CardReason(StrEnum):
    """Why a lemma got a review card."""

    LEARNING = "learning"  # the learner marked it as being learnt
    MISSED = "missed"  # answered wrongly in an exercise
    ADDED = "added"  # added by hand


class Decision(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


# ---------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class WordEntry:
    lemma: str
    status: WordStatus
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Attempt:
    id: int
    lesson_id: str
    kind: str
    prompt: str
    lemma: str | None
    correct: bool
    answer: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ReviewCard:
    lemma: str
    card_id: int
    reason: CardReason
    due: datetime
    state: State
    stability: float | None
    difficulty: float | None
    last_review: datetime | None
    added_at: datetime
    fsrs_json: str = field(repr=False, compare=False)
    """``fsrs.Card.to_dict()`` as JSON; :meth:`card` rebuilds the ``fsrs.Card``."""

    def card(self) -> Card:
        return Card.from_dict(json.loads(self.fsrs_json))


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    id: int
    lemma: str
    rating: Rating
    reviewed_at: datetime
    due: datetime
    """When the card was due next after this review."""


@dataclass(frozen=True, slots=True)
class CorrectionDecision:
    lesson_id: str
    original: str
    corrected: str
    decision: Decision
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class LessonProgress:
    lesson_id: str
    last_sentence: int
    completed: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AnkiEntry:
    lemma: str
    lesson_id: str | None
    context: str | None
    added_at: datetime
    exported_at: datetime | None


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One entry of the status history: ``lemma`` went from ``previous`` to ``status`` at ``at``."""

    lemma: str
    status: WordStatus
    previous: WordStatus
    at: datetime


@dataclass(frozen=True, slots=True)
class KindAccuracy:
    kind: str
    attempts: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0


# ---------------------------------------------------------------------------------------------- times


def _ts(dt: datetime) -> str:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("naive datetime: pass an aware one, e.g. datetime.now(UTC)")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_ts(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        raise ValueError(f"timestamp without time zone: {text!r}")
    return dt.astimezone(UTC)


def _opt_ts(text: str | None) -> datetime | None:
    return None if text is None else _parse_ts(text)


def _local_day(dt: datetime, tz: tzinfo | None) -> date:
    return (dt.astimezone(tz) if tz is not None else dt.astimezone()).date()


# ---------------------------------------------------------------------------------------------- schema

_STATUS_SQL = ", ".join(f"'{s.value}'" for s in WordStatus if s is not WordStatus.NEW)
_ALL_STATUS_SQL = ", ".join(f"'{s.value}'" for s in WordStatus)

_V1: Final[tuple[str, ...]] = (
    f"""CREATE TABLE word_status (
        lemma TEXT PRIMARY KEY NOT NULL CHECK (length(lemma) > 0),
        status TEXT NOT NULL CHECK (status IN ({_STATUS_SQL})),
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        lesson_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        prompt TEXT NOT NULL,
        lemma TEXT,
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        answer TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    """CREATE TABLE review_cards (
        lemma TEXT PRIMARY KEY NOT NULL CHECK (length(lemma) > 0),
        card_id INTEGER NOT NULL UNIQUE,
        reason TEXT NOT NULL CHECK (reason IN ('learning', 'missed', 'added')),
        fsrs TEXT NOT NULL,
        due TEXT NOT NULL,
        added_at TEXT NOT NULL
    )""",
    """CREATE TABLE review_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        lemma TEXT NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_at TEXT NOT NULL,
        due TEXT NOT NULL,
        fsrs_log TEXT NOT NULL
    )""",
    """CREATE TABLE corrections (
        lesson_id TEXT NOT NULL,
        original TEXT NOT NULL,
        corrected TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
        decided_at TEXT NOT NULL,
        PRIMARY KEY (lesson_id, original, corrected)
    )""",
    """CREATE TABLE lesson_progress (
        lesson_id TEXT PRIMARY KEY NOT NULL,
        last_sentence INTEGER NOT NULL DEFAULT 0 CHECK (last_sentence >= 0),
        completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE anki_list (
        lemma TEXT PRIMARY KEY NOT NULL CHECK (length(lemma) > 0),
        lesson_id TEXT,
        context TEXT,
        added_at TEXT NOT NULL
    )""",
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    )""",
)

_V2: Final[tuple[str, ...]] = (
    # History of status changes, for "known words over time"; seeded with each word's current status.
    f"""CREATE TABLE word_status_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        lemma TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ({_ALL_STATUS_SQL})),
        at TEXT NOT NULL
    )""",
    "INSERT INTO word_status_log (lemma, status, at) "
    "SELECT lemma, status, updated_at FROM word_status ORDER BY updated_at, lemma",
    "CREATE INDEX word_status_log_at ON word_status_log (at)",
    "CREATE INDEX review_cards_due ON review_cards (due)",
    "CREATE INDEX review_log_reviewed_at ON review_log (reviewed_at)",
    "CREATE INDEX attempts_kind ON attempts (kind, at)",
    # The Anki exporter notes what it exported, so it can offer "only new ones".
    "ALTER TABLE anki_list ADD COLUMN exported_at TEXT",
)


def _statements(statements: tuple[str, ...]) -> Callable[[sqlite3.Connection], None]:
    def migrate(conn: sqlite3.Connection) -> None:
        for statement in statements:
            conn.execute(statement)

    return migrate


MIGRATIONS: Final[tuple[Callable[[sqlite3.Connection], None], ...]] = (
    _statements(_V1),  # 0 → 1: initial schema
    _statements(_V2),  # 1 → 2: status history, indexes, anki_list.exported_at
)
"""``MIGRATIONS[i]`` takes the schema from version ``i`` to ``i + 1``. Append only; never edit a shipped one."""

SCHEMA_VERSION: Final = len(MIGRATIONS)

USER_TABLES: Final[tuple[str, ...]] = (
    "word_status",
    "word_status_log",
    "attempts",
    "review_cards",
    "review_log",
    "corrections",
    "lesson_progress",
    "anki_list",
    "settings",
)
"""The tables that hold the learner's data (what backup/restore covers), in restore order."""


# ---------------------------------------------------------------------------------------------- row mapping


def _word(row: sqlite3.Row) -> WordEntry:
    return WordEntry(row["lemma"], WordStatus(row["status"]), _parse_ts(row["updated_at"]))


def _attempt(row: sqlite3.Row) -> Attempt:
    return Attempt(
        id=row["id"],
        lesson_id=row["lesson_id"],
        kind=row["kind"],
        prompt=row["prompt"],
        lemma=row["lemma"],
        correct=bool(row["correct"]),
        answer=row["answer"],
        at=_parse_ts(row["at"]),
    )


def _review_card(row: sqlite3.Row) -> ReviewCard:
    data = json.loads(row["fsrs"])
    card = Card.from_dict(data)
    return ReviewCard(
        lemma=row["lemma"],
        card_id=row["card_id"],
        reason=CardReason(row["reason"]),
        due=card.due,
        state=card.state,
        stability=card.stability,
        difficulty=card.difficulty,
        last_review=card.last_review,
        added_at=_parse_ts(row["added_at"]),
        fsrs_json=row["fsrs"],
    )


def _review_entry(row: sqlite3.Row) -> ReviewEntry:
    return ReviewEntry(
        id=row["id"],
        lemma=row["lemma"],
        rating=Rating(row["rating"]),
        reviewed_at=_parse_ts(row["reviewed_at"]),
        due=_parse_ts(row["due"]),
    )


def _correction(row: sqlite3.Row) -> CorrectionDecision:
    return CorrectionDecision(
        row["lesson_id"], row["original"], row["corrected"], Decision(row["decision"]), _parse_ts(row["decided_at"])
    )


def _progress(row: sqlite3.Row) -> LessonProgress:
    return LessonProgress(row["lesson_id"], row["last_sentence"], bool(row["completed"]), _parse_ts(row["updated_at"]))


def _anki(row: sqlite3.Row) -> AnkiEntry:
    return AnkiEntry(
        row["lemma"], row["lesson_id"], row["context"], _parse_ts(row["added_at"]), _opt_ts(row["exported_at"])
    )


def _check_lemma(lemma: str) -> str:
    if not isinstance(lemma, str) or not lemma.strip():
        raise ValueError(f"a lemma must be a non-empty string, not {lemma!r}")
    return lemma


def _rating(rating: Rating | int | str) -> Rating:
    if isinstance(rating, Rating):
        return rating
    if isinstance(rating, str):
        try:
            return Rating[rating.strip().capitalize()]
        except KeyError:
            raise ValueError(f"unknown rating {rating!r} (again, hard, good, easy)") from None
    return Rating(rating)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# ---------------------------------------------------------------------------------------------- the store


class Store:
    """The learner's database. Open with ``Store(path)`` or :func:`open_store`; close with :meth:`close`
    (or use it as a context manager)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        scheduler: Scheduler | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = Path(path)
        self.scheduler = scheduler or Scheduler()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.RLock()
        self._depth = 0
        self.migrated_from: int | None = None
        """The schema version this open migrated from (None if no migration ran)."""
        self.migration_backup: Path | None = None
        """The copy made before migrating, if any."""
        self.restore_backup: Path | None = None
        """The copy of the database made by the last :meth:`restore`."""
        self._conn: sqlite3.Connection | None = self._open()

    # -- opening ----------------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        path = self.path
        existing = path.exists() and path.stat().st_size > 0
        if existing:
            _check_header(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the learner database {path}: {_one_line(exc)}") from exc
        conn.row_factory = sqlite3.Row
        try:
            version = self._check_readable(conn, existing)
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            conn.execute("PRAGMA synchronous=FULL" if mode == "wal" else "PRAGMA synchronous=EXTRA")
            conn.execute("PRAGMA foreign_keys=ON")
            if version < SCHEMA_VERSION:
                self._migrate(conn, version)
            _verify_schema(conn, path)
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"cannot use the learner database {path}: {_one_line(exc)}") from exc
        return conn

    def _check_readable(self, conn: sqlite3.Connection, existing: bool) -> int:
        """Read-only checks before anything is written: a database at all, not from a newer version, intact."""
        path = self.path
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{path} is not a readable Lesestoff database ({_one_line(exc)}); move it aside and "
                "restore a backup with 'lesestoff restore FILE' (the file was left as it is)"
            ) from exc
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer Lesestoff (database version {version}, this one understands "
                f"up to {SCHEMA_VERSION}); update Lesestoff (the file was left as it is)"
            )
        if existing:
            try:
                problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
            except sqlite3.DatabaseError as exc:
                problems = [_one_line(exc)]
            if problems != ["ok"]:
                raise StoreError(
                    f"{path} is damaged (integrity check: {'; '.join(problems)[:200]}); move it aside and "
                    "restore a backup with 'lesestoff restore FILE' (the file was left as it is)"
                )
        return version

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        if version >= 1:
            # Learner data exists: keep a copy of it as it is before changing its schema.
            self.migration_backup = _sqlite_copy(conn, self.path, f"bak-v{version}")
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated between our first look and taking the write lock.
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was just upgraded by a newer Lesestoff (database version {current}); update Lesestoff"
                )
            for step in range(current, SCHEMA_VERSION):
                MIGRATIONS[step](conn)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if current < SCHEMA_VERSION:
            self.migrated_from = current

    # -- lifecycle --------------------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._read() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def _now(self, at: datetime | None) -> str:
        return _ts(at if at is not None else self._clock())

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the learner database {self.path} is closed")
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic user action: everything inside commits together or not at all.

        Nested use is a savepoint: an exception inside undoes only the inner block (if caught outside it).
        Database errors come out as :class:`StoreError`; other exceptions pass through after the rollback.
        """
        with self._lock:
            conn = self._connection()
            if self._depth:
                name = f"sp{self._depth}"
                conn.execute(f"SAVEPOINT {name}")
                self._depth += 1
                try:
                    yield conn
                except BaseException:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                    raise
                else:
                    conn.execute(f"RELEASE {name}")
                finally:
                    self._depth -= 1
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"the learner database {self.path} is busy: {_one_line(exc)}") from exc
            self._depth = 1
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(conn)
                raise StoreError(f"could not save to {self.path}: {_one_line(exc)}") from exc
            except BaseException:
                _rollback(conn)
                raise
            finally:
                self._depth = 0

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._connection()
            try:
                yield conn
            except sqlite3.Error as exc:
                raise StoreError(f"could not read {self.path}: {_one_line(exc)}") from exc

    # -- word status ------------------------------------------------------------------------------------

    def status(self, lemma: str) -> WordStatus:
        with self._read() as conn:
            row = conn.execute("SELECT status FROM word_status WHERE lemma = ?", (lemma,)).fetchone()
        return WordStatus(row[0]) if row else WordStatus.NEW

    def statuses(self, lemmas: Iterable[str] | None = None) -> dict[str, WordStatus]:
        """Status per lemma. With ``lemmas``: every one of them (NEW where there is no row); without: all
        stored (non-new) words."""
        with self._read() as conn:
            if lemmas is None:
                return {r[0]: WordStatus(r[1]) for r in conn.execute("SELECT lemma, status FROM word_status")}
            wanted = list(dict.fromkeys(lemmas))
            found: dict[str, WordStatus] = {}
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for r in conn.execute(f"SELECT lemma, status FROM word_status WHERE lemma IN ({marks})", chunk):
                    found[r[0]] = WordStatus(r[1])
        return {lemma: found.get(lemma, WordStatus.NEW) for lemma in wanted}

    def word(self, lemma: str) -> WordEntry | None:
        with self._read() as conn:
            row = conn.execute("SELECT * FROM word_status WHERE lemma = ?", (lemma,)).fetchone()
        return _word(row) if row else None

    def words(self, status: WordStatus | None = None) -> list[WordEntry]:
        with self._read() as conn:
            if status is None:
                rows = conn.execute("SELECT * FROM word_status ORDER BY lemma").fetchall()
            else:
                rows = conn.execute(
                    "SELECT * FROM word_status WHERE status = ? ORDER BY lemma", (WordStatus(status).value,)
                ).fetchall()
        return [_word(r) for r in rows]

    def count_by_status(self) -> dict[WordStatus, int]:
        """Stored words per status (NEW is not counted: it is everything else)."""
        with self._read() as conn:
            rows = conn.execute("SELECT status, COUNT(*) FROM word_status GROUP BY status").fetchall()
        counts = {s: 0 for s in WordStatus if s is not WordStatus.NEW}
        counts.update({WordStatus(r[0]): r[1] for r in rows})
        return counts

    def set_status(self, lemma: str, status: WordStatus | str, *, at: datetime | None = None) -> WordStatus:
        """Set a word's status (NEW removes its row). Returns the previous status."""
        return self.set_statuses({lemma: status}, at=at)[lemma]

    def set_statuses(
        self, changes: Mapping[str, WordStatus | str], *, at: datetime | None = None
    ) -> dict[str, WordStatus]:
        """Set several statuses in one transaction ("mark all remaining words known"). Returns the previous
        status of each lemma. Unchanged words are not touched (their ``updated_at`` stays)."""
        wanted = {_check_lemma(lemma): WordStatus(status) for lemma, status in changes.items()}
        now = self._now(at)
        with self.transaction() as conn:
            before = self.statuses(wanted)
            log = []
            for lemma, status in wanted.items():
                if before[lemma] is status:
                    continue
                if status is WordStatus.NEW:
                    conn.execute("DELETE FROM word_status WHERE lemma = ?", (lemma,))
                else:
                    conn.execute(
                        "INSERT INTO word_status (lemma, status, updated_at) VALUES (?, ?, ?) "
                        "ON CONFLICT (lemma) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
                        (lemma, status.value, now),
                    )
                log.append((lemma, status.value, now))
            conn.executemany("INSERT INTO word_status_log (lemma, status, at) VALUES (?, ?, ?)", log)
        return before

    # -- exercise attempts ------------------------------------------------------------------------------

    def record_attempt(
        self,
        lesson_id: str,
        kind: str,
        prompt: str,
        correct: bool,
        answer: str,
        *,
        lemma: str | None = None,
        at: datetime | None = None,
    ) -> Attempt:
        now = self._now(at)
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO attempts (lesson_id, kind, prompt, lemma, correct, answer, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (lesson_id, kind, prompt, lemma, int(bool(correct)), answer, now),
            )
            row_id = int(cursor.lastrowid or 0)
        return Attempt(row_id, lesson_id, kind, prompt, lemma, bool(correct), answer, _parse_ts(now))

    def attempts(self, *, lesson_id: str | None = None, kind: str | None = None) -> list[Attempt]:
        where, args = [], []
        if lesson_id is not None:
            where.append("lesson_id = ?")
            args.append(lesson_id)
        if kind is not None:
            where.append("kind = ?")
            args.append(kind)
        sql = "SELECT * FROM attempts" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        with self._read() as conn:
            return [_attempt(r) for r in conn.execute(sql, args)]

    # -- review cards (FSRS) ----------------------------------------------------------------------------

    def add_card(
        self, lemma: str, reason: CardReason | str = CardReason.ADDED, *, at: datetime | None = None
    ) -> ReviewCard:
        """A review card for ``lemma``, due now. Idempotent: an existing card is returned unchanged (its
        reason and schedule stay)."""
        _check_lemma(lemma)
        reason = CardReason(reason)
        now = self._now(at)
        with self.transaction() as conn:
            row = conn.execute("SELECT * FROM review_cards WHERE lemma = ?", (lemma,)).fetchone()
            if row is None:
                # An explicit id (fsrs's default sleeps 1 ms to make a unique one): epoch ms, kept unique.
                top = conn.execute("SELECT MAX(card_id) FROM review_cards").fetchone()[0] or 0
                card_id = max(int(_parse_ts(now).timestamp() * 1000), top + 1)
                card = Card(card_id=card_id, due=_parse_ts(now))
                conn.execute(
                    "INSERT INTO review_cards (lemma, card_id, reason, fsrs, due, added_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (lemma, card_id, reason.value, json.dumps(card.to_dict()), _ts(card.due), now),
                )
                row = conn.execute("SELECT * FROM review_cards WHERE lemma = ?", (lemma,)).fetchone()
        return _review_card(row)

    def card(self, lemma: str) -> ReviewCard | None:
        with self._read() as conn:
            row = conn.execute("SELECT * FROM review_cards WHERE lemma = ?", (lemma,)).fetchone()
        return _review_card(row) if row else None

    def cards(self) -> list[ReviewCard]:
        with self._read() as conn:
            return [_review_card(r) for r in conn.execute("SELECT * FROM review_cards ORDER BY due, lemma")]

    def remove_card(self, lemma: str) -> bool:
        """Delete a card (its review log stays, for statistics). True if there was one."""
        with self.transaction() as conn:
            return conn.execute("DELETE FROM review_cards WHERE lemma = ?", (lemma,)).rowcount > 0

    def due_cards(self, now: datetime | None = None, *, limit: int | None = None) -> list[ReviewCard]:
        """Cards due at ``now`` (default: the clock), most overdue first."""
        moment = self._now(now)
        sql = "SELECT * FROM review_cards WHERE due <= ? ORDER BY due, lemma"
        args: list[Any] = [moment]
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        with self._read() as conn:
            return [_review_card(r) for r in conn.execute(sql, args)]

    def schedule_review(
        self,
        lemma: str,
        rating: Rating | int | str,
        *,
        at: datetime | None = None,
        duration_ms: int | None = None,
    ) -> datetime:
        """Record an answer to ``lemma``'s card and reschedule it with FSRS. Returns the next due time.
        Raises ``KeyError`` if the lemma has no card (see :meth:`add_card`)."""
        rating = _rating(rating)
        moment = _parse_ts(self._now(at))
        with self.transaction() as conn:
            row = conn.execute("SELECT fsrs FROM review_cards WHERE lemma = ?", (lemma,)).fetchone()
            if row is None:
                raise KeyError(f"no review card for {lemma!r}")
            card, review = self.scheduler.review_card(
                Card.from_dict(json.loads(row[0])), rating, review_datetime=moment, review_duration=duration_ms
            )
            due = _ts(card.due)
            conn.execute(
                "UPDATE review_cards SET fsrs = ?, due = ? WHERE lemma = ?",
                (json.dumps(card.to_dict()), due, lemma),
            )
            conn.execute(
                "INSERT INTO review_log (lemma, rating, reviewed_at, due, fsrs_log) VALUES (?, ?, ?, ?, ?)",
                (lemma, int(rating), _ts(moment), due, json.dumps(review.to_dict())),
            )
        return card.due

    def review_log(self, lemma: str | None = None) -> list[ReviewEntry]:
        with self._read() as conn:
            if lemma is None:
                rows = conn.execute("SELECT * FROM review_log ORDER BY id").fetchall()
            else:
                rows = conn.execute("SELECT * FROM review_log WHERE lemma = ? ORDER BY id", (lemma,)).fetchall()
        return [_review_entry(r) for r in rows]

    # -- corrections ------------------------------------------------------------------------------------

    def decide_correction(
        self,
        lesson_id: str,
        original: str,
        corrected: str,
        decision: Decision | str,
        *,
        at: datetime | None = None,
    ) -> CorrectionDecision:
        """Remember that the learner accepted or rejected a correction (a later decision replaces it)."""
        decision = Decision(decision)
        now = self._now(at)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO corrections (lesson_id, original, corrected, decision, decided_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (lesson_id, original, corrected) "
                "DO UPDATE SET decision = excluded.decision, decided_at = excluded.decided_at",
                (lesson_id, original, corrected, decision.value, now),
            )
        return CorrectionDecision(lesson_id, original, corrected, decision, _parse_ts(now))

    def correction_decisions(self, lesson_id: str | None = None) -> list[CorrectionDecision]:
        with self._read() as conn:
            if lesson_id is None:
                rows = conn.execute("SELECT * FROM corrections ORDER BY lesson_id, decided_at").fetchall()
            else:
                rows = conn.execute(
                    "SELECT * FROM corrections WHERE lesson_id = ? ORDER BY decided_at", (lesson_id,)
                ).fetchall()
        return [_correction(r) for r in rows]

    # -- lesson progress --------------------------------------------------------------------------------

    def save_progress(
        self,
        lesson_id: str,
        *,
        last_sentence: int | None = None,
        completed: bool | None = None,
        at: datetime | None = None,
    ) -> LessonProgress:
        """Update what is given (the rest stays; a new lesson starts at sentence 0, not completed)."""
        if last_sentence is not None and last_sentence < 0:
            raise ValueError(f"last_sentence must be >= 0, not {last_sentence}")
        now = self._now(at)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO lesson_progress (lesson_id, last_sentence, completed, updated_at) "
                "VALUES (?, COALESCE(?, 0), COALESCE(?, 0), ?) ON CONFLICT (lesson_id) DO UPDATE SET "
                "last_sentence = COALESCE(?, last_sentence), completed = COALESCE(?, completed), "
                "updated_at = excluded.updated_at",
                (
                    lesson_id,
                    last_sentence,
                    None if completed is None else int(completed),
                    now,
                    last_sentence,
                    None if completed is None else int(completed),
                ),
            )
            row = conn.execute("SELECT * FROM lesson_progress WHERE lesson_id = ?", (lesson_id,)).fetchone()
        return _progress(row)

    def progress(self, lesson_id: str) -> LessonProgress | None:
        with self._read() as conn:
            row = conn.execute("SELECT * FROM lesson_progress WHERE lesson_id = ?", (lesson_id,)).fetchone()
        return _progress(row) if row else None

    def all_progress(self) -> dict[str, LessonProgress]:
        with self._read() as conn:
            return {r["lesson_id"]: _progress(r) for r in conn.execute("SELECT * FROM lesson_progress")}

    # -- anki list --------------------------------------------------------------------------------------

    def add_to_anki(
        self,
        lemma: str,
        *,
        lesson_id: str | None = None,
        context: str | None = None,
        at: datetime | None = None,
    ) -> AnkiEntry:
        """Put a lemma on the export list. Idempotent: an entry already there is kept as it is."""
        _check_lemma(lemma)
        now = self._now(at)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO anki_list (lemma, lesson_id, context, added_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (lemma) DO NOTHING",
                (lemma, lesson_id, context, now),
            )
            row = conn.execute("SELECT * FROM anki_list WHERE lemma = ?", (lemma,)).fetchone()
        return _anki(row)

    def remove_from_anki(self, lemma: str) -> bool:
        with self.transaction() as conn:
            return conn.execute("DELETE FROM anki_list WHERE lemma = ?", (lemma,)).rowcount > 0

    def anki_list(self, *, unexported_only: bool = False) -> list[AnkiEntry]:
        sql = "SELECT * FROM anki_list" + (" WHERE exported_at IS NULL" if unexported_only else "")
        with self._read() as conn:
            return [_anki(r) for r in conn.execute(sql + " ORDER BY added_at, lemma")]

    def mark_exported(self, lemmas: Iterable[str], *, at: datetime | None = None) -> int:
        now = self._now(at)
        with self.transaction() as conn:
            return sum(
                conn.execute("UPDATE anki_list SET exported_at = ? WHERE lemma = ?", (now, lemma)).rowcount
                for lemma in dict.fromkeys(lemmas)
            )

    # -- settings ---------------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._read() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value (``None`` deletes the setting)."""
        with self.transaction() as conn:
            if value is None:
                conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value, ensure_ascii=False)),
                )

    def settings(self) -> dict[str, Any]:
        with self._read() as conn:
            return {r[0]: json.loads(r[1]) for r in conn.execute("SELECT key, value FROM settings ORDER BY key")}

    def learner_level(self) -> str | None:
        level = self.get_setting("learner_level")
        return level if level in CEFR_LEVELS else None

    def set_learner_level(self, level: str) -> None:
        if level not in CEFR_LEVELS:
            raise ValueError(f"unknown CEFR level {level!r} (one of {', '.join(CEFR_LEVELS)})")
        self.set_setting("learner_level", level)

    # -- statistics -------------------------------------------------------------------------------------

    def known_words_over_time(self, *, tz: tzinfo | None = None) -> list[DayCount]:
        """Words with status KNOWN at the end of each day, from the first status change to the last one
        (every day in between, in ``tz``, default: the local time zone)."""
        with self._read() as conn:
            rows = conn.execute("SELECT lemma, status, at FROM word_status_log ORDER BY at, id").fetchall()
        current: dict[str, str] = {}
        known = 0
        per_day: dict[date, int] = {}
        for lemma, status, at in rows:
            was_known = current.get(lemma) == WordStatus.KNOWN
            current[lemma] = status
            known += (status == WordStatus.KNOWN) - was_known
            per_day[_local_day(_parse_ts(at), tz)] = known
        return _fill_days(per_day)

    def status_changes(self, *, since: datetime | None = None, until: datetime | None = None) -> list[StatusChange]:
        """Status changes with ``since <= at <= until`` (either bound optional), oldest first, each with the
        status the word had before (NEW for its first entry)."""
        sql = (
            "SELECT lemma, status, at, previous FROM (SELECT id, lemma, status, at, "
            "LAG(status) OVER (PARTITION BY lemma ORDER BY at, id) AS previous FROM word_status_log)"
        )
        where, args = [], []
        if since is not None:
            where.append("at >= ?")
            args.append(_ts(since))
        if until is not None:
            where.append("at <= ?")
            args.append(_ts(until))
        sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY at, id"
        with self._read() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [
            StatusChange(r[0], WordStatus(r[1]), WordStatus(r[3] or WordStatus.NEW.value), _parse_ts(r[2]))
            for r in rows
        ]

    def reviews_per_day(self, *, tz: tzinfo | None = None) -> list[DayCount]:
        """Reviews done on each day that had any (in ``tz``, default: the local time zone)."""
        with self._read() as conn:
            rows = conn.execute("SELECT reviewed_at FROM review_log").fetchall()
        counts = Counter(_local_day(_parse_ts(r[0]), tz) for r in rows)
        return [DayCount(day, n) for day, n in sorted(counts.items())]

    def accuracy_by_kind(self, *, since: datetime | None = None) -> list[KindAccuracy]:
        sql = "SELECT kind, COUNT(*), SUM(correct) FROM attempts"
        args: list[Any] = []
        if since is not None:
            sql += " WHERE at >= ?"
            args.append(_ts(since))
        with self._read() as conn:
            rows = conn.execute(sql + " GROUP BY kind ORDER BY kind", args).fetchall()
        return [KindAccuracy(r[0], r[1], r[2] or 0) for r in rows]

    # -- backup / restore -------------------------------------------------------------------------------

    def export_data(self) -> dict[str, Any]:
        """The learner's data as a JSON-ready dict (one consistent snapshot)."""
        with self._read() as conn:
            own = not conn.in_transaction
            if own:
                conn.execute("BEGIN")  # one read snapshot for all tables
            try:
                tables = {
                    table: [_export_row(table, row) for row in conn.execute(_select_sql(table))]
                    for table in USER_TABLES
                }
            finally:
                if own:
                    conn.execute("COMMIT")
        return {
            "format": BACKUP_FORMAT,
            "format_version": BACKUP_FORMAT_VERSION,
            "schema_version": SCHEMA_VERSION,
            "app_version": __version__,
            "exported_at": _ts(self._clock()),
            "tables": tables,
        }

    def backup(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> dict[str, int]:
        """Write the learner's data to a JSON file (atomically). Returns rows per table."""
        target = Path(path)
        if target.exists() and not overwrite:
            raise StoreError(f"{target} already exists; choose another name or pass --force to overwrite it")
        data = self.export_data()
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        try:
            _atomic_write(target, text)
        except OSError as exc:
            raise StoreError(f"cannot write the backup {target}: {_one_line(exc)}") from exc
        return {table: len(rows) for table, rows in data["tables"].items()}

    def restore(self, path: str | os.PathLike[str], *, keep_copy: bool = True) -> dict[str, int]:
        """Replace the learner's data with a backup file: validated first, then one transaction (all or
        nothing). With ``keep_copy``, the database as it was is first copied next to it
        (``lesestoff.db.bak-restore-<time>``, see :attr:`restore_backup`). Returns rows per table."""
        source = Path(path)
        with self._lock:  # held by this thread only if it is inside a transaction
            nested = self._depth > 0
        if nested:
            raise StoreError("restore cannot run inside another transaction; nothing was changed")
        try:
            raw = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise StoreError(f"{source}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(f"{source}: cannot read it as a Lesestoff backup ({_one_line(exc)})") from exc
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise StoreError(
                f"{source} is not a Lesestoff backup (invalid JSON at line {exc.lineno}, column {exc.colno}); "
                "nothing was changed"
            ) from None
        try:
            rows = validate_backup(data)
        except _Invalid as exc:
            raise StoreError(f"{source} is not a valid Lesestoff backup ({exc}); nothing was changed") from None
        with self._lock:
            if keep_copy:
                self.restore_backup = _sqlite_copy(self._connection(), self.path, "bak-restore")
            try:
                with self.transaction() as conn:
                    for table in reversed(USER_TABLES):
                        conn.execute(f"DELETE FROM {table}")
                    # AUTOINCREMENT counters restart from the restored rows (only our tables' entries).
                    marks = ", ".join("?" * len(USER_TABLES))
                    conn.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({marks})", USER_TABLES)
                    for table in USER_TABLES:
                        for row in rows[table]:
                            columns = ", ".join(row)
                            marks = ", ".join("?" * len(row))
                            conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
            except StoreError as exc:
                raise StoreError(f"{source} could not be restored ({exc.message}); nothing was changed") from exc
        return {table: len(table_rows) for table, table_rows in rows.items()}


def open_store(paths: Paths, **kwargs: Any) -> Store:
    """The store of a data dir (creating the dir and the database if needed)."""
    return Store(paths.store, **kwargs)


# ---------------------------------------------------------------------------------------------- helpers


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise StoreError(f"cannot read the learner database {path}: {_one_line(exc)}") from exc
    if not head.startswith(SQLITE_MAGIC) or len(head) < 100:
        raise StoreError(
            f"{path} is not a Lesestoff database (not an SQLite file); move it aside and restore a backup "
            "with 'lesestoff restore FILE' (the file was left as it is)"
        )


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _sqlite_copy(conn: sqlite3.Connection, db: Path, label: str) -> Path:
    """A consistent copy of the database next to it, via SQLite's backup API (written under a temporary
    name and renamed, so a copy that exists is complete)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = db.with_name(f"{db.name}.{label}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = db.with_name(f"{db.name}.{label}-{stamp}-{n}")
    partial = target.with_name(target.name + ".partial")
    try:
        dest = sqlite3.connect(partial)
        try:
            conn.backup(dest)
        finally:
            dest.close()
        _fsync(partial)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except (sqlite3.Error, OSError) as exc:
        with suppress(OSError):
            partial.unlink()
        raise StoreError(
            f"could not copy {db} to {target} before changing it ({_one_line(exc)}); nothing was changed"
        ) from exc
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with suppress(OSError):
        _fsync(path)


def _atomic_write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def _fill_days(per_day: Mapping[date, int]) -> list[DayCount]:
    if not per_day:
        return []
    days = sorted(per_day)
    out: list[DayCount] = []
    value = 0
    day = days[0]
    while day <= days[-1]:
        value = per_day.get(day, value)
        out.append(DayCount(day, value))
        day = date.fromordinal(day.toordinal() + 1)
    return out


def _verify_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Every table and column this code uses is there (guards against a foreign ``user_version``)."""
    for table, columns in _COLUMNS.items():
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        missing = [c for c in columns if c not in have]
        if missing:
            raise StoreError(
                f"{path} does not have the expected layout (table {table} lacks {', '.join(missing)}); "
                "move it aside and restore a backup with 'lesestoff restore FILE'"
            )


# ---------------------------------------------------------------------------------------------- backup format

BACKUP_FORMAT: Final = "lesestoff-learner-data"
BACKUP_FORMAT_VERSION: Final = 1


class _Invalid(ValueError):
    pass


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"expected text, got {type(value).__name__}")
    return value


def _lemma_value(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid("expected a non-empty lemma")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"expected an integer, got {value!r}")
    return value


def _bool(value: Any) -> int:
    if not isinstance(value, bool):
        raise _Invalid(f"expected true or false, got {value!r}")
    return int(value)


def _time(value: Any) -> str:
    try:
        return _ts(_parse_ts(_text(value)))
    except ValueError as exc:
        raise _Invalid(f"expected a time with zone, got {value!r}") from exc


def _choice(values: Iterable[str]) -> Callable[[Any], str]:
    allowed = tuple(values)

    def check(value: Any) -> str:
        if value not in allowed:
            raise _Invalid(f"{value!r} is not one of {', '.join(allowed)}")
        return str(value)

    return check


def _json_any(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _fsrs_card(value: Any) -> str:
    if not isinstance(value, dict):
        raise _Invalid("expected an FSRS card object")
    try:
        card = Card.from_dict(value)
        _ts(card.due)
    except Exception as exc:
        raise _Invalid(f"not an FSRS card ({_one_line(exc)})") from exc
    return json.dumps(card.to_dict())


def _fsrs_log(value: Any) -> str:
    if not isinstance(value, dict):
        raise _Invalid("expected an FSRS review log object")
    try:
        return json.dumps(ReviewLog.from_dict(value).to_dict())
    except Exception as exc:
        raise _Invalid(f"not an FSRS review log ({_one_line(exc)})") from exc


def _nullable(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def inner(value: Any) -> Any:
        return None if value is None else check(value)

    return inner


def _rating_value(value: Any) -> int:
    n = _int(value)
    if not 1 <= n <= 4:
        raise _Invalid(f"a rating is 1–4, not {n}")
    return n


def _sentence_index(value: Any) -> int:
    n = _int(value)
    if n < 0:
        raise _Invalid(f"expected a sentence index >= 0, got {n}")
    return n


_Column = tuple[str, Callable[[Any], Any]]

_SPEC: Final[dict[str, tuple[_Column, ...]]] = {
    "word_status": (
        ("lemma", _lemma_value),
        ("status", _choice(s.value for s in WordStatus if s is not WordStatus.NEW)),
        ("updated_at", _time),
    ),
    "word_status_log": (
        ("id", _int),
        ("lemma", _lemma_value),
        ("status", _choice(s.value for s in WordStatus)),
        ("at", _time),
    ),
    "attempts": (
        ("id", _int),
        ("lesson_id", _text),
        ("kind", _text),
        ("prompt", _text),
        ("lemma", _nullable(_text)),
        ("correct", _bool),
        ("answer", _text),
        ("at", _time),
    ),
    "review_cards": (
        ("lemma", _lemma_value),
        ("card_id", _int),
        ("reason", _choice(r.value for r in CardReason)),
        ("fsrs", _fsrs_card),
        ("added_at", _time),
    ),
    "review_log": (
        ("id", _int),
        ("lemma", _lemma_value),
        ("rating", _rating_value),
        ("reviewed_at", _time),
        ("due", _time),
        ("fsrs_log", _fsrs_log),
    ),
    "corrections": (
        ("lesson_id", _text),
        ("original", _text),
        ("corrected", _text),
        ("decision", _choice(d.value for d in Decision)),
        ("decided_at", _time),
    ),
    "lesson_progress": (
        ("lesson_id", _text),
        ("last_sentence", _sentence_index),
        ("completed", _bool),
        ("updated_at", _time),
    ),
    "anki_list": (
        ("lemma", _lemma_value),
        ("lesson_id", _nullable(_text)),
        ("context", _nullable(_text)),
        ("added_at", _time),
        ("exported_at", _nullable(_time)),
    ),
    "settings": (("key", _text), ("value", _json_any)),
}
"""Columns of each table in the backup format, with a check that turns a JSON value into the stored value.
Derived columns (``review_cards.due``) are not in the file; they are computed on restore."""

_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    table: tuple(name for name, _ in columns) + (("due",) if table == "review_cards" else ())
    for table, columns in _SPEC.items()
}
_JSON_COLUMNS: Final = {("review_cards", "fsrs"), ("review_log", "fsrs_log"), ("settings", "value")}
_BOOL_COLUMNS: Final = {("attempts", "correct"), ("lesson_progress", "completed")}
_UNIQUE: Final[dict[str, tuple[str, ...]]] = {
    "word_status": ("lemma",),
    "word_status_log": ("id",),
    "attempts": ("id",),
    "review_cards": ("lemma",),
    "review_log": ("id",),
    "corrections": ("lesson_id", "original", "corrected"),
    "lesson_progress": ("lesson_id",),
    "anki_list": ("lemma",),
    "settings": ("key",),
}


def _select_sql(table: str) -> str:
    columns = ", ".join(name for name, _ in _SPEC[table])
    order = ", ".join(_UNIQUE[table])
    return f"SELECT {columns} FROM {table} ORDER BY {order}"


def _export_row(table: str, row: sqlite3.Row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, _ in _SPEC[table]:
        value = row[name]
        if (table, name) in _JSON_COLUMNS:
            value = json.loads(value)
        elif (table, name) in _BOOL_COLUMNS:
            value = bool(value)
        out[name] = value
    return out


def validate_backup(data: Any) -> dict[str, list[dict[str, Any]]]:
    """Check a parsed backup file completely; returns the rows to insert per table (database values).
    Raises ``ValueError`` (with the place of the first problem) if anything is wrong."""
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise _Invalid(f'no "format": "{BACKUP_FORMAT}" marker')
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _Invalid("missing or bad format_version")
    if version > BACKUP_FORMAT_VERSION:
        raise _Invalid(
            f"format version {version} is from a newer Lesestoff (this one reads up to {BACKUP_FORMAT_VERSION})"
        )
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise _Invalid('missing "tables"')
    unknown = sorted(set(tables) - set(_SPEC))
    if unknown:
        raise _Invalid(f"unknown table {unknown[0]!r}")
    out: dict[str, list[dict[str, Any]]] = {}
    for table, columns in _SPEC.items():
        if table not in tables:
            raise _Invalid(f"table {table!r} is missing")
        rows = tables[table]
        if not isinstance(rows, list):
            raise _Invalid(f"tables.{table} is not a list")
        names = [name for name, _ in columns]
        seen: set[tuple[Any, ...]] = set()
        converted = []
        for i, row in enumerate(rows):
            where = f"tables.{table}[{i}]"
            if not isinstance(row, dict):
                raise _Invalid(f"{where} is not an object")
            extra = sorted(set(row) - set(names))
            if extra:
                raise _Invalid(f"{where} has unknown field {extra[0]!r}")
            values: dict[str, Any] = {}
            for name, check in columns:
                if name not in row:
                    raise _Invalid(f"{where}.{name} is missing")
                try:
                    values[name] = check(row[name])
                except _Invalid as exc:
                    raise _Invalid(f"{where}.{name}: {exc}") from None
            key = tuple(values[k] for k in _UNIQUE[table])
            if key in seen:
                raise _Invalid(f"{where} repeats {', '.join(_UNIQUE[table])} {key!r}")
            seen.add(key)
            if table == "review_cards":
                card = json.loads(values["fsrs"])
                if card.get("card_id") != values["card_id"]:
                    raise _Invalid(f"{where}: card_id differs from fsrs.card_id")
                values["due"] = _ts(Card.from_dict(card).due)
            converted.append(values)
        if table == "review_cards":
            ids = [r["card_id"] for r in converted]
            if len(ids) != len(set(ids)):
                raise _Invalid("tables.review_cards repeats a card_id")
        out[table] = converted
    return out


# ---------------------------------------------------------------------------------------------- CLI


def add_store_commands(subparsers: Any) -> None:
    """Register ``lesestoff backup FILE`` and ``lesestoff restore FILE`` (handlers take ``(args, paths)``)."""
    p = subparsers.add_parser(
        "backup", help="save the learner's data (word statuses, reviews, progress, settings) to a JSON file"
    )
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser(
        "restore",
        help="replace the learner's data with a backup made by 'lesestoff backup' "
        "(checked first; all or nothing; the current data is kept as a copy)",
    )
    p.add_argument("file", metavar="FILE", type=Path)
    p.set_defaults(func=cmd_restore)


def _summary(counts: Mapping[str, int]) -> str:
    labels = {
        "word_status": "words",
        "review_cards": "review cards",
        "review_log": "reviews",
        "attempts": "exercise answers",
        "lesson_progress": "lessons in progress",
        "anki_list": "Anki list entries",
        "corrections": "correction decisions",
        "settings": "settings",
    }
    return ", ".join(f"{counts.get(table, 0)} {label}" for table, label in labels.items())


def cmd_backup(args: argparse.Namespace, paths: Paths) -> int:
    with open_store(paths) as store:
        counts = store.backup(args.file, overwrite=args.force)
    print(f"Saved {_summary(counts)} to {args.file}")
    return 0


def cmd_restore(args: argparse.Namespace, paths: Paths) -> int:
    with open_store(paths) as store:
        counts = store.restore(args.file)
        kept = store.restore_backup
    print(f"Restored {_summary(counts)} from {args.file}")
    if kept is not None:
        print(f"The data as it was before is kept in {kept}")
    return 0
