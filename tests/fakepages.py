"""Article pages over real HTTP on 127.0.0.1: the fixture pages of tests/fixtures/articles/
with their content types, and the ways real article links fail.

``/NAME.html`` serves a fixture page; ``/redirect`` is a 302 to ``/blog.html`` (and
``/redirect-chain`` two hops to it); ``/away?to=URL`` is a 302 to any URL (an open redirect);
``/loop`` redirects to itself; ``/to-file`` redirects to a ``file:`` URL; ``/paywall`` answers
403; ``/paper.pdf`` is a PDF; ``/huge`` streams 5 MB with no Content-Length; ``/slow`` answers
only when ``release()`` is called (or the server stops), so a client's deadline is what ends
the request. ``hits`` counts requests per path.

The article fetcher refuses loopback addresses like any other non-public one: a test lets it
reach these servers through the test-only setting alone (``allow_loopback``).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from aiohttp import web
from hnterm.net.transport import TEST_LOOPBACK_ENV

from tests.webthread import ThreadedApp

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


class FakePages(ThreadedApp):
    def __init__(self) -> None:
        super().__init__()
        self.hits: Counter[str] = Counter()
        self._released: asyncio.Event | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    @property
    def origin(self) -> str:
        """The address and port the test-only setting names to let the fetcher in."""
        return f"127.0.0.1:{self.port}"

    def release(self) -> None:
        """Let ``/slow`` answer."""
        if self._loop is not None and self._released is not None:
            self._loop.call_soon_threadsafe(self._released.set)

    # -- answers ------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        self.hits[path] += 1
        if path.endswith(".html") and (ARTICLES / path).is_file() and "/" not in path:
            return web.Response(
                body=(ARTICLES / path).read_bytes(), content_type="text/html", charset="utf-8"
            )
        if path == "redirect":
            raise web.HTTPFound("/blog.html")
        if path == "redirect-chain":
            raise web.HTTPMovedPermanently(self.url("redirect"))
        if path == "away":
            raise web.HTTPFound(request.query["to"])
        if path == "loop":
            raise web.HTTPFound("/loop")
        if path == "to-file":
            raise web.HTTPFound("file:///etc/passwd")
        if path == "paywall":
            return web.Response(status=403, text="Subscribe to read", content_type="text/html")
        if path == "paper.pdf":
            return web.Response(body=b"%PDF-1.7\n" + b"0" * 1000, content_type="application/pdf")
        if path == "huge":
            response = web.StreamResponse(headers={"Content-Type": "text/html"})
            await response.prepare(request)
            chunk = b"<p>" + b"x" * 65_536 + b"</p>"
            for _ in range(80):  # ~5 MB, over the 4 MB cap
                await response.write(chunk)
            await response.write_eof()
            return response
        if path == "slow":
            assert self._released is not None
            await self._released.wait()
            return web.Response(text="<p>late</p>", content_type="text/html")
        raise web.HTTPNotFound()

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/{path:.*}", self._handle)

    def on_loop(self) -> None:
        self._released = asyncio.Event()

    def before_cleanup(self) -> None:
        if self._released is not None:
            self._released.set()  # a /slow answer still waiting ends now


def allow_loopback(monkeypatch: pytest.MonkeyPatch, *servers: FakePages) -> None:
    """Let the article fetcher reach ``servers`` (and no other loopback port) for one test,
    through the test-only setting: nothing a server sends can do that."""
    monkeypatch.setenv(TEST_LOOPBACK_ENV, ",".join(server.origin for server in servers))
