"""Synthetic pronunciation audio: espeak-ng (German voice) piped through lame into a small mp3.

The voice is robotic; callers label it as synthetic. Clips are cached by a hash of voice and text, so
re-exporting a deck does not synthesise the same word again. Nothing here runs at import time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ESPEAK = "espeak-ng"
LAME = "lame"
VOICE = "de"
TIMEOUT = 20.0
"""Seconds each tool may run for one word (a word takes ~25 ms)."""

SYNTHETIC_LABEL = "synthetic voice (espeak-ng)"


class AudioError(RuntimeError):
    """Synthesis of one clip failed (tool error, timeout, empty output)."""


def tools_available() -> bool:
    """True when both espeak-ng and lame are on PATH."""
    return shutil.which(ESPEAK) is not None and shutil.which(LAME) is not None


def clip_name(text: str, voice: str = VOICE) -> str:
    """The media file name for ``text``: stable, ASCII, and namespaced (Anki's media folder is shared)."""
    digest = hashlib.sha256(f"{voice}\x00{text}".encode()).hexdigest()[:20]
    return f"lesestoff-{digest}.mp3"


def synthesize(text: str, cache_dir: Path, *, voice: str = VOICE, timeout: float = TIMEOUT) -> Path:
    """The cached mp3 for ``text``, synthesising it first if needed.

    The text goes to espeak-ng on stdin (never as an argument, so a word like "-x" cannot become an
    option). The clip is written to a temp file and moved into place, so a killed run never leaves a
    truncated clip in the cache. Raises ``AudioError`` on any failure.
    """
    text = " ".join(text.split())
    if not text:
        raise AudioError("nothing to say")
    espeak = shutil.which(ESPEAK)
    lame = shutil.which(LAME)
    if espeak is None or lame is None:
        raise AudioError(f"{ESPEAK}/{LAME} not found")
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / clip_name(text, voice)
    if target.is_file() and target.stat().st_size > 0:
        return target
    try:
        wav = subprocess.run(
            [espeak, "-v", voice, "-b", "1", "--stdout", "--stdin"],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=True,
        ).stdout
    except (subprocess.SubprocessError, OSError) as exc:
        raise AudioError(f"{ESPEAK} failed for {text!r}: {exc}") from exc
    if not wav:
        raise AudioError(f"{ESPEAK} produced no audio for {text!r}")
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".mp3", dir=cache_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        subprocess.run(
            [lame, "--quiet", "-V", "9", "--tc", "synthetic (espeak-ng)", "-", str(tmp)],
            input=wav,
            capture_output=True,
            timeout=timeout,
            check=True,
        )
        if tmp.stat().st_size == 0:
            raise AudioError(f"{LAME} produced an empty file for {text!r}")
        os.replace(tmp, target)
    except (subprocess.SubprocessError, OSError) as exc:
        raise AudioError(f"{LAME} failed for {text!r}: {exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target
