"""The compact wordfreq indexes (``lessons.frequency``) and ``language.zipf`` on top of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import wordfreq

from lessons import compact, frequency, language
from lessons.compact import KeyTable


@pytest.fixture
def tiny_wordfreq(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """wordfreq's list replaced by three buckets, its fingerprint by a value the test can change."""
    pack = [[], ["der", "die"], ["Haus", "straße"], [], ["über", "x"]]
    monkeypatch.setattr(wordfreq, "read_cBpack", lambda _path: pack)
    fingerprints = ["source A"]
    monkeypatch.setattr(frequency, "source_fingerprint", lambda _lang: fingerprints[-1])
    return fingerprints


@pytest.fixture
def frequencies_restored() -> Iterator[None]:
    """``language`` keeps its table source process-wide: put it back after a test changes it."""
    saved = language._index_dir
    language._frequencies.cache_clear()
    yield
    language._index_dir = saved
    language._frequencies.cache_clear()
    language.zipf.cache_clear()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_index_gives_every_word_wordfreqs_frequency(lang: str, shared_cache: Path) -> None:
    index = frequency.open_index(lang, shared_cache / "indexes")
    table = wordfreq.get_frequency_dict(lang, "best")
    assert len(index) == len(table)
    assert [word for word, value in table.items() if index.get(word) != value] == []


@pytest.mark.parametrize("word", ["", "xqzvw", "Haus\u200b", "der der", "strasse", "\ud800"])
def test_absent_words_are_none(word: str, tiny_wordfreq: list[str], tmp_path: Path) -> None:
    index = frequency.open_index("de", tmp_path)
    assert index.get(word) is None
    assert word not in index


@pytest.mark.parametrize(("word", "zipf"), [("der", 8.99), ("die", 8.99), ("Haus", 8.98), ("über", 8.96), ("x", 8.96)])
def test_bucket_is_wordfreqs_centibels(word: str, zipf: float, tiny_wordfreq: list[str], tmp_path: Path) -> None:
    value = frequency.open_index("de", tmp_path).get(word)
    assert value is not None and round(wordfreq.freq_to_zipf(value), 2) == zipf


def test_index_is_rebuilt_when_wordfreq_changes(tiny_wordfreq: list[str], tmp_path: Path) -> None:
    frequency.open_index("de", tmp_path)
    built = (tmp_path / "wordfreq-de.idx").stat().st_mtime_ns
    assert frequency.open_index("de", tmp_path).fingerprint == "source A"
    assert (tmp_path / "wordfreq-de.idx").stat().st_mtime_ns == built  # a current index is read, not rebuilt
    tiny_wordfreq.append("source B")
    assert frequency.open_index("de", tmp_path).fingerprint == "source B"
    assert frequency.read_frequency_index(tmp_path / "wordfreq-de.idx", "de", "source B").get("Haus") is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-3],  # truncated blob
        lambda data: data[:200],  # truncated arrays
        lambda data: data + b"x",  # padded
        lambda data: b"not an index\n" + data,
        lambda data: data.replace(b'"format": 1', b'"format": 9'),
        lambda data: b"",
    ],
)
def test_damaged_index_is_rebuilt(damage, tiny_wordfreq: list[str], tmp_path: Path) -> None:
    frequency.open_index("de", tmp_path)
    path = tmp_path / "wordfreq-de.idx"
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(frequency.StaleIndex):
        frequency.read_frequency_index(path, "de", "source A")
    assert frequency.open_index("de", tmp_path).get("straße") is not None
    assert frequency.read_frequency_index(path, "de", "source A").get("die") is not None


def test_build_reports_progress(tiny_wordfreq: list[str], tmp_path: Path) -> None:
    seen: list[tuple[str, float]] = []
    frequency.open_index("de", tmp_path, lambda stage, fraction: seen.append((stage, fraction)))
    assert seen[0] == ("word frequencies (de)", 0.0) and seen[-1] == ("word frequencies (de)", 1.0)
    seen.clear()
    frequency.open_index("de", tmp_path, lambda stage, fraction: seen.append((stage, fraction)))
    assert seen == []  # reading a built index is not a build


@pytest.mark.parametrize(
    "word",
    [
        "KI-Modell",
        "3D",
        "e-mail",
        "rock'n'roll",
        "z.B.",
        "2024",
        "50.000",
        "i18n",
        "100-meter-lauf",
        "x86_64",
        "c++",
        "ab-",
        "--",
        "10.7.96",
        "500.000$",
        "grundgesetz-änderung",
    ],
)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_words_of_several_tokens_get_wordfreqs_zipf(word: str, lang: str, shared_cache: Path) -> None:
    index = frequency.open_index(lang, shared_cache / "indexes")
    assert language._combined_zipf(word, lang, index) == wordfreq.zipf_frequency(word, lang)


def test_zipf_served_from_the_index_once_configured(shared_cache: Path, frequencies_restored: None) -> None:
    language._index_dir = None
    language._frequencies.cache_clear()
    assert isinstance(language._frequencies("de"), dict)  # no index dir: wordfreq's own table
    language.use_frequency_index(shared_cache / "indexes")
    assert isinstance(language._frequencies("de"), frequency.FrequencyIndex)
    language.zipf.cache_clear()
    assert language.zipf("haus") == wordfreq.zipf_frequency("haus", "de")
    assert language.zipf("Straße") == wordfreq.zipf_frequency("Straße", "de")


def test_unwritable_cache_dir_falls_back_to_wordfreq(tmp_path: Path, frequencies_restored: None) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    language._index_dir = None
    language.use_frequency_index(blocker / "wordfreq")
    assert isinstance(language._frequencies("en"), dict)
    language.zipf.cache_clear()
    assert language.zipf("house", "en") == wordfreq.zipf_frequency("house", "en")


def test_key_table_tells_apart_keys_of_one_hash() -> None:
    keys = [b"plumless", b"buckeroo", b"Haus", b"", "Straße".encode()]  # the first two share a CRC-32
    table, order = KeyTable.build(keys)
    assert [table.key(i) for i in range(len(table))] == [keys[i] for i in order]
    for key in keys:
        assert table.key(table.find(key)) == key
    assert table.find(b"plumles") == -1 and table.find(b"buckeroos") == -1


def test_index_file_round_trip_and_damage(tmp_path: Path) -> None:
    table, _ = KeyTable.build([b"a", b"bb", b"ccc"])
    path = tmp_path / "x.idx"
    compact.write_index(path, {"kind": "test", "source": "s1"}, [*table.sections(), b"tail"])
    sections = compact.read_index(path, {"kind": "test", "source": "s1"})
    assert KeyTable.from_sections(sections[:4]).find(b"bb") >= 0 and sections[4] == b"tail"
    with pytest.raises(compact.StaleIndex):
        compact.read_index(path, {"kind": "test", "source": "s2"})
    with pytest.raises(compact.StaleIndex):
        compact.read_index(tmp_path / "missing.idx", {"kind": "test"})
    with pytest.raises(compact.StaleIndex):
        KeyTable.from_sections([sections[0], sections[1], sections[2], b"too long a blob"])
    assert [p.name for p in tmp_path.iterdir()] == ["x.idx"]  # no temp file left behind
