"""A fake of news.ycombinator.com's web forms on 127.0.0.1, served by aiohttp.web from a
thread of its own (so sync CLI tests and Pilot tests can both use it).

Pages are written in the shape HN serves (see tests/fixtures/hn-web-item.html): the ``me``
link, ``athing comtr`` rows with ``hnuser`` links, ``up_``/``un_`` vote links with ``auth``
tokens, fave links, a ``morelink`` after ``page_size`` comments, the reply form with ``hmac``,
and HN's refusal pages. Every request is logged with the cookie it carried.

Hostile modes (issue 21), off by default: ``markup`` is written raw into every page (odd markup:
``<![foo[``, ``id="²"``, ``vote?id=¹``); ``shown_name`` is the name in the ``me`` link, raw
(escape sequences); ``login_cookie`` is the ``user`` cookie a login sets, as a raw
``Set-Cookie`` header (C1 characters).
"""

from __future__ import annotations

import asyncio
import html
import secrets
import threading
from dataclasses import dataclass, field
from urllib.parse import quote

from aiohttp import web


@dataclass
class Comment:
    id: int
    parent: int
    by: str
    text: str = ""


@dataclass
class Logged:
    method: str
    path: str
    cookie: str | None


@dataclass
class State:
    passwords: dict[str, str] = field(default_factory=lambda: {"alice": "right-password"})
    captcha: set[str] = field(default_factory=set)  # users HN wants a captcha from
    sessions: dict[str, str] = field(default_factory=dict)  # cookie -> user
    threads: dict[int, list[Comment]] = field(default_factory=dict)  # root -> comments
    votes: set[tuple[str, int]] = field(default_factory=set)
    locked_votes: set[int] = field(default_factory=set)  # voted too long ago to take back
    faves: set[tuple[str, int]] = field(default_factory=set)
    dead: set[int] = field(default_factory=set)
    refusal: str | None = None  # the page text every reply gets, when set
    hold_replies: threading.Event | None = None  # when set: a reply is answered once it is
    pages_lag: bool = False  # item pages leave out replies posted here (a cached HN page)
    page_size: int = 3
    next_id: int = 90_000_000
    log: list[Logged] = field(default_factory=list)
    posted: list[Comment] = field(default_factory=list)  # replies kept off the pages (pages_lag)
    submitted: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # user, title, url, text
    markup: str = ""  # written raw into every page
    shown_name: str | None = None  # the logged-in name the top bar shows, raw
    login_cookie: str | None = None  # the cookie a login sets instead of NAME&HASH


def auth(user: str, item_id: int) -> str:
    return f"a{item_id}x{len(user)}"


class FakeWeb:
    """``with FakeWeb() as web: web.url``; ``web.state`` is shared with the handlers."""

    def __init__(self) -> None:
        self.state = State()
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    def __enter__(self) -> FakeWeb:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _start(self) -> None:
        app = web.Application(middlewares=[self._logger])
        app.router.add_post("/login", self.login)
        app.router.add_get("/news", self.news)
        app.router.add_get("/item", self.item)
        app.router.add_get("/vote", self.vote)
        app.router.add_get("/fave", self.fave)
        app.router.add_get("/reply", self.reply)
        app.router.add_post("/comment", self.comment)
        app.router.add_get("/submit", self.submit_page)
        app.router.add_get("/favorites", self.favorites)
        app.router.add_post("/r", self.submit)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    # -- helpers for tests -----------------------------------------------------------------
    def add_thread(self, root: int, comments: list[tuple[int, int, str]]) -> None:
        self.state.threads[root] = [Comment(i, parent, by) for i, parent, by in comments]

    def revoke_all(self) -> None:
        self.state.sessions.clear()

    # -- plumbing ---------------------------------------------------------------------------
    @web.middleware
    async def _logger(self, request: web.Request, handler):
        self.state.log.append(
            Logged(request.method, request.path_qs, request.headers.get("Cookie"))
        )
        return await handler(request)

    def _user(self, request: web.Request) -> str | None:
        cookie = request.cookies.get("user")
        return self.state.sessions.get(cookie) if cookie else None

    def _page(self, user: str | None, body: str) -> web.Response:
        shown = self.state.shown_name or user
        top = (
            f'<a id="me" href="user?id={user}">{shown}</a> | <a href="logout?auth=z">logout</a>'
            if user
            else '<a href="login?goto=news">login</a>'
        )
        return web.Response(
            text=f"<html><head><title>Hacker News</title></head><body><center>"
            f'<table id="hnmain"><tr><td><span class="pagetop">{top}</span></td></tr>'
            f"{body}{self.state.markup}</table></center></body></html>",
            content_type="text/html",
        )

    def _row(self, user: str | None, item_id: int, by: str, goto: str, comment: bool) -> str:
        state = self.state
        links = ""
        if user is not None and by != user:
            token = auth(user, item_id)
            voted = (user, item_id) in state.votes
            nosee = " nosee" if voted else ""
            links += (
                f'<a id="up_{item_id}" class="clicky{nosee}" href="vote?id={item_id}&amp;how=up'
                f'&amp;auth={token}&amp;goto={quote(goto)}"><div class="votearrow"></div></a>'
            )
            if voted and item_id not in state.locked_votes:
                links += (
                    f'<a id="un_{item_id}" class="clicky" href="vote?id={item_id}&amp;how=un'
                    f'&amp;auth={token}&amp;goto={quote(goto)}">unvote</a>'
                )
        if user is not None:
            faved = (user, item_id) in state.faves
            un = "&amp;un=t" if faved else ""
            links += (
                f'<a href="fave?id={item_id}{un}&amp;auth={auth(user, item_id)}">'
                f"{'un-favorite' if faved else 'favorite'}</a>"
            )
        kind = "athing comtr" if comment else "athing submission"
        return (
            f'<tr class="{kind}" id="{item_id}"><td class="votelinks">{links}</td>'
            f'<td><a href="user?id={by}" class="hnuser">{html.escape(by)}</a></td></tr>'
        )

    # -- handlers -----------------------------------------------------------------------------
    async def login(self, request: web.Request) -> web.Response:
        form = await request.post()
        user, password = str(form.get("acct", "")), str(form.get("pw", ""))
        if user in self.state.captcha:
            return self._page(
                None,
                "<tr><td>Validation required. If this doesn't work, email hn@ycombinator.com"
                '<div class="g-recaptcha"></div></td></tr>',
            )
        if self.state.passwords.get(user) != password or not password:
            return self._page(None, "<tr><td>Bad login.</td></tr>")
        cookie = self.state.login_cookie or f"{user}&{secrets.token_hex(8)}"
        self.state.sessions[cookie] = user
        response = web.HTTPFound(f"/{form.get('goto', 'news')}")
        if self.state.login_cookie is None:
            response.set_cookie("user", cookie, path="/")
        else:  # raw, as a hostile server would send it (set_cookie would quote it)
            response.headers["Set-Cookie"] = f"user={cookie}; Path=/"
        raise response

    async def news(self, request: web.Request) -> web.Response:
        return self._page(self._user(request), "<tr><td>stories</td></tr>")

    async def item(self, request: web.Request) -> web.Response:
        user = self._user(request)
        item_id = int(request.query.get("id", "0"))
        page = int(request.query.get("p", "1"))
        goto = f"item?id={item_id}"
        state = self.state
        rows = []
        comments = state.threads.get(item_id)
        if comments is None:  # a comment: its own row and its replies
            everything = [c for thread in state.threads.values() for c in thread]
            own = next((c for c in everything if c.id == item_id), None)
            if own is not None:
                rows.append(self._row(user, own.id, own.by, goto, True))
            rows += [
                self._row(user, c.id, c.by, goto, True) for c in everything if c.parent == item_id
            ]
        else:
            if page == 1:
                rows.append(self._row(user, item_id, "op", goto, False))
            start = (page - 1) * state.page_size
            chunk = comments[start : start + state.page_size]
            rows += [self._row(user, c.id, c.by, goto, True) for c in chunk]
            if start + state.page_size < len(comments):
                rows.append(
                    f'<tr><td><a href="item?id={item_id}&amp;p={page + 1}" class="morelink" '
                    'rel="next">More</a></td></tr>'
                )
        return self._page(user, "".join(rows))

    async def vote(self, request: web.Request) -> web.Response:
        user = self._user(request)
        item_id = int(request.query.get("id", "0"))
        if user is None or request.query.get("auth") != auth(user, item_id):
            return self._page(user, "<tr><td>Can't make that vote.</td></tr>")
        if request.query.get("how") == "up":
            self.state.votes.add((user, item_id))
        elif item_id not in self.state.locked_votes:
            self.state.votes.discard((user, item_id))
        raise web.HTTPFound("/" + request.query.get("goto", "news"))

    async def fave(self, request: web.Request) -> web.Response:
        user = self._user(request)
        item_id = int(request.query.get("id", "0"))
        if user is None or request.query.get("auth") != auth(user, item_id):
            return self._page(user, "<tr><td>Can't do that.</td></tr>")
        if request.query.get("un") == "t":
            self.state.faves.discard((user, item_id))
        else:
            self.state.faves.add((user, item_id))
        raise web.HTTPFound(f"/item?id={item_id}")

    async def reply(self, request: web.Request) -> web.Response:
        user = self._user(request)
        parent = int(request.query.get("id", "0"))
        if user is None:
            raise web.HTTPFound("/login?goto=reply")
        if parent in self.state.dead:
            return self._page(user, "<tr><td>That item is dead; it takes no replies.</td></tr>")
        goto = html.escape(request.query.get("goto", "news"))
        return self._page(
            user,
            f'<tr><td><form action="comment" method="post">'
            f'<input type="hidden" name="parent" value="{parent}">'
            f'<input type="hidden" name="goto" value="{goto}">'
            f'<input type="hidden" name="hmac" value="h{parent}mac">'
            '<textarea name="text" rows="8" cols="80" wrap="virtual"></textarea><br><br>'
            '<input type="submit" value="reply"></form></td></tr>',
        )

    async def comment(self, request: web.Request) -> web.Response:
        user = self._user(request)
        form = await request.post()
        parent = int(str(form.get("parent", "0")))
        if user is None:
            return self._page(None, "<tr><td>Please log in.</td></tr>")
        if form.get("hmac") != f"h{parent}mac":
            return self._page(user, "<tr><td>Bad hmac.</td></tr>")
        if self.state.refusal is not None:
            return self._page(user, f"<tr><td>{self.state.refusal}</td></tr>")
        if (hold := self.state.hold_replies) is not None:
            await asyncio.to_thread(hold.wait, 10)
        self.state.next_id += 1
        new = Comment(self.state.next_id, parent, user, str(form.get("text", "")))
        if self.state.pages_lag:
            self.state.posted.append(new)
            raise web.HTTPFound("/" + str(form.get("goto", "news")))
        for root, comments in self.state.threads.items():
            if parent == root or parent in {c.id for c in comments}:
                comments.append(new)
                break
        raise web.HTTPFound("/" + str(form.get("goto", "news")))

    async def submit_page(self, request: web.Request) -> web.Response:
        user = self._user(request)
        if user is None:
            raise web.HTTPFound("/login?goto=submit")
        return self._page(
            user,
            '<tr><td><form action="r" method="post">'
            '<input type="hidden" name="fnid" value="f3c9">'
            '<input type="hidden" name="fnop" value="submit-page">'
            'title <input type="text" name="title" value="" size="50">'
            'url <input type="text" name="url" value="" size="50">'
            '<textarea name="text" rows="4" cols="49"></textarea>'
            '<input type="submit" value="submit"></form></td></tr>',
        )

    async def submit(self, request: web.Request) -> web.Response:
        user = self._user(request)
        form = await request.post()
        if user is None:
            return self._page(None, "<tr><td>Please log in.</td></tr>")
        if form.get("fnid") != "f3c9":
            return self._page(user, "<tr><td>Unknown or expired link.</td></tr>")
        if self.state.refusal is not None:
            return self._page(user, f"<tr><td>{self.state.refusal}</td></tr>")
        title = str(form.get("title", "")).strip()
        if not title:
            return self._page(user, "<tr><td>Please enter a title.</td></tr>")
        url, text = str(form.get("url", "")), str(form.get("text", ""))
        self.state.submitted.append((user, title, url, text))
        raise web.HTTPFound("/newest")

    async def favorites(self, request: web.Request) -> web.Response:
        user = self._user(request)
        name = request.query.get("id", "")
        faves = sorted((i for who, i in self.state.faves if who == name), reverse=True)
        rows = "".join(
            f'<tr class="athing submission" id="{i}"><td class="title">'
            f'<span class="titleline"><a href="item?id={i}">story {i}</a></span></td></tr>'
            for i in faves
        )
        return self._page(user, rows)
