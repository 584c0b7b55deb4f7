"""Curated lesson data kept beside the seed texts: sentence translations and in-context glossaries.

Files (plain, reviewable, one pair per seed text ``NAME.txt``):

* ``NAME.translations.toml`` — ``[[sentence]]`` tables with ``de`` (the sentence as the lesson shows it, after
  corrections) and ``en`` (its English translation).
* ``NAME.glossary.tsv`` — ``lemma<TAB>pos<TAB>english<TAB>note``: the meaning of each content lemma *in this
  text* ("Abverkauf" → "sell-off"), shown before dictionary glosses.

Everything loaded from here is labelled ``curated`` wherever it is shown.

``python -m lessons.curated missing [ID…]`` prints what a bundled lesson still lacks, in the files' formats.
"""

from __future__ import annotations

import csv
import sys
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lessons.model import CONTENT_POS, Lesson, Pos

SOURCE = "curated"


@dataclass(frozen=True, slots=True)
class CuratedGloss:
    lemma: str
    pos: str
    english: str
    note: str = ""
    source: str = SOURCE


def normalise(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class CuratedLesson:
    """Curated data for one seed text (empty for texts nobody curated)."""

    translations: dict[str, str]
    glossary: dict[tuple[str, str], CuratedGloss]

    def translation(self, sentence: str) -> str | None:
        return self.translations.get(normalise(sentence))

    def gloss(self, lemma: str, pos: str | None = None) -> CuratedGloss | None:
        if pos is not None and (lemma, pos) in self.glossary:
            return self.glossary[(lemma, pos)]
        return next((g for (lem, _), g in self.glossary.items() if lem == lemma), None)


EMPTY = CuratedLesson({}, {})


def stem_of(source: str) -> str:
    return source[:-4] if source.endswith(".txt") else source


@lru_cache(maxsize=64)
def _load(directory: str, stem: str, stamp: tuple[float, float]) -> CuratedLesson:
    base = Path(directory)
    translations: dict[str, str] = {}
    toml_path = base / f"{stem}.translations.toml"
    if toml_path.exists():
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        for item in data.get("sentence", []):
            translations[normalise(item["de"])] = item["en"].strip()
    glossary: dict[tuple[str, str], CuratedGloss] = {}
    tsv_path = base / f"{stem}.glossary.tsv"
    if tsv_path.exists():
        with tsv_path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if not row.get("lemma") or not row.get("english"):
                    continue
                gloss = CuratedGloss(
                    row["lemma"].strip(), row["pos"].strip(), row["english"].strip(), (row.get("note") or "").strip()
                )
                glossary[(gloss.lemma, gloss.pos)] = gloss
    return CuratedLesson(translations, glossary)


def curated_for(seeds: Path, source: str) -> CuratedLesson:
    """Curated data for the seed text named ``source`` (reloaded when its files change)."""
    stem = stem_of(source)
    stamps = []
    for suffix in (".translations.toml", ".glossary.tsv"):
        path = seeds / f"{stem}{suffix}"
        stamps.append(path.stat().st_mtime if path.exists() else 0.0)
    if not any(stamps):
        return EMPTY
    return _load(str(seeds), stem, (stamps[0], stamps[1]))


def content_lemmas(lesson: Lesson) -> list[tuple[str, Pos]]:
    """Each content lemma (names, numbers, punctuation and function words aside) in order of appearance."""
    seen: dict[tuple[str, Pos], None] = {}
    for sentence in lesson.sentences:
        for token in sentence.tokens:
            if token.pos in CONTENT_POS and not token.function_word:
                seen.setdefault((token.lemma, token.pos), None)
    return list(seen)


def missing(lesson: Lesson, curated: CuratedLesson) -> tuple[list[str], list[tuple[str, Pos]]]:
    sentences = [s.text for s in lesson.sentences if curated.translation(s.text) is None]
    lemmas = [(lemma, pos) for lemma, pos in content_lemmas(lesson) if curated.gloss(lemma, str(pos)) is None]
    return sentences, lemmas


def _main(argv: list[str]) -> int:
    from lessons.paths import resolve, seeds_dir
    from lessons.services import open_library

    if not argv or argv[0] != "missing":
        print("usage: python -m lessons.curated missing [ID…]", file=sys.stderr)
        return 2
    library = open_library(resolve())
    refs = argv[1:] or [e.id for e in library.entries() if e.builtin]
    for ref in refs:
        lesson = library.get(ref)
        sentences, lemmas = missing(lesson, curated_for(seeds_dir(), lesson.source))
        print(f"# {lesson.id} ({lesson.source}): {len(sentences)} sentences, {len(lemmas)} lemmas missing")
        for text in sentences:
            escaped = text.replace("\\", "\\\\").replace('"', '\\"')
            print(f'[[sentence]]\nde = "{escaped}"\nen = ""\n')
        for lemma, pos in lemmas:
            print(f"{lemma}\t{pos}\t\t")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
