"""Async client for the official HN Firebase API (one request per item).

Timeouts (per read, and a total deadline per request), retries with backoff (honouring
``Retry-After``) and a cap on body size live here so every caller gets them.

The transport is aiohttp, chosen by measurement (benchmarks/README.md): a thread load is
thousands of tiny requests, and per request httpx spent ~0.6 ms of CPU (httpcore's pool
bookkeeping), httpx over the ``httpx-aiohttp`` transport ~0.37 ms, aiohttp alone ~0.12 ms,
its HTTP parser being C. One session keeps up to 64 keep-alive connections (HTTP/1.1; over
TLS each costs one handshake, paid once). The proxy variables (``HTTPS_PROXY``, ``NO_PROXY``)
are honoured, and the default SSL context honours ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``.
Redirects are never followed: the API has none, and a hostile one could point anywhere.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hnterm.model.errors import HNError, NetworkError
from hnterm.model.items import Item, is_item_id, parse_item
from hnterm.model.users import User, is_username, parse_user

if TYPE_CHECKING:
    import aiohttp

DEFAULT_API_URL = "https://hacker-news.firebaseio.com/v0/"
DEFAULT_SEARCH_URL = "https://hn.algolia.com/api/v1/"  # HN-wide search (hn.algolia)
STORY_LISTS = ("top", "new", "best", "ask", "show", "job")
MAX_BODY = 4 * 1024 * 1024
READ_CHUNK = 64 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class APIError(HNError):
    """The API answered, but not with something usable."""


class HNClient:
    """Fetches items and story lists; safe to share between concurrent tasks.

    The aiohttp session is made on the first request, inside the running event loop (and
    aiohttp is imported then too, off the path to the first frame).
    """

    def __init__(
        self,
        base_url: str = DEFAULT_API_URL,
        *,
        timeout: float = 10.0,
        deadline: float = 30.0,
        retries: int = 3,
        backoff: float = 0.25,
        connections: int = 64,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout = timeout
        # The whole request (connect, headers and body): a server trickling a byte at a time
        # never trips the read timeout, so without this one request could hang forever.
        self.deadline = deadline
        self.retries = retries
        self.backoff = backoff
        self.connections = connections
        self.requests = 0
        self._session: aiohttp.ClientSession | None = None

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> HNClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def item(self, item_id: int) -> Item | None:
        """One item, or None when the API has none (``null``) or sends no usable item."""
        if not is_item_id(item_id):
            return None
        return parse_item(await self.get_json(f"item/{item_id}.json"), expected_id=item_id)

    async def user(self, name: str) -> User | None:
        """A user's profile, or None when there is no such user (``null``) or no usable one."""
        if not is_username(name):
            return None
        return parse_user(await self.get_json(f"user/{name}.json"), expected=name)

    async def story_ids(self, kind: str) -> list[int]:
        """Ids of a story list ('top', 'new', 'best', 'ask', 'show', 'job')."""
        if kind not in STORY_LISTS:
            raise ValueError(f"unknown story list {kind!r}")
        data = await self.get_json(f"{kind}stories.json")
        if not isinstance(data, list):
            raise APIError(f"{kind} stories: the API sent no list")
        return [i for i in data if isinstance(i, int) and not isinstance(i, bool) and is_item_id(i)]

    async def get_json(self, path: str) -> Any:
        """GET and decode JSON, retrying what is worth retrying."""
        attempt = 0
        while True:
            try:
                return await self._get_once(path)
            except _Retryable as exc:
                attempt += 1
                if attempt > exc.max_retries(self.retries):
                    raise exc.final(path) from exc.__cause__
                await asyncio.sleep(exc.wait or self._backoff(attempt))

    def _backoff(self, attempt: int) -> float:
        return self.backoff * (2 ** (attempt - 1)) * (0.5 + random.random())

    def _open_session(self) -> aiohttp.ClientSession:
        import aiohttp
        from aiohttp.helpers import get_env_proxy_for_url
        from yarl import URL

        # The proxy variables are read once here: aiohttp's ``trust_env`` re-reads them on
        # every request, which cost ~0.4 ms of CPU per item (measured), more than the rest.
        try:
            proxy, proxy_auth = get_env_proxy_for_url(URL(self.base_url))
        except LookupError:
            proxy, proxy_auth = None, None
        self._session = aiohttp.ClientSession(
            proxy=proxy,
            proxy_auth=proxy_auth,
            connector=aiohttp.TCPConnector(limit=self.connections, ttl_dns_cache=300),
            timeout=timeouts(self.timeout, self.deadline),
            headers={"User-Agent": "hnterm"},
        )
        return self._session

    async def _get_once(self, path: str) -> Any:
        import aiohttp

        self.requests += 1
        session = self._session or self._open_session()
        url = self.base_url + path
        try:
            async with session.get(url, allow_redirects=False) as response:
                if response.status in RETRY_STATUSES:
                    raise _Retryable(
                        APIError(f"HTTP {response.status}"),
                        _retry_after(response.headers.get("Retry-After", "")),
                    )
                if response.status != 200:
                    raise APIError(f"{path}: HTTP {response.status}{_hint(response.status, url)}")
                body = await read_capped(response)
        except aiohttp.ClientConnectorCertificateError as exc:
            # Retrying cannot help: say what to fix.
            raise APIError(
                f"the TLS certificate of {self.base_url} is not trusted "
                f"({exc.certificate_error}); a private CA goes in SSL_CERT_FILE"
            ) from exc
        except aiohttp.ClientConnectorError as exc:
            raise _Retryable(NetworkError(f"cannot reach {self.base_url}"), network=True) from exc
        except TimeoutError as exc:
            raise _Retryable(APIError("TimeoutError: no complete answer in time")) from exc
        except (aiohttp.ClientError, ValueError) as exc:
            # Cut bodies, protocol errors, resets, and URLs aiohttp refuses to send.
            raise _Retryable(APIError(type(exc).__name__)) from exc
        try:
            return json.loads(body)
        except ValueError as exc:
            raise _Retryable(APIError("malformed JSON")) from exc


def _hint(status: int, url: str) -> str:
    """A nudge for the commonest set-up mistake: an API URL without its version path."""
    if status == 404 and "/v0/" not in url:
        return " (no /v0/ in the API URL?)"
    return ""


class _Retryable(Exception):
    """A failure that may pass on a later attempt."""

    def __init__(self, error: HNError, wait: float | None = None, *, network: bool = False):
        super().__init__(str(error))
        self.error = error
        self.wait = wait
        self.network = network

    def max_retries(self, retries: int) -> int:
        # An unreachable host rarely comes back within a second: fail fast so the app can go
        # offline, instead of stalling every pending request through the whole backoff.
        return min(retries, 1) if self.network else retries

    def final(self, path: str) -> HNError:
        if isinstance(self.error, NetworkError):
            return self.error
        return type(self.error)(f"{path}: {self.error}")


def _retry_after(value: str) -> float | None:
    """Seconds from a Retry-After header (capped so a hostile server cannot stall us)."""
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), 30.0) if math.isfinite(seconds) else None


def timeouts(timeout: float, deadline: float) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for every client here (API, web forms, articles): a read timeout,
    a connect timeout, and a total deadline a server trickling bytes cannot stretch."""
    import aiohttp

    return aiohttp.ClientTimeout(
        total=deadline, connect=min(timeout, deadline, 5.0), sock_read=min(timeout, deadline)
    )


async def read_capped(
    response: aiohttp.ClientResponse,
    too_large: Callable[[str], Exception] = lambda size: APIError(f"response too large ({size})"),
) -> bytes:
    """The (decompressed) body, refusing anything over MAX_BODY: a gzip bomb or an endless
    body stops there. ``too_large`` makes the error from how large it was ("5,000,000
    bytes", "over 4 MB")."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise too_large(f"{int(declared):,} bytes")
    chunks: list[bytes] = []
    size = 0
    while chunk := await response.content.read(READ_CHUNK):
        size += len(chunk)
        if size > MAX_BODY:
            raise too_large(f"over {MAX_BODY // 2**20} MB")
        chunks.append(chunk)
    return b"".join(chunks)
