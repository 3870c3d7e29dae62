"""The reading view: the story list beside the comment pane, with a status line.

This screen owns the loads (as exclusive workers, so opening another story cancels the previous
load) and feeds their results into the model and widgets; the widgets report back with messages.
"""

from __future__ import annotations

import time
from contextlib import aclosing

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList

from app.hn.client import HNError
from app.hn.thread import Thread
from app.source import PAGE_SIZE, Source, ThreadUpdate
from app.widgets.comment_view import CommentView
from app.widgets.status_line import StatusLine
from app.widgets.story_list import LIST_TITLES, StoryList


class MainScreen(Screen[None]):
    """Story list + thread."""

    BINDINGS = [
        Binding("r", "reload", "Reload"),
        Binding("tab", "switch_pane", "Switch pane", show=False),
    ]

    def __init__(self, source: Source, start_item: int | None = None) -> None:
        super().__init__()
        self.source = source
        self.start_item = start_item
        self.thread: Thread | None = None
        self.thread_item: int | None = None
        self.failed: dict[int, str] = {}
        self.thread_loading = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield StoryList(id="stories")
            yield CommentView(id="comments")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.show_list("top")
        if self.start_item is not None:
            self.open_item(self.start_item)
            self.query_one(CommentView).focus()
        if self.source.cache.problem:
            self.notify(self.source.cache.problem, severity="warning", markup=False)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    # -- story lists ----------------------------------------------------------------------
    def show_list(self, kind: str) -> None:
        self.load_list(kind)

    @work(exclusive=True, group="list")
    async def load_list(self, kind: str) -> None:
        stories = self.query_one(StoryList)
        self.status.show(f"Loading {LIST_TITLES[kind]} stories…")
        result = await self.source.story_ids(kind)
        stories.set_ids(kind, result.ids)
        if result.error:
            note = "cached copy" if result.ids else "nothing cached"
            self.status.show(f"{LIST_TITLES[kind]}: {result.error} ({note}); r retries", error=True)
        await self._load_stories(stories, stories.wanted[:PAGE_SIZE])
        if not result.error:
            self.status.show(f"{LIST_TITLES[kind]} · {len(result.ids)} stories")

    @on(StoryList.NeedMore)
    def more_stories(self) -> None:
        self.load_page()

    @work(exclusive=True, group="page")
    async def load_page(self) -> None:
        stories = self.query_one(StoryList)
        await self._load_stories(stories, stories.wanted[:PAGE_SIZE])

    async def _load_stories(self, stories: StoryList, ids: list[int]) -> None:
        async with aclosing(self.source.stories(ids)) as pages:
            async for items in pages:
                stories.add_items(items)

    @on(OptionList.OptionSelected, "#stories")
    def story_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.open_item(int(event.option.id))
            self.query_one(CommentView).focus()

    # -- threads --------------------------------------------------------------------------
    def open_item(self, item_id: int) -> None:
        self.thread_item = item_id
        self.load_thread(item_id)

    @work(exclusive=True, group="thread")
    async def load_thread(self, item_id: int) -> None:
        """Resolve the story of ``item_id``, then stream its thread into the comment view."""
        view = self.query_one(CommentView)
        started = time.perf_counter()
        self.status.show(f"Opening {item_id}…")
        try:
            root_id = await self.source.resolve_root(item_id)
        except HNError as exc:
            self.status.show(f"Cannot open {item_id}: {exc}; r retries", error=True)
            return
        # Reloading the open thread keeps it (and the reader's place) and merges fresh items.
        reuse = self.thread is not None and self.thread.root_id == root_id
        thread = self.thread if reuse and self.thread is not None else Thread(root_id)
        self.thread = thread
        shown = reuse
        focus = item_id if item_id != root_id and not reuse else None
        self.thread_loading = True
        try:
            async with aclosing(self.source.thread(root_id)) as updates:
                async for update in updates:
                    changed = {i.id for i in update.items if i.id in thread.items}
                    placed = thread.add(update.items)
                    # A parent's reply count shows in its header: redraw it too.
                    changed.update(thread.parent_of.get(i, i) for i in placed)
                    if not shown and thread.root is not None:
                        view.show_thread(thread, focus=focus)
                        shown = True
                    elif shown:
                        view.thread_changed(changed)
                    if focus is not None and focus in thread:
                        view.move_to(focus)
                        focus = None
                    self._report(thread, update, time.perf_counter() - started)
        finally:
            self.thread_loading = False
        if not shown:
            self.status.show(f"Item {root_id} is not available; r retries", error=True)

    def _report(self, thread: Thread, update: ThreadUpdate, elapsed: float) -> None:
        """Progress while loading; totals, timing and cache share when done."""
        self.failed = update.failed
        expected = thread.root.descendants if thread.root and thread.root.descendants else 0
        loaded = len(thread)
        if update.error:
            self.status.show(f"{loaded} comments · {update.error}; r retries", error=True)
        elif not update.done:
            source = "cache" if update.from_cache else "network"
            self.status.show(f"Loading from {source}: {loaded} / {expected} comments")
        else:
            self.status.show(
                f"{loaded} comments · loaded in {elapsed:.2f} s · "
                f"{update.cached} from cache, {update.fetched} fetched"
            )

    @on(CommentView.CursorMoved)
    def cursor_moved(self, event: CommentView.CursorMoved) -> None:
        """Once loading is over, the status line tells where the reader is."""
        thread = self.thread
        if self.thread_loading or thread is None or event.item_id not in thread:
            return
        if event.item_id == thread.root_id:
            self.status.show(f"Story · {len(thread)} comments")
            return
        position = thread.rows().index(event.item_id)
        depth = thread.depth_of[event.item_id]
        replies = len(thread.children(event.item_id))
        self.status.show(
            f"Comment {position} of {len(thread.rows()) - 1} shown · depth {depth} · "
            f"{replies} direct {'reply' if replies == 1 else 'replies'}"
        )

    # -- actions --------------------------------------------------------------------------
    def action_reload(self) -> None:
        """Reload what has focus: the story list, or the thread (retrying what failed)."""
        if isinstance(self.focused, StoryList):
            self.show_list(self.query_one(StoryList).kind)
        elif self.thread_item is not None:
            self.open_item(self.thread_item)
        else:
            self.show_list(self.query_one(StoryList).kind)

    def action_switch_pane(self) -> None:
        stories, comments = self.query_one(StoryList), self.query_one(CommentView)
        (comments if stories.has_focus else stories).focus()
