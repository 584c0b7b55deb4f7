"""Stage 5: tokens with lemma (simplemma), coarse POS (HanTa's STTS tags in context), names and separable verbs.

HanTa tags a separated verb particle as PTKVZ ("mischt … auf"); we join it with the nearest finite verb
before it when the joined verb is a real word (wordfreq), so "holt … auf" → "aufholen" while "stellt … auf
den Kopf" stays apart (there "auf" is a preposition, APPR). Nouns keep their capital letter.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lessons import language
from lessons.difficulty import cefr_for_zipf, compound_zipf
from lessons.model import Pos, Token, make_token
from lessons.sentences import ABBREVIATIONS

if TYPE_CHECKING:
    from lessons.tag_index import OutOfContextTags

_TOKEN = re.compile(
    r"""
    (?P<num>\d+(?:[.,]\d+)*(?:[-–]\d+(?:[.,]\d+)*)?(?:-[^\W\d_][\w]*(?:-[\w]+)*)?)  # 592,7  50.000  5-6  Helium-3
    | (?P<word>[^\W\d_][\w]*(?:[-'’][\w]+)*(?:-(?=\s))?)   # KI-Modell, US-amerikanisch, "US- " (hyphen before space)
    | (?P<punct>\.{3}|[^\w\s]|_)                           # a lone "_" too: every non-space is covered
    """,
    re.VERBOSE,
)

JOINABLE_PARTICLES = frozenset(
    [
        "ab",
        "an",
        "auf",
        "aus",
        "bei",
        "dar",
        "durch",
        "ein",
        "entgegen",
        "fest",
        "fort",
        "her",
        "heraus",
        "herbei",
        "herein",
        "herum",
        "herunter",
        "hervor",
        "hin",
        "hinaus",
        "hinein",
        "hinter",
        "hinzu",
        "los",
        "mit",
        "nach",
        "nieder",
        "rein",
        "raus",
        "ran",
        "rüber",
        "statt",
        "teil",
        "um",
        "vor",
        "voran",
        "voraus",
        "vorbei",
        "vorweg",
        "weg",
        "weiter",
        "wieder",
        "zu",
        "zurecht",
        "zurück",
        "zusammen",
        "zuvor",
        "über",
        "unter",
    ]
)
"""Separable verb prefixes (a PTKVZ is only joined when it is one of these)."""

MAX_TAGGED_CHARS = 48
"""HanTa's analysis of an unknown word grows faster than quadratically with its length (a 1000-letter "word"
takes 14 s): a longer word is tagged by its first letter and last 47 (the head of a compound); its token keeps
the whole word."""

MIN_JOINED_ZIPF = 1.0
"""A joined separable verb must be at least this frequent in wordfreq's German list to count as a word."""

_FUNCTION_TAGS = (
    "ART",
    "APPR",
    "APPRART",
    "APPO",
    "APZR",
    "KON",
    "KOUS",
    "KOUI",
    "KOKOM",
    "PPER",
    "PRF",
    "PPOS",
    "PDS",
    "PDAT",
    "PIS",
    "PIAT",
    "PIDAT",
    "PRELS",
    "PRELAT",
    "PWS",
    "PWAT",
    "PTKZU",
    "PTKNEG",
    "PTKA",
    "PTKANT",
    "VA",
    "VM",
    "PAV",
    "PWAV",
    "PROAV",
    "ITJ",
)


class NounOracle(Protocol):
    """Tells common nouns from names (the lexicon implements it; tests may pass a set-backed fake)."""

    def is_common_noun(self, word: str) -> bool | None: ...


class _Tagger:
    """HanTa, loaded once on first use (about 0.3 s) and shared by threads."""

    _lock = threading.Lock()
    _instance = None

    @classmethod
    def get(cls):  # type: ignore[no-untyped-def]
        with cls._lock:
            if cls._instance is None:
                from HanTa import HanoverTagger

                tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
                # A word's analyses depend only on the word (and tag), yet HanTa redoes them for every
                # occurrence of a word outside its small built-in cache (most of its time on a long text).
                # Both return values are only read by HanTa, so sharing them is safe.
                tagger._analyze = lru_cache(maxsize=200_000)(tagger._analyze)
                tagger.analyze_forward = lru_cache(maxsize=200_000)(tagger.analyze_forward)
                cls._instance = tagger
            return cls._instance


def hanta_tagger():  # type: ignore[no-untyped-def]
    """HanTa's German tagger, loaded once."""
    return _Tagger.get()


def split_tokens(text: str) -> list[tuple[str, int, int, str]]:
    """(text, start, end, kind) for each token; abbreviations keep their dot ("Mio.", "d.", "h.")."""
    spans: list[tuple[str, int, int, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        start, end = match.span()
        if kind == "punct" and match.group(0) == "." and spans:
            prev_text, prev_start, prev_end, prev_kind = spans[-1]
            if prev_kind == "word" and prev_end == start and prev_text.lower() in ABBREVIATIONS:
                spans[-1] = (prev_text + ".", prev_start, end, "abbr")
                continue
        spans.append((match.group(0), start, end, kind))
    return spans


SIMPLEMMA_LOW_MEMORY = True
"""Without a lemma index (``use_indexes``): simplemma's memory-frugal dictionary backend, in every call
(mixing backends would load both). Same lemmas as its default one (checked on the 37,500 distinct words of
a 300,000-word book), 50 MB less memory, some 20 µs more per distinct word."""

_index_dir: Path | None = None
_index_progress: Callable[[str, float], None] | None = None


def use_indexes(directory: Path, progress: Callable[[str, float], None] | None = None) -> None:
    """Lemmatize with simplemma on its dictionary indexed in ``directory`` (``lessons.lemma_index``: fast
    lookups in 33 MB) and tag long texts from HanTa's answers indexed there (``lessons.tag_index``: no model
    to load); each is built there on first use, ``progress`` meanwhile. The indexes hold the installed
    packages' data whatever the data dir, so the first directory given serves the whole process."""
    global _index_dir, _index_progress
    _index_progress = progress
    if _index_dir is None:
        _index_dir = directory
        _simplemma.cache_clear()
        _out_of_context_tags.cache_clear()


class _Lemmatizer(Protocol):
    def lemmatize(self, word: str, greedy: bool = False) -> str: ...
    def is_known(self, word: str) -> bool: ...


class _LowMemorySimplemma:
    """simplemma's module functions on its low-memory backend."""

    def lemmatize(self, word: str, greedy: bool = False) -> str:
        import simplemma

        return simplemma.lemmatize(word, lang="de", greedy=greedy, low_memory=SIMPLEMMA_LOW_MEMORY)

    def is_known(self, word: str) -> bool:
        import simplemma

        return bool(word) and bool(simplemma.is_known(word, lang="de", low_memory=SIMPLEMMA_LOW_MEMORY))


@lru_cache(maxsize=1)
def _simplemma() -> _Lemmatizer:
    if _index_dir is not None:
        from lessons.lemma_index import IndexedDictionaryFactory, Simplemma

        try:
            factory = IndexedDictionaryFactory(_index_dir, _report_index_build)
            factory.get_dictionary("de")  # read or built now, so a cache dir that cannot be written shows here
            return Simplemma(factory)
        except (OSError, ValueError):
            pass  # a cache dir that cannot be written: simplemma's own backend, same lemmas
    return _LowMemorySimplemma()


def _report_index_build(stage: str, fraction: float) -> None:
    if _index_progress is not None:
        _index_progress(stage, fraction)


@lru_cache(maxsize=1)
def _out_of_context_tags() -> OutOfContextTags | None:
    if _index_dir is None:
        return None
    from lessons.tag_index import open_tags

    try:
        return open_tags(_index_dir, hanta_tagger, _report_index_build)
    except OSError:
        return None  # a cache dir that cannot be written: HanTa answers itself


@lru_cache(maxsize=100_000)
def lemmatize(word: str, greedy: bool = False) -> str:
    return _simplemma().lemmatize(word, greedy)


@lru_cache(maxsize=100_000)
def simplemma_knows(word: str) -> bool:
    """Whether simplemma's dictionary has ``word`` (as typed or with its first letter's case flipped)."""
    return _simplemma().is_known(word)


def lemma_zipf(lemma: str) -> float:
    """wordfreq Zipf of a lemma; an unknown hyphenated compound is graded by its parts (see difficulty)."""
    own = language.zipf(lemma.lower())
    if "-" in lemma and own < 3.0:
        parts = [p for p in lemma.split("-") if p]
        return compound_zipf(own, [language.zipf(p.lower()) for p in parts])
    return own


def _coarse(tag: str) -> Pos:
    if tag.startswith("NN"):
        return Pos.NOUN
    if tag.startswith("NE"):
        return Pos.PROPN
    if tag.startswith(("VV", "VA", "VM")):
        return Pos.VERB
    if tag.startswith("ADJ"):
        return Pos.ADJ
    if tag in ("ADV", "PAV", "PROAV", "PWAV"):
        return Pos.ADV
    if tag == "CARD":
        return Pos.NUM
    if tag.startswith("$"):
        return Pos.PUNCT
    return Pos.OTHER


@lru_cache(maxsize=200_000)
def looks_like_name(word: str) -> bool:
    """Mixed internal capitals (DeepSeek, ChatGPT) or letters with digits (R1, V3) mark a name.

    Hyphenated compounds are judged by their last part: "DeepSeek-R1" is a name, "DeepSeek-Modell" a noun.
    """
    core = word.rsplit("-", 1)[-1]
    rest = core[1:]
    if core.isalpha() and rest == rest.lower():
        return False  # letters only, no capital after the first: most words, settled without a scan
    if any(c.isdigit() for c in core) and any(c.isalpha() for c in core):
        return True
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(core))


_OPENING_PUNCT = frozenset({"„", "“", '"', "«", "»", "(", ":", "–", "-", "‚", "'"})


def _restore_prefix(surface: str, lemma: str) -> str:
    """Keep the casing of a hyphenated word's first parts (KI-gestützte → KI-gestützt, not Ki-gestützt)."""
    if "-" not in surface or "-" not in lemma:
        return lemma
    prefix = surface.rsplit("-", 1)[0]
    head, _, last = lemma.rpartition("-")
    return f"{prefix}-{last}" if prefix.lower() == head.lower() else lemma


@lru_cache(maxsize=200_000)
def _lemma(surface: str, pos: Pos, hanta_lemma: str, sentence_initial: bool) -> str:
    """simplemma for nouns and verbs; HanTa (in context) for adjectives and adverbs, where simplemma leaves
    comparatives and participles unreduced ("kollaborative", "heruntergeladene")."""
    if surface.endswith("-"):
        return surface  # the first part of "Arbeits- und Sozialminister" is only ever written that way
    if pos is Pos.NOUN:
        return _noun_lemma(surface, lemmatize(surface, greedy=True))
    if pos is Pos.PROPN:
        return surface
    word = surface.lower() if sentence_initial and surface[:1].isupper() and not _acronym_start(surface) else surface
    lemma = lemmatize(word)
    if pos in (Pos.ADJ, Pos.ADV):
        lemma = hanta_lemma or lemma
    elif pos is Pos.VERB and hanta_lemma and hanta_lemma != lemma:
        # An infinitive ends in -n; of two candidates the more frequent wins ("gedacht": denken, not gedenken).
        candidates = [c for c in (lemma, hanta_lemma) if c.endswith("n")] or [lemma]
        lemma = max(candidates, key=lambda c: language.zipf(c.lower()))
    if pos is Pos.VERB and not lemma.endswith("n") and word.endswith("e"):
        lemma = word + "n"  # "ich meine" → meinen (simplemma takes it for the pronoun "mein")
    lemma = _restore_prefix(surface, lemma)
    if lemma[:1].isupper() and not _acronym_start(surface):
        lemma = lemma[:1].lower() + lemma[1:]
    return lemma


def _acronym_start(word: str) -> bool:
    first = word.split("-", 1)[0]
    return len(first) > 1 and first.isupper()


@functools.cache
def known_names() -> frozenset[str]:
    """Names kept as data (``lessons/data``): well-known tech names and companies, places."""
    names: set[str] = set()
    data = Path(__file__).parent / "data"
    for file in ("tech_names.txt", "place_names.txt"):
        path = data / file
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    names.update(line.split())
    return frozenset(names)


def _common_noun(word: str, nouns: NounOracle) -> bool:
    if nouns.is_common_noun(word):
        return True
    return "-" in word and bool(nouns.is_common_noun(word.rsplit("-", 1)[1]))


def _noun_lemma(word: str, simple: str) -> str:
    """A noun's lemma with its capital; a hyphenated noun keeps its first parts as written and reduces only
    the head (KI-Modellen → KI-Modell, Top-Modelle → Top-Modell, not Topmodell)."""
    if "-" in word.strip("-"):
        prefix, _, last = word.rpartition("-")
        head = lemmatize(last, greedy=True)
        return f"{prefix}-{head[:1].upper()}{head[1:]}"
    return simple if simple[:1].isupper() else simple[:1].upper() + simple[1:]


CONTEXT_TAGGING_LIMIT = 20_000
"""Texts up to this many words are tagged in context (HanTa's sentence-level HMM, about 3,000 tokens/s).
Longer ones (books) are tagged word by word: each distinct form gets its most likely tag from HanTa's
lexicon, an unknown form a tag from its shape, and a separable particle is recognised by its place at the
end of the clause. That is some 20 times faster and a little less accurate on ambiguous function words."""

_CLAUSE_ENDERS = frozenset({"und", "oder", "aber", "denn", "sondern", "doch", "weil", "dass", "wenn", "als"})
_VERB_ENDINGS = ("en", "ern", "eln", "t", "te", "ten", "st", "test", "tet", "et")
_ADJ_ENDINGS = ("ig", "lich", "isch", "bar", "sam", "los", "haft", "iv", "al", "ell", "end", "ös", "är")


@lru_cache(maxsize=200_000)
def _word_tag(word: str, sentence_initial: bool) -> str:
    """The most likely STTS tag of a word out of context (the fast path for long texts)."""
    tag = _lexicon_tag(word, sentence_initial)
    if tag:
        return tag
    # Unknown to HanTa's lexicon: judge by shape (its morphological analysis costs milliseconds a word).
    if word[:1].isupper() and not sentence_initial:
        return "NN"
    lower = word.lower()
    stem = lower.rstrip("enrms")
    if lower.endswith(_ADJ_ENDINGS) or stem.endswith(_ADJ_ENDINGS):
        return "ADJ(A)"
    if lower.endswith(_VERB_ENDINGS):
        return "VV(FIN)"
    return "ADV" if not word[:1].isupper() else "NN"


def _lexicon_tag(word: str, sentence_initial: bool) -> str | None:
    """HanTa's first tag for a word of its lexicon (from the index when there is one), None for other words."""
    index = _out_of_context_tags()
    if index is not None:
        from lessons.tag_index import AskHanTa

        try:
            return index.tag(word, casesensitive=not sentence_initial)
        except AskHanTa:
            pass
    return _hanta_lexicon_tag(word, sentence_initial)


def _hanta_lexicon_tag(word: str, sentence_initial: bool) -> str | None:
    tagger = _Tagger.get()
    if tagger.normalize(word) in tagger.cache:
        found = tagger.tag_word(word, casesensitive=not sentence_initial)
        if found:
            return str(found[0][0])
    return None


def _tagged_form(surface: str) -> str:
    """What HanTa is given for a token (see ``MAX_TAGGED_CHARS``)."""
    return surface if len(surface) <= MAX_TAGGED_CHARS else surface[:1] + surface[1 - MAX_TAGGED_CHARS :]


def _closes_clause(spans: Sequence[tuple[str, int, int, str]], index: int) -> bool:
    """Whether the token at ``index`` ends its clause: a verb particle there is one, out of context."""
    if index + 1 >= len(spans):
        return True
    following, _, _, kind = spans[index + 1]
    return kind == "punct" or following in _CLAUSE_ENDERS


WordAttributes = tuple[str, Pos, str, float, "str | None", bool]
"""What a word token's tagging decides: its form, POS, lemma, Zipf, CEFR band, function word."""


def tag_tokens(
    text: str,
    nouns: NounOracle | None = None,
    zipf_of: Callable[[str], float] | None = None,
    *,
    context: bool = True,
    memo: dict[tuple[str, str, str, bool, bool], WordAttributes] | None = None,
) -> tuple[Token, ...]:
    """Tokens of one sentence with lemma, POS, Zipf and CEFR band (``context=False``: see
    ``CONTEXT_TAGGING_LIMIT``).

    ``memo``: a dict the caller keeps across the sentences of one text, with the same ``nouns`` and
    ``zipf_of``. A word's attributes depend only on its form, its tag and its place (sentence-initial, after a
    name), so a book's 300,000 tokens need the work of its ~35,000 distinct ones.
    """
    spans = split_tokens(text)
    if not spans:
        return ()
    tagged: list[tuple[str, str, str]] | None = None
    if context:
        words = [_tagged_form(s[0]) for s in spans]
        tagged = _Tagger.get().tag_sent(words, taglevel=1)
    zipf_of = zipf_of or lemma_zipf
    memo = {} if memo is None else memo
    tokens: list[Token] = []
    tags: list[str] = []
    previous = ""
    after_name = False
    for index, (surface, start, end, kind) in enumerate(spans):
        sentence_initial = not previous or previous in _OPENING_PUNCT
        previous = surface
        if tagged is not None:
            _, hanta_lemma, tag = tagged[index]
        elif kind == "punct":
            hanta_lemma, tag = "", "$." if surface in ".!?" else "$("
        else:
            hanta_lemma = ""
            tag = _word_tag(_tagged_form(surface), sentence_initial)
            # (the set holds lower-case particles only, so "Auf" is never one)
            if surface in JOINABLE_PARTICLES and _closes_clause(spans, index):
                tag = "PTKVZ"
        tags.append(tag)
        if kind == "punct":
            tokens.append(make_token(surface, surface, Pos.PUNCT, start, end))
            after_name = False
            continue
        if kind == "num" or (tag == "CARD" and not surface[:1].isalpha()):
            tokens.append(make_token(surface, surface, Pos.NUM, start, end))
            after_name = False
            continue
        if kind == "abbr":
            tokens.append(make_token(surface, surface, Pos.OTHER, start, end, function_word=True))
            after_name = False
            continue
        key = (surface, tag, hanta_lemma, sentence_initial, after_name)
        found = memo.get(key)
        if found is None:
            found = memo[key] = _word_attributes(*key, nouns, zipf_of)
        form, pos, lemma, zipf, cefr, function_word = found  # the memo's form: repeats share one string
        tokens.append(make_token(form, lemma, pos, start, end, zipf, cefr, function_word))
        after_name = pos is Pos.PROPN
    _join_separable_verbs(tokens, tags, zipf_of)
    return tuple(tokens)


def _word_attributes(
    surface: str,
    tag: str,
    hanta_lemma: str,
    sentence_initial: bool,
    after_name: bool,
    nouns: NounOracle | None,
    zipf_of: Callable[[str], float],
) -> WordAttributes:
    pos = _coarse(tag)
    if looks_like_name(surface):
        pos = Pos.PROPN
    elif pos is Pos.PROPN and surface in known_names():
        pass  # a place or company the noun lists also carry as a common noun ("China", "Amazon")
    elif pos is Pos.PROPN and after_name and not sentence_initial:
        pass  # the second word of a multi-word name ("High Flyer", "App Store")
    elif pos is Pos.PROPN and nouns is not None and _common_noun(surface, nouns):
        pos = Pos.NOUN  # HanTa takes "KI", a sentence-initial "Essen" or "Tech-Unternehmen" for a name
    elif pos is Pos.VERB and surface[:1].isupper() and not sentence_initial:
        pos = Pos.PROPN  # a capitalised "verb" inside a sentence is a name ("Meta und Google")
    lemma = _lemma(surface, pos, hanta_lemma, sentence_initial)
    function_word = tag.startswith(_FUNCTION_TAGS) or pos is Pos.OTHER
    zipf = zipf_of(lemma) if pos is not Pos.PROPN else 0.0
    cefr = None if pos is Pos.PROPN else cefr_for_zipf(zipf)
    return surface, pos, lemma, round(zipf, 2), cefr, function_word


def _join_separable_verbs(tokens: list[Token], tags: Sequence[str], zipf_of: Callable[[str], float]) -> None:
    if "PTKVZ" not in tags:
        return  # most sentences: no verb particle to join
    for index, tag in enumerate(tags):
        particle = tokens[index]
        if tag != "PTKVZ" or particle.text.lower() not in JOINABLE_PARTICLES:
            continue
        # The particle closes the main clause: what follows is punctuation, a conjunction or the end.
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following.pos is not Pos.PUNCT and tags[index + 1] not in ("KON", "KOUS"):
            continue
        verb_index = next(
            (j for j in range(index - 1, -1, -1) if tags[j].startswith("VV") and tags[j].endswith(("FIN)", "IMP)"))),
            None,
        )
        if verb_index is None:
            continue
        verb = tokens[verb_index]
        joined = particle.text.lower() + verb.lemma
        # The joined verb must be a word in its own right, not just a plausible compound of its parts.
        zipf = language.zipf(joined)
        if zipf < MIN_JOINED_ZIPF:
            continue
        band = cefr_for_zipf(zipf)
        rounded = round(zipf, 2)
        tokens[verb_index] = replace(verb, lemma=joined, zipf=rounded, cefr=band, separable=True)
        tokens[index] = replace(
            particle, lemma=joined, pos=Pos.VERB, zipf=rounded, cefr=band, function_word=False, separable=True
        )
