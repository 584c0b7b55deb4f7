"""One side of the Anki benchmark: ``python -m bench.anki_bench ours|plain|bare OUT.apkg`` prints seconds.

``ours`` is Lesestoff's export (note types, GUIDs, escaping, de-duplication, compression, atomic write).
``plain`` is genanki writing the same 5,000 notes: the same 13 field values and the same four tags per note,
with a bare three-card note type, genanki's default GUIDs and ``Package.write_to_file``. ``bare`` is the
cheaper note this benchmark used at first (9 fields, no tags), still printed for comparison.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import genanki

from lessons.anki import VOCAB_FIELDS, AnkiLesson, AnkiWord, export_deck

NOTES = 5000


def words() -> list[AnkiWord]:
    result = []
    for i in range(NOTES):
        lemma = f"Wort{i}"
        result.append(
            AnkiWord(
                lemma=lemma,
                display=f"das {lemma}",
                pos="NOUN",
                gender="n",
                article="das",
                plural=f"{lemma}e",
                meaning=f"word number {i}",
                level="B1",
                example=f"Das {lemma} ist neu.",
                example_word=lemma,
                example_translation=f"The word {i} is new.",
            )
        )
    return result


def _templates() -> list[dict[str, str]]:
    return [
        {"name": "de-en", "qfmt": "{{Word}}", "afmt": "{{Meaning}}"},
        {"name": "en-de", "qfmt": "{{Meaning}}", "afmt": "{{Word}}"},
        {"name": "article", "qfmt": "{{#IsNoun}}___ {{Lemma}}{{/IsNoun}}", "afmt": "{{Article}} {{Lemma}}"},
    ]


def plain(items: list[AnkiWord], out: Path) -> None:
    """The same notes as ours: every field value (unescaped, no bold) and the same tags."""
    model = genanki.Model(1607392320, "Plain", fields=[{"name": n} for n in VOCAB_FIELDS], templates=_templates())
    deck = genanki.Deck(2059400110, "Benchmark")
    for w in items:
        values = [
            w.display,
            w.plural,
            w.meaning,
            "noun",
            w.level,
            w.example,
            w.example_translation,
            "Benchmark",
            "",
            w.lemma,
            w.article,
            w.gender,
            "1",
        ]
        deck.add_note(genanki.Note(model=model, fields=values, tags=["lesestoff", w.level, "bench", w.pos]))
    genanki.Package(deck).write_to_file(str(out))


def bare(items: list[AnkiWord], out: Path) -> None:
    fields = ["Word", "Plural", "Meaning", "POS", "Level", "Example", "ExampleTranslation", "Source", "Audio"]
    model = genanki.Model(
        1607392319,
        "Plain",
        fields=[{"name": n} for n in fields],
        templates=[
            {"name": "de-en", "qfmt": "{{Word}}", "afmt": "{{Meaning}}"},
            {"name": "en-de", "qfmt": "{{Meaning}}", "afmt": "{{Word}}"},
            {"name": "article", "qfmt": "___ {{Word}}", "afmt": "{{Word}}"},
        ],
    )
    deck = genanki.Deck(2059400110, "Benchmark")
    for w in items:
        values = [w.display, w.plural, w.meaning, w.pos, w.level, w.example, w.example_translation, "Benchmark", ""]
        deck.add_note(genanki.Note(model=model, fields=values))
    genanki.Package(deck).write_to_file(str(out))


def main() -> None:
    mode, out = sys.argv[1], Path(sys.argv[2])
    items = words()
    start = time.perf_counter()
    if mode == "ours":
        export_deck([AnkiLesson("bench", "Benchmark", items)], out, cloze=False)
    elif mode == "plain":
        plain(items, out)
    elif mode == "bare":
        bare(items, out)
    else:
        raise SystemExit(f"unknown mode {mode!r}: ours, plain or bare")
    print(time.perf_counter() - start)


if __name__ == "__main__":
    main()
