"""The learner's statistics: known words over time, reviews per day, accuracy by exercise kind.

:func:`collect_stats` returns the data series (for ``lesestoff stats --json`` and anything else that plots);
:func:`render_stats` draws them as plain text for a terminal of a given size — Unicode block columns, no
colour or markup — for ``lesestoff stats`` and for the TUI to show as it is.

Daily series run from their first day to ``today``: known words carry the last count forward, days without
reviews count 0. When a series has more days than the chart has columns, each column stands for several
days (the known count at the end of them; the reviews summed).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from lessons.store import DayCount, KindAccuracy, Store, WordStatus

__all__ = ["Stats", "bar_rows", "collect_stats", "column_chart", "render", "render_stats"]

BLOCKS = " ▁▂▃▄▅▆▇█"
FULL = "█"
EMPTY = "░"
MAX_CHART_ROWS = 8


@dataclass(frozen=True)
class Stats:
    """The learner's statistics as data."""

    today: date
    known_over_time: list[DayCount]
    """Words with status KNOWN at the end of each day (every day up to ``today``)."""
    reviews_per_day: list[DayCount]
    """Reviews done each day (every day from the first review to ``today``)."""
    accuracy_by_kind: list[KindAccuracy]
    known: int
    learning: int
    cards: int
    due_now: int
    level: str | None

    def to_json(self) -> dict[str, Any]:
        def series(days: Sequence[DayCount]) -> list[dict[str, Any]]:
            return [{"day": d.day.isoformat(), "count": d.count} for d in days]

        return {
            "today": self.today.isoformat(),
            "level": self.level,
            "known": self.known,
            "learning": self.learning,
            "review_cards": self.cards,
            "due_now": self.due_now,
            "known_words_over_time": series(self.known_over_time),
            "reviews_per_day": series(self.reviews_per_day),
            "accuracy_by_kind": [
                {"kind": k.kind, "attempts": k.attempts, "correct": k.correct, "accuracy": round(k.accuracy, 4)}
                for k in self.accuracy_by_kind
            ],
        }


def _days(start: date, end: date) -> list[date]:
    return [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]


def _extend(series: Sequence[DayCount], today: date, *, carry: bool) -> list[DayCount]:
    """Every day from the series' first to ``today`` (or its last, if later): missing days carry the last
    value forward (``carry``) or count 0."""
    if not series:
        return []
    by_day = {d.day: d.count for d in series}
    out = []
    value = 0
    for day in _days(series[0].day, max(today, series[-1].day)):
        if day in by_day:
            value = by_day[day]
        out.append(DayCount(day, by_day.get(day, value if carry else 0)))
    return out


def collect_stats(store: Store, *, now: datetime | None = None, tz: tzinfo | None = None) -> Stats:
    """All statistics of the store, days in ``tz`` (default: the local time zone), up to ``now``'s day."""
    moment = now if now is not None else datetime.now().astimezone()
    today = (moment.astimezone(tz) if tz is not None else moment.astimezone()).date()
    counts = store.count_by_status()
    cards = store.cards()
    return Stats(
        today=today,
        known_over_time=_extend(store.known_words_over_time(tz=tz), today, carry=True),
        reviews_per_day=_extend(store.reviews_per_day(tz=tz), today, carry=False),
        accuracy_by_kind=store.accuracy_by_kind(),
        known=counts[WordStatus.KNOWN],
        learning=sum(n for status, n in counts.items() if status.is_learning),
        cards=len(cards),
        due_now=sum(c.due <= moment for c in cards),
        level=store.learner_level(),
    )


# --- drawing -----------------------------------------------------------------------------------------------


def _clip(line: str, width: int) -> str:
    if len(line) <= width:
        return line
    return line[: max(0, width - 1)] + "…" if width > 0 else ""


def _bucket(values: Sequence[float], columns: int, combine: Callable[[Sequence[float]], float]) -> list[float]:
    """At most ``columns`` values; groups of consecutive values (aligned to the end) combined."""
    if columns <= 0:
        return []
    if len(values) <= columns:
        return list(values)
    size = math.ceil(len(values) / columns)
    out = []
    end = len(values)
    while end > 0:
        out.append(combine(values[max(0, end - size) : end]))
        end -= size
    return out[::-1]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def column_chart(values: Sequence[float], *, width: int, height: int, label_width: int = 0) -> list[str]:
    """Columns of Unicode blocks, ``height`` rows, one column per value, a y scale on the left (0 at the
    bottom, the largest value at the top) and a base line; every line at most ``width`` characters.
    ``values`` must already fit (see :func:`_bucket`)."""
    height = max(1, height)
    top = max(values, default=0) or 1
    label = max(len(_number(top)), label_width, 1)
    columns = "".join
    rows = []
    for row in range(height, 0, -1):  # top row first
        cells = []
        for value in values:
            eighths = round(value / top * height * 8)
            filled = eighths - (row - 1) * 8
            cells.append(BLOCKS[max(0, min(8, filled))])
        mark = _number(top) if row == height else ("0" if row == 1 and height > 1 else "")
        rows.append(f"{mark:>{label}} ┤{columns(cells)}" if mark else f"{'':>{label}} │{columns(cells)}")
    rows.append(f"{'':>{label}} └{'─' * len(values)}")
    return [_clip(r.rstrip(), width) for r in rows]


def _axis_dates(first: date, last: date, indent: int, span: int, width: int) -> str:
    left, right = first.strftime("%d %b"), last.strftime("%d %b")
    if first == last:
        line = " " * indent + left
    elif len(left) + len(right) + 1 <= span:
        line = " " * indent + left + " " * (span - len(left) - len(right)) + right
    else:
        line = " " * indent + f"{left} – {right}"
    return _clip(line, width)


def day_chart(
    series: Sequence[DayCount],
    *,
    width: int,
    height: int,
    combine: Callable[[Sequence[float]], float],
) -> list[str]:
    """A daily series as a column chart with its dates under it (``combine`` merges days sharing a column)."""
    if not series:
        return []
    values = [float(d.count) for d in series]
    label = len(_number(max(values) or 1))
    while True:  # summed columns may need a wider scale label, which leaves fewer columns
        shown = _bucket(values, max(1, width - label - 2), combine)
        needed = len(_number(max(shown) or 1))
        if needed <= label:
            break
        label = needed
    lines = column_chart(shown, width=width, height=height, label_width=label)
    lines.append(_axis_dates(series[0].day, series[-1].day, label + 2, len(shown), width))
    return lines


def bar_rows(rows: Sequence[tuple[str, float, str]], width: int) -> list[str]:
    """Horizontal bars: ``(label, fraction 0–1, note)`` → "label  ██████░░░░  note" in ``width`` columns."""
    if not rows:
        return []
    label = max(len(r[0]) for r in rows)
    note = max(len(r[2]) for r in rows)
    bar = max(1, width - label - note - 4)
    if bar < 4:  # too narrow for bars: label and note only
        return [_clip(f"{name:<{label}}  {text}", width) for name, _, text in rows]
    out = []
    for name, fraction, text in rows:
        filled = round(max(0.0, min(1.0, fraction)) * bar)
        out.append(_clip(f"{name:<{label}}  {FULL * filled}{EMPTY * (bar - filled)}  {text:>{note}}", width))
    return out


def _kind_label(kind: str) -> str:
    from lessons.exercises import KINDS, kind_title

    return kind_title(kind) if kind in KINDS else kind


def _accuracy_rows(kinds: Sequence[KindAccuracy], width: int) -> list[tuple[str, float, str]]:
    """Rows for :func:`bar_rows`: titled kinds and "72% of 40" where that leaves room for a bar, else the
    short kind names, then just the percentage."""
    variants = [
        [(_kind_label(k.kind), k.accuracy, f"{round(k.accuracy * 100)}% of {k.attempts}") for k in kinds],
        [(k.kind, k.accuracy, f"{round(k.accuracy * 100)}% of {k.attempts}") for k in kinds],
        [(k.kind, k.accuracy, f"{round(k.accuracy * 100)}%") for k in kinds],
    ]
    for rows in variants:
        label = max(len(r[0]) for r in rows)
        note = max(len(r[2]) for r in rows)
        if label + note + 4 + 8 <= width:
            return rows
    return variants[-1]


def render(stats: Stats, width: int = 80, height: int = 40) -> str:
    """The statistics as plain text: at most ``height`` lines of at most ``width`` characters."""
    width = max(1, width)
    height = max(1, height)
    parts = [f"Known words: {stats.known}", f"learning: {stats.learning}", f"review cards: {stats.cards}"]
    if stats.cards:
        parts[-1] += f" ({stats.due_now} due)"
    if stats.level:
        parts.append(f"level {stats.level}")
    heading: list[str] = []
    for part in parts:  # " · "-joined, wrapped to the width
        if heading and len(heading[-1]) + 3 + len(part) <= width:
            heading[-1] += " · " + part
        else:
            heading.append(part)
    kinds = stats.accuracy_by_kind
    fixed = len(heading) + 3 * 2 + 2 * 2 + max(1, len(kinds))  # heading, blank+title per section, axes, rows
    rows = max(1, min(MAX_CHART_ROWS, (height - fixed) // 2))
    lines = list(heading)

    lines += ["", "Known words over time"]
    chart = day_chart(stats.known_over_time, width=width, height=rows, combine=lambda v: v[-1])
    lines += chart or ["  no words marked known yet"]

    lines += ["", "Reviews per day"]
    chart = day_chart(stats.reviews_per_day, width=width, height=rows, combine=sum)
    lines += chart or ["  no reviews yet"]

    lines += ["", "Accuracy by exercise kind"]
    if kinds:
        lines += bar_rows(_accuracy_rows(sorted(kinds, key=lambda k: k.kind), width), width)
    else:
        lines.append("  no exercises done yet")
    return "\n".join(_clip(line, width) for line in lines[:height])


def render_stats(
    store: Store, width: int = 80, height: int = 40, *, now: datetime | None = None, tz: tzinfo | None = None
) -> str:
    """:func:`collect_stats` drawn by :func:`render`: plain text, no markup, fits ``width`` × ``height``."""
    return render(collect_stats(store, now=now, tz=tz), width, height)
