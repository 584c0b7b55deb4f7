"""Importing real material: formats, encodings, subtitles, and every kind of bad input.

Every fixture is generated in ``tmp_path``. A refused file must give exit code 2, exactly one line on stderr
(``lesestoff: error: …``), no traceback, and leave ``library.json`` and ``texts/`` exactly as they were.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from lessons import sources
from lessons.errors import UserError
from lessons.importing import foreign_language, import_one, import_paths
from lessons.library import Library
from lessons.model import Kind
from lessons.paths import Paths
from lessons.pipeline import build_lesson
from lessons.reading import MAX_BYTES
from lessons.sentences import MAX_SENTENCE_CHARS
from lessons.sources import Format, decode_bytes, detect_format, load_bytes, normalize

GERMAN = (
    "Der Hund läuft schnell über die Wiese. Die Katze schläft im Garten.\n\n"
    "Am Abend kommen alle Tiere nach Hause, und die Kinder essen eine warme Suppe.\n"
)
UMLAUTS = "Grüße aus München! Die Straße ist heute sehr schön, und „alle“ Kinder spielen draußen – für 5 €."


# --- helpers -----------------------------------------------------------------------------------------------


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """An empty library (no seeds: they are slow to build and tested elsewhere)."""
    seeds = tmp_path / "no-seeds"
    seeds.mkdir()
    return Library(Paths(tmp_path / "data"), seeds=seeds)


@pytest.fixture
def stocked(library: Library, tmp_path: Path) -> Library:
    """A library that already holds one imported text (so library.json and texts/ exist)."""
    first = tmp_path / "erster.txt"
    first.write_text("Der erste Text ist kurz. Er handelt von einem Baum im Wald.", encoding="utf-8")
    code, _, err = run_import(library, first)
    assert code == 0, err
    return library


def run_import(library: Library, *paths: Path | None, force: bool = False, stdin: bytes | None = None):
    out, err = io.StringIO(), io.StringIO()
    code = import_paths(
        library,
        list(paths),
        force=force,
        out=out,
        err=err,
        stdin=io.BytesIO(stdin) if stdin is not None else None,
    )
    return code, out.getvalue(), err.getvalue()


def state(paths: Paths) -> tuple[bytes | None, dict[str, bytes]]:
    index = paths.library_index.read_bytes() if paths.library_index.exists() else None
    texts = {p.name: p.read_bytes() for p in sorted(paths.texts.iterdir())} if paths.texts.exists() else {}
    return index, texts


def assert_refused(library: Library, *paths: Path | None, match: str, stdin: bytes | None = None) -> str:
    before = state(library.paths)
    code, out, err = run_import(library, *paths, stdin=stdin)
    assert code == 2
    assert out == ""
    assert err.startswith("lesestoff: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert match in err, err
    assert state(library.paths) == before, "a refused import changed the library"
    return err


def accepted(library: Library, path: Path | None, *, force: bool = False, stdin: bytes | None = None):
    code, out, err = run_import(library, path, force=force, stdin=stdin)
    assert code == 0, err
    assert "Traceback" not in err
    lesson = library.get(out.strip())
    return lesson, err


def texts_of(lesson) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.text for s in lesson.sentences]


# --- encodings ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
def test_unicode_encodings_import_silently(library: Library, tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "text.txt"
    path.write_bytes(bom + UMLAUTS.encode(encoding))
    lesson, err = accepted(library, path)
    assert err == ""
    assert " ".join(texts_of(lesson)) == UMLAUTS


def test_utf16_without_bom_is_recognised(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "text.txt"
    path.write_bytes(UMLAUTS.encode("utf-16-le"))
    lesson, err = accepted(library, path)
    assert " ".join(texts_of(lesson)) == UMLAUTS
    assert "UTF-16-LE" in err and err.count("\n") == 1


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encoding_detected_with_a_warning(library: Library, tmp_path: Path, encoding: str) -> None:
    text = UMLAUTS if encoding == "cp1252" else UMLAUTS.replace("„", '"').replace("“", '"').replace("–", "-")
    text = text.replace("€", "Euro") if encoding == "latin-1" else text
    path = tmp_path / "alt.txt"
    path.write_bytes(text.encode(encoding))
    lesson, err = accepted(library, path)
    assert " ".join(texts_of(lesson)) == text
    assert err.startswith("lesestoff: warning: ") and err.count("\n") == 1
    assert "assumed Windows-1252" in err


def test_mojibake_is_repaired(library: Library, tmp_path: Path) -> None:
    garbled = "Das Geschenk ist fÃ¼r dich. Es ist schÃ¶n und groÃŸ, sagt die GroÃŸmutter."
    path = tmp_path / "kaputt.txt"
    path.write_text(garbled, encoding="utf-8")
    lesson, err = accepted(library, path)
    assert texts_of(lesson) == ["Das Geschenk ist für dich.", "Es ist schön und groß, sagt die Großmutter."]
    assert "repaired" in err and err.count("\n") == 1


def test_normal_text_is_not_repaired() -> None:
    assert sources.repair_mojibake(UMLAUTS) == (UMLAUTS, 0)


def test_same_text_in_utf8_and_utf16_is_a_duplicate(stocked: Library, tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_bytes(GERMAN.encode("utf-8"))
    accepted(stocked, first)
    second = tmp_path / "b.txt"
    second.write_bytes(b"\xff\xfe" + GERMAN.replace("\n", "\r\n").encode("utf-16-le"))
    assert_refused(stocked, second, match="already in the library")


def test_duplicate_is_detected_by_content(stocked: Library, tmp_path: Path) -> None:
    copy = tmp_path / "kopie.md"
    copy.write_text("Der erste Text ist kurz. Er handelt von einem Baum im Wald.\n\n", encoding="utf-8")
    assert_refused(stocked, copy, match="already in the library as 'erste-text-kurz'")


def test_importing_a_seed_again_is_a_duplicate(seed_paths: Paths, tmp_path: Path) -> None:
    paths = Paths(tmp_path / "data").ensure()
    shutil.copytree(seed_paths.lesson_cache, paths.lesson_cache, dirs_exist_ok=True)  # seeds already built
    library = Library(paths)
    seed = sorted(library.seeds.glob("*.txt"))[0]
    copy = tmp_path / "copy.txt"
    copy.write_bytes(b"\xef\xbb\xbf" + seed.read_bytes().replace(b"\n", b"\r\n") + b"\n\n")
    assert_refused(library, copy, match="already in the library")


# --- formats -----------------------------------------------------------------------------------------------

MARKDOWN = """---
title: Ein Tag am Meer
date: 2024-07-01
---

# Ein Tag am Meer

Wir fahren **früh** am Morgen los. Das Wetter ist *schön* und [die Sonne](https://example.org/sonne) scheint.

![Strand](bild.png)

## Am Strand

- Die Kinder bauen eine `Sandburg`.
- Der Hund rennt ins Wasser.

```python
print("Das ist Code und kein Text.")
```

> Am Abend essen wir ~~Pizza~~ Fisch im Hafen.
"""


def test_markdown_markup_is_stripped(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "meer.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    lesson, err = accepted(library, path)
    assert err == ""
    assert lesson.title == "Ein Tag am Meer"
    assert lesson.date == "2024-07-01"
    body = " ".join(texts_of(lesson))
    assert "Wir fahren früh am Morgen los." in body
    assert "Das Wetter ist schön und die Sonne scheint." in body
    assert "Die Kinder bauen eine Sandburg." in body
    assert "Am Abend essen wir Pizza Fisch im Hafen." in body
    for markup in ("#", "**", "](", "https://", "![", "bild.png", "`", "print(", "~~", ">"):
        assert markup not in body, markup


HTML = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Der Hafen von Hamburg | Beispielzeitung</title>
<meta property="og:title" content="Der Hafen von Hamburg wächst">
<meta property="article:published_time" content="2025-03-14T08:00:00+01:00">
<script>var tracking = "Dieser Code gehört nicht zum Text.";</script><style>body { color: red }</style></head>
<body><nav><a href="/">Startseite</a> <a href="/politik">Politik</a> <a href="/sport">Sport</a></nav>
<div class="cookie">Wir verwenden Cookies. Akzeptieren Sie alle Cookies?</div>
<article><h1>Der Hafen von Hamburg wächst</h1>
<p>Der Hamburger Hafen hat im vergangenen Jahr mehr Container umgeschlagen als je zuvor. Die Zahl stieg um
fünf Prozent.</p>
<p>Viele Schiffe kommen aus Asien. Sie bringen Waren für ganz Europa, vor allem Kleidung und Elektronik.</p>
<p>Die Stadt will den Hafen weiter ausbauen. Umweltverbände kritisieren die Pläne, weil die Elbe dafür vertieft
werden muss.</p>
</article>
<footer>© 2025 Beispielzeitung · Impressum · Datenschutz · Kontakt</footer></body></html>
"""


@pytest.mark.parametrize("name", ["hafen.html", "hafen.htm", "gespeichert.txt", "seite"])
def test_html_main_text_title_and_date(library: Library, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(HTML, encoding="utf-8")
    lesson, err = accepted(library, path)
    assert err == ""
    assert lesson.title == "Der Hafen von Hamburg wächst"
    assert lesson.date == "2025-03-14"
    body = " ".join(texts_of(lesson))
    assert "Der Hamburger Hafen hat im vergangenen Jahr mehr Container umgeschlagen als je zuvor." in body
    assert "Umweltverbände kritisieren die Pläne" in body
    for boilerplate in ("Startseite", "Cookies", "Impressum", "tracking", "color", "<"):
        assert boilerplate not in body, boilerplate
    assert len({s.paragraph for s in lesson.sentences}) >= 3


def test_html_declared_charset_is_used(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "alt.html"
    path.write_bytes(HTML.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("latin-1"))
    lesson, err = accepted(library, path)
    assert err == ""
    assert lesson.title == "Der Hafen von Hamburg wächst"


def test_html_without_text_is_refused(stocked: Library, tmp_path: Path) -> None:
    path = tmp_path / "leer.html"
    path.write_text("<!DOCTYPE html><html><head><title>Leer</title></head><body><nav></nav></body></html>")
    assert_refused(stocked, path, match="no readable text")


def test_markup_in_plain_text_is_kept_literally(library: Library, tmp_path: Path) -> None:
    text = (
        "Im Editor schreibt man [bold]fett[/bold], und das ist kein Problem.\n"
        "Ein Skript beginnt mit <script>alert(1)</script> und endet dort.\n"
        "Auch [link=https://example.org]ein Link[/link] bleibt stehen."
    )
    path = tmp_path / "markup.txt"
    path.write_text(text, encoding="utf-8")
    lesson, _ = accepted(library, path)
    body = " ".join(texts_of(lesson))
    assert "[bold]fett[/bold]" in body
    assert "<script>alert(1)</script>" in body
    assert "[link=https://example.org]ein Link[/link]" in body


SRT = """1
00:00:01,000 --> 00:00:03,200
Guten Tag und herzlich willkommen

2
00:00:03,200 --> 00:00:05,900
zu unserem <i>Podcast</i> über das Wetter.

3
00:00:06,000 --> 00:00:08,000
[Musik]

4
00:00:08,500 --> 00:00:11,000
Heute sprechen wir über den Regen,
der gestern in Berlin fiel.

5
00:01:23,000 --> 00:01:26,000
- Wie war es bei Ihnen?
- Bei uns war es kalt.
"""

VTT = """WEBVTT
Kind: captions
Language: de

NOTE Dieser Kommentar gehört nicht zum Text.

STYLE
::cue { color: yellow }

intro
00:00:01.000 --> 00:00:03.200 align:start position:0%
<v Anna>Guten Tag und herzlich willkommen</v>

00:00:03.200 --> 00:00:05.900
Guten Tag und herzlich willkommen
zu unserem <c.yellow>Podcast</c> über das Wetter.

00:00:08.500 --> 00:00:11.000
Heute sprechen wir über den Regen,
der gestern in Berlin fiel.

01:23.000 --> 01:26.000
- Wie war es bei Ihnen?
- Bei uns war es kalt &amp; nass.
"""


def test_srt_becomes_a_transcript_with_start_times(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "podcast.srt"
    path.write_text(SRT, encoding="utf-8")
    lesson, err = accepted(library, path)
    assert err == ""
    assert lesson.kind is Kind.TRANSCRIPT
    assert [(s.start, s.text) for s in lesson.sentences] == [
        (1.0, "Guten Tag und herzlich willkommen zu unserem Podcast über das Wetter."),
        (8.5, "Heute sprechen wir über den Regen, der gestern in Berlin fiel."),
        (83.0, "Wie war es bei Ihnen?"),
        (83.0, "Bei uns war es kalt."),
    ]
    # The long pause before 00:01:23 ends a paragraph.
    assert lesson.sentences[2].paragraph > lesson.sentences[1].paragraph


def test_vtt_with_header_notes_tags_and_rolling_captions(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "podcast.vtt"
    path.write_text(VTT, encoding="utf-8")
    lesson, _ = accepted(library, path)
    assert [(s.start, s.text) for s in lesson.sentences] == [
        (1.0, "Guten Tag und herzlich willkommen zu unserem Podcast über das Wetter."),
        (8.5, "Heute sprechen wir über den Regen, der gestern in Berlin fiel."),
        (83.0, "Wie war es bei Ihnen?"),
        (83.0, "Bei uns war es kalt & nass."),
    ]
    assert "Kommentar" not in " ".join(texts_of(lesson))


def test_sentence_starts_where_its_first_cue_starts() -> None:
    cues = sources.parse_subtitles(
        "1\n00:00:10,000 --> 00:00:12,000\nDas ist der erste Satz. Und hier beginnt\n\n"
        "2\n00:00:12,000 --> 00:00:14,000\nder zweite Satz, der lang ist. Dann kommt\n\n"
        "3\n00:00:14,000 --> 00:00:16,000\nder dritte.\n"
    )
    draft = build_lesson("x", timed_lines=sources.timed_lines(cues), kind=Kind.TRANSCRIPT)
    assert [(s.start, s.text) for s in draft.sentences] == [
        (10.0, "Das ist der erste Satz."),
        (10.0, "Und hier beginnt der zweite Satz, der lang ist."),
        (12.0, "Dann kommt der dritte."),
    ]


def test_subtitle_times_survive_a_rebuild(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "podcast.srt"
    path.write_text(SRT, encoding="utf-8")
    lesson, _ = accepted(library, path)
    stored = [p for p in library.paths.texts.iterdir()]
    assert [p.suffix for p in stored] == [".vtt"]
    shutil.rmtree(library.paths.lesson_cache)
    rebuilt = Library(library.paths, seeds=library.seeds).get(lesson.id)
    assert [(s.start, s.text) for s in rebuilt.sentences] == [(s.start, s.text) for s in lesson.sentences]


def test_same_subtitles_as_srt_and_vtt_are_duplicates(library: Library, tmp_path: Path) -> None:
    srt = tmp_path / "a.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nDer Zug kommt heute später an.\n", encoding="utf-8")
    accepted(library, srt)
    vtt = tmp_path / "b.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDer Zug kommt heute später an.\n", encoding="utf-8")
    assert_refused(library, vtt, match="already in the library")


def test_subtitle_file_without_cues_is_refused(stocked: Library, tmp_path: Path) -> None:
    path = tmp_path / "leer.srt"
    path.write_text("Das ist keine Untertiteldatei, nur ein Satz.\n", encoding="utf-8")
    assert_refused(stocked, path, match="no subtitle cues")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.txt", "Ein ganz normaler Text.", Format.TEXT),
        ("a.md", "# Titel\n\nText.", Format.MARKDOWN),
        ("a.markdown", "Text.", Format.MARKDOWN),
        ("a.txt", "# Kein Markdown, nur eine Raute.", Format.TEXT),
        ("a.html", "<p>Ein Absatz.</p>", Format.HTML),
        ("a.txt", "<!doctype html><html><body><p>x</p></body></html>", Format.HTML),
        ("a.txt", "<!-- gespeichert -->\n<html lang='de'><p>x</p></html>", Format.HTML),
        ("a.txt", "<head><title>t</title></head><body>x</body>", Format.HTML),
        ("a.txt", "Ein Text über <script> und <body> in HTML.", Format.TEXT),
        ("a.srt", "1\n00:00:01,000 --> 00:00:02,000\nHallo\n", Format.SRT),
        ("a.txt", "1\n00:00:01,000 --> 00:00:02,000\nHallo\n", Format.SRT),
        ("a.txt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHallo\n", Format.VTT),
        ("a.srt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHallo\n", Format.VTT),
        ("a.vtt", "00:01.000 --> 00:02.000\nHallo\n", Format.VTT),
        ("stdin", "Ein Text.", Format.TEXT),
    ],
)
def test_detect_format(name: str, content: str, expected: Format) -> None:
    assert detect_format(name, content) is expected


def test_stdin_goes_through_detection(library: Library) -> None:
    data = b"\xff\xfe" + SRT.encode("utf-16-le")
    lesson, err = accepted(library, None, stdin=data)
    assert err == ""
    assert lesson.source == "stdin"
    assert lesson.kind is Kind.TRANSCRIPT and lesson.sentences[0].start == 1.0


def test_stdin_in_cp1252_warns(library: Library) -> None:
    lesson, err = accepted(library, None, stdin=UMLAUTS.encode("cp1252"))
    assert " ".join(texts_of(lesson)) == UMLAUTS
    assert err.startswith("lesestoff: warning: stdin: ") and "Windows-1252" in err


# --- bad input ---------------------------------------------------------------------------------------------


def test_empty_file(stocked: Library, tmp_path: Path) -> None:
    path = tmp_path / "leer.txt"
    path.write_bytes(b"")
    assert_refused(stocked, path, match="the file is empty")


@pytest.mark.parametrize("content", [b"   \n\n\t  \r\n", b"\xef\xbb\xbf  \n", b"\xff\xfe \x00\n\x00"])
def test_whitespace_only_file(stocked: Library, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "leer.txt"
    path.write_bytes(content)
    assert_refused(stocked, path, match="only whitespace")


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _zip(tmp_path: Path) -> bytes:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("text.txt", GERMAN * 20)
    return archive.read_bytes()


@pytest.mark.parametrize(
    ("name", "make", "match"),
    [
        ("bild.png", lambda tmp: _png(), "binary file (PNG image), not text"),
        ("bild.txt", lambda tmp: _png(), "binary file (PNG image), not text"),
        ("archiv.zip", _zip, "binary file (ZIP archive"),
        ("foto.jpg", lambda tmp: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "JPEG image"),
        ("doc.pdf", lambda tmp: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF document"),
        ("programm", lambda tmp: b"\x7fELF\x02\x01\x01" + bytes(64), "executable"),
        ("daten.bin", lambda tmp: bytes(range(256)) * 8, "binary file (contains NUL bytes), not text"),
        ("text.txt", lambda tmp: GERMAN.encode() + b"\x00\x00\x00", "contains NUL bytes"),
        ("bom.txt", lambda tmp: b"\xff\xfe\x00binary\x00", "binary file"),
        ("rauschen.txt", lambda tmp: bytes((i * 167 + 13) % 127 + 129 for i in range(3000)), "binary file"),
    ],
)
def test_binary_files_are_refused(stocked: Library, tmp_path: Path, name: str, make, match: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    assert_refused(stocked, path, match=match)


ENGLISH = (
    "The weather was lovely yesterday, so we went for a long walk in the park. "
    "Afterwards we had coffee with our friends and talked about the holidays.\n\n"
    "Everybody agreed that the summer had been far too short this year."
)
CHINESE = "我们今天去公园散步。天气很好，孩子们在草地上玩。晚上我们在家里吃饭，然后看电视。"


@pytest.mark.parametrize(("text", "language"), [(ENGLISH, "English"), (CHINESE, "Chinese")])
def test_foreign_text_needs_force(stocked: Library, tmp_path: Path, text: str, language: str) -> None:
    path = tmp_path / "fremd.txt"
    path.write_text(text, encoding="utf-8")
    err = assert_refused(stocked, path, match="does not look German")
    assert language in err and "--force" in err
    lesson, warning = accepted(stocked, path, force=True)
    assert warning.startswith("lesestoff: warning: ") and warning.count("\n") == 1 and language in warning
    assert lesson.sentences, "a forced import keeps the foreign lines"
    # The forced lesson survives a rebuild from the stored text with its lines.
    shutil.rmtree(stocked.paths.lesson_cache)
    assert len(Library(stocked.paths, seeds=stocked.seeds).get(lesson.id).sentences) == len(lesson.sentences)


def test_german_with_some_english_passes(library: Library, tmp_path: Path) -> None:
    text = (
        "Das Meeting war super, wir haben viel Feedback bekommen und neue Ideen gesammelt.\n"
        "Our manager said: this is the best team I have ever worked with in my whole career.\n"
        "Danach sind alle zusammen essen gegangen, und am Abend haben wir noch lange geredet.\n"
        "Am nächsten Tag war das Wetter schlecht, aber die Stimmung im Büro war sehr gut."
    )
    path = tmp_path / "gemischt.txt"
    path.write_text(text, encoding="utf-8")
    lesson, err = accepted(library, path)
    assert err == ""
    assert foreign_language(text) is None
    assert any("Meeting" in s for s in texts_of(lesson))


def test_huge_file_is_refused_before_reading(stocked: Library, tmp_path: Path) -> None:
    path = tmp_path / "riesig.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: no disk space used
    err = assert_refused(stocked, path, match="larger than the 20 MB import limit")
    assert "20.0 MB" in err


def test_huge_stdin_is_refused(stocked: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_BYTES", 1000)
    monkeypatch.setattr(sources, "CHUNK_BYTES", 256)
    assert_refused(stocked, None, stdin=GERMAN.encode() * 20, match="import limit")


def test_reading_streams_in_chunks_with_progress(library: Library, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sources, "CHUNK_BYTES", 4096)
    path = tmp_path / "lang.txt"
    paragraphs = (f"Am Tag {i} läuft der Hund über die Wiese. Die Katze Nummer {i} schläft." for i in range(600))
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    seen: list[tuple[str, float]] = []
    lesson = import_one(library, path, progress=lambda stage, fraction: seen.append((stage, fraction)))
    reading = [f for s, f in seen if s == "reading"]
    processing = [f for s, f in seen if s == "processing"]
    assert len(reading) >= path.stat().st_size // 4096
    assert reading == sorted(reading) and reading[-1] == 1.0
    assert len(processing) > 10 and processing == sorted(processing) and processing[-1] == 1.0
    assert [s for s, _ in seen] == sorted((s for s, _ in seen), key=["reading", "processing"].index)
    assert len(lesson.sentences) == 1200


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_loading_holds_the_text_about_once(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "gross.txt"
    path.write_bytes(((GERMAN + "\n") * 25_000).encode(encoding))  # 4-8 MB
    size = path.stat().st_size
    tracemalloc.start()
    try:
        source = sources.load_path(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(source.text) > size * 0.45
    # Bytes, text and one working copy; encoding detection looks at a sample of at most 1 MB.
    assert peak < 3.5 * size + 16 * 2**20, f"peak {peak / size:.1f}× the file size"


def test_one_megabyte_line_without_punctuation_does_not_hang(library: Library, tmp_path: Path) -> None:
    words = GERMAN.replace(".", "").replace(",", "").split()
    line = " ".join(words[i % len(words)] + ("" if i % 7 else "s") for i in range(150_000))[: 1 << 20]
    path = tmp_path / "zeile.txt"
    path.write_text(line, encoding="utf-8")
    began = time.monotonic()
    lesson, _ = accepted(library, path)
    assert time.monotonic() - began < 120
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in lesson.sentences)
    assert len(lesson.sentences) >= len(line) // MAX_SENTENCE_CHARS
    assert sum(len(s.text) for s in lesson.sentences) >= len(line) - len(lesson.sentences) - 1


def test_long_run_without_spaces_is_cut_and_tagged_quickly() -> None:
    run = "".join(random.Random(1).choices("abcdefghijklmnopqrstuvwxyzäöüß", k=20_000))  # no two pieces alike
    began = time.monotonic()
    draft = build_lesson(run, keep_foreign=True)
    assert time.monotonic() - began < 30  # HanTa alone would take 14 s per 1000-letter piece
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in draft.sentences)
    assert "".join(s.text for s in draft.sentences) == run


def test_control_characters_and_ansi_escapes_are_stripped(library: Library, tmp_path: Path) -> None:
    text = (
        "\x1b[1;31mAchtung:\x1b[0m Der Zug\x07 fährt heute\x08 später ab.\r\n"
        "Die Fahrgäste\x1b]0;Titel\x07 warten\x0b am Gleis\u200b drei.\x7f\r\n"
    )
    path = tmp_path / "terminal.txt"
    path.write_bytes(text.encode("utf-8"))
    lesson, _ = accepted(library, path)
    assert texts_of(lesson) == ["Achtung: Der Zug fährt heute später ab.", "Die Fahrgäste warten am Gleis drei."]
    stored = next(library.paths.texts.iterdir()).read_text(encoding="utf-8")
    assert not any(ord(c) < 32 and c != "\n" for c in stored) and "\x7f" not in stored


def test_normalize_leaves_clean_text_alone() -> None:
    for seed in sorted(Path("seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        assert normalize(text) == text


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Satz eins. \t\nSatz zwei.", "Satz eins.\nSatz zwei."),
        ("Zeile\u00a0\u2003\u3000\nnoch eine  ", "Zeile\nnoch eine"),  # no-break, em and ideographic spaces
        ("  Einzug bleibt\n\tauch der Tab", "  Einzug bleibt\n\tauch der Tab"),  # only trailing space goes
        ("a \r\nb \rc", "a\nb\nc"),
        ("\n\nText\n\n\n", "Text"),
    ],
)
def test_normalize_drops_trailing_whitespace_of_each_line(text: str, normal: str) -> None:
    assert normalize(text) == normal
    assert normalize(normal) == normal


def test_missing_path(stocked: Library, tmp_path: Path) -> None:
    assert_refused(stocked, tmp_path / "gibt-es-nicht.txt", match="no such file")


def test_empty_directory(stocked: Library, tmp_path: Path) -> None:
    folder = tmp_path / "leer"
    folder.mkdir()
    assert_refused(stocked, folder, match="no files to import")


def test_not_a_regular_file(stocked: Library) -> None:
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    assert_refused(stocked, Path("/dev/null"), match="not a regular file")


def test_unreadable_file(stocked: Library, tmp_path: Path) -> None:
    path = tmp_path / "geheim.txt"
    path.write_text(GERMAN, encoding="utf-8")
    path.chmod(0)
    try:
        try:
            path.read_bytes()
        except PermissionError:
            pass
        else:
            pytest.skip("running as a user (root) who can read a chmod 000 file")
        assert_refused(stocked, path, match="permission denied")
    finally:
        path.chmod(0o644)


def test_permission_denied(stocked: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chmod 000 case for root, who can read anything: the open itself fails."""
    path = tmp_path / "geheim.txt"
    path.write_text(GERMAN, encoding="utf-8")
    real_open = Path.open

    def deny(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    assert_refused(stocked, path, match="permission denied")


def test_library_api_raises_one_line_errors(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "bild.png"
    path.write_bytes(_png())
    with pytest.raises(UserError, match="binary file"):
        library.import_file(path)
    good = tmp_path / "gut.txt"
    good.write_bytes(UMLAUTS.encode("cp1252"))
    lesson = library.import_file(good)
    assert lesson.warnings and "Windows-1252" in lesson.warnings[0]


def test_decode_reports_the_assumed_encoding() -> None:
    assert decode_bytes("ä".encode()).warning is None
    assert decode_bytes(b"\xef\xbb\xbfa").encoding == "UTF-8"
    guessed = decode_bytes(UMLAUTS.encode("cp1252"))
    assert guessed.text == UMLAUTS and guessed.encoding == "Windows-1252" and guessed.warning


def test_load_bytes_of_markup_only_markdown() -> None:
    with pytest.raises(UserError, match="no text left"):
        load_bytes(b"```\ncode\n```\n![bild](x.png)\n", "nur-code.md")


# --- the command line --------------------------------------------------------------------------------------


def problems(stderr: bytes) -> list[str]:
    """stderr lines about the files (a fresh data dir also reports its one-time lexicon build)."""
    return [line for line in stderr.decode().splitlines() if not line.endswith("(first run only) …")]


def cli(*args: str, home: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "LESESTOFF_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "tui.main", *args], capture_output=True, input=stdin, env=environment, timeout=300
    )


def test_cli_imports_a_folder_of_mixed_files(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = tmp_path / "material"
    folder.mkdir()
    (folder / "a-artikel.html").write_text(HTML, encoding="utf-8")
    (folder / "b-bild.png").write_bytes(_png())
    (folder / "c-english.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "d-leer.txt").write_bytes(b"")
    (folder / "e-podcast.srt").write_text(SRT, encoding="utf-8")
    (folder / "f-alt.txt").write_bytes(UMLAUTS.encode("cp1252"))
    (folder / "g-notizen.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "h-kopie.htm").write_text(HTML, encoding="utf-8")
    (folder / ".versteckt").write_bytes(_png())
    (folder / "unterordner").mkdir()
    (folder / "unterordner" / "tief.txt").write_text(GERMAN, encoding="utf-8")
    result = cli("import", str(folder), home=home)
    assert result.returncode == 2
    ids = result.stdout.decode().split()
    assert ids == ["hafen-hamburg-waechst", "guten-tag-herzlich-willkommen", "gruesse-muenchen", "tag-meer"]
    errors = problems(result.stderr)
    assert [line.split(": ")[0] for line in errors] == ["lesestoff"] * 5
    assert [(line.split(": ")[1], Path(line.split(": ")[2]).name) for line in errors] == [
        ("error", "b-bild.png"),
        ("error", "c-english.txt"),
        ("error", "d-leer.txt"),
        ("warning", "f-alt.txt"),
        ("error", "h-kopie.htm"),
    ]
    assert b"Traceback" not in result.stderr
    index = json.loads((home / "library.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in index["entries"]] == ids


def test_cli_show_prints_subtitle_times(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = tmp_path / "podcast.vtt"
    path.write_text(VTT, encoding="utf-8")
    imported = cli("import", str(path), home=home)
    assert imported.returncode == 0, imported.stderr
    lesson_id = imported.stdout.decode().strip()
    data = json.loads(cli("show", lesson_id, "--json", home=home).stdout)
    assert [s["start"] for s in data["sentences"]] == [1.0, 8.5, 83.0, 83.0]
    assert data["kind"] == "transcript"
    readable = cli("show", lesson_id, home=home).stdout.decode()
    assert "[00:00:01] Guten Tag und herzlich willkommen" in readable
    assert "[00:01:23] Wie war es bei Ihnen?" in readable


def test_cli_stdin_utf16_and_binary(tmp_path: Path) -> None:
    home = tmp_path / "home"
    good = cli("import", "-", home=home, stdin=b"\xff\xfe" + GERMAN.encode("utf-16-le"))
    assert good.returncode == 0 and problems(good.stderr) == []
    bad = cli("import", "-", home=home, stdin=_png())
    assert bad.returncode == 2
    assert problems(bad.stderr) == ["lesestoff: error: stdin: binary file (PNG image), not text"]
