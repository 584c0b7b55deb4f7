"""Meanings, offline first: the English for every word and sentence of a lesson, with where it came from.

Words: the curated in-context glossary of a bundled lesson, then the dictionary (Ding), then the glosses of
a compound's parts, then — only when the learner turned online mode on — an online word service.
Sentences: the curated translation, then a cached online translation, then (online mode) a fresh one, else
a word-by-word gloss line built offline.

Every meaning carries its source ("curated", "dictionary", "compound parts", or the online service's name),
and every consumer shows it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lessons import curated
from lessons.model import CONTENT_POS, Lesson, Pos, Sentence, Token

if TYPE_CHECKING:
    from lessons.lexicon import Gloss, NounInfo
    from lessons.online import Translator

CURATED = "curated"
DICTIONARY = "dictionary"
COMPOUND = "compound parts"
WORD_BY_WORD = "word-by-word glosses (offline)"


class Lexical(Protocol):
    """The lexicon as meanings need it (``lessons.lexicon.Lexicon``; tests pass a fake)."""

    def glosses(self, lemma: str, pos: str | None = None, limit: int = 5) -> list[Gloss]: ...

    def noun(self, lemma: str) -> NounInfo | None: ...

    def split_compound(self, word: str) -> list[str] | None: ...


@dataclass(frozen=True, slots=True)
class Meaning:
    english: str
    source: str
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        data = {"english": self.english, "source": self.source}
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a compound with its best gloss."""

    lemma: str
    english: str | None


@dataclass(frozen=True, slots=True)
class WordInfo:
    """All a learner sees about a word: grammar, meanings (best first), compound parts."""

    lemma: str
    pos: str
    meanings: tuple[Meaning, ...] = ()
    article: str | None = None
    gender: str | None = None
    plural: str | None = None
    genitive: str | None = None
    grammar_source: str | None = None
    parts: tuple[Part, ...] = ()

    @property
    def display(self) -> str:
        """The word as a learner writes it: nouns with their article ("die Rechenleistung")."""
        return f"{self.article} {self.lemma}" if self.article else self.lemma

    @property
    def best(self) -> Meaning | None:
        return self.meanings[0] if self.meanings else None

    def to_dict(self) -> dict[str, object]:
        return {
            "lemma": self.lemma,
            "display": self.display,
            "pos": self.pos,
            "article": self.article,
            "gender": self.gender,
            "plural": self.plural,
            "genitive": self.genitive,
            "grammar_source": self.grammar_source,
            "glosses": [m.to_dict() for m in self.meanings],
            "parts": [{"lemma": p.lemma, "english": p.english} for p in self.parts],
        }


@dataclass
class Meanings:
    """Looks up meanings; thread-safe for the TUI's workers (the lexicon locks its own connection)."""

    lexicon: Lexical | None
    seeds: Path | None = None
    translator: Translator | None = None
    _cache: dict[tuple[str, str, str], WordInfo] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _curated(self, source: str | None) -> curated.CuratedLesson:
        if self.seeds is None or source is None:
            return curated.EMPTY
        return curated.curated_for(self.seeds, source)

    # --- words -----------------------------------------------------------------------------------------

    def word(self, lemma: str, pos: str, source: str | None = None) -> WordInfo:
        key = (lemma, pos, source or "")
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        info = self._word(lemma, pos, source)
        with self._lock:
            self._cache[key] = info
        return info

    def _word(self, lemma: str, pos: str, source: str | None) -> WordInfo:
        meanings: list[Meaning] = []
        gloss = self._curated(source).gloss(lemma, pos)
        if gloss is not None:
            meanings.append(Meaning(gloss.english, CURATED, gloss.note))
        article = gender = plural = genitive = grammar_source = None
        parts: tuple[Part, ...] = ()
        if self.lexicon is not None:
            lexical_pos = pos if pos in {p.value for p in CONTENT_POS} else None
            for found in self.lexicon.glosses(lemma, lexical_pos, limit=6):
                source_name = COMPOUND if found.source == "compound" else DICTIONARY
                if all(m.english != found.english for m in meanings):
                    meanings.append(Meaning(found.english, source_name))
            if pos == Pos.NOUN:
                noun = self.lexicon.noun(lemma)
                if noun is not None:
                    article, gender, plural, genitive = noun.article, noun.gender, noun.plural, noun.genitive
                    grammar_source = noun.source
            # Compounds are nouns and adjectives; a verb's prefix is not a part to gloss.
            split = self.lexicon.split_compound(lemma) if pos in (Pos.NOUN, Pos.ADJ) else None
            if split and len(split) > 1:
                parts = tuple(Part(p, self._part_gloss(p)) for p in split)
        if self.translator is not None and not meanings:
            meanings.extend(self._online_word(lemma))
        return WordInfo(lemma, pos, tuple(meanings), article, gender, plural, genitive, grammar_source, parts)

    def _part_gloss(self, part: str) -> str | None:
        assert self.lexicon is not None
        found = self.lexicon.glosses(part, None, limit=1)
        return found[0].english.split(";")[0].strip() if found else None

    def _online_word(self, lemma: str) -> list[Meaning]:
        from lessons.online import OnlineTranslationError

        assert self.translator is not None
        try:
            return [Meaning(t.text, t.source) for t in self.translator.translate_word(lemma)[:3]]
        except OnlineTranslationError:
            return []

    def token_gloss(self, token: Token, source: str | None = None) -> Meaning | None:
        """The best meaning of a token in its lesson (None for punctuation, numbers and names)."""
        if token.pos in (Pos.PUNCT, Pos.NUM, Pos.PROPN):
            return None
        return self.word(token.lemma, str(token.pos), source).best

    # --- sentences -------------------------------------------------------------------------------------

    def translation(self, sentence: Sentence, source: str | None = None) -> Meaning | None:
        """Curated, else online (cached first; fresh only in online mode). None if neither has one."""
        text = self._curated(source).translation(sentence.text)
        if text is None and sentence.original is not None:
            text = self._curated(source).translation(sentence.original)
        if text is not None:
            return Meaning(text, CURATED)
        if self.translator is not None:
            from lessons.online import OnlineTranslationError

            try:
                found = self.translator.translate_sentence(sentence.text)
            except OnlineTranslationError:
                return None
            return Meaning(found.text, found.source)
        return None

    def word_by_word(self, sentence: Sentence, source: str | None = None) -> str:
        """An offline stand-in for a translation: each content word's gloss in sentence order."""
        pieces = []
        for token in sentence.tokens:
            if token.pos in CONTENT_POS and not token.function_word:
                meaning = self.token_gloss(token, source)
                pieces.append(f"{token.text} = {meaning.english}" if meaning else token.text)
        return " · ".join(pieces)


def enrich(data: dict[str, object], lesson: Lesson, meanings: Meanings) -> dict[str, object]:
    """``show --json``: tokens gain ``gloss``/``gloss_source``; sentences ``translation``/``translation_source``."""
    sentences: Sequence[dict[str, object]] = data["sentences"]  # type: ignore[assignment]
    for sentence, sentence_json in zip(lesson.sentences, sentences, strict=True):
        translation = meanings.translation(sentence, lesson.source)
        sentence_json["translation"] = translation.english if translation else None
        sentence_json["translation_source"] = translation.source if translation else None
        tokens_json: Sequence[dict[str, object]] = sentence_json["tokens"]  # type: ignore[assignment]
        for token, token_json in zip(sentence.tokens, tokens_json, strict=True):
            gloss = meanings.token_gloss(token, lesson.source)
            token_json["gloss"] = gloss.english if gloss else None
            token_json["gloss_source"] = gloss.source if gloss else None
    return data
