"""The offline lexicon: noun grammar (german-nouns) and German→English glosses (Ding), in one SQLite cache.

Third-party data is read at run time from where it is installed and indexed into ``Paths.lexicon``; nothing
of it is vendored:

* Nouns: the ``german-nouns`` package's ``nouns.csv`` (CC BY-SA), read with explicit UTF-8 (the package's own
  loader opens it without an encoding). Keyed by lemma, case-sensitively ("Essen" the noun, not "essen").
* Glosses: Ding-format word lists (GPL), by default Debian's ``trans-de-en`` (``/usr/share/trans/de-en``),
  plus files the learner imports (plain or gzip). One line is ``DE | DE2 :: EN | EN2``: the first ``|``-part
  is the base entry, later parts are inflections, sub-entries or phrases.
* Compounds: unknown words are split into known parts; the last part is the head and lends the compound its
  gender and plural ("Hochleistungsprozessor" → der, Hochleistungsprozessoren).

Every source's path, size and mtime are recorded; a changed source is re-indexed, a missing one is reported
once in :class:`LexiconStatus` and the rest keeps working. Queries are thread-safe (one SQLite connection per
thread, builds serialised by a lock); a query on a lexicon that was never built builds it first, unless
another thread is building right now, in which case it answers from what is already indexed.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import gzip
import importlib.util
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from lessons.paths import Paths

__all__ = [
    "DEBIAN_DING",
    "Gloss",
    "GlossSource",
    "Lexicon",
    "LexiconStatus",
    "NounInfo",
    "dictionaries_dir",
    "import_dictionary",
    "open_lexicon",
    "read_ding_lines",
    "validate_ding",
]

log = logging.getLogger(__name__)

DEBIAN_DING = Path("/usr/share/trans/de-en")
"""Debian's ``trans-de-en`` package: the Ding German–English list."""

ARTICLES = {"m": "der", "f": "die", "n": "das"}

SCHEMA_VERSION = "1"
NOUNS_VERSION = "1"
DING_VERSION = "1"
"""Bump to re-index after a change to the respective indexing code."""

MIN_PART = 3
"""Shortest part of a compound (before a linking element is removed)."""
MIN_HEAD = 4
"""Shortest head of a compound: 3-letter heads give false splits (Messenger → messen + Ger)."""

ProgressFn = Callable[[str, float], None]

CURATED_NOUNS: dict[str, tuple[str, str]] = {
    "KI": ("f", "AI; artificial intelligence"),
}
"""Everyday nouns that neither german-nouns nor Ding has: lemma → (gender, English). Lesestoff's own data."""


# --- public values -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NounInfo:
    """A noun's grammar. ``genders``/``plurals`` keep every variant; ``gender``/``plural`` are the primary."""

    lemma: str
    gender: str
    """"m", "f" or "n"."""
    article: str
    """"der", "die" or "das"."""
    plural: str | None
    genitive: str | None
    source: str
    """"german-nouns", "dictionary" (Ding's gender markers), "compound head" or "curated" (CURATED_NOUNS)."""
    genders: tuple[str, ...] = ()
    plurals: tuple[str, ...] = ()
    head: str | None = None
    """For ``source == "compound head"``: the known noun the grammar comes from."""


@dataclass(frozen=True, slots=True)
class Gloss:
    """One English rendering of a German headword; ``rank`` 0 is the best of a result list."""

    english: str
    pos: str | None
    """A :class:`lessons.model.Pos` value ("NOUN", "VERB", "ADJ", "ADV", "NUM", "OTHER") or None if unmarked."""
    source: str
    """"dictionary"; "compound" for a gloss assembled from the parts of an unknown compound; "curated"."""
    headword: str
    """The headword the gloss was found under (the lemma for an inflected form, "a+b" for a compound)."""
    rank: int
    gender: str | None = None


@dataclass(frozen=True, slots=True)
class LexiconStatus:
    nouns_ready: bool
    dictionary_ready: bool
    dictionary_source: str | None
    """The indexed Ding file(s), comma-separated; None if there is none."""
    message: str
    """One human-readable line: what is ready, or what is missing and how to get it."""


@runtime_checkable
class GlossSource(Protocol):
    """What later stages need from a lexicon; tests may pass a dict-backed fake."""

    def glosses(self, lemma: str, pos: str | None = None, limit: int = 5) -> list[Gloss]: ...

    def noun(self, lemma: str) -> NounInfo | None: ...


# --- Ding parsing ------------------------------------------------------------------------------------------

_MARKER = re.compile(r"\{([^}]*)\}")
_TAG = re.compile(r"\[([^\]]*)\]")
_PAREN = re.compile(r"\([^()]*\)")
_SLASH_ABBR = re.compile(r"(?:^|\s)/[^/\s][^/]*/(?=\s|$)")
_ALT_SPLIT = re.compile(r"\s*;\s*(?![^{}()\[\]]*[}\])])")

_GENDERS = {"m": "m", "f": "f", "n": "n"}
_VERB_MARKERS = {"v", "vt", "vi", "vr"}
_OTHER_MARKERS = {"prp", "conj", "pron", "ppron", "art", "interj", "partikel", "relativ.pron", "pron interrog"}

_REGISTER_TAGS = {"ugs.", "coll.", "fam.", "übtr.", "fig.", "geh.", "formal", "Br.", "Am.", "humor.", "iron."}
_REGION_TAGS = {"Ös.", "Schw.", "Süddt.", "Norddt.", "Westdt.", "Ostdt.", "Mitteldt.", "Bayr.", "BW",
                "Lux.", "Sächs.", "DDR", "Südtirol", "Westöst.", "Ostös.", "Dialekt", "regional"}
_RARE_TAGS = {"veraltet", "obs.", "selten", "rare", "old", "poet.", "hist.", "slang", "vulg.", "pej.",
              "alt", "veraltend", "archaic"}

_PLACEHOLDERS = {
    "jd.", "jdn.", "jdm.", "jds.", "etw.", "sich", "einer", "eine", "einen", "einem", "eines", "sache",
    "etwas", "jemand", "jemanden", "jemandem", "jemandes", "mich", "dich", "uns", "euch", "mir", "dir",
}
_PREPOSITIONS = {
    "an", "auf", "aus", "bei", "durch", "für", "gegen", "hinter", "in", "mit", "nach", "neben", "über", "um",
    "unter", "von", "vor", "zu", "zwischen", "als", "wie", "gegenüber", "zum", "zur", "im", "am", "vom",
    "beim", "ins", "ans", "aufs", "ums", "ab", "bis", "wegen", "ohne", "seit", "nicht",
}
_AUXILIARIES = {"sein", "haben", "werden", "lassen", "können", "müssen", "sollen", "wollen", "dürfen", "mögen"}

# Rank bands (lower is better): base form first alternative, base form synonym, sub-entry, verb in a phrase.
_KIND_FIRST, _KIND_SYNONYM, _KIND_SUBENTRY, _KIND_PHRASE = 0, 1000, 2000, 3000
_RICHNESS = 8
"""Rank points a line can win by its length (a main sense has inflections, sub-entries and examples)."""
_BLOCK_STEP = 6
"""Rank points per earlier line with the same first headword (Ding lists the main senses first)."""
_BASE_LIMIT = _KIND_SUBENTRY
"""Heads below this rank are base forms of a line."""
_WORD_LIMIT = _KIND_PHRASE
"""Heads below this rank are single words with their own entry (base forms and sub-entries)."""


_MARKUP = re.compile(r"\{[^}]*\}|\[[^\]]*\]|<[^<>]*>")
_OLD_SPELLING = re.compile(r"<([^<>]+)>")


def _clean(text: str) -> str:
    if "{" in text or "[" in text or "<" in text:
        text = _MARKUP.sub(" ", text)
    if "(" in text:
        text = _PAREN.sub(" ", _PAREN.sub(" ", text))
    if "/" in text:
        text = _SLASH_ABBR.sub(" ", text)
    return " ".join(text.split()).strip(" ;,")


def _clean_english(text: str) -> str:
    if "<>" in text:  # the place of a separable particle: "to work out <> sth."
        text = text.replace(" <>", "")
    if "{" in text or "[" in text or "<" in text:
        text = _MARKUP.sub(" ", text)
        text = " ".join(text.split()).replace(" ;", ";").replace(";;", ";")
    return text.strip(" ;,")


def _split_alternatives(part: str) -> list[str]:
    if ";" not in part:
        return [part]
    return [a for a in _ALT_SPLIT.split(part) if a]


_MARKER_TOKEN = re.compile(r"[,;]\s*|\s+(?=[a-z])")
_MARKER_CACHE: dict[str, tuple[str | None, str | None, bool]] = {}


def _marker_body(body: str) -> tuple[str | None, str | None, bool]:
    cached = _MARKER_CACHE.get(body)
    if cached is not None:
        return cached
    pos: str | None = None
    genders: list[str] = []
    plural = False
    for token in _MARKER_TOKEN.split(body.strip()):
        t = token.strip().lower()
        if t in _GENDERS:
            genders.append(t)
            pos = "NOUN"
        elif t == "pl":
            plural = True
            pos = "NOUN"
        elif t in _VERB_MARKERS:
            pos = pos or "VERB"
        elif t == "adj":
            pos = pos or "ADJ"
        elif t == "adv":
            pos = pos or "ADV"
        elif t == "num":
            pos = pos or "NUM"
        elif t in _OTHER_MARKERS or t.startswith("prp"):
            pos = pos or "OTHER"
    result = (pos, ",".join(dict.fromkeys(genders)) or None, plural)
    if len(_MARKER_CACHE) < 10_000:
        _MARKER_CACHE[body] = result
    return result


def _markers(alt: str) -> tuple[str | None, str | None, bool]:
    """(pos, genders "m,f", is_plural) from an alternative's ``{…}`` markers."""
    if "{" not in alt:
        return None, None, False
    bodies = _MARKER.findall(alt)
    if len(bodies) == 1:
        return _marker_body(bodies[0])
    pos: str | None = None
    genders: list[str] = []
    plural = False
    for body in bodies:
        p, g, pl = _marker_body(body)
        pos = pos or p
        if g:
            genders.extend(g.split(","))
        plural = plural or pl
    return pos, (",".join(dict.fromkeys(genders)) or None), plural


def _penalty(part_text: str, alt: str) -> int:
    """Rank points for how far a line's sense is from the general one: domain, region, register tags and
    comments (a comment mostly tells senses apart, so it costs little)."""
    score = 0
    tags = _TAG.findall(part_text) if "[" in part_text else ()
    if tags:
        domain = region = rare = register = False
        for tag in tags:
            if tag in _REGISTER_TAGS:
                register = True
            elif tag in _REGION_TAGS:
                region = True
            elif tag in _RARE_TAGS:
                rare = True
            else:
                domain = True
        score += 6 * domain + 30 * region + 30 * rare + 6 * register
    if "(" in alt:
        score += 3
    return score


def _is_word(text: str) -> bool:
    return (
        bool(text)
        and " " not in text
        and "/" not in text
        and "…" not in text
        and text[0].isalpha()
        and not text.endswith("-")
    )


def _verb_of_phrase(words: list[str]) -> tuple[str, bool] | None:
    """The verb of a verb phrase and whether it is the whole entry ("etw. mit jdm. vergleichen" → True)."""
    rest = [w for w in words if not all(p.lower() in _PLACEHOLDERS for p in w.split("/"))]
    if not rest:
        return None
    verb = rest[-1]
    if not (verb.isalpha() and verb.islower()):
        return None
    if len(rest) == 1:
        return verb, True
    if all(w.lower() in _PREPOSITIONS for w in rest[:-1]):
        return verb, True
    if verb in _AUXILIARIES:
        return None
    return verb, False


@dataclass(slots=True)
class _DingIndex:
    """What one Ding file contributes, ready to insert."""

    senses: list[tuple[int, str]]
    heads: dict[tuple[str, int], tuple[int, str | None, str | None]]
    forms: set[tuple[str, str]]
    plurals: dict[str, str]
    entries: int


_SIMPLE_ALT = re.compile(r"([^\W\d_][\w'’.-]*)(?: \{([^}]*)\})?")


def _parse_alt(alt: str) -> tuple[str | None, str, str | None, str | None, bool]:
    """(the word or None for a phrase, cleaned text, pos, genders, is_plural) of one alternative.

    The common shape "Wort {f}" takes a fast path."""
    match = _SIMPLE_ALT.fullmatch(alt)
    if match is not None:
        text = match.group(1)
        word = None if text[-1] == "-" else text
        body = match.group(2)
        if body is None:
            return word, text, None, None, False
        return (word, text, *_marker_body(body))
    text = _clean(alt)
    pos, genders, plural = _markers(alt)
    if genders and text[:4] in ("der ", "die ", "das "):  # "das Land {n}"
        text = text[4:]
    return (text if _is_word(text) else None, text, pos, genders, plural)


def _index_ding(lines: Iterable[str], first_sense: int, total: int, progress: ProgressFn | None,
                stage: str) -> _DingIndex:
    senses: list[tuple[int, str]] = []
    heads: dict[tuple[str, int], tuple[int, str | None, str | None]] = {}
    forms: set[tuple[str, str]] = set()
    plurals: dict[str, str] = {}
    next_id = first_sense
    entries = 0
    step = max(total // 50, 1000)
    seen_heads: dict[str, int] = {}

    def add_head(word: str, sense: int, rank: int, pos: str | None, gender: str | None) -> None:
        key = (word, sense)
        old = heads.get(key)
        if old is None or rank < old[0]:
            heads[key] = (rank, pos, gender)

    for number, raw in enumerate(lines):
        if progress is not None and number % step == 0 and total:
            progress(stage, min(number / total, 1.0))
        if not raw or raw[0] == "#" or " :: " not in raw:
            continue
        de_side, en_side = raw.rstrip("\n").split(" :: ", 1)
        de_parts = [p.strip() for p in de_side.split(" | ")]
        en_parts = en_side.split(" | ")
        english = _clean_english(en_parts[0])
        if not english:
            continue
        entries += 1
        part0 = de_parts[0]
        alts0 = _split_alternatives(part0)
        parsed = [_parse_alt(alt) for alt in alts0]
        line_pos = next((p for _, _, p, _, _ in parsed if p in ("VERB", "ADJ", "ADV")), None)
        sense = next_id
        next_id += 1
        senses.append((sense, english))
        # Ding lists a headword's main senses first; main senses also come with inflections,
        # sub-entries and examples, so long lines rank a little higher.
        base_rank = _RICHNESS - min(len(de_parts) - 1 + len(raw) // 80, _RICHNESS)
        head_key = parsed[0][1] if parsed else ""
        block_pos = seen_heads.get(head_key, 0)
        seen_heads[head_key] = block_pos + 1
        tagged = "[" in part0
        base_words: list[str | None] = []
        noun_words: list[str | None] = []
        for index, (word, text, pos, gender, _plural) in enumerate(parsed):
            if pos is None and line_pos is not None:
                # "rechnen; zählen {vi}": the marker covers the line; a verb phrase ends in the verb.
                probe = text.rsplit(" ", 1)[-1] if line_pos == "VERB" else text
                if probe[:1].islower():
                    pos = line_pos
            if index == 0:
                rank = _KIND_FIRST + _BLOCK_STEP * min(block_pos, 12) + base_rank
            else:
                rank = _KIND_SYNONYM + base_rank
            if tagged or "(" in part0:
                rank += min(_penalty(part0, alts0[index]), 90)
            if word is not None:
                add_head(word, sense, rank, pos, gender)
                if "<" in alts0[index]:  # old spellings: "Prozess {m} <Prozeß>"
                    for old in _OLD_SPELLING.findall(alts0[index]):
                        if _is_word(old) and old != word:
                            forms.add((old, word))
            elif pos == "VERB" and " " in text:
                found = _verb_of_phrase(text.split(" "))
                if found is not None:
                    verb, whole = found
                    if whole:
                        word = verb
                        add_head(verb, sense, rank + 10, pos, None)
                    else:
                        add_head(verb, sense, _KIND_PHRASE + rank % 1000, pos, None)
                    base_words.append(verb)  # inflections in later parts belong to the verb
                    noun_words.append(None)
                    continue
            base_words.append(word)
            is_noun = word is not None and gender is not None and pos == "NOUN"
            noun_words.append(word if is_noun else None)
        if len(de_parts) == 1:
            continue
        aligned = len(en_parts) == len(de_parts)
        first_noun = next((n for n in noun_words if n), None)
        first_word = next((w for w in base_words if w), None)
        inflecting = line_pos in ("VERB", "ADJ")
        for part_no in range(1, len(de_parts)):
            part = de_parts[part_no]
            if "{" not in part and not inflecting:
                continue
            sub_sense: int | None = None
            plural_part = "{pl}" in part  # "Fotomodelle {pl}; Modelle {n}": a slip for {pl}
            alts = _split_alternatives(part)
            for index, alt in enumerate(alts):
                if " " in alt and "{" not in alt and "(" not in alt and "[" not in alt:
                    continue  # a phrase
                text, _, pos, gender, plural = _parse_alt(alt)  # type: ignore[assignment]
                if text is None:
                    continue
                if (plural and gender is None) or (plural_part and gender is not None):
                    target = (noun_words[index] if index < len(noun_words) else None) or first_noun
                    if target and text != target:
                        forms.add((text, target))
                        if part_no == 1 and target not in plurals:
                            plurals[target] = text
                elif pos is None and inflecting and text[:1].islower():
                    target = (base_words[index] if index < len(base_words) else None) or first_word
                    if target and text != target:
                        forms.add((text, target))
                elif pos is not None and aligned:
                    if sub_sense is None:
                        sub_english = _clean_english(en_parts[part_no])
                        if not sub_english:
                            break
                        sub_sense = next_id
                        next_id += 1
                        senses.append((sub_sense, sub_english))
                    rank = _KIND_SUBENTRY + min(index, 9)
                    if "[" in part or "(" in alt:
                        rank += min(_penalty(part, alt), 90)
                    add_head(text, sub_sense, rank, pos, gender)
    if progress is not None:
        progress(stage, 1.0)
    return _DingIndex(senses, heads, forms, plurals, entries)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause cyclic garbage collection while building big acyclic structures (saves ~10 %)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _open_text(path: Path, encoding: str = "utf-8"):  # type: ignore[no-untyped-def]
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding=encoding, errors="replace")
    return open(path, encoding=encoding, errors="replace")


def _sniff(path: Path) -> str:
    """The encoding of a Ding file (UTF-8, or Latin-1 for old releases); ValueError if it is not Ding."""
    name = path.name
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    try:
        with open(path, "rb") as fh:
            magic = fh.read(2)
            fh.seek(0)
            if magic == b"\x1f\x8b":
                with gzip.open(fh) as gz:
                    sample = gz.read(256 * 1024)
            else:
                sample = fh.read(256 * 1024)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ValueError(f"{name}: cannot read it ({exc})") from None
    if b"\x00" in sample:
        raise ValueError(f"{name} is not a Ding dictionary (it is a binary file)")
    try:
        text = sample.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut by the sample's end
            text = sample[: exc.start].decode("utf-8")
            encoding = "utf-8"
        else:
            text = sample.decode("latin-1")
            encoding = "latin-1"
    lines = [ln for ln in text.splitlines()[:400] if ln.strip() and not ln.startswith("#")]
    if not lines:
        raise ValueError(f"{name} is not a Ding dictionary (no entries in it)")
    good = sum(1 for ln in lines if " :: " in ln)
    if good / len(lines) < 0.8:
        raise ValueError(f"{name} is not a Ding dictionary (expected lines like 'Haus {{n}} :: house')")
    return encoding


def validate_ding(path: Path) -> None:
    """Raise ValueError with a one-line message unless ``path`` is a readable Ding-format file."""
    _sniff(Path(path))


def read_ding_lines(path: Path) -> list[str]:
    encoding = _sniff(Path(path))
    with _open_text(Path(path), encoding) as fh:
        return fh.readlines()


# --- german-nouns ------------------------------------------------------------------------------------------


def german_nouns_csv() -> Path | None:
    """The installed german-nouns data file, found without importing the package."""
    try:
        spec = importlib.util.find_spec("german_nouns")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    for location in spec.submodule_search_locations or ():
        candidate = Path(location) / "nouns.csv"
        if candidate.is_file():
            return candidate
    if spec.origin:
        candidate = Path(spec.origin).parent / "nouns.csv"
        if candidate.is_file():
            return candidate
    return None


_PROPER = ("Toponym", "Vorname", "Nachname", "Eigenname", "Straßenname")


def _read_nouns(path: Path) -> tuple[list[tuple[str, str, str | None, str | None, str, str, int]],
                                     set[tuple[str, str]]]:
    """Rows for the nouns table and (plural form, lemma) pairs."""
    merged: dict[str, list] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        col = {name: i for i, name in enumerate(header)}

        def cols(base: str) -> list[int]:
            names = [base, f"{base}*", *(f"{base} {i}" for i in range(1, 5)),
                     f"{base} stark", f"{base} schwach", f"{base} gemischt"]
            return [col[n] for n in names if n in col]

        gender_cols = [col[n] for n in ("genus", "genus 1", "genus 2", "genus 3", "genus 4") if n in col]
        plural_cols = cols("nominativ plural")
        genitive_cols = cols("genitiv singular")
        lemma_col, pos_col = col["lemma"], col["pos"]
        for row in reader:
            if len(row) < len(header):
                continue
            lemma = row[lemma_col].strip()
            if not lemma or lemma[0] == "-" or lemma[-1] == "-" or "Substantiv" not in row[pos_col]:
                continue
            genders = [row[i] for i in gender_cols if row[i] in ARTICLES]
            if not genders:
                continue
            plurals = [row[i] for i in plural_cols if row[i] and row[i] != "—"]
            genitives = [row[i] for i in genitive_cols if row[i] and row[i] != "—"]
            proper = any(p in row[pos_col] for p in _PROPER)
            entry = merged.get(lemma)
            if entry is None:
                merged[lemma] = [list(dict.fromkeys(genders)), list(dict.fromkeys(plurals)),
                                 genitives[0] if genitives else None, proper]
            else:
                entry[0].extend(g for g in genders if g not in entry[0])
                entry[1].extend(p for p in plurals if p not in entry[1])
                entry[2] = entry[2] or (genitives[0] if genitives else None)
                entry[3] = entry[3] and proper
    rows = []
    forms: set[tuple[str, str]] = set()
    for lemma, (genders, plurals, genitive, proper) in merged.items():
        rows.append((lemma, genders[0], plurals[0] if plurals else None, genitive, ",".join(genders),
                     "|".join(plurals), int(proper)))
        for form in plurals:
            if form != lemma and " " not in form:
                forms.add((form, lemma))
    return rows, forms


# --- the lexicon -------------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nouns(
    lemma TEXT PRIMARY KEY, gender TEXT NOT NULL, plural TEXT, genitive TEXT,
    genders TEXT NOT NULL, plurals TEXT NOT NULL, proper INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources(
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL,
    entries INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS senses(id INTEGER PRIMARY KEY, en TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS heads(
    word TEXT NOT NULL, rank INTEGER NOT NULL, sense INTEGER NOT NULL, pos TEXT, gender TEXT,
    PRIMARY KEY(word, rank, sense)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS forms(
    form TEXT NOT NULL, lemma TEXT NOT NULL, src INTEGER NOT NULL,
    PRIMARY KEY(form, lemma, src)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS plurals(
    lemma TEXT NOT NULL, src INTEGER NOT NULL, plural TEXT NOT NULL, PRIMARY KEY(lemma, src)) WITHOUT ROWID;
"""
_TABLES = ("meta", "nouns", "sources", "senses", "heads", "forms", "plurals")
_CASE_ENDINGS = ("n", "en", "s", "es", "ns")
_NOUN_SRC = 0
"""``forms.src`` of german-nouns' plural forms (Ding sources have ids ≥ 1)."""


def _fingerprint(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


@dataclass(frozen=True, slots=True)
class _Part:
    lemma: str
    surface: str
    linked: bool
    """Joined by a linking element or a stem form (Leistung-s-, Rechen- for rechnen)."""
    noun: bool
    inflected: bool = False
    """The surface is an inflected form of ``lemma`` (a plural or genitive head)."""


class Lexicon:
    """Noun grammar, glosses and compound splitting over one SQLite file (see the module docstring)."""

    def __init__(self, path: Path, ding_sources: Sequence[Path] | None = None,
                 progress: ProgressFn | None = None) -> None:
        self.path = Path(path)
        sources = [DEBIAN_DING] if ding_sources is None else list(ding_sources)
        self._sources: list[Path] = list(dict.fromkeys(self._norm(p) for p in sources))
        self._progress = progress
        self._build_lock = threading.Lock()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._built = False
        self._status: LexiconStatus | None = None
        self._reported: set[str] = set()
        self._part_cache: dict[tuple[str, str], _Part | None] = {}
        self._nouns_csv = german_nouns_csv()
        self._nouns_ready_for: str | None = None
        """The noun list's fingerprint last found indexed (``_nouns_ready`` is asked for every name candidate)."""

    # -- plumbing --

    @staticmethod
    def _norm(path: Path) -> Path:
        return Path(os.path.abspath(Path(path).expanduser()))

    @property
    def ding_sources(self) -> tuple[Path, ...]:
        return tuple(self._sources)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.DatabaseError:
            conn.close()
            log.warning("lexicon cache %s is damaged; rebuilding it", self.path)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            row = None
        if row is None or row[0] != SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            for table in _TABLES:
                conn.execute(f"DELETE FROM {table}")
            conn.execute("INSERT INTO meta VALUES('schema', ?)", (SCHEMA_VERSION,))
            conn.execute("COMMIT")
        return conn

    def close(self) -> None:
        """Close every thread's connection (call when done; queries reopen on demand)."""
        with self._connections_lock:
            for conn in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> Lexicon:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _meta(self, conn: sqlite3.Connection, key: str) -> str | None:
        row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def _report(self, progress_stage: str, fraction: float) -> None:
        if self._progress is not None:
            self._progress(progress_stage, fraction)

    # -- building --

    def _nouns_fingerprint(self) -> str | None:
        if self._nouns_csv is None:
            return None
        fp = _fingerprint(self._nouns_csv)
        return None if fp is None else f"{self._nouns_csv}|{fp}|v{NOUNS_VERSION}"

    def _ding_fingerprint(self, path: Path) -> str | None:
        fp = _fingerprint(path)
        return None if fp is None else f"{fp}|v{DING_VERSION}"

    def source_fingerprint(self) -> str:
        """What the index is built from (files and index versions), known without building anything."""
        parts = [self._nouns_fingerprint() or "no-nouns"]
        parts.extend(f"{p}|{self._ding_fingerprint(p) or 'missing'}" for p in self._sources)
        return ";".join(parts)

    def ensure_built(self) -> LexiconStatus:
        """Index what is missing or outdated (progress(stage, fraction) reports it); returns the status."""
        with self._build_lock:
            return self._ensure_built_locked()

    def _ensure_built_locked(self) -> LexiconStatus:
        conn = self._conn()
        self._build_nouns(conn)
        for path in self._sources:
            fp = self._ding_fingerprint(path)
            if fp is not None:
                try:
                    self._index_source(conn, path, fp)
                except (ValueError, OSError) as exc:
                    log.warning("dictionary %s: %s", path, exc)
                    self._reported.add(f"bad:{path}:{exc}")
        self._drop_stale(conn)
        with contextlib.suppress(sqlite3.Error):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._built = True
        self._part_cache.clear()
        status = self._compute_status(conn)
        self._status = status
        if status.message not in self._reported and not (status.nouns_ready and status.dictionary_ready):
            self._reported.add(status.message)
            log.warning("%s", status.message)
        return status

    def _build_nouns(self, conn: sqlite3.Connection) -> None:
        fp = self._nouns_fingerprint()
        if fp is None or self._meta(conn, "nouns") == fp:
            return
        self._report("nouns", 0.0)
        with _gc_paused():
            rows, forms = _read_nouns(self._nouns_csv)  # type: ignore[arg-type]
        self._report("nouns", 0.7)
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self._meta(conn, "nouns") == fp:  # another process built it meanwhile
                conn.execute("ROLLBACK")
                return
            conn.execute("DELETE FROM nouns")
            conn.execute("DELETE FROM forms WHERE src=?", (_NOUN_SRC,))
            conn.executemany("INSERT INTO nouns VALUES(?,?,?,?,?,?,?)", sorted(rows))
            conn.executemany("INSERT OR IGNORE INTO forms VALUES(?,?,0)", sorted(forms))
            conn.execute("INSERT OR REPLACE INTO meta VALUES('nouns', ?)", (fp,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self._report("nouns", 1.0)

    def _index_source(self, conn: sqlite3.Connection, path: Path, fp: str) -> int:
        """Index one Ding file unless it is indexed with this fingerprint; returns its entries."""
        row = conn.execute("SELECT fingerprint, entries FROM sources WHERE path=?", (str(path),)).fetchone()
        if row is not None and row[0] == fp:
            return int(row[1])
        stage = f"dictionary {path.name}"
        self._report(stage, 0.0)
        lines = read_ding_lines(path)
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT fingerprint, entries FROM sources WHERE path=?", (str(path),)).fetchone()
            if row is not None and row[0] == fp:
                conn.execute("ROLLBACK")
                return int(row[1])
            self._delete_source(conn, str(path))
            first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM senses").fetchone()[0]
            with _gc_paused():
                index = _index_ding(lines, first, len(lines), self._progress, stage)
            if index.entries == 0:
                raise ValueError(f"{path.name} has no dictionary entries")
            last = first + len(index.senses) - 1
            cur = conn.execute("INSERT INTO sources(path, fingerprint, entries, lo, hi) VALUES(?,?,?,?,?)",
                               (str(path), fp, index.entries, first, last))
            src = cur.lastrowid
            conn.executemany("INSERT INTO senses VALUES(?,?)", index.senses)
            conn.executemany(
                "INSERT OR IGNORE INTO heads VALUES(?,?,?,?,?)",
                sorted((word, rank, sense, pos, gender)
                       for (word, sense), (rank, pos, gender) in index.heads.items()),
            )
            conn.executemany("INSERT OR IGNORE INTO forms VALUES(?,?,?)",
                             sorted((form, lemma, src) for form, lemma in index.forms))
            conn.executemany("INSERT OR IGNORE INTO plurals VALUES(?,?,?)",
                             sorted((lemma, src, plural) for lemma, plural in index.plurals.items()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self._part_cache.clear()
        return index.entries

    @staticmethod
    def _delete_source(conn: sqlite3.Connection, path: str) -> None:
        row = conn.execute("SELECT id, lo, hi FROM sources WHERE path=?", (path,)).fetchone()
        if row is None:
            return
        src, lo, hi = row
        conn.execute("DELETE FROM heads WHERE sense BETWEEN ? AND ?", (lo, hi))
        conn.execute("DELETE FROM senses WHERE id BETWEEN ? AND ?", (lo, hi))
        conn.execute("DELETE FROM forms WHERE src=?", (src,))
        conn.execute("DELETE FROM plurals WHERE src=?", (src,))
        conn.execute("DELETE FROM sources WHERE id=?", (src,))

    def _drop_stale(self, conn: sqlite3.Connection) -> None:
        """Forget indexed files that are no longer configured or no longer exist."""
        wanted = {str(p) for p in self._sources if p.exists()}
        stale = [p for (p,) in conn.execute("SELECT path FROM sources") if p not in wanted]
        if not stale:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            for path in stale:
                self._delete_source(conn, path)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def import_ding(self, path: Path) -> int:
        """Index a Ding-format file (plain or gzip) and keep it among this lexicon's sources.

        Raises ValueError with a one-line message if the file is missing or not in Ding format. Returns the
        number of entries (lines) indexed.
        """
        path = self._norm(path)
        validate_ding(path)
        with self._build_lock:
            conn = self._conn()
            fp = self._ding_fingerprint(path)
            if fp is None:
                raise ValueError(f"{path}: no such file")
            entries = self._index_source(conn, path, fp)
            if path not in self._sources:
                self._sources.append(path)
            self._status = None
            return entries

    # -- status --

    def status(self) -> LexiconStatus:
        """What is ready, without building (cheap: reads the meta table and stats the sources)."""
        if self._status is not None and self._built:
            return self._status
        return self._compute_status(self._conn())

    def _compute_status(self, conn: sqlite3.Connection) -> LexiconStatus:
        nouns_fp = self._nouns_fingerprint()
        nouns_ready = nouns_fp is not None and self._meta(conn, "nouns") == nouns_fp
        indexed = dict(conn.execute("SELECT path, fingerprint FROM sources").fetchall())
        entries = dict(conn.execute("SELECT path, entries FROM sources").fetchall())
        ready = [p for p in self._sources if indexed.get(str(p)) is not None
                 and indexed[str(p)] == self._ding_fingerprint(p)]
        missing = [p for p in self._sources if not p.exists()]
        parts: list[str] = []
        if ready:
            total = sum(entries[str(p)] for p in ready)
            names = ", ".join(str(p) for p in ready)
            parts.append(f"Dictionary ready: {total:,} entries from {names}.")
        if missing and not ready:
            if missing == [DEBIAN_DING]:
                parts.append(f"No English dictionary: {DEBIAN_DING} is missing. Install the Debian package "
                             "trans-de-en (apt install trans-de-en) or import a Ding file with "
                             "`lesestoff dict import PATH`; glosses are unavailable until then.")
            else:
                parts.append("Dictionary file not found: " + ", ".join(str(p) for p in missing)
                             + ". Glosses are unavailable until it is back or another is imported with "
                             "`lesestoff dict import PATH`.")
        elif missing:
            parts.append("Not found (skipped): " + ", ".join(str(p) for p in missing) + ".")
        elif not self._sources:
            parts.append("No English dictionary configured: import a Ding file with "
                         "`lesestoff dict import PATH` (or install Debian's trans-de-en).")
        elif not ready:
            parts.append("Dictionary not indexed yet.")
        if nouns_ready:
            parts.append("Noun grammar ready (german-nouns).")
        elif nouns_fp is None:
            parts.append("Noun grammar unavailable: the german-nouns package is not installed.")
        else:
            parts.append("Noun grammar not indexed yet.")
        return LexiconStatus(
            nouns_ready=nouns_ready,
            dictionary_ready=bool(ready),
            dictionary_source=", ".join(str(p) for p in ready) or None,
            message=" ".join(parts),
        )

    def _ready(self) -> sqlite3.Connection:
        """The connection, after building once per instance (skipped while another thread builds)."""
        if not self._built and self._build_lock.acquire(blocking=False):
            try:
                if not self._built:
                    self._ensure_built_locked()
            finally:
                self._build_lock.release()
        return self._conn()

    # -- queries --

    def noun(self, lemma: str) -> NounInfo | None:
        """Gender, plural and genitive of a noun (case-sensitive: "Essen", not "essen").

        Tries german-nouns, then the dictionary's gender markers, then an inflected form's lemma
        ("Modelle" → Modell), then the head of an unknown compound (source "compound head").
        """
        conn = self._ready()
        lemma = lemma.strip()
        if not lemma:
            return None
        info = self._noun_exact(conn, lemma)
        if info is not None and info.plural is None and info.source == "dictionary":
            compound = self._compound_noun(conn, lemma)
            if compound is not None and compound.gender == info.gender:
                info = NounInfo(lemma, info.gender, info.article, compound.plural, compound.genitive,
                                info.source, info.genders, compound.plurals, compound.head)
        if info is not None or not lemma[:1].isupper() or " " in lemma:
            return info
        base = self._noun_of_form(lemma)  # Modelle, Modellen, Modells → Modell
        if base is not None:
            return self._noun_exact(conn, base)
        return self._compound_noun(conn, lemma)

    def _noun_exact(self, conn: sqlite3.Connection, lemma: str) -> NounInfo | None:
        row = conn.execute("SELECT gender, plural, genitive, genders, plurals FROM nouns WHERE lemma=?",
                           (lemma,)).fetchone()
        if row is not None:
            gender, plural, genitive, genders, plurals = row
            return NounInfo(lemma, gender, ARTICLES[gender], plural, genitive, "german-nouns",
                            tuple(genders.split(",")), tuple(plurals.split("|")) if plurals else ())
        gender = self._ding_gender(conn, lemma)
        if gender is not None:
            genders = tuple(gender.split(","))
            row = conn.execute("SELECT plural FROM plurals WHERE lemma=? ORDER BY src LIMIT 1", (lemma,)).fetchone()
            plural = row[0] if row else None
            return NounInfo(lemma, genders[0], ARTICLES[genders[0]], plural, None, "dictionary", genders,
                            (plural,) if plural else ())
        if lemma in CURATED_NOUNS:
            gender = CURATED_NOUNS[lemma][0]
            return NounInfo(lemma, gender, ARTICLES[gender], None, None, "curated", (gender,))
        return None

    @staticmethod
    def _ding_gender(conn: sqlite3.Connection, word: str) -> str | None:
        row = conn.execute("SELECT gender FROM heads WHERE word=? AND rank<? AND pos='NOUN' AND gender IS NOT NULL "
                           "ORDER BY rank LIMIT 1", (word, _WORD_LIMIT)).fetchone()
        return row[0] if row else None

    def _compound_noun(self, conn: sqlite3.Connection, word: str) -> NounInfo | None:
        parts = self._split(word)
        if not parts or not parts[-1].noun:
            return None
        head = parts[-1]
        info = self._noun_exact(conn, head.lemma)
        if info is None:
            return None
        prefix = word[: len(word) - len(head.surface)]

        def join(form: str | None) -> str | None:
            if not form:
                return None
            if not prefix or prefix.endswith("-"):
                return prefix + form
            return prefix + form[:1].lower() + form[1:]

        return NounInfo(
            lemma=join(head.lemma) if head.inflected else word,  # type: ignore[arg-type]
            gender=info.gender,
            article=info.article,
            plural=join(info.plural),
            genitive=join(info.genitive),
            source="compound head",
            genders=info.genders,
            plurals=tuple(p for p in (join(x) for x in info.plurals) if p),
            head=info.lemma,
        )

    def is_common_noun(self, word: str) -> bool | None:
        """True for a common noun (lemma, inflected form, or compound with a noun head), False for a word
        the lexicon does not know as one (likely a name), None if noun grammar is not available."""
        conn = self._ready()
        if not self._nouns_ready(conn):
            return None
        row = conn.execute("SELECT proper FROM nouns WHERE lemma=?", (word,)).fetchone()
        if row is not None:
            return not row[0]
        if (word in CURATED_NOUNS or self._ding_gender(conn, word) is not None
                or self._noun_of_form(word) is not None):
            return True
        if word[:1].isupper():
            parts = self._split(word)
            if parts and parts[-1].noun:
                return True
        return False

    def _nouns_ready(self, conn: sqlite3.Connection) -> bool:
        fp = self._nouns_fingerprint()
        if fp is None:
            return False
        if fp != self._nouns_ready_for:
            if self._meta(conn, "nouns") != fp:
                return False
            self._nouns_ready_for = fp  # an index once built for this list stays built for it
        return True

    def knows(self, word: str) -> bool:
        """Whether ``word`` is a noun lemma or a dictionary headword, exactly as spelt."""
        conn = self._ready()
        return bool(
            conn.execute("SELECT 1 FROM nouns WHERE lemma=?", (word,)).fetchone()
            or conn.execute("SELECT 1 FROM heads WHERE word=? AND rank<? LIMIT 1",
                            (word, _WORD_LIMIT)).fetchone()
        )

    def lemma_of(self, form: str) -> str | None:
        """The lemma an inflected form maps back to ("Rechenleistungen" → "Rechenleistung"), if known."""
        conn = self._ready()
        row = conn.execute("SELECT lemma FROM forms WHERE form=? ORDER BY src DESC LIMIT 1", (form,)).fetchone()
        return row[0] if row else None

    def glosses(self, lemma: str, pos: str | None = None, limit: int = 5) -> list[Gloss]:
        """English glosses, best first. ``pos`` puts that part of speech first (it does not exclude others).

        Falls back to: the lemma of an inflected form, the other capitalisation, then the parts of a compound
        (one gloss "high + performance + processor" with source "compound").
        """
        conn = self._ready()
        lemma = lemma.strip()
        if not lemma or limit <= 0:
            return []
        found = self._lookup(conn, lemma, pos, limit)
        if found:
            return found
        if lemma in CURATED_NOUNS:
            gender, english = CURATED_NOUNS[lemma]
            return [Gloss(english, "NOUN", "curated", lemma, 0, gender)]
        bases = [r[0] for r in conn.execute("SELECT lemma FROM forms WHERE form=? ORDER BY src DESC", (lemma,))]
        if not bases and lemma[:1].isupper() and (noun := self._noun_of_form(lemma)) is not None:
            bases = [noun]  # Modells, Modellen
        for base in bases:
            found = self._lookup(conn, base, pos, limit)
            if found:
                return found
        other = lemma[:1].lower() + lemma[1:] if lemma[:1].isupper() else lemma[:1].upper() + lemma[1:]
        if other != lemma and not lemma.isupper():
            found = self._lookup(conn, other, pos, limit)
            if found:
                return found
        compound = self._compound_gloss(conn, lemma)
        return [compound] if compound else []

    def _lookup(self, conn: sqlite3.Connection, word: str, pos: str | None, limit: int) -> list[Gloss]:
        rows = conn.execute(
            "SELECT h.pos, h.gender, s.en FROM heads h JOIN senses s ON s.id = h.sense "
            "WHERE h.word=? ORDER BY h.rank, h.sense LIMIT ?",
            (word, max(limit * 4, 20)),
        ).fetchall()
        if pos is not None:
            rows = ([r for r in rows if r[0] == pos] + [r for r in rows if r[0] is None]
                    + [r for r in rows if r[0] not in (pos, None)])
        out: list[Gloss] = []
        seen: set[str] = set()
        for row_pos, gender, english in rows:
            key = english.lower()
            if key in seen:
                continue
            seen.add(key)
            out.append(Gloss(english, row_pos, "dictionary", word, len(out), gender))
            if len(out) >= limit:
                break
        return out

    def _compound_gloss(self, conn: sqlite3.Connection, word: str) -> Gloss | None:
        parts = self._split(word)
        if not parts:
            return None
        pieces = []
        for part in parts:
            got = self._lookup(conn, part.lemma, "NOUN" if part.noun else None, 1)
            if got:
                first = got[0].english.split(";")[0]
                pieces.append(" ".join(_SLASH_ABBR.sub(" ", first).split()) or first.strip())
            elif part.lemma in CURATED_NOUNS:
                pieces.append(CURATED_NOUNS[part.lemma][1].split(";")[0])
            else:
                pieces.append(part.lemma)
        head = parts[-1]
        noun = head.noun and word[:1].isupper()
        info = self._noun_exact(conn, head.lemma) if noun else None
        return Gloss(
            english=" + ".join(pieces),
            pos="NOUN" if noun else None,
            source="compound",
            headword="+".join(p.lemma for p in parts),
            rank=0,
            gender=info.gender if info else None,
        )

    # -- compounds --

    def split_compound(self, word: str) -> list[str] | None:
        """Lemmas of a compound's parts, the head last ("Hochleistungsprozessor" → hoch, Leistung, Prozessor).

        Tries the split even for known words; None if there is no split into known parts. A capitalised word
        needs a noun head, a lower-case one a non-noun head (adjective, verb). Parts have at least 3 letters
        and the head at least 4 (before linking elements -s-, -es-, -n-, -en-, -e-, -er- are removed); among
        complete splits the fewest parts win, then the longest head. Hyphens are hard boundaries
        ("KI-Modell" → KI, Modell), where an unknown piece before the last one is kept as it is.
        """
        self._ready()
        parts = self._split(word)
        return [p.lemma for p in parts] if parts else None

    def _split(self, word: str) -> list[_Part] | None:
        word = word.strip()
        if not word or " " in word or not word[:1].isalpha():
            return None
        noun_head = word[:1].isupper()
        if "-" in word.strip("-"):
            chunks = [c for c in word.split("-") if c]
            parts: list[_Part] = []
            for chunk in chunks[:-1]:
                known = self._whole(chunk)
                if known is not None:
                    parts.append(known)
                else:
                    sub = self._split_plain(chunk, need_noun=chunk[:1].isupper())
                    parts.extend(sub if sub else [_Part(chunk, chunk, False, False)])
            last = chunks[-1]
            head = self._head(last, noun_head, min_len=2)
            if head is not None:
                parts.append(head)
            else:
                sub = self._split_plain(last, need_noun=noun_head)
                if not sub:
                    return None
                parts.extend(sub)
            return parts if len(parts) >= 2 else None
        return self._split_plain(word, need_noun=noun_head)

    def _whole(self, chunk: str) -> _Part | None:
        """A hyphen-separated piece as a word of its own (exact spelling first, e.g. "KI")."""
        conn = self._conn()
        for candidate in dict.fromkeys((chunk, chunk[:1].upper() + chunk[1:].lower(), chunk.lower())):
            if candidate in CURATED_NOUNS or conn.execute(
                    "SELECT 1 FROM nouns WHERE lemma=?", (candidate,)).fetchone():
                return _Part(candidate, chunk, False, True)
            row = conn.execute("SELECT pos FROM heads WHERE word=? AND rank<? ORDER BY rank LIMIT 1",
                               (candidate, _WORD_LIMIT)).fetchone()
            if row is not None:
                return _Part(candidate, chunk, False, row[0] == "NOUN")
        return None

    def _split_plain(self, chunk: str, need_noun: bool) -> list[_Part] | None:
        n = len(chunk)
        if n < MIN_PART + MIN_HEAD:
            return None
        # best[i]: the best split of chunk[:i] into non-head parts, as (parts, linking elements, list)
        best: dict[int, tuple[int, int, list[_Part]]] = {0: (0, 0, [])}
        for end in range(MIN_PART, n - MIN_HEAD + 1):
            for start in range(0, end - MIN_PART + 1):
                prev = best.get(start)
                if prev is None:
                    continue
                part = self._nonhead(chunk[start:end])
                if part is None:
                    continue
                cand = (prev[0] + 1, prev[1] + part.linked, [*prev[2], part])
                old = best.get(end)
                if old is None or cand[:2] < old[:2]:
                    best[end] = cand
        options: list[tuple[int, int, int, list[_Part]]] = []
        for start in range(MIN_PART, n - MIN_HEAD + 1):
            prev = best.get(start)
            if prev is None or prev[0] == 0:
                continue
            head = self._head(chunk[start:], need_noun)
            if head is not None:
                options.append((prev[0] + 1, -(n - start), prev[1], [*prev[2], head]))
        if not options:
            return None
        return min(options, key=lambda o: o[:3])[3]

    def _nonhead(self, surface: str) -> _Part | None:
        key = ("p", surface.lower())
        if key not in self._part_cache:
            self._part_cache[key] = self._find_nonhead(surface)
        return self._part_cache[key]

    def _find_nonhead(self, surface: str) -> _Part | None:
        """A compound's non-final part: adjective, noun (maybe with a linking element), word or verb stem."""
        seg = surface.lower()
        cap = seg[:1].upper() + seg[1:]
        # "Rechen-" in Rechenleistung is rechnen's stem, not the garden rake (same for zeichnen, ordnen).
        if seg.endswith("en") and len(seg) > 4 and "VERB" in self._pos_of(seg[:-2] + "nen"):
            return _Part(seg[:-2] + "nen", surface, True, False)
        pos = self._pos_of(seg)
        if "ADJ" in pos:
            return _Part(seg, surface, False, False)
        if self._is_noun(cap):
            return _Part(cap, surface, False, True)
        for link in ("s", "es", "n", "en", "e", "er", "ens"):
            stem = cap[: -len(link)]
            if seg.endswith(link) and len(stem) >= MIN_PART and self._is_noun(stem):
                return _Part(stem, surface, True, True)
        if len(seg) >= 4 and self._is_noun(cap + "e"):  # Schul-buch, Sprach-kurs
            return _Part(cap + "e", surface, True, True)
        lemma = self._noun_of_form(cap)  # Bücher-regal
        if lemma is not None:
            return _Part(lemma, surface, True, True)
        if pos:
            return _Part(seg, surface, False, False)
        for suffix in ("en", "n"):  # Fahr-rad, Lese-buch
            if "VERB" in self._pos_of(seg + suffix):
                return _Part(seg + suffix, surface, True, False)
        return None

    def _head(self, surface: str, need_noun: bool, min_len: int = MIN_HEAD) -> _Part | None:
        """A compound's last part: a noun (for a capitalised word) or another word (for a lower-case one)."""
        if len(surface) < min_len:
            return None
        key = ("h" if need_noun else "H", surface)
        if key not in self._part_cache:
            self._part_cache[key] = self._find_head(surface, need_noun)
        return self._part_cache[key]

    def _find_head(self, surface: str, need_noun: bool) -> _Part | None:
        seg = surface.lower()
        if not need_noun:
            return _Part(seg, surface, False, False) if self._pos_of(seg) - {"NOUN"} else None
        cap = surface if surface.isupper() else seg[:1].upper() + seg[1:]
        if self._is_noun(cap):
            return _Part(cap, surface, False, True)
        lemma = self._noun_of_form(cap)  # Prozessoren, Herstellers
        return None if lemma is None else _Part(lemma, surface, False, True, inflected=True)

    def _is_noun(self, word: str) -> bool:
        conn = self._conn()
        return bool(
            conn.execute("SELECT 1 FROM nouns WHERE lemma=? AND proper=0", (word,)).fetchone()
            or self._ding_gender(conn, word) is not None
            or word in CURATED_NOUNS
        )

    def _noun_of_form(self, form: str) -> str | None:
        """The noun lemma of an inflected form: a listed plural, or a case ending on a lemma or plural
        (Modells → Modell, Modellen → Modelle → Modell, Namens → Name)."""
        conn = self._conn()
        candidates = [form] + [form[: -len(e)] for e in _CASE_ENDINGS
                               if form.endswith(e) and len(form) - len(e) >= MIN_PART]
        for index, candidate in enumerate(candidates):
            for (lemma,) in conn.execute("SELECT lemma FROM forms WHERE form=? ORDER BY src",
                                         (candidate,)).fetchall():
                if self._is_noun(lemma):
                    return lemma
            if index and self._is_noun(candidate):
                return candidate
        return None

    def _pos_of(self, word: str) -> set[str]:
        rows = self._conn().execute(
            "SELECT DISTINCT pos FROM heads WHERE word=? AND rank<?", (word, _BASE_LIMIT)).fetchall()
        return {r[0] for r in rows if r[0]}


# --- wiring ------------------------------------------------------------------------------------------------


def dictionaries_dir(paths: Paths) -> Path:
    """Where imported Ding files are kept (copied, so the index survives a moved original)."""
    return paths.root / "dictionaries"


def _imported(paths: Paths) -> list[Path]:
    folder = dictionaries_dir(paths)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def open_lexicon(paths: Paths, progress: ProgressFn | None = None) -> Lexicon:
    """The app's lexicon: Debian's de-en if installed, plus the files imported into the data dir.

    Nothing is built yet: call :meth:`Lexicon.ensure_built` (in a worker thread) before the first query.
    """
    imported = _imported(paths)
    sources = ([DEBIAN_DING] if DEBIAN_DING.exists() or not imported else []) + imported
    return Lexicon(paths.lexicon, sources, progress)


def import_dictionary(paths: Paths, source: Path, progress: ProgressFn | None = None) -> tuple[Path, int]:
    """Copy a Ding file into the data dir and index it; returns (the kept copy, entries indexed).

    The copy keeps the original's name; importing a file of the same name again replaces the earlier one.

    Raises ValueError with a one-line message if it is missing or not in Ding format.
    """
    import shutil

    source = Path(source).expanduser()
    validate_ding(source)
    folder = dictionaries_dir(paths)
    folder.mkdir(parents=True, exist_ok=True)
    if source.resolve().parent == folder.resolve():
        target = source.resolve()
    else:
        # The same name again is a newer release of that list: replace it (re-indexed as changed).
        target = folder / source.name
        if not (target.exists() and _same_file(target, source)):
            tmp = target.with_name(f".{target.name}.part")
            shutil.copyfile(source, tmp)
            tmp.replace(target)
    lexicon = open_lexicon(paths, progress)
    try:
        return target, lexicon.import_ding(target)
    finally:
        lexicon.close()


def _same_file(a: Path, b: Path) -> bool:
    import filecmp

    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False
