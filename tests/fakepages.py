"""Article pages over real HTTP on 127.0.0.1: the fixture pages of tests/fixtures/articles/
with their content types, and the ways real article links fail.

``/NAME.html`` serves a fixture page; ``/redirect`` is a 302 to ``/blog.html`` (and
``/redirect-chain`` two hops to it); ``/loop`` redirects to itself; ``/to-file`` redirects to a
``file:`` URL; ``/paywall`` answers 403; ``/paper.pdf`` is a PDF; ``/huge`` streams 5 MB with no
Content-Length; ``/slow`` answers only when ``release()`` is called (or the server stops), so a
client's deadline is what ends the request. ``hits`` counts requests per path.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from pathlib import Path

from aiohttp import web

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


class FakePages:
    def __init__(self) -> None:
        self.port = 0
        self.hits: Counter[str] = Counter()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._released: asyncio.Event | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

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

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> FakePages:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def _run(self, ready: threading.Event) -> None:
        loop = self._loop = asyncio.new_event_loop()
        self._released = asyncio.Event()
        app = web.Application()
        app.router.add_get("/{path:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()
        loop.run_forever()
        self._released.set()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    def stop(self) -> None:
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._thread = None

    def __enter__(self) -> FakePages:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
