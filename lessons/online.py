"""Opt-in online translation: Google, Linguee, PONS, MyMemory or a self-hosted LibreTranslate.

Text leaves the machine only through :class:`OnlineTranslator` and only while ``OnlineSettings.enabled``
is true; with online mode off it answers from its cache alone. Every successful result is cached in SQLite
(table ``translation_cache``), so nothing is requested twice and earlier results keep working offline.

deep-translator does the talking to the services, but it calls the module-level ``requests.get``/``post``
with no timeout and raises a zoo of exception types. So:

* its backend modules get a stand-in for ``requests`` (installed once; transparent when no lookup of ours
  is running). During a lookup it sends the request through this translator's ``requests.Session`` with
  a timeout, and records the HTTP status. The per-lookup state is thread-local, so concurrent lookups
  from Textual worker threads do not see each other's session or timeout.
* HTTP 429 is retried with exponential backoff (bounded; ``sleep`` is injectable).
* every failure becomes one :class:`OnlineTranslationError` with a one-line message.

Heavy imports (requests, deep-translator, BeautifulSoup) happen on the first online lookup, not at import.
"""

from __future__ import annotations

import importlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import requests

    from lessons.paths import Paths

log = logging.getLogger(__name__)

SOURCE_LANG = "de"
OFFLINE_SOURCE = "word-by-word glosses (offline)"
CACHE_TABLE = "translation_cache"


@dataclass(frozen=True, slots=True)
class _Backend:
    key: str
    label: str
    host: str
    sentences: bool
    """Fit for whole sentences (Linguee and PONS are dictionaries and take at most 49 characters)."""
    module: str
    """The deep-translator module whose ``requests`` gets the stand-in."""


_BACKENDS: dict[str, _Backend] = {
    b.key: b
    for b in (
        _Backend("google", "Google Translate", "translate.google.com", True, "google"),
        _Backend("mymemory", "MyMemory", "api.mymemory.translated.net", True, "mymemory"),
        _Backend("libre", "LibreTranslate", "", True, "libre"),
        _Backend("linguee", "Linguee", "www.linguee.com", False, "linguee"),
        _Backend("pons", "PONS", "en.pons.com", False, "pons"),
    )
}
SENTENCE_BACKENDS: tuple[str, ...] = tuple(k for k, b in _BACKENDS.items() if b.sentences)
WORD_BACKENDS: tuple[str, ...] = tuple(_BACKENDS)

_MYMEMORY_HTTPS = "https://api.mymemory.translated.net/get"
"""deep-translator's default for MyMemory is plain http; the API answers the same over https."""


# --------------------------------------------------------------------------------------------- public types


@dataclass(frozen=True, slots=True)
class OnlineSettings:
    """What the learner chose; online mode is off unless they turn it on."""

    enabled: bool = False
    backend: str = "google"
    """For sentences: google | mymemory | libre."""
    word_backend: str = "linguee"
    """For single words: linguee | pons (several senses each) or any sentence backend (one answer)."""
    target: str = "en"
    """Target language, an ISO code ("en") or an English name ("english")."""
    libre_url: str | None = None
    """Base URL of a LibreTranslate server (self-hosted), e.g. ``http://localhost:5000/``."""
    timeout: float = 8.0
    """Seconds to wait for a connection and for each read."""

    def __post_init__(self) -> None:
        if self.backend not in SENTENCE_BACKENDS:
            raise ValueError(
                f"unknown sentence backend {self.backend!r}; choose one of {', '.join(SENTENCE_BACKENDS)}"
            )
        if self.word_backend not in WORD_BACKENDS:
            raise ValueError(
                f"unknown word backend {self.word_backend!r}; choose one of {', '.join(WORD_BACKENDS)}"
            )
        if not self.timeout > 0:
            raise ValueError(f"timeout must be positive, not {self.timeout!r}")
        if self.libre_url is not None and not self.libre_url.startswith(("http://", "https://")):
            raise ValueError(f"libre_url must start with http:// or https://, not {self.libre_url!r}")
        if "libre" in (self.backend, self.word_backend) and not self.libre_url:
            raise ValueError("the LibreTranslate backend needs libre_url (the address of your server)")


@dataclass(frozen=True, slots=True)
class Translation:
    text: str
    source: str
    """Where it came from, for the UI: "Google Translate (online)", "word-by-word glosses (offline)"."""
    cached: bool = False
    """True when answered from the local cache (no request was made)."""
    note: str = ""
    """Why a fallback was used (the online error's message), else empty."""


class FailureReason(StrEnum):
    DISABLED = "disabled"
    """Online mode is off and the cache has no answer."""
    CONFIG = "config"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    INVALID_INPUT = "invalid_input"
    """Too long (or otherwise unacceptable) for this service."""
    CONNECTION = "connection"
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    HTTP_ERROR = "http_error"
    NO_RESULT = "no_result"
    """The service answered without a translation: unknown word, or its page layout changed."""
    UNEXPECTED = "unexpected"


class OnlineTranslationError(Exception):
    """The one error online translation raises; ``message`` is one line for the learner."""

    def __init__(self, backend: str, reason: FailureReason, message: str) -> None:
        self.backend = backend
        self.reason = reason
        self.message = " ".join(message.split())
        super().__init__(self.message)


@runtime_checkable
class Translator(Protocol):
    def translate_sentence(self, text: str) -> Translation: ...

    def translate_word(self, word: str) -> list[Translation]: ...


# ---------------------------------------------------------------------------------------------- helpers


def backend_label(backend: str, settings: OnlineSettings | None = None) -> str:
    """The service's name for the UI, e.g. "Google Translate" or "LibreTranslate at http://…"."""
    info = _BACKENDS[backend]
    if backend == "libre" and settings is not None and settings.libre_url:
        return f"{info.label} at {settings.libre_url}"
    return info.label


def _where(backend: str, settings: OnlineSettings) -> str:
    if backend == "libre":
        return f"LibreTranslate at {settings.libre_url}"
    info = _BACKENDS[backend]
    return f"{info.label} ({info.host})"


def describe_privacy(settings: OnlineSettings) -> str:
    """One line saying what leaves the computer, and to whom."""
    if not settings.enabled:
        return (
            "Online mode is off: nothing you read or look up leaves this computer "
            "(translations fetched earlier are still shown from the local cache)."
        )
    sentences = _where(settings.backend, settings)
    words = _where(settings.word_backend, settings)
    if sentences == words:
        sent = f"sends the sentences and words you look up to {sentences}"
    else:
        sent = f"sends the sentences you translate to {sentences} and the words you look up to {words}"
    return f"Online mode {sent}; results are cached on this computer, so nothing is sent twice."


def default_cache_path(paths: Paths) -> Path:
    """The learner store; the cache lives in its own table there."""
    return paths.store


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _languages(target: str) -> tuple[str, str]:
    """(ISO code, English name) of the target, from either form; raises on an unknown language."""
    from deep_translator.constants import GOOGLE_LANGUAGES_TO_CODES

    wanted = target.strip().lower()
    if wanted in GOOGLE_LANGUAGES_TO_CODES:
        return GOOGLE_LANGUAGES_TO_CODES[wanted], wanted
    for name, code in GOOGLE_LANGUAGES_TO_CODES.items():
        if code.lower() == wanted:
            return code, name
    raise _Failure(FailureReason.UNSUPPORTED_LANGUAGE, f"unknown target language {target!r}")


class _Failure(Exception):
    """Internal: a failure we diagnosed before (or instead of) calling deep-translator."""

    def __init__(self, reason: FailureReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


# ------------------------------------------------------------------------------ timeouts: requests stand-in


@dataclass
class _CallContext:
    session: requests.Session
    timeout: float
    statuses: list[int] = field(default_factory=list)
    retry_after: float | None = None

    @property
    def last_status(self) -> int | None:
        return self.statuses[-1] if self.statuses else None


_local = threading.local()
_install_lock = threading.Lock()


class _RequestsStandIn:
    """Replaces ``requests`` inside deep-translator's backend modules.

    During one of our lookups (a context set on this thread) ``get``/``post`` go through that lookup's
    session with its timeout; otherwise they are plain ``requests.get``/``post``. Any other attribute is
    the real module's.
    """

    def __getattr__(self, name: str) -> Any:
        import requests

        return getattr(requests, name)

    def get(self, url: str, params: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, params=params, **kwargs)

    def post(self, url: str, data: Any = None, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, data=data, json=json, **kwargs)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        import requests

        ctx: _CallContext | None = getattr(_local, "ctx", None)
        if ctx is None:
            return requests.request(method, url, **kwargs)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = ctx.timeout
        response = ctx.session.request(method, url, **kwargs)
        ctx.statuses.append(response.status_code)
        if response.status_code == 429:
            ctx.retry_after = _retry_after(response.headers.get("Retry-After"))
        return response


_STAND_IN = _RequestsStandIn()


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: rare; our own backoff will do


def _install_stand_in(module_name: str) -> Any:
    """Import a deep-translator backend module, with our stand-in as its ``requests``.

    Checked on every lookup (cheap): if something swapped the real module back in, we put ours back.
    Anything else (a test's mock, say) is left alone.
    """
    import requests

    module = importlib.import_module(f"deep_translator.{module_name}")
    if getattr(module, "requests", None) is requests:
        with _install_lock:
            if module.requests is requests:
                module.requests = _STAND_IN
    return module


@contextmanager
def _lookup_context(ctx: _CallContext) -> Iterator[None]:
    previous = getattr(_local, "ctx", None)
    _local.ctx = ctx
    try:
        yield
    finally:
        _local.ctx = previous


# -------------------------------------------------------------------------------------------------- cache


class TranslationCache:
    """Results of online lookups, in SQLite (WAL), shared by threads; never raises on cache trouble.

    A broken or locked database only costs the cache: lookups are then treated as misses and stores are
    skipped (and logged), so translation itself keeps working.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(
                    f"""CREATE TABLE IF NOT EXISTS {CACHE_TABLE} (
                        backend TEXT NOT NULL,
                        source_lang TEXT NOT NULL,
                        target_lang TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('word', 'sentence')),
                        text TEXT NOT NULL,
                        results TEXT NOT NULL,
                        fetched_at TEXT NOT NULL,
                        PRIMARY KEY (backend, source_lang, target_lang, kind, text)
                    )"""
                )
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def get(self, backend: str, source: str, target: str, kind: str, text: str) -> list[str] | None:
        try:
            with self._lock:
                row = (
                    self._connection()
                    .execute(
                        f"SELECT results FROM {CACHE_TABLE} WHERE backend = ? AND source_lang = ? "
                        "AND target_lang = ? AND kind = ? AND text = ?",
                        (backend, source, target, kind, text),
                    )
                    .fetchone()
                )
            if row is None:
                return None
            results = json.loads(row[0])
        except (sqlite3.Error, OSError, ValueError) as exc:
            log.warning("translation cache %s unreadable: %s", self.path, exc)
            return None
        if not isinstance(results, list) or not all(isinstance(r, str) for r in results):
            return None
        return results

    def put(self, backend: str, source: str, target: str, kind: str, text: str, results: list[str]) -> None:
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            with self._lock:
                self._connection().execute(
                    f"INSERT OR REPLACE INTO {CACHE_TABLE} "
                    "(backend, source_lang, target_lang, kind, text, results, fetched_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        backend,
                        source,
                        target,
                        kind,
                        text,
                        json.dumps(results, ensure_ascii=False),
                        fetched_at,
                    ),
                )
        except (sqlite3.Error, OSError) as exc:
            log.warning("translation cache %s not written: %s", self.path, exc)

    def count(self) -> int:
        try:
            with self._lock:
                return int(self._connection().execute(f"SELECT COUNT(*) FROM {CACHE_TABLE}").fetchone()[0])
        except (sqlite3.Error, OSError):
            return 0

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


# ----------------------------------------------------------------------------------------- the translator


class OnlineTranslator:
    """:class:`Translator` over deep-translator, with cache, timeouts, 429 retries and one error type.

    ``session_factory`` makes the ``requests.Session`` for one lookup (closed afterwards); ``sleep`` is
    what backoff waits with; ``base_urls`` overrides a backend's address (tests, mirrors), e.g.
    ``{"google": "http://127.0.0.1:8000/m"}``.
    """

    def __init__(
        self,
        settings: OnlineSettings,
        cache_path: Path,
        *,
        sleep: Callable[[float], None] = time.sleep,
        session_factory: Callable[[], requests.Session] | None = None,
        base_urls: Mapping[str, str] | None = None,
        attempts: int = 3,
        backoff: float = 0.5,
        max_delay: float = 8.0,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.settings = settings
        self.cache = TranslationCache(cache_path)
        self._sleep = sleep
        self._session_factory = session_factory
        self._base_urls = dict(base_urls or {})
        self._attempts = attempts
        self._backoff = backoff
        self._max_delay = max_delay
        self._target_key = settings.target.strip().lower()

    # -- public API

    def translate_sentence(self, text: str) -> Translation:
        backend = self.settings.backend
        key = _normalise(text)
        label = self._source_label(backend)
        if not key:
            return Translation("", label, cached=False)
        hit = self.cache.get(backend, SOURCE_LANG, self._target_key, "sentence", key)
        if hit:
            return Translation(hit[0], label, cached=True)
        self._require_enabled(backend)
        result = self._lookup(backend, key)
        self.cache.put(backend, SOURCE_LANG, self._target_key, "sentence", key, result)
        return Translation(result[0], label, cached=False)

    def translate_word(self, word: str) -> list[Translation]:
        backend = self.settings.word_backend
        key = word.strip()
        label = self._source_label(backend)
        if not key:
            return []
        hit = self.cache.get(backend, SOURCE_LANG, self._target_key, "word", key)
        if hit:
            return [Translation(r, label, cached=True) for r in hit]
        self._require_enabled(backend)
        results = self._lookup(backend, key)
        self.cache.put(backend, SOURCE_LANG, self._target_key, "word", key, results)
        return [Translation(r, label, cached=False) for r in results]

    def cached_sentence(self, text: str) -> Translation | None:
        """The cached translation of ``text``, if any; never touches the network (works offline)."""
        backend = self.settings.backend
        hit = self.cache.get(backend, SOURCE_LANG, self._target_key, "sentence", _normalise(text))
        return Translation(hit[0], self._source_label(backend), cached=True) if hit else None

    def cached_word(self, word: str) -> list[Translation] | None:
        backend = self.settings.word_backend
        hit = self.cache.get(backend, SOURCE_LANG, self._target_key, "word", word.strip())
        return [Translation(r, self._source_label(backend), cached=True) for r in hit] if hit else None

    def close(self) -> None:
        self.cache.close()

    def __enter__(self) -> OnlineTranslator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals

    def _source_label(self, backend: str) -> str:
        return f"{backend_label(backend, self.settings)} (online)"

    def _require_enabled(self, backend: str) -> None:
        if not self.settings.enabled:
            raise OnlineTranslationError(
                backend, FailureReason.DISABLED, "Online mode is off and this text has no cached translation."
            )

    def _lookup(self, backend: str, text: str) -> list[str]:
        """Ask the service, retrying on 429; returns at least one non-empty string or raises."""
        import requests

        for attempt in range(1, self._attempts + 1):
            factory = self._session_factory or requests.Session
            ctx: _CallContext | None = None
            try:
                session = factory()
                ctx = _CallContext(session, self.settings.timeout)
                try:
                    with _lookup_context(ctx):
                        raw = self._call_backend(backend, text)
                finally:
                    session.close()
                return _results(raw)
            except Exception as exc:  # every failure becomes one typed error
                error = self._classify(backend, exc, ctx, attempts=attempt)
                error.__cause__ = exc
            if error.reason is FailureReason.RATE_LIMITED and attempt < self._attempts:
                delay = self._backoff * 2 ** (attempt - 1)
                if ctx is not None and ctx.retry_after is not None:
                    delay = max(delay, ctx.retry_after)
                delay = min(delay, self._max_delay)
                log.info("%s rate-limited; retrying in %.1f s", backend, delay)
                self._sleep(delay)
                continue
            log.info("online lookup failed: %s (%r)", error.message, error.__cause__)
            raise error
        raise AssertionError("unreachable")  # pragma: no cover

    def _call_backend(self, backend: str, text: str) -> Any:
        code, name = _languages(self.settings.target)
        module = _install_stand_in(_BACKENDS[backend].module)
        if backend == "google":
            translator = module.GoogleTranslator(source=SOURCE_LANG, target=code)
        elif backend == "mymemory":
            translator = module.MyMemoryTranslator(source="german", target=name)
            translator._base_url = _MYMEMORY_HTTPS
        elif backend == "libre":
            url = self.settings.libre_url or ""
            translator = module.LibreTranslator(
                source=SOURCE_LANG,
                target=code,
                api_key="x",
                custom_url=url if url.endswith("/") else url + "/",
            )
        elif backend == "linguee":
            translator = module.LingueeTranslator(source="german", target=name)
        elif backend == "pons":
            translator = module.PonsTranslator(source=SOURCE_LANG, target=code)
        else:  # pragma: no cover - settings validate backends
            raise _Failure(FailureReason.CONFIG, f"unknown backend {backend!r}")
        if backend in self._base_urls:
            translator._base_url = self._base_urls[backend]
        if backend in ("linguee", "pons"):
            return translator.translate(text, return_all=True)
        return translator.translate(text)

    def _classify(
        self, backend: str, exc: Exception, ctx: _CallContext | None, *, attempts: int
    ) -> OnlineTranslationError:
        import requests
        from deep_translator import exceptions as dt

        label = backend_label(backend, self.settings)
        status = ctx.last_status if ctx is not None else None

        def error(reason: FailureReason, message: str) -> OnlineTranslationError:
            return OnlineTranslationError(backend, reason, message)

        if isinstance(exc, _Failure):
            if exc.reason is FailureReason.UNSUPPORTED_LANGUAGE:
                return error(exc.reason, f"{label} cannot translate into {self.settings.target!r}.")
            return error(exc.reason, f"{label}: {exc.detail}.")
        if isinstance(exc, requests.exceptions.Timeout) or (
            isinstance(exc, requests.exceptions.ConnectionError) and "timed out" in str(exc).lower()
        ):
            return error(
                FailureReason.TIMEOUT,
                f"{label} did not answer within {self.settings.timeout:g} s; try again later.",
            )
        if status is not None and not 200 <= status < 300:
            if status == 429:
                tries = f" after {attempts} tries" if attempts > 1 else ""
                return error(
                    FailureReason.RATE_LIMITED,
                    f"{label} is limiting requests (HTTP 429){tries}; wait a while and try again.",
                )
            if status >= 500:
                return error(FailureReason.SERVER_ERROR, f"{label} failed on its side (HTTP {status}).")
            if status == 404 and backend in ("linguee", "pons"):
                return error(FailureReason.NO_RESULT, f"{label} has no entry for this word (HTTP 404).")
            return error(FailureReason.HTTP_ERROR, f"{label} refused the request (HTTP {status}).")
        if isinstance(exc, requests.exceptions.ConnectionError):
            return error(
                FailureReason.CONNECTION,
                f"Could not reach {_where(backend, self.settings)}: no connection (offline?).",
            )
        if isinstance(
            exc,
            requests.exceptions.InvalidURL
            | requests.exceptions.MissingSchema
            | requests.exceptions.InvalidSchema,
        ):
            return error(FailureReason.CONFIG, f"{label}: the address is not a valid URL.")
        if isinstance(exc, dt.NotValidLength | dt.NotValidPayload):
            return error(FailureReason.INVALID_INPUT, f"{label} does not take a text of this length.")
        if isinstance(exc, dt.LanguageNotSupportedException | dt.InvalidSourceOrTargetLanguage):
            return error(
                FailureReason.UNSUPPORTED_LANGUAGE, f"{label} cannot translate into {self.settings.target!r}."
            )
        if isinstance(exc, dt.ApiKeyException | dt.AuthorizationException):
            return error(FailureReason.CONFIG, f"{label} wants an API key.")
        if isinstance(
            exc,
            dt.TranslationNotFound
            | dt.ElementNotFoundInGetRequest
            | AttributeError
            | KeyError
            | IndexError
            | TypeError
            | ValueError  # includes JSON decode errors
            | StopIteration,
        ):
            what = "no entry for this word" if backend in ("linguee", "pons") else "no translation"
            return error(
                FailureReason.NO_RESULT,
                f"{label} answered with {what} (unknown, or its page layout changed).",
            )
        if isinstance(exc, requests.exceptions.RequestException):
            return error(FailureReason.CONNECTION, f"Talking to {label} failed: {type(exc).__name__}.")
        return error(FailureReason.UNEXPECTED, f"{label} failed unexpectedly ({type(exc).__name__}).")


def _results(raw: Any) -> list[str]:
    """deep-translator's answer as a non-empty list of distinct non-empty strings."""
    items = raw if isinstance(raw, list) else [raw]
    results: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"unexpected result type {type(item).__name__}")
        text = _normalise(item)
        if text and text not in results:
            results.append(text)
    if not results:
        raise ValueError("empty result")
    return results


# ------------------------------------------------------------------------------------------------ fallback


def translate_with_fallback(
    text: str, translator: Translator | None, fallback: Callable[[str], str]
) -> Translation:
    """The online translation if there is one, else the offline word-by-word glosses.

    ``translator`` is None when online mode is off (an :class:`OnlineTranslator` with online mode off still
    answers from its cache). The fallback's ``note`` says why it was used.
    """
    note = "online mode is off"
    if translator is not None:
        try:
            return translator.translate_sentence(text)
        except OnlineTranslationError as exc:
            note = exc.message
    return Translation(fallback(text), OFFLINE_SOURCE, cached=False, note=note)
