"""The tutor core: coverage and the i+1 choice, review items with FSRS, sessions and their summary, the
learner's level (placement and adjustment), statistics, and the ``stats``/``level``/``review`` commands."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from lessons.meanings import Meanings
from lessons.model import Kind, Lesson, Pos, Sentence, Token
from lessons.paths import Paths, seeds_dir
from lessons.stats import collect_stats, column_chart, render, render_stats
from lessons.store import CardReason, Store, WordStatus, open_store
from lessons.tutor import (
    PLACEMENT_BANDS,
    PlacementAnswer,
    PlacementItem,
    adjust_level,
    choose_next_lesson,
    clean_meaning,
    ensure_cards_for_learning,
    level_history,
    new_words,
    place_level,
    placement_items,
    plan_session,
    rank_lessons,
    review_items,
    score_placement,
    set_level,
    summarise,
    word_coverage,
)
from lessons.tutor_cli import run_placement, run_review
from tests.study_texts import EVERYDAY, fake_meanings, lesson_from
from tests.test_cli import run

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock):
    with Store(tmp_path / "data" / "lesestoff.db", clock=clock) as s:
        yield s


# ---------------------------------------------------------------------------------------------- lessons for tests


def _token(text: str, start: int, *, pos: Pos | None = None, function_word: bool = False, **kw: object) -> Token:
    if pos is None:
        pos = Pos.NOUN if text[:1].isupper() else Pos.VERB
    return Token(
        text,
        str(kw.pop("lemma", text)),
        pos,
        start,
        start + len(text),
        zipf=4.0,
        cefr="B1",
        function_word=function_word,
        **kw,
    )  # type: ignore[arg-type]


def make_lesson(lesson_id: str, lemmas: Sequence[str], *, cefr: str = "B1", per_sentence: int = 10) -> Lesson:
    """A lesson whose running content words are exactly ``lemmas`` (plus a function word, a name and a full
    stop in every sentence, which coverage must ignore)."""
    sentences = []
    for index, begin in enumerate(range(0, len(lemmas), per_sentence)):
        words = list(lemmas[begin : begin + per_sentence])
        tokens, offset = [], 0
        for word in ["und", "Berlin", *words]:
            if word == "und":
                tokens.append(_token(word, offset, pos=Pos.OTHER, function_word=True))
            elif word == "Berlin":
                tokens.append(_token(word, offset, pos=Pos.PROPN))
            else:
                tokens.append(_token(word, offset))
            offset += len(word) + 1
        tokens.append(_token(".", offset - 1, pos=Pos.PUNCT))
        text = " ".join(["und", "Berlin", *words]) + "."
        sentences.append(Sentence(index, text, tuple(tokens)))
    return Lesson(lesson_id, lesson_id.title(), f"{lesson_id}.txt", Kind.ARTICLE, None, cefr, tuple(sentences))


KNOWN = [f"kennen{i}" for i in range(100)]
UNKNOWN = [f"Neuwort{i}" for i in range(100)]


def lesson_with(lesson_id: str, known: int, unknown: int, *, cefr: str = "B1") -> Lesson:
    """``known`` running words the learner knows and ``unknown`` new ones (distinct lemmas)."""
    return make_lesson(lesson_id, KNOWN[:known] + UNKNOWN[:unknown], cefr=cefr)


def statuses(extra: dict[str, WordStatus] | None = None) -> dict[str, WordStatus]:
    known = dict.fromkeys(KNOWN, WordStatus.KNOWN)
    return {**known, **(extra or {})}


# ---------------------------------------------------------------------------------------------- coverage


def test_coverage_counts_content_words_and_learning_as_half() -> None:
    lesson = make_lesson("mix", ["Haus", "Haus", "gehen", "Baum", "laufen", "schnell", "Tisch", "Hund"])
    known = {
        "Haus": WordStatus.KNOWN,  # 2 running words
        "gehen": WordStatus.IGNORED,
        "Baum": WordStatus.LEARNING_1,  # half
        "laufen": WordStatus.LEARNING_4,  # half
    }
    coverage = word_coverage(lesson, known)
    assert coverage.running == 8  # "und" (function word), "Berlin" (name) and "." are not counted
    assert coverage.known == pytest.approx(4.0)
    assert coverage.share == pytest.approx(0.5)
    assert coverage.new_lemmas == ("Baum", "laufen", "schnell", "Tisch", "Hund")
    assert new_words(lesson, known) == ["Baum", "laufen", "schnell", "Tisch", "Hund"]


def test_coverage_from_the_store(store: Store) -> None:
    lesson = make_lesson("mix", ["Haus", "gehen", "Baum", "Tisch"])
    store.set_statuses({"Haus": WordStatus.KNOWN, "Baum": WordStatus.LEARNING_2})
    assert word_coverage(lesson, store).share == pytest.approx(1.5 / 4)
    assert new_words(lesson, store) == ["gehen", "Baum", "Tisch"]
    assert word_coverage(make_lesson("empty", []), store).share == 1.0


def test_a_split_separable_verb_counts_once() -> None:
    verb = _token("kommt", 0, lemma="ankommen", separable=True)
    particle = _token("an", 6, lemma="ankommen", separable=True)
    sentence = Sentence(0, "kommt an", (verb, particle))
    lesson = Lesson("sep", "Sep", "sep.txt", Kind.ARTICLE, None, "A1", (sentence,))
    assert word_coverage(lesson, {}).running == 1


# ---------------------------------------------------------------------------------------------- i+1


def test_i_plus_one_prefers_the_lesson_in_the_band() -> None:
    lessons = [
        lesson_with("hard", 40, 10),  # 80%
        lesson_with("near", 44, 6),  # 88%
        lesson_with("done", 48, 2),  # 96%, but completed
        lesson_with("band", 47, 3),  # 94%
        lesson_with("easy", 50, 0),  # 100%
    ]
    chosen = choose_next_lesson(lessons, statuses(), "B1", completed={"done"}, struggling=False)
    assert chosen is not None and chosen.id == "band"
    ranked = rank_lessons(lessons, statuses(), "B1", completed={"done"}, struggling=False)
    assert [c.lesson.id for c in ranked] == ["band", "near", "hard", "easy"]  # "done" is never offered
    assert ranked[0].position == "in band" and "94%" in ranked[0].reason


def test_i_plus_one_fallbacks() -> None:
    lessons = [
        lesson_with("hard", 40, 10),  # 80%
        lesson_with("near", 44, 6),  # 88%
        make_lesson("easy99", KNOWN[:99] + UNKNOWN[:1]),  # 99%
        lesson_with("easy", 50, 0),  # 100%
    ]
    known = statuses()
    # Nothing in the band: the closest from below (a little hard) …
    assert choose_next_lesson(lessons, known, "B1", completed=(), struggling=False).id == "near"  # type: ignore[union-attr]
    # … but a struggling learner gets the closest easier one first.
    assert choose_next_lesson(lessons, known, "B1", completed=(), struggling=True).id == "easy99"  # type: ignore[union-attr]
    # Only easier lessons left: the least easy; only harder ones: the closest.
    assert choose_next_lesson(lessons[2:], known, "B1", completed=(), struggling=False).id == "easy99"  # type: ignore[union-attr]
    assert choose_next_lesson(lessons[:2], known, "B1", completed=(), struggling=True).id == "near"  # type: ignore[union-attr]
    assert choose_next_lesson([], known, "B1") is None


def test_i_plus_one_learning_words_count_half() -> None:
    lesson = make_lesson("learning", KNOWN[:42] + UNKNOWN[:8])
    other = make_lesson("near", KNOWN[:44] + UNKNOWN[50:56])  # 88%
    half = statuses(dict.fromkeys(UNKNOWN[:8], WordStatus.LEARNING_1))
    assert word_coverage(lesson, half).share == pytest.approx(0.92)
    assert choose_next_lesson([other, lesson], half, "B1", completed=(), struggling=False).id == "learning"  # type: ignore[union-attr]
    assert choose_next_lesson([other, lesson], statuses(), "B1", completed=(), struggling=False).id == "near"  # type: ignore[union-attr]


def test_i_plus_one_ties_by_cefr_distance_then_library_order() -> None:
    lessons = [
        lesson_with("c1", 47, 3, cefr="C1"),
        lesson_with("a2", 48, 2, cefr="A2"),
        lesson_with("b1-first", 49, 1, cefr="B1"),
        lesson_with("b1-second", 46, 4, cefr="B1"),
    ]
    pick = lambda level: choose_next_lesson(lessons, statuses(), level, completed=(), struggling=False).id  # noqa: E731  # type: ignore[union-attr]
    assert pick("B1") == "b1-first"
    assert pick("C2") == "c1"
    assert pick("A1") == "a2"
    assert pick(None) == "b1-first"  # no level yet: B1


def test_i_plus_one_from_the_store_skips_completed_unless_all_are(store: Store, clock: Clock) -> None:
    store.set_statuses(dict.fromkeys(KNOWN, WordStatus.KNOWN))
    lessons = [lesson_with("band", 47, 3), lesson_with("near", 44, 6)]
    assert choose_next_lesson(lessons, store, "B1").id == "band"  # type: ignore[union-attr]
    store.save_progress("band", completed=True)
    assert choose_next_lesson(lessons, store, "B1").id == "near"  # type: ignore[union-attr]
    store.save_progress("near", completed=True)
    assert choose_next_lesson(lessons, store, "B1").id == "band"  # all completed: the best of them again
    # Recent exercise answers mostly wrong: the learner is struggling, easier lessons first.
    store.save_progress("band", completed=False)
    store.save_progress("near", completed=False)
    easier = [lesson_with("near", 44, 6), make_lesson("easy99", KNOWN[:99] + UNKNOWN[:1])]
    assert choose_next_lesson(easier, store, "B1").id == "near"  # type: ignore[union-attr]
    for n in range(10):
        store.record_attempt("near", "cloze", f"p{n}", n < 3, "x", at=clock.now)
    assert choose_next_lesson(easier, store, "B1", now=clock.now).id == "easy99"  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------- reviews


def test_review_items_round_trip_through_fsrs(store: Store, clock: Clock) -> None:
    meanings = fake_meanings()
    store.add_card("Zug", CardReason.MISSED, at=T0 - timedelta(days=2))
    store.add_card("kaufen", CardReason.ADDED, at=T0 - timedelta(days=1))
    store.set_statuses({"Katze": WordStatus.LEARNING_1, "Ball": WordStatus.KNOWN}, at=T0 - timedelta(hours=1))
    assert ensure_cards_for_learning(store, at=T0 - timedelta(hours=1)) == ["Katze"]
    assert ensure_cards_for_learning(store) == []
    assert store.card("Katze").reason is CardReason.LEARNING  # type: ignore[union-attr]

    items = review_items(store, T0, meanings=meanings)
    assert [i.lemma for i in items] == ["Zug", "kaufen", "Katze"]  # most overdue first
    zug, kaufen, katze = items
    assert zug.prompt == "der Zug" and katze.prompt == "die Katze" and kaufen.prompt == "kaufen"
    assert not zug.revealed
    assert zug.reveal() == "train · dictionary" and zug.revealed
    assert review_items(store, T0, meanings=meanings, limit=1)[0].lemma == "Zug"

    good = zug.rate("good", at=T0)
    again = kaufen.rate(Rating.Again, at=T0)
    easy = katze.rate(4, at=T0)
    assert T0 < again < good < easy
    with pytest.raises(RuntimeError):
        zug.rate("good")
    assert store.due_cards(T0) == []
    assert [c.lemma for c in store.due_cards(T0 + timedelta(days=365))] == ["kaufen", "Zug", "Katze"]
    assert [e.rating for e in store.review_log()] == [Rating.Good, Rating.Again, Rating.Easy]

    # Good again later: the interval grows.
    later = review_items(store, good, meanings=meanings)
    assert [i.lemma for i in later] == ["kaufen", "Zug"]
    second = later[1].rate(3, at=good)
    assert second - good > good - T0


def test_review_item_without_meanings_or_glosses(store: Store) -> None:
    store.add_card("Unbekanntwort", at=T0)
    item = review_items(store, T0)[0]
    assert item.prompt == "Unbekanntwort" and item.meaning is None
    assert "no meaning" in item.reveal()
    with pytest.raises(ValueError):
        item.rate("maybe")


def test_plan_session(store: Store, clock: Clock, seed_paths: Paths) -> None:
    from lessons.services import shared_lexicon

    everyday = lesson_from(EVERYDAY, shared_lexicon(seed_paths))
    store.set_learner_level("A1")
    store.set_status("Wetter", WordStatus.LEARNING_1, at=T0 - timedelta(days=1))
    store.add_card("Zug", CardReason.MISSED, at=T0 - timedelta(days=3))
    store.add_card("Garten", CardReason.ADDED, at=T0 + timedelta(days=3))  # not due yet
    plan = plan_session([everyday], store, T0, meanings=fake_meanings(), exercise_count=5, seed=1)
    assert plan.new_cards == ["Wetter"]
    assert [r.lemma for r in plan.reviews] == ["Zug", "Wetter"]
    assert plan.reviews[1].prompt == "das Wetter"
    assert plan.lesson is everyday and plan.choice is not None
    assert plan.level == "A1" and plan.started_at == T0
    assert 0 < len(plan.exercises) <= 5
    again = plan_session([everyday], store, T0, meanings=fake_meanings(), exercise_count=5, seed=1)
    assert [e.id for e in again.exercises] == [e.id for e in plan.exercises]
    assert again.new_cards == []
    limited = plan_session([everyday], store, T0, max_reviews=1)
    assert len(limited.reviews) == 1 and limited.exercises == []
    assert plan_session([], store, T0).lesson is None


# ---------------------------------------------------------------------------------------------- summary


def test_session_summary_of_a_scripted_session(store: Store, clock: Clock) -> None:
    before = T0 - timedelta(days=1)
    store.set_statuses({"Katze": WordStatus.LEARNING_2, "Ball": WordStatus.LEARNING_1}, at=before)
    store.add_card("Katze", CardReason.LEARNING, at=before)
    store.add_card("Ball", CardReason.LEARNING, at=before)
    store.add_card("Sofa", CardReason.ADDED, at=before)
    store.record_attempt("alltag", "cloze", "old", False, "x", at=before)  # before the session

    start = T0
    store.set_status("Zug", WordStatus.LEARNING_1, at=T0 + timedelta(minutes=1))  # a new word started
    store.set_status("Katze", WordStatus.KNOWN, at=T0 + timedelta(minutes=2))  # learnt
    store.set_status("Ball", WordStatus.LEARNING_2, at=T0 + timedelta(minutes=2))  # a step: not counted
    store.schedule_review("Katze", Rating.Good, at=T0 + timedelta(minutes=3))
    store.schedule_review("Ball", Rating.Again, at=T0 + timedelta(minutes=4))
    store.schedule_review("Sofa", Rating.Easy, at=T0 + timedelta(minutes=5))
    for n, correct in enumerate([True, True, False, True]):
        store.record_attempt("alltag", "meaning", f"p{n}", correct, "x", at=T0 + timedelta(minutes=6 + n))
    end = T0 + timedelta(minutes=12)
    store.set_status("Sofa", WordStatus.KNOWN, at=end + timedelta(seconds=1))  # after the session

    summary = summarise(store, start, end)
    assert summary.duration == timedelta(minutes=12)
    assert summary.words_known == ("Katze",)
    assert summary.words_started == ("Zug",)
    assert summary.words_learned == 2
    assert (summary.reviews, summary.reviews_remembered) == (3, 2)
    assert summary.review_accuracy == pytest.approx(2 / 3)
    assert (summary.exercises, summary.exercises_correct) == (4, 3)
    assert summary.exercise_accuracy == pytest.approx(0.75)
    assert summary.next_due == T0 + timedelta(minutes=5)  # Ball, Again at minute 4: one minute later
    assert summary.due_now == 1
    lines = summary.lines(tz=UTC)
    assert lines[0] == "Session: 12 min"
    assert lines[1] == "Words learned: 2 (1 now known: Katze; 1 started: Zug)"
    assert "Reviews: 3, 2 remembered (67%)" in lines
    assert "Exercises: 4, 3 right (75%)" in lines
    assert lines[-1] == "Next review: now (1 card still due)"
    assert json.loads(json.dumps(summary.to_dict()))["words_learned"] == 2

    # A second session: the two cards still due rated Easy; the next review is days away.
    store.schedule_review("Ball", Rating.Easy, at=end + timedelta(minutes=10))
    store.schedule_review("Katze", Rating.Easy, at=end + timedelta(minutes=10))
    later = summarise(store, end + timedelta(minutes=9), end + timedelta(minutes=11))
    assert (later.reviews, later.reviews_remembered, later.due_now, later.words_learned) == (2, 2, 0, 0)
    assert later.next_due is not None and later.next_due > end + timedelta(days=1)
    assert later.lines(tz=UTC)[-1] == "Next review: in 1 day (2025-03-05 09:22)"


def test_summary_of_an_empty_store(store: Store) -> None:
    summary = summarise(store, T0, T0 + timedelta(seconds=30))
    assert summary.words_learned == 0 and summary.next_due is None
    assert summary.lines() == [
        "Session: 30 s",
        "Words learned: 0",
        "Reviews: none",
        "Exercises: none",
        "Next review: no review cards yet",
    ]


# ---------------------------------------------------------------------------------------------- placement


def synthetic_items(per_band: int = 4) -> list[PlacementItem]:
    """Per band ``per_band`` yes/no words and one checked word (right answer: choice 0)."""
    items = []
    for band, low, _ in PLACEMENT_BANDS:
        for n in range(per_band):
            items.append(PlacementItem(f"{band}wort{n}", f"{band}wort{n}", "NOUN", band, low, f"meaning {n}"))
        items.append(
            PlacementItem(f"{band}check", f"{band}check", "NOUN", band, low, "right", ("right", "b", "c", "d"), 0)
        )
    return items


def answer(items: Iterable[PlacementItem], *, knows: Callable[[str], bool], claims: Callable[[str], bool]) -> list:
    """A learner who knows the bands ``knows`` accepts and says yes on the bands ``claims`` accepts; on a
    checked word of a claimed band they do not know, they pick a wrong meaning (else "don't know")."""
    out = []
    for item in items:
        if not item.checked:
            out.append(PlacementAnswer.yes_no(item, knows(item.band) or claims(item.band)))
        elif knows(item.band):
            out.append(PlacementAnswer.pick(item, item.answer))
        elif claims(item.band):
            out.append(PlacementAnswer.pick(item, 1))
        else:
            out.append(PlacementAnswer.pick(item, None))
    return out


def up_to(level: str) -> Callable[[str], bool]:
    order = [b for b, _, _ in PLACEMENT_BANDS]
    return lambda band: order.index(band) <= order.index(level)


NOBODY: Callable[[str], bool] = lambda band: False  # noqa: E731


def test_placement_of_an_honest_learner() -> None:
    items = synthetic_items()
    assert len(items) == 30
    assert place_level(answer(items, knows=up_to("B1"), claims=NOBODY)) == "B1"
    assert place_level(answer(items, knows=up_to("C2"), claims=NOBODY)) == "C2"
    assert place_level(answer(items, knows=NOBODY, claims=NOBODY)) == "A1"
    result = score_placement(answer(items, knows=up_to("B2"), claims=NOBODY))
    assert result.level == "B2" and result.overclaim == 0 and result.discounted_from is None
    assert result.shares == {"A1": 1.0, "A2": 1.0, "B1": 1.0, "B2": 1.0, "C1": 0.0, "C2": 0.0}
    assert result.lines()[-1] == "Your level: B2"


def test_placement_discounts_over_claiming() -> None:
    items = synthetic_items()
    # Knows up to B1 but says yes to everything: the checked words from B2 up give it away.
    answers = answer(items, knows=up_to("B1"), claims=lambda band: True)
    result = score_placement(answers)
    assert result.claimed == dict.fromkeys(["A1", "A2", "B1", "B2", "C1", "C2"], 1.0)
    assert result.discounted_from == "B2" and result.overclaim == 1.0
    assert result.level == "B1"
    assert any("count 100% less" in line for line in result.lines())
    # Without the checked words the same yes answers would have meant C2.
    plain = [a for a in answers if not a.item.checked]
    assert place_level(plain) == "C2"
    # Says yes to everything and gets every meaning wrong: nothing is believed.
    assert place_level(answer(items, knows=NOBODY, claims=lambda band: True)) == "A1"


def test_placement_survives_one_slip_and_needs_easier_bands() -> None:
    items = synthetic_items()
    answers = answer(items, knows=up_to("C2"), claims=NOBODY)
    slip = [a if a.item.lemma != "A2check" else PlacementAnswer.pick(a.item, 2) for a in answers]
    result = score_placement(slip)
    assert result.discounted_from == "A2" and result.overclaim == pytest.approx(0.2)
    assert result.shares["A2"] < 0.8 and result.level == "C2"
    # A band known above a gap of unknown ones does not count.
    gap = answer(items, knows=lambda band: band in ("A1", "C1"), claims=NOBODY)
    assert place_level(gap) == "A1"


def test_clean_meaning() -> None:
    assert clean_meaning("to compare sb./sth. (with); to liken") == "to compare; to liken"
    assert clean_meaning("room /rm/; chamber; apartment") == "room; chamber"
    assert clean_meaning("(only) fear") == "fear"


@pytest.fixture(scope="module")
def real_meanings(seed_paths: Paths) -> Meanings:
    from lessons.services import shared_lexicon

    return Meanings(shared_lexicon(seed_paths), seeds_dir())


def test_placement_items_from_wordfreq_and_the_lexicon(real_meanings: Meanings) -> None:
    items = placement_items(7, real_meanings)
    assert items == placement_items(7, real_meanings)  # the same seed, the same check
    assert {i.lemma for i in items} != {i.lemma for i in placement_items(8, real_meanings)}
    assert 24 <= len(items) <= 30
    assert len({i.lemma for i in items}) == len(items)
    order = [band for band, _, _ in PLACEMENT_BANDS]
    assert [i.band for i in items] == sorted((i.band for i in items), key=order.index)
    for band, low, high in PLACEMENT_BANDS:
        in_band = [i for i in items if i.band == band]
        assert len(in_band) >= 4, band
        assert all(low <= i.zipf < high for i in in_band)
    checked = [i for i in items if i.checked]
    assert len(checked) >= 5
    for item in checked:
        assert len(item.choices) == 4 and len({c.casefold() for c in item.choices}) == 4
        assert item.choices[item.answer] == item.meaning  # type: ignore[index]
    for item in items:
        assert item.pos in ("NOUN", "VERB", "ADJ") and item.meaning
        if item.pos == "NOUN":
            assert item.display.split()[0] in ("der", "die", "das") and item.lemma[0].isupper()
        else:
            assert item.display == item.lemma and item.lemma.islower()


def test_run_placement_reads_answers_until_the_end(real_meanings: Meanings) -> None:
    items = synthetic_items(per_band=1)[:4]  # A1 word, A1 check, A2 word, A2 check
    replies = iter(["y", "maybe", "1", "n", "7", "0"])
    out = io.StringIO()
    answers = run_placement(items, ask=lambda prompt: next(replies), say=lambda text: print(text, file=out))
    assert answers is not None
    assert [(a.known, a.choice) for a in answers] == [(True, None), (True, 0), (False, None), (False, None)]
    assert "Please answer with a number from 0 to 4." in out.getvalue() and "1) right" in out.getvalue()

    def ended(prompt: str) -> str:
        raise EOFError

    assert run_placement(items, ask=ended, say=lambda text: None) is None


# ---------------------------------------------------------------------------------------------- level adjustment


def answers_at(store: Store, at: datetime, right: int, wrong: int) -> None:
    for n in range(right + wrong):
        store.record_attempt("alltag", "cloze", f"p{n}", n < right, "x", at=at + timedelta(seconds=n))


def test_level_goes_up_after_enough_good_answers(store: Store) -> None:
    set_level(store, "B1", "chosen", at=T0)
    answers_at(store, T0 + timedelta(hours=1), right=18, wrong=1)
    assert adjust_level(store, T0 + timedelta(hours=2)) is None  # 19 answers: not enough yet
    answers_at(store, T0 + timedelta(hours=3), right=1, wrong=0)
    assert adjust_level(store, T0 + timedelta(hours=4)) == "B2"  # 19/20 = 95%
    assert store.learner_level() == "B2"
    last = level_history(store)[-1]
    assert (last.level, last.previous) == ("B2", "B1")
    assert "19/20" in last.reason and "95%" in last.reason and "up" in last.reason
    assert adjust_level(store, T0 + timedelta(hours=5)) is None  # the answers were at B1: 20 new ones needed
    assert store.get_setting("learner_level") == "B2"


def test_level_goes_down_or_stays(store: Store) -> None:
    set_level(store, "B1", "chosen", at=T0)
    answers_at(store, T0 + timedelta(hours=1), right=14, wrong=6)  # 70%
    assert adjust_level(store, T0 + timedelta(hours=2)) is None
    answers_at(store, T0 + timedelta(hours=3), right=0, wrong=20)  # 14/40 = 35%
    assert adjust_level(store, T0 + timedelta(hours=4)) == "A2"
    assert "down" in level_history(store)[-1].reason


def test_level_adjustment_window_and_bounds(store: Store) -> None:
    answers_at(store, T0, right=20, wrong=0)
    assert adjust_level(store, T0 + timedelta(days=15)) is None  # too long ago
    assert adjust_level(store, T0 + timedelta(days=1)) == "B2"  # no level yet: from B1
    set_level(store, "C2", "chosen", at=T0 + timedelta(days=2))
    answers_at(store, T0 + timedelta(days=2, hours=1), right=20, wrong=0)
    assert adjust_level(store, T0 + timedelta(days=3)) is None  # nothing above C2
    set_level(store, "A1", "chosen", at=T0 + timedelta(days=4))
    answers_at(store, T0 + timedelta(days=4, hours=1), right=0, wrong=20)
    assert adjust_level(store, T0 + timedelta(days=5)) is None  # nothing below A1
    assert [c.level for c in level_history(store)] == ["B2", "C2", "A1"]


# ---------------------------------------------------------------------------------------------- statistics


def filled_store(store: Store) -> None:
    day = timedelta(days=1)
    store.set_statuses({"Zug": WordStatus.KNOWN, "Ball": WordStatus.LEARNING_1}, at=T0)
    store.set_status("Katze", WordStatus.KNOWN, at=T0 + 2 * day)
    store.add_card("Ball", CardReason.LEARNING, at=T0)
    store.schedule_review("Ball", Rating.Good, at=T0 + 1 * day)
    store.schedule_review("Ball", Rating.Good, at=T0 + 3 * day)
    store.schedule_review("Ball", Rating.Hard, at=T0 + 3 * day + timedelta(minutes=10))
    for n, correct in enumerate([True, False, True, True]):
        store.record_attempt("alltag", "cloze" if n % 2 else "meaning", f"p{n}", correct, "x", at=T0 + n * day)


def test_stats_series(store: Store) -> None:
    filled_store(store)
    stats = collect_stats(store, now=T0 + timedelta(days=5), tz=UTC)
    start = T0.date()
    assert [(d.day - start).days for d in stats.known_over_time] == [0, 1, 2, 3, 4, 5]
    assert [d.count for d in stats.known_over_time] == [1, 1, 2, 2, 2, 2]
    assert [d.count for d in stats.reviews_per_day] == [1, 0, 2, 0, 0]  # day 1 to day 5
    assert stats.reviews_per_day[0].day == start + timedelta(days=1)
    assert {k.kind: (k.attempts, k.correct) for k in stats.accuracy_by_kind} == {"cloze": (2, 1), "meaning": (2, 2)}
    assert (stats.known, stats.learning, stats.cards) == (2, 1, 1)
    data = json.loads(json.dumps(stats.to_json()))
    assert data["known_words_over_time"][0] == {"day": "2025-03-04", "count": 1}
    assert data["accuracy_by_kind"][0] == {"kind": "cloze", "attempts": 2, "correct": 1, "accuracy": 0.5}


@pytest.mark.parametrize(("width", "height"), [(24, 12), (40, 20), (80, 40), (120, 60)])
def test_stats_rendering_fits(store: Store, width: int, height: int) -> None:
    filled_store(store)
    text = render_stats(store, width, height, now=T0 + timedelta(days=5), tz=UTC)
    lines = text.splitlines()
    assert lines and len(lines) <= height
    assert all(len(line) <= width for line in lines), [line for line in lines if len(line) > width]
    assert "█" in text and "\x1b" not in text and "[" not in text
    if height >= 30:
        assert "Known words over time" in text and "Reviews per day" in text and "Accuracy by exercise kind" in text
        assert "(meaning)" in text and "100% of 2" in text and "50% of 2" in text


def test_stats_long_history_is_bucketed(store: Store) -> None:
    for n in range(300):
        store.set_status(f"wort{n}", WordStatus.KNOWN, at=T0 + timedelta(days=n))
        store.add_card(f"wort{n}", at=T0 + timedelta(days=n))
        for _ in range(n % 7):
            store.schedule_review(f"wort{n}", Rating.Good, at=T0 + timedelta(days=n, minutes=1))
    stats = collect_stats(store, now=T0 + timedelta(days=299), tz=UTC)
    assert len(stats.known_over_time) == 300
    for width in (30, 50, 100):
        lines = render(stats, width, 30).splitlines()
        assert all(len(line) <= width for line in lines)
        assert any(line.endswith("█") for line in lines)  # the last column (today) is the highest known count


def test_empty_stats_render(store: Store) -> None:
    text = render_stats(store, 40, 20, now=T0, tz=UTC)
    assert "no words marked known yet" in text and "no reviews yet" in text and "no exercises done yet" in text
    assert all(len(line) <= 40 for line in text.splitlines())


def test_column_chart_scale() -> None:
    lines = column_chart([0, 4, 8], width=20, height=2)
    assert lines == ["8 ┤  █", "0 ┤ ██", "  └───"]
    assert column_chart([2, 3], width=20, height=1) == ["3 ┤▅█", "  └──"]


# ---------------------------------------------------------------------------------------------- CLI


def seeded_home(root: Path) -> Path:
    home = root / "home"
    with open_store(Paths(home).ensure()) as store:
        store.set_statuses({"Zug": WordStatus.KNOWN, "Katze": WordStatus.LEARNING_1})
        store.add_card("Bahnhof", CardReason.ADDED)
        store.record_attempt("alltag", "cloze", "p", True, "x")
    return home


def test_cli_stats(tmp_path: Path) -> None:
    home = seeded_home(tmp_path)
    result = run("stats", "--json", home=home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["known"] == 1 and data["learning"] == 1 and data["review_cards"] == 1
    assert data["known_words_over_time"][-1]["count"] == 1
    assert data["accuracy_by_kind"] == [{"kind": "cloze", "attempts": 1, "correct": 1, "accuracy": 1.0}]
    result = run("stats", "--width", "32", home=home)
    assert result.returncode == 0, result.stderr
    assert "Known words over time" in result.stdout
    assert all(len(line) <= 32 for line in result.stdout.splitlines())
    result = run("stats", "--width", "5", home=home)
    assert result.returncode == 2 and "--width" in result.stderr


def test_cli_level_show_and_set(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run("level", home=home)
    assert result.returncode == 0 and "No level set yet" in result.stdout
    result = run("level", "b2", home=home)
    assert result.returncode == 0 and "Your level is now B2." in result.stdout
    result = run("level", home=home)
    assert "Your level: B2" in result.stdout and "chosen by the learner" in result.stdout
    result = run("level", "Z9", home=home)
    assert result.returncode == 2 and "unknown level" in result.stderr
    result = run("level", "B1", "--place", home=home)
    assert result.returncode == 2


def placement_script(items: Sequence[PlacementItem], level: str) -> str:
    known = up_to(level)
    lines = []
    for item in items:
        if item.checked:
            lines.append(str(item.answer + 1) if known(item.band) else "0")  # type: ignore[operator]
        else:
            lines.append("y" if known(item.band) else "n")
    return "\n".join(lines) + "\n"


def test_cli_level_place_with_piped_answers(tmp_path: Path, real_meanings: Meanings) -> None:
    home = tmp_path / "home"
    items = placement_items(5, real_meanings)
    result = run("level", "--place", "--seed", "5", home=home, stdin=placement_script(items, "B1"))
    assert result.returncode == 0, result.stderr
    assert f"Placement check: {len(items)} words" in result.stdout
    assert "Your level: B1" in result.stdout and "Saved: your level is B1." in result.stdout
    with open_store(Paths(home)) as store:
        assert store.learner_level() == "B1"
        assert level_history(store)[-1].reason.startswith("placement check:")
    # Everything "no": A1.
    result = run("level", "--place", "--seed", "5", home=home, stdin="n\n" * len(items))
    assert result.returncode == 0 and "Saved: your level is A1." in result.stdout
    # Input ends early: nothing changes.
    result = run("level", "--place", "--seed", "5", home=home, stdin="y\ny\n")
    assert result.returncode == 1 and "ended early" in result.stdout
    with open_store(Paths(home)) as store:
        assert store.learner_level() == "A1"


def test_cli_review_with_piped_ratings(tmp_path: Path) -> None:
    home = seeded_home(tmp_path)
    # Two cards due (Bahnhof, and Katze, marked learning): Enter, 3; Enter, then a wrong rating, then 1.
    result = run("review", home=home, stdin="\n3\n\nmaybe\n1\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "2 cards to review" in out
    assert "der Bahnhof" in out and "die Katze" in out
    assert "Please answer 1 again" in out and "Next time: in 10 min" in out
    assert "Reviews: 2, 1 remembered (50%)" in out
    assert "Words learned: 0" in out
    with open_store(Paths(home)) as store:
        assert [e.rating for e in store.review_log()] == [Rating.Good, Rating.Again]
    result = run("review", home=home, stdin="")
    assert result.returncode == 0 and "Nothing to review right now." in result.stdout


def test_cli_review_ends_gracefully_on_end_of_input(tmp_path: Path) -> None:
    home = seeded_home(tmp_path)
    result = run("review", home=home, stdin="\n4\n\n")
    assert result.returncode == 0, result.stderr
    assert "Review ended early." in result.stdout
    assert "Reviews: 1, 1 remembered (100%)" in result.stdout
    assert "Next review: now (1 card still due)" in result.stdout


def test_run_review_in_process(store: Store, clock: Clock) -> None:
    store.add_card("Zug", at=T0)
    items = review_items(store, T0, meanings=fake_meanings())
    replies = iter(["", "g"])
    said: list[str] = []
    assert run_review(items, ask=lambda prompt: next(replies), say=said.append, now=lambda: T0) == 1
    assert "   = train · dictionary" in said and any(s.startswith("   Next time: in 10 min") for s in said)


def test_days_are_local(store: Store) -> None:
    store.set_status("Zug", WordStatus.KNOWN, at=datetime(2025, 3, 4, 23, 30, tzinfo=UTC))
    stats = collect_stats(store, now=datetime(2025, 3, 5, 1, 0, tzinfo=UTC), tz=UTC)
    assert [d.day for d in stats.known_over_time] == [date(2025, 3, 4), date(2025, 3, 5)]


def test_quiz_at_the_stored_level_adjusts_it(seed_paths: Paths, tmp_path: Path) -> None:
    from tests.study_texts import copy_lesson_cache
    from tests.test_quiz_cli import right_answers

    home = copy_lesson_cache(seed_paths, tmp_path / "home").root
    with open_store(Paths(home)) as store:
        set_level(store, "B1", "chosen by the learner")
        for n in range(19):
            store.record_attempt("earlier", "cloze", f"p{n}", True, "x")
    listed = run("exercises", "5", "--json", "--seed", "11", "--count", "3", home=home)
    assert listed.returncode == 0, listed.stderr
    answers = right_answers(json.loads(listed.stdout))
    result = run("quiz", "5", "--seed", "11", "--count", "3", home=home, stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Your level is now B2 (" in result.stdout and "one band up" in result.stdout
    with open_store(Paths(home)) as store:
        assert store.learner_level() == "B2"


def test_store_status_changes_know_the_previous_status(store: Store) -> None:
    store.set_status("Zug", WordStatus.LEARNING_1, at=T0)
    store.set_status("Zug", WordStatus.KNOWN, at=T0 + timedelta(hours=1))
    store.set_status("Ball", WordStatus.IGNORED, at=T0 + timedelta(hours=2))
    store.set_status("Zug", WordStatus.NEW, at=T0 + timedelta(hours=3))
    changes = store.status_changes(since=T0 + timedelta(minutes=1))
    assert [(c.lemma, c.previous, c.status) for c in changes] == [
        ("Zug", WordStatus.LEARNING_1, WordStatus.KNOWN),
        ("Ball", WordStatus.NEW, WordStatus.IGNORED),
        ("Zug", WordStatus.KNOWN, WordStatus.NEW),
    ]
    assert len(store.status_changes(until=T0)) == 1
    assert changes[0].at == T0 + timedelta(hours=1)
