"""Misheard names in transcripts: spans that sound like a known name but are not German words.

A speech recogniser writes a name it does not know as German words or as a German spelling of English sounds:
"ChatGPT" becomes "JetGPT" or "Tschätt Dschi Pi Ti", "DeepSeek" becomes "Diebsieg" or "Deep Sieg", "OpenAI"
becomes "Open Ei Ei", "Microsoft" becomes "Maikrosoft". This module finds such spans and the name they stand for.

**Targets** are names the library knows: a built-in list of well-known tech names and companies
(``lessons/data/tech_names.txt``) plus the proper nouns of the library's articles, collected by a cheap pass over
their cleaned text (:func:`collect_names`): words with an internal capital or digits (DeepSeek, R1), acronyms
(IBM, NVIDIA), hyphenated names (Chat-GPT, DeepSeek-R1) and pairs of capitalised words ending in a word that is
rare in German and English (Marc Andreessen, Liang Wenfeng). Spellings of one name that differ only in case,
spaces or hyphens form one :class:`NameGroup` ("Deepseek", "Open AI"); its canonical form is the built-in
spelling if there is one, else the most frequent one in the articles. Transcripts are no source: their spellings
are what we are correcting.

**Candidates** are windows of 1–4 word tokens (joined by one space or a hyphen) that start with a capital letter,
contain no function word and overlap no known name as written, and are never an ordinary word:

* one token: rare in German *and* English (wordfreq Zipf < ``RARE_ZIPF`` = 3), unknown to simplemma's dictionary
  (as written and as lemma), unknown to the optional lexicon (anything with ``knows(word) -> bool``, e.g.
  ``lessons.lexicon.Lexicon``), at least ``MIN_LETTERS`` letters long;
* several tokens: every token capitalised, none a known name of four or more letters, at least one of them not
  German: rare as above, or an English word (English Zipf more than ``ENGLISH_MARGIN`` = 0.5 above its German
  Zipf: "Deep", "Open", "Jet"); the tokens written together must not be an ordinary word either.

**Score.** Every string gets phonetic keys and spellings:

* *German reading*: the Kölner Phonetik code (``cologne_phonetics``) of its letters as written;
* *English reading*: the code of its German respelling (:func:`respell`, an English→German normaliser: "ch" →
  "tsch", "j" → "dsch", "ee" → "i", "c" → "k"/"s", final silent "e" dropped, acronyms spelt with English letter
  names: G → "dschi", P → "pi", A → "ei"); a target also gets its acronyms with German letter names (G → "ge");
* *spellings*: each reading and its rough German sound spelling (:func:`sound`: "ie" → "i", final devoicing
  b/d/g → p/t/k), lower case, umlauts folded, doubled letters squashed.

``phon`` is the best normalised Levenshtein similarity between a candidate key and a target key (0 if the longer
of the two has fewer than ``MIN_KEY`` = 3 codes, times ``SHORT_KEY_FACTOR`` = 0.85 if it has exactly 3: "Meta" and
"Mitte" are both 62), ``spell`` the best ``rapidfuzz.fuzz.ratio`` / 100 between their spellings, ``zipf`` the larger
of the candidate's German and English Zipf frequency (written together), and::

    score = 0.6 * phon + 0.4 * spell - 0.06 * zipf

The frequency term asks a real (if rare) word or surname for a closer match than a non-word such as "Diebsieg".
A span keeps its best target; overlapping spans keep the best score (longer span on a tie). A suggestion is listed
from ``LIST_THRESHOLD`` = 0.72 and applied from ``APPLY_THRESHOLD`` = 0.82. Examples: "Diebsieg" → DeepSeek 1.00
(keys 2184 = 2184, sound spellings "dipsik" = "dipsik"), "JetGPT" → ChatGPT 0.95 (English keys 82812 = 82812),
"Open Ei Ei" → OpenAI 0.86, "Klod" → Claude 0.78 (listed only), "Rasmus" → nothing above 0.72. Over 32,000
rare German words and names from wordfreq's list (each taken as a capitalised candidate), one reached the apply
threshold ("Simeons" → Siemens) and 23 the list threshold.

**Variants.** A name spelt differently from its group's canonical form ("Deepseek", "Open AI", "NVIDIA") is a
``variant`` suggestion with score 1.0. It is lower-risk than a misheard name but often a publication's house style,
so :class:`~lessons.corrections.Corrector` applies variants only in transcripts (where the spelling is the
recogniser's, not an author's) and only towards a built-in spelling; elsewhere they are listed, not applied.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import NamedTuple, Protocol

from lessons import language
from lessons.tokens import lemmatize, simplemma_knows

APPLY_THRESHOLD = 0.82
LIST_THRESHOLD = 0.72
PHON_WEIGHT = 0.6
FREQ_PENALTY = 0.06
"""Per Zipf point of the candidate: a real (if rare) word or name needs a closer match than a non-word."""
SHORT_KEY_FACTOR = 0.85
"""Phonetic similarity counts this much when the longer key has only ``MIN_KEY`` codes (OpenAI: 016)."""
MIN_KEY = 3
"""Keys shorter than this (both sides) say too little: "Meta" and "Mitte" are both 62."""
RARE_ZIPF = 3.0
ENGLISH_MARGIN = 0.5
MIN_LETTERS = 3
MAX_WINDOW = 4
MAX_ACRONYM = 4
"""Capital runs up to this long are spelt letter by letter (GPT, IBM, TSMC); longer ones are words (NVIDIA)."""

DETECTOR_VERSION = "1"


class KnowsWords(Protocol):
    """The part of ``lessons.lexicon.Lexicon`` the detector uses (optional)."""

    def knows(self, word: str) -> bool: ...


# --- respelling and keys -----------------------------------------------------------------------------------

EN_LETTERS = {
    "a": "ei", "b": "bi", "c": "ssi", "d": "di", "e": "i", "f": "eff", "g": "dschi", "h": "eitsch", "i": "ai",
    "j": "dschei", "k": "kei", "l": "ell", "m": "emm", "n": "enn", "o": "ou", "p": "pi", "q": "kju", "r": "ar",
    "s": "ess", "t": "ti", "u": "ju", "v": "wi", "w": "dabbelju", "x": "ex", "y": "wai", "z": "si",
}  # fmt: skip
DE_LETTERS = {
    "a": "a", "b": "be", "c": "ze", "d": "de", "e": "e", "f": "eff", "g": "ge", "h": "ha", "i": "i", "j": "jott",
    "k": "ka", "l": "ell", "m": "emm", "n": "enn", "o": "o", "p": "pe", "q": "ku", "r": "er", "s": "ess", "t": "te",
    "u": "u", "v": "fau", "w": "we", "x": "ix", "y": "ypsilon", "z": "zett",
}  # fmt: skip

# English spelling → how a German ear writes it; at each position the first matching rule wins.
_RESPELL = [
    (re.compile(r"tsch|dsch|sch|ng"), None),
    (re.compile(r"gg"), "g"),
    (re.compile(r"tion"), "schen"),
    (re.compile(r"igh"), "ai"),
    (re.compile(r"ch"), "tsch"),
    (re.compile(r"sh"), "sch"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "s"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"qu"), "kw"),
    (re.compile(r"ee|ea"), "i"),
    (re.compile(r"oo"), "u"),
    (re.compile(r"ou|ow"), "au"),
    (re.compile(r"j"), "dsch"),
    (re.compile(r"g(?=[eiy])"), "dsch"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"y(?=[^aeiou]|$)"), "i"),
    (re.compile(r"v"), "w"),
    (re.compile(r"z"), "s"),
]
_RESPELL_END = [(re.compile(r"(?<=[^aeiou])le$"), "el"), (re.compile(r"(?<=[^aeiou])e$"), "")]
_NAME_PART = re.compile(r"[A-ZÄÖÜ]{2,}(?=[A-ZÄÖÜ][a-zäöüß]|[^A-Za-zÄÖÜäöüß]|$)|[A-ZÄÖÜ]?[a-zäöüß]+|[A-ZÄÖÜ]|\d+")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e", "á": "a", "à": "a"})


def _respell_word(word: str) -> str:
    out: list[str] = []
    position = 0
    while position < len(word):
        for pattern, replacement in _RESPELL:
            match = pattern.match(word, position)
            if match:
                out.append(match.group() if replacement is None else replacement)
                position = match.end()
                break
        else:
            out.append(word[position])
            position += 1
    text = "".join(out)
    if len(text) > 3:
        for pattern, replacement in _RESPELL_END:
            text = pattern.sub(replacement, text)
    return text


def name_parts(text: str) -> list[tuple[str, bool]]:
    """Split a name into parts, each with whether it is an acronym: "ChatGPT" → [("Chat", F), ("GPT", T)]."""
    parts = []
    for match in _NAME_PART.finditer(text):
        part = match.group()
        acronym = part.isupper() and (2 <= len(part) <= MAX_ACRONYM or (len(part) == 1 and part.isalpha()))
        parts.append((part, acronym))
    return parts


def respell(text: str, letters: dict[str, str] = EN_LETTERS) -> str:
    """How a German recogniser would write an English name: "ChatGPT" → "tschatdschipiti"."""
    out = []
    for part, acronym in name_parts(text):
        if part.isdigit():
            continue
        if acronym:
            out.append("".join(letters.get(c, c) for c in part.lower().translate(_FOLD)))
        else:
            out.append(_respell_word(part.lower().translate(_FOLD)))
    return "".join(out)


_SOUND = [
    (re.compile(r"ie|ih"), "i"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"dt|th"), "t"),
    (re.compile(r"tz"), "z"),
    (re.compile(r"ey|ay"), "ei"),
    (re.compile(r"b(?=[^aeiouyäöülr]|$)"), "p"),
    (re.compile(r"d(?=[^aeiouyäöülrs]|$)"), "t"),
    (re.compile(r"(?<!n)g(?=[^aeiouyäöülr]|$)"), "k"),
]


def sound(text: str) -> str:
    """A rough German pronunciation spelling: "ie" → "i", final devoicing ("Diebsieg" → "dipsik")."""
    text = text.lower()
    for pattern, replacement in _SOUND:
        text = pattern.sub(replacement, text)
    return text


def spelling(text: str) -> str:
    """Lower case, umlauts folded, only letters and digits, doubled letters squashed."""
    letters = "".join(c for c in text.lower().translate(_FOLD) if c.isalnum())
    return "".join(c for c, _ in itertools.groupby(letters))


@lru_cache(maxsize=50_000)
def cologne(text: str) -> str:
    """Kölner Phonetik code of a string's letters (spaces and digits ignored)."""
    import cologne_phonetics

    letters = "".join(c for c in text.lower() if c.isalpha())
    if not letters:
        return ""
    return "".join(code for _, code in cologne_phonetics.encode(letters))


@lru_cache(maxsize=200_000)
def group_key(text: str) -> str:
    """What spellings of one name share: lower case, no spaces, hyphens or dots ("Open AI" = "OpenAI")."""
    return "".join(c for c in text.lower() if c.isalnum())


@dataclass(frozen=True, slots=True)
class Keys:
    phonetic: tuple[str, ...]
    spellings: tuple[str, ...]


def candidate_keys(text: str) -> Keys:
    written = text
    english = respell(text)
    return Keys(
        phonetic=tuple(dict.fromkeys(k for k in (cologne(written), cologne(english)) if k)),
        spellings=tuple(dict.fromkeys(s for r in (written, english) for s in (spelling(r), spelling(sound(r))) if s)),
    )


def target_keys(name: str) -> Keys:
    readings = (name, respell(name), respell(name, DE_LETTERS))
    return Keys(
        phonetic=tuple(dict.fromkeys(k for k in (cologne(r) for r in readings) if k)),
        spellings=tuple(dict.fromkeys(s for r in readings for s in (spelling(r), spelling(sound(r))) if s)),
    )


def similarity(candidate: Keys, target: Keys) -> tuple[float, float, float]:
    """(score, phon, spell) as documented in the module docstring."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    phon = max(
        (
            Levenshtein.normalized_similarity(a, b) * (SHORT_KEY_FACTOR if max(len(a), len(b)) == MIN_KEY else 1.0)
            for a in candidate.phonetic
            for b in target.phonetic
            if max(len(a), len(b)) >= MIN_KEY
        ),
        default=0.0,
    )
    spell = max((fuzz.ratio(a, b) / 100 for a in candidate.spellings for b in target.spellings), default=0.0)
    return PHON_WEIGHT * phon + (1 - PHON_WEIGHT) * spell, phon, spell


# --- targets -----------------------------------------------------------------------------------------------


def builtin_names() -> list[str]:
    """The built-in list of well-known tech names (package data)."""
    text = resources.files("lessons").joinpath("data/tech_names.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


_STOPWORDS_TEXT = """
    der die das den dem des ein eine einer eines einem einen kein keine keiner keinen keinem
    und oder aber doch sondern denn weil dass ob wenn als wie so auch noch nur schon sehr
    in im an am auf aus bei beim mit nach seit von vom zu zum zur für über unter vor hinter neben zwischen durch
    gegen ohne um bis ab
    ich du er sie es wir ihr man sich mich mir dich dir uns euch ihn ihm ihnen sein seine ihre ihren unser
    dies diese dieser dieses diesen diesem jeder jede jedes alle alles
    ist sind war waren hat haben hatte wird werden wurde kann können muss müssen soll will
    nicht ja nein hier da dort dann jetzt
    herr frau
    the a an of and or to in on for with at by is are was it this that
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
"""Function words: never part of a name window."""


def _is_capital(token: str) -> bool:
    return token[:1].isupper() or token[:1].isdigit()


def _looks_like_name_token(token: str) -> bool:
    """Internal capital (DeepSeek), an acronym (IBM, GPT) or letters with digits (R1)."""
    letters = [c for c in token if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters) and len(token) >= 3:
        return True
    if any(c.isdigit() for c in token) and letters:
        return True
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(token))


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= MAX_ACRONYM


def _german(token: str) -> bool:
    """An ordinary German word: frequent in German and not clearly an English word."""
    de = language.zipf(token.lower(), "de")
    en = language.zipf(token.lower(), "en")
    return de >= RARE_ZIPF and en - de <= ENGLISH_MARGIN


_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_PIECE = re.compile(r"[^\W_]+")


def _simplemma_knows(word: str) -> bool:
    return simplemma_knows(word)


def _rare_everywhere(word: str) -> bool:
    """Rare in German and English and unknown to simplemma: a surname like "Andreessen", "Wenfeng"."""
    lower = word.lower()
    return (
        word.isalpha()
        and word[:1].isupper()
        and word[1:].islower()
        and len(word) < 12  # longer ones are German compounds ("Chipkonzerns"), not names
        and language.zipf(lower, "de") < RARE_ZIPF
        and language.zipf(lower, "en") < RARE_ZIPF
        and not _simplemma_knows(word)
    )


def _german_only(word: str) -> bool:
    """A German word that is no name anywhere: known in German, (nearly) unknown in English ("Gründer")."""
    lower = word.lower()
    return language.zipf(lower, "en") < 2.5 and (language.zipf(lower, "de") >= 2.0 or _simplemma_knows(word))


def collect_names(texts: Iterable[str]) -> Counter[str]:
    """Proper nouns in running text, with counts (a cheap pass, no tagging):

    * words with an internal capital or letters and digits (DeepSeek, OpenAI, R1) and acronyms (IBM, NVIDIA);
    * hyphenated words whose parts are capitalised, one of them name-like and the last not German (Chat-GPT,
      DeepSeek-R1); in other hyphenated words, the name-like parts before the last (OpenAI-Chef → OpenAI);
    * pairs of capitalised words whose second (or both) is rare in German and English and unknown to simplemma,
      and whose first is not a German-only word (Marc Andreessen, Liang Wenfeng; not "Gründer Liang").
    """
    found: Counter[str] = Counter()
    for text in texts:
        words = list(_WORD.finditer(text))
        for index, match in enumerate(words):
            word = match.group()
            if "-" in word or "'" in word or "’" in word:
                parts = re.split(r"[-'’]", word)
                whole = any(_looks_like_name_token(p) for p in parts) and not _german(parts[-1])
                if whole and all(_is_capital(p) for p in parts):
                    found[word] += 1
                else:
                    found.update(p for p in parts[:-1] if _looks_like_name_token(p))
                continue
            if _looks_like_name_token(word):
                found[word] += 1
            if index and text[words[index - 1].end() : match.start()] == " ":
                first = words[index - 1].group()
                if (
                    first.isalpha()
                    and first[:1].isupper()
                    and first.lower() not in STOPWORDS
                    and _rare_everywhere(word)
                    and (_rare_everywhere(first) or not _german_only(first))
                ):
                    found[f"{first} {word}"] += 1
    return found


def count_spellings(texts: Iterable[str], keys: set[str]) -> Counter[str]:
    """How often each spelling of the names whose group keys are ``keys`` occurs (windows of 1–3 words)."""
    counts: Counter[str] = Counter()
    for text in texts:
        tokens = _tokens(text)
        for i, j in _windows(text, tokens, 3):
            surface = text[tokens[i].start : tokens[j - 1].end]
            if surface[:1].isupper() and group_key(surface) in keys:
                counts[surface] += 1
    return counts


@dataclass(slots=True)
class NameGroup:
    """Spellings of one name ("DeepSeek", "Deepseek") and the canonical one."""

    key: str
    forms: Counter[str] = field(default_factory=Counter)
    builtin: str | None = None

    @property
    def canonical(self) -> str:
        if self.builtin is not None:
            return self.builtin
        # Most frequent; ties go to more capitals (DeepSeek over Deepseek), then alphabetical.
        return max(self.forms, key=lambda f: (self.forms[f], sum(c.isupper() for c in f), f))


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    keys: Keys
    acronym: bool = False
    """All capitals, spelt letter by letter (IBM, TSMC): only matched by letter-by-letter windows ("Ei Bi Em")."""


class NameIndex:
    """Known names grouped by spelling, with precomputed keys for matching."""

    def __init__(self, library_names: Counter[str], builtin: Sequence[str] = ()) -> None:
        """``library_names``: spellings found in the library with counts; ``builtin``: the built-in list."""
        self.groups: dict[str, NameGroup] = {}
        for name in builtin:
            group = self.groups.setdefault(group_key(name), NameGroup(group_key(name)))
            group.builtin = name
        for name, count in library_names.items():
            key = group_key(name)
            if len(key) < 3:
                continue
            group = self.groups.setdefault(key, NameGroup(key))
            group.forms[name] += count
        self.targets = [
            Target(g.canonical, target_keys(g.canonical), _is_acronym(g.canonical)) for g in self.groups.values()
        ]
        self.prefixes = frozenset(key[:n] for key in self.groups for n in range(1, len(key) + 1))

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(DETECTOR_VERSION.encode())
        for key in sorted(self.groups):
            group = self.groups[key]
            digest.update(f"{key}:{group.builtin}:{group.canonical}:{sorted(group.forms)}\n".encode())
        return digest.hexdigest()[:16]

    def group_of(self, text: str) -> NameGroup | None:
        return self.groups.get(group_key(text))

    def is_name(self, text: str) -> bool:
        return group_key(text) in self.groups


# --- detection ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A span of a sentence and what it probably should be."""

    start: int
    end: int
    original: str
    corrected: str
    kind: str  # "name" | "variant"
    score: float
    builtin: bool = False
    """For a variant: the canonical form comes from the built-in list."""
    note: str = ""
    """How the score came about ("phonetic 1.00, spelling 0.57")."""


@dataclass(frozen=True, slots=True)
class Match:
    """The best target for a candidate span."""

    name: str
    score: float
    phon: float
    spell: float
    penalty: float

    @property
    def note(self) -> str:
        text = f"phonetic {self.phon:.2f}, spelling {self.spell:.2f}"
        return text + (f", real-word penalty {self.penalty:.2f}" if self.penalty >= 0.005 else "")


class _Token(NamedTuple):
    # A tuple, not a frozen dataclass: a book makes millions of them and a tuple is built several times faster.
    text: str
    start: int
    end: int


def _piece_key(piece: str) -> str:
    """``group_key`` of one ``_PIECE`` (letters and digits only): its lower case, nearly always."""
    lower = piece.lower()
    return lower if lower.isalnum() else group_key(piece)


def _tokens(sentence: str) -> list[_Token]:
    return [_Token(m.group(), m.start(), m.end()) for m in _PIECE.finditer(sentence)]


def _windows(sentence: str, tokens: Sequence[_Token], size: int) -> Iterable[tuple[int, int]]:
    """Index ranges [i, j) of up to ``size`` tokens joined by one space or a hyphen."""
    for i in range(len(tokens)):
        for j in range(i + 1, min(len(tokens), i + size) + 1):
            if j - i > 1:
                gap = sentence[tokens[j - 2].end : tokens[j - 1].start]
                if gap not in (" ", "-"):
                    break
            yield i, j


class NameDetector:
    """Finds misheard names and spelling variants in a sentence (see the module docstring)."""

    def __init__(self, index: NameIndex, lexicon: KnowsWords | None = None) -> None:
        self.index = index
        self.lexicon = lexicon
        # Book-length texts repeat their windows: judge each distinct window and span once.
        self._candidates: dict[tuple[str, ...], bool] = {}
        self._targets: dict[str, Match | None] = {}

    @lru_cache(maxsize=20_000)  # noqa: B019 - one detector per library; bounded
    def _ordinary(self, word: str) -> bool:
        """A real word: frequent (German or English), known to simplemma or the lexicon."""

        lower = word.lower()
        if max(language.zipf(lower, "de"), language.zipf(lower, "en")) >= RARE_ZIPF:
            return True
        if _simplemma_knows(word) or _simplemma_knows(lower):
            return True
        lemma = lemmatize(word)
        if lemma != word and (_simplemma_knows(lemma) or language.zipf(lemma.lower(), "de") >= RARE_ZIPF):
            return True
        if self.lexicon is not None:
            try:
                return bool(self.lexicon.knows(word) or self.lexicon.knows(lower))
            except Exception:  # a lexicon that is not built yet or broken must not break lessons
                return False
        return False

    def _not_german(self, word: str) -> bool:
        if word.isdigit():
            return False
        english = not _german(word) and language.zipf(word.lower(), "en") >= RARE_ZIPF
        return english or not self._ordinary(word)

    def _candidate(self, words: Sequence[str]) -> bool:
        if any(w.lower() in STOPWORDS for w in words) or not _is_capital(words[0]):
            return False
        if len(words) == 1:
            word = words[0]
            letters = sum(c.isalpha() for c in word)
            return letters >= MIN_LETTERS and not self._ordinary(word)
        if not all(_is_capital(w) for w in words):
            return False
        if any(self._protected(w) for w in words):
            return False
        if not any(self._not_german(w) for w in words):
            return False
        return not self._ordinary("".join(words))

    def _protected(self, word: str) -> bool:
        """A known name of four or more letters that is not an acronym keeps its place in a window."""
        return len(word) >= 4 and not word.isupper() and self.index.is_name(word)

    def _name_windows(self, sentence: str, tokens: Sequence[_Token]) -> Iterable[tuple[int, int]]:
        """The windows of ``_windows`` whose key can still grow into a known name's key (the rest can't
        match, and a book has millions of them). ``prefixes`` holds every prefix of every key, so a window
        whose key is not in it ends the windows starting at that token."""
        prefixes = self.index.prefixes
        keys = [_piece_key(token.text) for token in tokens]
        last = len(tokens)
        for i, first in enumerate(keys):
            if first and first not in prefixes:
                continue
            key = first
            for j in range(i + 1, min(last, i + MAX_WINDOW) + 1):
                if j - i > 1:
                    if sentence[tokens[j - 2].end : tokens[j - 1].start] not in (" ", "-"):
                        break
                    key += keys[j - 1]
                if key in prefixes:
                    yield i, j
                elif key:
                    break

    def suggest(self, sentence: str, *, misheard: bool = True) -> list[Suggestion]:
        """Variants and (unless ``misheard`` is False) misheard names in ``sentence``, in text order, spans not
        overlapping."""
        if not misheard:
            # Only variants of known names: no window can be one unless some word can begin a name.
            prefixes = self.index.prefixes
            if not any(_piece_key(piece) in prefixes for piece in _PIECE.findall(sentence)):
                return []
        tokens = _tokens(sentence)
        found: list[Suggestion] = []
        exact: list[tuple[int, int]] = []
        for i, j in self._name_windows(sentence, tokens):
            start, end = tokens[i].start, tokens[j - 1].end
            text = sentence[start:end]
            group = self.index.group_of(text)
            if group is not None:
                exact.append((start, end))
                canonical = group.canonical
                same_but_hyphens = text.replace("-", " ") == canonical.replace("-", " ")
                if text != canonical and text[:1].isupper() and not same_but_hyphens:
                    found.append(Suggestion(start, end, text, canonical, "variant", 1.0, group.builtin is not None))
                continue
        for i, j in _windows(sentence, tokens, MAX_WINDOW if misheard else 0):
            start, end = tokens[i].start, tokens[j - 1].end
            if any(s < end and start < e for s, e in exact):
                continue
            words = tuple(t.text for t in tokens[i:j])
            candidate = self._candidates.get(words)
            if candidate is None:
                candidate = self._candidates[words] = self._candidate(words)
            if not candidate:
                continue
            text = sentence[start:end]
            if text not in self._targets:
                self._targets[text] = self.best_target(text)
            best = self._targets[text]
            if best is not None and best.score >= LIST_THRESHOLD:
                found.append(Suggestion(start, end, text, best.name, "name", round(best.score, 3), note=best.note))
        return _non_overlapping(found)

    def best_target(self, text: str) -> Match | None:
        """The best target for a candidate span, its score with the real-word penalty taken off."""
        keys = candidate_keys(text)
        length = len(spelling(text))
        words = len(_PIECE.findall(text))
        best: tuple[Target, tuple[float, float, float]] | None = None
        for target in self.index.targets:
            if target.acronym and words == 1:
                continue
            target_length = len(target.keys.spellings[0]) if target.keys.spellings else 0
            if not target_length or not 0.5 <= length / target_length <= 2.5:
                continue
            scored = similarity(keys, target.keys)
            if best is None or scored[0] > best[1][0]:
                best = (target, scored)
        if best is None:
            return None
        joined = "".join(_PIECE.findall(text)).lower()
        penalty = FREQ_PENALTY * max(language.zipf(joined, "de"), language.zipf(joined, "en"))
        (score, phon, spell) = best[1]
        return Match(best[0].name, score - penalty, phon, spell, penalty)


def _non_overlapping(found: list[Suggestion]) -> list[Suggestion]:
    kept: list[Suggestion] = []
    # Variants first (exact evidence), then by score, then longer spans.
    for item in sorted(found, key=lambda s: (s.kind != "variant", -s.score, -(s.end - s.start), s.start)):
        if all(item.end <= k.start or k.end <= item.start for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda s: s.start)


def name_counts(articles: Sequence[str], builtin: Sequence[str] | None = None) -> Counter[str]:
    """The spellings of known names in the articles with their counts: the names :func:`collect_names` finds,
    and every spelling of those and of the built-in names ("Deepseek", "Open AI")."""
    found = collect_names(articles)
    builtin = builtin_names() if builtin is None else list(builtin)
    keys = {group_key(n) for n in [*found, *builtin]}
    counts = count_spellings(articles, {k for k in keys if len(k) >= 3})
    for name, count in found.items():
        counts[name] = max(counts[name], count)
    return counts


def build_index(articles: Sequence[str], builtin: Sequence[str] | None = None) -> NameIndex:
    """Targets from the articles' proper nouns and the built-in list."""
    builtin = builtin_names() if builtin is None else list(builtin)
    return NameIndex(name_counts(articles, builtin), builtin)
