"""Your HN account in the reading view: vote (``v``), favourite (``m``), reply (``e``).

A mixin of ``MainScreen`` (kept here so main.py only names it): Textual dispatches ``on_mount``
and ``on_comment_view_cursor_moved`` to every class of the screen's MRO, so these run beside
the screen's own handlers. Requests go to HN's web site through ``hnterm.net.web_forms`` on the UI
loop (they are few and small); the session comes from ``hnterm login``. Offline, nothing is
sent and the reader is told why; a reply's text is kept as a draft whatever happens.
"""

from __future__ import annotations

import asyncio
import html
import time
from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding

from hnterm.model.format import age
from hnterm.model.items import Item
from hnterm.model.thread import Thread
from hnterm.net.client import HNError
from hnterm.net.web_forms import WebClient, WebError, web_url
from hnterm.render.text import html_to_plain, sanitize
from hnterm.storage.cache import Cache, CacheError
from hnterm.storage.session import SessionStore, user_of
from hnterm.ui.widgets.comment_view import CommentView

if TYPE_CHECKING:
    from hnterm.ui.screens.main import MainScreen
    from hnterm.ui.screens.reply import ReplyScreen

ACCOUNT_BINDINGS = [
    Binding("v", "vote", "Vote / unvote on HN", show=False, id="account.vote"),
    Binding("m", "fave", "Favourite / unfavourite on HN", show=False, id="account.fave"),
    Binding("e", "reply", "Reply on HN", show=False, id="account.reply"),
    Binding("P", "submit_story", "Submit a story to HN", show=False, id="account.submit"),
]
QUOTE_LINES = 12


def reply_html(text: str) -> str:
    """What HN stores for a plain-text reply: escaped, paragraphs joined by ``<p>``."""
    paragraphs = [" ".join(part.split("\n")) for part in text.strip().split("\n\n")]
    return "<p>".join(html.escape(part, quote=False) for part in paragraphs if part.strip())


def quote_of(item: Item) -> Text:
    """The comment being answered, as plain text (never markup), cut to a few lines."""
    body = html_to_plain(item.text) if item.text else sanitize(item.title or "")
    lines = body.splitlines() or [""]
    shown = lines[:QUOTE_LINES] + (["…"] if len(lines) > QUOTE_LINES else [])
    quoted = Text()
    quoted.append(f"{sanitize(item.by or '?')} wrote:\n", style="bold")
    quoted.append("\n".join(f"> {line}" for line in shown))
    return quoted


class AccountActions:
    """``v``, ``m``, ``e`` and ``P`` for ``MainScreen``; the logged-in user shows in the
    title."""

    web_cookie: str | None = None
    web_base: str | None = None
    web_problem: str | None = None  # why there is no account (a refused web URL)
    _votes_for: int | None = None

    async def on_mount(self: MainScreen) -> None:
        try:
            self.web_base = web_url()
        except WebError as exc:
            self.web_problem = str(exc)
            return
        self.web_cookie = await asyncio.to_thread(SessionStore().load)
        if self.web_cookie:
            self.app.title = f"hnterm · {user_of(self.web_cookie)}"

    def on_comment_view_cursor_moved(self: MainScreen, event: Any) -> None:
        """The first look at a thread while logged in reads which items you voted."""
        thread = self.thread
        if thread is None or self.web_cookie is None or self._votes_for == thread.root_id:
            return
        if self.thread_loading or self.source.offline or self.source.network_down:
            return
        self._votes_for = thread.root_id
        self.run_worker(self._read_votes(thread), group="account-votes", exclusive=True)

    async def _read_votes(self: MainScreen, thread: Thread) -> None:
        try:
            async with self._web() as client:
                page = await client.item_page(thread.root_id)
        except HNError as exc:
            self.status.show(f"Votes not shown: {exc}", error=True)
            return
        voted = {item_id for item_id, links in page.items.items() if links.voted}
        changed = voted ^ thread.voted
        thread.voted = voted
        if changed and self.thread is thread:
            self.query_one(CommentView).thread_changed(changed)

    def _web(self: MainScreen) -> WebClient:
        assert self.web_base is not None
        return WebClient(self.web_base, self.web_cookie, deadline=self.app.config.deadline)

    def _refusal(self: MainScreen, what: str) -> str | None:
        """Why ``what`` cannot be done now, or None when it can."""
        if self.web_problem:
            return f"{what}: {self.web_problem}"
        if self.web_cookie is None:
            return f"{what} needs an HN login: run hnterm login in a shell, then restart"
        if self.source.offline or self.source.network_down:
            return f"Offline: {what} needs the network; nothing was sent"
        return None

    async def action_vote(self: MainScreen) -> None:
        if (focused := self._focused()) is None:
            return
        thread, item_id = focused
        if (why := self._refusal("Voting")) is not None:
            self.status.show(why, error=True)
            return
        view = self.query_one(CommentView)
        was = item_id in thread.voted
        _toggle(thread.voted, item_id, not was)  # at once; corrected by HN's answer
        view.thread_changed([item_id])
        self.status.show("Taking the vote back…" if was else "Voting…")
        try:
            async with self._web() as client:
                voted = await client.vote(item_id)
        except HNError as exc:
            _toggle(thread.voted, item_id, was)
            view.thread_changed([item_id])
            self.status.show(f"Not voted: {exc}", error=True)
            return
        _toggle(thread.voted, item_id, voted)
        view.thread_changed([item_id])
        self.status.show("Upvoted on HN; v takes it back" if voted else "Vote taken back")

    async def favourite_ids(self: MainScreen) -> tuple[list[int], str | None]:
        """Your favourite stories on HN, for the list (8); the error says why there are
        none (no login, offline, HN refused)."""
        if (why := self._refusal("Your HN favourites")) is not None:
            return [], why
        try:
            async with self._web() as client:
                return await client.favourites(), None
        except HNError as exc:
            return [], str(exc)

    def action_submit_story(self: MainScreen) -> None:
        """A story (a link or a text post) through HN's submit form."""
        if (why := self._refusal("Submitting")) is not None:
            self.status.show(why, error=True)
            return
        from hnterm.ui.screens.submit import SubmitScreen

        self.app.push_screen(SubmitScreen(), self._submit_chosen)

    async def _submit_chosen(self: MainScreen, story: Any) -> None:
        if story is None:
            return
        self.status.show("Submitting to HN…")
        try:
            async with self._web() as client:
                await client.submit(story.title, story.url, story.text)
        except HNError as exc:
            self.status.show(f"Not submitted: {exc}", error=True)
            return
        self.status.show(f"Submitted {sanitize(story.title)!r}: it shows in New (2)")

    async def action_fave(self: MainScreen) -> None:
        if (focused := self._focused()) is None:
            return
        item_id = focused[1]
        if (why := self._refusal("Favouriting")) is not None:
            self.status.show(why, error=True)
            return
        try:
            async with self._web() as client:
                faved = await client.fave(item_id)
        except HNError as exc:
            self.status.show(f"Not changed: {exc}", error=True)
            return
        self.status.show(
            "Added to your HN favourites; m removes it"
            if faved
            else "Removed from your HN favourites"
        )

    async def action_reply(self: MainScreen) -> None:
        """The reply dialog for the comment under the cursor, with its draft if one is kept."""
        if (focused := self._focused()) is None:
            return
        thread, parent = focused
        if self.web_cookie is None or self.web_problem:
            self.status.show(self._refusal("Replying") or "", error=True)
            return
        cache = self.source.cache
        draft = await cache.run(Cache.draft, parent)
        root = thread.root_id

        async def save(text: str) -> None:
            with suppress(CacheError):  # the cache's own notice says why
                await cache.run(Cache.put_draft, parent, root, text)

        def done(text: str | None) -> None:
            if text is None:
                self.status.show("Reply closed; its draft is kept (e opens it again)")
            else:
                self.run_worker(self._send_reply(thread, parent, text), group="account-reply")

        item = thread.items[parent]
        title = f"Reply to {sanitize(item.by or '?')} (ctrl+s sends)"
        self.app.push_screen(
            _reply_screen()(title, quote_of(item), draft.text if draft else "", save), done
        )
        if draft is not None:
            note = f" (last try: {draft.error})" if draft.error else ""
            self.notify(f"Your draft from {age(int(draft.updated))} is back{note}", markup=False)

    async def _send_reply(self: MainScreen, thread: Thread, parent: int, text: str) -> None:
        cache = self.source.cache
        root = thread.root_id
        if (why := self._refusal("Replying")) is not None:
            self._reply_failed(why, parent, root, text)
            return
        self.status.show("Sending the reply…")
        try:
            async with self._web() as client:
                new_id = await client.reply(parent, root, text)
        except HNError as exc:
            self._reply_failed(f"Not sent: {exc}", parent, root, text)
            return
        with suppress(CacheError):
            await cache.run(Cache.delete_draft, parent)
        if new_id is None:
            self.status.show("Reply posted; r reloads the thread to show it")
            return
        user = user_of(self.web_cookie)
        mine = Item(
            id=new_id, type="comment", by=user, time=int(time.time()), text=reply_html(text),
            parent=parent,
        )  # fmt: skip
        above = thread.items[parent]
        thread.add([replace(above, kids=(*above.kids, new_id)), mine])
        thread.mine.add(new_id)
        with suppress(CacheError):
            await cache.run(Cache.put_items, [mine], root)
        if self.thread is thread:
            view = self.query_one(CommentView)
            view.thread_changed(replied_to=[parent])
            view.jump(new_id)
        self.notify("Reply posted on HN", markup=False)  # the status line follows the cursor

    def _reply_failed(self: MainScreen, why: str, parent: int, root: int, text: str) -> None:
        """Say why, keep the draft with the reason (offered again with ``e``)."""
        message = f"{why}. The draft is kept: e opens it again"
        self.status.show(message, error=True)
        self.notify(message, severity="error", markup=False, timeout=10)
        self.run_worker(self._keep_draft(parent, root, text, why), group="account-draft")

    async def _keep_draft(self: MainScreen, parent: int, root: int, text: str, why: str) -> None:
        with suppress(CacheError):  # the cache's own notice says why
            await self.source.cache.run(Cache.put_draft, parent, root, text, why)


def _toggle(ids: set[int], item_id: int, present: bool) -> None:
    if present:
        ids.add(item_id)
    else:
        ids.discard(item_id)


def _reply_screen() -> type[ReplyScreen]:
    """The reply dialog's class, imported when a reply is first written (TextArea and all
    stay out of the app's start)."""
    from hnterm.ui.screens.reply import ReplyScreen

    return ReplyScreen
