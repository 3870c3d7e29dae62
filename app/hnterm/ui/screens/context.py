"""The context view: a reply chain read whole, from the story down to one comment.

``a`` in the comment pane opens it for the comment under the cursor. Every comment of the chain
is shown in full, rendered as in the pane (links numbered), with its depth ``{3}``, id, and its
``replies(N): >>id`` line; the chosen comment is marked. A chain is at most a few dozen
comments, so one ``Static`` per comment in a ``VerticalScroll`` is plenty (17 levels of the
IBM thread open in a few tens of milliseconds). The screen returns the comment to go to in the
thread (one of the chain, or a reply of one), or None when the reader just comes back.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from hnterm.model.format import plural
from hnterm.model.thread import Thread
from hnterm.render.comment_text import (
    Highlight,
    StyleOf,
    chain_header,
    comment_body,
    replies_line,
    story_text,
)
from hnterm.ui.number_keys import NUMBER_ACTION, NextKey, number_bindings, numbers_hint

CONTEXT_LINES = 4  # lines of the parent kept above a chosen comment too tall to show whole
CHAIN_END = "End of the chain: enter opens it in the thread, > then n a reply"
CHAIN_TOP = "Top of the chain: the story"


def entry_text(thread: Thread, item_id: int, style: StyleOf, *, chosen: bool) -> Text:
    """One comment of the chain in full: header, text, replies line (the story: its own
    header and text). Built from plain strings, so no user text is read as markup."""
    item = thread.items[item_id]
    if item_id == thread.root_id:
        return story_text(thread, item, style)
    text = chain_header(thread, item, style, chosen=chosen)
    body = comment_body(item, style, Highlight())
    if body is not None:
        text.append("\n")
        text.append_text(body)
    replies = replies_line(thread, item_id, style)
    if replies is not None:
        text.append("\n")
        text.append_text(replies)
    return text


class ChainEntry(Static, can_focus=True):
    """One comment of the chain; the focused one is what enter and ``>`` act on."""

    def __init__(self, item_id: int, text: Text, *, chosen: bool) -> None:
        super().__init__(text, classes="-chosen" if chosen else None)
        self.item_id = item_id
        self.text = text

    def on_click(self) -> None:
        self.focus(scroll_visible=False)


class ContextScreen(Screen[int | None]):
    """The chain of ``item_id`` in ``thread``; dismissed with the comment to go to."""

    BINDINGS = [
        Binding("escape,b,a", "close", "Back", id="context.close"),
        Binding("enter", "go", "Go there", tooltip="in the thread, cursor on it", id="context.go"),
        Binding("j", "step(1)", "Next in chain", key_display="j", id="context.next"),
        Binding(
            "k", "step(-1)", "Previous in chain", key_display="k", show=False, id="context.previous"
        ),
        Binding("g", "edge(0)", "Story", show=False, id="context.story"),
        Binding("G", "edge(-1)", "Chosen comment", show=False, id="context.chosen"),
        Binding("space", "page(1)", "Page down", show=False, id="context.page_down"),
        Binding(
            "greater_than_sign",
            "follow_reply",
            "Open reply n",
            key_display=">",
            id="context.follow_reply",
        ),
        *number_bindings("context", "Reply n, after open reply"),
    ]

    def __init__(self, thread: Thread, item_id: int, style: StyleOf) -> None:
        super().__init__()
        self.thread = thread
        self.item_id = item_id
        self.chain = thread.chain(item_id)
        self.style_of = style
        self._after_follow = NextKey()  # ``>`` pressed: the next key may be a reply number

    def compose(self) -> ComposeResult:
        depth = self.thread.depth_of.get(self.item_id, 0)
        title = Text(
            f"Context of #{self.item_id}: {plural(depth, 'level')} from the story · enter goes "
            "there in the thread · > then n opens reply n · b comes back",
            no_wrap=True,
            overflow="ellipsis",
        )
        yield Static(title, id="context-title")
        with VerticalScroll(id="context-chain"):
            for item_id in self.chain:
                chosen = item_id == self.item_id
                text = entry_text(self.thread, item_id, self.style_of, chosen=chosen)
                yield ChainEntry(item_id, text, chosen=chosen)
        yield Footer(compact=True)

    @property
    def entries(self) -> list[ChainEntry]:
        return list(self.query(ChainEntry))

    @property
    def current(self) -> ChainEntry | None:
        return self.focused if isinstance(self.focused, ChainEntry) else None

    def on_mount(self) -> None:
        entries = self.entries
        if entries:
            entries[-1].focus(scroll_visible=False)
            self.call_after_refresh(self._show_chosen)

    def _show_chosen(self) -> None:
        """Open on the chosen comment with as much of the chain above it as fits: all of
        it at the bottom of the screen when it fits, else its start under its parent's
        last lines."""
        scroll = self.query_one("#context-chain", VerticalScroll)
        entry = self.entries[-1]
        region = entry.virtual_region_with_margin
        screen = scroll.scrollable_content_region.height
        above = max(0, min(max(CONTEXT_LINES, screen - region.height), screen - 1))
        scroll.scroll_to(y=max(0, region.y - above), animate=False, immediate=True)

    # -- actions --------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_go(self) -> None:
        if (entry := self.current) is not None:
            self.dismiss(entry.item_id)

    def _focus(self, entry: ChainEntry) -> None:
        entry.focus(scroll_visible=False)
        scroll = self.query_one("#context-chain", VerticalScroll)
        scroll.scroll_to_widget(entry, animate=False, top=True, immediate=True)

    def action_step(self, step: int) -> None:
        """The next (1) or previous (-1) comment of the chain; at either end, say so and
        what to do next, so the key never passes unanswered."""
        entries = self.entries
        current = self.current
        index = entries.index(current) if current in entries else len(entries) - 1
        target = index + step
        if not 0 <= target < len(entries):
            self.notify(CHAIN_END if step > 0 else CHAIN_TOP, markup=False)
            target = max(0, min(len(entries) - 1, target))
        self._focus(entries[target])

    def action_edge(self, index: int) -> None:
        self._focus(self.entries[index])

    def action_page(self, direction: int) -> None:
        """Scroll a screenful; the focus follows to a comment that is on screen."""
        scroll = self.query_one("#context-chain", VerticalScroll)
        height = scroll.scrollable_content_region.height
        scroll.scroll_to(y=scroll.scroll_y + direction * max(1, height - 2), animate=False)
        self.call_after_refresh(self._focus_visible)

    def _focus_visible(self) -> None:
        scroll = self.query_one("#context-chain", VerticalScroll)
        top, bottom = scroll.scroll_y, scroll.scroll_y + scroll.scrollable_content_region.height
        current = self.current
        if current is not None:
            region = current.virtual_region
            if region.y < bottom and region.bottom > top:
                return
        for entry in self.entries:
            if entry.virtual_region.bottom > top:
                entry.focus(scroll_visible=False)
                return

    def action_follow_reply(self) -> None:
        """``>``: the next key, a number n, opens the n-th reply of the focused comment in
        the thread; any other key does its own job."""
        entry = self.current
        replies = self.thread.children(entry.item_id) if entry is not None else []
        if not replies:
            self.notify("No replies to open here", markup=False)
            return
        self._after_follow.arm()
        which = numbers_hint(self.app, self, len(replies))
        self.notify(f"Open which reply? {which}", markup=False)

    def on_key(self, event: events.Key) -> None:
        """Each key ends the wait ``>`` began (the bindings see the key after this)."""
        self._after_follow.seen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The number keys are live only right after ``>``."""
        return self._after_follow.live if action == NUMBER_ACTION else True

    def action_number(self, number: int) -> None:
        """A number key right after ``>``: that reply of the focused comment."""
        entry = self.current
        if entry is None:
            return
        replies = self.thread.children(entry.item_id)
        if number > len(replies):
            self.notify(f"No reply {number}: it has {len(replies)}", markup=False)
            return
        self.dismiss(replies[number - 1])
