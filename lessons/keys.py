"""What identifies a text and a processed lesson: the text's content hash, its slug, the pipeline's fingerprint.

Kept apart from ``lessons.pipeline`` (which imports every stage) so the library can be listed without
loading the stages.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from pathlib import Path

PIPELINE_VERSION = 1
"""Bump when a stage changes its output: cached lessons of older versions are rebuilt."""

_STAGE_MODULES = (
    "cleaning",
    "kinds",
    "sentences",
    "tokens",
    "difficulty",
    "language",
    "pipeline",
    "model",
    "sources",
    "keys",
)


@functools.cache
def pipeline_fingerprint() -> str:
    """The version plus a hash of the stages' source, so an upgraded install never serves stale lessons."""
    digest = hashlib.sha256(str(PIPELINE_VERSION).encode())
    here = Path(__file__).parent
    for name in _STAGE_MODULES:
        try:
            digest.update((here / f"{name}.py").read_bytes())
        except OSError:
            digest.update(name.encode())
    return f"{PIPELINE_VERSION}-{digest.hexdigest()[:12]}"


_STOP_SLUG = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "und",
        "oder",
        "aber",
        "in",
        "im",
        "an",
        "am",
        "auf",
        "aus",
        "mit",
        "von",
        "vom",
        "zu",
        "zum",
        "zur",
        "für",
        "ist",
        "sind",
        "war",
        "hat",
        "haben",
        "es",
        "sich",
        "wie",
        "was",
        "warum",
        "wer",
        "the",
        "a",
        "of",
        "and",
        "to",
    ]
)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def slugify(title: str, max_words: int = 4, max_length: int = 40) -> str:
    """A short, readable id: "Was bedeutet Open-Source-KI …" → "bedeutet-open-source-ki"."""
    text = title.replace("ß", "ss")
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue")):
        text = text.replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text.lower()) if w]
    significant = [w for w in words if w not in _STOP_SLUG] or words
    slug = "-".join(significant[:max_words])[:max_length].strip("-")
    return slug or "lesson"
