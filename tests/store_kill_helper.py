"""Helper for tests/test_store.py: writes to a learner store in a loop until killed.

Usage: ``python tests/store_kill_helper.py DB_PATH PREFIX``. After each action has returned (its transaction
is committed) it prints one line naming what was confirmed, and flushes:

* ``attempt <id>``: an exercise attempt
* ``word <lemma>``: a status set to known
* ``card <lemma>``: a card added and reviewed, in one grouped transaction (two log-worthy writes)
* ``batch <prefix>``: 100 statuses set in one transaction (lemmas ``<prefix>-0`` … ``<prefix>-99``)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lessons.store import CardReason, Store, WordStatus

BATCH = 100


def main() -> None:
    db, prefix = sys.argv[1], sys.argv[2]
    store = Store(db)
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        step = i % 4
        if step == 0:
            attempt = store.record_attempt(f"{prefix}-lesson", "cloze", f"prompt {i}", i % 3 == 0, f"answer {i}")
            line = f"attempt {attempt.id}"
        elif step == 1:
            lemma = f"{prefix}-Wort{i}"
            store.set_status(lemma, WordStatus.KNOWN)
            line = f"word {lemma}"
        elif step == 2:
            lemma = f"{prefix}-Karte{i}"
            with store.transaction():
                store.add_card(lemma, CardReason.MISSED)
                store.schedule_review(lemma, "again")
            line = f"card {lemma}"
        else:
            batch = f"{prefix}-B{i}"
            store.set_statuses({f"{batch}-{k}": WordStatus.LEARNING_1 for k in range(BATCH)})
            line = f"batch {batch}"
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
