"""``lesestoff gloss WORD``: lemma, part of speech, noun grammar, meanings with sources, compound parts."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from lessons.errors import UserError
from lessons.model import Pos
from lessons.paths import Paths


def add_meaning_commands(subparsers: Any) -> None:
    p = subparsers.add_parser("gloss", help="look up a German word: lemma, article, plural, meanings, parts")
    p.add_argument("word", metavar="WORD")
    p.add_argument("--pos", choices=[p.value for p in Pos], help="the part of speech, if the word is ambiguous")
    p.add_argument("--lesson", metavar="ID", help="prefer the meaning in this lesson (curated glossary)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_gloss)


def analyse(word: str, pos: str | None = None) -> tuple[str, str, float, str | None]:
    """(lemma, pos, zipf, cefr) of a single word out of context.

    HanTa's tag candidates for the word alone, filtered by German capitalisation (a lower-case word is never
    a noun), then the pipeline's own lemma rules.
    """
    from lessons.difficulty import cefr_for_zipf
    from lessons.tokens import _coarse, _lemma, _Tagger, looks_like_name, split_tokens

    word = word.strip()
    spans = split_tokens(word)
    if not word or len(spans) != 1 or spans[0][3] not in ("word", "abbr"):
        raise UserError(f"{word!r} is not a single German word")
    capital = word[:1].isupper()
    if pos is None:
        candidates = [_coarse(tag) for tag, _ in _Tagger.get().tag_word(word)]
        fitting = [p for p in candidates if (p in (Pos.NOUN, Pos.PROPN)) == capital and p is not Pos.PUNCT]
        chosen = fitting[0] if fitting else (Pos.NOUN if capital else Pos.ADJ)
        if capital and (chosen is Pos.PROPN and not looks_like_name(word)):
            chosen = Pos.NOUN  # out of context a capitalised word is looked up as a noun
    else:
        chosen = Pos(pos)
    hanta_lemma = _Tagger.get().analyze(word)[0] if chosen is not Pos.NOUN else word
    lemma = _lemma(word, chosen, hanta_lemma, sentence_initial=False)
    from lessons.tokens import lemma_zipf

    zipf = round(lemma_zipf(lemma), 2) if chosen is not Pos.PROPN else 0.0
    return lemma, str(chosen), zipf, None if chosen is Pos.PROPN else cefr_for_zipf(zipf)


def cmd_gloss(args: argparse.Namespace, paths: Paths) -> int:
    from lessons.services import open_meanings

    lemma, pos, zipf, cefr = analyse(args.word, args.pos)
    source = None
    if args.lesson:
        from lessons.services import open_library

        source = open_library(paths).resolve(args.lesson).source
    info = open_meanings(paths).word(lemma, pos, source)
    if args.json:
        data = {"word": args.word, **info.to_dict(), "zipf": zipf, "cefr": cefr}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    head = info.display
    grammar = []
    if info.plural:
        grammar.append(f"plural {info.plural}")
    if info.genitive:
        grammar.append(f"genitive {info.genitive}")
    print(f"{head}  ({pos}{', ' + ', '.join(grammar) if grammar else ''}; {cefr or '-'}, Zipf {zipf})")
    if not info.meanings:
        print("  no meaning found (offline); try --online or `lesestoff dict status`")
    for meaning in info.meanings:
        note = f" — {meaning.note}" if meaning.note else ""
        print(f"  {meaning.english}  [{meaning.source}]{note}")
    if info.parts:
        parts = " + ".join(f"{p.lemma} ({p.english or '?'})" for p in info.parts)
        print(f"  parts: {parts}")
    return 0
