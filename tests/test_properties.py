"""Property-based tests: arbitrary text through the whole pipeline never raises and gives consistent lessons."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessons.errors import UserError
from lessons.model import Lesson, Sentence
from lessons.pipeline import build_lesson
from lessons.sentences import cap_length
from lessons.sources import Cue, load_bytes, normalize, parse_subtitles, to_vtt

TODAY = dt.date(2026, 11, 25)
PIPELINE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHEAP = settings(max_examples=150, deadline=None)

# Arbitrary Unicode plus the shapes real texts have: German words, sentence punctuation, line breaks.
german_bits = st.sampled_from(
    ["Der Hund", "läuft", "schnell", "über", "die Wiese", "z. B.", "Mio.", "20. Januar", "„Zitat“", "KI-Modell",
     ". ", "? ", "! ", "…", ", ", "\n", "\n\n", "  ", "- ", "• ", "2025-02-09", "Foto: dpa", "_", "[bold]",
     "<script>", "\x1b[31m", "\t", "\u00a0", "\u200b", "e\u0301", "汉字", "ß", "…"]
)  # fmt: skip
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(german_bits, st.text(max_size=12)), max_size=60).map("".join),
)


def assert_consistent(sentence: Sentence) -> None:
    text = sentence.text
    assert text and text == text.strip()
    covered = [False] * len(text)
    previous_end = 0
    for token in sentence.tokens:
        assert 0 <= token.start < token.end <= len(text)
        assert text[token.start : token.end] == token.text
        assert token.start >= previous_end, "tokens overlap or are out of order"
        previous_end = token.end
        for i in range(token.start, token.end):
            covered[i] = True
    missing = [c for c, done in zip(text, covered, strict=True) if not done and not c.isspace()]
    assert not missing, f"characters not covered by any token: {missing!r}"


def assert_lesson(draft) -> None:  # type: ignore[no-untyped-def]
    assert [s.index for s in draft.sentences] == list(range(len(draft.sentences)))
    paragraphs = [s.paragraph for s in draft.sentences]
    assert paragraphs == sorted(paragraphs)
    for sentence in draft.sentences:
        assert_consistent(sentence)
    assert draft.title
    lesson = draft.with_id("x", "x.txt")
    assert Lesson.from_dict(lesson.to_dict()) == lesson


@PIPELINE
@given(texts)
def test_build_lesson_never_raises_and_is_consistent(text: str) -> None:
    assert_lesson(build_lesson(text, today=TODAY))


@PIPELINE
@given(texts)
def test_normalised_text_gives_a_consistent_lesson(text: str) -> None:
    assert_lesson(build_lesson(normalize(text), today=TODAY, keep_foreign=True))


@PIPELINE
@given(
    st.lists(
        st.tuples(st.floats(0, 10_000, allow_nan=False), st.text(max_size=60).map(lambda s: s.replace("\n", " "))),
        max_size=25,
    )
)
def test_timed_lines_give_sentence_starts_in_order(pairs: list[tuple[float, str]]) -> None:
    pairs = sorted(pairs, key=lambda p: p[0])
    draft = build_lesson("stored", timed_lines=pairs, today=TODAY)
    assert_lesson(draft)
    starts = [s.start for s in draft.sentences]
    assert all(start in {t for t, _ in pairs} for start in starts)
    assert starts == sorted(starts)  # type: ignore[type-var]


@CHEAP
@given(st.text(max_size=300))
def test_normalize_is_idempotent_and_clean(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert "\r" not in once and "\x1b" not in once
    assert not any(0 < ord(c) < 32 and c not in "\n\t" for c in once)


prefixes = st.sampled_from(
    [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"WEBVTT\n\n", b"1\n00:00:01,000 --> 00:00:02,000\n",
     b"<!DOCTYPE html><html><body><p>", b"# ", b"---\ntitle: x\n---\n", b"\x89PNG\r\n\x1a\n"]
)  # fmt: skip
bodies = st.one_of(
    st.binary(max_size=500),
    st.text(max_size=300).map(lambda s: s.encode("utf-8")),
    st.text(max_size=300).map(lambda s: s.encode("utf-16-le")),
    st.text(alphabet="äöüßÄÖÜ„“–€ abcdefghij.,\n", max_size=300).map(lambda s: s.encode("cp1252")),
)
names = st.sampled_from(["x.txt", "x.md", "x.html", "x.srt", "x.vtt", "stdin"])


@CHEAP
@given(prefixes, bodies, names)
def test_any_bytes_load_or_fail_with_one_line(prefix: bytes, body: bytes, name: str) -> None:
    try:
        source = load_bytes(prefix + body, name)
    except UserError as exc:
        assert "\n" not in exc.message
    else:
        assert source.text.strip()
        assert normalize(source.text) == source.text
        stored = source.stored_text()
        assert normalize(stored) == stored  # what the library hashes is already in normal form


@CHEAP
@given(st.text(min_size=1, max_size=3000), st.integers(20, 200))
def test_cap_length_keeps_every_character(sentence: str, limit: int) -> None:
    sentence = sentence.strip()
    pieces = cap_length(sentence, limit)
    assert all(0 < len(p) <= limit and p == p.strip() for p in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(sentence.split())


cue_text = st.text(
    alphabet=st.one_of(st.characters(categories=["L", "N"]), st.sampled_from(" .,!?'„“")), min_size=1, max_size=40
)


@CHEAP
@given(st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 10**5), cue_text), max_size=20))
def test_stored_subtitles_round_trip(raw: list[tuple[int, int, str]]) -> None:
    cues: list[Cue] = []
    for start, length, text in sorted(raw):
        line = " ".join(text.split())
        if line and line not in {c.text for c in cues}:
            cues.append(Cue(start / 1000, (start + length) / 1000, line))
    assert parse_subtitles(to_vtt(cues), vtt=True) == cues
