"""Stage 2: remove web boilerplate and non-lesson lines; extract the date.

Every rule is general (keywords and shapes of boilerplate, not the seed texts' exact lines) and every
removed line is kept with its reason, so ``show`` can list what went.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from lessons import language

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "jänner", "january", "jan"),
            ("februar", "feber", "february", "feb"),
            ("märz", "maerz", "march", "mär", "mar"),
            ("april", "apr"),
            ("mai", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("dezember", "december", "dez", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("montag", "monday"),
            ("dienstag", "tuesday"),
            ("mittwoch", "wednesday"),
            ("donnerstag", "thursday"),
            ("freitag", "friday"),
            ("samstag", "sonnabend", "saturday"),
            ("sonntag", "sunday"),
        ]
    )
    for name in names
}

_MONTH = r"(?P<month>[A-Za-zäÄ]+)\.?"
_WEEKDAY = r"(?:(?P<weekday>[A-Za-z]+),?\s+)?"
_DATE_PATTERNS = [
    re.compile(r"^(?P<year>(?:19|20)\d\d)-(?P<mon>\d\d)-(?P<day>\d\d)(?:[T ]\d\d:\d\d(?::\d\d)?)?$"),
    re.compile(r"^" + _WEEKDAY + r"(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>(?:19|20)\d\d)$"),
    re.compile(r"^" + _WEEKDAY + r"(?P<day>\d{1,2})\.?\s+" + _MONTH + r"(?:\s+(?P<year>(?:19|20)\d\d))?$"),
    re.compile(r"^" + _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:,?\s+(?P<year>(?:19|20)\d\d))?$"),
]
_LONGEST_DATE = 60
"""Longer than any line the patterns accept ("Donnerstag, 30. September 2025" is 31 characters), with room for
the spaces a line may still have around its words."""
_DATE_PREFIX = re.compile(r"^\s*(?:date|datum|veröffentlicht|published|stand)\s*:?\s+(?P<date>\S+)\s*", re.I)


def parse_date(text: str, today: dt.date | None = None) -> str | None:
    """An ISO date from a line that is only a date ("2025-02-09", "Donnerstag, Januar 30", "30. Januar 2025").

    Without a year, a weekday fixes it: the latest year up to today's whose date falls on that weekday.
    A date without year or weekday yields ``--MM-DD`` (ISO 8601 without year).
    """
    if len(text) > _LONGEST_DATE:
        return None  # (clean asks this of every line of a text until it finds a date)
    candidate = " ".join(text.strip().split())
    for pattern in _DATE_PATTERNS:
        match = pattern.match(candidate)
        if not match:
            continue
        parts = match.groupdict()
        month = MONTHS.get(parts["month"].lower()) if parts.get("month") else int(parts["mon"])
        weekday_name = (parts.get("weekday") or "").lower()
        weekday = WEEKDAYS.get(weekday_name) if weekday_name else None
        if month is None or (weekday_name and weekday is None) or not 1 <= month <= 12:
            continue
        day = int(parts["day"])
        if parts.get("year"):
            year = int(parts["year"])
        elif weekday is not None:
            year = _year_for_weekday(month, day, weekday, today or dt.date.today())
            if year is None:
                continue
        else:
            return f"--{month:02d}-{day:02d}" if 1 <= day <= 31 else None
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def _year_for_weekday(month: int, day: int, weekday: int, today: dt.date) -> int | None:
    for year in range(today.year, today.year - 30, -1):
        try:
            if calendar.weekday(year, month, day) == weekday:
                return year
        except ValueError:
            continue
    return None


# --- boilerplate rules -----------------------------------------------------------------------------------

_NOTICE = re.compile(
    r"javascript|\bbrowser|adblock|werbeblocker|\bcookies?\b|einstellungen an\b|"
    r"aktivieren sie|deaktivieren sie|enable javascript|your browser",
)
"""Searched in the lower-cased line (as is ``_PROMO``): a third faster than ``re.I`` on a book."""
_NAVIGATION = re.compile(
    r"^(exit mobile version|zur mobilen version|zur desktop-version|mobile version verlassen|"
    r"zum inhalt springen|skip to (main )?content|zurück nach oben|nach oben|back to top|"
    r"menü|menu|navigation|suche|teilen|drucken|share|print|startseite|home|impressum|datenschutz)$",
    re.I,
)
_PROMO = re.compile(
    r"newsletter|\babonnieren\b|\babonniere\b|jetzt abonnieren|\bweiterlesen\b|lesen sie (auch|mehr)|"
    r"mehr (zu diesem thema|zum thema|dazu) (erfahren|lesen|finden)|mehr erfahren|read more|"
    r"dieser (beitrag|artikel) erschien|folgen sie uns|follow us|jetzt (herunterladen|testen)|"
    r"anzeige$|^werbung$|^sponsored",
)
_CREDIT_LINE = re.compile(
    r"^\(?\s*(bildquelle|bild|foto|fotos|photo|image|grafik|illustration|optik|quelle|credit|©)\s*[:©]",
    re.I,
)
_CREDIT_INLINE = re.compile(
    r"\s*\((?:bildquelle|bild|foto|fotos|photo|image|grafik|illustration|optik|quelle)\s*:[^()]*\)"
    r"|\s*©\s*[^.!?]*$",
    re.I,
)
_PREV_NEXT = re.compile(
    r"^(<<|>>|«|»|←|→)\s*:?|^(vorheriger|nächster|voriger|previous|next)\s+(artikel|beitrag|post|article)\b",
    re.I,
)
_RECOMMEND_HEADING = re.compile(
    r"^(artikel empfehlen|empfohlene artikel|empfohlen|das könnte sie auch interessieren|"
    r"(weitere|ähnliche|verwandte|beliebte|neueste) (artikel|beiträge|themen)|"
    r"mehr zum thema|related (posts|articles)|recommended( articles)?|you may also like|auch interessant)\s*:?$",
    re.I,
)
_TEASER = re.compile(r"(\.\.\.|…)\s*$")
_BULLET = re.compile(r"^\s*(?:[•·▪‣◦●■*]|-(?=\s)|–(?=\s))\s*")
_BROKEN_HYPHEN = re.compile(r"(?<=[^\W\d_])- (?!(?:und|oder|bzw\.|sowie|als|noch|wie)\b)(?=[A-ZÄÖÜ])")
"""'US- Technologiefirmen' is a typo for 'US-Technologiefirmen'; 'Denk- und Mathematikfähigkeiten' is German."""
_SENTENCE_END = re.compile(r"[.!?…:;\"“”»«'’)]$")


@dataclass(frozen=True, slots=True)
class Removal:
    line: str
    reason: str


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Kept text as paragraphs of lines, what was removed, and the metadata found."""

    paragraphs: tuple[tuple[str, ...], ...]
    removed: tuple[Removal, ...]
    date: str | None


_CJK = re.compile("[\u3000-\u9fff\uac00-\ud7af\uff00-\U0010ffff]")


def _is_cjk_heavy(line: str) -> bool:
    if not _CJK.search(line):
        return False  # the common case, without counting letters
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return False
    cjk = sum(1 for c in letters if "\u3000" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" or c >= "\uff00")
    return cjk / len(letters) > 0.3


_LETTERS = re.compile(r"[^\W\d_]+")


def _is_foreign(line: str) -> bool:
    if _is_cjk_heavy(line):
        return True
    words = _LETTERS.findall(line)
    # Short lines mix languages too often ("Ja, time will tell."): judge only longer ones.
    return len(words) >= 6 and language.looks_english(words)


_LINE_RULES: list[tuple[str, Callable[[str, str], bool]]] = [
    # (line, the line lower-cased once for the rules that search it)
    ("navigation", lambda s, _lower: len(s) < 40 and bool(_NAVIGATION.match(s.strip(" .:|>")))),
    ("browser notice", lambda s, lower: bool(_NOTICE.search(lower)) and len(s.split()) <= 30),
    ("promo", lambda s, lower: bool(_PROMO.search(lower)) and len(s.split()) <= 40),
    ("image credit", lambda s, _lower: bool(_CREDIT_LINE.match(s))),
    ("previous/next link", lambda s, _lower: bool(_PREV_NEXT.match(s))),
    ("not German", lambda s, _lower: _is_foreign(s)),
]


def _strip_inline_credit(line: str) -> tuple[str, str | None]:
    stripped = _CREDIT_INLINE.sub("", line).rstrip()
    if stripped == line.rstrip():
        return line, None
    return stripped, line


def clean(text: str, today: dt.date | None = None, keep_foreign: bool = False) -> Cleaned:
    """Split ``text`` into paragraphs of kept lines, dropping boilerplate and extracting the date.

    ``keep_foreign`` keeps lines in other languages (a text imported with ``--force``)."""
    removed: list[Removal] = []
    date: str | None = None
    paragraphs: list[list[str]] = [[]]
    seen: set[str] = set()
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        raw = lines[index]
        index += 1
        line = _BROKEN_HYPHEN.sub("-", " ".join(raw.replace("\u00a0", " ").split()))
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        # Metadata: a line that is only a date, or a "date 2025-03-04" prefix fused into the first sentence.
        if date is None:
            prefix = _DATE_PREFIX.match(line)
            if prefix and (found := parse_date(prefix.group("date"), today)):
                date = found
                removed.append(Removal(prefix.group(0).strip(), "date"))
                line = line[prefix.end() :].strip()
                if not line:
                    continue
            elif found := parse_date(line, today):
                date = found
                removed.append(Removal(line, "date"))
                continue
        if _RECOMMEND_HEADING.match(line):
            # A recommended-articles list runs to the end of the page: its teasers are not the lesson.
            removed.append(Removal(line, "recommended articles"))
            for rest in lines[index:]:
                if rest.strip():
                    removed.append(Removal(" ".join(rest.split()), "recommended articles"))
            break
        lower = line.lower()
        reason = next(
            (
                name
                for name, rule in _LINE_RULES
                if not (keep_foreign and name == "not German") and rule(line, lower)
            ),
            None,
        )
        if reason is None and _TEASER.search(line) and len(line.split()) <= 25:
            reason = "teaser"
        if reason is None:
            line, credited = _strip_inline_credit(line)
            if credited is not None:
                removed.append(Removal(credited[len(line) :].strip() or credited, "image credit"))
                # What remains of a captioned credit line is a caption, unless it is a whole sentence.
                if not _SENTENCE_END.search(line) and len(line.split()) <= 10:
                    removed.append(Removal(line, "image caption"))
                    continue
        if reason is None:
            key = line.casefold()
            if key in seen and len(line.split()) <= 20:
                reason = "repeated line"
            seen.add(key)
        if reason is not None:
            removed.append(Removal(line, reason))
            continue
        bullet = _BULLET.match(line)
        if bullet:
            # Each bullet is a paragraph of its own.
            if paragraphs[-1]:
                paragraphs.append([])
            paragraphs[-1].append(line[bullet.end() :])
            paragraphs.append([])
            continue
        paragraphs[-1].append(line)
    kept = [p for p in paragraphs if p]
    kept, byline = _drop_trailing_byline(kept)
    removed.extend(Removal(line, "byline") for line in byline)
    return Cleaned(tuple(tuple(p) for p in kept), tuple(removed), date)


def _drop_trailing_byline(paragraphs: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Author name and role lines at the very end ("Charlotte Edmond" / "Leitender Redakteur, …")."""
    dropped: list[str] = []
    while paragraphs:
        last = paragraphs[-1]
        if len(last) == 1 and _looks_like_byline(last[0]):
            dropped.insert(0, last[0])
            paragraphs = paragraphs[:-1]
            continue
        break
    if len(dropped) > 3 or not paragraphs:
        return paragraphs + [[line] for line in dropped], []
    return paragraphs, dropped


def _looks_like_byline(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 5 or _SENTENCE_END.search(line) or line.endswith("?"):
        return False
    return all(w[0].isupper() or w in {"von", "und", "für", "der", "die", "des", "de", "van"} for w in words)
