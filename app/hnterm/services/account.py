"""Your HN account: votes, favourites, replies and submissions through HN's web forms.

Requests go to HN's web site through ``hnterm.net.web_forms`` on the caller's loop (they are
few and small); the session comes from ``hnterm login``. ``refusal`` says why an action cannot
be done now (no login, a refused web URL, offline), before anything is sent. A reply's text is
kept as a draft in the cache until HN has it, with the reason when a try failed.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace

from hnterm.model.errors import CacheError, HNError, WebError
from hnterm.model.items import Item
from hnterm.net.web_forms import WebClient, web_url
from hnterm.storage.cache import Cache
from hnterm.storage.drafts import Draft
from hnterm.storage.session import SessionStore, user_of
from hnterm.storage.worker import CacheWorker


def reply_html(text: str) -> str:
    """What HN stores for a plain-text reply: escaped, paragraphs joined by ``<p>``."""
    paragraphs = [" ".join(part.split("\n")) for part in text.strip().split("\n\n")]
    return "<p>".join(html.escape(part, quote=False) for part in paragraphs if part.strip())


class Account:
    """The logged-in session (if any) and what it can do on HN."""

    def __init__(
        self,
        worker: CacheWorker,
        deadline: float,
        network_unusable: Callable[[], bool],
        web: str | None = None,  # --web-url; None: $HNTERM_WEB_URL, else HN's site
    ) -> None:
        self._worker = worker
        self._web_url = web
        self._deadline = deadline
        self._network_unusable = network_unusable  # offline, or the network is down
        self.cookie: str | None = None
        self.base: str | None = None
        self.problem: str | None = None  # why there is no account (a refused web URL)
        self.kept: list[str] = []  # every account with a kept session (read by sign_in)

    async def sign_in(self, account: str | None = None) -> str | None:
        """Read the stored session (the active account's, or ``account``'s: --account).
        What the reader must be told about it, if anything: a stored session not in HN's
        shape is refused (and ``problem`` says why), as is an account with none kept."""
        try:
            self.base = web_url(self._web_url)
        except WebError as exc:
            self.problem = str(exc)
            return None
        store = SessionStore()
        self.cookie = await asyncio.to_thread(store.load, account)
        self.kept = await asyncio.to_thread(store.accounts)
        if store.problem is None and self.cookie is None and account is not None:
            store.problem = f"no HN session kept for {account}: run hnterm login {account}"
        if store.problem is not None:
            self.problem = store.problem
        return store.problem

    def others(self) -> list[str]:
        """The accounts with a kept session that are not the one in use."""
        return [name for name in self.kept if name != self.user]

    async def switch(self, account: str) -> str | None:
        """Vote, favourite and reply as ``account`` from now on, and at the next start (its
        session becomes the active one); why not, or None when switched."""
        store = SessionStore()
        switched = await asyncio.to_thread(store.switch, account)
        cookie = await asyncio.to_thread(store.load) if switched else None
        if cookie is None or user_of(cookie) != account:
            return store.problem or f"no HN session kept for {account}: run hnterm login {account}"
        self.cookie, self.problem = cookie, None
        self.kept = await asyncio.to_thread(store.accounts)
        return None

    @property
    def user(self) -> str | None:
        return user_of(self.cookie) if self.cookie else None

    @property
    def can_reply(self) -> bool:
        """Logged in with a usable web URL (offline, a reply is written and kept as a draft)."""
        return self.cookie is not None and not self.problem

    def refusal(self, what: str) -> str | None:
        """Why ``what`` cannot be done now, or None when it can."""
        if self.problem:
            return f"{what}: {self.problem}"
        if self.cookie is None:
            return f"{what} needs an HN login: run hnterm login in a shell, then restart"
        if self._network_unusable():
            return f"Offline: {what} needs the network; nothing was sent"
        return None

    def _web(self) -> WebClient:
        assert self.base is not None
        return WebClient(self.base, self.cookie, deadline=self._deadline)

    async def voted_in(self, root: int) -> set[int]:
        """The items of a thread you voted on (``HNError`` when HN cannot say)."""
        async with self._web() as client:
            page = await client.item_page(root)
        return {item_id for item_id, links in page.items.items() if links.voted}

    async def vote(self, item_id: int) -> bool:
        """Vote, or take the vote back; whether it is voted now."""
        async with self._web() as client:
            return await client.vote(item_id)

    async def fave(self, item_id: int) -> bool:
        """Favourite, or unfavourite; whether it is a favourite now."""
        async with self._web() as client:
            return await client.fave(item_id)

    async def favourites(self) -> tuple[list[int], str | None]:
        """Your favourite stories on HN; the error says why there are none (no login,
        offline, HN refused)."""
        if (why := self.refusal("Your HN favourites")) is not None:
            return [], why
        try:
            async with self._web() as client:
                return await client.favourites(), None
        except HNError as exc:
            return [], str(exc)

    async def submit(self, title: str, url: str, text: str) -> None:
        async with self._web() as client:
            await client.submit(title, url, text)

    def reply_item(self, parent: int, text: str, item_id: int = 0) -> Item:
        """Your reply to ``parent`` as an item to show (``item_id``: HN's, once known)."""
        return Item(
            id=item_id, type="comment", by=self.user, time=int(time.time()),
            text=reply_html(text), parent=parent,
        )  # fmt: skip

    async def reply(self, parent: Item, root: int, text: str) -> Item | None:
        """Post a reply; the draft goes once HN has it. The reply as an item to show, or
        None when HN did not say its id. It is cached under its parent, so the thread shows
        it when opened again before the API lists it."""
        async with self._web() as client:
            new_id = await client.reply(parent.id, root, text)
        with suppress(CacheError):
            await self._worker.run(Cache.delete_draft, parent.id, self.user or "")
        if new_id is None:
            return None
        mine = self.reply_item(parent.id, text, new_id)
        above = replace(parent, kids=tuple(dict.fromkeys((*parent.kids, new_id))))
        with suppress(CacheError):
            await self._worker.run(Cache.put_items, [above, mine], root)
        return mine

    async def draft(self, parent: int) -> Draft | None:
        """Your draft answering ``parent`` (drafts belong to the account that wrote them)."""
        return await self._worker.run(Cache.draft, parent, self.user or "")

    async def keep_draft(self, parent: int, root: int, text: str, error: str | None = None) -> None:
        """Keep the reply's text (and why the last try failed)."""
        with suppress(CacheError):  # the cache's own notice says why
            await self._worker.run(Cache.put_draft, parent, root, text, error, self.user or "")
