"""Async client for the official HN Firebase API (one request per item).

Timeouts, retries with backoff (honouring ``Retry-After``) and a cap on body size live here so
every caller gets them. Connections are spread over several small httpx pools: one large pool
costs CPU quadratic in its connection count (httpcore assigns requests by scanning every
connection), which made a single 64-connection pool the bottleneck of a thread load.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import random
from typing import Any

import httpx

from app.hn.models import Item, parse_item

DEFAULT_API_URL = "https://hacker-news.firebaseio.com/v0/"
STORY_LISTS = ("top", "new", "best", "ask", "show", "job")
MAX_BODY = 4 * 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HNError(Exception):
    """A request that failed for good; the message is written for the user."""


class NetworkError(HNError):
    """The API could not be reached at all (offline, DNS, refused)."""


class APIError(HNError):
    """The API answered, but not with something usable."""


class HNClient:
    """Fetches items and story lists; safe to share between concurrent tasks."""

    def __init__(
        self,
        base_url: str = DEFAULT_API_URL,
        *,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.25,
        connections: int = 64,
        pool_size: int = 8,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.retries = retries
        self.backoff = backoff
        self.requests = 0
        limits = httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size)
        self._pools = [
            httpx.AsyncClient(
                base_url=self.base_url,
                timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                limits=limits,
                headers={"User-Agent": "hnterm"},
            )
            for _ in range(max(1, connections // pool_size))
        ]
        self._next_pool = itertools.cycle(self._pools)

    async def aclose(self) -> None:
        await asyncio.gather(*(pool.aclose() for pool in self._pools))

    async def __aenter__(self) -> HNClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def item(self, item_id: int) -> Item | None:
        """One item, or None when the API has none (``null``) or sends no usable item."""
        return parse_item(await self.get_json(f"item/{item_id}.json"), expected_id=item_id)

    async def story_ids(self, kind: str) -> list[int]:
        """Ids of a story list ('top', 'new', 'best', 'ask', 'show', 'job')."""
        if kind not in STORY_LISTS:
            raise ValueError(f"unknown story list {kind!r}")
        data = await self.get_json(f"{kind}stories.json")
        if not isinstance(data, list):
            raise APIError(f"{kind} stories: the API sent no list")
        return [i for i in data if isinstance(i, int) and not isinstance(i, bool) and i > 0]

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

    async def _get_once(self, path: str) -> Any:
        self.requests += 1
        pool = next(self._next_pool)
        try:
            async with pool.stream("GET", path) as response:
                if response.status_code in RETRY_STATUSES:
                    raise _Retryable(
                        APIError(f"HTTP {response.status_code}"), _retry_after(response)
                    )
                if response.status_code != 200:
                    raise APIError(f"{path}: HTTP {response.status_code}")
                body = await _read_capped(response)
        except httpx.ConnectError as exc:
            raise _Retryable(NetworkError(f"cannot reach {self.base_url}"), network=True) from exc
        except (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retryable(APIError(f"{type(exc).__name__}")) from exc
        try:
            return json.loads(body)
        except ValueError as exc:
            raise _Retryable(APIError("malformed JSON")) from exc


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


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header (capped so a hostile server cannot stall us)."""
    value = response.headers.get("retry-after", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), 30.0) if math.isfinite(seconds) else None


async def _read_capped(response: httpx.Response) -> bytes:
    """The body, refusing anything larger than any real HN answer."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise APIError(f"response too large ({int(declared):,} bytes)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BODY:
            raise APIError(f"response too large (over {MAX_BODY:,} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)
