"""Anki export: lesson vocabulary → an .apkg (genanki) that re-imports as updates; a TSV for Anki's importer.

Design (what keeps a learner's Anki collection clean across re-exports):

- Two note types with hard-coded model IDs and field lists that must never change order or names:
  **Lesestoff Vocabulary** (German → English, English → German, and for nouns an article card) and
  **Lesestoff Cloze** (the lesson sentence with the word blanked out).
- Note GUIDs come from identifying fields only (lemma with its capitalisation, POS, gender), so a
  changed meaning or example updates the existing note instead of adding one. "Essen" and "essen" are
  two notes. A word met in several lessons is one note, in the first lesson's deck.
- One deck per lesson, ``Lesestoff::<title>``, with an ID derived from the lesson slug.
- Every field is HTML-escaped; markup (bold, cloze) is added around the escaped word afterwards.
- Notes are stamped with an export time that increases even for two exports within one second: Anki
  only updates a note whose modification time (in whole seconds) is newer than its own.
- The .apkg is written atomically (temp file in the target directory, then ``os.replace``).

This module imports genanki only; the real ``anki`` package is a test dependency.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import itertools
import json
import os
import re
import sqlite3
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from lessons import audio as _audio

__all__ = [
    "CLOZE_MODEL_ID",
    "VOCAB_MODEL_ID",
    "AnkiLesson",
    "AnkiWord",
    "ExportResult",
    "cloze_model",
    "deck_id_for",
    "deck_name_for",
    "export_deck",
    "vocab_model",
    "write_tsv",
]

# Fixed forever: Anki identifies note types by these IDs (genanki's 31-bit range, [2**30, 2**31)).
VOCAB_MODEL_ID = 1_873_404_211
CLOZE_MODEL_ID = 1_873_404_212
VOCAB_MODEL_NAME = "Lesestoff Vocabulary"
CLOZE_MODEL_NAME = "Lesestoff Cloze"
DECK_PREFIX = "Lesestoff"
BASE_TAG = "lesestoff"

VOCAB_FIELDS: tuple[str, ...] = (
    "Word",  # with article: "die Rechenleistung"
    "Plural",
    "Meaning",
    "POS",  # readable: "noun", "verb", ...
    "Level",
    "Example",  # escaped sentence, the word in <b>
    "ExampleTranslation",
    "Source",  # lesson title
    "Audio",  # "[sound:lesestoff-….mp3]" or empty
    "Lemma",  # hidden: the bare lemma ("Rechenleistung"), front of the article card
    "Article",  # hidden: der/die/das
    "Gender",  # hidden: m/f/n, colours the word
    "IsNoun",  # hidden: non-empty only for nouns with a known article → article card
)
CLOZE_FIELDS: tuple[str, ...] = (
    "Text",  # escaped sentence with {{c1::word}}
    "Translation",
    "Meaning",  # shown as a hint on the front
    "Word",
    "Level",
    "Source",
)

_POS_LABELS = {
    "NOUN": "noun",
    "PROPN": "name",
    "VERB": "verb",
    "ADJ": "adjective",
    "ADV": "adverb",
    "NUM": "number",
}

_SYNTHETIC = _audio.SYNTHETIC_LABEL

CSS = """\
.card {
  --fg: #1f2328; --muted: #656d76; --bg: #fbfaf7; --rule: #d8dee4; --accent: #0b5cad;
  --mark: #fff3bf; --m: #1f5fbf; --f: #b42318; --n: #1a7f37;
  font-family: "Source Sans 3", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  font-size: 22px; line-height: 1.45; text-align: center;
  color: var(--fg); background-color: var(--bg);
  max-width: 34em; margin: 0 auto; padding: 0.6em 0.8em;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --fg: #e6edf3; --muted: #9aa4ae; --bg: #1e1f22; --rule: #3d444d; --accent: #6cb6ff;
  --mark: #4a3f12; --m: #79b8ff; --f: #ff8a80; --n: #7ee2a8;
}
.kind { font-size: 0.6em; letter-spacing: 0.06em; text-transform: uppercase; color: var(--muted); }
.word { font-size: 1.6em; font-weight: 600; margin: 0.25em 0; }
.word.g-m, .g-m .article { color: var(--m); }
.word.g-f, .g-f .article { color: var(--f); }
.word.g-n, .g-n .article { color: var(--n); }
.prompt { font-size: 1.35em; margin: 0.35em 0; }
.meaning { font-size: 1.2em; margin: 0.3em 0; }
.meta, .plural, .source, .synthetic, .hint-label { font-size: 0.7em; color: var(--muted); }
.example { margin-top: 0.9em; font-style: italic; }
.example b, .cloze { font-style: normal; font-weight: 700; color: var(--accent); }
.example-tr { font-size: 0.8em; color: var(--muted); margin-top: 0.2em; }
.hint { margin-top: 0.8em; font-size: 0.85em; color: var(--muted); }
.source { margin-top: 1.2em; }
.audio { margin-top: 0.4em; }
.synthetic { margin-left: 0.4em; }
.sentence { font-size: 1.15em; text-align: left; }
hr#answer { border: 0; border-top: 1px solid var(--rule); margin: 0.8em 0; }
"""

_AUDIO_BLOCK = (
    f'{{{{#Audio}}}}<div class="audio">{{{{Audio}}}}<span class="synthetic">{_SYNTHETIC}</span></div>{{{{/Audio}}}}'
)
_DETAILS = (
    '{{#Plural}}<div class="plural">Plural: {{Plural}}</div>{{/Plural}}\n'
    '<div class="meta">{{POS}}{{#Level}} · {{Level}}{{/Level}}</div>\n'
    '{{#Example}}<div class="example">{{Example}}</div>{{/Example}}\n'
    '{{#ExampleTranslation}}<div class="example-tr">{{ExampleTranslation}}</div>{{/ExampleTranslation}}\n'
    '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'
)

VOCAB_TEMPLATES: tuple[dict[str, str], ...] = (
    {
        "name": "German → English",
        "qfmt": (
            '<div class="kind">Deutsch → English</div>\n<div class="word g-{{Gender}}">{{Word}}</div>\n' + _AUDIO_BLOCK
        ),
        "afmt": '{{FrontSide}}\n<hr id="answer">\n<div class="meaning">{{Meaning}}</div>\n' + _DETAILS,
    },
    {
        "name": "English → German",
        # Wrapped in {{#Meaning}}: no meaning, no card (Anki and genanki generate a card only when the
        # front renders a non-empty field).
        "qfmt": (
            "{{#Meaning}}"
            '<div class="kind">English → Deutsch</div>\n'
            '<div class="prompt">{{Meaning}}</div>\n'
            '<div class="meta">{{POS}}</div>'
            "{{/Meaning}}"
        ),
        "afmt": (
            '{{FrontSide}}\n<hr id="answer">\n<div class="word g-{{Gender}}">{{Word}}</div>\n'
            + _AUDIO_BLOCK
            + "\n"
            + _DETAILS
        ),
    },
    {
        "name": "Article",
        "qfmt": (
            '{{#IsNoun}}<div class="kind">der, die oder das?</div>\n<div class="word">___ {{Lemma}}</div>{{/IsNoun}}'
        ),
        "afmt": (
            '<div class="kind">der, die oder das?</div>\n'
            '<div class="word g-{{Gender}}"><span class="article">{{Article}}</span> {{Lemma}}</div>\n'
            + _AUDIO_BLOCK
            + '\n<hr id="answer">\n<div class="meaning">{{Meaning}}</div>\n'
            '{{#Plural}}<div class="plural">Plural: {{Plural}}</div>{{/Plural}}'
        ),
    },
)

CLOZE_TEMPLATES: tuple[dict[str, str], ...] = (
    {
        "name": "Cloze",
        "qfmt": (
            '<div class="kind">Lückentext</div>\n'
            '<div class="sentence">{{cloze:Text}}</div>\n'
            '{{#Meaning}}<div class="hint"><span class="hint-label">Hint:</span> {{Meaning}}</div>'
            "{{/Meaning}}"
        ),
        "afmt": (
            '<div class="kind">Lückentext</div>\n'
            '<div class="sentence">{{cloze:Text}}</div>\n'
            '<hr id="answer">\n'
            '{{#Translation}}<div class="example-tr">{{Translation}}</div>{{/Translation}}\n'
            '<div class="meaning">{{Word}}{{#Meaning}} – {{Meaning}}{{/Meaning}}</div>\n'
            '<div class="meta">{{Level}}</div>\n'
            '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'
        ),
    },
)


@dataclass(frozen=True)
class AnkiWord:
    """One vocabulary item as the vocabulary stage hands it over."""

    lemma: str
    """Original capitalisation: "Rechenleistung", "essen", "aufholen"."""
    display: str
    """As a learner writes it: "die Rechenleistung", "aufholen"."""
    pos: str
    """"NOUN" | "VERB" | "ADJ" | "ADV" | ..."""
    gender: str | None
    """"m" | "f" | "n" for nouns."""
    article: str | None
    plural: str | None
    meaning: str
    level: str
    """CEFR "A1".."C2"."""
    example: str
    """The lesson sentence containing the word."""
    example_word: str
    """The inflected form as it appears in ``example`` (bolded / clozed)."""
    example_translation: str | None = None


@dataclass(frozen=True)
class AnkiLesson:
    slug: str
    title: str
    words: Sequence[AnkiWord]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    notes: int
    cards: int
    media: int
    decks: int
    warnings: tuple[str, ...] = ()


# --- identities --------------------------------------------------------------------------------------


def _id31(namespace: str, key: str) -> int:
    """A stable ID in genanki's range [2**30, 2**31) from a hash (never Python's salted ``hash``)."""
    digest = hashlib.sha256(f"{namespace}\x00{key}".encode()).digest()
    return (1 << 30) | (int.from_bytes(digest[:4], "big") & ((1 << 30) - 1))


def deck_id_for(slug: str) -> int:
    return _id31("lesestoff-deck", slug)


def deck_name_for(title: str, slug: str = "") -> str:
    """``Lesestoff::<title>``; "::" inside a title would make sub-decks, so it is flattened."""
    name = " ".join(title.split()).replace("::", ":") or slug or "Lesson"
    return f"{DECK_PREFIX}::{name}"


def vocab_guid(word: AnkiWord) -> str:
    """From identifying fields only: re-exports with a new meaning/example update the same note."""
    return genanki.guid_for("lesestoff-vocab", word.lemma, word.pos, word.gender or "")


def cloze_guid(sentence: str, word: str) -> str:
    return genanki.guid_for("lesestoff-cloze", sentence, word)


def _word_key(word: AnkiWord) -> tuple[str, str, str]:
    return (word.lemma, word.pos, word.gender or "")


@functools.lru_cache(maxsize=4096)
def _tag(text: str) -> str:
    """Anki tags cannot contain whitespace. (Cached: a deck repeats a few tags on thousands of notes.)"""
    return re.sub(r"\s+", "_", text.strip())


# --- HTML ---------------------------------------------------------------------------------------------


_HTML_SPECIAL = re.compile("[&<>\"']")


def _esc(text: str | None) -> str:
    # Most fields have nothing to escape: one search instead of html.escape's five replacements.
    return html.escape(text, quote=True) if text and _HTML_SPECIAL.search(text) else text or ""


@functools.lru_cache(maxsize=256)  # each note asks up to three times (the check, the bold, the cloze)
def _find_word(sentence: str, word: str) -> tuple[int, int] | None:
    """Span of the first whole-word occurrence of ``word`` (exact case first, then any case)."""
    word = word.strip()
    if not word or not sentence:
        return None
    # str.find with a boundary check: a regex compiled per word was most of a big export's time.
    for haystack, needle in ((sentence, word), (sentence.casefold(), word.casefold())):
        if len(haystack) != len(sentence):
            break  # casefold changed the length ("ß" → "ss"): positions would not map back
        start = haystack.find(needle)
        while start != -1:
            end = start + len(needle)
            before_ok = start == 0 or (not haystack[start - 1].isalnum() and haystack[start - 1] != "_")
            after_ok = end == len(haystack) or (not haystack[end].isalnum() and haystack[end] != "_")
            if before_ok and after_ok:
                return start, end
            start = haystack.find(needle, start + 1)
    match = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", sentence, re.IGNORECASE)
    return match.span() if match else None


def _mark(sentence: str, span: tuple[int, int] | None, before: str, after: str) -> str:
    """Escape ``sentence`` and wrap the (escaped) word at ``span`` in markup.

    The word is located in the raw text and each piece escaped on its own: the same result as wrapping
    the escaped word inside the escaped sentence, without the risk of matching inside an entity
    (``amp`` in ``&amp;``).
    """
    if span is None:
        return _esc(sentence)
    start, end = span
    return _esc(sentence[:start]) + before + _esc(sentence[start:end]) + after + _esc(sentence[end:])


def bold_example(sentence: str, word: str) -> str:
    return _mark(sentence, _find_word(sentence, word), "<b>", "</b>")


def _no_braces(text: str) -> str:
    """Keep sentence text from forming cloze syntax ("{{c2::") inside a cloze field."""
    return text.replace("{", "&#123;").replace("}", "&#125;")


def cloze_text(sentence: str, word: str) -> str | None:
    """The escaped sentence with the word as ``{{c1::…}}``, or None when the word is not in it."""
    span = _find_word(sentence, word)
    if span is None:
        return None
    start, end = span
    inner = _no_braces(_esc(sentence[start:end])).replace(":", "&#58;")
    return _no_braces(_esc(sentence[:start])) + "{{c1::" + inner + "}}" + _no_braces(_esc(sentence[end:]))


# --- models -------------------------------------------------------------------------------------------


def vocab_model() -> genanki.Model:
    return genanki.Model(
        VOCAB_MODEL_ID,
        VOCAB_MODEL_NAME,
        fields=[{"name": name} for name in VOCAB_FIELDS],
        templates=[dict(t) for t in VOCAB_TEMPLATES],
        css=CSS,
        model_type=genanki.Model.FRONT_BACK,
    )


def cloze_model() -> genanki.Model:
    return genanki.Model(
        CLOZE_MODEL_ID,
        CLOZE_MODEL_NAME,
        fields=[{"name": name} for name in CLOZE_FIELDS],
        templates=[dict(t) for t in CLOZE_TEMPLATES],
        css=CSS,
        model_type=genanki.Model.CLOZE,
    )


# --- timestamps ---------------------------------------------------------------------------------------

_stamp_lock = threading.Lock()
_last_stamp = 0.0


def _next_timestamp(out: Path) -> float:
    """``time.time()``, moved past the previous export's second if needed.

    Anki compares modification times in whole seconds, so two exports within one second would not
    update. The floor is the last stamp this process used and the existing output file's mtime (an
    export from an earlier process); a file dated in the future (clock skew) is ignored.
    """
    global _last_stamp
    with _stamp_lock:
        now = time.time()
        floor = _last_stamp
        with contextlib.suppress(OSError):
            mtime = out.stat().st_mtime
            if mtime <= now + 60:
                floor = max(floor, mtime)
        stamp = now if int(now) > int(floor) else float(int(floor) + 1)
        _last_stamp = stamp
        return stamp


# --- writing ------------------------------------------------------------------------------------------


def _atomic_target(out: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    return Path(name)


def _commit(tmp: Path, out: Path) -> None:
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, out)


def _write_package(package: genanki.Package, path: Path, timestamp: float) -> None:
    """``genanki.Package.write_to_file`` without its leak.

    genanki 0.13 builds the collection in ``tempfile.mkstemp()`` and never deletes it (one stray file
    in the system temp dir per export). Same format here: ``collection.anki2``, a ``media`` JSON map
    and the media files as numbered zip members.
    """
    with tempfile.TemporaryDirectory(prefix="lesestoff-apkg-") as workdir:
        db_path = os.path.join(workdir, "collection.anki2")
        conn = sqlite3.connect(db_path)
        try:
            cursor = conn.cursor()
            package.write_to_db(cursor, timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as outzip:
            outzip.write(db_path, "collection.anki2")
            media = dict(enumerate(package.media_files))
            outzip.writestr("media", json.dumps({idx: os.path.basename(p) for idx, p in media.items()}))
            for idx, media_path in media.items():
                # mp3 does not compress; store it
                outzip.write(media_path, str(idx), compress_type=zipfile.ZIP_STORED)


@dataclass
class _Entry:
    word: AnkiWord
    lesson: AnkiLesson
    slugs: list[str] = field(default_factory=list)


def _collect(lessons: Sequence[AnkiLesson], warnings: list[str]) -> tuple[list[AnkiLesson], list[_Entry]]:
    """Unique lessons (by slug) and unique words (first occurrence wins, tags from every lesson)."""
    by_slug: dict[str, AnkiLesson] = {}
    entries: dict[tuple[str, str, str], _Entry] = {}
    for lesson in lessons:
        if lesson.slug in by_slug:
            first = by_slug[lesson.slug]
            if first.title != lesson.title:
                warnings.append(
                    f"lessons {first.title!r} and {lesson.title!r} share the slug {lesson.slug!r}: "
                    f"their words go to one deck"
                )
        else:
            by_slug[lesson.slug] = lesson
        owner = by_slug[lesson.slug]
        for word in lesson.words:
            if not word.lemma.strip():
                warnings.append(f"skipped a word without a lemma in {lesson.title!r}")
                continue
            entry = entries.get(_word_key(word))
            if entry is None:
                entry = entries[_word_key(word)] = _Entry(word, owner)
            if lesson.slug not in entry.slugs:
                entry.slugs.append(lesson.slug)
    return list(by_slug.values()), list(entries.values())


def _tags(entry: _Entry) -> list[str]:
    return list(_tag_set(entry.word.level, tuple(entry.slugs), entry.word.pos))


@functools.lru_cache(maxsize=1024)  # a deck has a handful of (level, lessons, POS) combinations
def _tag_set(level: str, slugs: tuple[str, ...], pos: str) -> tuple[str, ...]:
    tags = [BASE_TAG, _tag(level), *(_tag(s) for s in slugs), _tag(pos)]
    return tuple(dict.fromkeys(t for t in tags if t))


@functools.lru_cache(maxsize=64)
def _pos_label(pos: str) -> str:
    return _esc(_POS_LABELS.get(pos, pos.lower()))


def _vocab_fields(word: AnkiWord, source: str, audio_field: str) -> list[str]:
    """The vocab note's fields, HTML-escaped; ``source`` (the lesson title) is escaped by the caller."""
    is_noun = word.pos == "NOUN" and bool((word.article or "").strip())
    example_word = word.example_word or word.lemma
    return [
        _esc(word.display or word.lemma),
        _esc(word.plural),
        _esc(word.meaning),
        _pos_label(word.pos),
        _esc(word.level),
        bold_example(word.example, example_word),
        _esc(word.example_translation),
        source,
        audio_field,
        _esc(word.lemma),
        _esc(word.article) if is_noun else "",
        _esc(word.gender) if is_noun else "",
        "1" if is_noun else "",
    ]


def export_deck(
    lessons: Sequence[AnkiLesson],
    out: Path,
    *,
    cloze: bool = True,
    audio: bool = False,
    audio_cache: Path | None = None,
    timestamp: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write one .apkg with a deck per lesson; see the module docstring for the design.

    ``audio_cache`` keeps synthesised clips between exports (e.g. ``Paths.audio``); without it they
    live in a temp dir for the duration of the export. ``timestamp`` stamps the notes (default: now,
    but always past the previous export's second). ``progress(done, total)`` is called per word.
    The existing ``out`` is replaced only when the new file is complete.
    """
    out = Path(out)
    warnings: list[str] = []
    unique_lessons, entries = _collect(lessons, warnings)
    if not entries:
        warnings.append("no words to export")

    if audio and not _audio.tools_available():
        warnings.append("espeak-ng/lame not found: exported without audio")
        audio = False

    stamp = _next_timestamp(out) if timestamp is None else float(timestamp)
    vmodel, cmodel = vocab_model(), cloze_model()
    decks: dict[str, genanki.Deck] = {
        lesson.slug: genanki.Deck(deck_id_for(lesson.slug), deck_name_for(lesson.title, lesson.slug))
        for lesson in unique_lessons
    }
    media: dict[str, Path] = {}
    notes = cards = 0
    cloze_guids: set[str] = set()
    total = len(entries)

    with contextlib.ExitStack() as stack:
        if audio and audio_cache is None:
            audio_cache = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lesestoff-audio-")))
        if progress is not None:
            progress(0, total)
        for done, entry in enumerate(entries, start=1):
            word, lesson = entry.word, entry.lesson
            tags = _tags(entry)
            audio_field = ""
            if audio and audio_cache is not None:
                spoken = word.display or word.lemma
                try:
                    clip = _audio.synthesize(spoken, audio_cache)
                except _audio.AudioError as exc:
                    warnings.append(f"no audio for {spoken!r}: {exc}")
                else:
                    media.setdefault(clip.name, clip)
                    audio_field = f"[sound:{clip.name}]"

            example_word = word.example_word or word.lemma
            if word.example and _find_word(word.example, example_word) is None:
                warnings.append(f"{example_word!r} not found in its example sentence: no bold, no cloze")

            note = genanki.Note(
                model=vmodel,
                fields=_vocab_fields(word, _esc(lesson.title), audio_field),
                tags=tags,
                guid=vocab_guid(word),
            )
            decks[lesson.slug].add_note(note)
            notes += 1
            cards += len(note.cards)

            if cloze and word.example:
                text = cloze_text(word.example, example_word)
                guid = cloze_guid(word.example, example_word)
                if text is not None and guid not in cloze_guids:
                    cloze_guids.add(guid)
                    cnote = genanki.Note(
                        model=cmodel,
                        fields=[
                            text,
                            _esc(word.example_translation),
                            _esc(word.meaning),
                            _esc(word.display or word.lemma),
                            _esc(word.level),
                            _esc(lesson.title),
                        ],
                        tags=tags,
                        guid=guid,
                    )
                    decks[lesson.slug].add_note(cnote)
                    notes += 1
                    cards += len(cnote.cards)
            if progress is not None:
                progress(done, total)

        used = [deck for deck in decks.values() if deck.notes]
        package = genanki.Package(used, media_files=[str(p) for p in media.values()])
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = _atomic_target(out)
        try:
            _write_package(package, tmp, stamp)
            _commit(tmp, out)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise

    return ExportResult(
        path=out,
        notes=notes,
        cards=cards,
        media=len(media),
        decks=len(used),
        warnings=tuple(warnings),
    )


# --- TSV ----------------------------------------------------------------------------------------------

TSV_COLUMNS: tuple[str, ...] = (
    "GUID",
    "Front",
    "Back",
    "Plural",
    "POS",
    "Level",
    "Example",
    "ExampleTranslation",
    "Tags",
)


def _tsv_cell(html_text: str) -> str:
    """One HTML cell: newlines → <br>, tabs → an entity, and never a leading '#' (a comment to Anki)."""
    cell = html_text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>").replace("\t", "&#9;")
    if cell.startswith("#"):
        cell = "&#35;" + cell[1:]
    return cell


def write_tsv(
    words: Iterable[AnkiWord],
    out: Path,
    *,
    deck: str | None = None,
    tags: Sequence[str] = (),
) -> int:
    """Write ``words`` for Anki's plain-text importer (File → Import); returns the number of rows.

    A header tells Anki the format (``#separator:tab``, ``#html:true``, the column names, which
    column holds GUIDs and tags). Columns are named after the Basic note type's fields, so Front/Back
    map by themselves; the rest can be mapped in the import dialog. GUIDs are stable (own namespace,
    so they never clash with the .apkg's notes), which lets a re-import update notes. Duplicate words
    are written once. The file is written atomically.
    """
    out = Path(out)
    lines = [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        f"#tags column:{len(TSV_COLUMNS)}",
        "#columns:" + "\t".join(TSV_COLUMNS),
    ]
    if deck:
        lines.append("#deck:" + " ".join(deck.split()))
    seen: set[tuple[str, str, str]] = set()
    extra = [_tag(t) for t in tags if _tag(t)]
    for word in words:
        if not word.lemma.strip() or _word_key(word) in seen:
            continue
        seen.add(_word_key(word))
        example = bold_example(word.example, word.example_word or word.lemma)
        back = _esc(word.meaning)
        if example:
            back += f'<div class="example">{example}</div>'
        row_tags = list(dict.fromkeys([BASE_TAG, *extra, _tag(word.level), _tag(word.pos)]))
        row = [
            genanki.guid_for("lesestoff-tsv", word.lemma, word.pos, word.gender or ""),
            _esc(word.display or word.lemma),
            back,
            _esc(word.plural),
            _esc(_POS_LABELS.get(word.pos, word.pos.lower())),
            _esc(word.level),
            example,
            _esc(word.example_translation),
            " ".join(t for t in row_tags if t),
        ]
        lines.append("\t".join(_tsv_cell(c) for c in row))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _atomic_target(out)
    try:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        _commit(tmp, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return len(seen)
