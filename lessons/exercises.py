"""Graded exercises on a lesson, UI-free and reproducible: the same seed gives the same set.

Kinds (see :class:`ExerciseKind`):

* **cloze** – a lesson sentence with a word blanked; type the form in the text. Hint: the lemma and its
  meaning; ``choices`` is a word bank (the answer and forms of other lesson words of the same part of speech).
* **meaning** – a German word and four English meanings; answer 1–4 or the text. Distractors are lesson (or
  fallback) words of the same part of speech and a similar level, never synonyms of the answer.
* **article** – der, die oder das? With a ``followup`` exercise (kind **plural**): type the plural.
* **word_order** – a short sentence in shuffled chunks (punctuation stays with its word, noun phrases stay
  together); answer with chunk numbers ("3 1 2 …") or the sentence. Any order that rebuilds the sentence counts.
* **spot_error** – a transcript sentence as the speech recogniser wrote it (one of ``Lesson.corrections``
  undone); type the right word, or ``wrong -> right`` (nothing after the arrow deletes the wrong word).
* **match** – 3–5 German sentences and their translations; answer like ``1c 2a 3b`` (or the letters in the
  order of the German sentences: ``c a b``).

Answers are forgiving where German is: case does not matter (a noun typed in lower case is accepted with the
note "nouns are capitalised"), and ä/ö/ü/ß typed as ae/oe/ue/ss are accepted with a gentle note. Case does
matter in a spot-the-error item whose error *is* the case.

Selection is graded: target words are at the learner's level and up to ``stretch`` bands above it (then
lower, then higher bands when the lesson runs short), known words aside; a set takes the kinds in turn,
skipping kinds without material. All randomness comes from one ``random.Random(seed)``.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from lessons.meanings import Meanings
from lessons.model import CEFR_LEVELS, Correction, Lesson, Pos, Sentence, Token
from lessons.vocab import (
    VocabEntry,
    build_vocabulary,
    check_level,
    example_tokens,
    is_function_word,
    is_particle,
    level_rank,
    short_meaning,
)

__all__ = [
    "KINDS",
    "ArticleExercise",
    "CheckResult",
    "ClozeExercise",
    "Exercise",
    "ExerciseKind",
    "MatchExercise",
    "MeaningExercise",
    "PluralExercise",
    "SpotErrorExercise",
    "WordOrderExercise",
    "build_exercises",
    "kind_title",
]


class ExerciseKind(StrEnum):
    CLOZE = "cloze"
    MEANING = "meaning"
    ARTICLE = "article"
    PLURAL = "plural"
    WORD_ORDER = "word_order"
    SPOT_ERROR = "spot_error"
    MATCH = "match"


KINDS: tuple[str, ...] = (
    ExerciseKind.CLOZE,
    ExerciseKind.MEANING,
    ExerciseKind.ARTICLE,
    ExerciseKind.WORD_ORDER,
    ExerciseKind.SPOT_ERROR,
    ExerciseKind.MATCH,
)
"""The kinds a set is made of (``plural`` comes only as the follow-up of an ``article`` item)."""

_TITLES = {
    ExerciseKind.CLOZE: "Lückentext (gap fill)",
    ExerciseKind.MEANING: "Bedeutung (meaning)",
    ExerciseKind.ARTICLE: "der, die oder das?",
    ExerciseKind.PLURAL: "Plural",
    ExerciseKind.WORD_ORDER: "Satzbau (word order)",
    ExerciseKind.SPOT_ERROR: "Fehler finden (spot the transcription error)",
    ExerciseKind.MATCH: "Sätze zuordnen (sentence match)",
}


def kind_title(kind: str) -> str:
    """A heading for an exercise kind ("Lückentext (gap fill)")."""
    return _TITLES.get(kind, kind)  # type: ignore[call-overload]


BLANK = "_____"
LETTERS = string.ascii_lowercase

# --- answer normalisation ----------------------------------------------------------------------------------

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS"})
_BARE = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "s", "Ä": "A", "Ö": "O", "Ü": "U"})
_EDGE = " \t\"'„“”‚‘’»«.,;:!?()[]"
TRANSLIT_NOTE = "ä, ö, ü and ß may be typed as ae, oe, ue and ss"
NOUN_CASE_NOTE = "nouns are capitalised"


def transliterate(text: str) -> str:
    """ä → ae, ö → oe, ü → ue, ß → ss (as a German keyboard-less learner types them)."""
    return text.translate(_TRANSLIT)


def clean_answer(text: str) -> str:
    """Whitespace collapsed, quotes and trailing sentence punctuation stripped."""
    return " ".join(text.split()).strip(_EDGE).strip()


def _spaces(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict on one answer: ``feedback`` is one line to show; ``note`` explains (may be empty)."""

    correct: bool
    feedback: str
    expected: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "feedback": self.feedback, "expected": self.expected, "note": self.note}


@dataclass(frozen=True, slots=True)
class _Match:
    correct: bool
    notes: tuple[str, ...] = ()
    close: str = ""


def match_word(
    answer: str, expected: str, *, noun: bool = False, case_matters: bool = False, initial: bool = False
) -> _Match:
    """Compare a typed word (or phrase) with the expected one, forgiving case and umlaut typing."""
    given, wanted = clean_answer(answer), clean_answer(expected)
    if given == wanted:
        return _Match(True)
    notes: list[str] = []
    if transliterate(given) == transliterate(wanted):
        return _Match(True, (f"{TRANSLIT_NOTE}: it is written “{wanted}”",))
    same_case_folded = given.casefold() == wanted.casefold()
    translit_folded = transliterate(given).casefold() == transliterate(wanted).casefold()
    if same_case_folded or translit_folded:
        if case_matters:
            return _Match(False, (), f"mind the capital letter: “{wanted}”")
        if translit_folded and not same_case_folded:
            notes.append(f"{TRANSLIT_NOTE}: it is written “{wanted}”")
        if not initial and given[:1] != wanted[:1] and given[:1].casefold() == wanted[:1].casefold():
            if wanted[:1].isupper() and noun:
                notes.append(f"{NOUN_CASE_NOTE}: “{wanted}”")
            elif wanted[:1].islower():
                notes.append(f"only nouns and names are capitalised: “{wanted}”")
            else:
                notes.append(f"it is written “{wanted}”")
        return _Match(True, tuple(notes))
    if given.translate(_BARE).casefold() == wanted.translate(_BARE).casefold():
        return _Match(False, (), f"almost – mind the umlaut: “{wanted}”")
    return _Match(False)


def _result(match: _Match, expected: str, right: str = "Richtig!", extra_note: str = "") -> CheckResult:
    notes = [*match.notes, *([extra_note] if extra_note else [])]
    if match.correct:
        return CheckResult(True, right, expected, "; ".join(notes))
    feedback = f"Not quite: {match.close}" if match.close else f"Not quite – the answer is “{expected}”"
    return CheckResult(False, feedback, expected, extra_note)


def _choice_number(answer: str, count: int) -> int | None:
    text = clean_answer(answer)
    if text.isdigit() and 1 <= int(text) <= count:
        return int(text) - 1
    return None


# --- exercises -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Exercise:
    """One exercise. ``instruction`` says what to do, ``prompt`` is the item; ``answers[0]`` is the answer shown.

    ``choices``: numbered options (meaning, article), the word bank (cloze) or the lettered translations
    (match). ``chunks``: the shuffled parts (word order). ``pairs``: the right (German, English) pairs (match).
    """

    kind: str
    instruction: str
    prompt: str
    answers: tuple[str, ...]
    sentence_index: int | None = None
    sentence_text: str | None = None
    lemma: str | None = None
    pos: str | None = None
    level: str | None = None
    hint: str | None = None
    choices: tuple[str, ...] = ()
    chunks: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    translation: str | None = None
    note: str = ""
    followup: Exercise | None = None

    @property
    def expected(self) -> str:
        return self.answers[0]

    @property
    def id(self) -> str:
        where = "" if self.sentence_index is None else str(self.sentence_index)
        return f"{self.kind}:{where}:{self.lemma or ''}"

    @property
    def title(self) -> str:
        return kind_title(self.kind)

    def check(self, answer: str) -> CheckResult:
        match = match_word(answer, self.expected)
        return _result(match, self.expected)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "kind": str(self.kind),
            "title": self.title,
            "instruction": self.instruction,
            "prompt": self.prompt,
            "answers": list(self.answers),
            "sentence": None
            if self.sentence_index is None
            else {"index": self.sentence_index, "text": self.sentence_text},
            "lemma": self.lemma,
            "pos": self.pos,
            "level": self.level,
            "hint": self.hint,
            "choices": list(self.choices),
            "chunks": list(self.chunks),
            "pairs": [list(p) for p in self.pairs],
            "translation": self.translation,
            "note": self.note,
            "followup": self.followup.to_dict() if self.followup is not None else None,
        }
        return data


@dataclass(frozen=True, kw_only=True)
class ClozeExercise(Exercise):
    """``choices`` is the word bank (for a bank mode; a number answers from it)."""

    initial: bool = False
    """The gap starts the sentence (its capital letter says nothing)."""

    def check(self, answer: str) -> CheckResult:
        picked = _choice_number(answer, len(self.choices)) if self.choices else None
        given = self.choices[picked] if picked is not None else answer
        match = match_word(given, self.expected, noun=self.pos == Pos.NOUN, initial=self.initial)
        if not match.correct and clean_answer(given).casefold() == (self.lemma or "").casefold():
            match = _Match(False, (), f"that is the dictionary form; the sentence needs “{self.expected}”")
        return _result(match, self.expected)


@dataclass(frozen=True, kw_only=True)
class MeaningExercise(Exercise):
    """``choices``: four English meanings, ``answers[0]`` among them; answer by number (1–4) or text.

    ``choice_lemmas``: the German word each choice means (the answer's is ``lemma``), for feedback.
    """

    choice_lemmas: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "choice_lemmas": list(self.choice_lemmas)}

    def check(self, answer: str) -> CheckResult:
        picked = _choice_number(answer, len(self.choices))
        if picked is None:
            picked = _pick_text(answer, self.choices)
        right = self.choices.index(self.expected) + 1
        expected = f"{right}. {self.expected}"
        if picked is None:
            return CheckResult(False, f"Not quite – the answer is {expected} (type 1–{len(self.choices)})", expected)
        if self.choices[picked] == self.expected:
            return CheckResult(True, "Richtig!", expected, self.note)
        chosen = ""
        if len(self.choice_lemmas) == len(self.choices):
            chosen = f"“{self.choices[picked]}” is {self.choice_lemmas[picked]}; "
        return CheckResult(
            False, f"Not quite – {chosen}“{self.prompt}” means {self.expected} ({right})", expected, self.note
        )


_EN_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "up",
        "out",
        "off",
        "sb",
        "sth",
        "sb.",
        "sth.",
        "one's",
        "oneself",
        "be",
        "is",
        "are",
        "and",
        "or",
        "not",
        "from",
        "into",
        "as",
        "it",
        "its",
        "so",
        "very",
        "here",
        "there",
    ]
)


def _en_norm(text: str) -> str:
    text = text.casefold().strip()
    text = re.sub(r"\([^)]*\)", "", text)
    text = re.sub(r"^(to|a|an|the)\s+", "", text.strip())
    return " ".join(re.findall(r"[\w'-]+", text))


def _pick_text(answer: str, choices: Sequence[str]) -> int | None:
    """The choice a typed text names: the whole choice or one of its comma/semicolon alternatives."""
    given = _en_norm(answer)
    if not given:
        return None
    hits = [
        i
        for i, choice in enumerate(choices)
        if given == _en_norm(choice) or given in {_en_norm(p) for p in re.split(r"[;,/]", choice)}
    ]
    return hits[0] if len(hits) == 1 else None


@dataclass(frozen=True, kw_only=True)
class ArticleExercise(Exercise):
    """``choices`` = der, die, das; ``answers`` all articles the noun takes; ``followup`` asks the plural."""

    display: str = ""

    def check(self, answer: str) -> CheckResult:
        picked = _choice_number(answer, len(self.choices))
        word = clean_answer(answer).split(" ")[0].casefold() if picked is None else self.choices[picked]
        word = {"m": "der", "f": "die", "n": "das"}.get(word, word)
        if word in self.answers:
            return CheckResult(True, f"Richtig: {self.display}", self.display, self.note)
        if word not in ("der", "die", "das"):
            return CheckResult(False, f"Type der, die or das – it is {self.display}", self.display, self.note)
        return CheckResult(False, f"Not quite – it is {self.display}", self.display, self.note)


@dataclass(frozen=True, kw_only=True)
class PluralExercise(Exercise):
    def check(self, answer: str) -> CheckResult:
        given = re.sub(r"^(die|der|das)\s+", "", clean_answer(answer), flags=re.IGNORECASE)
        match = match_word(given, self.expected, noun=True)
        result = _result(match, f"die {self.expected}")
        if not match.correct and given.casefold() == (self.lemma or "").casefold() and given != self.expected:
            return replace(result, feedback=f"That is the singular – the plural is “die {self.expected}”")
        return result


def _rebuild_key(text: str) -> str:
    """A sentence as word order compares it: spaces collapsed, end punctuation and case of the first letter off."""
    text = _spaces(text).rstrip(".!?…").rstrip()
    return text[:1].casefold() + text[1:]


@dataclass(frozen=True, kw_only=True)
class WordOrderExercise(Exercise):
    """``chunks``: the shuffled parts; ``answers[0]``: the sentence, ``answers[1]``: the chunk numbers."""

    ending: str = ""

    def rebuild(self, answer: str) -> str | None:
        """The sentence an answer stands for: chunk numbers ("3 1 2", "3,1,2", "312" for ≤ 9) or the text."""
        text = clean_answer(answer)
        numbers = re.findall(r"\d+", text)
        if numbers and re.fullmatch(r"[\d\s,;-]+", text):
            if len(numbers) == 1 and len(numbers[0]) == len(self.chunks) <= 9:
                numbers = list(numbers[0])
            picks = [int(n) for n in numbers]
            if sorted(picks) != list(range(1, len(self.chunks) + 1)):
                return None
            return " ".join(self.chunks[p - 1] for p in picks)
        return text

    def check(self, answer: str) -> CheckResult:
        sentence = self.expected
        rebuilt = self.rebuild(answer)
        if rebuilt is None:
            return CheckResult(
                False, f"Use each number 1–{len(self.chunks)} once – the sentence is: {sentence}", sentence
            )
        want, got = _rebuild_key(sentence), _rebuild_key(rebuilt)
        if got == want:
            return CheckResult(True, "Richtig!", sentence, self.note)
        if got.casefold() == want.casefold():
            return CheckResult(True, "Richtig!", sentence, f"mind the capital letters: {sentence}")
        if transliterate(got).casefold() == transliterate(want).casefold():
            return CheckResult(True, "Richtig!", sentence, f"{TRANSLIT_NOTE}: {sentence}")
        return CheckResult(False, f"Not quite – the sentence is: {sentence}", sentence, self.note)


_ARROW = re.compile(r"\s*(?:->|→|=>|>)\s*")
_DELETE_WORDS = {"", "-", "–", "—", "delete", "nothing", "none", "(delete)", "(nothing)", "weg", "löschen", "nichts"}


@dataclass(frozen=True, kw_only=True)
class SpotErrorExercise(Exercise):
    """``prompt``: the sentence with the recognition error; ``answers``: the minimal fix, then the full one.

    ``wrong``/``right`` are the minimal difference ("weiteren" → "weitere"; "Der" → "" deletes).
    """

    wrong: str = ""
    right: str = ""
    original: str = ""
    corrected: str = ""
    correction_kind: str = ""
    case_matters: bool = False

    def _explain(self) -> str:
        fix = f"{self.original} → {self.corrected}" if self.corrected else f"delete “{self.original}”"
        return f"{fix} [{self.correction_kind}]" + (f": {self.note}" if self.note else "")

    def _applied(self, wrong: str, right: str) -> str | None:
        """The prompt sentence with the learner's replacement applied (None if ``wrong`` is not in it)."""
        sentence = self.prompt
        pattern = r"(?<!\w)" + re.escape(wrong) + r"(?!\w)"
        found = re.search(pattern, sentence) or re.search(pattern, sentence, re.IGNORECASE)
        if found is None:
            return None
        return _spaces(sentence[: found.start()] + right + sentence[found.end() :])

    def _same(self, a: str, b: str) -> tuple[bool, str]:
        match = match_word(a, b, case_matters=self.case_matters, initial=True)
        return match.correct, "; ".join(match.notes)

    def check(self, answer: str) -> CheckResult:
        expected = self.expected
        explain = self._explain()
        text = " ".join(answer.split())
        parts = _ARROW.split(text, maxsplit=1) if _ARROW.search(text) else None
        if parts is not None:
            wrong, right = clean_answer(parts[0]), clean_answer(parts[1])
            if right.casefold() in _DELETE_WORDS:
                right = ""
            applied = self._applied(wrong, right) if wrong else None
            if applied is None:
                return CheckResult(
                    False, f"“{wrong}” is not in the sentence – the error is {expected}", expected, explain
                )
            ok, note = self._same(applied, self.sentence_text or "")
            if ok:
                return CheckResult(True, "Richtig!", expected, "; ".join(x for x in (note, explain) if x))
            found_it = _spaces(wrong).casefold() in (self.wrong.casefold(), self.original.casefold())
            if found_it:
                return CheckResult(
                    False, f"You found the error, but it should be “{self.right or '(deleted)'}”", expected, explain
                )
            return CheckResult(False, f"Not quite – the error is {expected}", expected, explain)
        given = clean_answer(text)
        if not self.right:
            return CheckResult(
                False, f"Not quite – “{self.wrong}” must go: type “{self.wrong} ->” to delete it", expected, explain
            )
        for candidate in (self.right, self.corrected):
            ok, note = self._same(given, candidate)
            if ok:
                return CheckResult(True, "Richtig!", expected, "; ".join(x for x in (note, explain) if x))
        if given.casefold() == self.right.casefold():
            return CheckResult(False, f"Mind the capital letter: “{self.right}”", expected, explain)
        return CheckResult(False, f"Not quite – the error is {expected}", expected, explain)


@dataclass(frozen=True, kw_only=True)
class MatchExercise(Exercise):
    """``pairs``: (German, English) in the order shown; ``choices``: the English sentences, lettered a, b, c …"""

    @property
    def solution(self) -> tuple[int, ...]:
        """For each German sentence, the index of its translation in ``choices``."""
        return tuple(self.choices.index(en) for _, en in self.pairs)

    def parse(self, answer: str) -> dict[int, int] | None:
        """ "1c 2a 3b" (any separators) or letters in order ("c a b", "cab") → {German index: choice index}."""
        text = clean_answer(answer).casefold()
        n = len(self.pairs)
        letters = LETTERS[: len(self.choices)]
        pairs = re.findall(r"(\d+)\s*[-:=.)]?\s*([a-z])\b", text)
        if pairs:
            mapping: dict[int, int] = {}
            for number, letter in pairs:
                if not 1 <= int(number) <= n or letter not in letters:
                    return None
                mapping[int(number) - 1] = letters.index(letter)
            return mapping
        only = re.sub(r"[\s,;]+", "", text)
        if len(only) == n and all(ch in letters for ch in only):
            return {i: letters.index(ch) for i, ch in enumerate(only)}
        return None

    def check(self, answer: str) -> CheckResult:
        expected = self.expected
        mapping = self.parse(answer)
        if mapping is None:
            return CheckResult(
                False,
                f"Answer like “1c 2a 3b” (a number and a letter per sentence) – the answer is {expected}",
                expected,
            )
        right = sum(1 for i, j in enumerate(self.solution) if mapping.get(i) == j)
        if right == len(self.pairs):
            return CheckResult(True, "Richtig!", expected)
        wrong = [f"{i + 1}{LETTERS[j]}" for i, j in sorted(mapping.items()) if self.solution[i] != j]
        return CheckResult(
            False,
            f"{right} of {len(self.pairs)} right – the answer is {expected}",
            expected,
            ("not " + ", ".join(wrong)) if wrong and right else "",
        )


# --- building --------------------------------------------------------------------------------------------------


@dataclass
class _Item:
    """A candidate exercise with the keys (lemmas, sentences) it uses, to keep a set varied."""

    exercise: Exercise
    keys: frozenset[tuple[str, object]] = field(default_factory=frozenset)


def build_exercises(
    lesson: Lesson,
    meanings: Meanings,
    *,
    kinds: Iterable[str] | None = None,
    level: str = "B1",
    count: int = 10,
    seed: int = 0,
    known: Collection[str] = (),
    stretch: int = 1,
) -> list[Exercise]:
    """A set of ``count`` exercises on ``lesson`` for a learner at ``level`` (words up to ``stretch`` bands above).

    ``kinds``: which kinds, in turn (default :data:`KINDS`); kinds without material in this lesson are
    skipped. ``known``: lemmas never to target. Deterministic: the same arguments give the same set.
    """
    wanted_level = check_level(level) or "B1"
    chosen = list(dict.fromkeys(_check_kind(k) for k in (kinds if kinds is not None else KINDS)))
    if count <= 0 or not chosen:
        return []
    rng = random.Random(seed)
    builder = _Builder(lesson, meanings, wanted_level, max(0, stretch), set(known), rng)
    pools: dict[str, list[_Item]] = {kind: builder.pool(kind) for kind in chosen}
    used: set[tuple[str, object]] = set()
    out: list[Exercise] = []
    while len(out) < count and any(pools.values()):
        for kind in chosen:
            if len(out) >= count:
                break
            pool = pools[kind]
            if not pool:
                continue
            index = next((i for i, item in enumerate(pool) if not (item.keys & used)), 0)
            item = pool.pop(index)
            used |= item.keys
            out.append(item.exercise)
    return out


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown exercise kind {kind!r} (one of {', '.join(KINDS)})")
    return str(kind)


_GENDER_WORDS = {"m": "masculine", "f": "feminine", "n": "neuter"}
_ARTICLE_OF = {"m": "der", "f": "die", "n": "das"}
_SUFFIX_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ung", "heit", "keit", "schaft", "ion", "tät", "ik", "ei", "enz", "anz", "ur"), "die"),
    (("chen", "lein", "ment", "um", "tum"), "das"),
    (("ling", "ismus", "or", "ig", "ich", "ant", "ist"), "der"),
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ENGLISH_MARKERS = _words("the of is are you time tell this that open source")
_DETERMINERS = _words(
    "der ein kein mein dein sein ihr unser euer dieser jener jeder mancher welcher solcher alle beide "
    "viel mehr wenig einige einig mehrere etlich"
)
_PREPOSITIONS = _words(
    "in an auf mit von zu für bei aus nach über unter vor hinter neben zwischen durch um gegen ohne seit bis "
    "zum zur im am ins ans vom beim aufs wegen trotz während laut pro"
)
_DEGREE = _words("sehr so ganz zu noch besonders ziemlich relativ")
_TITLES_BEFORE_NAMES = _words("Herr Herrn Frau Dr. Professor Professorin")
_UNITS = (("zum", "Beispiel"), ("vor", "allem"), ("immer", "noch"), ("zum", "Schluss"), ("vor", "allem"))

MAX_CLOZE_WORDS = 30
_SPOT_HINTS = {
    "name": "a name was misheard (often an English name turned into German-looking words)",
    "grammar": "a grammar slip: a wrong ending, or a word that does not belong",
    "spelling": "a spelling mistake – mind the capital letters",
    "variant": "a spelling variant",
}


class _Builder:
    def __init__(
        self, lesson: Lesson, meanings: Meanings, level: str, stretch: int, known: set[str], rng: random.Random
    ) -> None:
        self.lesson = lesson
        self.meanings = meanings
        self.rng = rng
        self.known = known
        self.lo = level_rank(level)
        self.hi = min(self.lo + stretch, len(CEFR_LEVELS) - 1)
        self.entries = build_vocabulary(lesson, meanings)
        self._occurrences: dict[tuple[str, str], list[Sentence]] = {}
        for sentence in lesson.sentences:
            for token in sentence.tokens:
                key = (token.lemma, str(token.pos))
                found = self._occurrences.setdefault(key, [])
                if not found or found[-1] is not sentence:
                    found.append(sentence)

    # -- grading --------------------------------------------------------------------------------------------

    def tier(self, rank: int) -> int:
        """0: at the level or up to ``stretch`` above; 1: below (nearest first); 2: further above."""
        if self.lo <= rank <= self.hi:
            return 0
        return 1 if rank < self.lo else 2

    def graded(self, items: Sequence[tuple[int, _Item]]) -> list[_Item]:
        """Shuffled within tiers; tier 0 first, then the bands below (nearest first), then those above."""
        shuffled = list(items)
        self.rng.shuffle(shuffled)

        def key(pair: tuple[int, _Item]) -> tuple[int, int]:
            rank = pair[0]
            tier = self.tier(rank)
            return (tier, 0 if tier == 0 else -rank if tier == 1 else rank)

        return [item for _, item in sorted(shuffled, key=key)]

    def targets(self) -> list[VocabEntry]:
        return [e for e in self.entries if e.lemma not in self.known and e.display not in self.known]

    def pool(self, kind: str) -> list[_Item]:
        return {
            ExerciseKind.CLOZE: self.cloze,
            ExerciseKind.MEANING: self.meaning,
            ExerciseKind.ARTICLE: self.article,
            ExerciseKind.WORD_ORDER: self.word_order,
            ExerciseKind.SPOT_ERROR: self.spot_error,
            ExerciseKind.MATCH: self.match,
        }[ExerciseKind(kind)]()

    def _translation(self, sentence: Sentence) -> str | None:
        found = self.meanings.translation(sentence, self.lesson.source)
        return found.english if found else None

    # -- cloze ----------------------------------------------------------------------------------------------

    def cloze(self) -> list[_Item]:
        forms_by_pos: dict[str, list[str]] = {}
        names = {t.text for s in self.lesson.sentences for t in s.tokens if t.pos is Pos.PROPN}
        for sentence in self.lesson.sentences:
            for token in sentence.tokens:
                if token.pos in (Pos.NOUN, Pos.VERB, Pos.ADJ, Pos.ADV) and not (
                    is_particle(token) or is_function_word(token) or token.text in names
                ):
                    forms = forms_by_pos.setdefault(str(token.pos), [])
                    if token.text not in forms:
                        forms.append(token.text)
        items: list[tuple[int, _Item]] = []
        for entry in self.targets():
            sentences = [
                s for s in self._occurrences.get((entry.lemma, entry.pos), []) if len(s.words) <= MAX_CLOZE_WORDS
            ]
            if not sentences:
                continue
            clear = [s for s in sentences if self._unambiguous(s, entry)]
            sentence = self.rng.choice(clear or sentences)
            exercise = self._cloze(entry, sentence, forms_by_pos.get(entry.pos, []))
            if exercise is not None:
                keys = frozenset({("lemma", entry.lemma), ("sentence", sentence.index)})
                items.append((entry.level, _Item(exercise, keys)))
        return self.graded(items)

    @staticmethod
    def _unambiguous(sentence: Sentence, entry: VocabEntry) -> bool:
        tokens = example_tokens(sentence, entry.lemma, entry.pos)
        if not tokens:
            return False
        form = tokens[0].text.casefold()
        return sum(1 for t in sentence.tokens if t.text.casefold() == form) == 1

    def _cloze(self, entry: VocabEntry, sentence: Sentence, forms: Sequence[str]) -> ClozeExercise | None:
        tokens = example_tokens(sentence, entry.lemma, entry.pos)
        if not tokens:
            return None
        target = tokens[0]
        answer = sentence.text[target.start : target.end]
        prompt = sentence.text[: target.start] + BLANK + sentence.text[target.end :]
        others = [
            f for f in forms if f.casefold() != answer.casefold() and f.casefold() not in self._lemma_forms(entry)
        ]
        self.rng.shuffle(others)
        bank = [answer, *others[:3]]
        self.rng.shuffle(bank)
        hint = entry.display + (f" ({entry.meaning})" if entry.meaning else "")
        separable = any(is_particle(t) for t in tokens)
        instruction = "Fill in the gap with the right form of the word"
        instruction += f" meaning “{entry.meaning}”." if entry.meaning else "."
        if separable:
            instruction += " (A separable verb: its particle is already in the sentence.)"
        first_word = next((t for t in sentence.tokens if t.is_word), None)
        return ClozeExercise(
            kind=ExerciseKind.CLOZE,
            instruction=instruction,
            prompt=prompt,
            answers=(answer,),
            sentence_index=sentence.index,
            sentence_text=sentence.text,
            lemma=entry.lemma,
            pos=entry.pos,
            level=target.cefr,
            hint=hint,
            choices=tuple(bank),
            translation=self._translation(sentence),
            initial=first_word is target,
        )

    def _lemma_forms(self, entry: VocabEntry) -> set[str]:
        return {
            t.text.casefold()
            for s in self._occurrences.get((entry.lemma, entry.pos), [])
            for t in s.tokens
            if t.lemma == entry.lemma
        }

    # -- meaning --------------------------------------------------------------------------------------------

    def meaning(self) -> list[_Item]:
        glossed = [e for e in self.entries if e.meaning]
        items: list[tuple[int, _Item]] = []
        for entry in self.targets():
            if not entry.meaning:
                continue
            exercise = self._meaning(entry, glossed)
            if exercise is not None:
                items.append((entry.level, _Item(exercise, frozenset({("lemma", entry.lemma)}))))
        return self.graded(items)

    def _meaning(self, entry: VocabEntry, glossed: Sequence[VocabEntry]) -> MeaningExercise | None:
        assert entry.meaning is not None
        answer = choice_text(entry.meaning)
        info = self.meanings.word(entry.lemma, entry.pos, self.lesson.source)
        taboo = content_words(answer)
        for m in info.meanings[:3]:
            taboo |= content_words(m.english)
        candidates = sorted(
            (e for e in glossed if e.pos == entry.pos and e.lemma.casefold() != entry.lemma.casefold()),
            key=lambda e: (abs(e.zipf - entry.zipf), e.sentence),
        )
        pool = [(e.lemma, choice_text(e.meaning or "")) for e in candidates[:12]]
        self.rng.shuffle(pool)
        pool += [(e.lemma, choice_text(e.meaning or "")) for e in candidates[12:]]
        pool += [(lemma, english) for lemma, english in FALLBACK_WORDS.get(entry.pos, ())]
        distractors = pick_distractors(answer, taboo, pool, entry.lemma)
        if len(distractors) < 3:
            return None
        options = [(entry.lemma, answer), *distractors]
        self.rng.shuffle(options)
        sentence = self.lesson.sentences[entry.sentence]
        return MeaningExercise(
            kind=ExerciseKind.MEANING,
            instruction=f"What does “{entry.display}” mean in this text? Type 1–4 (or the meaning).",
            prompt=entry.display,
            answers=(answer,),
            sentence_index=sentence.index,
            sentence_text=sentence.text,
            lemma=entry.lemma,
            pos=entry.pos,
            level=entry.cefr,
            hint=f"in the text: {sentence.text}",
            choices=tuple(english for _, english in options),
            choice_lemmas=tuple(lemma for lemma, _ in options),
            translation=entry.example_translation,
            note=entry.meaning_note,
        )

    # -- article --------------------------------------------------------------------------------------------

    def article(self) -> list[_Item]:
        items: list[tuple[int, _Item]] = []
        for entry in self.targets():
            if entry.pos != Pos.NOUN or not entry.article or entry.plural_only or not entry.gender:
                continue
            articles = self._articles(entry)
            if articles is None:
                continue
            items.append((entry.level, _Item(self._article(entry, articles), frozenset({("lemma", entry.lemma)}))))
        return self.graded(items)

    def _articles(self, entry: VocabEntry) -> tuple[str, ...] | None:
        """The articles the noun takes (first: the usual one); None when the lexicon's grammar is not its own."""
        lexicon = self.meanings.lexicon
        genders: tuple[str, ...] = ()
        if lexicon is not None:
            noun = lexicon.noun(entry.lemma)
            if noun is None or getattr(noun, "lemma", entry.lemma) != entry.lemma:
                return None
            genders = tuple(getattr(noun, "genders", ()) or ())
        articles = [entry.article or ""] + [_ARTICLE_OF[g] for g in genders if g in _ARTICLE_OF]
        return tuple(dict.fromkeys(a for a in articles if a))

    def _article(self, entry: VocabEntry, articles: tuple[str, ...]) -> ArticleExercise:
        sentence = self.lesson.sentences[entry.sentence]
        gender = _GENDER_WORDS.get(entry.gender or "", "")
        hint = article_hint(entry)
        note = hint or ""
        if len(articles) > 1:
            note = (note + "; " if note else "") + "also: " + ", ".join(f"{a} {entry.lemma}" for a in articles[1:])
        followup = None
        if entry.plural:
            followup = PluralExercise(
                kind=ExerciseKind.PLURAL,
                instruction=f"And the plural? {entry.display} → die …",
                prompt=f"{entry.display} → die {BLANK}",
                answers=(entry.plural,),
                sentence_index=sentence.index,
                sentence_text=sentence.text,
                lemma=entry.lemma,
                pos=entry.pos,
                level=entry.cefr,
                hint=f"{len(entry.plural)} letters, starts with “{entry.plural[:2]}”",
            )
        return ArticleExercise(
            kind=ExerciseKind.ARTICLE,
            instruction="der, die oder das? Type the article (or 1–3).",
            prompt=f"{BLANK} {entry.lemma}",
            answers=articles,
            sentence_index=sentence.index,
            sentence_text=sentence.text,
            lemma=entry.lemma,
            pos=entry.pos,
            level=entry.cefr,
            hint=hint,
            choices=("der", "die", "das"),
            note=f"{entry.display} ({gender})" + (f" – {note}" if note else ""),
            followup=followup,
            display=entry.display,
            translation=entry.meaning,
        )

    # -- word order -----------------------------------------------------------------------------------------

    def word_order(self) -> list[_Item]:
        items: list[tuple[int, _Item]] = []
        for sentence in self.lesson.sentences:
            chunks = sentence_chunks(sentence)
            if chunks is None:
                continue
            ranks = [level_rank(t.cefr) for t in sentence.words if t.pos is not Pos.PROPN and t.cefr]
            hardest = max(ranks, default=0)
            exercise = self._word_order(sentence, chunks)
            rank = self.lo if hardest <= self.hi else hardest  # easy words are still good grammar practice
            items.append((rank, _Item(exercise, frozenset({("sentence", sentence.index)}))))
        return self.graded(items)

    def _word_order(self, sentence: Sentence, chunks: list[str]) -> WordOrderExercise:
        text = _spaces(sentence.text)
        ending = ""
        last = chunks[-1]
        stripped = last.rstrip(".!?…")
        if stripped != last and stripped:
            ending = last[len(stripped) :]
            chunks = [*chunks[:-1], stripped]
        first = sentence.words[0] if sentence.words else None
        if first is not None and first.pos not in (Pos.NOUN, Pos.PROPN) and chunks[0][:1].isupper():
            chunks = [chunks[0][:1].lower() + chunks[0][1:], *chunks[1:]]
        order = list(range(len(chunks)))
        for _ in range(20):
            self.rng.shuffle(order)
            if [chunks[i] for i in order] != chunks:
                break
        shown = tuple(chunks[i] for i in order)
        numbers = " ".join(str(order.index(position) + 1) for position in range(len(chunks)))
        return WordOrderExercise(
            kind=ExerciseKind.WORD_ORDER,
            instruction="Put the parts in order: type their numbers (e.g. “3 1 2”) or the sentence.",
            prompt=" / ".join(shown) + (f"   (… {ending})" if ending else ""),
            answers=(text, numbers),
            sentence_index=sentence.index,
            sentence_text=sentence.text,
            chunks=shown,
            hint=f"it starts with “{chunks[0]}”",
            translation=self._translation(sentence),
            ending=ending,
        )

    # -- spot the error -------------------------------------------------------------------------------------

    def spot_error(self) -> list[_Item]:
        items: list[_Item] = []
        for correction in self.lesson.corrections:
            exercise = self._spot(correction)
            if exercise is not None:
                items.append(_Item(exercise, frozenset({("sentence", exercise.sentence_index)})))
        self.rng.shuffle(items)
        return items

    def _spot(self, correction: Correction) -> SpotErrorExercise | None:
        if not correction.applied or correction.sentence is None:
            return None
        if not 0 <= correction.sentence < len(self.lesson.sentences):
            return None
        sentence = self.lesson.sentences[correction.sentence]
        wrong_text = undo_correction(sentence, correction)
        if wrong_text is None:
            return None
        wrong, right = minimal_change(correction.original, correction.corrected)
        if not wrong:
            return None
        case_only = wrong.casefold() == right.casefold()
        return SpotErrorExercise(
            kind=ExerciseKind.SPOT_ERROR,
            instruction=(
                "The speech recogniser made a mistake in this sentence. Type the right word, or “wrong -> right” "
                "(“wrong ->” with nothing after the arrow removes a word)."
            ),
            prompt=wrong_text,
            answers=tuple(a for a in dict.fromkeys((f"{wrong} -> {right}".rstrip(), right, correction.corrected)) if a),
            sentence_index=sentence.index,
            sentence_text=sentence.text,
            lemma=None,
            hint=_SPOT_HINTS.get(correction.kind, f"kind of error: {correction.kind}"),
            note=correction.note,
            translation=self._translation(sentence),
            wrong=wrong,
            right=right,
            original=correction.original,
            corrected=correction.corrected,
            correction_kind=correction.kind,
            case_matters=case_only,
        )

    # -- sentence match -------------------------------------------------------------------------------------

    def match(self) -> list[_Item]:
        candidates: list[tuple[Sentence, str]] = []
        seen: set[str] = set()
        for sentence in self.lesson.sentences:
            if not 4 <= len(sentence.words) <= 20 or any(t.text.casefold() in _ENGLISH_MARKERS for t in sentence.words):
                continue
            english = self._translation(sentence)
            if not english or english.casefold() in seen or _spaces(english) == _spaces(sentence.text):
                continue
            seen.add(english.casefold())
            candidates.append((sentence, english))
        if len(candidates) < 3:
            return []
        self.rng.shuffle(candidates)
        groups: list[list[tuple[Sentence, str]]] = []
        size = 4 if len(candidates) >= 4 else 3
        for start in range(0, len(candidates) - size + 1, size):
            groups.append(candidates[start : start + size])
        rest = len(candidates) % size
        if groups and rest > 0 and len(groups[-1]) + rest <= 5:
            groups[-1] = groups[-1] + candidates[-rest:]
        items = []
        for group in groups:
            group = sorted(group, key=lambda pair: pair[0].index)
            pairs = tuple((s.text, en) for s, en in group)
            english = [en for _, en in pairs]
            self.rng.shuffle(english)
            answer = " ".join(f"{i + 1}{LETTERS[english.index(en)]}" for i, (_, en) in enumerate(pairs))
            exercise = MatchExercise(
                kind=ExerciseKind.MATCH,
                instruction=(
                    "Match each German sentence with its English translation: type a number and a letter per "
                    "sentence, e.g. “1c 2a 3b” (or just the letters in order: “c a b”)."
                ),
                prompt="\n".join(f"{i + 1}. {de}" for i, (de, _) in enumerate(pairs)),
                answers=(answer,),
                sentence_index=group[0][0].index,
                sentence_text=group[0][0].text,
                choices=tuple(english),
                pairs=pairs,
            )
            items.append(_Item(exercise, frozenset(("sentence", s.index) for s, _ in group)))
        return items


def choice_text(meaning: str) -> str:
    """A meaning as a multiple-choice option: its first alternative, at most ~40 characters."""
    text = short_meaning(meaning, alternatives=1, limit=40)
    if len(text) > 48:
        text = text.split(",")[0].strip()
    return text


def content_words(text: str) -> set[str]:
    """The English content words of a meaning, crudely stemmed (first five letters), for overlap checks."""
    words = re.findall(r"[a-z]+", re.sub(r"\([^)]*\)", " ", text.casefold()))
    return {w[:5] for w in words if w not in _EN_STOP and len(w) > 1}


def pick_distractors(
    answer: str, taboo: set[str], pool: Iterable[tuple[str, str]], lemma: str, count: int = 3
) -> list[tuple[str, str]]:
    """Up to ``count`` meanings from ``pool`` that share no content word with the answer, its lemma's other
    glosses (``taboo``) or each other, and are not the answer or glosses of the same lemma. Returns
    (lemma, meaning) pairs."""
    picked: list[tuple[str, str]] = []
    used = set(taboo) | content_words(answer)
    seen = {answer.casefold()}
    lemmas = {lemma.casefold()}
    for other_lemma, english in pool:
        if len(picked) >= count:
            break
        words = content_words(english)
        if not english or not words or english.casefold() in seen or other_lemma.casefold() in lemmas:
            continue
        if words & used:
            continue
        picked.append((other_lemma, english))
        seen.add(english.casefold())
        lemmas.add(other_lemma.casefold())
        used |= words
    return picked


def article_hint(entry: VocabEntry) -> str | None:
    """A rule a teacher would give: the last part of a compound decides; some endings go with one article."""
    lemma = entry.lemma
    head = entry.parts[-1].lemma if len(entry.parts) > 1 else (lemma.rsplit("-", 1)[1] if "-" in lemma else None)
    if head and head != lemma and head[:1].isupper():
        return f"a compound takes the article of its last part: {head}"
    lower = lemma.casefold()
    for endings, article in _SUFFIX_RULES:
        for ending in endings:
            if lower.endswith(ending) and len(lower) > len(ending) + 1:
                return f"nouns ending in -{ending} are usually “{article}”"
    return None


def minimal_change(original: str, corrected: str) -> tuple[str, str]:
    """The words that differ ("eher Generell" → "eher generell" gives ("Generell", "generell"))."""
    a, b = original.split(), corrected.split()
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    return " ".join(a[start : len(a) - end]), " ".join(b[start : len(b) - end])


def undo_correction(sentence: Sentence, correction: Correction) -> str | None:
    """The sentence with only this correction undone (other fixes in it stay)."""
    text = sentence.text
    pattern = r"(?<!\w)" + re.escape(correction.corrected) + r"(?!\w)"
    found = re.search(pattern, text) if correction.corrected else None
    if found is not None:
        return text[: found.start()] + correction.original + text[found.end() :]
    original = sentence.original
    if original and re.search(r"(?<!\w)" + re.escape(correction.original) + r"(?!\w)", original):
        return original
    return None


# --- word-order chunks -----------------------------------------------------------------------------------------


def _pieces(sentence: Sentence) -> list[tuple[int, int, list[Token]]]:
    """Whitespace-separated pieces of the text with the tokens inside each."""
    out: list[tuple[int, int, list[Token]]] = []
    for found in re.finditer(r"\S+", sentence.text):
        tokens = [t for t in sentence.tokens if t.start >= found.start() and t.end <= found.end()]
        out.append((found.start(), found.end(), tokens))
    return out


def _main(tokens: list[Token]) -> Token | None:
    return next((t for t in tokens if t.pos is not Pos.PUNCT), None)


def sentence_chunks(sentence: Sentence, *, min_words: int = 5, max_words: int = 12) -> list[str] | None:
    """The sentence cut into chunks for a word-order exercise, or None if it is not a good one.

    Punctuation stays with its word; a noun phrase (preposition, article, adjectives, noun) and a run of names
    stay together, as do units like "zum Beispiel". Sentences of ``min_words``–``max_words`` words only, with
    at least three words that are not names, no English phrases, and 4–9 chunks.
    """
    words = sentence.words
    if not min_words <= len(words) <= max_words:
        return None
    names = [t for t in words if t.pos is Pos.PROPN]
    if len(words) - len(names) < 3 or len(names) * 3 > len(words):
        return None
    if any(t.text.casefold() in _ENGLISH_MARKERS for t in words):
        return None
    pieces = [p for p in _pieces(sentence) if p[2]]
    if not pieces:
        return None
    groups: list[list[int]] = []
    i = 0
    while i < len(pieces):
        token = _main(pieces[i][2])
        if token is None:  # punctuation alone ("–"): joins the chunk before it
            if groups:
                groups[-1].append(i)
            else:
                groups.append([i])
            i += 1
            continue
        start = i
        # "Technologie- und Wirtschaftsreporter": a truncated compound stays with what completes it
        while sentence.text[pieces[i][1] - 1] == "-" and i + 2 < len(pieces) and not _ends_phrase(pieces[i]):
            i += 2
        end = _phrase_end(pieces, i)
        groups.append(list(range(start, end + 1)))
        i = end + 1
    chunks = [sentence.text[pieces[g[0]][0] : pieces[g[-1]][1]] for g in groups]
    chunks = [_spaces(c) for c in chunks]
    if not 4 <= len(chunks) <= 9:
        return None
    return chunks


def _ends_phrase(piece: tuple[int, int, list[Token]]) -> bool:
    """A piece ending in punctuation closes its chunk."""
    return piece[2][-1].pos is Pos.PUNCT


def _phrase_end(pieces: list[tuple[int, int, list[Token]]], i: int) -> int:
    """Index of the last piece of the chunk starting at ``i``."""
    token = _main(pieces[i][2])
    assert token is not None
    if _ends_phrase(pieces[i]):
        return i
    nxt = _main(pieces[i + 1][2]) if i + 1 < len(pieces) else None
    if nxt is not None and any((token.text, nxt.text) == unit for unit in _UNITS):
        return i + 1
    if token.pos is Pos.PROPN or (token.text in _TITLES_BEFORE_NAMES and nxt is not None and nxt.pos is Pos.PROPN):
        j = i
        while j + 1 < len(pieces) and not _ends_phrase(pieces[j]):
            after = _main(pieces[j + 1][2])
            if after is None or after.pos is not Pos.PROPN:
                break
            j += 1
        return j
    starts_np = (token.lemma in _DETERMINERS and token.pos is Pos.OTHER) or token.text.casefold() in _PREPOSITIONS
    starts_np = starts_np or token.pos is Pos.ADJ
    if not starts_np:
        return i
    j = i
    for k in range(i, min(i + 5, len(pieces))):
        current = _main(pieces[k][2])
        if current is None:
            break
        if current.pos in (Pos.NOUN, Pos.PROPN):
            j = k
            while j + 1 < len(pieces) and not _ends_phrase(pieces[j]):
                after = _main(pieces[j + 1][2])
                if after is None or after.pos is not Pos.PROPN or current.pos is not Pos.PROPN:
                    break
                j += 1
            return j
        if _ends_phrase(pieces[k]) and k > i:
            return i
        allowed = (
            k == i
            or current.pos in (Pos.ADJ, Pos.NUM)
            or (current.pos is Pos.OTHER and current.lemma in _DETERMINERS)
            or current.text.casefold() in _DEGREE
        )
        if not allowed:
            return i
    return i


# --- fallback distractors ----------------------------------------------------------------------------------

FALLBACK_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "NOUN": (
        ("Haus", "house"),
        ("Baum", "tree"),
        ("Fenster", "window"),
        ("Zug", "train"),
        ("Schuh", "shoe"),
        ("Wetter", "weather"),
        ("Küche", "kitchen"),
        ("Vogel", "bird"),
        ("Brief", "letter"),
        ("Stuhl", "chair"),
    ),
    "VERB": (
        ("schwimmen", "to swim"),
        ("kochen", "to cook"),
        ("schlafen", "to sleep"),
        ("singen", "to sing"),
        ("tanzen", "to dance"),
        ("waschen", "to wash"),
        ("lachen", "to laugh"),
        ("fliegen", "to fly"),
    ),
    "ADJ": (
        ("grün", "green"),
        ("müde", "tired"),
        ("hungrig", "hungry"),
        ("laut", "loud"),
        ("warm", "warm"),
        ("nass", "wet"),
        ("süß", "sweet"),
        ("alt", "old"),
    ),
    "ADV": (
        ("gestern", "yesterday"),
        ("morgen", "tomorrow"),
        ("draußen", "outside"),
        ("oben", "upstairs"),
        ("leider", "unfortunately"),
        ("bald", "soon"),
        ("manchmal", "sometimes"),
        ("gern", "gladly"),
    ),
}
"""Everyday words used as distractors when a lesson has too few words of a part of speech."""
