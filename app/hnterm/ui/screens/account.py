"""Your HN account in the reading view: vote (``v``), favourite (``m``), reply (``e``), submit
(``P``), and the logged-in user in the title.

``AccountController`` is an object the reading view holds (no mixin): the screen's actions
call it, and it acts on the open thread through the thread pane. What is sent to HN, and the
drafts, go through ``hnterm.services.account``; offline, nothing is sent and the reader is
told why; a reply's text is kept as a draft whatever happens. Every worker here runs through
``_soft``: whatever it meets is one status line, never the app's end.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen

from hnterm.model.errors import CacheError, HNError
from hnterm.model.format import age
from hnterm.model.items import Item
from hnterm.model.thread import Thread
from hnterm.render.text import html_to_plain, one_line, sanitize
from hnterm.services.account import Account
from hnterm.services.reading import (
    Change,
    is_provisional,
    set_vote,
    set_votes,
    settle_reply,
    show_reply,
)
from hnterm.ui.thread_pane import ThreadPane, on_cursor_item
from hnterm.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from hnterm.ui.screens.reply import ReplyScreen
    from hnterm.ui.screens.submit import Submission

ACCOUNT_BINDINGS = [
    Binding("v", "vote", "Vote / unvote on HN", show=False, id="account.vote"),
    Binding("m", "fave", "Favourite / unfavourite on HN", show=False, id="account.fave"),
    Binding("e", "reply", "Reply on HN", show=False, id="account.reply"),
    Binding("P", "submit_story", "Submit a story to HN", show=False, id="account.submit"),
]
QUOTE_LINES = 12
NOT_ON_HN_YET = "Your reply has no HN id yet: it gets one once HN lists it"


def quote_of(item: Item) -> Text:
    """The comment being answered, as plain text (never markup), cut to a few lines."""
    body = html_to_plain(item.text) if item.text else sanitize(item.title or "")
    lines = body.splitlines() or [""]
    shown = lines[:QUOTE_LINES] + (["…"] if len(lines) > QUOTE_LINES else [])
    quoted = Text()
    quoted.append(f"{sanitize(item.by or '?')} wrote:\n", style="bold")
    quoted.append("\n".join(f"> {line}" for line in shown))
    return quoted


class AccountController:
    """``v``, ``m``, ``e`` and ``P`` for the reading view ``screen``."""

    def __init__(self, screen: Screen[None], pane: ThreadPane, account: Account) -> None:
        self.screen = screen
        self.pane = pane
        self.account = account
        self._votes_for: int | None = None  # the thread whose votes were read

    @property
    def status(self) -> StatusLine:
        return self.screen.query_one(StatusLine)

    def _key(self, action: str) -> str:
        """The key of one of these actions as the keymap has it (``e``, unless remapped)."""
        from hnterm.ui.screens.help import keys_for  # kept out of the start, as help is

        return keys_for(self.screen, action, first=True)

    def focused_item(self) -> tuple[Thread, int] | None:
        return self.pane.focused_item()

    async def sign_in(self) -> None:
        """The stored session, if any (``--account``'s when given): its user goes in the
        title."""
        problem = await self.account.sign_in(self.pane.gateway.config.account)
        if problem is not None:  # a session not in HN's shape: refused, and said
            self.screen.notify(one_line(problem), severity="warning", markup=False)
        if self.account.user:
            self.screen.app.title = one_line(f"hnterm · {self.account.user}")

    def switch(self, name: str) -> None:
        """The palette's switch to another kept account (a worker: it reads the keyring)."""
        self.screen.run_worker(
            self._soft(self._switch(name), "Not switched"), group="account-switch"
        )

    async def _switch(self, name: str) -> None:
        """From now on votes, favourites and replies are ``name``'s: the title says so, and
        the open thread's vote marks are read again, as ``name``'s."""
        if (why := await self.account.switch(name)) is not None:
            self.status.show(why, error=True)
            return
        self.screen.app.title = one_line(f"hnterm · {name}")
        self._votes_for = None
        thread = self.pane.thread
        if thread is not None:
            self._show(thread, set_votes(thread, ()))
        self.status.show(f"Now voting and replying on HN as {name} (kept for the next start)")
        self.cursor_moved(self.account.refusal("Voting") is None)

    def cursor_moved(self, network_usable: bool) -> None:
        """The first look at a thread while logged in reads which items you voted."""
        thread = self.pane.thread
        if thread is None or self.account.cookie is None or self._votes_for == thread.root_id:
            return
        if self.pane.thread_loading or not network_usable:
            return
        self._votes_for = thread.root_id
        work = self._soft(self._read_votes(thread), "Votes not shown")
        self.screen.run_worker(work, group="account-votes", exclusive=True)

    async def _soft(self, work: Awaitable[None], what: str) -> None:
        """Run a worker's ``work``; any failure is one status line, never the app's end."""
        try:
            await work
        except (HNError, CacheError) as exc:
            self.status.show(one_line(f"{what}: {exc}"), error=True)
        except Exception as exc:  # a library's or a parser's surprise: said, and the app goes on
            self.status.show(one_line(f"{what}: {type(exc).__name__}: {exc}")[:200], error=True)

    async def _read_votes(self, thread: Thread) -> None:
        try:
            voted = await self.account.voted_in(thread.root_id)
        except HNError as exc:
            self.status.show(f"Votes not shown: {exc}", error=True)
            return
        change = set_votes(thread, voted)
        if change.updated and self.pane.thread is thread:
            self.pane.show_change(change)

    def _not_on_hn_yet(self, item_id: int) -> bool:
        """Your reply still being sent: HN cannot be asked about it yet (said)."""
        if is_provisional(item_id):
            self.status.show(NOT_ON_HN_YET)
        return is_provisional(item_id)

    @on_cursor_item
    async def vote(self, thread: Thread, item_id: int) -> None:
        if self._not_on_hn_yet(item_id):
            return
        if (why := self.account.refusal("Voting")) is not None:
            self.status.show(why, error=True)
            return
        was = item_id in thread.voted
        self.pane.show_change(set_vote(thread, item_id, not was))  # at once; HN corrects it
        self.status.show("Taking the vote back…" if was else "Voting…")
        try:
            voted = await self.account.vote(item_id)
        except HNError as exc:
            self.pane.show_change(set_vote(thread, item_id, was))
            self.status.show(f"Not voted: {exc}", error=True)
            return
        self.pane.show_change(set_vote(thread, item_id, voted))
        self.status.show("Upvoted on HN; v takes it back" if voted else "Vote taken back")

    def submit_story(self) -> None:
        """A story (a link or a text post) through HN's submit form."""
        if (why := self.account.refusal("Submitting")) is not None:
            self.status.show(why, error=True)
            return
        from hnterm.ui.screens.submit import SubmitScreen

        self.screen.app.push_screen(SubmitScreen(), self._submit_chosen)

    async def _submit_chosen(self, story: Submission | None) -> None:
        if story is None:
            return
        self.status.show("Submitting to HN…")
        try:
            await self.account.submit(story.title, story.url, story.text)
        except HNError as exc:
            self.status.show(f"Not submitted: {exc}", error=True)
            return
        self.status.show(f"Submitted {sanitize(story.title)!r}: it shows in New (2)")

    @on_cursor_item
    async def fave(self, thread: Thread, item_id: int) -> None:
        if self._not_on_hn_yet(item_id):
            return
        if (why := self.account.refusal("Favouriting")) is not None:
            self.status.show(why, error=True)
            return
        try:
            faved = await self.account.fave(item_id)
        except HNError as exc:
            self.status.show(f"Not changed: {exc}", error=True)
            return
        self.status.show(
            f"Added to your HN favourites; {self._key('fave')} removes it"
            if faved
            else "Removed from your HN favourites"
        )

    @on_cursor_item
    async def reply(self, thread: Thread, parent: int) -> None:
        """The reply dialog for the comment under the cursor, with its draft if one is kept."""
        if self._not_on_hn_yet(parent):
            return
        if not self.account.can_reply:
            self.status.show(self.account.refusal("Replying") or "", error=True)
            return
        draft = await self.account.draft(parent)
        root = thread.root_id

        async def save(text: str) -> None:
            await self.account.keep_draft(parent, root, text)

        def done(text: str | None) -> None:
            if text is None:
                self.status.show(
                    f"Reply closed; its draft is kept ({self._key('reply')} opens it again)"
                )
            else:
                work = self._soft(self._send_reply(thread, parent, text), "Reply not sent")
                self.screen.run_worker(work, group="account-reply")

        item = thread.items[parent]
        title = f"Reply to {sanitize(item.by or '?')}"  # the dialog adds its key to send
        self.screen.app.push_screen(
            _reply_screen()(title, quote_of(item), draft.text if draft else "", save), done
        )
        if draft is not None:
            note = f" (last try: {draft.error})" if draft.error else ""
            self.screen.notify(
                f"Your draft from {age(int(draft.updated))} is back{note}", markup=False
            )

    async def _send_reply(self, thread: Thread, parent: int, text: str) -> None:
        """Your reply shows under its parent at once, the cursor on it, and HN's answer
        settles it (``hnterm.services.reading``): its id, or gone again if HN refused it."""
        root = thread.root_id
        if (why := self.account.refusal("Replying")) is not None:
            self._reply_failed(why, parent, root, text)
            return
        change, provisional = show_reply(thread, self.account.reply_item(parent, text))
        self._show(thread, change, jump=provisional)
        self.status.show("Sending the reply…")
        try:
            mine = await self.account.reply(thread.items[parent], root, text)
        except HNError as exc:
            self._show(thread, settle_reply(thread, provisional, None))
            self._reply_failed(f"Not sent: {exc}", parent, root, text)
            return
        except Exception:  # a surprise (_soft says it): the row goes, the draft stays
            self._show(thread, settle_reply(thread, provisional, None))
            raise
        if mine is None:  # posted: the row stays until the API brings the reply
            self.status.show("Reply posted on HN; shown as (you) until the API lists it")
            return
        self._show(thread, settle_reply(thread, provisional, mine))
        self.screen.notify("Reply posted on HN", markup=False)  # the status line follows the cursor

    def _show(self, thread: Thread, change: Change, jump: int | None = None) -> None:
        """A change to ``thread``, drawn if it is still the one open."""
        if self.pane.thread is thread:
            self.pane.show_change(change)
            if jump is not None:
                self.pane.jump(jump)

    def _reply_failed(self, why: str, parent: int, root: int, text: str) -> None:
        """Say why, keep the draft with the reason (offered again with ``e``)."""
        message = f"{why}. The draft is kept: {self._key('reply')} opens it again"
        self.status.show(message, error=True)
        self.screen.notify(message, severity="error", markup=False, timeout=10)
        work = self._soft(self.account.keep_draft(parent, root, text, why), "Draft not kept")
        self.screen.run_worker(work, group="account-draft")


def _reply_screen() -> type[ReplyScreen]:
    """The reply dialog's class, imported when a reply is first written (TextArea and all
    stay out of the app's start)."""
    from hnterm.ui.screens.reply import ReplyScreen

    return ReplyScreen
