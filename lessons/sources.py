"""Stage 0 of an import: bytes from a file or standard input → normalised plain text (or timed subtitle cues).

What a learner brings is rarely clean UTF-8 prose, so this module

* reads in chunks (1 MB) with a progress callback and refuses anything above ``reading.MAX_BYTES`` (20 MB)
  before reading it whole;
* refuses binary data: known magic numbers (images, archives, PDFs, office files, audio/video, executables),
  NUL bytes that are not UTF-16, and decoded text that is mostly control or unassigned characters;
* decodes: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; else strict UTF-8; else an HTML page's
  ``<meta charset>``; else charset-normalizer's guess (Windows-1252 preferred when it decodes the same), with a
  warning that names the encoding assumed;
* repairs mojibake ("fÃ¼r" → "für") line by line with ftfy where it is clear, with a warning;
* detects the format by content first (``WEBVTT``, SRT timing lines, an HTML doctype/``<html>``), then by
  extension (``.srt .vtt .html .htm .md .markdown``; anything else is plain text), so an HTML page named
  ``.txt`` is still HTML while a plain text that merely mentions ``<script>`` or ``[bold]`` stays literal;
* converts: HTML → main text by trafilatura (boilerplate removal) with title and date from the page's
  metadata; Markdown → plain text; SRT/WebVTT → cues (start, end, text) without tags, sound labels and the
  rolling duplicates of automatic captions;
* normalises (``normalize``): line ends, ANSI escape sequences and control/invisible characters removed, NFC,
  trailing spaces and surrounding blank lines dropped. The library hashes this form, so the same text in UTF-8
  and UTF-16 is the same lesson.

Subtitles are stored in the library as a normalised WebVTT file (``to_vtt``); ``timed_lines`` turns either
form into the ``(start seconds, line)`` pairs ``pipeline.build_lesson`` takes.

Memory: the raw bytes (at most 20 MB) are held once and dropped after decoding; every later step makes at
most one new copy of the text and drops the old one.
"""

from __future__ import annotations

import codecs
import contextlib
import html
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from lessons.errors import UserError
from lessons.reading import MAX_BYTES

Progress = Callable[[str, float], None]
"""``progress(stage, fraction)``: stage is "reading" (fraction of bytes) or a later stage's name."""

CHUNK_BYTES = 1 << 20
"""Files are read in 1 MB chunks; progress is reported after each."""

PAUSE_SECONDS = 3.0
"""A subtitle pause this long after a finished sentence starts a new paragraph."""

BINARY_SHARE = 0.10
"""Decoded text with more than this share of control/unassigned characters is binary."""


class Format(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    SRT = "srt"
    VTT = "vtt"


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle cue: times in seconds, text on one line."""

    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded, converted and normalised text ready for the library."""

    name: str
    text: str
    """Plain text (for subtitles: the cue lines, one per line)."""
    format: Format
    encoding: str
    warnings: tuple[str, ...] = ()
    title: str | None = None
    date: str | None = None
    cues: tuple[Cue, ...] = ()

    @property
    def timed(self) -> bool:
        return self.format in (Format.SRT, Format.VTT)

    def stored_text(self) -> str:
        """What the library keeps: the text (with the page's date on a line of its own), or WebVTT."""
        if self.timed:
            return to_vtt(self.cues)
        if self.date:
            return f"{self.date}\n\n{self.text}"
        return self.text


# --- reading -----------------------------------------------------------------------------------------------


def _too_big(name: str, size: float) -> UserError:
    return UserError(
        f"{name}: {size / 2**20:.1f} MB is larger than the {MAX_BYTES // 2**20} MB import limit; split the text"
    )


def read_path(path: Path, progress: Progress | None = None) -> bytearray:
    """The file's bytes, read in chunks; one-line errors for missing, odd, unreadable or oversized files."""
    name = str(path)
    try:
        if not path.exists():
            raise UserError(f"{name}: no such file")
        if path.is_dir():
            raise UserError(f"{name}: is a directory, not a text file")
        if not path.is_file():
            raise UserError(f"{name}: not a regular file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(name, size)
        with path.open("rb") as handle:
            return read_stream(handle, name, progress, size=size)
    except PermissionError:
        raise UserError(f"{name}: permission denied") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot read ({exc.strerror or exc})") from None


def read_stream(stream: BinaryIO, name: str, progress: Progress | None = None, *, size: int | None = None) -> bytearray:
    """Read a stream in chunks, stopping with an error as soon as it passes ``MAX_BYTES``."""
    data = bytearray()
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if not chunk:
            break
        data += chunk
        if len(data) > MAX_BYTES:
            raise (
                _too_big(name, len(data))
                if size
                else UserError(f"{name}: more than the {MAX_BYTES // 2**20} MB import limit; split the text")
            )
        if progress is not None:
            progress("reading", min(1.0, len(data) / size) if size else 0.0)
    if progress is not None:
        progress("reading", 1.0)
    return data


# --- binary data -------------------------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (also .docx, .odt, .epub)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"PK\x07\x08", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"{\\rtf", "RTF document (save it as plain text)"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg audio/video"),
    (b"fLaC", "FLAC audio"),
    (b"ID3\x02", "MP3 audio"),
    (b"ID3\x03", "MP3 audio"),
    (b"ID3\x04", "MP3 audio"),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
)
_RIFF = {b"WAVE": "WAV audio", b"WEBP": "WebP image", b"AVI ": "AVI video"}
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ENCODING_NAMES = {
    "utf-8-sig": "UTF-8",
    "utf_8": "UTF-8",
    "utf-32": "UTF-32",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16-LE",
    "utf-16-be": "UTF-16-BE",
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1",
}


def magic_kind(data: bytes | bytearray) -> str | None:
    """The kind of a well-known binary file from its first bytes, or None."""
    head = bytes(data[:16])
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    return None


def _utf16_without_bom(data: bytes | bytearray) -> str | None:
    """'utf-16-le'/'utf-16-be' when the NUL bytes sit at every other position as in UTF-16 Latin text."""
    sample = bytes(data[:4096])
    half = max(1, len(sample) // 2)
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd > 0.3 and even < 0.02:
        return "utf-16-le"
    if even > 0.3 and odd < 0.02:
        return "utf-16-be"
    return None


def _junk_share(text: str) -> float:
    """Share of characters no text contains: controls (bar whitespace and ESC), unassigned, private use."""
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = 0
    for char in sample:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in "\t\n\r\x0b\x0c\x1b") or category in ("Cn", "Co", "Cs"):
            bad += 1
    return bad / len(sample)


def _implausible_utf16(text: str) -> bool:
    """Random bytes behind a UTF-16 BOM decode to code points ending in 00 far more often than text does."""
    sample = text[:65536]
    return bool(sample) and sum(1 for c in sample if ord(c) & 0xFF == 0) / len(sample) > BINARY_SHARE


def _binary(name: str, kind: str | None = None) -> UserError:
    return UserError(f"{name}: binary file{f' ({kind})' if kind else ''}, not text")


# --- decoding ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    """A readable encoding name ("UTF-8", "Windows-1252", …)."""
    warning: str | None = None
    """Set when the encoding was a guess."""


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def decode_bytes(data: bytes | bytearray, name: str = "text") -> Decoded:
    """Decode bytes of unknown encoding; raises UserError for binary data."""
    kind = magic_kind(data)
    if kind is not None:
        raise _binary(name, kind)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise _binary(name, f"not valid {_ENCODING_NAMES[codec]} despite its byte-order mark") from None
            if "\x00" in text or _implausible_utf16(text) or _junk_share(text) > BINARY_SHARE:
                raise _binary(name)
            return Decoded(text.lstrip("\ufeff"), _ENCODING_NAMES[codec])
    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise _binary(name, "contains NUL bytes")
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            raise _binary(name, "contains NUL bytes") from None
        if "\x00" in text or _junk_share(text) > BINARY_SHARE:
            raise _binary(name, "contains NUL bytes")
        label = _ENCODING_NAMES[codec]
        return Decoded(text, label, f"no byte-order mark; assumed {label}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _junk_share(text) > BINARY_SHARE:
            raise _binary(name)
        return Decoded(text, "UTF-8")
    declared = _META_CHARSET.search(bytes(data[:4096]))
    if declared is not None:
        codec = declared.group(1).decode("ascii", "replace").lower()
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            return Decoded(data.decode(codec), codecs.lookup(codec).name)
    return _guess(data, name)


GUESS_SAMPLE = 1 << 20
"""charset-normalizer judges at most this much of a file (its start, middle and end, cut at line breaks)."""


def _guess_sample(data: bytes | bytearray) -> bytes:
    if len(data) <= GUESS_SAMPLE:
        return bytes(data)
    third = GUESS_SAMPLE // 3
    parts = []
    for begin in (0, (len(data) - third) // 2, len(data) - third):
        start = data.find(b"\n", begin, begin + 4096) + 1 if begin else 0
        end = data.rfind(b"\n", begin, begin + third)
        parts.append(bytes(data[start : end if end > start else begin + third]))
    return b"\n".join(parts)


_LETTER_RUN = re.compile(r"[^\W\d_]{2,}")


def _reads_as_western(data: bytes | bytearray) -> bool:
    """Windows-1252 decodes it, and (almost) no word is made only of non-ASCII letters — unlike Cyrillic or
    Greek text read in the wrong code page, where every word is."""
    try:
        text = bytes(data[:GUESS_SAMPLE]).decode("cp1252")
    except UnicodeDecodeError:
        return False
    words = foreign = 0
    for match in _LETTER_RUN.finditer(text):
        words += 1
        foreign += all(ord(c) > 127 for c in match.group())
    return words > 0 and foreign / words < 0.05


def _guess(data: bytes | bytearray, name: str) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(_guess_sample(data)).best()
    if best is None:
        raise _binary(name)
    candidates = [best.encoding, *best.could_be_from_charset]
    # A German text in a single-byte code page decodes the same in several of them: say Windows-1252. With
    # few distinct umlauts charset-normalizer may also pick an exotic one (cp775 for "läuft … über"): when the
    # Windows-1252 reading has letters only inside Latin words, as German has, that reading is taken.
    codec = next((c for c in ("cp1252", "latin_1") if c in candidates), best.encoding)
    if codec == best.encoding and codec not in ("cp1252", "latin_1") and _reads_as_western(data):
        codec = "cp1252"
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        try:
            codec, text = best.encoding, data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            raise _binary(name, "no text encoding fits all of it") from None
    if _junk_share(text) > BINARY_SHARE:
        raise _binary(name)
    label = _ENCODING_NAMES.get(codec, codec)
    return Decoded(text, label, f"not UTF-8; assumed {label} (re-save the file as UTF-8 if letters look wrong)")


# --- normalising -------------------------------------------------------------------------------------------

_ANSI = (
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]"  # two-character escapes
)
_INVISIBLE = "\u00ad\u200b\u2060\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069"
_JUNK_CHARS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029" + _INVISIBLE + "]"
_JUNK = re.compile(_ANSI + "|" + _JUNK_CHARS)
_ANY_JUNK = re.compile(_JUNK_CHARS)
"""Every junk sequence (an escape starts with \\x1b) and every C1 control has one of these characters: a clean
text is told by one search with no alternation, a fifth of the time of the substitution."""
_LINE_BREAKS = frozenset("\x0b\x0c\x85\u2028\u2029")
_C1 = re.compile(r"[\x80-\x9f]")
_MOJIBAKE_HINT = re.compile(
    "[ÂÃÅÄâð][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)
"""Two-character shapes UTF-8 takes when read as Windows-1252 ("Ã¼" for "ü", "â€ž" for "„"): only lines with
one are handed to ftfy, which repairs them when the repair is unambiguous."""


def _junk_replacement(match: re.Match[str]) -> str:
    return "\n" if match.group(0) in _LINE_BREAKS else ""


def _fix_c1(text: str) -> str:
    """C1 controls left in decoded text are almost always Windows-1252 punctuation decoded as Latin-1."""
    if not _C1.search(text):
        return text

    def cp1252(match: re.Match[str]) -> str:
        char = match.group(0)
        if char == "\x85":
            return "…"
        try:
            return char.encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            return char

    return _C1.sub(cp1252, text)


def normalize(text: str) -> str:
    """The library's normal form: ``\\n`` line ends, no escapes/controls/invisibles, NFC, no trailing spaces.

    Idempotent; a clean UTF-8 text (like the seeds) is returned unchanged.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ANY_JUNK.search(text):
        text = _fix_c1(text)
        text = _JUNK.sub(_junk_replacement, text)
    text = unicodedata.normalize("NFC", text)
    # Each line's trailing whitespace (str.isspace, as the regex \s): split and rstrip, five times faster on a
    # book than a multi-line regex, which tries every space between two words as a possible line end.
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.strip("\n")


def repair_mojibake(text: str) -> tuple[str, int]:
    """Fix lines that are UTF-8 read as Windows-1252/Latin-1 ("fÃ¼r" → "für"); returns (text, lines fixed)."""
    if not _MOJIBAKE_HINT.search(text):
        return text, 0
    import ftfy

    fixed = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _MOJIBAKE_HINT.search(line):
            repaired = ftfy.fix_encoding(line)
            if repaired != line:
                lines[index] = repaired
                fixed += 1
    return ("\n".join(lines) if fixed else text), fixed


# --- formats -----------------------------------------------------------------------------------------------

_EXTENSIONS = {
    ".srt": Format.SRT,
    ".vtt": Format.VTT,
    ".webvtt": Format.VTT,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".xhtml": Format.HTML,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
}
_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.I | re.S)
_HTML_PARTS = re.compile(r"<(head|body)[\s>]", re.I)
_TIMESTAMP = r"(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
_TIMING = re.compile(r"^\s*" + _TIMESTAMP + r"\s*-->\s*" + _TIMESTAMP + r"(?:\s.*)?$")
_SRT_START = re.compile(r"\A\s*\d+\s*\n\s*" + _TIMESTAMP + r"\s*-->", re.M)


def detect_format(name: str, text: str) -> Format:
    """Content first (WebVTT header, SRT cue, HTML page), then the file extension; else plain text."""
    head = text[:4096]
    if head.lstrip("\ufeff \t\n").startswith("WEBVTT"):
        return Format.VTT
    if _SRT_START.match(head):
        return Format.SRT
    if _HTML_START.match(head) or {m.lower() for m in _HTML_PARTS.findall(head)} == {"head", "body"}:
        return Format.HTML
    return _EXTENSIONS.get(Path(name).suffix.lower(), Format.TEXT)


# --- HTML --------------------------------------------------------------------------------------------------

_QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """trafilatura logs warnings through the root logger's last-resort handler (stderr): not for learners."""
    loggers = [logging.getLogger(name) for name in _QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def html_to_text(page: str, name: str = "page") -> tuple[str, str | None, str | None]:
    """(main text, title, ISO date) of an HTML page: trafilatura removes navigation, ads, comments."""
    import trafilatura

    try:
        from trafilatura.settings import set_date_params

        dates = set_date_params(False)  # the page's metadata only, no guessing from its text
    except ImportError:  # pragma: no cover - other trafilatura versions
        dates = None
    result: dict[str, Any] = {}
    with _quiet():
        for recall in (False, True):
            try:
                found = trafilatura.bare_extraction(
                    page,
                    include_comments=False,
                    include_tables=False,
                    favor_recall=recall,
                    date_extraction_params=dates,
                )
            except Exception:  # lxml/trafilatura on broken markup: treated as "no text found"
                found = None
            # trafilatura 1.x returns a dict, 2.x a Document.
            result = found if isinstance(found, dict) else (found.as_dict() if found is not None else {})
            if (result.get("text") or "").strip():
                break
    text = result.get("text") or ""
    if not text.strip():
        raise UserError(f"{name}: no readable text found in the HTML page")
    # trafilatura puts each block (paragraph, heading, list item) on one line: make them paragraphs.
    text = "\n\n".join(line for line in text.split("\n") if line.strip())
    title = result.get("title") or None
    date = result.get("date") or None
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        date = None
    return text, (" ".join(title.split()) if title else None), date


# --- Markdown ----------------------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FENCE = re.compile(r"^[ \t]{0,3}(```+|~~~+)[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)", re.M | re.S)
_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.M), ""),  # link reference definitions
    (re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"^[ \t]{0,3}(?:=+|-+)[ \t]*$", re.M), ""),  # setext heading underlines
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M), r"\1"),  # ATX headings
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*$", re.M), ""),
    (re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.M), ""),  # block quotes
    (re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?", re.M), "- "),  # list items
    (re.compile(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$", re.M), ""),  # table separators
    (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|!\[[^\]\n]*\]\[[^\]\n]*\]"), ""),  # images
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),  # inline links
    (re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), r"\1"),  # reference links
    (re.compile(r"<(?:https?|ftp|mailto):[^>\s]+>"), ""),  # autolinks
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"), ""),  # inline HTML tags
    (re.compile(r"(`+)(.+?)\1"), r"\2"),  # inline code
    (re.compile(r"(\*\*\*|___)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"^[ \t]*\|(.*?)\|?[ \t]*$", re.M), r"\1"),  # table rows: drop the outer pipes
    (re.compile(r"[ \t]+\|[ \t]+"), " – "),  # … and the inner ones
    (re.compile(r"(?:[ \t]{2,}|\\)$", re.M), ""),  # hard line breaks
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),  # backslash escapes
)


def markdown_to_text(text: str) -> tuple[str, str | None, str | None]:
    """(plain text, front-matter title, front-matter date) of a Markdown text."""
    title = date = None
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).split("\n"):
            key, _, value = line.partition(":")
            value = value.strip().strip("\"'")
            if key.strip().lower() == "title" and value:
                title = value
            elif key.strip().lower() == "date" and re.match(r"\d{4}-\d{2}-\d{2}", value):
                date = value[:10]
        text = text[front.end() :]
    text = _FENCE.sub("", text)
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text, title, date


# --- subtitles ---------------------------------------------------------------------------------------------

_TAG = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
_SOUND_ONLY = re.compile(r"^[\s♪♫#*-]*(?:\[[^\]]*\]|\([^)]*\))?[\s♪♫#*]*$")
_SOUND_LABEL = re.compile(r"\[[^\]\n]{1,60}\]|♪+|♫+")
_SPEAKER_DASH = re.compile(r"^\s*[-–—]\s+")


def _seconds(groups: Sequence[str | None]) -> float:
    hours, minutes, seconds, fraction = (
        int((g or "0").ljust(3, "0")) if i == 3 else int(g or 0) for i, g in enumerate(groups)
    )
    return round(hours * 3600 + minutes * 60 + seconds + fraction / 1000, 3)


def _cue_line(raw: str, vtt: bool) -> str:
    line = _TAG.sub("", raw)
    if vtt or "&" in line:
        line = html.unescape(line)
    if _SOUND_ONLY.match(line):
        return ""
    line = _SOUND_LABEL.sub("", line)
    line = _SPEAKER_DASH.sub("", line)
    return " ".join(line.split())


def parse_subtitles(text: str, vtt: bool | None = None) -> list[Cue]:
    """Cues of an SRT or WebVTT text: tags, sound labels ("[Musik]") and speaker dashes removed, and the
    lines automatic captions repeat from the cue before dropped. Cues left empty are skipped."""
    if vtt is None:
        vtt = text.lstrip("\ufeff \t\n").startswith("WEBVTT")
    cues: list[Cue] = []
    recent: list[str] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = _TIMING.match(lines[index])
        index += 1
        if match is None:
            continue
        groups = match.groups()
        start, end = _seconds(groups[:4]), _seconds(groups[4:])
        parts: list[str] = []
        while index < len(lines) and lines[index].strip() and not _TIMING.match(lines[index]):
            line = _cue_line(lines[index], vtt)
            index += 1
            if not line or line in recent:
                continue
            parts.append(line)
            recent = [*recent[-2:], line]
        if parts:
            cues.append(Cue(start, max(start, end), " ".join(parts)))
    return cues


def _clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def to_vtt(cues: Sequence[Cue]) -> str:
    """The stored form of subtitles: WebVTT with one line per cue."""
    blocks = [f"{_clock(c.start)} --> {_clock(c.end)}\n{c.text}" for c in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks)


def timed_lines(cues: Sequence[Cue], pause: float = PAUSE_SECONDS) -> list[tuple[float, str]]:
    """``(start, line)`` pairs for ``build_lesson``; an empty line (a paragraph break) after a long pause that
    follows a finished sentence."""
    result: list[tuple[float, str]] = []
    previous: Cue | None = None
    for cue in cues:
        if (
            previous is not None
            and cue.start - previous.end >= pause
            and previous.text.rstrip("\"'”“»« ").endswith((".", "!", "?", "…"))
        ):
            result.append((cue.start, ""))
        result.append((cue.start, cue.text))
        previous = cue
    return result


def stored_timed_lines(stored: str) -> list[tuple[float, str]]:
    """Timed lines of a subtitle file as the library stores it (``to_vtt``)."""
    return timed_lines(parse_subtitles(stored, vtt=True))


# --- all together ------------------------------------------------------------------------------------------


def load_bytes(data: bytes | bytearray, name: str) -> Source:
    """Decode, detect the format, convert and normalise; raises UserError (one line) for unusable input.

    A ``bytearray`` is cleared once decoded, so the file is never held as bytes and text at once for long.
    """
    if not data:
        raise UserError(f"{name}: the file is empty")
    decoded = decode_bytes(data, name)
    if isinstance(data, bytearray):
        data.clear()  # the raw bytes are not needed again: free them now, not when the caller lets go
    warnings: list[str] = [decoded.warning] if decoded.warning else []
    text = normalize(decoded.text)
    if not text.strip():
        raise UserError(f"{name}: the file contains only whitespace")
    text, repaired = repair_mojibake(text)
    if repaired:
        warnings.append(f"repaired garbled characters (like 'fÃ¼r' → 'für') in {repaired} line(s)")
    fmt = detect_format(name, text)
    title = date = None
    cues: tuple[Cue, ...] = ()
    if fmt is Format.HTML:
        text, title, date = html_to_text(text, name)
        text = normalize(text)
    elif fmt is Format.MARKDOWN:
        text, title, date = markdown_to_text(text)
        text = normalize(text)
    elif fmt in (Format.SRT, Format.VTT):
        cues = tuple(parse_subtitles(text, vtt=fmt is Format.VTT))
        if not cues:
            raise UserError(f"{name}: no subtitle cues with text found")
        text = "\n".join(c.text for c in cues)
    if not text.strip():
        raise UserError(f"{name}: no text left after removing the {fmt} markup")
    return Source(name, text, fmt, decoded.encoding, tuple(warnings), title, date, cues)


def load_path(path: Path, progress: Progress | None = None) -> Source:
    return load_bytes(read_path(path, progress), str(path))


def load_stream(stream: BinaryIO, name: str = "stdin", progress: Progress | None = None) -> Source:
    return load_bytes(read_stream(stream, name, progress), name)
