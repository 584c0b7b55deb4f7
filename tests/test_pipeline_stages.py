"""Table-driven tests of the pipeline stages, one case per rule, on texts written for the tests."""

from __future__ import annotations

import datetime as dt

import pytest

from lessons import cleaning
from lessons.errors import UserError
from lessons.keys import slugify
from lessons.kinds import detect_kind
from lessons.model import Kind, Pos
from lessons.pipeline import build_lesson
from lessons.reading import decode, read_text
from lessons.sentences import split_sentences
from lessons.tokens import tag_tokens

TODAY = dt.date(2026, 11, 25)

# --- 1. read ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"Hallo Welt.", "Hallo Welt."),
        (b"\xef\xbb\xbfMit BOM.", "Mit BOM."),
        (b"Zeile eins.\r\nZeile zwei.", "Zeile eins.\nZeile zwei."),
        ("Straße über Äpfel".encode(), "Straße über Äpfel"),
    ],
)
def test_decode(raw: bytes, expected: str) -> None:
    assert decode(raw) == expected


def test_read_errors_are_one_line(tmp_path) -> None:
    with pytest.raises(UserError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(UserError, match="is a directory"):
        read_text(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary\x00")
    with pytest.raises(UserError) as info:
        read_text(bad)
    assert "\n" not in str(info.value)


# --- 2. clean --------------------------------------------------------------------------------------------

BOILERPLATE = [
    ("Exit mobile version", "navigation"),
    ("Zur mobilen Version", "navigation"),
    ("Zum Inhalt springen", "navigation"),
    ("Bitte aktivieren Sie JavaScript, um diese Seite zu sehen.", "browser notice"),
    ("Wir verwenden Cookies, um Ihnen ein besseres Erlebnis zu bieten.", "browser notice"),
    ("Ihr Werbeblocker verhindert die Anzeige.", "browser notice"),
    ("Melden Sie sich für unseren Newsletter an!", "promo"),
    ("Lesen Sie auch: Die besten Tipps für den Herbst", "promo"),
    ("Mehr zum Thema lesen Sie hier.", "promo"),
    ("Bildquelle: Reuters", "image credit"),
    ("Foto: dpa/Max Muster", "image credit"),
    ("<<: Voriger Artikel über das Wetter", "previous/next link"),
    (">>: Nächster Artikel über den Sport", "previous/next link"),
    ("Nächster Artikel: Die Bahn streikt wieder", "previous/next link"),
    ("欢迎访问我们的网站", "not German"),
    ("The quick brown fox jumps over the lazy dog every single day.", "not German"),
]


@pytest.mark.parametrize(("line", "reason"), BOILERPLATE)
def test_boilerplate_line_removed(line: str, reason: str) -> None:
    text = f"Der Bus kommt heute später.\n\n{line}\n\nDie Kinder warten an der Haltestelle."
    cleaned = cleaning.clean(text, today=TODAY)
    kept = [ln for p in cleaned.paragraphs for ln in p]
    assert kept == ["Der Bus kommt heute später.", "Die Kinder warten an der Haltestelle."]
    assert [(r.line, r.reason) for r in cleaned.removed] == [(line, reason)]


def test_inline_image_credit_is_stripped_and_caption_dropped() -> None:
    text = "Der Hafen ist voll. (Foto: AP)\nDer Bürgermeister Hans Beispiel (Bild: Stadt)\nEr spricht heute."
    cleaned = cleaning.clean(text, today=TODAY)
    assert [ln for p in cleaned.paragraphs for ln in p] == ["Der Hafen ist voll.", "Er spricht heute."]
    reasons = [r.reason for r in cleaned.removed]
    assert reasons.count("image credit") == 2 and "image caption" in reasons


def test_recommended_list_and_teasers_removed_to_the_end() -> None:
    text = (
        "Der Winter kommt bald nach Berlin.\n\nDas könnte Sie auch interessieren\n\nWie backt man Brot?\n\n"
        "Viele Menschen backen gern zu Hause. Der...\n"
    )
    cleaned = cleaning.clean(text, today=TODAY)
    assert [ln for p in cleaned.paragraphs for ln in p] == ["Der Winter kommt bald nach Berlin."]
    assert {r.reason for r in cleaned.removed} == {"recommended articles"}


def test_teaser_ending_in_ellipsis_removed() -> None:
    cleaned = cleaning.clean("Ein Satz steht hier.\n\nViele Leute lieben den Sommer, weil...\n", today=TODAY)
    assert cleaned.removed[0].reason == "teaser"


def test_repeated_title_removed() -> None:
    cleaned = cleaning.clean("Warum regnet es?\n\nWarum regnet es?\nWeil Wolken da sind.", today=TODAY)
    assert [ln for p in cleaned.paragraphs for ln in p] == ["Warum regnet es?", "Weil Wolken da sind."]
    assert cleaned.removed[0].reason == "repeated line"


def test_trailing_byline_removed() -> None:
    cleaned = cleaning.clean("Die Stadt baut eine Brücke.\n\nAnna Beispiel\n\nLeitende Redakteurin, Stadtblatt")
    assert [r.reason for r in cleaned.removed] == ["byline", "byline"]


def test_bullets_become_paragraphs() -> None:
    cleaned = cleaning.clean("  • Erster Punkt.\n  • Zweiter Punkt.\n- Dritter Punkt.")
    assert cleaned.paragraphs == (("Erster Punkt.",), ("Zweiter Punkt.",), ("Dritter Punkt.",))


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2025-02-09", "2025-02-09"),
        ("Donnerstag, Januar 30", "2025-01-30"),  # the weekday fixes the year
        ("Montag, 3. März 2025", "2025-03-03"),
        ("30. Januar 2025", "2025-01-30"),
        ("09.02.2025", "2025-02-09"),
        ("12. Mai", "--05-12"),
        ("Der Bus kommt.", None),
    ],
)
def test_parse_date(line: str, iso: str | None) -> None:
    assert cleaning.parse_date(line, today=TODAY) == iso


def test_date_prefix_fused_into_first_sentence() -> None:
    cleaned = cleaning.clean(" date 2024-05-06 Am Morgen regnet es.", today=TODAY)
    assert cleaned.date == "2024-05-06"
    assert cleaned.paragraphs == (("Am Morgen regnet es.",),)


# --- 3. kind ---------------------------------------------------------------------------------------------

TRANSCRIPT = """Guten Tag und herzlich willkommen.
Heute sprechen wir mit Frau Berger über das Wetter,
das in diesem Jahr
sehr seltsam war.
Frau Berger, was ist passiert?
Also es war sehr warm,
viel wärmer als sonst
und es hat kaum geregnet.
Ist das normal?
Nein, das ist nicht normal.
Vielen Dank für das Gespräch.
"""


def test_transcript_detected_and_fragments_joined() -> None:
    draft = build_lesson(TRANSCRIPT)
    assert draft.kind is Kind.TRANSCRIPT
    texts = [s.text for s in draft.sentences]
    assert "Heute sprechen wir mit Frau Berger über das Wetter, das in diesem Jahr sehr seltsam war." in texts
    assert "Also es war sehr warm, viel wärmer als sonst und es hat kaum geregnet." in texts


def test_article_detected() -> None:
    article = "\n\n".join(
        "Die Stadt plant eine neue Brücke über den Fluss, die im nächsten Jahr fertig sein soll. " * 2
        for _ in range(10)
    )
    assert detect_kind(cleaning.clean(article).paragraphs) is Kind.ARTICLE


# --- 4. sentences ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Das ist gut, d. h. wir gehen. Dann essen wir.", ["Das ist gut, d. h. wir gehen.", "Dann essen wir."]),
        ("Es gibt z. B. Äpfel. Und Birnen.", ["Es gibt z. B. Äpfel.", "Und Birnen."]),
        ("Sie kamen u. a. aus Rom. Er blieb.", ["Sie kamen u. a. aus Rom.", "Er blieb."]),
        ("Es kostet 5,6 Mio. Euro. Das ist viel.", ["Es kostet 5,6 Mio. Euro.", "Das ist viel."]),
        ("Es waren 3 Mrd. Menschen. Gut.", ["Es waren 3 Mrd. Menschen.", "Gut."]),
        ("Er wohnt in Nr. 5. Sie nicht.", ["Er wohnt in Nr. 5.", "Sie nicht."]),
        ("Das ist bzw. war so. Ja.", ["Das ist bzw. war so.", "Ja."]),
        ("Es sind ca. 20 Leute. Gut.", ["Es sind ca. 20 Leute.", "Gut."]),
        ("Dr. Meier kommt. Er ist Arzt.", ["Dr. Meier kommt.", "Er ist Arzt."]),
        ("Äpfel, Birnen usw. Das reicht.", ["Äpfel, Birnen usw. Das reicht."]),
        ("Am 20. Januar 2025 kam es. Dann ging es.", ["Am 20. Januar 2025 kam es.", "Dann ging es."]),
        ("Er wurde am 3. Tag gesund. Gut.", ["Er wurde am 3. Tag gesund.", "Gut."]),
        ("Der Wert sank um 592,7 Punkte. Das ist viel.", ["Der Wert sank um 592,7 Punkte.", "Das ist viel."]),
        ("Er sagte: „Das ist gut.“ Dann ging er.", ["Er sagte: „Das ist gut.“", "Dann ging er."]),
        ("Wer kommt? Ich! Gut.", ["Wer kommt?", "Ich!", "Gut."]),
        ("Es war im Jahr 2023. Danach kam 2024.", ["Es war im Jahr 2023.", "Danach kam 2024."]),
        ("Es wartet... Dann kommt es.", ["Es wartet...", "Dann kommt es."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


# --- 5. tokens -------------------------------------------------------------------------------------------


def _lemmas(sentence: str) -> dict[str, str]:
    return {t.text: t.lemma for t in tag_tokens(sentence)}


@pytest.mark.parametrize(
    ("sentence", "parts", "lemma"),
    [
        ("Die Firma holt den Rückstand schnell auf.", ("holt", "auf"), "aufholen"),
        ("Das Bild stellt einen Hund dar.", ("stellt", "dar"), "darstellen"),
        ("Das neue Produkt mischt den Markt auf.", ("mischt", "auf"), "aufmischen"),
        ("Wir rufen dich morgen an.", ("rufen", "an"), "anrufen"),
        ("Der Zug fährt pünktlich ab, und wir warten.", ("fährt", "ab"), "abfahren"),
    ],
)
def test_separable_verbs_join(sentence: str, parts: tuple[str, str], lemma: str) -> None:
    tokens = {t.text: t for t in tag_tokens(sentence)}
    for part in parts:
        assert tokens[part].lemma == lemma
        assert tokens[part].pos is Pos.VERB and tokens[part].separable


@pytest.mark.parametrize(
    ("sentence", "word", "lemma"),
    [
        ("Sie wollen den Rückstand aufzuholen versuchen.", "aufzuholen", "aufholen"),
        ("Die Firma hat den Rückstand aufgeholt.", "aufgeholt", "aufholen"),
    ],
)
def test_separable_verb_forms_in_one_word(sentence: str, word: str, lemma: str) -> None:
    assert _lemmas(sentence)[word] == lemma


def test_preposition_is_not_glued_to_the_verb() -> None:
    tokens = tag_tokens("Die Gruppe stellt diese Annahme auf den Kopf.")
    stellt = next(t for t in tokens if t.text == "stellt")
    assert stellt.lemma == "stellen" and not stellt.separable
    assert next(t for t in tokens if t.text == "auf").lemma == "auf"


class SetNouns:
    """A fake noun oracle: the lexicon's job, swapped for a set."""

    def __init__(self, nouns: set[str]) -> None:
        self.nouns = nouns

    def is_common_noun(self, word: str) -> bool:
        return word in self.nouns


def test_nouns_keep_capitals_and_verbs_do_not() -> None:
    sentence = "Das Essen ist gut, und wir essen gern Modellen zu."
    tokens = {t.text: t for t in tag_tokens(sentence, nouns=SetNouns({"Essen"}))}
    assert tokens["Essen"].lemma == "Essen" and tokens["Essen"].pos is Pos.NOUN
    assert tokens["essen"].lemma == "essen" and tokens["essen"].pos is Pos.VERB
    assert tokens["Modellen"].lemma == "Modell"


def test_eszett_kept() -> None:
    tokens = {t.text: t for t in tag_tokens("Die Straße ist groß und die Maßnahme gut.")}
    assert tokens["Straße"].lemma == "Straße"
    assert tokens["Maßnahme"].lemma == "Maßnahme"
    assert tokens["groß"].lemma == "groß"


@pytest.mark.parametrize("name", ["DeepSeek", "ChatGPT", "OpenAI", "R1", "DeepSeek-R1"])
def test_names_are_propn_without_level(name: str) -> None:
    token = next(t for t in tag_tokens(f"Gestern hat {name} die Welt überrascht.") if t.text == name)
    assert token.pos is Pos.PROPN and token.cefr is None


def test_tokens_cover_the_sentence() -> None:
    text = "Es kostet 5,6 Mio. USD – d. h. „viel“ (50.000 KI-Chips)!"
    tokens = tag_tokens(text)
    covered = "".join(text[t.start : t.end] for t in tokens)
    assert covered == text.replace(" ", "")
    assert [t.text for t in tokens if t.pos is Pos.NUM] == ["5,6", "50.000"]
    assert "Mio." in [t.text for t in tokens]


# --- 6. difficulty ---------------------------------------------------------------------------------------

SIMPLE = "Ich habe einen Hund. Der Hund ist groß. Wir gehen jeden Tag in den Park. Das Wetter ist gut."
DENSE = (
    "Die Implementierung regulatorischer Rahmenbedingungen erfordert eine differenzierte Abwägung "
    "konkurrierender Interessen, wobei insbesondere die Interoperabilität heterogener Infrastrukturen "
    "und die Gewährleistung datenschutzrechtlicher Anforderungen berücksichtigt werden müssen."
)


def test_simple_text_grades_lower_than_dense_text() -> None:
    from lessons.model import CEFR_LEVELS

    simple, dense = build_lesson(SIMPLE), build_lesson(DENSE)
    assert CEFR_LEVELS.index(simple.cefr) < CEFR_LEVELS.index(dense.cefr)
    assert simple.cefr in ("A1", "A2")


@pytest.mark.parametrize(
    ("zipf", "band"), [(6.0, "A1"), (4.7, "A2"), (4.2, "B1"), (3.6, "B2"), (3.1, "C1"), (1.0, "C2")]
)
def test_zipf_bands(zipf: float, band: str) -> None:
    from lessons.difficulty import cefr_for_zipf

    assert cefr_for_zipf(zipf) == band


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Was bedeutet Open-Source-KI und warum ist DeepSeek anders?", "bedeutet-open-source-ki"),
        ("Große Straßen in Köln", "grosse-strassen-koeln"),
        ("", "lesson"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


# --- the fast path for book-length texts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "parts", "lemma"),
    [
        ("Die Firma holt den Rückstand schnell auf.", ("holt", "auf"), "aufholen"),
        ("Das Bild stellt einen Hund dar.", ("stellt", "dar"), "darstellen"),
        ("Wir rufen dich morgen an, und sie kommt.", ("rufen", "an"), "anrufen"),
    ],
)
def test_out_of_context_tagging_joins_separable_verbs(sentence: str, parts: tuple[str, str], lemma: str) -> None:
    tokens = {t.text: t for t in tag_tokens(sentence, context=False)}
    assert all(tokens[p].lemma == lemma and tokens[p].separable for p in parts)


def test_out_of_context_tagging_keeps_prepositions_and_capitals() -> None:
    tokens = {t.text: t for t in tag_tokens("Die Gruppe stellt diese Annahme auf den Kopf.", context=False)}
    assert tokens["stellt"].lemma == "stellen" and not tokens["stellt"].separable
    assert tokens["Annahme"].pos is Pos.NOUN and tokens["Annahme"].lemma == "Annahme"
    assert tokens["Kopf"].pos is Pos.NOUN


def test_long_texts_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import lessons.pipeline as pipeline

    calls: list[bool] = []
    real = pipeline.tag_tokens

    def spy(text, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["context"])
        return real(text, **kwargs)

    monkeypatch.setattr(pipeline, "tag_tokens", spy)
    monkeypatch.setattr(pipeline, "CONTEXT_TAGGING_LIMIT", 10)
    build_lesson("Der Hund schläft. Die Katze spielt im Garten mit einem Ball und lacht laut.")
    assert calls == [False, False]
    monkeypatch.setattr(pipeline, "CONTEXT_TAGGING_LIMIT", 1000)
    calls.clear()
    build_lesson("Der Hund schläft.")
    assert calls == [True]


def test_lesson_cache_format_round_trip(seed_lessons: dict[str, object]) -> None:
    from lessons.model import lesson_cache_lines, lesson_from_cache_lines

    for lesson in seed_lessons.values():
        lines = list(lesson_cache_lines(lesson))
        assert len(lines) == len(lesson.sentences) + 1
        assert lesson_from_cache_lines(lines) == lesson
        with pytest.raises(ValueError):
            lesson_from_cache_lines(lines[:-1])  # a truncated file is never trusted


HARD_WRAPPED = """Ein Mathematikprofessor trägt sein Fahrrad über den Universitätsplatz. Ein
Bekannter spricht ihn an, ob denn sein Fahrrad kaputt sei. Darauf schaut der
Professor verdutzt auf das Rad in seinen Händen und spricht: Ich hatte das Rad
heute mit im Haus gehabt und als ich es dann die Treppe herunter getragen habe,
habe ich offensichtlich vergessen, es wieder abzusetzen. Alle lachen über ihn.
Ein anderer Professor ist angeregt in ein Gespräch mit einem Fachkollegen ver-
tieft. Er unterbricht dieses Gespräch auch nicht, als sich seine eigene Frau
grüßend hinzugesellt. Da diese keine Beachtung findet, verlässt sie kurz darauf
die beiden Wissenschaftler wieder. Nachdem der Disput beendet war, fragt er den
Kollegen, wer eigentlich die nette Dame vorhin war. Der Kollege lacht nur laut.
"""


def test_hard_wrapped_prose_is_an_article_and_hyphenation_is_undone() -> None:
    draft = build_lesson(HARD_WRAPPED)
    assert draft.kind is Kind.ARTICLE
    texts = [s.text for s in draft.sentences]
    assert "Ein anderer Professor ist angeregt in ein Gespräch mit einem Fachkollegen vertieft." in texts


def test_transcript_fragments_are_not_taken_for_wrapping() -> None:
    assert build_lesson(TRANSCRIPT).kind is Kind.TRANSCRIPT


# --- per-form memo (a book's repeated words are tagged once) ------------------------------------------------

_MEMO_TEXT = [
    "Essen ist gut. Wir essen Essen in Essen.",  # noun, verb and city share one form
    "Meta und Google wachsen. Google Meta sagt man nicht.",  # a name after a name, and first in a sentence
    "Gestern sprach High Flyer. High Flyer ist eine Firma.",
    "Die Firma holt auf. Sie holt den Ball. Auf den Tisch!",  # a separable particle, then a preposition
    "KI-Modelle sind neu. Die KI-Modelle von DeepSeek-R1 lernen.",
    "Benutzen wir das Netz. Der Unterschied beim Benutzen ist klein.",  # first in a sentence or not
    "Gestern kam High Flyer. Der Flyer liegt hier. Er traf Meta Flyer.",  # after a name or not
]


class _NoMemo(dict):  # type: ignore[type-arg]
    """A memo that forgets: every token is tagged from scratch."""

    def __setitem__(self, key: object, value: object) -> None:
        pass


@pytest.mark.parametrize("context", [True, False])
@pytest.mark.parametrize("text", _MEMO_TEXT)
def test_shared_memo_gives_the_same_tokens_as_tagging_each_token_afresh(text: str, context: bool) -> None:
    from lessons.sentences import split_sentences

    nouns = SetNouns({"Essen", "Ball", "Tisch", "Firma", "Flyer", "Netz"})
    memo: dict = {}
    for sentence in split_sentences(text):
        shared = tag_tokens(sentence, nouns=nouns, context=context, memo=memo)
        assert shared == tag_tokens(sentence, nouns=nouns, context=context, memo=_NoMemo()), sentence
    assert memo, "the memo was filled"


@pytest.mark.parametrize("context", [True, False])
@pytest.mark.parametrize(
    ("sentence", "part"),
    [
        ("Die Arbeits- und Sozialminister tagen.", "Arbeits-"),
        ("Die Bundes-Arbeits- und Sozialminister tagen.", "Bundes-Arbeits-"),  # crashed the fast path
    ],
)
def test_a_truncated_compound_part_keeps_its_form(sentence: str, part: str, context: bool) -> None:
    tokens = {t.text: t for t in tag_tokens(sentence, context=context)}
    assert tokens[part].lemma == part


@pytest.mark.parametrize("enabled_before", [True, False])
def test_collector_paused_restores_the_collector_even_on_errors(enabled_before: bool) -> None:
    import gc

    from lessons.pipeline import collector_paused

    was = gc.isenabled()
    try:
        gc.enable() if enabled_before else gc.disable()
        with pytest.raises(ValueError), collector_paused():
            assert not gc.isenabled()
            raise ValueError("boom")
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("DeepSeek", True), ("ChatGPT", True), ("R1", True), ("DeepSeek-R1", True), ("iPhone", True),
        ("ÖkoTest", True), ("x86", True), ("4K", True), ("DeepSeek-Modell", False), ("Haus", False),
        ("haus", False), ("KI", False), ("USA", False), ("Straße", False), ("Ärzte", False), ("2025", False),
    ],
)
def test_name_shapes(word: str, name: bool) -> None:
    from lessons.tokens import looks_like_name

    assert looks_like_name(word) is name


@pytest.mark.parametrize(
    "args",
    [
        ("Haus", "Haus", Pos.NOUN, 3, 7),
        ("holt", "aufholen", Pos.VERB, 0, 4, 3.2, "B1", False, True),
        (".", ".", Pos.PUNCT, 10, 11, 0.0, None, True, False),
    ],
)
def test_make_token_is_the_dataclass_constructor(args: tuple) -> None:
    import dataclasses
    import inspect

    from lessons.model import Token, make_token

    made, built = make_token(*args), Token(*args)
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    fields = [(f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
              for f in dataclasses.fields(Token)]
    assert fields == [(p.name, p.default) for p in inspect.signature(make_token).parameters.values()]
    assert not hasattr(Token, "__post_init__")  # make_token would skip it
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.lemma = "x"  # type: ignore[misc]
