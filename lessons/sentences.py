"""Stage 4: German sentence segmentation.

Rule-based, because the off-the-shelf splitters all break after "Mio." before a capital (STACK-NOTES) and
miss closing „…“ quotes. A boundary is sentence punctuation, optional closing quotes/brackets, whitespace,
then something that can start a sentence — unless the word before the dot is an abbreviation, an initial,
or an ordinal ("20. Januar").
"""

from __future__ import annotations

import re
import unicodedata

ABBREVIATIONS = frozenset(
    [
        "a",
        "abb",
        "abs",
        "abt",
        "allg",
        "anm",
        "bd",
        "bspw",
        "bzgl",
        "bzw",
        "ca",
        "chr",
        "co",
        "d",
        "dgl",
        "dr",
        "ebd",
        "evtl",
        "exkl",
        "f",
        "ff",
        "fa",
        "frl",
        "gegr",
        "geb",
        "gest",
        "ggf",
        "h",
        "hg",
        "hrsg",
        "hr",
        "i",
        "inkl",
        "insb",
        "jh",
        "jhd",
        "kap",
        "kl",
        "lt",
        "max",
        "min",
        "mio",
        "mind",
        "mrd",
        "nachf",
        "nr",
        "o",
        "od",
        "pkt",
        "prof",
        "ps",
        "rd",
        "s",
        "sog",
        "spl",
        "st",
        "std",
        "str",
        "stv",
        "s",
        "t",
        "tel",
        "u",
        "usw",
        "v",
        "vgl",
        "vs",
        "z",
        "zb",
        "zt",
        "zzgl",
        "ua",
        "uä",
        "ebd",
        "inc",
        "ltd",
        "corp",
        "jr",
        "sen",
        "mr",
        "mrs",
        "ms",
        "etc",
    ]
)
"""Lower-cased words that take a dot and do not end a sentence (d. h., z. B., u. a., Mio., Mrd., Nr., …)."""

MONTH_WORDS = frozenset(
    [
        "januar",
        "jänner",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
    ]
)

_CLOSERS = "\"'”“»«’)]›"
_BOUNDARY = re.compile(r"([.!?…]+)([" + re.escape(_CLOSERS) + r"]*)(\s+)(?=\S)")
_OPENERS = "„\"“»«‚'([–-•"
_LOOK = 200
"""How far the boundary rules look around a full stop (keeps splitting linear in the paragraph's length)."""

MAX_SENTENCE_CHARS = 1000
"""Longest sentence the tagger gets. A longer run (a 1 MB line without punctuation, a list without full stops)
is cut into pieces of at most this length by ``cap_length``: after the last comma, semicolon, colon or dash in
the window's second half, else at the last space, else (no space at all) hard at the limit."""
_SOFT_BREAK = re.compile(r"[,;:](?=\s)|\s[–—-](?=\s)")


def _previous_word(text: str, end: int) -> str:
    # A bounded look-behind keeps splitting linear on huge paragraphs (no word that matters is this long).
    match = re.search(r"([\w\-]+)$", text[max(0, end - _LOOK) : end])
    return match.group(1) if match else ""


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    punct = match.group(1)
    following = text[match.end() : match.end() + _LOOK]
    next_char = following[:1]
    next_word = re.match(r"[\w\-]+", following)
    if punct in ("?", "!", "…", "...") or len(punct) > 1:
        # "?" and "!" end sentences unless a lower-case word continues them.
        return not next_char.islower()
    word = _previous_word(text, match.start())
    if not word:
        return next_char.isupper() or next_char in _OPENERS
    if word.lower() in ABBREVIATIONS and not match.group(2):
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial ("J. Smith") or a one-letter abbreviation
    if word.isdigit() and len(word) <= 2:
        # "20. Januar", "am 3. Tag": an ordinal, not the end of a sentence.
        month_follows = bool(next_word and next_word.group(0).lower() in MONTH_WORDS)
        if month_follows or next_char.islower() or _ordinal_context(text, match):
            return False
    if next_char.islower():
        return False
    return next_char.isupper() or next_char.isdigit() or next_char in _OPENERS


def _ordinal_context(text: str, match: re.Match[str]) -> bool:
    """'am 3. Tag', 'der 2. Weltkrieg': a preposition/article right before the number marks an ordinal."""
    low = max(0, match.start() - _LOOK)
    before = text[low : match.start()].split()
    if low > 0 and not text[low - 1].isspace() and not text[low].isspace():
        before = before[1:]  # the window began inside a word
    if len(before) < 2:
        return False
    return before[-2].lower() in {
        "am",
        "im",
        "vom",
        "zum",
        "bis",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ab",
        "seit",
        "zur",
        "beim",
    }


def split_sentences(text: str) -> list[str]:
    """Split one paragraph into sentences (whitespace inside a sentence is kept as it was)."""
    text = text.strip()
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_boundary(text, match):
            end = match.end(2)
            sentence = text[start:end].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def cap_length(sentence: str, limit: int = MAX_SENTENCE_CHARS) -> list[str]:
    """``sentence`` cut into stripped pieces of at most ``limit`` characters (see ``MAX_SENTENCE_CHARS``)."""
    if len(sentence) <= limit:
        return [sentence] if sentence else []
    pieces: list[str] = []
    start = 0
    while len(sentence) - start > limit:
        window = sentence[start : start + limit]
        cut = 0
        for match in _SOFT_BREAK.finditer(window, limit // 2):
            cut = match.end()
        if not cut:
            cut = next((i for i in range(limit - 1, limit // 4, -1) if window[i].isspace()), limit)
            while cut > 1 and start + cut < len(sentence) and unicodedata.combining(sentence[start + cut]):
                cut -= 1  # never separate a letter from its accent
        piece = window[:cut].strip()
        if piece:
            pieces.append(piece)
        start += cut
        while start < len(sentence) and sentence[start].isspace():
            start += 1
    tail = sentence[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces
