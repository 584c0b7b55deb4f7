"""The learner store: statuses, FSRS reviews, migrations, damaged files, crash safety, backup/restore, stats."""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from lessons import store as store_mod
from lessons.errors import UserError
from lessons.paths import Paths
from lessons.store import (
    SCHEMA_VERSION,
    AnkiEntry,
    CardReason,
    DayCount,
    Decision,
    KindAccuracy,
    Store,
    StoreError,
    WordStatus,
    add_store_commands,
    open_store,
)

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)

# The schema of version 1 exactly as it shipped; written out here (not imported) so a later edit of the
# code cannot silently change what "a version-1 database" means.
V1_DDL = """
CREATE TABLE word_status (
    lemma TEXT PRIMARY KEY NOT NULL CHECK (length(lemma) > 0),
    status TEXT NOT NULL CHECK (status IN ('learning1', 'learning2', 'learning3', 'learning4', 'known', 'ignored')),
    updated_at TEXT NOT NULL
);
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lesson_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    lemma TEXT,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answer TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE review_cards (
    lemma TEXT PRIMARY KEY NOT NULL CHECK (length(lemma) > 0),
    card_id INTEGER NOT NULL UNIQUE,
    reason TEXT NOT NULL CHECK (reason IN ('learning', 'missed', 'added')),
    fsrs TEXT NOT NULL,
    due TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE review_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lemma TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    reviewed_at TEXT NOT NULL,
    due TEXT NOT NULL,
    fsrs_log TEXT NOT NULL
);
CREATE TABLE corrections (
    lesson_id TEXT NOT NULL,
    original TEXT NOT NULL,
    corrected TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    decided_at TEXT NOT NULL,
    PRIMARY KEY (lesson_id, original, corrected)
);
CREATE TABLE lesson_progress (
    lesson_id TEXT PRIMARY KEY NOT NULL,
    last_sentence INTEGER NOT NULL DEFAULT 0 CHECK (last_sentence >= 0),
    completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
    updated_at TEXT NOT NULL
);
CREATE TABLE anki_list (
    lemma TEXT PRIMARY KEY NOT NULL CHECK (length(lemma) > 0),
    lesson_id TEXT,
    context TEXT,
    added_at TEXT NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
PRAGMA user_version = 1;
"""

# The other module's table in the same file (lessons/online.py): must survive everything here.
TRANSLATION_CACHE_DDL = """
CREATE TABLE IF NOT EXISTS translation_cache (
    backend TEXT NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('word', 'sentence')), text TEXT NOT NULL, results TEXT NOT NULL,
    fetched_at TEXT NOT NULL, PRIMARY KEY (backend, source_lang, target_lang, kind, text)
);
INSERT INTO translation_cache VALUES ('google', 'de', 'en', 'word', 'Essen', '["food"]', '2025-01-01T00:00:00');
"""


class Clock:
    """A settable clock for the store."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "lesestoff.db"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db: Path, clock: Clock):
    with Store(db, clock=clock) as s:
        yield s


def user_data(s: Store) -> dict:
    data = s.export_data()
    data.pop("exported_at")
    return data


def files_in(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


# ----------------------------------------------------------------------------------------------- statuses


def test_status_round_trip_is_case_sensitive(db: Path, clock: Clock) -> None:
    with Store(db, clock=clock) as s:
        assert s.status("Essen") is WordStatus.NEW
        assert s.set_status("Essen", WordStatus.KNOWN) is WordStatus.NEW
        s.set_status("essen", "learning2")
        s.set_status("ESSEN", WordStatus.IGNORED)
        s.set_status("Haus", WordStatus.LEARNING_1)
        assert s.set_status("Haus", WordStatus.NEW) is WordStatus.LEARNING_1  # back to new: row removed

    with Store(db, clock=clock) as s:  # persisted
        assert s.status("Essen") is WordStatus.KNOWN
        assert s.status("essen") is WordStatus.LEARNING_2
        assert s.status("ESSEN") is WordStatus.IGNORED
        assert s.status("Haus") is WordStatus.NEW
        assert s.word("Haus") is None
        assert s.statuses(["essen", "Essen", "eSSen"]) == {
            "essen": WordStatus.LEARNING_2,
            "Essen": WordStatus.KNOWN,
            "eSSen": WordStatus.NEW,
        }
        assert [w.lemma for w in s.words()] == ["ESSEN", "Essen", "essen"]
        assert [w.lemma for w in s.words(WordStatus.KNOWN)] == ["Essen"]
        entry = s.word("Essen")
        assert entry is not None and entry.updated_at == T0
        counts = s.count_by_status()
        assert counts[WordStatus.KNOWN] == 1 and counts[WordStatus.LEARNING_2] == 1
        assert counts[WordStatus.LEARNING_1] == 0 and WordStatus.NEW not in counts

        # Setting the same status again changes nothing, not even the time.
        clock.advance(days=1)
        s.set_status("Essen", WordStatus.KNOWN)
        assert s.word("Essen").updated_at == T0  # type: ignore[union-attr]

        with pytest.raises(ValueError):
            s.set_status("  ", WordStatus.KNOWN)
        with pytest.raises(ValueError):
            s.set_status("Essen", "gut")
        with pytest.raises(ValueError, match="naive"):
            s.set_status("Brot", WordStatus.KNOWN, at=datetime(2025, 1, 1))


def test_status_levels() -> None:
    assert WordStatus.NEW.level == 0 and WordStatus.KNOWN.level == 5 and WordStatus.IGNORED.level is None
    assert [WordStatus.learning(n).level for n in range(1, 5)] == [1, 2, 3, 4]
    assert WordStatus.LEARNING_3.is_learning and not WordStatus.KNOWN.is_learning
    with pytest.raises(ValueError):
        WordStatus.learning(5)


def test_bulk_statuses_many_lemmas(store: Store) -> None:
    lemmas = [f"Wort{i}" for i in range(1300)]  # more than one IN (...) chunk
    store.set_statuses({lemma: WordStatus.KNOWN for lemma in lemmas[::2]})
    got = store.statuses(lemmas)
    assert len(got) == 1300
    assert sum(s is WordStatus.KNOWN for s in got.values()) == 650


# ----------------------------------------------------------------------------------------------- FSRS


def test_fsrs_scheduling_round_trip(db: Path, clock: Clock) -> None:
    now = T0
    with Store(db, clock=clock) as s:
        good = s.add_card("Essen", CardReason.LEARNING)
        again = s.add_card("essen", CardReason.MISSED)
        assert good.card_id != again.card_id  # explicit ids, unique even within one millisecond
        assert s.add_card("Essen", CardReason.ADDED) == good  # idempotent: reason and schedule kept
        assert s.card("Essen").reason is CardReason.LEARNING  # type: ignore[union-attr]
        assert [c.lemma for c in s.due_cards(now)] == ["Essen", "essen"]

        due_good = s.schedule_review("Essen", "good", at=now)
        due_again = s.schedule_review("essen", store_mod.Rating.Again, at=now)
        assert due_good > now and due_again > now
        assert due_again < due_good
        assert s.due_cards(now) == []
        assert [c.lemma for c in s.due_cards(due_again)] == ["essen"]
        assert [c.lemma for c in s.due_cards(due_good)] == ["essen", "Essen"]  # most overdue first

        with pytest.raises(KeyError):
            s.schedule_review("Brot", 3, at=now)
        assert len(s.review_log()) == 2

    with Store(db, clock=clock) as s:  # FSRS state survives a reopen
        card = s.card("Essen")
        assert card is not None and card.due == due_good and card.state is store_mod.State.Learning
        fsrs_card = card.card()
        assert fsrs_card.card_id == good.card_id and fsrs_card.due == due_good
        # Keep answering Good: the card graduates and the interval grows.
        at, previous_gap = due_good, timedelta(0)
        for _ in range(3):
            nxt = s.schedule_review("Essen", "Good", at=at)
            assert nxt - at > previous_gap
            previous_gap, at = nxt - at, nxt
        assert s.card("Essen").state is store_mod.State.Review  # type: ignore[union-attr]
        log = s.review_log("Essen")
        assert [e.rating for e in log] == [store_mod.Rating.Good] * 4
        assert log[-1].due == at
        assert s.remove_card("essen") and not s.remove_card("essen")
        assert len(s.review_log()) == 5  # the log stays for statistics


# ----------------------------------------------------------------------------------------------- other tables


def test_attempts_progress_corrections_anki_settings(db: Path, clock: Clock) -> None:
    with Store(db, clock=clock) as s:
        a = s.record_attempt("l1", "cloze", "Ich ___ gern.", True, "esse", lemma="essen")
        s.record_attempt("l1", "gender", "___ Haus", False, "die", lemma="Haus")
        assert a.id == 1 and a.correct and a.at == T0
        s.save_progress("l1", last_sentence=4)
        s.save_progress("l1", completed=True)
        s.save_progress("l2", last_sentence=1)
        s.decide_correction("l1", "US- Technologie", "US-Technologie", Decision.ACCEPTED)
        s.decide_correction("l1", "Sam Altmann", "Sam Altman", "rejected")
        s.decide_correction("l1", "Sam Altmann", "Sam Altman", "accepted")  # changed their mind
        s.add_to_anki("Essen", lesson_id="l1", context="Das Essen ist fertig.")
        clock.advance(seconds=1)
        s.add_to_anki("Essen", context="other")  # idempotent
        s.add_to_anki("Haus")
        s.set_learner_level("B1")
        s.set_setting("show_glosses", {"inline": True, "max": 3})
        with pytest.raises(ValueError):
            s.set_learner_level("D7")
        with pytest.raises(ValueError):
            s.save_progress("l1", last_sentence=-1)

    with Store(db, clock=clock) as s:
        assert [(x.kind, x.lemma, x.correct) for x in s.attempts()] == [
            ("cloze", "essen", True),
            ("gender", "Haus", False),
        ]
        assert [x.prompt for x in s.attempts(kind="gender")] == ["___ Haus"]
        p = s.progress("l1")
        assert p is not None and p.last_sentence == 4 and p.completed
        assert s.progress("nope") is None
        assert set(s.all_progress()) == {"l1", "l2"}
        decisions = {(d.original, d.decision) for d in s.correction_decisions("l1")}
        assert decisions == {("US- Technologie", Decision.ACCEPTED), ("Sam Altmann", Decision.ACCEPTED)}
        entries = s.anki_list()
        assert entries[0] == AnkiEntry("Essen", "l1", "Das Essen ist fertig.", T0, None)
        assert s.mark_exported(["Essen", "unknown"]) == 1
        assert [e.lemma for e in s.anki_list(unexported_only=True)] == ["Haus"]
        assert s.remove_from_anki("Haus") and s.anki_list(unexported_only=True) == []
        assert s.learner_level() == "B1"
        assert s.get_setting("show_glosses") == {"inline": True, "max": 3}
        assert s.get_setting("missing", 7) == 7
        s.set_setting("show_glosses", None)
        assert s.settings() == {"learner_level": "B1"}


def test_transaction_groups_actions_and_rolls_back(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.set_status("Essen", WordStatus.KNOWN)
        store.add_card("Essen")
        raise RuntimeError("the user pressed cancel")
    assert store.status("Essen") is WordStatus.NEW and store.card("Essen") is None

    with store.transaction():
        store.set_status("Haus", WordStatus.KNOWN)
        with pytest.raises(KeyError):
            store.schedule_review("Haus", "good")  # inner failure: only its savepoint is undone
        store.add_card("Haus")
    assert store.status("Haus") is WordStatus.KNOWN and store.card("Haus") is not None

    with pytest.raises(StoreError, match="inside another transaction"), store.transaction():
        store.restore("whatever.json")


def test_threads_share_one_store(store: Store) -> None:
    def work(n: int) -> None:
        for i in range(40):
            store.record_attempt(f"l{n}", "cloze", "p", i % 2 == 0, "a")
            store.set_status(f"T{n}-{i}", WordStatus.LEARNING_1)
            store.statuses([f"T{n}-{i}", "x"])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.attempts()) == 240
    assert store.count_by_status()[WordStatus.LEARNING_1] == 240
    assert store.accuracy_by_kind() == [KindAccuracy("cloze", 240, 120)]


def test_closed_store_says_so(db: Path) -> None:
    s = Store(db)
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.status("Essen")


# ----------------------------------------------------------------------------------------------- opening


def test_fresh_database_settings(db: Path) -> None:
    with Store(db) as s:
        conn = s._connection()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert s.schema_version == SCHEMA_VERSION
        assert s.migrated_from == 0 and s.migration_backup is None  # nothing to back up in a new file
    assert not list(db.parent.glob("*.bak-*"))


def test_open_store_uses_the_data_dir(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "home")
    with open_store(paths) as s:
        s.set_status("Essen", WordStatus.KNOWN)
    assert paths.store.is_file()


def _schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        return sorted((kind, name, " ".join((sql or "").split())) for kind, name, sql in rows)
    finally:
        conn.close()


def test_migration_from_v1_keeps_rows_and_makes_a_backup(tmp_path: Path) -> None:
    db = tmp_path / "lesestoff.db"
    conn = sqlite3.connect(db)
    conn.executescript(V1_DDL + TRANSLATION_CACHE_DDL)
    conn.executescript(
        """
        INSERT INTO word_status VALUES ('Essen', 'known', '2025-03-01T10:00:00.000000Z');
        INSERT INTO word_status VALUES ('essen', 'learning2', '2025-03-02T10:00:00.000000Z');
        INSERT INTO attempts (lesson_id, kind, prompt, lemma, correct, answer, at)
            VALUES ('l1', 'cloze', 'Ich ___', 'essen', 1, 'esse', '2025-03-02T10:00:00.000000Z');
        INSERT INTO lesson_progress VALUES ('l1', 7, 0, '2025-03-02T10:00:00.000000Z');
        INSERT INTO anki_list VALUES ('Essen', 'l1', 'Das Essen.', '2025-03-02T10:00:00.000000Z');
        INSERT INTO settings VALUES ('learner_level', '"A2"');
        """
    )
    card = store_mod.Card(card_id=42, due=datetime(2025, 3, 5, tzinfo=UTC))
    conn.execute(
        "INSERT INTO review_cards VALUES ('Essen', 42, 'learning', ?, '2025-03-05T00:00:00.000000Z', "
        "'2025-03-01T10:00:00.000000Z')",
        (json.dumps(card.to_dict()),),
    )
    conn.commit()
    conn.close()

    with Store(db) as s:
        assert s.schema_version == SCHEMA_VERSION == 2
        assert s.migrated_from == 1
        assert s.statuses(["Essen", "essen"]) == {"Essen": WordStatus.KNOWN, "essen": WordStatus.LEARNING_2}
        assert [a.answer for a in s.attempts()] == ["esse"]
        assert s.progress("l1").last_sentence == 7  # type: ignore[union-attr]
        assert s.learner_level() == "A2"
        assert s.anki_list() == [AnkiEntry("Essen", "l1", "Das Essen.", datetime(2025, 3, 2, 10, tzinfo=UTC), None)]
        assert [c.card_id for c in s.due_cards(datetime(2025, 3, 6, tzinfo=UTC))] == [42]
        # Version 2's history table is seeded from the statuses that existed.
        assert s.known_words_over_time(tz=UTC) == [
            DayCount(date(2025, 3, 1), 1),
            DayCount(date(2025, 3, 2), 1),
        ]
        s.mark_exported(["Essen"])  # the column version 2 added
        backup = s.migration_backup
        conn = s._connection()
        assert conn.execute("SELECT results FROM translation_cache").fetchone()[0] == '["food"]'
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"review_cards_due", "word_status_log_at"} <= indexes

    assert backup is not None and backup.parent == tmp_path
    assert backup.name.startswith("lesestoff.db.bak-v1-")
    assert not list(tmp_path.glob("*.partial"))
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT COUNT(*) FROM word_status").fetchone()[0] == 2
    assert old.execute("SELECT COUNT(*) FROM translation_cache").fetchone()[0] == 1
    old.close()

    # The hand-written version 1 above plus the migrations gives exactly the schema of a new database.
    fresh = tmp_path / "fresh" / "lesestoff.db"
    Store(fresh).close()
    ours = [row for row in _schema(db) if row[1] != "translation_cache"]
    assert ours == _schema(fresh)

    # Opening again does not migrate or back up again.
    with Store(db) as s:
        assert s.migrated_from is None
    assert len(list(tmp_path.glob("lesestoff.db.bak-*"))) == 1


def test_translation_cache_created_first_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "lesestoff.db"
    conn = sqlite3.connect(db)
    conn.executescript(TRANSLATION_CACHE_DDL)
    conn.close()
    with Store(db) as s:
        assert s.migrated_from == 0
        s.set_status("Essen", WordStatus.KNOWN)
        assert s._connection().execute("SELECT COUNT(*) FROM translation_cache").fetchone()[0] == 1
        # and the other module can keep creating its table "IF NOT EXISTS" in the same file
        s._connection().executescript(TRANSLATION_CACHE_DDL.split(";")[0])
    assert not list(tmp_path.glob("*.bak-*"))


def test_newer_schema_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    db = tmp_path / "lesestoff.db"
    conn = sqlite3.connect(db)
    conn.executescript("CREATE TABLE word_status (lemma TEXT, future TEXT); PRAGMA user_version = 99;")
    conn.execute("INSERT INTO word_status VALUES ('Essen', 'x')")
    conn.commit()
    conn.close()
    before = files_in(tmp_path)

    with pytest.raises(StoreError) as info:
        Store(db)
    message = info.value.message
    assert "newer Lesestoff" in message and "99" in message and "\n" not in message
    assert isinstance(info.value, UserError)
    assert files_in(tmp_path) == before  # same bytes, no journal, no backup, nothing else


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(random.Random(7).randbytes(8192), id="random-bytes"),
        pytest.param(b"SQLite format 3\x00" + b"\x00" * 20, id="truncated-header"),
        pytest.param("Wörter: Essen, Haus\n".encode() * 50, id="text-file"),
    ],
)
def test_not_a_database_is_refused_and_left_alone(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "lesestoff.db"
    db.write_bytes(content)
    with pytest.raises(StoreError, match="not a Lesestoff database") as info:
        Store(db)
    assert "\n" not in info.value.message and "restore" in info.value.message
    assert files_in(tmp_path) == {"lesestoff.db": content}


def test_damaged_pages_fail_the_integrity_check(tmp_path: Path) -> None:
    db = tmp_path / "lesestoff.db"
    with Store(db) as s:
        s.set_statuses({f"Wort{i}-{'x' * 40}": WordStatus.KNOWN for i in range(3000)})
    raw = bytearray(db.read_bytes())
    assert len(raw) > 40 * 4096
    rng = random.Random(3)
    for page in (10, 20, 30):  # scribble over some b-tree pages, leave the header intact
        start = page * 4096 + 8
        raw[start : start + 512] = rng.randbytes(512)
    db.write_bytes(bytes(raw))
    before = files_in(tmp_path)
    with pytest.raises(StoreError) as info:
        Store(db)
    assert "damaged" in info.value.message or "not a readable" in info.value.message
    assert files_in(tmp_path) == before


# ----------------------------------------------------------------------------------------------- crash safety

HELPER = Path(__file__).resolve().parent / "store_kill_helper.py"


def _run_and_kill(db: Path, prefix: str, confirmations: int, rng: random.Random) -> list[str]:
    """Start the helper, let it confirm some actions, SIGKILL it; returns the confirmed lines."""
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), str(db), prefix],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(60, proc.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first == "ready\n", proc.stderr.read() if proc.stderr else first
        while len(lines) < confirmations:
            line = proc.stdout.readline()
            assert line, f"helper stopped early: {proc.stderr.read() if proc.stderr else ''}"
            lines.append(line)
        time.sleep(rng.uniform(0, 0.05))  # land somewhere inside a later transaction
        os.kill(proc.pid, signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
    finally:
        watchdog.cancel()
        proc.kill()
    assert proc.returncode == -signal.SIGKILL
    lines.extend(rest.splitlines(keepends=True))
    return [line.rstrip("\n") for line in lines if line.endswith("\n")]  # a torn last line proves nothing


def test_killed_process_loses_nothing_confirmed(tmp_path: Path) -> None:
    db = tmp_path / "lesestoff.db"
    rng = random.Random(11)
    confirmed: list[str] = []
    for round_ in range(3):
        confirmed += _run_and_kill(db, f"r{round_}", confirmations=60 + 40 * round_, rng=rng)

        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()
        with Store(db) as s:  # reopens cleanly (the WAL left by the kill is recovered)
            attempts = {a.id for a in s.attempts()}
            statuses = s.statuses()
            cards = {c.lemma: c for c in s.cards()}
            reviewed = {e.lemma for e in s.review_log()}
            logged = {(w.lemma) for w in s.words()}
        for line in confirmed:
            what, name = line.split(" ", 1)
            if what == "attempt":
                assert int(name) in attempts
            elif what == "word":
                assert statuses.get(name) is WordStatus.KNOWN
            elif what == "card":
                assert name in cards and name in reviewed
            elif what == "batch":
                assert all(statuses.get(f"{name}-{k}") is WordStatus.LEARNING_1 for k in range(100))
            else:
                pytest.fail(f"unexpected line {line!r}")
        # Whatever was not confirmed is all there or not there at all: no half batches, no card without
        # its review.
        batches: dict[str, int] = {}
        for lemma in logged:
            if "-B" in lemma:
                batch = lemma.rsplit("-", 1)[0]
                batches[batch] = batches.get(batch, 0) + 1
        assert set(batches.values()) <= {100}
        assert set(cards) <= reviewed
    assert len(confirmed) >= 60 + 100 + 140


# ----------------------------------------------------------------------------------------------- backup


def _fill(s: Store, clock: Clock) -> None:
    s.set_status("Essen", WordStatus.KNOWN)
    s.set_status("essen", WordStatus.LEARNING_3)
    s.set_status("Überraschung", WordStatus.IGNORED)
    s.add_card("Essen", CardReason.LEARNING)
    s.add_card("Haus", CardReason.MISSED)
    s.schedule_review("Essen", "good")
    clock.advance(minutes=5)
    s.schedule_review("Haus", "again")
    s.record_attempt("l1", "cloze", "Ich ___ gern.", True, "esse", lemma="essen")
    s.record_attempt("l1", "gender", "___ Haus", False, "die")
    s.decide_correction("l1", "US- Technologie", "US-Technologie", Decision.ACCEPTED)
    s.save_progress("l1", last_sentence=12, completed=True)
    s.add_to_anki("Essen", lesson_id="l1", context="„Das Essen ist fertig“, sagte sie.")
    s.mark_exported(["Essen"])
    s.add_to_anki("Haus")
    s.set_learner_level("B1")
    s.set_setting("ui", {"theme": "dark", "gloss": None, "list": [1, 2.5]})


def test_backup_restore_round_trip(tmp_path: Path, clock: Clock) -> None:
    backup = tmp_path / "backup.json"
    with Store(tmp_path / "a" / "lesestoff.db", clock=clock) as s:
        _fill(s, clock)
        original = user_data(s)
        counts = s.backup(backup)
        assert counts["word_status"] == 3 and counts["review_log"] == 2
        with pytest.raises(StoreError, match="already exists"):
            s.backup(backup)

        data = json.loads(backup.read_text(encoding="utf-8"))
        assert data["format"] == "lesestoff-learner-data" and data["format_version"] == 1
        assert set(data["tables"]) == set(store_mod.USER_TABLES)

        # Change everything, then restore: back to the backup exactly.
        s.set_status("Essen", WordStatus.LEARNING_1)
        s.set_status("Neu", WordStatus.KNOWN)
        s.remove_card("Haus")
        s.record_attempt("l2", "cloze", "x", True, "y")
        s.set_setting("ui", None)
        s.restore(backup)
        assert user_data(s) == original
        assert s.restore_backup is not None and s.restore_backup.exists()
        assert s.due_cards(clock.now + timedelta(days=1))  # the due column was rebuilt from the cards
        s.schedule_review("Haus", "good")  # and the restored FSRS state works
        next_attempt = s.record_attempt("l1", "cloze", "p", True, "a")
        assert next_attempt.id == 3  # ids continue after the restored ones

    # Into a brand-new data dir, next to another module's table.
    fresh = tmp_path / "b" / "lesestoff.db"
    fresh.parent.mkdir()
    conn = sqlite3.connect(fresh)
    conn.executescript(TRANSLATION_CACHE_DDL)
    conn.close()
    with Store(fresh, clock=clock) as s:
        s.restore(backup)
        assert user_data(s) == original
        assert s._connection().execute("SELECT COUNT(*) FROM translation_cache").fetchone()[0] == 1


def _good_backup(tmp_path: Path, clock: Clock) -> dict:
    with Store(tmp_path / "source" / "lesestoff.db", clock=clock) as s:
        _fill(s, clock)
        return s.export_data()


def _set(data: dict, path: tuple, value: object) -> dict:
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


BAD_EDITS = {
    "wrong-format": lambda d: _set(d, ("format",), "something-else"),
    "newer-format": lambda d: _set(d, ("format_version",), 99),
    "no-tables": lambda d: _set(d, ("tables",), []),
    "unknown-table": lambda d: _set(d, ("tables", "passwords"), []),
    "missing-table": lambda d: d["tables"].pop("settings") and d,
    "bad-status": lambda d: _set(d, ("tables", "word_status", 0, "status"), "fluent"),
    "bad-time": lambda d: _set(d, ("tables", "attempts", 0, "at"), "yesterday"),
    "naive-time": lambda d: _set(d, ("tables", "attempts", 0, "at"), "2025-03-04T10:00:00"),
    "bool-as-int": lambda d: _set(d, ("tables", "attempts", 0, "correct"), 1),
    "missing-field": lambda d: d["tables"]["anki_list"][0].pop("context") and d,
    "extra-field": lambda d: _set(d, ("tables", "lesson_progress", 0, "bonus"), 1),
    "duplicate-lemma": lambda d: d["tables"]["word_status"].append(dict(d["tables"]["word_status"][0])) or d,
    "bad-card": lambda d: _set(d, ("tables", "review_cards", 0, "fsrs"), {"card_id": 1}),
    "card-id-mismatch": lambda d: _set(d, ("tables", "review_cards", 0, "card_id"), 7),
    "bad-rating": lambda d: _set(d, ("tables", "review_log", 0, "rating"), 5),
    "empty-lemma": lambda d: _set(d, ("tables", "anki_list", 0, "lemma"), ""),
    # the very last row of the last table: nothing may have been changed before it is found
    "last-row-bad": lambda d: _set(d, ("tables", "settings", -1, "key"), None),
}


@pytest.mark.parametrize("edit", list(BAD_EDITS))
def test_restore_of_a_bad_file_changes_nothing(tmp_path: Path, clock: Clock, edit: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(BAD_EDITS[edit](_good_backup(tmp_path, clock))), encoding="utf-8")
    db = tmp_path / "data" / "lesestoff.db"
    with Store(db, clock=clock) as s:
        s.set_status("Mein", WordStatus.KNOWN)
        s.record_attempt("l9", "cloze", "p", False, "a")
        before = user_data(s)
        with pytest.raises(StoreError, match="nothing was changed") as info:
            s.restore(bad)
        assert "\n" not in info.value.message
        assert user_data(s) == before
        assert s.restore_backup is None
    assert not list(db.parent.glob("*.bak-*"))


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b'{"format": "lesestoff-learner-data"', b"\xff\xfe\x00garbage", b"[1, 2, 3]"],
    ids=["empty", "not-json", "truncated", "not-utf8", "a-list"],
)
def test_restore_of_a_non_backup_changes_nothing(store: Store, tmp_path: Path, content: bytes) -> None:
    store.set_status("Mein", WordStatus.KNOWN)
    before = user_data(store)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(StoreError):
        store.restore(bad)
    assert user_data(store) == before
    with pytest.raises(StoreError, match="no such file"):
        store.restore(tmp_path / "missing.json")


def test_restore_failing_inside_the_transaction_is_rolled_back(
    store: Store, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if a row only fails in the database (after the old rows were deleted), nothing changes."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_good_backup(tmp_path, clock)), encoding="utf-8")
    real = store_mod.validate_backup

    def sneaky(data: dict) -> dict:
        rows = real(data)
        rows["settings"].append(dict(rows["settings"][0]))  # duplicate primary key: fails on INSERT
        return rows

    monkeypatch.setattr(store_mod, "validate_backup", sneaky)
    store.set_status("Mein", WordStatus.KNOWN)
    before = user_data(store)
    with pytest.raises(StoreError, match="nothing was changed"):
        store.restore(good)
    assert user_data(store) == before


# ----------------------------------------------------------------------------------------------- statistics


def test_statistics(store: Store, clock: Clock) -> None:
    day = timedelta(days=1)
    store.set_status("Essen", WordStatus.KNOWN, at=T0)
    store.set_status("Haus", WordStatus.KNOWN, at=T0 + timedelta(hours=2))
    store.set_status("Brot", WordStatus.LEARNING_1, at=T0)
    store.set_status("Brot", WordStatus.KNOWN, at=T0 + day)
    store.set_status("Haus", WordStatus.LEARNING_4, at=T0 + 3 * day)  # forgotten again
    store.set_status("Katze", WordStatus.KNOWN, at=T0 + 3 * day)
    assert store.known_words_over_time(tz=UTC) == [
        DayCount(date(2025, 3, 4), 2),
        DayCount(date(2025, 3, 5), 3),
        DayCount(date(2025, 3, 6), 3),  # no change that day: filled in
        DayCount(date(2025, 3, 7), 3),  # Haus out, Katze in
    ]
    # Days are the learner's days: 23:30 UTC is already the next day in Berlin.
    from zoneinfo import ZoneInfo

    store.set_status("Nacht", WordStatus.KNOWN, at=datetime(2025, 3, 7, 23, 30, tzinfo=UTC))
    assert store.known_words_over_time(tz=UTC)[-1] == DayCount(date(2025, 3, 7), 4)
    assert store.known_words_over_time(tz=ZoneInfo("Europe/Berlin"))[-1] == DayCount(date(2025, 3, 8), 4)

    store.add_card("Essen", at=T0)
    store.add_card("Haus", at=T0)
    store.schedule_review("Essen", "good", at=T0)
    store.schedule_review("Haus", "again", at=T0 + timedelta(minutes=1))
    store.schedule_review("Haus", "good", at=T0 + 2 * day)
    assert store.reviews_per_day(tz=UTC) == [DayCount(date(2025, 3, 4), 2), DayCount(date(2025, 3, 6), 1)]

    for i, (kind, correct) in enumerate([("cloze", True), ("cloze", False), ("cloze", True), ("gender", False)]):
        store.record_attempt("l1", kind, f"p{i}", correct, "a", at=T0 + i * day)
    stats = store.accuracy_by_kind()
    assert stats == [KindAccuracy("cloze", 3, 2), KindAccuracy("gender", 1, 0)]
    assert stats[0].accuracy == pytest.approx(2 / 3) and stats[1].accuracy == 0.0
    assert store.accuracy_by_kind(since=T0 + 2 * day) == [KindAccuracy("cloze", 1, 1), KindAccuracy("gender", 1, 0)]


def test_statistics_of_an_empty_store(store: Store) -> None:
    assert store.known_words_over_time() == []
    assert store.reviews_per_day() == []
    assert store.accuracy_by_kind() == []


# ----------------------------------------------------------------------------------------------- CLI


def _cli(argv: list[str], paths: Paths) -> int:
    parser = argparse.ArgumentParser(prog="lesestoff")
    add_store_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args, paths)


def test_cli_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = Paths(tmp_path / "home")
    with open_store(paths) as s:
        s.set_status("Essen", WordStatus.KNOWN)
        s.add_to_anki("Essen")
    out = tmp_path / "mine.json"
    assert _cli(["backup", str(out)], paths) == 0
    assert "1 words" in capsys.readouterr().out and out.is_file()
    with pytest.raises(StoreError, match="--force"):
        _cli(["backup", str(out)], paths)
    assert _cli(["backup", "--force", str(out)], paths) == 0

    with open_store(paths) as s:
        s.set_status("Essen", WordStatus.NEW)
    assert _cli(["restore", str(out)], paths) == 0
    printed = capsys.readouterr().out
    assert "Restored 1 words" in printed and "kept in" in printed
    with open_store(paths) as s:
        assert s.status("Essen") is WordStatus.KNOWN

    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    with pytest.raises(UserError, match="not a valid Lesestoff backup"):
        _cli(["restore", str(tmp_path / "bad.json")], paths)
