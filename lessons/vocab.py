"""A lesson's vocabulary list, as DW's "Top-Thema mit Vokabeln" prints it under the text.

One entry per lemma and part of speech, in order of appearance (or hardest first): the word as a learner
writes it ("die Rechenleistung", separable verbs whole: "aufmischen"), noun grammar from the lexicon, the
meaning in this text (curated glossary first, then the dictionary; every meaning names its source), the
first sentence it occurs in (as corrected) with the form found there, and that sentence's translation.

Names, numbers and punctuation are never vocabulary. Function words (articles, pronouns, auxiliaries, the
most frequent adverbs) are left out unless asked for, or unless they are at or above the requested level.

Formats for ``lesestoff vocab``: a plain table, CSV, TSV for Anki's plain-text importer (the format of
``lessons.anki.write_tsv``), JSON, and a Markdown glossary a teacher can hand out.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from lessons.meanings import Meanings
from lessons.model import CEFR_LEVELS, CONTENT_POS, Lesson, Pos, Sentence, Token

__all__ = [
    "FORMATS",
    "VocabEntry",
    "VocabPart",
    "anki_word",
    "build_vocabulary",
    "is_function_word",
    "level_rank",
    "read_known_file",
    "render",
    "short_meaning",
]

Sort = Literal["appearance", "difficulty"]
FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "md")

AUXILIARIES = frozenset({"sein", "haben", "werden", "können", "müssen", "sollen", "wollen", "dürfen", "mögen"})
FREQUENT_ADVERB_ZIPF = 6.0
"""Adverbs at least this frequent ("auch", "so", "noch", "schon", "jetzt") count as function words."""

PLURALIA_TANTUM = frozenset(
    {
        "Leute",
        "Kosten",
        "Eltern",
        "Großeltern",
        "Geschwister",
        "Ferien",
        "Spesen",
        "Unkosten",
        "Lebensmittel",
        "Trümmer",
        "Masern",
        "Personalien",
        "Alpen",
        "Zinsen",
    }
)
"""Nouns a learner meets (almost) only in the plural: "die Kosten", never "der Kosten"."""

_UMLAUT_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "s", "Ä": "A", "Ö": "O", "Ü": "U"})


def level_rank(cefr: str | None) -> int:
    """0 for A1 … 5 for C2; -1 for no level (names, punctuation)."""
    return CEFR_LEVELS.index(cefr) if cefr in CEFR_LEVELS else -1


def check_level(level: str | None) -> str | None:
    if level is None:
        return None
    upper = level.strip().upper()
    if upper not in CEFR_LEVELS:
        raise ValueError(f"unknown CEFR level {level!r} (one of {', '.join(CEFR_LEVELS)})")
    return upper


def is_function_word(token: Token) -> bool:
    """Articles, pronouns, conjunctions (the pipeline's flag), auxiliaries and modals, very frequent adverbs."""
    if token.function_word:
        return True
    if token.pos is Pos.VERB and token.lemma in AUXILIARIES:
        return True
    return token.pos is Pos.ADV and token.zipf >= FREQUENT_ADVERB_ZIPF


def is_vocabulary(token: Token) -> bool:
    """A word a learner studies: a content word that is not a name, number or punctuation."""
    return token.pos in CONTENT_POS


def is_particle(token: Token) -> bool:
    """The split-off particle of a separable verb ("auf" of "mischt … auf")."""
    return (
        token.separable
        and token.lemma.lower().startswith(token.text.lower())
        and token.text.lower() != (token.lemma.lower())
    )


def short_meaning(english: str, alternatives: int = 2, limit: int = 60) -> str:
    """A dictionary gloss cut to its first alternatives ("a; b; c; d" → "a; b"), at most ``limit`` chars."""
    parts = [p.strip() for p in english.split(";") if p.strip()]
    if not parts:
        return english.strip()
    out = parts[0]
    for part in parts[1:alternatives]:
        if len(out) + 2 + len(part) > limit:
            break
        out += "; " + part
    return out


def plausible_plural(lemma: str, plural: str | None) -> bool:
    """False for grammar that cannot belong to the lemma (a plural sharing not even its first letters)."""
    if not plural:
        return False
    a, b = lemma.translate(_UMLAUT_FOLD).casefold(), plural.translate(_UMLAUT_FOLD).casefold()
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= min(3, len(a))


@dataclass(frozen=True, slots=True)
class VocabPart:
    """One part of a compound with its gloss ("Rechen" + "Leistung")."""

    lemma: str
    english: str

    def to_dict(self) -> dict[str, str]:
        return {"lemma": self.lemma, "english": self.english}


@dataclass(frozen=True)
class VocabEntry:
    """One word of a lesson's vocabulary list."""

    lemma: str
    """Original capitalisation: "Rechenleistung", "aufmischen"."""
    display: str
    """As a learner writes it: "die Rechenleistung", "aufmischen", "die Kosten"."""
    pos: str
    article: str | None
    gender: str | None
    plural: str | None
    genitive: str | None
    meaning: str | None
    """The meaning in this text (short), or None when neither glossary nor dictionary has one."""
    meaning_source: str | None
    cefr: str | None
    zipf: float
    count: int
    """How often the word occurs in the lesson."""
    example: str
    """The first sentence containing the word, as the lesson shows it (corrected)."""
    example_word: str
    """The form in ``example`` ("mischt" for "mischt … auf": the finite part of a split separable verb)."""
    example_translation: str | None
    example_translation_source: str | None
    sentence: int
    """Index of ``example`` in the lesson."""
    parts: tuple[VocabPart, ...] = ()
    """A compound's parts, each glossed (empty unless every part has a gloss)."""
    plural_only: bool = False
    meaning_note: str = ""
    example_spans: tuple[tuple[int, int], ...] = field(default=())
    """Character spans of the word in ``example`` (both parts of a split separable verb)."""

    @property
    def level(self) -> int:
        return level_rank(self.cefr)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lemma": self.lemma,
            "display": self.display,
            "pos": self.pos,
            "article": self.article,
            "gender": self.gender,
            "plural": self.plural,
            "plural_only": self.plural_only,
            "genitive": self.genitive,
            "meaning": self.meaning,
            "meaning_source": self.meaning_source,
            "meaning_note": self.meaning_note,
            "cefr": self.cefr,
            "zipf": self.zipf,
            "count": self.count,
            "example": self.example,
            "example_word": self.example_word,
            "example_spans": [list(span) for span in self.example_spans],
            "example_translation": self.example_translation,
            "example_translation_source": self.example_translation_source,
            "sentence": self.sentence,
            "parts": [p.to_dict() for p in self.parts],
        }


# --- building --------------------------------------------------------------------------------------------------


@dataclass
class _Seen:
    token: Token
    sentence: Sentence
    order: int
    count: int = 0


def _key(token: Token) -> tuple[str, str]:
    return (token.lemma, str(token.pos))


def example_tokens(sentence: Sentence, lemma: str, pos: str) -> list[Token]:
    """The tokens of ``lemma``/``pos`` in ``sentence``, the finite part of a split separable verb first."""
    found = [t for t in sentence.tokens if t.lemma == lemma and str(t.pos) == pos]
    return sorted(found, key=lambda t: (is_particle(t), t.start))


def _is_known(lemma: str, display: str, known: Collection[str]) -> bool:
    return lemma in known or display in known


def build_vocabulary(
    lesson: Lesson,
    meanings: Meanings,
    *,
    level: str | None = None,
    min_zipf: float | None = None,
    max_zipf: float | None = None,
    known: Collection[str] = (),
    include_function_words: bool = False,
    sort: Sort = "appearance",
) -> list[VocabEntry]:
    """The lesson's vocabulary: one entry per lemma (+ part of speech).

    ``level``: only words at or above that CEFR band (function words at or above it are kept too).
    ``min_zipf``/``max_zipf``: only words whose Zipf frequency is in that range. ``known``: lemmas (or
    displays, "die Rechenleistung") to leave out. ``sort``: "appearance" (first occurrence) or "difficulty"
    (rarest first).
    """
    floor = level_rank(check_level(level)) if level is not None else None
    if sort not in ("appearance", "difficulty"):
        raise ValueError(f"unknown sort {sort!r} (appearance or difficulty)")
    known_set = set(known)
    seen: dict[tuple[str, str], _Seen] = {}
    for sentence in lesson.sentences:
        for token in sentence.tokens:
            if not is_vocabulary(token) or is_particle(token):
                continue
            key = _key(token)
            entry = seen.get(key)
            if entry is None:
                entry = seen[key] = _Seen(token, sentence, len(seen))
            entry.count += 1

    entries: list[tuple[int, VocabEntry]] = []
    for (lemma, pos), found in seen.items():
        token = found.token
        rank = level_rank(token.cefr)
        if floor is not None and rank < floor:
            continue
        if is_function_word(token) and not include_function_words and (floor is None or rank < floor):
            continue
        if min_zipf is not None and token.zipf < min_zipf:
            continue
        if max_zipf is not None and token.zipf > max_zipf:
            continue
        entry = _entry(lesson, meanings, lemma, pos, found)
        if _is_known(entry.lemma, entry.display, known_set):
            continue
        entries.append((found.order, entry))
    if sort == "difficulty":
        entries.sort(key=lambda pair: (pair[1].zipf, pair[0]))
    return [entry for _, entry in entries]


def _entry(lesson: Lesson, meanings: Meanings, lemma: str, pos: str, found: _Seen) -> VocabEntry:
    info = meanings.word(lemma, pos, lesson.source)
    best = info.best
    meaning = meaning_source = None
    note = ""
    if best is not None:
        meaning = best.english if best.source == "curated" else short_meaning(best.english)
        meaning_source = best.source
        note = best.note
    article, gender, plural, genitive = info.article, info.gender, info.plural, info.genitive
    plural_only = False
    if pos == Pos.NOUN:
        plural_only = lemma in PLURALIA_TANTUM or note.casefold().startswith(("plural only", "plural noun"))
        if plural_only:
            article, gender, plural, genitive = "die", None, None, None
        elif plural is not None and not plausible_plural(lemma, plural):
            plural = genitive = None
    display = f"{article} {lemma}" if article else lemma
    if pos == Pos.NOUN and article is None:
        display = _nominalised(meanings, lemma, found) or display
    parts: tuple[VocabPart, ...] = ()
    if len(info.parts) > 1 and all(p.english for p in info.parts):
        parts = tuple(VocabPart(p.lemma, p.english or "") for p in info.parts)
    sentence = found.sentence
    tokens = example_tokens(sentence, lemma, pos)
    first = tokens[0] if tokens else found.token
    spans = tuple(sorted((t.start, t.end) for t in tokens)) if tokens else ((first.start, first.end),)
    if len(tokens) > 1 and not any(t.separable for t in tokens):
        spans = ((first.start, first.end),)  # a word repeated in its sentence: mark the first
    translation = meanings.translation(sentence, lesson.source)
    return VocabEntry(
        lemma=lemma,
        display=display,
        pos=pos,
        article=article,
        gender=gender,
        plural=plural,
        genitive=genitive,
        meaning=meaning,
        meaning_source=meaning_source,
        cefr=found.token.cefr,
        zipf=round(found.token.zipf, 2),
        count=found.count,
        example=sentence.text,
        example_word=sentence.text[first.start : first.end] or first.text,
        example_translation=translation.english if translation else None,
        example_translation_source=translation.source if translation else None,
        sentence=sentence.index,
        parts=parts,
        plural_only=plural_only,
        meaning_note=note,
        example_spans=spans,
    )


_ADJ_ENDINGS = ("e", "es", "en", "er", "em")


def _nominalised(meanings: Meanings, lemma: str, found: _Seen) -> str | None:
    """An adjective used as a noun ("Das Interessante" → lemma "Interessant"): "das Interessante"."""
    text = found.token.text
    if not text.startswith(lemma) or text[len(lemma) :] not in _ADJ_ENDINGS:
        return None
    if meanings.lexicon is not None:
        noun = meanings.lexicon.noun(lemma + "e")
        if noun is not None and noun.lemma == lemma + "e":
            return f"{noun.article} {lemma}e"
    tokens = found.sentence.tokens
    position = tokens.index(found.token)
    before = tokens[position - 1].text.casefold() if position > 0 else ""
    if before in ("das", "dem", "des", "etwas", "nichts", "viel", "alles"):
        return f"das {lemma}e"
    return None


# --- known words ---------------------------------------------------------------------------------------------

_ARTICLE_PREFIX = re.compile(r"^(?:der|die|das)\s+(?=\S)", re.IGNORECASE)


def read_known_file(path: Path) -> set[str]:
    """Lemmas from a plain file, one a line; '#' starts a comment; "die Rechenleistung" counts as the lemma."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        from lessons.errors import UserError

        raise UserError(f"cannot read the known-words file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        from lessons.errors import UserError

        raise UserError(f"the known-words file {path} is not UTF-8 text") from exc
    words: set[str] = set()
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
            words.add(_ARTICLE_PREFIX.sub("", word))
    return words


# --- formats ---------------------------------------------------------------------------------------------------

POS_LABELS = {"NOUN": "noun", "VERB": "verb", "ADJ": "adj", "ADV": "adv"}


def anki_word(entry: VocabEntry, *, default_level: str = "") -> Any:
    """The entry as ``lessons.anki.AnkiWord`` (the example word always occurs in the example)."""
    from lessons.anki import AnkiWord

    return AnkiWord(
        lemma=entry.lemma,
        display=entry.display,
        pos=entry.pos,
        gender=entry.gender,
        article=entry.article,
        plural=entry.plural if entry.plural else ("(nur Plural)" if entry.plural_only else None),
        meaning=entry.meaning or "",
        level=entry.cefr or default_level,
        example=entry.example,
        example_word=entry.example_word,
        example_translation=entry.example_translation,
    )


def _plural_cell(entry: VocabEntry) -> str:
    if entry.plural_only:
        return "(nur Plural)"
    return entry.plural or ""


def _table(entries: Sequence[VocabEntry]) -> str:
    rows = [("word", "plural", "pos", "level", "n", "meaning")]
    for e in entries:
        meaning = e.meaning or "–"
        if e.meaning_source and e.meaning_source != "curated":
            meaning += f"  [{e.meaning_source}]"
        rows.append(
            (e.display, _plural_cell(e), POS_LABELS.get(e.pos, e.pos.lower()), e.cefr or "", str(e.count), meaning)
        )
    widths = [min(max(len(r[i]) for r in rows), 32) for i in range(5)]
    lines = []
    for row in rows:
        cells = [row[i].ljust(widths[i]) if i != 4 else row[i].rjust(widths[i]) for i in range(5)]
        lines.append("  ".join([*cells, row[5]]).rstrip())
    return "\n".join(lines) + "\n"


CSV_FIELDS: tuple[str, ...] = (
    "lemma",
    "display",
    "pos",
    "article",
    "gender",
    "plural",
    "genitive",
    "meaning",
    "meaning_source",
    "cefr",
    "zipf",
    "count",
    "example",
    "example_word",
    "example_translation",
    "example_translation_source",
    "sentence",
    "parts",
)


def _csv(entries: Sequence[VocabEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for e in entries:
        data = e.to_dict()
        data["plural"] = _plural_cell(e)
        data["parts"] = " + ".join(f"{p.lemma} ({p.english})" for p in e.parts)
        writer.writerow(["" if data[name] is None else data[name] for name in CSV_FIELDS])
    return out.getvalue()


def _tsv(entries: Sequence[VocabEntry], lesson: Lesson) -> str:
    """Exactly what ``lessons.anki.write_tsv`` writes (header for Anki's importer, stable GUIDs)."""
    from lessons.anki import deck_name_for, write_tsv

    with tempfile.TemporaryDirectory(prefix="lesestoff-tsv-") as tmp:
        path = Path(tmp) / "vocab.tsv"
        write_tsv(
            [anki_word(e, default_level=lesson.cefr) for e in entries],
            path,
            deck=deck_name_for(lesson.title, lesson.id),
            tags=[lesson.id],
        )
        return path.read_text(encoding="utf-8")


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _md_bold(entry: VocabEntry) -> str:
    """The example with the word in bold (both parts of a split verb), Markdown-escaped."""
    text = entry.example
    out, last = [], 0
    for start, end in entry.example_spans:
        if start < last or end > len(text) or start >= end:
            continue
        out.append(_md_escape(text[last:start]))
        out.append(f"**{_md_escape(text[start:end])}**")
        last = end
    out.append(_md_escape(text[last:]))
    return _md_cell("".join(out))


def _md_escape(text: str) -> str:
    return re.sub(r"([\\*_`\[\]<>])", r"\\\1", text)


def _markdown(entries: Sequence[VocabEntry], lesson: Lesson, level: str | None) -> str:
    lines = [f"# {_md_cell(lesson.title)}", ""]
    meta = [f"Niveau / level: {lesson.cefr}"]
    if level:
        meta.append(f"words from {level} up")
    meta.append(f"{len(entries)} Wörter / words")
    lines += [" · ".join(meta), ""]
    lines += ["| Wort | Plural | Bedeutung | Beispiel |", "|---|---|---|---|"]
    unchecked = False
    for e in entries:
        meaning = _md_escape(e.meaning or "–")
        if e.meaning_source and e.meaning_source != "curated":
            meaning += " †"
            unchecked = True
        plural = _plural_cell(e) or "–"
        word = f"**{_md_cell(_md_escape(e.display))}**"
        lines.append(f"| {word} | {_md_cell(_md_escape(plural))} | {_md_cell(meaning)} | {_md_bold(e)} |")
    lines.append("")
    if unchecked:
        lines += ["† from the dictionary, not checked for this text", ""]
    lines.append(f"Source: {_md_cell(lesson.source)}")
    return "\n".join(lines) + "\n"


def render(entries: Sequence[VocabEntry], lesson: Lesson, fmt: str = "table", *, level: str | None = None) -> str:
    """The entries in one of :data:`FORMATS`."""
    if fmt == "table":
        return _table(entries)
    if fmt == "csv":
        return _csv(entries)
    if fmt == "tsv":
        return _tsv(entries, lesson)
    if fmt == "json":
        return json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return _markdown(entries, lesson, level)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def lemmas(entries: Iterable[VocabEntry]) -> list[str]:
    return [e.lemma for e in entries]
