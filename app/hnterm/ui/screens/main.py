"""The reading view: the story list beside the comment pane, with a status line.

This screen owns the loads (as exclusive workers, so opening another story cancels the previous
load) and feeds their results into the model and widgets; the widgets report back with messages.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import aclosing, contextmanager

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList

from hnterm.model.errors import CacheError, HNError
from hnterm.model.format import hn_item_of, item_url, plural
from hnterm.model.items import is_item_id
from hnterm.model.thread import Thread
from hnterm.render.comment_text import links_of, preview
from hnterm.render.text import html_to_plain, is_safe_url, sanitize
from hnterm.services.gateway import Gateway
from hnterm.services.reading import Change, fill, merge, set_saved
from hnterm.services.source import PAGE_SIZE, StoryIds, ThreadUpdate
from hnterm.ui import list_width, live
from hnterm.ui.browser import browser_available
from hnterm.ui.screens.account import ACCOUNT_BINDINGS, AccountController
from hnterm.ui.screens.open_item import OpenItemScreen
from hnterm.ui.screens.pick import PickScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import LIST_TITLES, StoryList


class MainScreen(Screen[None]):
    """Story list + thread."""

    BINDINGS = [
        Binding("r", "reload", "Reload", show=False, id="main.reload"),
        Binding("s", "save", "Save", id="main.save"),
        Binding("S", "unsave", "Remove from Saved", show=False, id="main.unsave"),
        Binding(
            "colon", "open_prompt", "Open item", key_display=":", show=False, id="main.open_prompt"
        ),
        Binding("w", "toggle_list", "Hide/show the story list", show=False, id="main.toggle_list"),
        Binding("tab", "switch_pane", "Switch pane", show=False, id="main.switch_pane"),
        Binding("escape", "close_search", "Close the search", show=False, id="main.close_search"),
        Binding(
            "left_curly_bracket",
            "resize_list(-1)",
            "Narrower story list (remembered)",
            key_display="{",
            show=False,
            id="main.narrow_list",
        ),
        Binding(
            "right_curly_bracket",
            "resize_list(1)",
            "Wider story list (remembered)",
            key_display="}",
            show=False,
            id="main.widen_list",
        ),
        Binding("p", "profile", "Author's profile", show=False, id="main.profile"),
        Binding("A", "article", "Read the article", show=False, id="main.article"),
        *ACCOUNT_BINDINGS,  # v m e: your HN account (screens/account.py)
    ]

    NETWORK_RETRY_SECONDS = 20.0

    def __init__(self, gateway: Gateway, start_item: int | None = None) -> None:
        super().__init__()
        self.gateway = gateway
        self.start_item = start_item
        self.thread: Thread | None = None
        self.thread_item: int | None = None
        self.thread_loading = False
        self.saving: int | None = None  # the thread a save is downloading
        # Threads left by opening another item (``:``, an HN link): ``b`` returns to them.
        self.thread_history: list[tuple[int, int | None]] = []
        self.live: live.LiveThread | None = None  # polls the open thread (hnterm.ui.live)
        self.account = AccountController(self, self, gateway.account)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield StoryList(id="stories")
            with Vertical(id="thread-pane"):
                yield CommentView(settings=self.gateway.settings, id="comments")
                yield Input(placeholder=SEARCH_HINT, id="search")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(CommentView).set_wrap_width(self.gateway.settings.config.wrap_width)
        self.run_worker(self.account.sign_in(), group="account-sign-in")
        self.set_interval(self.NETWORK_RETRY_SECONDS, self.retry_network)
        self.show_list("top")
        if self.start_item is not None:
            self.open_item(self.start_item)
            self.query_one(CommentView).focus()
        self.restore_state()
        self.live = live.start(self)
        self.run_worker(list_width.restore(self), group="restore-layout")

    @work(group="restore")
    async def restore_state(self) -> None:
        """What the last session left: the list pane hidden, saves a quit interrupted."""
        if (await self.gateway.settings.recall()).list_hidden:
            self.query_one("#panes").add_class("-list-hidden")
        pending = await self.gateway.pending_saves()
        if pending and not self.gateway.offline:
            self.notify(
                f"Resuming {plural(len(pending), 'save')} interrupted when hnterm last quit",
                markup=False,
            )
            self.resume_saves(pending)

    @work(group="save-resume")
    async def resume_saves(self, roots: list[int]) -> None:
        """Saves whose owner is gone, one after another; each is taken over only if no other
        process has it by then (``Source.save_thread``)."""
        for root in roots:
            await self._save(root, resume=True)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    # -- story lists ----------------------------------------------------------------------
    def show_list(self, kind: str) -> None:
        self.load_list(kind)

    @work(exclusive=True, group="list")
    async def load_list(self, kind: str) -> None:
        """Fetch a story list; its state shows on the list's border, so it never hides the
        status of the open thread."""
        stories = self.query_one(StoryList)
        stories.border_subtitle = "loading…"
        if kind == "faves":  # from HN's web pages (your account), not the API
            ids, error = await self.account.favourite_ids()
            result = StoryIds(ids, from_cache=False, error=error)
        else:
            result = await self.gateway.story_ids(kind)
        stories.set_ids(kind, result.ids)
        if result.error:
            note = "cached copy" if result.ids else "nothing cached"
            stories.border_subtitle = f"{note} · r retries"
            self.notify(f"{LIST_TITLES[kind]}: {result.error}", severity="warning", markup=False)
        await self._load_stories(stories, stories.wanted[:PAGE_SIZE])
        if not result.error:
            stories.border_subtitle = ""
        self._show_network()

    @on(StoryList.NeedMore)
    def more_stories(self) -> None:
        self.load_page()

    @work(exclusive=True, group="page")
    async def load_page(self) -> None:
        stories = self.query_one(StoryList)
        await self._load_stories(stories, stories.wanted[:PAGE_SIZE])

    async def _load_stories(self, stories: StoryList, ids: list[int]) -> None:
        async with aclosing(self.gateway.stories(ids)) as pages:
            async for page in pages:
                stories.add_items(page.items, page.marks)
        stories.page_done(ids)
        stories.show_empty()

    @work(exclusive=True, group="list-refresh")
    async def refresh_stories(self) -> None:
        """The stories the list shows, fetched again: their scores and comment counts (live
        updates); a list still loading is left to its own load."""
        stories = self.query_one(StoryList)
        shown = stories.ids[: stories.option_count]
        if not shown or stories.kind == "saved" or stories.asked_more:
            return
        async with aclosing(self.gateway.refreshed_stories(shown)) as pages:
            async for items in pages:
                stories.add_items(items)

    @on(OptionList.OptionSelected, "#stories")
    def story_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.open_item(int(event.option.id))
            self.query_one(CommentView).focus()

    # -- threads --------------------------------------------------------------------------
    def open_item(self, item_id: int, *, force: bool = False, remember: bool = False) -> None:
        """Open an item's thread; with ``remember``, ``b`` comes back to where we were."""
        view = self.query_one(CommentView)
        if remember and self.thread is not None and item_id not in self.thread:
            self.thread_history.append((self.thread.root_id, view.cursor))
        elif remember and self.thread is not None:
            view.jump(item_id)  # already open: just go there
            return
        self.thread_item = item_id
        self.load_thread(item_id, force)

    @work(exclusive=True, group="thread")
    async def load_thread(self, item_id: int, force: bool = False) -> None:
        """Resolve the story of ``item_id``, then stream its thread into the comment view:
        from the cache at once, from the network when stale or ``force``d (reload)."""
        with self._unless_closing():
            await self._load_thread(item_id, force)

    @contextmanager
    def _unless_closing(self) -> Iterator[None]:
        """A load or save still running as the app quits finds its widgets gone: end it
        quietly then (and only then)."""
        try:
            yield
        except NoMatches:
            # The screen's widgets only ever go all together, at quit (in any order).
            if all(self.query(kind) for kind in (CommentView, StatusLine, StoryList)):
                raise

    async def _load_thread(self, item_id: int, force: bool) -> None:
        view = self.query_one(CommentView)
        started = time.perf_counter()
        # The previous thread's objects stay frozen: most are freed by reference counting
        # as it is replaced, the rest by HNApp.collect_when_idle once this one is built.
        self.status.show(f"Opening {item_id}…")
        try:
            root_id = await self.gateway.resolve_root(item_id)
        except HNError as exc:
            self.status.show(f"Cannot open {item_id}: {exc}; r retries", error=True)
            return
        # Reloading the open thread keeps it (and the reader's place) and merges fresh items.
        reuse = self.thread is not None and self.thread.root_id == root_id
        if reuse and self.thread is not None:
            thread = self.thread
        else:
            thread = await self.gateway.open_thread(root_id)
        self.thread = thread
        self.query_one(StoryList).mark_open(root_id)
        shown = reuse
        # A reload (force) keeps the reader's place; opening a comment goes to it.
        focus = item_id if item_id != root_id and not force else None
        self.thread_loading = True
        try:
            async with aclosing(self.gateway.thread_updates(root_id, force=force)) as updates:
                async for update in updates:
                    if not shown:
                        fill(thread, update)
                        if thread.root is not None:
                            view.show_thread(thread, focus=focus)
                            shown = True
                    else:
                        self.show_change(merge(thread, update))
                    if focus is not None and focus in thread:
                        view.jump(focus)
                        focus = None
                    if shown:
                        view.set_story_note(self._comments_note(thread, update))
                    self._report(thread, update, time.perf_counter() - started)
        finally:
            self.thread_loading = False
        self._show_network()
        if not shown:
            self.status.show(f"Item {root_id} is not available; r retries", error=True)
            return
        if len(thread) == 0 and _expected(thread) > 0:
            return  # nothing was shown: the story stays unread
        if item_id != root_id and not force and (note := view.context_note(item_id)):
            self.status.show(f"{note} · u shows the whole thread")  # a deep link landed
        await self._remember_read(thread)
        gc.freeze()  # out of the collector's passes; see HNApp.collect_when_idle

    def show_change(self, change: Change) -> None:
        """Redraw only what a change to the open thread touched."""
        self.query_one(CommentView).thread_changed(change.updated, change.replied_to)

    async def _remember_read(self, thread: Thread) -> None:
        """Record the visit: next time, comments not loaded now are marked new."""
        try:
            marks = await self.gateway.mark_read(thread)
        except CacheError as exc:
            self.notify(f"Not marked read: {exc}", severity="warning", markup=False)
            return
        stories = self.query_one(StoryList)
        if thread.root_id in stories.items:
            stories.add_items([], marks)

    def _comments_note(self, thread: Thread, update: ThreadUpdate) -> str | None:
        """The line under the story when it shows no comments: why."""
        if len(thread) > 0:
            return None
        expected = _expected(thread)
        root = thread.root
        if root is not None and root.type == "job":
            return "Job posts take no comments."
        if expected == 0:
            return "No comments yet."
        count = plural(expected, "comment")
        if not update.done:
            return f"Loading {count}…"
        if update.offline or self.gateway.offline:
            return f"{count} not in the cache (offline): r loads them when online."
        return f"{count} could not be loaded: r retries."

    def _report(self, thread: Thread, update: ThreadUpdate, elapsed: float) -> None:
        """Progress while loading (one line, the save included); totals when done, with
        counts that add up: comments shown, and items fetched (the story is one)."""
        expected = _expected(thread)
        loaded = len(thread)
        saving = " · saving for offline" if self.saving == thread.root_id else ""
        if update.error:
            self.status.show(f"{loaded} comments · {update.error}; r retries", error=True)
        elif not update.done:
            source = "cache" if update.from_cache else "network"
            self.status.show(f"Loading from {source}: {loaded} / {expected} comments{saving}")
        elif update.fetched:
            self.status.show(
                f"{plural(loaded, 'comment')} · {plural(update.fetched, 'item')} fetched "
                f"(story included) in {elapsed:.2f} s{saving}"
            )
        else:
            self.status.show(f"{plural(loaded, 'comment')} · from the cache in {elapsed:.2f} s")

    @on(CommentView.CursorMoved)
    def cursor_moved(self, event: CommentView.CursorMoved) -> None:
        """Once loading is over, the status line tells where the reader is: position,
        depth, replies, and which search match or new comment this is."""
        self.account.cursor_moved(not (self.gateway.offline or self.gateway.network_down))
        thread = self.thread
        if self.thread_loading or thread is None or event.item_id not in thread:
            return
        if event.item_id == thread.root_id:
            self.status.show(f"Story · {len(thread)} comments")
            return
        replies = len(thread.children(event.item_id))
        rows = thread.rows()
        parts = [
            f"depth {thread.depth_of[event.item_id]}",
            plural(replies, "direct reply", "direct replies"),
        ]
        if event.item_id in rows:  # not when an ancestor line of a focused subthread
            parts.insert(0, f"Comment {rows.index(event.item_id)} of {len(rows) - 1} shown")
        matches = self.query_one(CommentView).matches
        if event.item_id in matches:
            parts.append(f"match {matches.index(event.item_id) + 1} of {len(matches)}")
        if thread.is_new(event.item_id):  # only then walk the thread for the count
            new = thread.new_ids()
            parts.append(f"new comment {new.index(event.item_id) + 1} of {len(new)}")
        if self.live is not None and (arrived := self.live.summary(thread.root_id)):
            parts.append(arrived)
        self.status.show(" · ".join(parts))

    # -- requests from the comment view ---------------------------------------------------
    @on(CommentView.Notice)
    def view_notice(self, event: CommentView.Notice) -> None:
        self.status.show(event.text)

    @on(CommentView.BackPastThread)
    def back_to_previous_thread(self) -> None:
        """``b`` at the start of this thread's history returns to the thread we came from."""
        if not self.thread_history:
            self.status.show("No earlier place in the history")
            return
        root, cursor = self.thread_history.pop()
        self.open_item(cursor if cursor is not None else root)

    def jump(self, item_id: int) -> None:
        self.query_one(CommentView).jump(item_id)

    async def action_vote(self) -> None:
        await self.account.vote()

    async def action_fave(self) -> None:
        await self.account.fave()

    async def action_reply(self) -> None:
        await self.account.reply()

    def action_submit_story(self) -> None:
        self.account.submit_story()

    def focused_item(self) -> tuple[Thread, int] | None:
        """The open thread and the item under the comment pane's cursor, if any: what the
        comment pane's keys for dialogs, links and the clipboard act on."""
        cursor = self.query_one(CommentView).cursor
        thread = self.thread
        if thread is None or cursor is None or cursor not in thread.items:
            return None
        return thread, cursor

    def _pick_jump(self, title: str, ids: list[int], start: int = 0) -> None:
        """Offer items to jump to; the choice moves the comment view there."""
        assert self.thread is not None
        items = self.thread.items
        choices = [(str(i), preview(items[i])) for i in ids]
        view = self.query_one(CommentView)

        def chosen(value: str | None) -> None:
            if value is not None:
                view.jump(int(value))

        self.app.push_screen(PickScreen(title, choices, start=start), chosen)

    def action_context(self) -> None:
        """The reply chain of the comment under the cursor, read whole (the context view);
        the comment chosen there is where the pane goes, and ``b`` comes back."""
        from hnterm.ui.screens.context import ContextScreen  # kept here: main.py is shared

        if (focused := self.focused_item()) is None:
            return
        thread, item_id = focused
        view = self.query_one(CommentView)

        def chosen(target: int | None) -> None:
            if target is not None:
                view.jump(target)

        self.app.push_screen(ContextScreen(thread, item_id, view.style_of), chosen)

    def action_replies(self) -> None:
        if (focused := self.focused_item()) is None:
            return
        thread, item_id = focused
        replies = thread.children(item_id)
        if not replies:
            self.status.show("No replies to this comment")
            return
        ids = " ".join(f">>{i}" for i in replies)
        self._pick_jump(f"replies({len(replies)}): {ids}", replies)

    def action_links(self) -> None:
        if (focused := self.focused_item()) is None:
            return
        thread, item_id = focused
        item = thread.items[item_id]
        links = list(links_of(item))
        if item_id == thread.root_id and item.url and is_safe_url(item.url):
            links.insert(0, item.url)
        if not links:
            self.status.show("No links in this comment")
            return
        choices = [(url, Text(url)) for url in links]
        self.app.push_screen(PickScreen("Open a link", choices), self._open_link)

    def _open_link(self, url: str | None) -> None:
        """An HN item opens here; another link in the browser, or where there is none
        (an SSH session), is copied to the clipboard: the message says which happened."""
        if url is None:
            return
        if not is_safe_url(url):
            self.status.show("Refused to open a link that is not http(s)", error=True)
            return
        item_id = hn_item_of(url)
        if item_id is not None and is_item_id(item_id):
            self.open_item(item_id, remember=True)
            self.status.show(f"Opening item {item_id} here; b comes back")
            return
        self._open_in_browser(url)

    def _open_in_browser(self, url: str) -> None:
        """Where no browser can open it, the link is copied instead (OSC 52), and said."""
        shown = sanitize(url)
        if not browser_available():
            self.app.copy_to_clipboard(url)
            self.status.show(f"No browser here: copied {shown} to the clipboard")
            return
        self.app.open_url(url)
        self.status.show(f"Sent to the browser: {shown}")

    def action_open_story(self) -> None:
        if (focused := self.focused_item()) is None:
            return
        thread = focused[0]
        root = thread.root
        if root is not None and root.url:
            self._open_link(root.url)
        else:
            self._open_in_browser(item_url(thread.root_id))

    def action_open_on_hn(self) -> None:
        if (focused := self.focused_item()) is None:
            return
        item_id = focused[1]
        self._open_in_browser(item_url(item_id))

    def action_copy_link(self) -> None:
        if (focused := self.focused_item()) is None:
            return
        item_id = focused[1]
        self.app.copy_to_clipboard(item_url(item_id))
        self.status.show(f"Copied {item_url(item_id)}")

    def action_copy_text(self) -> None:
        if (focused := self.focused_item()) is None:
            return
        thread, item_id = focused
        item = thread.items[item_id]
        self.app.copy_to_clipboard(html_to_plain(item.text) or item.title or "")
        self.status.show("Copied the comment's text")

    def action_search_thread(self) -> None:
        if self.focused_item() is None:
            return
        search = self.query_one("#search", Input)
        search.add_class("-shown")
        search.focus()

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        view = self.query_one(CommentView)
        event.input.remove_class("-shown")
        view.focus()
        found = view.search(event.value)
        if not found:
            self.status.show(f"No comment matches {event.value!r}")

    def action_close_search(self) -> None:
        """Escape in the thread search: hide it, back to the comments."""
        search = self.query_one("#search", Input)
        if not search.has_focus:
            return
        search.remove_class("-shown")
        self.query_one(CommentView).focus()

    # -- actions --------------------------------------------------------------------------
    def action_reload(self) -> None:
        """Reload what has focus: the story list, or the thread from the network (retrying
        what failed)."""
        if isinstance(self.focused, StoryList):
            self.show_list(self.query_one(StoryList).kind)
        elif self.thread_item is not None:
            self.open_item(self.thread_item, force=True)
        else:
            self.show_list(self.query_one(StoryList).kind)

    async def action_save(self) -> None:
        """Download every comment of the open thread and keep it for offline reading."""
        if self.thread is None:
            self.status.show("Open a thread to save it for offline reading")
            return
        root = self.thread.root_id
        if await self.gateway.is_saved(root):
            self.status.show("Already saved for offline; S removes it from the Saved list")
            return
        if self.saving == root:
            self.status.show("Already saving this thread")
            return
        self.save_thread(root)

    async def action_unsave(self) -> None:
        """Take the open thread off the Saved list (it may then be pruned): a key of its
        own, so a second ``s`` can never undo a save by accident."""
        if self.thread is None:
            return
        root = self.thread.root_id
        if not await self.gateway.is_saved(root):
            self.status.show("This thread is not saved; s saves it")
            return
        try:
            await self.gateway.unsave(root)
        except CacheError as exc:
            self.status.show(f"Still saved: {exc}; S retries", error=True)
            return
        self._set_saved(root, False)
        self.status.show("Removed from the Saved list; s saves it again")

    def _set_saved(self, root: int, saved: bool) -> None:
        thread = self.thread
        if thread is not None and thread.root_id == root:
            self.show_change(set_saved(thread, saved))

    def action_open_prompt(self) -> None:
        """Ask for an id or an HN link and open it; ``b`` comes back."""

        def chosen(item_id: int | None) -> None:
            if item_id is not None:
                self.open_item(item_id, remember=True)
                self.query_one(CommentView).focus()

        self.app.push_screen(OpenItemScreen(), chosen)

    def action_profile(self, name: str | None = None) -> None:
        """The profile of ``name``, or of the author under the cursor; the submission chosen
        there opens in its thread, and ``b`` comes back."""
        from hnterm.ui.screens.profile import (  # main.py is shared
            ProfileScreen,
            author_under_cursor,
        )

        name = name or author_under_cursor(self)
        if not name:
            self.status.show("No author here (deleted, or nothing under the cursor)")
            return

        def chosen(item_id: int | None) -> None:
            if item_id is not None:
                self.open_item(item_id, remember=True)
                self.query_one(CommentView).focus()

        self.app.push_screen(ProfileScreen(self.gateway, name), chosen)

    def action_article(self) -> None:
        """The open story's linked page as reading text (screens/article.py); a link chosen
        there opens like a comment's link."""
        from hnterm.ui.screens.article import ArticleScreen, story_for_article  # main.py is shared

        story = story_for_article(self)
        if story is None:
            self.status.show("No story open")
            return
        if not story.url:
            self.status.show("This story has no linked article (it is a text post)")
            return
        self.app.push_screen(ArticleScreen(self.gateway, story.id, story.url), self._open_link)

    async def action_resize_list(self, step: int) -> None:
        await list_width.resize(self, step)

    async def action_toggle_list(self) -> None:
        """Hide the story list for full-width reading, or show it again (remembered)."""
        panes = self.query_one("#panes")
        panes.toggle_class("-list-hidden")
        hidden = panes.has_class("-list-hidden")
        if hidden:
            self.query_one(CommentView).focus()
        self.status.show("Story list hidden; w shows it" if hidden else "Story list shown")
        await self.gateway.settings.remember_list_hidden(hidden)

    async def action_mark_unread(self) -> None:
        """Forget that the highlighted story was read (no dimming, no "new" marks)."""
        stories = self.query_one(StoryList)
        option = stories.highlighted_option
        if option is None or option.id is None:
            return
        try:
            await self.gateway.mark_unread(int(option.id))
        except CacheError as exc:
            self.status.show(f"Not marked unread: {exc}", error=True)
            return
        stories.forget_mark(int(option.id))
        self.status.show("Marked unread")

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
            self.status.show("Saving for offline…")
        async with aclosing(self.gateway.save_thread(root_id, resume=resume)) as updates:
            async for update in updates:
                if not self.query(CommentView):
                    return  # the app is closing: the pending save resumes next time
                thread = self.thread
                if thread is not None and thread.root_id == root_id:
                    self.show_change(merge(thread, update))
                if not update.done:
                    if not self.thread_loading:  # else the load's line says "saving"
                        self.status.show(
                            update.note
                            or f"Saving for offline: {plural(update.fetched, 'item')} fetched"
                        )
                elif update.saved:
                    self._set_saved(root_id, True)
                    count = update.fetched or update.cached  # (cached: joined another's save)
                    self.status.show(f"Saved for offline ({count} items); 7 lists saved")
                else:
                    self.status.show(f"{update.error}; s retries", error=True)
                    # Kept on screen as a toast too: the status line moves on with the cursor.
                    self.notify(f"{update.error}; s retries", severity="error", markup=False)
        self._show_network()

    # -- network state ----------------------------------------------------------------------
    def _show_network(self) -> None:
        """The header says when hnterm works from the cache alone."""
        if self.gateway.offline:
            self.app.sub_title = "offline (--offline): reading the cache"
        elif self.gateway.network_down:
            self.app.sub_title = "offline: network unreachable, reading the cache"
        else:
            self.app.sub_title = "Hacker News"

    async def retry_network(self) -> None:
        """While the network is down, try it now and then; when it is back, say so and
        reload the list."""
        if self.gateway.offline or not self.gateway.network_down:
            return
        if await self.gateway.probe():
            self.notify("Back online")
            self.show_list(self.query_one(StoryList).kind)
        self._show_network()

    def action_switch_pane(self) -> None:
        stories, comments = self.query_one(StoryList), self.query_one(CommentView)
        (comments if stories.has_focus else stories).focus()


SEARCH_HINT = 'Search comments: words, "a phrase", word*, -word, by:name'


def _expected(thread: Thread) -> int:
    """Comments the story says it has."""
    root = thread.root
    return root.descendants if root is not None and root.descendants else 0
