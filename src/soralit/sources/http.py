"""HTTP for the metadata sources: one session, polite pacing, retries, clear errors.

The only module that talks to `requests` for the services. `request()` retries 429 and
5xx answers with exponential backoff (honouring `Retry-After`), keeps a minimum interval
between requests to the same host, and turns every failure into a one-line `SourceError`
naming the service and the cause. Settings are read from the environment at call time:

- `SORALIT_<SERVICE>_URL`: base URL (`ARXIV`, `CROSSREF`, `S2`, `DBLP`, `DOI`, `GITHUB`);
- `SORALIT_<SERVICE>_DELAY`: seconds between requests to that service's host
  (arXiv asks for 3 s; doi.org and GitHub get 0.5 s and 1 s; the others default to 0);
- `SORALIT_LINK_DELAY`: seconds between two link checks on any other host (default 1);
- `SORALIT_MAILTO`: a contact address sent to Crossref (its "polite pool");
- `SORALIT_TIMEOUT`: seconds to wait for an answer (default 10);
- `SORALIT_RETRY_BASE`: the first backoff sleep in seconds (default 1; doubles per try).
"""

from __future__ import annotations

import os
import socket
import ssl
import threading
import time
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import urlsplit

import requests

from soralit import __version__
from soralit.errors import SourceError, UsageProblem

USER_AGENT = f"soralit/{__version__} (+https://github.com/soralit/soralit)"
TRIES = 4
MAX_RETRY_AFTER = 60.0  # a longer Retry-After is a refusal, not a pause worth waiting out

# service key -> (display name, env prefix, default base URL, default delay in seconds)
SERVICES: dict[str, tuple[str, str, str, float]] = {
    "arxiv": ("arXiv", "ARXIV", "https://export.arxiv.org/api/query", 3.0),
    "crossref": ("Crossref", "CROSSREF", "https://api.crossref.org/works", 0.0),
    "s2": ("Semantic Scholar", "S2", "https://api.semanticscholar.org/graph/v1", 0.0),
    "dblp": ("dblp", "DBLP", "https://dblp.org", 0.0),
    "doi": ("doi.org", "DOI", "https://doi.org", 0.5),
    "github": ("GitHub", "GITHUB", "https://api.github.com", 1.0),
}

_last_request: dict[str, float] = {}  # host -> time.monotonic() of its last request
_pace_lock = threading.Lock()
_session_local = threading.local()


def make_session() -> requests.Session:
    """A new session that identifies soralit in its User-Agent."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session


def shared_session() -> requests.Session:
    """This thread's session, reused so that batches keep their connection open."""
    if not hasattr(_session_local, "session"):
        _session_local.session = make_session()
    session: requests.Session = _session_local.session
    return session


def display_name(service: str) -> str:
    return SERVICES[service][0] if service in SERVICES else service


def base_url(service: str) -> str:
    """`SORALIT_<SERVICE>_URL`, read now, else the public URL; no trailing slash."""
    _, env, default, _ = SERVICES[service]
    return (os.environ.get(f"SORALIT_{env}_URL") or default).rstrip("/")


def min_interval(service: str) -> float:
    """Seconds to keep between two requests to the service's host."""
    if service not in SERVICES:
        return 0.0
    _, env, _, default = SERVICES[service]
    return _env_seconds(f"SORALIT_{env}_DELAY", default)


def default_timeout() -> float:
    return _env_seconds("SORALIT_TIMEOUT", 10.0)


def link_interval() -> float:
    """Seconds between two link checks on the same host (`SORALIT_LINK_DELAY`)."""
    return _env_seconds("SORALIT_LINK_DELAY", 1.0)


def backoff(attempt: int) -> float:
    """The pause before try ATTEMPT + 1: `SORALIT_RETRY_BASE` (1 s), doubled per try."""
    return _env_seconds("SORALIT_RETRY_BASE", 1.0) * 2.0 ** (attempt - 1)


def get(
    url: str,
    *,
    service: str,
    params: dict[str, Any] | None = None,
    timeout: float | None = None,
    accept: Collection[int] = (),
    throttled: Callable[[requests.Response], str] | None = None,
) -> requests.Response:
    """GET `url`; see `request`."""
    return request(
        "GET", url, service=service, params=params, timeout=timeout, accept=accept,
        throttled=throttled,
    )  # fmt: skip


def request(
    method: str,
    url: str,
    *,
    service: str,
    params: dict[str, Any] | None = None,
    json: Any = None,
    timeout: float | None = None,
    accept: Collection[int] = (),
    headers: dict[str, str] | None = None,
    allow_redirects: bool = True,
    throttled: Callable[[requests.Response], str] | None = None,
) -> requests.Response:
    """Send a request; return a 2xx answer, or one whose status is in `accept`.

    429 and 5xx are retried up to `TRIES` times in all, and so is an answer for which
    THROTTLED returns a reason (a service that throttles with a 200, as arXiv does).
    Everything else that goes wrong raises `SourceError("<Service>: <cause>")`.
    """
    timeout = default_timeout() if timeout is None else timeout
    name = display_name(service)
    reason = ""
    for attempt in range(1, TRIES + 1):
        wait_for_turn(url, min_interval(service))
        try:
            response = shared_session().request(
                method,
                url,
                params=params,
                json=json,
                timeout=timeout,
                headers=headers,
                allow_redirects=allow_redirects,
            )
        except requests.RequestException as exc:
            raise SourceError(f"{name}: {describe_failure(exc, url, timeout)}") from exc
        finally:
            finished(url)
        status = response.status_code
        reason = f"HTTP {status}"
        if response.ok or status in accept:
            reason = throttled(response) if throttled is not None else ""
            if not reason:
                return response
        elif not _retryable(status):
            raise SourceError(f"{name}: HTTP {status} from {_without_query(response.url)}")
        if attempt < TRIES:
            time.sleep(_retry_pause(response, attempt, name))
    raise SourceError(f"{name}: {reason} after {TRIES} tries")


def wait_for_turn(url: str, interval: float) -> None:
    """Sleep until `interval` seconds have passed since the last request to url's host."""
    host = urlsplit(url).netloc
    with _pace_lock:
        now = time.monotonic()
        last = _last_request.get(host)
        pause = 0.0 if last is None else max(0.0, last + interval - now)
        # Book the slot before sleeping so that concurrent callers queue up behind it.
        _last_request[host] = now + pause
    if pause:
        time.sleep(pause)


def finished(url: str) -> None:
    """Note that a request to url's host just ended: the next waits a full interval from
    now, so that the server sees requests at least the interval apart, however long each
    took to send or answer."""
    host = urlsplit(url).netloc
    with _pace_lock:
        _last_request[host] = max(_last_request.get(host, 0.0), time.monotonic())


def describe_failure(exc: requests.RequestException, url: str, timeout: float) -> str:
    """One line for a transport failure: `cannot connect to URL (connection refused)`."""
    if isinstance(exc, requests.Timeout) and not isinstance(exc, requests.ConnectTimeout):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, requests.ConnectTimeout):
        return f"cannot connect to {_without_query(url)} (no answer within {timeout:g} s)"
    if isinstance(exc, requests.ConnectionError):
        return f"cannot connect to {_without_query(url)} ({_root_cause(exc)})"
    return f"request to {_without_query(url)} failed ({_first_line(exc)})"


def _root_cause(exc: BaseException) -> str:
    """The innermost OS-level reason behind a requests/urllib3 exception chain."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return "connection refused"
        if isinstance(current, ConnectionResetError):
            return "connection reset"
        if isinstance(current, socket.gaierror):
            return "host not found"
        if isinstance(current, ssl.SSLError):
            return f"TLS error: {current.reason or current}"
        nested = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        nested += list(current.args)
        todo.extend(n for n in nested if isinstance(n, BaseException))
    return _first_line(exc)


def _retryable(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


def _retry_pause(response: requests.Response, attempt: int, name: str) -> float:
    """Seconds to wait before the next try: our backoff, or longer if the server asks."""
    pause = backoff(attempt)
    header = response.headers.get("Retry-After", "").strip()
    if not header.isdigit():  # absent, an HTTP-date or junk: our own backoff will do
        return pause
    asked = float(header)
    if asked > MAX_RETRY_AFTER:
        raise SourceError(f"{name}: HTTP {response.status_code}, asked to retry after {header} s")
    return max(asked, pause)


def _env_seconds(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also rejects nan
        raise UsageProblem(f"{name} must be a number of seconds, not {value!r}")
    return seconds


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]
