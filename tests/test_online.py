"""Online translation: deep-translator's real code against a stub HTTP server on 127.0.0.1.

No test reaches the internet: an autouse guard fails (and records) any name lookup or connection to a
non-loopback host, and every test's translator is pointed at the stub.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from lessons.online import (
    CACHE_TABLE,
    OFFLINE_SOURCE,
    FailureReason,
    OnlineSettings,
    OnlineTranslationError,
    OnlineTranslator,
    Translation,
    Translator,
    describe_privacy,
    translate_with_fallback,
)

# deep-translator 1.11.4's PONS code calls BeautifulSoup's deprecated findAll.
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated method findAll:DeprecationWarning")

# ------------------------------------------------------------------------------------- no internet, ever

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _is_loopback(host: object) -> bool:
    return host is None or (isinstance(host, str) and (host in _LOOPBACK or host.startswith("127.")))


class NetworkGuardError(RuntimeError):
    """Not an OSError on purpose: the code under test must not mistake it for an ordinary network error."""


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if not _is_loopback(host):
            attempts.append(str(host))
            raise NetworkGuardError(f"test tried to reach {host}")

    def connect(self: socket.socket, address: object) -> None:
        check(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        host = host.decode() if isinstance(host, bytes) else host
        if not _is_loopback(host):
            attempts.append(str(host))
            raise NetworkGuardError(f"test tried to resolve {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert not attempts, f"a test tried to reach the internet: {attempts}"


# ------------------------------------------------------------------------------------------- stub server


@dataclass
class Reply:
    status: int = 200
    body: str = ""
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    """Close the connection without answering."""


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]


class Stub:
    """Answers with queued replies (the last one repeats) or, if set, ``router(Seen) -> Reply``."""

    def __init__(self) -> None:
        self.replies: list[Reply] = [Reply(404, "no reply queued")]
        self.router: Callable[[Seen], Reply] | None = None
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                parts = urlsplit(self.path)
                seen = Seen(self.command, parts.path, parse_qs(parts.query))
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                reply = stub._next(seen)
                time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    return
                body = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02})
        self._thread.daemon = True
        self._thread.start()

    def _next(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            if self.router is not None:
                return self.router(seen)
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def reply(self, *replies: Reply) -> None:
        self.replies = list(replies)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=2)


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    yield server
    server.stop()


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def google_page(text: str, css: str = "result-container") -> str:
    return f'<html><body><div class="header">Google</div><div class="{css}">{text}</div></body></html>'


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment between us and 127.0.0.1
    return session


def make(
    tmp_path: Path, base: str, *, sleeps: list[float] | None = None, **settings: object
) -> OnlineTranslator:
    """A translator with every backend pointed at ``base`` and a sleep that records instead of waiting."""
    options: dict[str, object] = {"enabled": True, **settings}
    if options.get("backend") == "libre" or options.get("word_backend") == "libre":
        options.setdefault("libre_url", base)
    recorded = sleeps if sleeps is not None else []
    return OnlineTranslator(
        OnlineSettings(**options),  # type: ignore[arg-type]
        tmp_path / "lesestoff.db",
        sleep=recorded.append,
        session_factory=_session,
        base_urls={
            "google": f"{base}/m",
            "linguee": f"{base}/",
            "pons": f"{base}/translate/",
            "mymemory": f"{base}/get",
        },
    )


def failure(call: Callable[[], object]) -> OnlineTranslationError:
    with pytest.raises(OnlineTranslationError) as info:
        call()
    error = info.value
    assert error.message and "\n" not in error.message
    return error


SENTENCE = "Guten Morgen, Welt!"

# ------------------------------------------------------------------------------------------------ success


def test_google_success_sends_source_target_and_text(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(body=google_page("Good morning, world!")))
    with make(tmp_path, stub.url) as translator:
        result = translator.translate_sentence(SENTENCE)
    assert result == Translation("Good morning, world!", "Google Translate (online)", cached=False)
    [seen] = stub.seen
    assert (seen.method, seen.path) == ("GET", "/m")
    assert seen.query["sl"] == ["de"] and seen.query["tl"] == ["en"] and seen.query["q"] == [SENTENCE]


def test_google_other_page_shape_t0(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(body=google_page("Bonjour le monde!", css="t0")))
    with make(tmp_path, stub.url, target="french") as translator:
        assert translator.translate_sentence(SENTENCE).text == "Bonjour le monde!"
    assert stub.seen[0].query["tl"] == ["fr"]


def test_libre_success_at_custom_url(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(body='{"translatedText": "Good morning, world!"}', content_type="application/json"))
    with make(tmp_path, stub.url, backend="libre") as translator:
        result = translator.translate_sentence(SENTENCE)
    assert result.text == "Good morning, world!"
    assert result.source == f"LibreTranslate at {stub.url} (online)"
    [seen] = stub.seen
    assert (seen.method, seen.path) == ("POST", "/translate")
    assert seen.query["source"] == ["de"] and seen.query["target"] == ["en"]
    assert seen.query["api_key"] == ["x"]


def test_mymemory_success(stub: Stub, tmp_path: Path) -> None:
    stub.reply(
        Reply(
            body='{"responseData": {"translatedText": "Good morning"}, "matches": []}',
            content_type="application/json",
        )
    )
    with make(tmp_path, stub.url, backend="mymemory") as translator:
        assert translator.translate_sentence("Guten Morgen").text == "Good morning"
    assert stub.seen[0].query["langpair"] == ["de-DE|en-GB"]


def test_linguee_word_lists_every_sense(stub: Stub, tmp_path: Path) -> None:
    page = (
        '<div><a class="dictLink featured">house</a>'
        '<a class="dictLink featured">home<span class="placeholder">(sth.)</span></a>'
        '<a class="dictLink featured">house</a>'  # duplicates are dropped
        '<a class="dictLink">building</a></div>'  # not featured: ignored
    )
    stub.reply(Reply(body=page))
    with make(tmp_path, stub.url) as translator:
        results = translator.translate_word("Haus")
    assert [r.text for r in results] == ["house", "home"]
    assert {r.source for r in results} == {"Linguee (online)"}
    [seen] = stub.seen
    assert seen.path == "/german-english/search/"
    assert seen.query["query"] == ["Haus"]


def test_pons_word_lists_every_sense(stub: Stub, tmp_path: Path) -> None:
    page = (
        '<div class="result_list">'
        '<div class="target"><a>house</a></div>'
        '<div class="target"><a>home</a> <a>building</a></div>'
        "</div>"
    )
    stub.reply(Reply(body=page))
    with make(tmp_path, stub.url, word_backend="pons") as translator:
        results = translator.translate_word("Haus")
    assert [r.text for r in results] == ["house", "home building"]
    assert results[0].source == "PONS (online)"
    assert stub.seen[0].path == "/translate/german-english/Haus"


def test_sentence_backend_as_word_backend_gives_one_sense(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(body=google_page("house")))
    with make(tmp_path, stub.url, word_backend="google") as translator:
        assert [r.text for r in translator.translate_word("Haus")] == ["house"]


# ------------------------------------------------------------------------------------------ 429 and retry


def test_429_then_success_retries_with_backoff(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(429, "slow down"), Reply(429, "slow down"), Reply(body=google_page("Good morning")))
    sleeps: list[float] = []
    with make(tmp_path, stub.url, sleeps=sleeps) as translator:
        assert translator.translate_sentence("Guten Morgen").text == "Good morning"
    assert len(stub.seen) == 3
    assert sleeps == [0.5, 1.0]


def test_429_forever_is_a_typed_error_after_three_tries(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(429, "slow down"))
    sleeps: list[float] = []
    with make(tmp_path, stub.url, sleeps=sleeps) as translator:
        error = failure(lambda: translator.translate_sentence("Guten Morgen"))
    assert error.reason is FailureReason.RATE_LIMITED
    assert error.backend == "google"
    assert "429" in error.message and "Google Translate" in error.message
    assert len(stub.seen) == 3 and sleeps == [0.5, 1.0]


@pytest.mark.parametrize(("retry_after", "expected"), [("3", 3.0), ("3600", 8.0), ("soon", 0.5)])
def test_429_honours_retry_after_within_a_cap(
    stub: Stub, tmp_path: Path, retry_after: str, expected: float
) -> None:
    stub.reply(Reply(429, headers={"Retry-After": retry_after}), Reply(body=google_page("Good morning")))
    sleeps: list[float] = []
    with make(tmp_path, stub.url, sleeps=sleeps) as translator:
        translator.translate_sentence("Guten Morgen")
    assert sleeps == [expected]


def test_libre_429_is_retried_too(stub: Stub, tmp_path: Path) -> None:
    # LibreTranslator raises ServerException (not TooManyRequests) on 429: the recorded status decides.
    stub.reply(Reply(429, "{}"), Reply(body='{"translatedText": "Good morning"}'))
    sleeps: list[float] = []
    with make(tmp_path, stub.url, sleeps=sleeps, backend="libre") as translator:
        assert translator.translate_sentence("Guten Morgen").text == "Good morning"
    assert sleeps == [0.5]


# ---------------------------------------------------------------------------------------------- failures


def test_timeout(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(body=google_page("too late"), delay=1.0))
    with make(tmp_path, stub.url, timeout=0.2) as translator:
        started = time.monotonic()
        error = failure(lambda: translator.translate_sentence("Guten Morgen"))
        elapsed = time.monotonic() - started
    assert error.reason is FailureReason.TIMEOUT
    assert "0.2 s" in error.message
    assert elapsed < 0.9
    assert len(stub.seen) == 1  # timeouts are not retried


@pytest.mark.parametrize("backend", ["google", "libre", "mymemory"])
def test_connection_refused(tmp_path: Path, backend: str) -> None:
    with make(tmp_path, closed_port_url(), backend=backend) as translator:
        error = failure(lambda: translator.translate_sentence("Guten Morgen"))
    assert error.reason is FailureReason.CONNECTION
    assert error.message.startswith("Could not reach")


def test_connection_dropped_without_answer(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(drop=True))
    with make(tmp_path, stub.url) as translator:
        error = failure(lambda: translator.translate_sentence("Guten Morgen"))
    assert error.reason is FailureReason.CONNECTION


@pytest.mark.parametrize("backend", ["google", "libre", "mymemory"])
@pytest.mark.parametrize("status", [500, 503])
def test_server_error_is_not_retried(stub: Stub, tmp_path: Path, backend: str, status: int) -> None:
    stub.reply(Reply(status, "oops"))
    with make(tmp_path, stub.url, backend=backend) as translator:
        error = failure(lambda: translator.translate_sentence("Guten Morgen"))
    assert error.reason is FailureReason.SERVER_ERROR
    assert f"HTTP {status}" in error.message
    assert len(stub.seen) == 1


def test_client_error(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(403, "forbidden"))
    with make(tmp_path, stub.url, backend="libre") as translator:
        error = failure(lambda: translator.translate_sentence("Guten Morgen"))
    assert error.reason is FailureReason.HTTP_ERROR and "403" in error.message


@pytest.mark.parametrize(
    ("backend", "body"),
    [
        ("google", "<html><body><p>We changed our page</p></body></html>"),  # TranslationNotFound
        ("libre", "<html>not json</html>"),  # JSON decode error
        ("libre", "{}"),  # TranslationNotFound
        ("mymemory", '{"responseData": {"translatedText": ""}, "matches": []}'),  # StopIteration
    ],
)
def test_garbled_sentence_answer(stub: Stub, tmp_path: Path, backend: str, body: str) -> None:
    stub.reply(Reply(body=body))
    with make(tmp_path, stub.url, backend=backend) as translator:
        error = failure(lambda: translator.translate_sentence("Guten Morgen"))
    assert error.reason is FailureReason.NO_RESULT
    assert "page layout changed" in error.message


@pytest.mark.parametrize(
    ("backend", "body"),
    [
        ("linguee", "<html><body><a class='other'>house</a></body></html>"),  # ElementNotFoundInGetRequest
        ("pons", "<html><body><div class='results'>house</div></body></html>"),  # raw AttributeError
        ("pons", "<div class='result_list'><div class='target'><a>x</a></div></div>"),  # TranslationNotFound
    ],
)
def test_garbled_word_page(stub: Stub, tmp_path: Path, backend: str, body: str) -> None:
    stub.reply(Reply(body=body))
    with make(tmp_path, stub.url, word_backend=backend) as translator:
        error = failure(lambda: translator.translate_word("Haus"))
    assert error.reason is FailureReason.NO_RESULT
    assert error.backend == backend
    assert translator.cached_word("Haus") is None


def test_pons_404_means_no_entry(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(404, "not found"))
    with make(tmp_path, stub.url, word_backend="pons") as translator:
        assert failure(lambda: translator.translate_word("Xyzzy")).reason is FailureReason.NO_RESULT


def test_word_too_long_for_dictionary(stub: Stub, tmp_path: Path) -> None:
    with make(tmp_path, stub.url) as translator:
        error = failure(lambda: translator.translate_word("Donaudampfschifffahrtsgesellschaftskapitän" * 2))
    assert error.reason is FailureReason.INVALID_INPUT
    assert stub.seen == []


def test_unsupported_target_language(stub: Stub, tmp_path: Path) -> None:
    with make(tmp_path, stub.url, target="klingon") as translator:
        error = failure(lambda: translator.translate_sentence("Guten Morgen"))
    assert error.reason is FailureReason.UNSUPPORTED_LANGUAGE
    assert stub.seen == []


def test_any_other_backend_exception_is_typed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import deep_translator.google

    def boom(self: object, text: str, **kwargs: object) -> str:
        raise ZeroDivisionError("bug in the backend")

    monkeypatch.setattr(deep_translator.google.GoogleTranslator, "translate", boom)
    with make(tmp_path, closed_port_url()) as translator:
        error = failure(lambda: translator.translate_sentence("Guten Morgen"))
    assert error.reason is FailureReason.UNEXPECTED
    assert isinstance(error.__cause__, ZeroDivisionError)


def test_raw_requests_exception_is_typed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(self: requests.Session, method: str, url: str, **kwargs: object) -> requests.Response:
        raise requests.exceptions.ChunkedEncodingError("truncated")

    monkeypatch.setattr(requests.Session, "request", broken)
    with make(tmp_path, closed_port_url()) as translator:
        assert failure(lambda: translator.translate_sentence("Hallo")).reason is FailureReason.CONNECTION


def test_guard_catches_real_hosts_and_nothing_escapes(tmp_path: Path, no_internet: list[str]) -> None:
    """Without a base-URL override the real service would be asked: the guard refuses, the error is typed."""
    settings = OnlineSettings(enabled=True)
    with OnlineTranslator(settings, tmp_path / "db.sqlite", sleep=lambda s: None) as translator:
        failure(lambda: translator.translate_sentence("Guten Morgen"))
    assert no_internet == ["translate.google.com"]
    no_internet.clear()


# --------------------------------------------------------------------------------------- cache and offline


def test_second_lookup_comes_from_cache(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(body=google_page("Good morning")))
    with make(tmp_path, stub.url) as translator:
        first = translator.translate_sentence("Guten   Morgen ")
        second = translator.translate_sentence("Guten Morgen")  # same text once whitespace is normalised
    assert (first.cached, second.cached) == (False, True)
    assert second.text == "Good morning"
    assert len(stub.seen) == 1


def test_word_cache(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(body='<a class="dictLink featured">house</a><a class="dictLink featured">home</a>'))
    with make(tmp_path, stub.url) as translator:
        translator.translate_word("Haus")
        again = translator.translate_word("Haus")
    assert [(t.text, t.cached) for t in again] == [("house", True), ("home", True)]
    assert len(stub.seen) == 1


def test_cached_results_work_offline_and_with_online_mode_off(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(body=google_page("Good morning")))
    with make(tmp_path, stub.url) as translator:
        translator.translate_sentence("Guten Morgen")
    stub.stop()

    # Server gone, online mode still on: answered from the cache without a request.
    with make(tmp_path, closed_port_url()) as offline:
        assert offline.translate_sentence("Guten Morgen") == Translation(
            "Good morning", "Google Translate (online)", cached=True
        )
        assert failure(lambda: offline.translate_sentence("Gute Nacht")).reason is FailureReason.CONNECTION

    # Online mode off: cached answers still come back; nothing else is even attempted.
    with make(tmp_path, closed_port_url(), enabled=False) as off:
        assert off.cached_sentence("Guten Morgen") == Translation(
            "Good morning", "Google Translate (online)", cached=True
        )
        assert off.translate_sentence("Guten Morgen").cached
        assert off.cached_sentence("Gute Nacht") is None
        assert failure(lambda: off.translate_sentence("Gute Nacht")).reason is FailureReason.DISABLED
    assert len(stub.seen) == 1


def test_online_mode_off_sends_nothing(stub: Stub, tmp_path: Path) -> None:
    with make(tmp_path, stub.url, enabled=False) as translator:
        assert failure(lambda: translator.translate_word("Haus")).reason is FailureReason.DISABLED
        assert failure(lambda: translator.translate_sentence("Hallo")).reason is FailureReason.DISABLED
    assert stub.seen == []


def test_cache_table_shares_the_learner_store(stub: Stub, tmp_path: Path) -> None:
    db = tmp_path / "lesestoff.db"
    with sqlite3.connect(db) as conn:  # another module's table already there
        conn.execute("CREATE TABLE progress (lemma TEXT PRIMARY KEY, seen INTEGER)")
    stub.reply(Reply(body=google_page("Good morning")))
    with make(tmp_path, stub.url) as translator:
        translator.translate_sentence("Guten Morgen")
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = conn.execute(
            f"SELECT backend, source_lang, target_lang, kind, text, results, fetched_at FROM {CACHE_TABLE}"
        ).fetchall()
        assert conn.execute("SELECT COUNT(*) FROM progress").fetchone()[0] == 0
    finally:
        conn.close()
    [(backend, source, target, kind, text, results, fetched_at)] = rows
    assert (backend, source, target, kind, text, results) == (
        "google",
        "de",
        "en",
        "sentence",
        "Guten Morgen",
        '["Good morning"]',
    )
    assert fetched_at.startswith("20")


def test_failures_are_not_cached(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(503), Reply(body=google_page("Good morning")))
    with make(tmp_path, stub.url) as translator:
        failure(lambda: translator.translate_sentence("Guten Morgen"))
        assert translator.cached_sentence("Guten Morgen") is None
        assert translator.translate_sentence("Guten Morgen").text == "Good morning"


# ------------------------------------------------------------------------------------------------ threads


def _echo(seen: Seen) -> Reply:
    text = seen.query.get("q", [""])[0]
    return Reply(body=google_page(f"EN {text}"), delay=0.6 if "langsam" in text else 0.0)


def test_concurrent_lookups_from_worker_threads(stub: Stub, tmp_path: Path) -> None:
    stub.router = _echo
    with make(tmp_path, stub.url) as translator, ThreadPoolExecutor(8) as pool:
        texts = [f"Satz Nummer {i}" for i in range(16)]
        results = list(pool.map(translator.translate_sentence, texts))
        assert [r.text for r in results] == [f"EN {t}" for t in texts]
        assert translator.cache.count() == 16


def test_timeouts_are_per_lookup_not_global(stub: Stub, tmp_path: Path) -> None:
    """A lookup with a tiny timeout and one with a roomy timeout, at the same time in two threads."""
    stub.router = _echo
    impatient = make(tmp_path, stub.url, timeout=0.2)
    patient = make(tmp_path, stub.url, timeout=5.0)
    with impatient, patient, ThreadPoolExecutor(2) as pool:
        slow_ok = pool.submit(patient.translate_sentence, "ganz langsam")
        slow_fail = pool.submit(impatient.translate_sentence, "auch langsam")
        assert slow_ok.result().text == "EN ganz langsam"
        with pytest.raises(OnlineTranslationError) as info:
            slow_fail.result()
    assert info.value.reason is FailureReason.TIMEOUT


def test_deep_translator_untouched_outside_our_lookups(stub: Stub, tmp_path: Path) -> None:
    import deep_translator.google

    stub.reply(Reply(body=google_page("Hello")))
    with make(tmp_path, stub.url) as translator:
        translator.translate_sentence("Hallo")
    # deep-translator's own `requests` now is our stand-in; with no lookup running it is plain requests.
    response = deep_translator.google.requests.get(f"{stub.url}/plain", timeout=2)
    assert response.status_code == 200
    assert deep_translator.google.requests.exceptions is requests.exceptions


# ------------------------------------------------------------------------------------ fallback and privacy


def _glosses(text: str) -> str:
    return " ".join(f"[{word}]" for word in text.split())


def test_fallback_without_translator() -> None:
    result = translate_with_fallback("Guten Morgen", None, _glosses)
    assert result == Translation("[Guten] [Morgen]", OFFLINE_SOURCE, cached=False, note="online mode is off")


def test_fallback_when_online_fails(tmp_path: Path) -> None:
    with make(tmp_path, closed_port_url()) as translator:
        result = translate_with_fallback("Guten Morgen", translator, _glosses)
    assert result.text == "[Guten] [Morgen]" and result.source == "word-by-word glosses (offline)"
    assert result.note.startswith("Could not reach Google Translate")


def test_fallback_uses_online_translation_when_it_works(stub: Stub, tmp_path: Path) -> None:
    stub.reply(Reply(body=google_page("Good morning")))
    with make(tmp_path, stub.url) as translator:
        assert isinstance(translator, Translator)
        result = translate_with_fallback("Guten Morgen", translator, _glosses)
    assert result.text == "Good morning" and result.source == "Google Translate (online)"


def test_describe_privacy_names_the_services() -> None:
    assert "off" in describe_privacy(OnlineSettings())
    text = describe_privacy(OnlineSettings(enabled=True))
    assert "Google Translate (translate.google.com)" in text and "Linguee (www.linguee.com)" in text
    libre = describe_privacy(
        OnlineSettings(
            enabled=True, backend="libre", word_backend="libre", libre_url="http://nas.local:5000/"
        )
    )
    assert "LibreTranslate at http://nas.local:5000/" in libre and "Google" not in libre
    for line in (text, libre):
        assert "\n" not in line


@pytest.mark.parametrize(
    "kwargs",
    [
        {"backend": "linguee"},  # a dictionary, not for sentences
        {"word_backend": "deepl"},
        {"backend": "libre"},  # needs libre_url
        {"libre_url": "nas.local:5000"},
        {"timeout": 0},
    ],
)
def test_settings_are_validated(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        OnlineSettings(**kwargs)  # type: ignore[arg-type]
