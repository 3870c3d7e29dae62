"""A client for news.ycombinator.com's web forms, through the one HTTP layer.

A deadline per request covering its attempts, retries (GETs only: a vote or a reply posted
twice is worse than one that failed), the 4 MB body cap and the failure reasons come from
``hnterm.net.transport``. The session cookie is sent by hand, as a header, on requests to
the web base URL alone: the cookie jar is a dummy, redirects are never followed, and a link
read from a page is followed only when it is relative (a page cannot send the cookie
elsewhere). Plain HTTP is refused except to 127.0.0.1 (the tests' fake server): the cookie is
as good as the password.
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlsplit

from hnterm.model.errors import WebError
from hnterm.model.format import DEFAULT_WEB_URL, WEB_ENV
from hnterm.model.users import cookie_problem
from hnterm.net.transport import Policy, Transport
from hnterm.net.web_pages import (
    Form,
    ItemPage,
    VoteLinks,
    login_failure,
    page_text,
    parse_form,
    parse_item_page,
)

MAX_PAGES = 10  # "more" pages read for one thread's votes (HN shows ~200 comments a page)


class LoginFailed(WebError):
    """Wrong password, a captcha, or another page instead of the login redirect."""


class SessionExpired(WebError):
    """HN no longer knows the stored cookie (expired, or revoked by logging out elsewhere)."""


class Refused(WebError):
    """HN answered with its own refusal (posting too fast, a duplicate, a dead thread)."""


def web_url(value: str | None = None) -> str:
    """The web base URL: ``value``, else ``$HNTERM_WEB_URL``, else HN; checked."""
    url = (value or os.environ.get(WEB_ENV) or DEFAULT_WEB_URL).rstrip("/")
    check_web_url(url)
    return url


def check_web_url(url: str) -> None:
    """Refuse a base URL the cookie must not go to: only https, or http to 127.0.0.1."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname == "127.0.0.1":
        return
    raise WebError(f"web URL {url!r} refused: use https:// (plain http only to 127.0.0.1)")


def relative(href: str) -> str:
    """A link from a page as a path under the base URL; anything pointing elsewhere is
    refused, so the cookie never follows it."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("//"):
        raise WebError("HN's page links somewhere else; not followed")
    return href.lstrip("/")


class WebClient:
    """One logged-in (or logging-in) user's requests to HN's web pages."""

    def __init__(
        self,
        base_url: str = DEFAULT_WEB_URL,
        cookie: str | None = None,
        *,
        timeout: float = 10.0,
        deadline: float = 30.0,
        retries: int = 2,
        backoff: float = 0.25,
    ) -> None:
        check_web_url(base_url)
        self.base_url = base_url.rstrip("/")
        self.cookie = cookie
        policy = Policy(timeout=timeout, deadline=deadline, retries=retries, backoff=backoff)
        # The cookie jar is a dummy: the cookie goes out by hand, in ``_request``.
        self.transport = Transport(policy, WebError, proxy_for=self.base_url)

    @property
    def user(self) -> str | None:
        """The user the cookie belongs to (HN's cookie is ``NAME&HASH``)."""
        return self.cookie.split("&", 1)[0] if self.cookie else None

    async def __aenter__(self) -> WebClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.transport.aclose()

    # -- the account ----------------------------------------------------------------------
    async def login(self, user: str, password: str) -> str:
        """Log in through HN's form; the ``user`` cookie on success (kept on the client)."""
        status, _, body, cookie = await self._request(
            "POST", "login", data={"acct": user, "pw": password, "goto": "news"}, retry=False
        )
        if cookie and status in (301, 302, 303):
            if (why := cookie_problem(cookie)) is not None:
                raise LoginFailed(f"HN's session cookie was refused: {why}")
            self.cookie = cookie
            return cookie
        raise LoginFailed(login_failure(body) if status == 200 else f"login: HTTP {status}")

    async def whoami(self) -> str:
        """Who HN says is logged in with the cookie; ``SessionExpired`` when nobody."""
        return self._logged_in(await self._page("news"))

    # -- items ----------------------------------------------------------------------------
    async def item_page(self, item_id: int, *, pages: int = MAX_PAGES) -> ItemPage:
        """An item's page, with the vote links of long threads' further pages merged in."""
        page = await self._page(f"item?id={item_id}")
        self._logged_in(page)
        seen = {page.more}
        more = page.more
        for _ in range(pages - 1):
            if more is None:
                break
            following = await self._page(relative(more))
            page.items.update(following.items)
            page.comments_by.update(following.comments_by)
            more = following.more
            if more in seen:
                break
            seen.add(more)
        return page

    async def links(self, item_id: int) -> VoteLinks:
        """One item's links, from its own page (fresh ``auth`` tokens)."""
        page = await self.item_page(item_id, pages=1)
        return page.items.get(item_id, VoteLinks())

    async def vote(self, item_id: int) -> bool:
        """Upvote, or take the vote back if it is there; the new state (True: voted)."""
        links = await self.links(item_id)
        if links.voted:
            if links.un is None:
                raise Refused("HN no longer lets you take this vote back")
            await self._follow(links.un)
            return False
        if links.up is None:
            raise Refused("HN offers no vote on this item (your own, or closed)")
        await self._follow(links.up)
        return True

    async def fave(self, item_id: int) -> bool:
        """Favourite, or unfavourite; the new state (True: a favourite)."""
        links = await self.links(item_id)
        if links.fave is None:
            raise Refused("HN offers no favourite link for this item")
        await self._follow(links.fave)
        return not links.faved

    async def reply(self, parent: int, root: int, text: str) -> int | None:
        """Post a reply through HN's reply form; the new comment's id when it can be found
        on the parent's page (else None: it was posted all the same)."""
        goto = quote(f"item?id={root}#{parent}", safe="")
        status, _, body, _ = await self._request("GET", f"reply?id={parent}&goto={goto}")
        self._check_status(status, body)
        form = parse_form(body, "comment")
        if form is None or "hmac" not in form.fields:
            self._logged_in(parse_item_page(body))
            raise Refused(f"HN refused the reply: {page_text(body) or 'no reply form'}")
        await self._post_form(form, text=text)
        page = await self.item_page(parent)
        mine = [i for i, by in page.comments_by.items() if by == self.user and i != parent]
        return max(mine) if mine else None

    async def favourites(self) -> list[int]:
        """The logged-in user's favourite stories on HN, newest first (the first page)."""
        if not self.user:
            raise WebError("not logged in: run hnterm login")
        page = await self._page(f"favorites?id={quote(self.user, safe='')}")
        self._logged_in(page)
        return page.stories

    async def submit(self, title: str, url: str = "", text: str = "") -> None:
        """Submit a story through HN's submit form: a link (``url``) or a text post."""
        status, _, body, _ = await self._request("GET", "submit")
        self._check_status(status, body)
        form = parse_form(body, "r")
        if form is None or "fnid" not in form.fields:
            self._logged_in(parse_item_page(body))
            raise Refused(f"HN refused the submission: {page_text(body) or 'no submit form'}")
        await self._post_form(form, title=title, url=url, text=text)

    async def _post_form(self, form: Form, **values: str) -> None:
        """Post ``form`` with its hidden fields and ``values``; HN answers a success with a
        redirect, a refusal with a page saying why."""
        data = {**form.fields, **values}
        status, _, body, _ = await self._request("POST", form.action, data=data, retry=False)
        if status in (301, 302, 303):
            return
        if status == 200:
            raise Refused(f"HN refused it: {page_text(body) or 'an empty page'}")
        raise WebError(f"HN answered HTTP {status}")

    # -- plumbing -------------------------------------------------------------------------
    def _logged_in(self, page: ItemPage) -> str:
        if page.user:
            return page.user
        if self.cookie:
            raise SessionExpired(
                "your HN session has expired or was revoked: run hnterm login again"
            )
        raise WebError("not logged in: run hnterm login")

    async def _page(self, path: str) -> ItemPage:
        status, _, body, _ = await self._request("GET", path)
        self._check_status(status, body)
        return parse_item_page(body)

    async def _follow(self, href: str) -> None:
        """Follow a vote or fave link (HN answers with a redirect back)."""
        status, _, body, _ = await self._request("GET", relative(href), retry=False)
        if status in (301, 302, 303):
            return
        self._check_status(status, body)
        page = parse_item_page(body)  # a page instead of the redirect: HN said no
        self._logged_in(page)
        raise Refused(f"HN refused it: {page_text(body) or 'an empty page'}")

    def _check_status(self, status: int, body: str) -> None:
        if status != 200:
            raise WebError(f"HN answered HTTP {status}: {page_text(body)[:80]}".rstrip(": "))

    async def _request(
        self, method: str, path: str, *, data: dict[str, str] | None = None, retry: bool = True
    ) -> tuple[int, dict[str, str], str, str | None]:
        """Status, headers, body and the ``user`` cookie set (if any), with the transport's
        retry rules (only when ``retry``: never for a post or a vote)."""
        headers = {"Cookie": f"user={self.cookie}"} if self.cookie else None
        answer = await self.transport.request(
            method, f"{self.base_url}/{path}", data=data, headers=headers, retry=retry
        )
        body = answer.body.decode("utf-8", "replace")
        return answer.status, dict(answer.headers), body, answer.cookies.get("user") or None
