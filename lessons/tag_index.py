"""HanTa's out-of-context tags for the words of its lexicon, as a small index: a book is tagged without HanTa.

Texts over ``tokens.CONTEXT_TAGGING_LIMIT`` words are tagged word by word: a word HanTa's lexicon knows gets
the tag ``tag_word`` ranks first, anything else a tag from its shape. For a known word that tag depends
only on the word lower-cased (HanTa's ``normalize``), whether its first letter is a capital, and whether
case counts (not at the start of a sentence). So the three answers for each of the 23,000 words of HanTa's
lexicon are computed once, by HanTa, into the cache dir (a JSON file of 0.8 MB, read in milliseconds), and a
book's import no longer loads HanTa's model (0.2 s with numpy, 46 MB). A form the index cannot answer for
(a capitalised spelling of a key that does not lower-case back to it, a key without letters) is left to
HanTa itself. Rebuilt when HanTa's version or model file changes.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lessons.compact import StaleIndex, package_fingerprint, read_or_build

ProgressFn = Callable[[str, float], None]

FORMAT = 1
MODEL = "morphmodel_ger.pgz"


_QUOTE_MARKS = frozenset(["`", "``", "´", "´´", "'", "''"])
"""What HanTa's ``normalize`` maps to '"' (its ``re_qmark``); any other word it lower-cases."""


class AskHanTa(Exception):
    """The index cannot tell for this form: ask HanTa."""


def model_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("HanTa")
    if spec is None or not spec.submodule_search_locations:
        raise OSError("HanTa is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / MODEL


def source_fingerprint() -> str:
    return package_fingerprint("HanTa", model_path())


class OutOfContextTags:
    """``tag(word, casesensitive)``: HanTa's first ``tag_word`` tag for a word of its lexicon, None for a word
    outside it (or with no tag); raises ``AskHanTa`` where only HanTa can tell."""

    def __init__(self, fingerprint: str, tags: dict[str, list[str | None]]) -> None:
        self.fingerprint = fingerprint
        self._tags = tags  # lower-cased word → [case ignored, lower-case first letter, capital first letter]

    def __len__(self) -> int:
        return len(self._tags)

    def tag(self, word: str, casesensitive: bool) -> str | None:
        found = self._tags.get('"' if word in _QUOTE_MARKS else word.lower())  # HanTa's normalize
        if found is None:
            return None
        if not casesensitive:
            return found[0]
        if word[:1].isupper():
            if len(found) < 3:
                raise AskHanTa(word)
            return found[2]
        return found[1]


def _first(tagged: list[tuple[str, float]]) -> str | None:
    return str(tagged[0][0]) if tagged else None


def build_tags(path: Path, tagger: Any, progress: ProgressFn | None = None) -> OutOfContextTags:
    """Ask ``tagger`` (HanTa) for every word of its lexicon and write the answers to ``path``."""
    stage = "tagger index"
    if progress is not None:
        progress(stage, 0.0)
    fingerprint = source_fingerprint()
    tags: dict[str, list[str | None]] = {}
    for word in tagger.cache:
        if not isinstance(word, str) or not word or tagger.normalize(word) != word:
            continue  # not a key HanTa's normalize gives: never asked for
        answers = [_first(tagger.tag_word(word, casesensitive=False)), _first(tagger.tag_word(word))]
        capital = word[:1].upper() + word[1:]
        if capital[:1].isupper() and tagger.normalize(capital) == word:
            answers.append(_first(tagger.tag_word(capital)))
        tags[word] = answers
    _write(path, {"format": FORMAT, "source": fingerprint, "tags": tags})
    if progress is not None:
        progress(stage, 1.0)
    return OutOfContextTags(fingerprint, tags)


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_tags(path: Path, fingerprint: str) -> OutOfContextTags:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        raise StaleIndex(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("source") != fingerprint:
        raise StaleIndex(f"{path}: built from another source")
    tags = data.get("tags")
    if not isinstance(tags, dict) or not all(isinstance(v, list) and 2 <= len(v) <= 3 for v in tags.values()):
        raise StaleIndex(f"{path}: not a tag table")
    return OutOfContextTags(fingerprint, tags)


def index_path(directory: Path) -> Path:
    return directory / "hanta-tags.json"


def open_tags(directory: Path, tagger: Callable[[], Any], progress: ProgressFn | None = None) -> OutOfContextTags:
    """The index in ``directory``, built with ``tagger()`` (HanTa, loaded only then) when missing or stale.

    Raises ``OSError`` when it cannot be written or HanTa is not installed.
    """
    path = index_path(directory)
    fingerprint = source_fingerprint()
    return read_or_build(lambda: read_tags(path, fingerprint), lambda: build_tags(path, tagger(), progress))
