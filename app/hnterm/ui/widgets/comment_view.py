"""The thread pane: the story header and its comment tree, drawn line by line.

A Line API widget (``ScrollView`` + ``render_line``): only the lines on screen are composed,
and drawn lines are kept in an LRU cache, so a 3,000-comment thread costs the same per frame
as a 30-comment one. The tree and its collapse state live in the pure ``Thread`` model, and
where each row goes (rows, heights, offsets, wrapped lines) in the pure ``CommentLayout``;
this widget draws, moves a cursor over the rows and keeps a history of jumps. Requests that
need a dialog (context, replies, links) go to the screen as actions.

A subthread can be shown alone with the chain of its ancestors above it: ``f`` folds each
ancestor to one line (space opens one), and a deep link lands the same way with the chain in
full, so the reader arrives with the conversation the comment answers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from hnterm.model.format import plural
from hnterm.model.history import History, Place, ScopeMode
from hnterm.model.items import Item
from hnterm.model.narrow import EmptyQuery, Narrowing
from hnterm.model.query import parse_query
from hnterm.model.thread import ORDER_NAMES, ORDERS, Thread
from hnterm.render.comment_layout import MARKER_WIDTH, CommentLayout
from hnterm.render.comment_text import Highlight
from hnterm.render.text import html_to_plain
from hnterm.services import reading, status_text
from hnterm.services.narrowing import fold_kept, narrow_thread, narrow_title, unfold
from hnterm.services.settings import Settings
from hnterm.ui.number_keys import NUMBER_ACTION, NextKey, number_bindings, numbers_hint

EMPTY_HINT = "  Pick a story and press enter to read it (? lists every key)."
CONTEXT_LINES = 4  # lines of the parent kept above a comment too tall to show whole
SCROLL_LINES = 3  # lines j and k scroll within an item taller than the pane before moving on
# What the moves do in an item taller than the pane (help shows these beside the keys).
TALL_DOWN = f"in an item taller than the pane, {SCROLL_LINES} lines on until its end shows"
TALL_UP = f"in an item taller than the pane, {SCROLL_LINES} lines back until its top shows"
TALL_PAGE_DOWN = "in an item taller than the pane, a page on until its end shows"
TALL_PAGE_UP = "in an item taller than the pane, a page back until its top shows"
STRIP_CACHE_LINES = 128  # drawn lines kept at least; the cache grows with the pane (below)
STRIP_CACHE_SCREENS = 4  # panes' worth of drawn lines kept, so moving around redraws nothing
MEASURE_SLICE_S = 0.002  # estimated heights measured per turn of the event loop: a key waits ≤ 2 ms
# and the loop left free between slices: a key travels through several message queues, and
# with a slice ready at every turn it waited behind one at each (40-60 ms in all).
MEASURE_REST_S = 0.004
# While a load feeds the thread, measuring waits for a pause this long: done meanwhile, it
# holds the GIL the network thread needs and made a 3,000-comment load ~10% slower.
MEASURE_QUIET_S = 0.15
# What a click finds in the cell under it (``event.style.meta``), as in Textual's Tree: every
# drawn line names its item, and the fold marker says it folds.
ITEM_META = "item"
TOGGLE_META = "toggle"
TOGGLE_STYLE = Style.from_meta({TOGGLE_META: True})


class CommentView(ScrollView, can_focus=True):
    """Shows one thread; the cursor is the id of the focused item (story or comment)."""

    COMPONENT_CLASSES = {
        "comment-view--author",
        "comment-view--op",
        "comment-view--meta",
        "comment-view--gone",
        "comment-view--guide",
        "comment-view--marker",
        "comment-view--cursor",
        "comment-view--cursor-bar",
        "comment-view--title",
        "comment-view--url",
        "comment-view--rule",
        "comment-view--hidden",
        "comment-view--match",
        "comment-view--new",
        "comment-view--reply-link",
        "comment-view--chosen",
        # the parts of a comment's text (hnterm.render.text names them)
        "comment-view--link",
        "comment-view--code",
        "comment-view--quote",
        "comment-view--bold",
        "comment-view--italic",
    }

    BINDINGS = [
        Binding(
            "j,down",
            "cursor_down",
            "Next comment",
            key_display="j",
            tooltip=TALL_DOWN,
            id="comments.cursor_down",
        ),
        Binding(
            "k,up",
            "cursor_up",
            "Previous comment",
            show=False,
            tooltip=TALL_UP,
            id="comments.cursor_up",
        ),
        Binding("J", "sibling(1)", "Next sibling", show=False, id="comments.sibling_next"),
        Binding("K", "sibling(-1)", "Previous sibling", show=False, id="comments.sibling_previous"),
        Binding("h,left", "parent", "Parent", show=False, id="comments.parent"),
        Binding("l,right", "first_reply", "First reply", show=False, id="comments.first_reply"),
        Binding(
            "right_square_bracket",
            "top_level(1)",
            "Next top-level",
            show=False,
            id="comments.top_level_next",
        ),
        Binding(
            "left_square_bracket",
            "top_level(-1)",
            "Previous top-level",
            show=False,
            id="comments.top_level_previous",
        ),
        Binding("g,home", "first", "First comment", show=False, id="comments.first"),
        Binding("G,end", "last", "Last comment", show=False, id="comments.last"),
        Binding(
            "pagedown,ctrl+f",
            "page(1)",
            "Page down",
            show=False,
            tooltip=TALL_PAGE_DOWN,
            id="comments.page_next",
        ),
        Binding(
            "pageup,ctrl+b",
            "page(-1)",
            "Page up",
            show=False,
            tooltip=TALL_PAGE_UP,
            id="comments.page_previous",
        ),
        Binding(
            "space,enter", "toggle_fold", "Collapse", key_display="space", id="comments.toggle"
        ),
        Binding(
            "c",
            "collapse_siblings",
            "Collapse siblings",
            show=False,
            id="comments.collapse_siblings",
        ),
        Binding("z", "collapse_all", "Collapse all", show=False, id="comments.collapse_all"),
        Binding("Z", "expand_all", "Expand all", show=False, id="comments.expand_all"),
        Binding(
            "t",
            "cycle_order",
            "Next comment order",
            show=False,
            tooltip="sorts by HN's rank, newest, oldest, most replies first, in turn (remembered)",
            id="comments.order",
        ),
        Binding(
            "d",
            "collapse_depth",
            "Collapse below this depth",
            show=False,
            id="comments.collapse_depth",
        ),
        Binding(
            "x",
            "close_thread",
            "Collapse thread, next top-level",
            show=False,
            id="comments.close_thread",
        ),
        Binding("a", "screen.context", "Context", id="comments.context"),
        Binding("R", "screen.replies", "Replies list", show=False, id="comments.replies"),
        Binding(
            "i",
            "toggle_inline_replies",
            "Inline replies(N): >>id lines",
            show=False,
            id="comments.toggle_inline_replies",
        ),
        Binding(
            "greater_than_sign",
            "follow_reply",
            "Follow reply n",
            key_display=">",
            show=False,
            id="comments.follow_reply",
        ),
        *number_bindings("comments", "Reply n, after follow reply"),
        Binding(
            "f", "focus_subthread", "Focus subthread", show=False, id="comments.focus_subthread"
        ),
        Binding(
            "ampersand",
            "screen.narrow_thread",
            "Narrow to matching posts",
            key_display="&",
            show=False,
            tooltip="only the top-level comments a query matches, as for Who is hiring? (esc: all)",
            id="comments.narrow",
        ),
        Binding(
            "u,escape",
            "leave_subthread",
            "Leave subthread",
            show=False,
            id="comments.leave_subthread",
        ),
        Binding("b,ctrl+o", "back", "Back", id="comments.back"),
        Binding("B", "forward", "Forward", show=False, id="comments.forward"),
        Binding(
            "slash",
            "screen.search_thread",
            "Search",
            key_display="/",
            show=False,
            id="comments.search_thread",
        ),
        Binding("full_stop", "new(1)", "Next new comment", show=False, id="comments.new_next"),
        Binding("comma", "new(-1)", "Previous new comment", show=False, id="comments.new_previous"),
        Binding("n", "match(1)", "Next match", show=False, id="comments.match_next"),
        Binding("N", "match(-1)", "Previous match", show=False, id="comments.match_previous"),
        Binding("o", "screen.links", "Links", show=False, id="comments.links"),
        Binding("O", "screen.open_story", "Open story URL", show=False, id="comments.open_story"),
        Binding(
            "H",
            "screen.open_on_hn",
            "Open on news.ycombinator.com",
            show=False,
            id="comments.open_on_hn",
        ),
        Binding("y", "screen.copy_link", "Copy comment link", show=False, id="comments.copy_link"),
        Binding("Y", "screen.copy_text", "Copy comment text", show=False, id="comments.copy_text"),
    ]

    # No repaint of its own: a move repaints the two rows it changed (watch_cursor).
    cursor: reactive[int | None] = reactive(None, init=False, always_update=True, repaint=False)

    class ReturnTo(Message):
        """``back`` to a thread left for another (one history holds both): reopen it at
        ``cursor``."""

        def __init__(self, cursor: int) -> None:
            super().__init__()
            self.cursor = cursor

    class Measured(Message):
        """Every row's height is measured: the rows' objects are built and will live as
        long as the thread is open."""

    class CursorMoved(Message):
        """The focused item changed (the status line shows where the reader is)."""

        def __init__(self, item_id: int) -> None:
            super().__init__()
            self.item_id = item_id

    class Notice(Message):
        """Something to tell the reader in the status line (no match, no parent...)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.settings = settings  # where the inline replies choice is remembered
        self.comment_layout = CommentLayout(style=self._style)
        self._landing: int | None = None  # a deep link's comment, landed on when it arrives
        self._keep_context: int | None = None  # landed on: keep its chain in view while loading
        self._after_follow = NextKey()  # ``>`` pressed: the next key may be a reply number
        self._measuring = False  # _measure_rest is running
        self._fed_at = 0.0  # when a load last changed the thread (see MEASURE_QUIET_S)
        self.matches: list[int] = []
        self._narrow_folded: set[int] = set()  # what narrowing folded, opened on leaving
        self.history = History()
        self._base = Style()
        # The pane's component styles by name. Textual drops its own copy at every refresh
        # (each cursor move): rebuilt from the CSS, they cost a frame ~0.3 ms. They change
        # only with the CSS, theme or pseudo-classes, all of which notify_style_update.
        self._styles: dict[str, Style] = {}
        # What every line of one paint shares (set by ``render_lines`` for its lines).
        self._paint: _Paint | None = None
        self._painted_top = -1  # the scroll offset of the last paint
        self._plain: dict[int, str] = {}
        # Drawn lines by (row's drawn version, row, line, cursor on it, base style): moving
        # the cursor, scrolling or folding redraws from here; a changed row misses it.
        # It grows with the pane, as Textual's Tree does: a pane taller than the cache would
        # miss on every line of every repaint.
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(STRIP_CACHE_LINES)

    # What the pane shows lives in its layout; these read it.
    @property
    def thread(self) -> Thread | None:
        return self.comment_layout.thread

    @property
    def scope(self) -> int | None:
        """The subthread shown alone (None: the whole thread)."""
        return self.comment_layout.scope

    @property
    def scope_mode(self) -> ScopeMode | None:
        return self.comment_layout.scope_mode

    @property
    def inline_replies(self) -> bool:
        return self.comment_layout.inline_replies

    # -- feeding the view -----------------------------------------------------------------
    def show_thread(self, thread: Thread, focus: int | None = None) -> None:
        """Replace the thread shown; the cursor starts on ``focus`` or the story. A comment
        ``focus`` (a deep link) is landed on in context, now or when it arrives."""
        self.comment_layout.show(thread)
        self._keep_context = None
        self._landing = focus if focus is not None and focus != thread.root_id else None
        self.matches = []
        self.history.leave_thread()
        self._plain.clear()
        self.border_title = None
        self._relayout()
        self.scroll_to(0, 0, animate=False, immediate=True)
        rows = self.comment_layout.rows
        self.cursor = focus if focus in self.comment_layout else (rows[0] if rows else None)
        if self._landing is not None and self._landing in self.comment_layout:
            self._land(self._landing)

    def thread_changed(self, updated: Iterable[int] = (), replied_to: Iterable[int] = ()) -> None:
        """Re-lay out after the model changed, keeping what the reader looks at in place.

        ``updated`` items changed content (a refresh): their rows are rebuilt. Items in
        ``replied_to`` got new replies: only their header (reply count) is rebuilt. Comments
        placed above the viewport shift the lines below, so the view is re-anchored on the
        row at its top.
        """
        if self.thread is None:
            return
        updated, replied_to = list(updated), list(replied_to)
        if updated or replied_to:
            self._fed_at = time.monotonic()  # a load is feeding the thread
        shown = self._shown()  # before the rows are forgotten: that changes what they show
        for item_id in updated:
            self.comment_layout.forget(item_id)
            self._plain.pop(item_id, None)
        for item_id in replied_to:
            if self.inline_replies:
                self.comment_layout.forget(item_id)  # its replies line is part of the body
            else:
                self.comment_layout.forget_head(item_id)
        anchor = self.comment_layout.anchor(round(self.scroll_y))
        self._relayout(anchor, repaint=False)
        if self.cursor is None and self.comment_layout.rows:
            self.cursor = self.comment_layout.rows[0]
        self._keep_landing_in_view()
        self._repaint_changes(shown)

    def _restore_anchor(self, anchor: tuple[int, int] | None) -> None:
        """Scroll so the row that was at the top is there again, as far into it as before."""
        if anchor is not None and anchor[0] in self.comment_layout:
            y = self.comment_layout.top(anchor[0]) + anchor[1]
            self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def set_story_note(self, note: str | None) -> None:
        """A line under the story about its comments (none yet, not cached, loading)."""
        if note == self.comment_layout.story_note or self.thread is None:
            return
        self.comment_layout.story_note = note
        self.thread_changed(replied_to=[self.thread.root_id])

    def style_of(self, name: str) -> Style:
        """The pane's style for a part of a comment (``author``, ``meta``...), for views
        that draw comments the way this pane does."""
        return self._style(name)

    def notify_style_update(self) -> None:
        """The theme (or CSS) changed: rows built with the old colours are built again."""
        super().notify_style_update()
        self._styles.clear()
        self.comment_layout.forget()
        self._strips.clear()
        self.refresh()

    # -- layout ---------------------------------------------------------------------------
    def _relayout(self, anchor: tuple[int, int] | None = None, *, repaint: bool = True) -> None:
        """Lay the rows out at the pane's width (keeping ``anchor``, a row and a line in
        it, at the top), measure what is on screen and the cursor's row, and leave the rest
        to be measured between frames. Rows may have moved, so the pane is repainted (not
        ``repaint``: the caller repaints what changed).

        Before the widget has a size there is nothing to wrap to: the first resize lays out.
        """
        self.comment_layout.relayout(self.scrollable_content_region.width)
        self._sync_size()
        self._restore_anchor(anchor)
        self._measure_view()
        if not self.comment_layout.exact and not self._measuring:
            self._measuring = True
            self._measure_rest()
        if repaint:
            self.refresh()

    def _measure_view(self) -> bool:
        """Rows about to be drawn get exact heights (the rest may be estimates); True if
        that moved any row."""
        layout = self.comment_layout
        moved = layout.measure_window(round(self.scroll_y), self.scrollable_content_region.height)
        if self.cursor is not None:
            moved |= layout.measure_rows([self.cursor])
        self._sync_size()
        return moved

    def _measure_row(self, item_id: int) -> None:
        """Measure a row before scrolling to it: when its estimate was off, the rows below
        it move, and so does every line drawn of them."""
        if self.comment_layout.measure_rows([item_id]):
            self._sync_size()
            self.refresh()

    def _sync_size(self) -> None:
        size = Size(self.comment_layout.width, self.comment_layout.total)
        if self.comment_layout.width <= 0 or size == self.virtual_size:
            return
        if self._scrollbar_stays(size):
            self._resize_in_place(size)
        else:
            self.virtual_size = size  # a layout reactive: the scrollbar follows at the next one

    def _scrollbar_stays(self, size: Size) -> bool:
        """Only the length changes and the vertical scrollbar shows before and after: no
        layout is needed (a layout repaints the whole screen, 12-24 ms a frame, and a load
        changes the length at every batch)."""
        return (
            size.width == self.virtual_size.width
            and self.show_vertical_scrollbar
            and size.height > self.container_size.height
        )

    def _resize_in_place(self, size: Size) -> None:
        """A new length without a layout: the scrollbar's thumb follows, and the scroll is
        kept within the new end (what Textual's layout would do for this change)."""
        self.set_reactive(CommentView.virtual_size, size)
        self.vertical_scrollbar.window_virtual_size = size.height
        if self.scroll_y > self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)

    @work(group="measure")
    async def _measure_rest(self) -> None:
        """Replace estimated heights with measured ones a slice at a time, between frames
        and key presses, keeping the reader's place. One runs at a time, whatever the
        layout becomes meanwhile (a new thread, a collapse), until every row is measured."""
        layout = self.comment_layout
        try:
            while not layout.exact:
                quiet = self._fed_at + MEASURE_QUIET_S - time.monotonic()
                if quiet > 0:
                    await asyncio.sleep(quiet)
                    continue
                shown = self._shown()
                anchor = layout.anchor(round(self.scroll_y))
                if layout.measure(MEASURE_SLICE_S):
                    self._sync_size()
                    self._restore_anchor(anchor)
                    self._keep_landing_in_view()
                    self._repaint_changes(shown)
                await asyncio.sleep(MEASURE_REST_S)
        finally:
            self._measuring = False
        self.post_message(self.Measured())

    def on_resize(self, event: events.Resize) -> None:
        self._strips.grow(STRIP_CACHE_SCREENS * event.size.height)
        if self.thread is not None:
            self.thread_changed()
            self.scroll_to_cursor()
            self._keep_landing_in_view()

    def on_mount(self) -> None:
        self._restore_inline_replies()

    @work(group="inline-replies")
    async def _restore_inline_replies(self) -> None:
        """Inline replies lines are a reader's choice, kept in the cache's settings."""
        if self.settings is not None and (await self.settings.recall()).inline_replies:
            self.set_inline_replies(True)

    def set_wrap_width(self, columns: int) -> None:
        """At most this many columns of text a line (0: the pane's width): on a very wide
        terminal lines stay a readable length."""
        if columns != self.comment_layout.wrap_width:
            self.comment_layout.wrap_width = columns
            self.comment_layout.forget()
            if self.thread is not None:
                self.thread_changed()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"comment-view--{name}", partial=True)
            if name == "marker":
                style += TOGGLE_STYLE
            self._styles[name] = style
        return style

    # -- drawing --------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        self._base = self.rich_style  # computed once per paint, not once per line
        # What is drawn has exact heights, whatever scrolled here. A scroll repaints every
        # line; without one, this paint may leave lines that rows measured now moved, and
        # the next paint redraws them all.
        thread = self.thread
        top = round(self.scroll_y)
        scrolled, self._painted_top = top != self._painted_top, top
        laid_out = thread is not None and self.comment_layout.version == thread.version
        if laid_out and self._measure_view() and not scrolled:
            self.refresh()
        self._paint = self._paint_now()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def _paint_now(self) -> _Paint:
        """Scroll offset, width and lines in all: the same for every line of a paint, and
        reading them from Textual costs more than drawing a cached line."""
        width = self.scrollable_content_region.width
        return _Paint(round(self.scroll_y), width, self.virtual_size.height)

    def render_line(self, y: int) -> Strip:
        paint = self._paint or self._paint_now()
        line_no, width = paint.top + y, paint.width
        layout = self.comment_layout
        if self.thread is None and y >= 1:  # the hint, wrapped: a wide list leaves room
            console = self.app.console
            hint = Text(EMPTY_HINT.strip(), self._style("meta")).wrap(console, max(1, width - 4))
            if y <= len(hint):
                line = Text("  ").append_text(hint[y - 1]).render(console)
                return Strip(line).crop_extend(0, width, self._base)
        if self.thread is None or not layout.rows or line_no >= paint.lines:
            return Strip.blank(width, self._base)
        if layout.version != self.thread.version or width != layout.width:
            self._relayout()  # the model changed, or a scrollbar came or went
            self._paint = None  # the next lines read the new size
        shows = self._line_shows(line_no)
        key = (shows, self._base)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._draw(shows, width)
        return strip

    def _line_shows(self, line_no: int) -> _Line:
        """What a line of the laid out rows draws: two lines that show the same draw the
        same (the strip cache's key, and what a repaint compares)."""
        layout = self.comment_layout
        item_id = layout.rows[layout.row_at(line_no)]
        offset = line_no - layout.top(item_id)
        return _Line(layout.drawn_version(item_id), item_id, offset, item_id == self.cursor)

    def _shown(self) -> tuple[int, list[_Line | None]]:
        """The pane's scroll offset and what each of its lines shows (None: no row)."""
        top, layout = round(self.scroll_y), self.comment_layout
        end = layout.total if self.thread is not None and layout.rows else 0
        lines = range(top, top + self.scrollable_content_region.height)
        return top, [self._line_shows(n) if n < end else None for n in lines]

    def _repaint_changes(self, before: tuple[int, list[_Line | None]]) -> None:
        """Repaint only the lines that show something else than ``before`` did: rows a load
        adds below the view, or heights measured above it, leave the screen as it was (a
        whole pane is ~40 lines through Textual's styles for each frame)."""
        top, lines = self._shown()
        if top != before[0] or len(lines) != len(before[1]):
            self.refresh()  # scrolled or resized: every line moved
            return
        y = 0
        while y < len(lines):
            if lines[y] == before[1][y]:
                y += 1
                continue
            start = y
            while y < len(lines) and lines[y] != before[1][y]:
                y += 1
            self.refresh_lines(top + start, y - start)

    def _repaint_rows(self, *item_ids: int | None) -> None:
        """Repaint the lines of these rows that are on screen (the cursor's old and new)."""
        layout, top = self.comment_layout, round(self.scroll_y)
        bottom = top + self.scrollable_content_region.height
        for item_id in item_ids:
            if item_id is not None and item_id in layout:
                first, end = layout.span(item_id)
                first, end = max(first, top), min(end, bottom)
                if first < end:
                    self.refresh_lines(first, end - first)

    def _draw(self, shows: _Line, width: int) -> Strip:
        """One line of a row: guides, cursor bar, text, padding to the width. One Strip per
        line: building several and joining them costs more than the text."""
        item_id, offset, focused = shows.item_id, shows.offset, shows.focused
        line = self.comment_layout.line(item_id, offset)
        base = self._base + Style.from_meta({ITEM_META: item_id})
        if line is None:
            return Strip.blank(width, base)
        if focused:
            base += self._style("cursor")
        guides = self.comment_layout.guides(item_id)
        segments = [Segment(guides, base + self._style("guide"))] if guides else []
        if focused:
            segments.append(Segment("▌ ", base + self._style("cursor-bar")))
        else:
            segments.append(Segment(" " * MARKER_WIDTH, base))
        used = len(guides) + MARKER_WIDTH
        for segment in line.render(self.app.console):
            segments.append(Segment(segment.text, base + segment.style if segment.style else base))
            used += segment.cell_length
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        return Strip(segments).crop(0, width)

    # -- cursor and jumps -----------------------------------------------------------------
    def watch_cursor(self, old: int | None, new: int | None) -> None:
        if new is None:
            return
        if new != self._keep_context:
            self._keep_context = None  # the reader moved on: loads no longer re-scroll
        if self.scope_mode == "context":
            self.border_title = self._scope_title()  # it says where in the chain the cursor is
        self.scroll_to_cursor()
        self._repaint_rows(old, new)  # a scroll repaints the whole pane (Textual does)
        self.post_message(self.CursorMoved(new))

    def _shown_cursor(self) -> int | None:
        """The cursor, when its row is laid out (None before a thread, or while hidden)."""
        cursor = self.cursor
        return cursor if cursor is not None and cursor in self.comment_layout else None

    def scroll_to_cursor(self) -> None:
        """Bring the focused item into view; a tall one shows from its top, unless the
        reader is inside it already (scrolled there with j, or clicked it): then the view
        stays."""
        layout, cursor = self.comment_layout, self._shown_cursor()
        if cursor is None:
            return
        self._measure_row(cursor)
        first, end = layout.span(cursor)
        y, screen = round(self.scroll_y), self.scrollable_content_region.height
        if end - first > screen and first <= y and y + screen <= end:
            return
        height = min(layout.height(cursor), screen)
        region = Region(0, first, layout.width, height)
        self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def _keep_landing_in_view(self) -> None:
        """A deep link landed on and not moved from: keep its ancestors in view while rows
        above it arrive or change height."""
        if self._keep_context is not None and self._keep_context == self.cursor:
            self._scroll_to_context(self._keep_context)

    def _scroll_to_context(self, item_id: int) -> None:
        """Show a comment with as much of what is above it (its ancestors, in a subthread)
        as fits: the whole comment at the bottom of the pane when it fits, else its start
        under the last lines of its parent."""
        if item_id not in self.comment_layout:
            return
        self._measure_row(item_id)
        top = self.comment_layout.top(item_id)
        screen = self.scrollable_content_region.height
        above = max(CONTEXT_LINES, screen - self.comment_layout.height(item_id))
        above = max(0, min(above, screen - 1))
        self.scroll_to(y=max(0, top - above), animate=False, immediate=True, force=True)

    def _land(self, item_id: int) -> None:
        """Arrive at a deep link: its subthread, under the story and every ancestor in full
        (the tree's own indents), scrolled so the conversation above it shows."""
        assert self.thread is not None
        self._landing = None
        self.thread.set_collapsed(item_id, False)
        self._set_scope(item_id, "context")
        self.cursor = item_id
        self._keep_context = item_id
        self._scroll_to_context(item_id)
        note = self.context_note(item_id)
        if note:
            self.post_message(self.Notice(f"{note} · u shows the whole thread"))

    def context_note(self, item_id: int) -> str | None:
        """``depth 7 of 9 · 6 ancestors above``, for a comment the pane shows."""
        if self.thread is None or item_id not in self.comment_layout:
            return None
        return status_text.context_note(self.thread, item_id)

    def move_to(self, item_id: int) -> None:
        """Focus an item, expanding collapsed ancestors (and leaving a subthread that does
        not hold it) so it can be seen."""
        thread = self.thread
        if thread is None or item_id not in thread:
            return
        in_scope = self.scope in (item_id, *thread.ancestors(item_id))
        if self.scope is not None and not in_scope and not self.comment_layout.in_chain(item_id):
            self._set_scope(None)
        self._collapse(lambda thread: thread.reveal(item_id), say=False)
        if self.comment_layout.version != thread.version or item_id not in self.comment_layout:
            self._relayout()
        self.cursor = item_id

    def jump(self, item_id: int | None, *, missing: str = "") -> None:
        """Move somewhere that is not next door, remembering where we were for ``back``."""
        if item_id is None or self.thread is None or item_id not in self.thread:
            if missing:
                self.post_message(self.Notice(missing))
            return
        if self.cursor is not None and item_id != self.cursor:
            self._remember()
        if item_id == self._landing:
            self._land(item_id)
            return
        self.move_to(item_id)

    def _here(self) -> Place | None:
        if self.cursor is None:
            return None
        return Place(
            self.cursor,
            self.scope,
            self.scope_mode,
            frozenset(self.comment_layout.chain_open),
            self.comment_layout.anchor(round(self.scroll_y)),
        )

    def _remember(self) -> None:
        """Put the current place on the back history (a new jump forgets forward)."""
        here = self._here()
        if here is not None:
            self.history.remember(here)

    def remember_departure(self) -> None:
        """Another thread is opened from here: ``b`` comes back to this thread, here."""
        if self.thread is not None:
            cursor = self.cursor if self.cursor is not None else self.thread.root_id
            self.history.remember(Place(cursor, thread=self.thread.root_id))

    def _go(self, place: Place) -> None:
        """Return to a history entry: the same subthread and chain, the same comment, and
        the scroll it had (when that still shows the comment)."""
        self._set_scope(place.scope, place.mode)
        if place.chain_open != self.comment_layout.chain_open:
            for item_id in self.comment_layout.chain_open ^ place.chain_open:
                self.comment_layout.forget(item_id)
            self.comment_layout.chain_open = set(place.chain_open)
            self._relayout()
        self.move_to(place.cursor)
        if place.top is not None and self.cursor == place.cursor:
            self._restore_anchor(place.top)
            self.scroll_to_cursor()

    def action_back(self) -> None:
        place = self.history.back(self._here())
        if place is None:
            self.post_message(self.Notice("No earlier place in the history"))
        elif place.thread is not None:
            self.post_message(self.ReturnTo(place.cursor))
        else:
            self._go(place)

    def action_forward(self) -> None:
        here = self._here()
        place = self.history.forward(here) if here is not None else None
        if place is None:
            self.post_message(self.Notice("Nothing to go forward to"))
            return
        self._go(place)

    # -- moves ----------------------------------------------------------------------------
    def _step(self, delta: int) -> None:
        rows, cursor = self.comment_layout.rows, self._shown_cursor()
        if not rows:
            return
        row = self.comment_layout.index(cursor) if cursor is not None else 0
        self._move_cursor(rows[max(0, min(len(rows) - 1, row + delta))], delta)

    def _move_cursor(self, item_id: int, direction: int) -> None:
        """Step the cursor to a row; going up onto one taller than the pane shows its last
        lines, next to where the reader was, so reading upward goes on without a jump."""
        moved = item_id != self.cursor
        self.cursor = item_id
        if moved and direction < 0:
            self._show_end()

    def _show_end(self) -> None:
        layout, cursor = self.comment_layout, self._shown_cursor()
        if cursor is None:
            return
        first, end = layout.span(cursor)
        screen = self.scrollable_content_region.height
        if end - first > screen:
            self.scroll_to(y=end - screen, animate=False, immediate=True, force=True)

    def _read_on(self, step: int) -> bool:
        """Scroll ``step`` lines within the cursor's row when it runs past the pane that
        way, as a pager does; False when its edge is in view (the cursor moves on)."""
        layout, cursor = self.comment_layout, self._shown_cursor()
        if cursor is None:
            return False
        self._measure_row(cursor)
        before = round(self.scroll_y)
        lines = self.scrollable_content_region.height
        target = layout.scroll_within(cursor, before, lines, step)
        if target is None:
            return False
        self._keep_context = None  # the reader scrolls: a load no longer moves the view
        self.scroll_to(y=target, animate=False, immediate=True, force=True)
        return round(self.scroll_y) != before

    def action_cursor_down(self) -> None:
        """The next row, once the last line of this one is in view."""
        if not self._read_on(SCROLL_LINES):
            self._step(1)

    def action_cursor_up(self) -> None:
        """The previous row, once the first line of this one is in view."""
        if not self._read_on(-SCROLL_LINES):
            self._step(-1)

    def action_sibling(self, step: int) -> None:
        if self.thread is not None and self.cursor is not None:
            target = self.thread.sibling(self.cursor, step)
            self.jump(target, missing="No more siblings this way")

    def action_parent(self) -> None:
        if self.thread is not None and self.cursor is not None:
            self.jump(self.thread.parent_of.get(self.cursor), missing="This is the story")

    def action_first_reply(self) -> None:
        if self.thread is None or self.cursor is None:
            return
        replies = self.thread.children(self.cursor)
        self.jump(replies[0] if replies else None, missing="No replies")

    def action_top_level(self, step: int) -> None:
        if self.thread is not None and self.cursor is not None:
            target = self.thread.top_level(self.cursor, step)
            self.jump(target, missing="No more top-level comments this way")

    def action_first(self) -> None:
        if self.comment_layout.rows:
            self.jump(self.comment_layout.rows[0])

    def action_last(self) -> None:
        if self.comment_layout.rows:
            self.jump(self.comment_layout.rows[-1])

    def action_page(self, direction: int) -> None:
        """A page further within the cursor's row while it runs past the pane that way,
        then the cursor moves by a screenful of lines."""
        layout, cursor = self.comment_layout, self._shown_cursor()
        if cursor is None:
            return
        screen = max(1, self.scrollable_content_region.height - 2)
        if self._read_on(direction * screen):
            return
        target = layout.top(cursor) + direction * screen
        row = layout.row_at(max(0, min(target, layout.total - 1)))
        if layout.rows[row] == cursor:
            row = max(0, min(len(layout.rows) - 1, row + direction))
        self._move_cursor(layout.rows[row], direction)

    # -- collapsing -----------------------------------------------------------------------
    def _collapse(self, change: Callable[[Thread], object], *, say: bool = True) -> None:
        """Apply a collapse change to the model and redraw only the rows it touched,
        keeping the cursor where it was on screen (or on its nearest visible ancestor).
        The status line says what changed, so a fold key never passes unanswered (``say``:
        a fold key; a move that opens the way to a comment is not one)."""
        thread = self.thread
        if thread is None:
            return
        before = set(thread.collapsed)
        change(thread)
        if self.scope is not None:
            # The ancestors above a subthread stay open in the model: the reader sees them,
            # and a cursor on the subthread must stay among the thread's rows.
            thread.reveal(self.scope)
        touched = before ^ thread.collapsed
        if say:
            self.post_message(self.Notice(_fold_notice(thread, before, touched)))
        if not touched:
            return
        for item_id in touched:
            self.comment_layout.forget_head(item_id)
        screen_y = self._cursor_screen_y()
        self._relayout()
        if self.cursor is None:
            self.refresh()
            return
        if self.cursor not in self.comment_layout:
            visible = [a for a in thread.ancestors(self.cursor) if a in self.comment_layout]
            rows = self.comment_layout.rows
            self.cursor = visible[-1] if visible else (rows[0] if rows else None)
        self._keep_cursor_at(screen_y)

    def _cursor_screen_y(self) -> int | None:
        """Where the cursor's row starts on screen, to keep it there across a relayout."""
        cursor = self._shown_cursor()
        if cursor is None:
            return None
        return self.comment_layout.top(cursor) - round(self.scroll_y)

    def _keep_cursor_at(self, screen_y: int | None) -> None:
        """Scroll so the cursor's row starts at ``screen_y`` again (and is in view)."""
        cursor = self._shown_cursor()
        if screen_y is not None and cursor is not None:
            y = max(0, self.comment_layout.top(cursor) - screen_y)
            self.scroll_to(y=y, animate=False, immediate=True, force=True)
        self.scroll_to_cursor()
        self.refresh()

    def set_collapsed(self, item_id: int, collapsed: bool) -> None:
        """Collapse or expand one comment, keeping it where it is on screen."""
        self._collapse(lambda thread: thread.set_collapsed(item_id, collapsed))

    def action_toggle_fold(self) -> None:
        if self.thread is None or self.cursor is None:
            return
        if self.comment_layout.in_chain(self.cursor):
            self.toggle_chain(self.cursor)
        elif self.thread.filter_reason(self.cursor) is not None:
            self.toggle_filtered(self.cursor)
        else:
            self.set_collapsed(self.cursor, not self.thread.is_collapsed(self.cursor))

    def toggle_chain(self, item_id: int) -> None:
        """Show an ancestor above the subthread in full, or fold it back to one line,
        keeping the cursor where it is on screen."""
        if not self.comment_layout.in_chain(item_id):
            return
        opened = item_id not in self.comment_layout.chain_open
        if opened:
            self.comment_layout.chain_open.add(item_id)
        else:
            self.comment_layout.chain_open.discard(item_id)
        self.comment_layout.forget(item_id)
        screen_y = self._cursor_screen_y()
        self._relayout()
        self._keep_cursor_at(screen_y)
        self.post_message(
            self.Notice("Ancestor shown in full" if opened else "Ancestor folded to one line")
        )

    def toggle_filtered(self, item_id: int) -> None:
        """Open a comment the filters folded, or fold it back to its one line."""
        thread = self.thread
        if thread is None or not thread.set_opened(item_id, thread.is_filtered(item_id)):
            return
        self.comment_layout.forget(item_id)
        screen_y = self._cursor_screen_y()
        self._relayout()
        self._keep_cursor_at(screen_y)
        opened = not thread.is_filtered(item_id)
        self.post_message(self.Notice("Filtered comment shown" if opened else "Filtered again"))

    def rows_changed(self) -> None:
        """Every row may read differently (the filters went off or on): all are built again,
        the cursor kept where it is on screen."""
        if self.thread is None:
            return
        self.comment_layout.forget()
        screen_y = self._cursor_screen_y()
        self._relayout()
        self._keep_cursor_at(screen_y)

    async def action_cycle_order(self) -> None:
        """The next order to read the thread in (HN's rank, newest, oldest, most replies),
        said on the status line and remembered for the next thread."""
        thread = self.thread
        if thread is None:
            return
        order = ORDERS[(ORDERS.index(thread.sort) + 1) % len(ORDERS)]
        reading.set_order(thread, order)
        wanted = set(self.matches)
        self.matches = [i for i in thread.order() if i in wanted]
        screen_y = self._cursor_screen_y()
        self._relayout()
        self._keep_cursor_at(screen_y)
        self.post_message(self.Notice(f"Comments: {ORDER_NAMES[order]}"))
        if self.settings is not None:
            await self.settings.remember_comment_order(order)

    def action_collapse_siblings(self) -> None:
        cursor = self.cursor
        if cursor is None:
            return
        self._collapse(lambda thread: thread.collapse_all(thread.siblings(cursor)))

    def action_collapse_all(self) -> None:
        self._collapse(Thread.collapse_all)

    def action_expand_all(self) -> None:
        self._collapse(Thread.expand_all)

    def action_collapse_depth(self) -> None:
        cursor = self.cursor
        if cursor is None:
            return
        self._collapse(lambda thread: thread.collapse_depth(max(1, thread.depth_of[cursor])))

    def action_close_thread(self) -> None:
        """Collapse the top-level comment holding the cursor and go to the next one."""
        if self.thread is None or self.cursor is None:
            return
        top = self.thread.top_level_of(self.cursor)
        target = self.thread.top_level(self.cursor, 1)
        if top is not None:
            self.cursor = top
            self.set_collapsed(top, True)
        self.jump(target, missing="That was the last top-level comment")

    # -- subthreads -----------------------------------------------------------------------
    def action_focus_subthread(self) -> None:
        """Show only the focused comment and its replies, under its ancestors folded to one
        line each (space opens one), so the subthread keeps where it came from."""
        if self.thread is None or self.cursor is None or self.cursor == self.thread.root_id:
            return
        self._remember()
        self.thread.set_collapsed(self.cursor, False)
        self._set_scope(self.cursor, "focus")
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.cursor = self.scope

    def _set_scope(self, scope: int | None, mode: ScopeMode | None = None) -> None:
        """Show the subthread of ``scope`` (None: the whole thread) in a mode; indents
        change, so every row is rebuilt. A deep link's context opens every ancestor."""
        mode = mode if scope is not None else None
        if scope == self.scope and mode == self.scope_mode:
            return
        layout = self.comment_layout
        layout.scope = scope
        layout.scope_mode = mode
        layout.chain_open = set()
        if scope is not None and mode == "context" and self.thread is not None:
            layout.chain_open = set(self.thread.ancestors(scope))
        layout.forget()
        self._relayout()
        self.border_title = self._scope_title()

    def _scope_title(self) -> str | None:
        """The mode indicator: which subthread is shown alone, and how to leave it."""
        if self.scope is None or self.scope_mode is None or self.thread is None:
            return None
        chain = len(self.comment_layout.chain)
        return status_text.scope_title(self.thread, self.scope, self.scope_mode, self.cursor, chain)

    def action_leave_subthread(self) -> None:
        if self.scope is None:
            return
        self._set_scope(None)
        if self.cursor is not None:
            self.move_to(self.cursor)

    # -- reply links ----------------------------------------------------------------------
    def set_inline_replies(self, shown: bool) -> None:
        """Show or hide the ``replies(N): >>id`` line under each comment (and the ids and
        ``{depth}`` marks in headers that let a reader find a ``>>id``)."""
        if shown == self.inline_replies:
            return
        self.comment_layout.inline_replies = shown
        self.comment_layout.forget()
        self.thread_changed()
        self.scroll_to_cursor()

    async def action_toggle_inline_replies(self) -> None:
        """``i``: replies lines on or off; the choice is remembered across runs."""
        self.set_inline_replies(not self.inline_replies)
        self.post_message(
            self.Notice(
                "Replies shown under each comment: > then n follows the n-th; i hides them"
                if self.inline_replies
                else "Inline replies hidden; i shows them"
            )
        )
        if self.settings is not None:
            await self.settings.remember_inline_replies(self.inline_replies)

    def action_follow_reply(self) -> None:
        """``>``: the next key, a number n, follows the n-th reply of the comment under the
        cursor; any other key does its own job."""
        if self.thread is None or self.cursor is None:
            return
        replies = self.thread.children(self.cursor)
        if not replies:
            self.post_message(self.Notice("No replies to follow"))
            return
        self._after_follow.arm()
        which = numbers_hint(self.app, self, len(replies))
        self.post_message(self.Notice(f"Follow which reply? {which} (R lists them all)"))

    def action_number(self, number: int) -> None:
        """A number key right after ``>``."""
        self.follow_reply(number)

    def follow_reply(self, number: int) -> None:
        """Jump to the n-th reply (from 1) of the comment under the cursor; ``b`` returns."""
        if self.thread is None or self.cursor is None:
            return
        replies = self.thread.children(self.cursor)
        if not 1 <= number <= len(replies):
            self.post_message(self.Notice(f"No reply {number}: this comment has {len(replies)}"))
            return
        self.jump(replies[number - 1])

    def on_key(self, event: events.Key) -> None:
        """Each key ends the wait ``>`` began (the bindings see the key after this)."""
        self._after_follow.seen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The number keys are live only right after ``>``; otherwise they pass on. Out of
        a subthread, escape passes on in a narrowed thread (the pane's leaves it)."""
        if action == "leave_subthread":
            return self.scope is not None or self.narrowing is None
        return self._after_follow.live if action == NUMBER_ACTION else True

    # -- search ---------------------------------------------------------------------------
    def _plain_text(self, item: Item) -> str:
        text = self._plain.get(item.id)
        if text is None:
            text = self._plain[item.id] = html_to_plain(item.text)
        return text

    def search(self, query: str) -> int:
        """Find comments matching ``query``, highlight them and go to the first one after
        the cursor (opening collapsed ancestors). Returns the number of matches."""
        if self.thread is None:
            return 0
        previous = self.comment_layout.highlight.ids
        self.matches = self.thread.search(query, self._plain_text)
        parsed = parse_query(query)
        author = parsed.authors[0].lower() if parsed.authors else None
        self.comment_layout.highlight = Highlight(parsed.terms, author, frozenset(self.matches))
        for item_id in previous | self.comment_layout.highlight.ids:
            self.comment_layout.forget(item_id)
        self._relayout()
        self.refresh()
        if self.matches:
            self._goto_match(1, include_cursor=True)
        return len(self.matches)

    # -- narrowing ------------------------------------------------------------------------
    @property
    def narrowing(self) -> Narrowing | None:
        """The top-level comments shown alone (None: every comment)."""
        return self.comment_layout.narrowing

    def narrow(self, query: str) -> Narrowing:
        """Show only the top-level comments ``query`` matches, their replies folded and the
        matches highlighted as ``/`` does; n and N go from one to the next. ``EmptyQuery``
        when the query has nothing to match by (the view is unchanged)."""
        thread = self.thread
        if thread is None:
            raise EmptyQuery("no thread is open")
        narrowing = narrow_thread(thread, query)
        if self.narrowing is not None:
            unfold(thread, self._narrow_folded)
        self._narrow_folded = fold_kept(thread, narrowing)
        layout = self.comment_layout
        layout.narrowing = narrowing
        layout.highlight = Highlight(narrowing.terms, narrowing.author, frozenset(narrowing.kept))
        self.matches = list(narrowing.kept)
        self._refresh_rows()
        self.border_title = Text(narrow_title(narrowing))  # user text: never markup
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.cursor = narrowing.kept[0] if narrowing.kept else thread.root_id
        return narrowing

    def leave_narrow(self) -> None:
        """Every comment again, folded as before the narrowing; the cursor stays."""
        thread, narrowing = self.thread, self.narrowing
        if thread is None or narrowing is None:
            return
        unfold(thread, self._narrow_folded)
        self._narrow_folded = set()
        self.comment_layout.narrowing = None
        self.comment_layout.highlight = Highlight()
        self.matches = []
        self._refresh_rows()
        self.border_title = self._scope_title()
        if self.cursor is not None:
            self.move_to(self.cursor)
        self.post_message(self.Notice(f"Every comment shown ({narrowing.total} top-level)"))

    def renarrow(self) -> None:
        """Top-level comments came or went (a live update, a reload): the narrowing is
        worked out again, new matches shown folded, the count brought up to date and the
        cursor kept where it is on screen."""
        thread, before = self.thread, self.narrowing
        if thread is None or before is None:
            return
        narrowing = narrow_thread(thread, before.query)
        had = set(before.kept)
        added = replace(narrowing, kept=tuple(t for t in narrowing.kept if t not in had))
        self._narrow_folded |= fold_kept(thread, added)
        screen_y = self._cursor_screen_y()
        self.comment_layout.narrowing = narrowing
        self.comment_layout.highlight = replace(
            self.comment_layout.highlight, ids=frozenset(narrowing.kept)
        )
        self.matches = list(narrowing.kept)
        self._refresh_rows()
        self._keep_cursor_at(screen_y)
        self.border_title = Text(narrow_title(narrowing))

    def _refresh_rows(self) -> None:
        """Rows and highlights changed: every row is built again."""
        self.comment_layout.forget()
        self._relayout()
        self.refresh()

    def action_match(self, step: int) -> None:
        """Go to the next (1) or previous (-1) match, wrapping around the thread."""
        if self.thread is None or not self.matches:
            self.post_message(self.Notice("No search matches; / searches"))
            return
        self._goto_match(step, include_cursor=False)

    def _goto_match(self, step: int, *, include_cursor: bool) -> None:
        self.jump(self._cycle(self.matches, step, include_cursor=include_cursor))

    def action_new(self, step: int) -> None:
        """Go to the next (1) or previous (-1) comment that is new since the last visit."""
        new = self.thread.new_ids() if self.thread is not None else []
        if not new:
            self.post_message(self.Notice("No new comments since your last visit"))
            return
        self.jump(self._cycle(new, step, include_cursor=False))

    def _cycle(self, targets: list[int], step: int, *, include_cursor: bool) -> int:
        """The first of ``targets`` after (or last before) the cursor in reading order,
        wrapping around; ``targets`` must be in reading order and not empty."""
        assert self.thread is not None
        order = {item_id: n for n, item_id in enumerate(self.thread.order())}
        here = order.get(self.cursor, -1) if self.cursor is not None else -1
        if include_cursor:
            here -= 1
        if step > 0:
            after = [t for t in targets if order[t] > here]
            return after[0] if after else targets[0]
        before = [t for t in targets if order[t] < here]
        return before[-1] if before else targets[-1]

    # -- mouse ----------------------------------------------------------------------------
    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._keep_context = None  # the reader scrolls: a load no longer moves the view

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._keep_context = None

    def on_click(self, event: events.Click) -> None:
        """Click focuses a comment; a click on its marker collapses or expands it."""
        meta = event.style.meta
        item_id = meta.get(ITEM_META)
        if item_id not in self.comment_layout:
            return
        self.cursor = item_id
        if meta.get(TOGGLE_META):
            self.action_toggle_fold()


class _Line(NamedTuple):
    version: tuple[int, int]  # the row's drawn version
    item_id: int
    offset: int  # the line within the row
    focused: bool  # the cursor is on the row


class _Paint(NamedTuple):
    top: int  # the line at the top of the pane
    width: int
    lines: int  # in all (the virtual height)


def _fold_notice(thread: Thread, before: set[int], touched: set[int]) -> str:
    """What a fold key did, in a few words."""
    if not touched:
        return "Nothing to fold or unfold here"
    closed = [i for i in touched if i not in before]
    opened = len(touched) - len(closed)
    if closed and not opened:
        hidden = sum(thread.subtree_size(i) for i in closed)
        replies = plural(hidden, "reply", "replies")
        return f"Collapsed {plural(len(closed), 'comment')}: {replies} hidden"
    if opened and not closed:
        return f"Expanded {plural(opened, 'comment')}"
    return f"Collapsed {len(closed)}, expanded {opened}"
