"""The tutor: what to read next, a study session (reviews, a lesson, exercises), its summary, the learner's level.

UI-free: the CLI (``lessons.tutor_cli``) and the TUI drive the same objects.

Known-word coverage
    Over a lesson's *running content words* — tokens whose part of speech is in ``CONTENT_POS`` (nouns,
    verbs, adjectives, adverbs; so names, numbers and punctuation are out), not function words, and not the
    split-off particle of a separable verb (the verb counts once) — the share whose lemma the learner knows.
    KNOWN and IGNORED count as known, a LEARNING_1–4 word counts as **half** known (the learner recognises
    it with effort), a new word not at all. A lesson without content words is fully covered.

Next lesson (i+1)
    Comprehensible input with a little new in it: a lesson is *in the band* when 90–98% of its running
    content words are known (:data:`I_PLUS_ONE`). Completed lessons are never chosen, unless every lesson is
    completed. :func:`choose_next_lesson` takes

    1. a lesson in the band;
    2. else the one closest to the band *from below* (just too hard: the most covered lesson under 90%),
       and if there is none below, the one closest from above (too easy, but the least so);
    3. a learner who is struggling (exercise accuracy under 60% over the last 14 days, at least 5
       answers) gets easier lessons first: closest from above before closest from below.

    Ties (equally good lessons) go to the lesson whose CEFR level is closest to the learner's, then to the
    earlier one in library order.

Sessions
    :func:`plan_session` makes sure every word marked LEARNING has a review card
    (:func:`ensure_cards_for_learning`), then puts the due cards first (most overdue first, FSRS due times),
    then the chosen lesson with a graded exercise set at the learner's level (known and ignored words are
    never targeted). Each due card is a :class:`ReviewItem`: the German lemma (nouns with their article),
    :meth:`ReviewItem.reveal` shows the meaning, :meth:`ReviewItem.rate` (Again/Hard/Good/Easy) reschedules
    it with FSRS. :func:`summarise` reports what a session did, from what the store recorded between its
    start and end.

Learner level
    Placement (:func:`placement_items`, :func:`place_level`): a yes/no vocabulary check ("do you know this
    word?") on German nouns, verbs and adjectives in their base form, drawn from wordfreq's list in each
    Zipf band of ``lessons.difficulty`` (A1 Zipf ≥ 5.0 … C1 ≥ 3.0, C2 2.5–3.0; the lexicon decides the part
    of speech and supplies the meaning), 4 words per band plus one checked word per band where the learner
    picks the meaning out of four — 30 items. Scoring (:func:`score_placement`): yes answers from the
    easiest band with a wrongly picked meaning upwards are discounted by the share of wrong picks there;
    the level is the highest band with ≥ 80% known whose easier bands average ≥ 80% too.
    Adjustment (:func:`adjust_level`, run after ``lesestoff quiz`` at the stored level): with ≥ 20 exercise
    answers in the last 14 days since the level was set, ≥ 85% right moves it up one band, < 50% down one;
    every change is kept in the settings with its reason (:func:`level_history`).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final

from fsrs import Rating

from lessons.difficulty import level_index, shift
from lessons.model import CEFR_LEVELS, CONTENT_POS, Lesson, Pos, Token
from lessons.store import CardReason, ReviewCard, Store, WordStatus
from lessons.vocab import AUXILIARIES, is_particle, short_meaning

if TYPE_CHECKING:
    from lessons.exercises import Exercise
    from lessons.meanings import Meanings

__all__ = [
    "ADJUST_DOWN",
    "ADJUST_MIN_ATTEMPTS",
    "ADJUST_UP",
    "ADJUST_WINDOW",
    "DEFAULT_LEVEL",
    "I_PLUS_ONE",
    "LEARNING_WEIGHT",
    "PLACEMENT_BANDS",
    "STRUGGLING_ACCURACY",
    "Coverage",
    "LessonChoice",
    "LevelChange",
    "PlacementAnswer",
    "PlacementItem",
    "PlacementResult",
    "ReviewItem",
    "SessionPlan",
    "SessionSummary",
    "adjust_level",
    "choose_next_lesson",
    "content_tokens",
    "describe_due",
    "ensure_cards_for_learning",
    "is_struggling",
    "level_history",
    "new_words",
    "parse_rating",
    "place_level",
    "placement_items",
    "plan_session",
    "rank_lessons",
    "recent_accuracy",
    "review_items",
    "score_placement",
    "set_level",
    "summarise",
    "word_coverage",
]

DEFAULT_LEVEL: Final = "B1"
"""The level used while the learner has none (as ``lesestoff quiz`` does)."""

I_PLUS_ONE: Final = (0.90, 0.98)
"""Known share of running content words that makes a lesson "i+1" (inclusive bounds)."""

LEARNING_WEIGHT: Final = 0.5
"""How much a word being learnt (LEARNING_1–4) counts towards coverage."""

STRUGGLING_ACCURACY: Final = 0.60
RECENT_DAYS: Final = 14
MIN_RECENT_ATTEMPTS: Final = 5

ADJUST_WINDOW: Final = timedelta(days=14)
ADJUST_MIN_ATTEMPTS: Final = 20
ADJUST_UP: Final = 0.85
ADJUST_DOWN: Final = 0.50

KNOWN_STATUSES: Final = frozenset({WordStatus.KNOWN, WordStatus.IGNORED})

StatusSource = Store | Mapping[str, WordStatus]
"""Where statuses come from: the store, or a mapping lemma → status (missing means NEW)."""


def _now(now: datetime | None) -> datetime:
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: pass an aware one, e.g. datetime.now(UTC)")
    return moment


def _level(level: str | None) -> str:
    return level.upper() if level and level.upper() in CEFR_LEVELS else DEFAULT_LEVEL


# =============================================================================================== coverage


def content_tokens(lesson: Lesson) -> Iterator[Token]:
    """The running content words of a lesson (see the module docstring)."""
    for sentence in lesson.sentences:
        for token in sentence.tokens:
            if token.pos in CONTENT_POS and not token.function_word and not is_particle(token):
                yield token


def _statuses(source: StatusSource, lemmas: Iterable[str]) -> Mapping[str, WordStatus]:
    if isinstance(source, Store):
        return source.statuses(lemmas)
    return source


def _weight(status: WordStatus) -> float:
    if status in KNOWN_STATUSES:
        return 1.0
    if status.is_learning:
        return LEARNING_WEIGHT
    return 0.0


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of a lesson the learner knows."""

    lesson_id: str
    running: int
    """Running content words."""
    known: float
    """Of those, known ones (LEARNING counted as half)."""
    new_lemmas: tuple[str, ...]
    """Distinct content lemmas neither known nor ignored (learning ones included), in order of appearance."""

    @property
    def share(self) -> float:
        """Known share of running content words, 0–1 (1 for a lesson without content words)."""
        return self.known / self.running if self.running else 1.0

    @property
    def percent(self) -> int:
        return math.floor(self.share * 100 + 0.5)


def word_coverage(lesson: Lesson, statuses: StatusSource) -> Coverage:
    """Known-word coverage of ``lesson`` for a learner (``statuses``: the store or a lemma → status map)."""
    tokens = list(content_tokens(lesson))
    lemmas = list(dict.fromkeys(t.lemma for t in tokens))
    found = _statuses(statuses, lemmas)
    known = sum(_weight(found.get(t.lemma, WordStatus.NEW)) for t in tokens)
    new = tuple(lemma for lemma in lemmas if found.get(lemma, WordStatus.NEW) not in KNOWN_STATUSES)
    return Coverage(lesson.id, len(tokens), known, new)


def new_words(lesson: Lesson, statuses: StatusSource) -> list[str]:
    """Distinct content lemmas of ``lesson`` the learner has not marked known or ignored (the library's
    "new words for you" column), in order of appearance."""
    lemmas = list(dict.fromkeys(t.lemma for t in content_tokens(lesson)))
    found = _statuses(statuses, lemmas)
    return [lemma for lemma in lemmas if found.get(lemma, WordStatus.NEW) not in KNOWN_STATUSES]


# =============================================================================================== next lesson


def recent_accuracy(
    store: Store, now: datetime | None = None, *, days: int = RECENT_DAYS, minimum: int = MIN_RECENT_ATTEMPTS
) -> float | None:
    """Share of exercise answers right over the last ``days`` days (None with fewer than ``minimum``)."""
    moment = _now(now)
    since = moment - timedelta(days=days)
    recent = [a for a in store.attempts() if since <= a.at <= moment]
    if len(recent) < minimum:
        return None
    return sum(a.correct for a in recent) / len(recent)


def is_struggling(store: Store, now: datetime | None = None) -> bool:
    accuracy = recent_accuracy(store, now)
    return accuracy is not None and accuracy < STRUGGLING_ACCURACY


@dataclass(frozen=True, slots=True)
class LessonChoice:
    """A candidate for the next lesson, with why it ranks where it does."""

    lesson: Lesson
    coverage: Coverage
    position: str
    """"in band", "below" (harder than i+1) or "above" (easier)."""
    completed: bool
    cefr_distance: int
    order: int
    """Position in the library."""

    @property
    def reason(self) -> str:
        pct = f"{self.coverage.percent}% of its words known"
        low, high = round(I_PLUS_ONE[0] * 100), round(I_PLUS_ONE[1] * 100)
        if self.position == "in band":
            return f"{pct}: just right ({low}–{high}%)"
        if self.position == "below":
            return f"{pct}: the closest to {low}–{high}% (a little hard)"
        return f"{pct}: the closest to {low}–{high}% (on the easy side)"


def _position(share: float) -> str:
    low, high = I_PLUS_ONE
    if share < low:
        return "below"
    if share > high:
        return "above"
    return "in band"


def rank_lessons(
    lessons: Sequence[Lesson],
    store: StatusSource,
    level: str | None,
    *,
    struggling: bool | None = None,
    completed: Collection[str] | None = None,
    now: datetime | None = None,
) -> list[LessonChoice]:
    """Every candidate lesson, best next lesson first (the rules are in the module docstring).

    ``completed``: ids of completed lessons (default: from the store's lesson progress). ``struggling``:
    default from the store's recent exercise accuracy (False for a plain status mapping).
    """
    if not lessons:
        return []
    learner = _level(level)
    if completed is None:
        completed = (
            {pid for pid, p in store.all_progress().items() if p.completed} if isinstance(store, Store) else set()
        )
    if struggling is None:
        struggling = is_struggling(store, now) if isinstance(store, Store) else False
    open_lessons = [(i, lesson) for i, lesson in enumerate(lessons) if lesson.id not in completed]
    candidates = open_lessons or list(enumerate(lessons))
    lemmas = {t.lemma for _, lesson in candidates for t in content_tokens(lesson)}
    statuses = _statuses(store, lemmas)
    choices = []
    for order, lesson in candidates:
        coverage = word_coverage(lesson, statuses)
        cefr = lesson.cefr if lesson.cefr in CEFR_LEVELS else learner
        choices.append(
            LessonChoice(
                lesson,
                coverage,
                _position(coverage.share),
                lesson.id in completed,
                abs(level_index(cefr) - level_index(learner)),
                order,
            )
        )
    low, high = I_PLUS_ONE
    groups = {"in band": 0, "below": 2 if struggling else 1, "above": 1 if struggling else 2}

    def key(choice: LessonChoice) -> tuple[int, float, int, int]:
        share = choice.coverage.share
        distance = 0.0 if choice.position == "in band" else (low - share if share < low else share - high)
        return (groups[choice.position], round(distance, 9), choice.cefr_distance, choice.order)

    return sorted(choices, key=key)


def choose_next_lesson(
    lessons: Sequence[Lesson],
    store: StatusSource,
    level: str | None,
    *,
    struggling: bool | None = None,
    completed: Collection[str] | None = None,
    now: datetime | None = None,
) -> Lesson | None:
    """The lesson to read next (None for an empty library); see :func:`rank_lessons`."""
    ranked = rank_lessons(lessons, store, level, struggling=struggling, completed=completed, now=now)
    return ranked[0].lesson if ranked else None


# =============================================================================================== reviews


def ensure_cards_for_learning(store: Store, *, at: datetime | None = None) -> list[str]:
    """Give every word with a LEARNING_1–4 status a review card (reason "learning") if it has none.
    Returns the lemmas that got one."""
    with store.transaction():
        have = {card.lemma for card in store.cards()}
        missing = [entry.lemma for entry in store.words() if entry.status.is_learning and entry.lemma not in have]
        for lemma in missing:
            store.add_card(lemma, CardReason.LEARNING, at=at)
    return missing


_RATINGS: Final[dict[str, Rating]] = {
    "1": Rating.Again,
    "2": Rating.Hard,
    "3": Rating.Good,
    "4": Rating.Easy,
    "a": Rating.Again,
    "again": Rating.Again,
    "h": Rating.Hard,
    "hard": Rating.Hard,
    "g": Rating.Good,
    "good": Rating.Good,
    "e": Rating.Easy,
    "easy": Rating.Easy,
}


def parse_rating(value: Rating | int | str) -> Rating:
    """A rating from a Rating, 1–4, or "again"/"hard"/"good"/"easy" (or their first letters)."""
    if isinstance(value, Rating):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Rating(value)
    if isinstance(value, str) and value.strip().lower() in _RATINGS:
        return _RATINGS[value.strip().lower()]
    raise ValueError(f"unknown rating {value!r} (1 again, 2 hard, 3 good, 4 easy)")


@dataclass(eq=False)
class ReviewItem:
    """A flashcard for one due card: German first; :meth:`reveal` shows the meaning; :meth:`rate` answers."""

    lemma: str
    display: str
    """The German word as a learner writes it: "die Angst", "aufmischen"."""
    meaning: str | None
    meaning_source: str | None
    card: ReviewCard
    store: Store = field(repr=False)
    revealed: bool = False
    rating: Rating | None = None
    next_due: datetime | None = None

    @property
    def prompt(self) -> str:
        return self.display

    @property
    def answer(self) -> str:
        """The meaning with its source ("fear · dictionary"), or a note that there is none."""
        if not self.meaning:
            return "(no meaning found — look it up)"
        return f"{self.meaning} · {self.meaning_source}" if self.meaning_source else self.meaning

    def reveal(self) -> str:
        self.revealed = True
        return self.answer

    def rate(self, rating: Rating | int | str, *, at: datetime | None = None) -> datetime:
        """Record the learner's rating and reschedule the card with FSRS; returns the next due time."""
        if self.rating is not None:
            raise RuntimeError(f"{self.lemma!r} was already rated in this session")
        chosen = parse_rating(rating)
        self.next_due = self.store.schedule_review(self.lemma, chosen, at=at)
        self.rating = chosen
        return self.next_due


def _guess_pos(lemma: str) -> str:
    return str(Pos.NOUN) if lemma[:1].isupper() else str(Pos.VERB)


def _word_contexts(
    store: Store, lemmas: Collection[str], lessons: Sequence[Lesson], sources: Mapping[str, str] | None
) -> dict[str, tuple[str, str | None]]:
    """lemma → (part of speech, source of a lesson it was met in) for each wanted lemma."""
    by_id = {lesson.id: lesson.source for lesson in lessons}
    if sources:
        by_id = {**sources, **by_id}
    out: dict[str, tuple[str, str | None]] = {}
    wanted = set(lemmas)
    last_lesson: dict[str, str] = {}
    if wanted:
        for attempt in store.attempts():
            if attempt.lemma in wanted:
                last_lesson[attempt.lemma] = attempt.lesson_id
    remaining = set(wanted)
    for lesson in lessons:
        if not remaining:
            break
        for token in content_tokens(lesson):
            if token.lemma in remaining:
                remaining.discard(token.lemma)
                source = by_id.get(last_lesson.get(token.lemma, ""), lesson.source)
                out[token.lemma] = (str(token.pos), source)
    for lemma in wanted - set(out):
        out[lemma] = (_guess_pos(lemma), by_id.get(last_lesson.get(lemma, "")))
    return out


def review_items(
    store: Store,
    now: datetime | None = None,
    *,
    meanings: Meanings | None = None,
    lessons: Sequence[Lesson] = (),
    sources: Mapping[str, str] | None = None,
    limit: int | None = 20,
) -> list[ReviewItem]:
    """A flashcard for each card due at ``now`` (most overdue first, at most ``limit``).

    Meanings come from ``meanings`` (the curated glossary of the lesson the word was practised or met in
    first, then the dictionary); ``sources`` maps lesson ids to their source file when the lessons
    themselves are not at hand.
    """
    cards = store.due_cards(_now(now), limit=limit)
    contexts = _word_contexts(store, [c.lemma for c in cards], lessons, sources)
    items = []
    for card in cards:
        pos, source = contexts[card.lemma]
        display, meaning, meaning_source = card.lemma, None, None
        if meanings is not None:
            info = meanings.word(card.lemma, pos, source)
            if info.article is None and pos != Pos.NOUN and card.lemma[:1].isupper():
                info = meanings.word(card.lemma, str(Pos.NOUN), source)
            display = info.display
            best = info.best
            if best is not None:
                meaning = best.english if best.source == "curated" else short_meaning(best.english)
                meaning_source = best.source
        items.append(ReviewItem(card.lemma, display, meaning, meaning_source, card, store))
    return items


# =============================================================================================== sessions


@dataclass
class SessionPlan:
    """What a study session holds: due reviews first, then a lesson to read with its exercises."""

    reviews: list[ReviewItem]
    lesson: Lesson | None
    exercises: list[Exercise]
    started_at: datetime
    level: str
    choice: LessonChoice | None = None
    new_cards: list[str] = field(default_factory=list)
    """Lemmas marked learning that got a review card when the session was planned."""


def plan_session(
    lessons: Sequence[Lesson],
    store: Store,
    now: datetime | None = None,
    *,
    meanings: Meanings | None = None,
    max_reviews: int = 20,
    exercise_count: int = 10,
    seed: int | None = None,
    kinds: Iterable[str] | None = None,
) -> SessionPlan:
    """Plan a session at ``now``: cards for learning words, the due cards (at most ``max_reviews``), the
    next lesson (:func:`rank_lessons`) and a graded exercise set on it at the learner's level.

    Without ``meanings`` there are no exercises and the flashcards show no meaning. ``seed`` (default: the
    day) makes the exercise set reproducible.
    """
    moment = _now(now)
    level = _level(store.learner_level())
    new_cards = ensure_cards_for_learning(store, at=moment)
    reviews = review_items(store, moment, meanings=meanings, lessons=lessons, limit=max_reviews)
    ranked = rank_lessons(lessons, store, level, now=moment)
    choice = ranked[0] if ranked else None
    exercises: list[Exercise] = []
    if choice is not None and meanings is not None and exercise_count > 0:
        from lessons.exercises import build_exercises

        known = {e.lemma for status in KNOWN_STATUSES for e in store.words(status)}
        exercises = build_exercises(
            choice.lesson,
            meanings,
            kinds=kinds,
            level=level,
            count=exercise_count,
            seed=int(moment.strftime("%Y%m%d")) if seed is None else seed,
            known=known,
        )
    return SessionPlan(
        reviews=reviews,
        lesson=choice.lesson if choice else None,
        exercises=exercises,
        started_at=moment,
        level=level,
        choice=choice,
        new_cards=new_cards,
    )


def _percent(part: int, whole: int) -> int:
    return math.floor(100 * part / whole + 0.5) if whole else 0


def _duration(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = (seconds + 30) // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def describe_due(moment: datetime, now: datetime) -> str:
    """When ``moment`` is, seen from ``now``: "now", "in 10 min", "in 5 h", "in 1 day", "in 3 days"."""
    delta = moment - now
    seconds = delta.total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 3600:
        return f"in {max(1, round(seconds / 60))} min"
    if seconds < 20 * 3600:
        return f"in {round(seconds / 3600)} h"
    days = max(1, round(seconds / 86400))
    return f"in {days} {'day' if days == 1 else 'days'}"


@dataclass(frozen=True)
class SessionSummary:
    """What happened between ``started_at`` and ``ended_at``, from the store's records."""

    started_at: datetime
    ended_at: datetime
    words_known: tuple[str, ...]
    """Words whose status changed to KNOWN."""
    words_started: tuple[str, ...]
    """New words that got a LEARNING status (from new, not a step between learning levels)."""
    reviews: int
    reviews_remembered: int
    """Reviews rated Hard, Good or Easy (Again counts as forgotten)."""
    exercises: int
    exercises_correct: int
    next_due: datetime | None
    """The earliest due time of any card (None without cards)."""
    due_now: int
    """Cards still due at the end."""

    @property
    def duration(self) -> timedelta:
        return self.ended_at - self.started_at

    @property
    def words_learned(self) -> int:
        return len(set(self.words_known) | set(self.words_started))

    @property
    def review_accuracy(self) -> float | None:
        return self.reviews_remembered / self.reviews if self.reviews else None

    @property
    def exercise_accuracy(self) -> float | None:
        return self.exercises_correct / self.exercises if self.exercises else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat(),
            "duration_seconds": int(self.duration.total_seconds()),
            "words_learned": self.words_learned,
            "words_known": list(self.words_known),
            "words_started": list(self.words_started),
            "reviews": self.reviews,
            "reviews_remembered": self.reviews_remembered,
            "exercises": self.exercises,
            "exercises_correct": self.exercises_correct,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "due_now": self.due_now,
        }

    def lines(self, tz: tzinfo | None = None) -> list[str]:
        """The summary as plain text lines (times in ``tz``, default: local time)."""

        def listing(words: Sequence[str], limit: int = 8) -> str:
            shown = ", ".join(words[:limit])
            return shown + (f", … (+{len(words) - limit})" if len(words) > limit else "")

        out = [f"Session: {_duration(self.duration)}"]
        learned = f"Words learned: {self.words_learned}"
        details = []
        if self.words_known:
            details.append(f"{len(self.words_known)} now known: {listing(self.words_known)}")
        if self.words_started:
            details.append(f"{len(self.words_started)} started: {listing(self.words_started)}")
        out.append(learned + (f" ({'; '.join(details)})" if details else ""))
        if self.reviews:
            out.append(
                f"Reviews: {self.reviews}, {self.reviews_remembered} remembered "
                f"({_percent(self.reviews_remembered, self.reviews)}%)"
            )
        else:
            out.append("Reviews: none")
        if self.exercises:
            out.append(
                f"Exercises: {self.exercises}, {self.exercises_correct} right "
                f"({_percent(self.exercises_correct, self.exercises)}%)"
            )
        else:
            out.append("Exercises: none")
        if self.next_due is None:
            out.append("Next review: no review cards yet")
        elif self.due_now:
            out.append(f"Next review: now ({self.due_now} {'card' if self.due_now == 1 else 'cards'} still due)")
        else:
            local = self.next_due.astimezone(tz) if tz is not None else self.next_due.astimezone()
            out.append(f"Next review: {describe_due(self.next_due, self.ended_at)} ({local:%Y-%m-%d %H:%M})")
        return out


def summarise(store: Store, started_at: datetime, ended_at: datetime) -> SessionSummary:
    """What the store recorded between ``started_at`` and ``ended_at`` (both inclusive)."""
    start, end = _now(started_at), _now(ended_at)
    known: dict[str, None] = {}
    started: dict[str, None] = {}
    for change in store.status_changes(since=start, until=end):
        if change.status is WordStatus.KNOWN and change.previous is not WordStatus.KNOWN:
            known.setdefault(change.lemma, None)
        elif change.status.is_learning and change.previous is WordStatus.NEW:
            started.setdefault(change.lemma, None)
    reviews = [r for r in store.review_log() if start <= r.reviewed_at <= end]
    attempts = [a for a in store.attempts() if start <= a.at <= end]
    cards = store.cards()
    return SessionSummary(
        started_at=start,
        ended_at=end,
        words_known=tuple(known),
        words_started=tuple(started),
        reviews=len(reviews),
        reviews_remembered=sum(r.rating is not Rating.Again for r in reviews),
        exercises=len(attempts),
        exercises_correct=sum(a.correct for a in attempts),
        next_due=min((c.due for c in cards), default=None),
        due_now=sum(c.due <= end for c in cards),
    )


# =============================================================================================== level


@dataclass(frozen=True, slots=True)
class LevelChange:
    level: str
    previous: str | None
    reason: str
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "previous": self.previous, "reason": self.reason, "at": self.at.isoformat()}


LEVEL_HISTORY_KEY: Final = "learner_level_history"
LEVEL_SET_AT_KEY: Final = "learner_level_set_at"
HISTORY_LIMIT: Final = 50


def set_level(store: Store, level: str, reason: str, *, at: datetime | None = None) -> LevelChange:
    """Set the learner's level and remember when and why (settings ``learner_level_history``, newest last,
    at most 50 entries; ``learner_level_set_at``)."""
    upper = level.strip().upper()
    moment = _now(at)
    with store.transaction():
        previous = store.learner_level()
        store.set_learner_level(upper)
        change = LevelChange(upper, previous, reason, moment)
        history = list(store.get_setting(LEVEL_HISTORY_KEY) or [])
        history.append(change.to_dict())
        store.set_setting(LEVEL_HISTORY_KEY, history[-HISTORY_LIMIT:])
        store.set_setting(LEVEL_SET_AT_KEY, moment.isoformat())
    return change


def level_history(store: Store) -> list[LevelChange]:
    out = []
    for entry in store.get_setting(LEVEL_HISTORY_KEY) or []:
        try:
            out.append(
                LevelChange(entry["level"], entry.get("previous"), entry["reason"], datetime.fromisoformat(entry["at"]))
            )
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _level_set_at(store: Store) -> datetime | None:
    value = store.get_setting(LEVEL_SET_AT_KEY)
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def adjust_level(store: Store, now: datetime | None = None) -> str | None:
    """Move the learner's level by one band when the exercise answers say so; returns the new level or None.

    Rule: count exercise answers from the last 14 days, and only those since the level was last set (so
    they were answered *at the current level*). With at least 20 of them, the level goes up one band when
    at least 85% were right, down one band when fewer than 50% were; else (or at A1/C2 where it cannot
    move) nothing changes. A learner without a level is taken to be at B1. A change is recorded with
    :func:`set_level` and a reason ("18/20 exercise answers right (90%) …"); the next change needs 20 new
    answers.
    """
    moment = _now(now)
    current = _level(store.learner_level())
    since = moment - ADJUST_WINDOW
    set_at = _level_set_at(store)
    if set_at is not None and set_at > since:
        since = set_at
    answers = [a for a in store.attempts() if since <= a.at <= moment]
    if len(answers) < ADJUST_MIN_ATTEMPTS:
        return None
    right = sum(a.correct for a in answers)
    accuracy = right / len(answers)
    if accuracy >= ADJUST_UP:
        new, direction = shift(current, 1), "up"
    elif accuracy < ADJUST_DOWN:
        new, direction = shift(current, -1), "down"
    else:
        return None
    if new == current:
        return None
    reason = (
        f"{right}/{len(answers)} exercise answers right ({_percent(right, len(answers))}%) "
        f"at {current} in the last {ADJUST_WINDOW.days} days: one band {direction}"
    )
    set_level(store, new, reason, at=moment)
    return new


# --- placement ----------------------------------------------------------------------------------------------

PLACEMENT_BANDS: Final[tuple[tuple[str, float, float], ...]] = (
    ("A1", 5.0, 99.0),
    ("A2", 4.5, 5.0),
    ("B1", 4.0, 4.5),
    ("B2", 3.5, 4.0),
    ("C1", 3.0, 3.5),
    ("C2", 2.5, 3.0),
)
"""(band, lowest Zipf, Zipf below which the next band starts): the bands of ``lessons.difficulty``; C2 words
are drawn from Zipf 2.5–3.0 only (rarer "words" in wordfreq's list are mostly names and noise)."""

PLACEMENT_KNOWN: Final = 0.80
"""The known share a band needs to count as the learner's."""
PLACEMENT_WORDS: Final = 80_000
"""How much of wordfreq's German list the placement draws from (down to Zipf ≈ 2.6)."""


@dataclass(frozen=True, slots=True)
class PlacementItem:
    """One word of the placement check. A *checked* item has ``choices`` (four meanings) and ``answer``."""

    lemma: str
    display: str
    pos: str
    band: str
    zipf: float
    meaning: str
    choices: tuple[str, ...] = ()
    answer: int | None = None
    """Index of the right meaning in ``choices``."""

    @property
    def checked(self) -> bool:
        return bool(self.choices)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lemma": self.lemma,
            "display": self.display,
            "pos": self.pos,
            "band": self.band,
            "zipf": self.zipf,
            "meaning": self.meaning,
            "choices": list(self.choices),
            "answer": self.answer,
        }


@dataclass(frozen=True, slots=True)
class PlacementAnswer:
    """The learner's answer: ``known`` for a yes/no item ("yes, I know it"); for a checked item ``choice``
    is the picked meaning's index, or None for "I don't know" (then ``known`` is False)."""

    item: PlacementItem
    known: bool
    choice: int | None = None

    @classmethod
    def yes_no(cls, item: PlacementItem, known: bool) -> PlacementAnswer:
        return cls(item, known)

    @classmethod
    def pick(cls, item: PlacementItem, choice: int | None) -> PlacementAnswer:
        return cls(item, choice is not None, choice)

    @property
    def correct(self) -> bool:
        """A checked item answered with the right meaning (False for yes/no items)."""
        return self.item.checked and self.choice is not None and self.choice == self.item.answer


@dataclass(frozen=True)
class PlacementResult:
    level: str
    shares: dict[str, float]
    """Estimated known share per band (after the over-claiming correction)."""
    claimed: dict[str, float]
    """Share of yes answers per band (as claimed)."""
    overclaim: float
    """Share of the claimed meaning checks (from ``discounted_from`` up) picked wrongly: the discount (0–1)."""
    discounted_from: str | None
    """The easiest band whose meaning check was picked wrongly (None: no yes answer was discounted)."""
    checked_right: int
    checked_claimed: int
    checked_total: int

    def lines(self) -> list[str]:
        bands = "  ".join(f"{band} {math.floor(share * 100 + 0.5)}%" for band, share in self.shares.items())
        out = [f"Known words by band: {bands}"]
        unknown = self.checked_total - self.checked_claimed
        out.append(
            f"Meaning checks: {self.checked_right} of {self.checked_total} right"
            + (f" ({unknown} not known)" if unknown else "")
        )
        if self.discounted_from is not None and self.overclaim > 0:
            out.append(
                f"“Yes” answers from {self.discounted_from} up count {math.floor(self.overclaim * 100 + 0.5)}% "
                "less: some meanings were picked wrongly"
            )
        out.append(f"Your level: {self.level}")
        return out


def score_placement(answers: Sequence[PlacementAnswer]) -> PlacementResult:
    """Score a placement check.

    1. Over-claiming. Find the easiest band whose checked item the learner claimed (picked a meaning) and got
       wrong; from that band up, the over-claiming rate is the share of claimed checked items picked
       wrongly. Yes answers in those bands count ``1 - rate`` each; yes answers in easier bands count fully
       (an error in hard words says little about easy ones; one in easy words applies to everything
       harder). Without a wrong pick nothing is discounted. "I don't know" on a checked item is honest:
       the item counts as unknown, nothing more.
    2. Per band, the known share is ``(yes answers, discounted + checked items right) / items in the band``.
    3. The level is the highest band with at least 80% known whose easier bands average at least 80% too
       (one lucky band above a gap does not count); A1 if there is none.
    """
    order = [band for band, _, _ in PLACEMENT_BANDS]
    yes: dict[str, float] = dict.fromkeys(order, 0.0)
    items: dict[str, int] = dict.fromkeys(order, 0)
    plain_yes: dict[str, int] = dict.fromkeys(order, 0)
    plain_items: dict[str, int] = dict.fromkeys(order, 0)
    checked = [a for a in answers if a.item.checked and a.item.band in items]
    claimed = [a for a in checked if a.choice is not None]
    failed = [order.index(a.item.band) for a in claimed if not a.correct]
    start = min(failed, default=None)
    overclaim = 0.0
    if start is not None:
        counted = [a for a in claimed if order.index(a.item.band) >= start]
        overclaim = sum(not a.correct for a in counted) / len(counted)
    for answer in answers:
        band = answer.item.band
        if band not in items:
            continue
        items[band] += 1
        if answer.item.checked:
            yes[band] += 1.0 if answer.correct else 0.0
        else:
            plain_items[band] += 1
            if answer.known:
                plain_yes[band] += 1
                discount = overclaim if start is not None and order.index(band) >= start else 0.0
                yes[band] += 1.0 - discount
    shares = {band: yes[band] / items[band] for band in order if items[band]}
    level = CEFR_LEVELS[0]
    seen: list[float] = []
    for band, share in shares.items():
        if share >= PLACEMENT_KNOWN - 1e-9 and (not seen or sum(seen) / len(seen) >= PLACEMENT_KNOWN - 1e-9):
            level = band
        seen.append(share)
    return PlacementResult(
        level=level,
        shares=shares,
        claimed={band: plain_yes[band] / plain_items[band] for band in order if plain_items[band]},
        overclaim=overclaim,
        discounted_from=order[start] if start is not None else None,
        checked_right=sum(a.correct for a in checked),
        checked_claimed=len(claimed),
        checked_total=len(checked),
    )


def place_level(answers: Sequence[PlacementAnswer]) -> str:
    """The level a placement check's answers give (rule: :func:`score_placement`)."""
    return score_placement(answers).level


_PARENS = re.compile(r"\s*(?:\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|/[^/]*/)")
_SOMEBODY = re.compile(r"\s*\b(?:sth|sb)\.(?:/?\b(?:sth|sb)\.)*")


def clean_meaning(english: str, alternatives: int = 2) -> str:
    """A dictionary gloss as a short answer: remarks in brackets and "sth."/"sb." dropped, two alternatives."""
    text = _SOMEBODY.sub("", _PARENS.sub("", english))
    parts: list[str] = []
    for part in text.split(";"):
        part = " ".join(part.split()).strip(" ,")
        if part and part.casefold() not in {p.casefold() for p in parts}:
            parts.append(part)
    return short_meaning("; ".join(parts), alternatives) if parts else ""


def _placement_meaning(meanings: Sequence[Any], pos: str) -> str:
    """The first meaning that reads as the part of speech ("to …" for a verb, not for others), cleaned."""
    for meaning in meanings[:3]:
        text = clean_meaning(meaning.english)
        if text and (text.startswith("to ") == (pos == "VERB")):
            return text
    return ""


def _placement_word(word: str, lexicon: Any) -> tuple[str, str] | None:
    """(lemma, POS) when wordfreq's ``word`` is a base-form noun, verb or adjective the lexicon glosses."""
    from lessons.tokens import lemmatize

    if len(word) < 3 or not word.isalpha() or not word.islower():
        return None
    if word not in AUXILIARIES and lemmatize(word) == word:
        found = lexicon.glosses(word, None, limit=1)
        if found and found[0].headword == word and found[0].pos in ("VERB", "ADJ"):
            return word, str(found[0].pos)
    noun = word[:1].upper() + word[1:]
    if lemmatize(noun) != noun:
        return None
    info = lexicon.noun(noun)
    if info is None or info.lemma != noun or info.source != "german-nouns":
        return None
    common = getattr(lexicon, "is_common_noun", None)
    if common is not None and common(noun) is False:
        return None
    found = lexicon.glosses(noun, "NOUN", limit=1)
    if found and found[0].headword == noun and found[0].pos == "NOUN":
        return noun, "NOUN"
    return None


def _wordfreq_candidates(count: int = PLACEMENT_WORDS) -> list[tuple[str, float]]:
    import wordfreq

    frequencies = wordfreq.get_frequency_dict("de", "best")  # positional: shares language.zipf's table
    words = wordfreq.top_n_list("de", count)
    return [(w, round(math.log10(frequencies[w]) + 9, 2)) for w in words if frequencies.get(w)]


def placement_items(
    seed: int = 0,
    meanings: Meanings | None = None,
    *,
    per_band: int = 4,
    checked_per_band: int = 1,
    candidates: Iterable[tuple[str, float]] | None = None,
) -> list[PlacementItem]:
    """The placement check: per band of :data:`PLACEMENT_BANDS`, ``per_band`` yes/no words and
    ``checked_per_band`` checked words (four meanings to choose from), easiest band first (within a band the
    checked item comes last). Words are German nouns, verbs and adjectives in their base form from
    wordfreq's list (``candidates``: (word, Zipf) pairs instead), each with an English meaning from
    ``meanings`` (words without one are skipped). The same seed gives the same check.
    """
    if meanings is None or meanings.lexicon is None:
        raise ValueError("the placement check needs the lexicon (pass open_meanings(paths))")
    lexicon = meanings.lexicon
    rng = random.Random(seed)
    pool = list(candidates) if candidates is not None else _wordfreq_candidates()
    wanted = per_band + checked_per_band
    spare = 3  # extra words per band, as wrong choices for the checked items
    zipf = dict(pool)
    picked: dict[str, list[tuple[str, str, float, str, str]]] = {}
    for band, low, high in PLACEMENT_BANDS:
        words = sorted(w for w, z in pool if low <= z < high)
        rng.shuffle(words)
        found: list[tuple[str, str, float, str, str]] = []
        seen: set[str] = set()
        for word in words:
            if len(found) >= wanted + spare:
                break
            hit = _placement_word(word, lexicon)
            if hit is None or hit[0] in seen:
                continue
            lemma, pos = hit
            info = meanings.word(lemma, pos)
            meaning = _placement_meaning(info.meanings, pos)
            if not meaning or meaning.casefold() == lemma.casefold():
                continue
            seen.add(lemma)
            found.append((lemma, pos, zipf[word], meaning, info.display))
        picked[band] = found
    all_words = [w for band in picked for w in picked[band]]
    items: list[PlacementItem] = []
    for band, _, _ in PLACEMENT_BANDS:
        words = picked[band][:wanted]
        plain, checked = words[:per_band], words[per_band:wanted]
        items.extend(PlacementItem(lemma, display, pos, band, z, meaning) for lemma, pos, z, meaning, display in plain)
        for lemma, pos, z, meaning, display in checked:
            others = [w for w in all_words if w[0] != lemma]
            rng.shuffle(others)
            same = [w[3] for w in others if w[1] == pos] + [w[3] for w in others if w[1] != pos]
            wrong: list[str] = []
            for candidate in same:
                folded = {m.casefold() for m in [meaning, *wrong]}
                if candidate.casefold() not in folded:
                    wrong.append(candidate)
                if len(wrong) == 3:
                    break
            if len(wrong) < 3:
                items.append(PlacementItem(lemma, display, pos, band, z, meaning))
                continue
            choices = [meaning, *wrong]
            rng.shuffle(choices)
            items.append(PlacementItem(lemma, display, pos, band, z, meaning, tuple(choices), choices.index(meaning)))
    return items
