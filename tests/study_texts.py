"""Small texts written for the vocabulary and exercise tests, with a dictionary-backed fake lexicon.

The texts run through the real pipeline; meanings come from :class:`FakeLexicon` (no Ding needed) and
sentence translations from :class:`FakeTranslator`, so every test is deterministic and offline.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from lessons.lexicon import Gloss, NounInfo
from lessons.meanings import Meanings
from lessons.model import Correction, Lesson
from lessons.online import Translation
from lessons.paths import Paths
from lessons.pipeline import build_lesson

EVERYDAY = """Der Zug kommt heute pünktlich am Bahnhof an.
Meine Schwester kauft morgen ein neues Fahrrad.
Die Katze schläft gern auf dem warmen Sofa.
Im Sommer fahren wir oft an den See und schwimmen.
Das Wetter ist heute schön, aber der Wind ist kalt.
Die Kinder spielen im Garten mit dem Ball.
"""

EVERYDAY_EN = {
    "Der Zug kommt heute pünktlich am Bahnhof an.": "Today the train arrives at the station on time.",
    "Meine Schwester kauft morgen ein neues Fahrrad.": "My sister is buying a new bicycle tomorrow.",
    "Die Katze schläft gern auf dem warmen Sofa.": "The cat likes sleeping on the warm sofa.",
    "Im Sommer fahren wir oft an den See und schwimmen.": "In summer we often go to the lake and swim.",
    "Das Wetter ist heute schön, aber der Wind ist kalt.": "The weather is nice today, but the wind is cold.",
    "Die Kinder spielen im Garten mit dem Ball.": "The children are playing with the ball in the garden.",
}

GLOSSES: dict[tuple[str, str], str] = {
    ("Zug", "NOUN"): "train",
    ("ankommen", "VERB"): "to arrive",
    ("heute", "ADV"): "today",
    ("pünktlich", "ADJ"): "punctual, on time",
    ("Bahnhof", "NOUN"): "station",
    ("Schwester", "NOUN"): "sister",
    ("kaufen", "VERB"): "to buy",
    ("morgen", "ADV"): "tomorrow",
    ("neu", "ADJ"): "new",
    ("Fahrrad", "NOUN"): "bicycle",
    ("Katze", "NOUN"): "cat",
    ("schlafen", "VERB"): "to sleep",
    ("gern", "ADV"): "gladly",
    ("warm", "ADJ"): "warm",
    ("Sofa", "NOUN"): "sofa; couch",
    ("Sommer", "NOUN"): "summer",
    ("fahren", "VERB"): "to go; to drive",
    ("oft", "ADV"): "often",
    ("See", "NOUN"): "lake",
    ("schwimmen", "VERB"): "to swim",
    ("Wetter", "NOUN"): "weather",
    ("schön", "ADJ"): "nice; beautiful",
    ("Wind", "NOUN"): "wind",
    ("kalt", "ADJ"): "cold",
    ("Kind", "NOUN"): "child",
    ("spielen", "VERB"): "to play",
    ("Garten", "NOUN"): "garden",
    ("Ball", "NOUN"): "ball",
    ("Prüfung", "NOUN"): "exam",
    ("bestehen", "VERB"): "to pass",
    ("gestern", "ADV"): "yesterday",
    ("Lehrerin", "NOUN"): "teacher",
    ("loben", "VERB"): "to praise",
    ("Klasse", "NOUN"): "class",
    ("erklären", "VERB"): "to explain",
    ("Aufgabe", "NOUN"): "task",
    ("genau", "ADJ"): "exact, precise",
}

NOUNS: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    # lemma: (gender, plural, all genders)
    "Zug": ("m", "Züge", ("m",)),
    "Bahnhof": ("m", "Bahnhöfe", ("m",)),
    "Schwester": ("f", "Schwestern", ("f",)),
    "Fahrrad": ("n", "Fahrräder", ("n",)),
    "Katze": ("f", "Katzen", ("f",)),
    "Sofa": ("n", "Sofas", ("n",)),
    "Sommer": ("m", "Sommer", ("m",)),
    "See": ("m", "Seen", ("m", "f")),
    "Wetter": ("n", "Wetter", ("n",)),
    "Wind": ("m", "Winde", ("m",)),
    "Kind": ("n", "Kinder", ("n",)),
    "Garten": ("m", "Gärten", ("m",)),
    "Ball": ("m", "Bälle", ("m",)),
    "Prüfung": ("f", "Prüfungen", ("f",)),
    "Lehrerin": ("f", "Lehrerinnen", ("f",)),
    "Klasse": ("f", "Klassen", ("f",)),
    "Aufgabe": ("f", "Aufgaben", ("f",)),
}
ARTICLES = {"m": "der", "f": "die", "n": "das"}


class FakeLexicon:
    """The ``Lexical`` protocol from the dictionaries above."""

    def glosses(self, lemma: str, pos: str | None = None, limit: int = 5) -> list[Gloss]:
        found = [(p, english) for (lem, p), english in GLOSSES.items() if lem == lemma]
        found.sort(key=lambda pair: pair[0] != pos)
        return [Gloss(english, p, "dictionary", lemma, rank) for rank, (p, english) in enumerate(found[:limit])]

    def noun(self, lemma: str) -> NounInfo | None:
        if lemma not in NOUNS:
            return None
        gender, plural, genders = NOUNS[lemma]
        return NounInfo(
            lemma, gender, ARTICLES[gender], plural, None, "german-nouns", genders, (plural,) if plural else ()
        )

    def split_compound(self, word: str) -> list[str] | None:
        return None


class FakeTranslator:
    """Sentence translations from a dict (the online translator's protocol)."""

    def __init__(self, sentences: dict[str, str]) -> None:
        self.sentences = sentences

    def translate_sentence(self, text: str) -> Translation:
        from lessons.online import FailureReason, OnlineTranslationError

        if text not in self.sentences:
            raise OnlineTranslationError("fake", FailureReason.NO_RESULT, "no translation")
        return Translation(self.sentences[text], "fake translator")

    def translate_word(self, word: str) -> list[Translation]:
        return []


def lesson_from(text: str, nouns: object, lesson_id: str = "alltag") -> Lesson:
    return build_lesson(text, nouns=nouns).with_id(lesson_id, f"{lesson_id}.txt")  # type: ignore[arg-type]


def fake_meanings(translations: dict[str, str] | None = None) -> Meanings:
    return Meanings(FakeLexicon(), seeds=None, translator=FakeTranslator(translations or {}))


TRANSCRIPT = """Gestern hat unsere Klasse die Prüfung bestanden.
Die Lehrerin hat uns sehr gelobt.
Sie erklärt jede Aufgabe immer genau.
"""
# What the speech recogniser heard, sentence by sentence: (index, wrong, right, kind).
TRANSCRIPT_ERRORS = (
    (0, "Brüfung", "Prüfung", "spelling"),
    (1, "Lehrerin Hut", "Lehrerin hat", "grammar"),
    (2, "jede Aufgabe immer Genau", "jede Aufgabe immer genau", "spelling"),
)


def transcript_lesson(nouns: object) -> Lesson:
    """A short transcript with three recognition errors, corrected (as ``Lesson.corrections`` records them)."""
    lesson = lesson_from(TRANSCRIPT, nouns, "mitschrift")
    sentences = list(lesson.sentences)
    corrections = []
    for index, wrong, right, kind in TRANSCRIPT_ERRORS:
        sentence = sentences[index]
        assert right in sentence.text, (right, sentence.text)
        original = sentence.text.replace(right, wrong, 1)
        sentences[index] = dataclasses.replace(sentence, original=original)
        corrections.append(Correction(wrong, right, kind, "curated", True, index, f"{wrong} was misheard"))
    return dataclasses.replace(lesson, sentences=tuple(sentences), corrections=tuple(corrections))


def copy_lesson_cache(seed_paths: Paths, root: Path) -> Paths:
    """A fresh data dir that already holds the processed seed lessons (no re-processing)."""
    paths = Paths(root, seed_paths.shared_cache).ensure()
    shutil.copytree(seed_paths.lesson_cache, paths.lesson_cache, dirs_exist_ok=True)
    return paths
