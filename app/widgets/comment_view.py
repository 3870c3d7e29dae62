"""The thread pane: the story header and its comment tree, drawn line by line.

A Line API widget (``ScrollView`` + ``render_line``): each visible comment is wrapped once per
width and cached as strips, and only the lines on screen are composed, so a 3,000-comment
thread costs the same per frame as a 30-comment one. The tree and its collapse state live in
the pure ``Thread`` model; this widget only lays it out and moves a cursor over it.
"""

from __future__ import annotations

from bisect import bisect_right

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from app.hn.format import age, domain, plural
from app.hn.models import Item
from app.hn.text import render_html, sanitize
from app.hn.thread import Thread

MAX_INDENT_LEVELS = 12
MARKER_WIDTH = 2


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
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Next", key_display="j"),
        Binding("k,up", "cursor_up", "Prev", show=False),
        Binding("space,enter", "toggle", "Collapse", key_display="space"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("g,home", "first", "First comment", show=False),
        Binding("G,end", "last", "Last comment", show=False),
    ]

    cursor: reactive[int | None] = reactive(None, init=False, always_update=True)

    class CursorMoved(Message):
        """The focused item changed (the status line shows where the reader is)."""

        def __init__(self, item_id: int) -> None:
            super().__init__()
            self.item_id = item_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.thread: Thread | None = None
        self._width = 0
        self._rows: list[int] = []
        self._offsets: list[int] = []
        self._index: dict[int, int] = {}
        self._strips: dict[int, list[Strip]] = {}
        self._layout_version = -1

    # -- feeding the view -----------------------------------------------------------------
    def show_thread(self, thread: Thread, focus: int | None = None) -> None:
        """Replace the thread shown; the cursor starts on ``focus`` or the story."""
        self.thread = thread
        self._strips.clear()
        self._layout_version = -1
        self._relayout()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.cursor = focus if focus in self._index else (self._rows[0] if self._rows else None)

    def thread_changed(self, changed_ids: set[int] | None = None) -> None:
        """Re-lay out after the model changed, keeping what the reader looks at in place.

        ``changed_ids`` are items whose own lines changed (new text, new reply count); their
        cached lines are redrawn. Comments placed above the viewport shift the lines below,
        so the view is re-anchored on the row at its top.
        """
        if self.thread is None:
            return
        for item_id in changed_ids or ():
            self._strips.pop(item_id, None)
        anchor = self._top_anchor()
        self._relayout()
        if anchor is not None and anchor[0] in self._index:
            y = self._offsets[self._index[anchor[0]]] + anchor[1]
            self.set_scroll(None, y)
        if self.cursor is None and self._rows:
            self.cursor = self._rows[0]
        self.refresh()

    def _top_anchor(self) -> tuple[int, int] | None:
        if not self._rows:
            return None
        y = round(self.scroll_y)
        row = max(0, bisect_right(self._offsets, y) - 1)
        return self._rows[row], y - self._offsets[row]

    # -- layout ---------------------------------------------------------------------------
    def _relayout(self) -> None:
        """Recompute rows and their line offsets (heights come from the strip cache).

        Before the widget has a size there is nothing to wrap to: the first resize lays out.
        """
        width = self.scrollable_content_region.width
        self._rows = self.thread.rows() if self.thread else []
        self._index = {item_id: n for n, item_id in enumerate(self._rows)}
        if width <= 0:
            self._offsets = [0] * len(self._rows)
            return
        if width != self._width:
            self._width = width
            self._strips.clear()
        offsets: list[int] = []
        y = 0
        for item_id in self._rows:
            offsets.append(y)
            y += len(self._row_strips(item_id))
        self._offsets = offsets
        self._layout_version = self.thread.version if self.thread else -1
        size = Size(width, y)
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def on_resize(self, event: events.Resize) -> None:
        if self.thread is not None:
            self.thread_changed()

    def _indent(self, item_id: int) -> int:
        assert self.thread is not None
        return min(max(self.thread.depth_of.get(item_id, 0) - 1, 0), MAX_INDENT_LEVELS)

    def _row_strips(self, item_id: int) -> list[Strip]:
        strips = self._strips.get(item_id)
        if strips is None:
            assert self.thread is not None
            item = self.thread.items[item_id]
            indent = self._indent(item_id)
            width = max(self._width - indent * 2 - MARKER_WIDTH, 10)
            text = (
                self._story_text(item)
                if item_id == self.thread.root_id
                else self._comment_text(item)
            )
            strips = [Strip(line.render(self.app.console)) for line in _wrap(self, text, width)]
            if item_id == self.thread.root_id:
                strips.append(Strip([Segment("─" * width, self._style("rule"))]))
            strips.append(Strip.blank(0))
            self._strips[item_id] = strips
        return strips

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"comment-view--{name}", partial=True)

    def _comment_text(self, item: Item) -> Text:
        """Header line (marker, author, age, replies) then the rendered comment."""
        assert self.thread is not None
        thread = self.thread
        collapsed = thread.is_collapsed(item.id)
        replies = len(thread.children(item.id))
        text = Text(no_wrap=False)
        marker = "▸ " if collapsed else ("▾ " if replies else "· ")
        text.append(marker, self._style("marker"))
        if item.deleted:
            text.append("[deleted]", self._style("gone"))
        else:
            root = thread.root
            is_op = root is not None and item.by is not None and item.by == root.by
            text.append(sanitize(item.by or "?"), self._style("op" if is_op else "author"))
            if is_op:
                text.append(" OP", self._style("op"))
            if item.dead:
                text.append(" [dead]", self._style("gone"))
        meta = f"  {age(item.time)}"
        if replies:
            meta += f" · {replies} {'reply' if replies == 1 else 'replies'}"
        depth = thread.depth_of.get(item.id, 1)
        if depth - 1 > MAX_INDENT_LEVELS:
            meta += f" · depth {depth}"
        text.append(meta, self._style("meta"))
        if collapsed:
            text.append(f"  [{thread.subtree_size(item.id)} hidden]", self._style("hidden"))
            return text
        if item.text and not item.deleted:
            text.append("\n")
            body = render_html(item.text).text
            if item.dead:
                body.stylize(self._style("gone"))
            text.append_text(body)
        return text

    def _story_text(self, item: Item) -> Text:
        """The thread header: title, meta, URL, the post's own text and poll options."""
        assert self.thread is not None
        text = Text()
        text.append(sanitize(item.title or f"[{item.type} {item.id}]"), self._style("title"))
        site = domain(item.url)
        if site:
            text.append(f" ({site})", self._style("meta"))
        text.append("\n")
        meta = [f"{item.score or 0} points" if item.type != "job" else "job"]
        if item.by:
            meta.append(f"by {sanitize(item.by)}")
        meta.append(age(item.time))
        meta.append(plural(item.descendants or 0, "comment"))
        text.append(" · ".join(meta), self._style("meta"))
        if item.url:
            text.append("\n")
            text.append(sanitize(item.url), self._style("url"))
        if item.text:
            text.append("\n\n")
            text.append_text(render_html(item.text).text)
        for option in self.thread.poll_options():
            text.append("\n  • ")
            text.append_text(render_html(option.text).text)
            text.append(f" — {option.score or 0} votes", self._style("meta"))
        return text

    # -- drawing --------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        line = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if self.thread is None or not self._rows or line >= self.virtual_size.height:
            return Strip.blank(width, self.rich_style)
        if self._layout_version != self.thread.version:
            self._relayout()
        row = max(0, bisect_right(self._offsets, line) - 1)
        item_id = self._rows[row]
        strips = self._row_strips(item_id)
        offset = line - self._offsets[row]
        if offset >= len(strips):
            return Strip.blank(width, self.rich_style)
        focused = item_id == self.cursor and offset < len(strips) - 1
        indent = self._indent(item_id)
        segments = [Segment("│ " * indent, self._style("guide"))] if indent else []
        if focused:
            segments.append(Segment("▌ ", self._style("cursor-bar")))
        else:
            segments.append(Segment(" " * MARKER_WIDTH))
        strip = Strip.join([Strip(segments), strips[offset].crop(0, width)])
        strip = strip.crop_extend(0, width, None).apply_style(self.rich_style)
        if focused:
            strip = strip.apply_style(self._style("cursor"))
        return strip

    # -- cursor ---------------------------------------------------------------------------
    def watch_cursor(self, old: int | None, new: int | None) -> None:
        if new is None:
            return
        self.scroll_to_cursor()
        self.refresh()
        self.post_message(self.CursorMoved(new))

    def scroll_to_cursor(self) -> None:
        """Bring the focused item into view; a tall one shows from its top."""
        if self.cursor not in self._index:
            return
        row = self._index[self.cursor]
        top = self._offsets[row]
        height = len(self._row_strips(self.cursor))
        region = Region(0, top, self._width, min(height, self.scrollable_content_region.height))
        self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def move_to(self, item_id: int) -> None:
        """Focus an item, expanding collapsed ancestors so it can be seen."""
        if self.thread is None or item_id not in self.thread:
            return
        if self.thread.reveal(item_id):
            self._strips.clear()
            self._relayout()
        self.cursor = item_id

    def _step(self, delta: int) -> None:
        if not self._rows:
            return
        row = self._index.get(self.cursor, 0) if self.cursor is not None else 0
        self.cursor = self._rows[max(0, min(len(self._rows) - 1, row + delta))]

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_first(self) -> None:
        if self._rows:
            self.cursor = self._rows[0]

    def action_last(self) -> None:
        if self._rows:
            self.cursor = self._rows[-1]

    def _page(self, direction: int) -> None:
        """Move the cursor by a screenful of lines."""
        if not self._rows or self.cursor not in self._index:
            return
        target = self._offsets[self._index[self.cursor]] + direction * max(
            1, self.scrollable_content_region.height - 2
        )
        target = max(0, min(target, self.virtual_size.height - 1))
        row = max(0, bisect_right(self._offsets, target) - 1)
        if self._rows[row] == self.cursor:
            row = max(0, min(len(self._rows) - 1, row + direction))
        self.cursor = self._rows[row]

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_toggle(self) -> None:
        if self.thread is None or self.cursor is None:
            return
        self.set_collapsed(self.cursor, not self.thread.is_collapsed(self.cursor))

    def set_collapsed(self, item_id: int, collapsed: bool) -> None:
        """Collapse or expand one comment, keeping it where it is on screen."""
        if self.thread is not None and self.thread.set_collapsed(item_id, collapsed):
            self._strips.pop(item_id, None)
            self.thread_changed()
            self.scroll_to_cursor()

    # -- mouse ----------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        """Click focuses a comment; a click on its marker collapses or expands it."""
        line = round(self.scroll_y) + event.y
        if not self._rows or line >= self.virtual_size.height:
            return
        row = max(0, bisect_right(self._offsets, line) - 1)
        item_id = self._rows[row]
        self.cursor = item_id
        marker_x = self._indent(item_id) * 2 + MARKER_WIDTH
        if line == self._offsets[row] and marker_x <= event.x < marker_x + 2:
            self.action_toggle()


def _wrap(widget: CommentView, text: Text, width: int) -> list[Text]:
    """Wrap rich text to ``width`` cells (split out so the cost is easy to profile)."""
    return list(text.wrap(widget.app.console, width))
