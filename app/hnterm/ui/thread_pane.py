"""The thread pane: the comment view and its search box, and the work behind them.

The pane owns its loads, as frogmouth's ``Viewer`` does: opening an item (an exclusive worker,
so opening another cancels the load before), merging what arrives, saving for offline, live
updates, and what the status line says about all of it (``hnterm.services.status_text``). The
model is changed only through ``hnterm.services.reading``; the pane redraws what a change
touched. It tells the rest of the screen what happened with messages (a story opened, its read
mark changed).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import aclosing, contextmanager
from functools import wraps
from typing import Protocol, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Input

from hnterm.model.errors import CacheError, HNError
from hnterm.model.format import hn_item_of, item_url
from hnterm.model.items import Item, is_item_id
from hnterm.model.narrow import EmptyQuery
from hnterm.model.readstate import ReadMark
from hnterm.model.thread import Thread
from hnterm.render.comment_text import links_of, preview
from hnterm.render.text import html_to_plain, is_safe_url
from hnterm.services import status_text
from hnterm.services.gateway import Gateway
from hnterm.services.narrowing import narrow_status
from hnterm.services.reading import Change, fill, is_provisional, merge, set_saved
from hnterm.services.source import ThreadUpdate
from hnterm.ui import live
from hnterm.ui.browser import copy_or_download, open_or_copy
from hnterm.ui.screens.context import ContextScreen
from hnterm.ui.screens.narrow import NarrowScreen
from hnterm.ui.screens.pick import PickScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine

SEARCH_HINT = 'Search comments: words, "a phrase", word*, -word, by:name'


class HasCursorItem(Protocol):
    def focused_item(self) -> tuple[Thread, int] | None: ...


S = TypeVar("S", bound=HasCursorItem)
R = TypeVar("R")


def on_cursor_item(action: Callable[[S, Thread, int], R]) -> Callable[[S], R | None]:
    """An action on the open thread's item under the comment pane's cursor (what the keys for
    dialogs, links, the clipboard and your account act on): nothing when there is none."""

    @wraps(action)
    def guarded(self: S) -> R | None:
        if (focused := self.focused_item()) is None:
            return None
        return action(self, *focused)

    return guarded


class ThreadPane(Vertical):
    """One thread at a time, loaded, merged, saved and polled here."""

    class StoryOpened(Message):
        """A thread is being opened: the story list marks its story."""

        def __init__(self, root: int) -> None:
            super().__init__()
            self.root = root

    class ReadMarked(Message):
        """A visit was recorded: the story list dims the story (``marks``)."""

        def __init__(self, marks: dict[int, ReadMark]) -> None:
            super().__init__()
            self.marks = marks

    BINDINGS = [
        Binding("escape", "leave_narrow", "Show every comment", show=False, id="thread.unnarrow"),
    ]

    def __init__(self, gateway: Gateway, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.gateway = gateway
        self.thread: Thread | None = None
        self.thread_item: int | None = None
        self.thread_loading = False
        self.saving: int | None = None  # the thread a save is downloading
        self.live: live.LiveThread | None = None  # polls the open thread (hnterm.ui.live)
        self._moved_by_change: int | None = None  # the cursor followed a row that went
        self._narrow_on_load: tuple[int, str] | None = None  # (item, query): open_narrowed

    def compose(self) -> ComposeResult:
        yield CommentView(settings=self.gateway.settings, id="comments")
        yield Input(placeholder=SEARCH_HINT, id="search")

    def on_mount(self) -> None:
        self.view.set_wrap_width(self.gateway.settings.config.wrap_width)

    def start_live(self, refresh_list: Callable[[], object]) -> None:
        """Live updates of the open thread (if the config wants them and there is a network);
        ``refresh_list`` runs at each tick too."""
        self.live = live.start(self, self, self.gateway, refresh_list)

    @property
    def view(self) -> CommentView:
        return self.query_one(CommentView)

    @property
    def status(self) -> StatusLine:
        return self.screen.query_one(StatusLine)

    def show_status(self, text: str, error: bool = False) -> None:
        self.status.show(text, error=error)

    def show_network(self) -> None:
        """The header says when hnterm works from the cache alone."""
        offline, down = self.gateway.offline, self.gateway.network_down
        self.app.sub_title = status_text.network_title(offline=offline, network_down=down)

    # -- opening --------------------------------------------------------------------------
    def open_item(self, item_id: int, *, force: bool = False, remember: bool = False) -> None:
        """Open an item's thread; with ``remember``, ``b`` comes back to where we were. The
        thread open stays until the new one can be shown: a failed open changes nothing."""
        if remember and self.thread is not None and item_id in self.thread:
            self.view.jump(item_id)  # already open: just go there
            return
        if self.thread is None:
            self.thread_item = item_id  # nothing else open: r retries this one
        self.load_thread(item_id, force, remember)

    def reload(self) -> bool:
        """The open thread from the network (retrying what failed); False with none open."""
        if self.thread_item is None:
            return False
        self.open_item(self.thread_item, force=True)
        return True

    @on(CommentView.ReturnTo)
    def return_to(self, event: CommentView.ReturnTo) -> None:
        """``b`` back past this thread's first place: the thread we came from, reopened."""
        self.open_item(event.cursor)

    @work(exclusive=True, group="thread")
    async def load_thread(self, item_id: int, force: bool = False, remember: bool = False) -> None:
        """Resolve the story of ``item_id``, then stream its thread into the comment view:
        from the cache at once, from the network when stale or ``force``d (reload)."""
        with self._unless_closing():
            await self._load_thread(item_id, force, remember)

    @contextmanager
    def _unless_closing(self) -> Iterator[None]:
        """A load or save still running as the app quits finds its widgets gone: end it
        quietly then (and only then)."""
        try:
            yield
        except NoMatches:
            # The screen's widgets only ever go all together, at quit (in any order).
            if self.is_attached and all(self.app.query(kind) for kind in (CommentView, StatusLine)):
                raise

    async def _load_thread(self, item_id: int, force: bool, remember: bool) -> None:
        started = time.perf_counter()
        # The previous thread's objects stay frozen: most are freed by reference counting
        # as it is replaced, the rest by HNApp.collect_when_idle once this one is built.
        self.show_status(f"Opening {item_id}…")
        try:
            root_id = await self.gateway.resolve_root(item_id)
        except (HNError, CacheError) as exc:
            self._open_failed(item_id, error=str(exc))
            return
        # Reloading the open thread keeps it (and the reader's place) and merges fresh items.
        reuse = self.thread is not None and self.thread.root_id == root_id
        if reuse and self.thread is not None:
            thread = self.thread
        else:
            thread = await self.gateway.open_thread(root_id)
        shown = reuse
        # A reload (force) keeps the reader's place; opening a comment goes to it.
        focus = item_id if item_id != root_id and not force else None
        update: ThreadUpdate | None = None
        self.thread_loading = True
        try:
            async with aclosing(self.gateway.thread_updates(root_id, force=force)) as updates:
                async for update in updates:
                    if not shown:
                        fill(thread, update)
                        if thread.root is not None:
                            self._show_thread(thread, item_id, focus, remember)
                            shown = True
                    else:
                        self.show_change(merge(thread, update))
                    if focus is not None and focus in thread:
                        self.view.jump(focus)
                        focus = None
                    self._report(thread, update, time.perf_counter() - started, shown)
                    # What the batch built is out of the collector's passes too (see the
                    # end of the load): full passes over the growing thread stalled keys.
                    gc.freeze()
        finally:
            self.thread_loading = False
        self.show_network()
        if not shown:
            self._open_failed(item_id, update=update)
            return
        self._narrow_loaded(item_id)
        if len(thread) == 0 and status_text.expected_comments(thread) > 0:
            return  # nothing was shown: the story stays unread
        if item_id != root_id and not force and (note := self.view.context_note(item_id)):
            self.show_status(f"{note} · u shows the whole thread")  # a deep link landed
        await self.remember_read(thread)
        gc.freeze()  # out of the collector's passes; see HNApp.collect_when_idle

    def _show_thread(self, thread: Thread, item_id: int, focus: int | None, remember: bool) -> None:
        """The new thread's story arrived: it replaces the one open (which ``b`` comes back
        to, with ``remember``), and the story list marks it."""
        view = self.view
        if remember:
            view.remember_departure()
        self.thread, self.thread_item = thread, item_id
        self.post_message(self.StoryOpened(thread.root_id))
        view.show_thread(thread, focus=focus)

    def _open_failed(
        self, item_id: int, *, update: ThreadUpdate | None = None, error: str | None = None
    ) -> None:
        """Say why an item did not open; the thread open, its cursor and history are as
        they were (nothing was changed before its story arrived)."""
        kept, offline = self.thread is not None, self.gateway.offline
        text = status_text.open_failed(
            item_id, kept=kept, offline=offline, update=update, error=error
        )
        self.show_status(text, error=True)

    def _report(self, thread: Thread, update: ThreadUpdate, elapsed: float, shown: bool) -> None:
        """The load's progress on the status line; why there are no comments, if none."""
        if shown:
            note = status_text.comments_note(thread, update, offline=self.gateway.offline)
            self.view.set_story_note(note)
        saving = self.saving == thread.root_id
        self.show_status(*status_text.load_progress(thread, update, elapsed, saving=saving))

    def show_change(self, change: Change) -> None:
        """Redraw only what a change to the open thread touched; a cursor on a row that
        went (a provisional reply) goes where the change says."""
        view = self.view
        view.thread_changed(change.updated, change.replied_to)
        if view.narrowing is not None and view.narrowing.root in change.replied_to:
            view.renarrow()  # posts came or went: matching new ones show, the count follows
        for old, new in change.moved:
            if view.cursor == old:
                self._moved_by_change = new  # what the status line says stays
                view.move_to(new)

    async def remember_read(self, thread: Thread) -> None:
        """Record the visit: next time, comments not loaded now are marked new."""
        try:
            marks = await self.gateway.mark_read(thread)
        except CacheError as exc:
            self.notify(f"Not marked read: {exc}", severity="warning", markup=False)
            return
        self.post_message(self.ReadMarked(marks))

    # -- where the reader is --------------------------------------------------------------
    @on(CommentView.CursorMoved)
    def cursor_moved(self, event: CommentView.CursorMoved) -> None:
        """Once loading is over, the status line tells where the reader is."""
        thread = self.thread
        moved_by_change, self._moved_by_change = self._moved_by_change, None
        if self.thread_loading or thread is None or event.item_id not in thread:
            return
        if event.item_id == moved_by_change:
            return
        arrived = self.live.summary(thread.root_id) if self.live is not None else ""
        view = self.view
        where = status_text.position(thread, event.item_id, view.matches, arrived, scope=view.scope)
        self.show_status(where)

    @on(CommentView.Notice)
    def view_notice(self, event: CommentView.Notice) -> None:
        self.show_status(event.text)

    def focused_item(self) -> tuple[Thread, int] | None:
        """The open thread and the item under the comment pane's cursor, if any."""
        cursor = self.view.cursor
        thread = self.thread
        if thread is None or cursor is None or cursor not in thread.items:
            return None
        return thread, cursor

    def cursor_item(self) -> Item | None:
        """The story or comment under the cursor (a profile's author, say)."""
        focused = self.focused_item()
        return focused[0].items[focused[1]] if focused is not None else None

    def jump(self, item_id: int) -> None:
        self.view.jump(item_id)

    # -- dialogs, links, the clipboard ----------------------------------------------------
    def _pick_jump(self, title: str, ids: list[int], items: dict[int, Item]) -> None:
        """Offer items to jump to; the choice moves the comment view there."""
        choices = [(str(i), preview(items[i])) for i in ids]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.view.jump(int(value))

        self.app.push_screen(PickScreen(title, choices), chosen)

    @on_cursor_item
    def context(self, thread: Thread, item_id: int) -> None:
        """The reply chain of the comment under the cursor, read whole (the context view);
        the comment chosen there is where the pane goes, and ``b`` comes back."""
        view = self.view

        def chosen(target: int | None) -> None:
            if target is not None:
                view.jump(target)

        self.app.push_screen(ContextScreen(thread, item_id, view.style_of), chosen)

    @on_cursor_item
    def replies(self, thread: Thread, item_id: int) -> None:
        replies = thread.children(item_id)
        if not replies:
            self.show_status("No replies to this comment")
            return
        ids = " ".join(f">>{i}" for i in replies)
        self._pick_jump(f"replies({len(replies)}): {ids}", replies, thread.items)

    @on_cursor_item
    def links(self, thread: Thread, item_id: int) -> None:
        item = thread.items[item_id]
        links = list(links_of(item))
        if item_id == thread.root_id and item.url and is_safe_url(item.url):
            links.insert(0, item.url)
        if not links:
            self.show_status("No links in this comment")
            return
        choices = [(url, Text(url)) for url in links]
        self.app.push_screen(PickScreen("Open a link", choices), self.open_link)

    def open_link(self, url: str | None) -> None:
        """An HN item opens here; another link in the browser, or where there is none
        (an SSH session), is copied to the clipboard: the message says which happened."""
        if url is None:
            return
        if not is_safe_url(url):
            self.show_status("Refused to open a link that is not http(s)", error=True)
            return
        item_id = hn_item_of(url)
        if item_id is not None and is_item_id(item_id):
            self.open_item(item_id, remember=True)
            self.show_status(f"Opening item {item_id} here; b comes back")
            return
        self._open_in_browser(url)

    def _open_in_browser(self, url: str) -> None:
        """Where no browser can open it, the link is copied instead (OSC 52), and said."""
        self.show_status(open_or_copy(self.app, url))

    @on_cursor_item
    def open_story(self, thread: Thread, item_id: int) -> None:
        root = thread.root
        if root is not None and root.url:
            self.open_link(root.url)
        else:
            self._open_in_browser(item_url(thread.root_id))

    @on_cursor_item
    def open_on_hn(self, thread: Thread, item_id: int) -> None:
        if not self._has_hn_link(item_id):
            return
        self._open_in_browser(item_url(item_id))

    @on_cursor_item
    def copy_link(self, thread: Thread, item_id: int) -> None:
        if not self._has_hn_link(item_id):
            return
        self.app.copy_to_clipboard(item_url(item_id))
        self.show_status(f"Copied {item_url(item_id)}")

    @on_cursor_item
    def copy_text(self, thread: Thread, item_id: int) -> None:
        item = thread.items[item_id]
        text = html_to_plain(item.text) or item.title or ""
        told = copy_or_download(self.app, text, f"hn-{item_id}.txt", "the comment's text")
        self.show_status(told)

    def _has_hn_link(self, item_id: int) -> bool:
        """Your reply still being sent has no page on HN yet (said)."""
        if is_provisional(item_id):
            self.show_status("Your reply has no HN id yet: its link comes once HN lists it")
        return not is_provisional(item_id)

    # -- searching the thread -------------------------------------------------------------
    @on_cursor_item
    def search_thread(self, thread: Thread, item_id: int) -> None:
        search = self.query_one("#search", Input)
        search.add_class("-shown")
        search.focus()

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        view = self.view
        event.input.remove_class("-shown")
        view.focus()
        if not view.search(event.value):
            self.show_status(f"No comment matches {event.value!r}")

    def close_search(self) -> None:
        """Escape in the thread search: hide it, back to the comments."""
        search = self.query_one("#search", Input)
        if not search.has_focus:
            return
        search.remove_class("-shown")
        self.view.focus()

    # -- narrowing the thread -------------------------------------------------------------
    def narrow_thread(self) -> None:
        """``&``: ask for a query, then show only the top-level comments it matches."""
        if self.thread is None:
            self.show_status("Open a thread to narrow it to what you look for")
            return
        current = self.view.narrowing
        self.app.push_screen(NarrowScreen(current.query if current else ""), self.narrow_to)

    def narrow_to(self, query: str | None) -> None:
        """Narrow the open thread to ``query``; the status line says how much shows."""
        if query is None or self.thread is None:
            return
        try:
            narrowing = self.view.narrow(query)
        except EmptyQuery as exc:
            self.show_status(str(exc), error=True)
            return
        self.view.focus()
        self._moved_by_change = self.view.cursor  # the count stays on the status line
        self.show_status(narrow_status(narrowing, self.thread))

    def open_narrowed(self, item_id: int, query: str | None, *, force: bool = False) -> None:
        """Open a thread and narrow it to ``query`` once it is loaded whole (``force``: from
        the network even when the cached copy counts as fresh)."""
        self._narrow_on_load = (item_id, query) if query and query.strip() else None
        self.open_item(item_id, force=force)

    def action_leave_narrow(self) -> None:
        self.view.leave_narrow()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape leaves a narrowing from the comments (from the search box it closes it)."""
        if action == "leave_narrow":
            return self.view.narrowing is not None and self.view.has_focus
        return True

    def _narrow_loaded(self, item_id: int) -> None:
        pending, self._narrow_on_load = self._narrow_on_load, None
        if pending is not None and pending[0] == item_id:
            self.narrow_to(pending[1])

    # -- saving for offline ---------------------------------------------------------------
    async def save(self) -> None:
        """Download every comment of the open thread and keep it for offline reading."""
        if self.thread is None:
            self.show_status("Open a thread to save it for offline reading")
            return
        root = self.thread.root_id
        if await self.gateway.is_saved(root):
            self.show_status("Already saved for offline; S removes it from the Saved list")
            return
        if self.saving == root:
            self.show_status("Already saving this thread")
            return
        self.save_thread(root)

    async def unsave(self) -> None:
        """Take the open thread off the Saved list (it may then be pruned): a key of its
        own, so a second ``s`` can never undo a save by accident."""
        if self.thread is None:
            return
        root = self.thread.root_id
        if not await self.gateway.is_saved(root):
            self.show_status("This thread is not saved; s saves it")
            return
        try:
            await self.gateway.unsave(root)
        except CacheError as exc:
            self.show_status(f"Still saved: {exc}; S retries", error=True)
            return
        self._set_saved(root, False)
        self.show_status("Removed from the Saved list; s saves it again")

    def _set_saved(self, root: int, saved: bool) -> None:
        thread = self.thread
        if thread is not None and thread.root_id == root:
            self.show_change(set_saved(thread, saved))

    @work(group="save-resume")
    async def resume_saves(self, roots: list[int]) -> None:
        """Saves whose owner is gone, one after another; each is taken over only if no other
        process has it by then (``Source.save_thread``)."""
        for root in roots:
            await self._save(root, resume=True)

    @work(group="save")
    async def save_thread(self, root_id: int) -> None:
        """Download a thread whole and keep it. Asked-for saves are remembered until done,
        so a quit in the middle resumes it at the next start (and the user is told); one of
        the same thread already running is joined. Saves of other threads go on beside."""
        await self._save(root_id)

    async def _save(self, root_id: int, *, resume: bool = False) -> None:
        self.saving = root_id
        try:
            with self._unless_closing():
                await self._follow_save(root_id, resume)
        finally:
            if self.saving == root_id:  # else a later save is the one the status follows
                self.saving = None

    async def _follow_save(self, root_id: int, resume: bool) -> None:
        if not self.thread_loading and not resume:
            self.show_status("Saving for offline…")
        async with aclosing(self.gateway.save_thread(root_id, resume=resume)) as updates:
            async for update in updates:
                if not self.query(CommentView):
                    return  # the app is closing: the pending save resumes next time
                thread = self.thread if self.thread and self.thread.root_id == root_id else None
                if thread is not None:
                    self.show_change(merge(thread, update))
                line = status_text.save_progress(update, thread, offline=self.gateway.offline)
                if not update.done:
                    if not self.thread_loading:  # else the load's line says "saving"
                        self.show_status(*line)
                elif update.saved:
                    self._set_saved(root_id, True)
                    self.show_status(*line)
                else:
                    self.show_status(*line)
                    # Kept on screen as a toast too: the status line moves on with the cursor.
                    self.notify(line[0], severity="error", markup=False)
        self.show_network()
