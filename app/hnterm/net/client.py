"""Async client for the official HN Firebase API (one request per item).

Every request goes through ``hnterm.net.transport``, the one HTTP layer: a deadline covering
all of a request's attempts, retries with backoff (``Retry-After`` honoured and capped), the
body cap and one mapping of failures into reasons. Redirects are never followed: the API has
none, and a hostile one could point anywhere.

The transport is aiohttp, chosen by measurement (benchmarks/README.md): a thread load is
thousands of tiny requests, and per request httpx spent ~0.6 ms of CPU (httpcore's pool
bookkeeping), httpx over the ``httpx-aiohttp`` transport ~0.37 ms, aiohttp alone ~0.12 ms,
its HTTP parser being C. One session keeps up to 64 keep-alive connections (HTTP/1.1; over
TLS each costs one handshake, paid once). The proxy variables (``HTTPS_PROXY``, ``NO_PROXY``)
are honoured, and the default SSL context honours ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hnterm.model.errors import HNError, NetworkError
from hnterm.model.items import Item, is_item_id, parse_item
from hnterm.model.users import User, is_username, parse_user
from hnterm.net.transport import Answer, Failure, Policy, Transport

if TYPE_CHECKING:
    from yarl import URL

__all__ = ["DEFAULT_API_URL", "STORY_LISTS", "APIError", "HNClient", "HNError", "NetworkError"]

DEFAULT_API_URL = "https://hacker-news.firebaseio.com/v0/"
DEFAULT_SEARCH_URL = "https://hn.algolia.com/api/v1/"  # HN-wide search (hn.algolia)
STORY_LISTS = ("top", "new", "best", "ask", "show", "job")


class APIError(HNError):
    """The API answered, but not with something usable."""


class HNClient:
    """Fetches items and story lists; safe to share between concurrent tasks."""

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
        """``timeout``: one read; ``deadline``: one request, every attempt of it together
        (a server trickling a byte at a time never trips the read timeout)."""
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.policy = Policy(timeout=timeout, deadline=deadline, retries=retries, backoff=backoff)
        self.transport = Transport(
            self.policy, APIError, connections=connections, proxy_for=self.base_url
        )
        self._base: URL | None = None  # base_url parsed, on the first item

    @property
    def requests(self) -> int:
        """Attempts sent so far (retries included)."""
        return self.transport.requests

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> HNClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def item(self, item_id: int) -> Item | None:
        """One item, or None when the API has none (``null``) or sends no usable item."""
        if not is_item_id(item_id):
            return None
        path = f"item/{item_id}.json"
        raw = await self._get(path, self._url(path), item_json)
        return parse_item(raw, expected_id=item_id)

    def _url(self, path: str) -> URL:
        """The URL of a plain path (ASCII, nothing to encode) from the base parsed once:
        yarl parsing each of a thread's thousands of item URLs whole cost ~4 % of the CPU of
        a request."""
        if self._base is None:
            from yarl import URL

            self._base = URL(self.base_url)
        return self._base.with_path(self._base.raw_path + path, encoded=True)

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
        """GET and decode JSON; what is worth retrying is retried within the deadline."""
        return await self._get(path, self.base_url + path, std_json)

    async def _get(self, path: str, url: str | URL, loads: Callable[[bytes], Any]) -> Any:
        def decode(answer: Answer) -> Any:
            if answer.status != 200:
                where = self.base_url + path
                raise APIError(f"{path}: HTTP {answer.status}{_hint(answer.status, where)}")
            return loads(answer.body)

        return await self.transport.fetch("GET", url, decode, label=path)


def std_json(body: bytes) -> Any:
    """JSON as Python's ``json`` reads it; a body nested too deep for its recursion is refused
    like one that is no JSON at all, never raised as a ``RecursionError``."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise Failure("malformed JSON", retry=True) from exc


def item_json(body: bytes) -> Any:
    """An item's JSON by orjson, ~4x faster than ``json`` (~5 % of the CPU of a request in a
    thread load). Where the two read differently, ``json`` decides, so an item holds what it
    held: orjson refuses lone surrogates, NaN and a BOM, and reads an int over 64 bits as a
    float (an item's fields hold no floats; nested lists are only ids, where both are refused).
    Imported here, as aiohttp is: orjson brings uuid and datetime (~10 ms), off the path to the
    first frame."""
    import orjson

    try:
        raw = orjson.loads(body)
    except orjson.JSONDecodeError:
        return std_json(body)
    if isinstance(raw, dict) and float in map(type, raw.values()):
        return std_json(body)
    return raw


def _hint(status: int, url: str) -> str:
    """A nudge for the commonest set-up mistake: an API URL without its version path."""
    if status == 404 and "/v0/" not in url:
        return " (no /v0/ in the API URL?)"
    return ""
