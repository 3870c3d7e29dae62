"""The session's filters: the config's ``[filters]``, on until a key turns them off, and the
story list's "hide read stories" toggle.

What matches is decided in ``hnterm.model.filters``; this holds the session's switches and
turns an item's HTML into the plain text the filters read (as the thread search does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from html import escape

from hnterm.model.filters import Filters, reasons
from hnterm.model.items import Item
from hnterm.model.readstate import ReadMark
from hnterm.model.thread import Thread
from hnterm.render.text import html_to_plain

Test = Callable[[Item], str | None]


class Filtering:
    """Which filters apply now: ``on`` (the filters key), ``hide_read`` (the list's)."""

    def __init__(self, filters: Filters) -> None:
        self.filters = filters
        self.on = True
        self.hide_read = False
        story, comment = reasons(filters)
        self._story_reason = story
        self._comment: Test = lambda item: comment(item, html_to_plain(item.text))
        # Each story's verdict, until the story changes: a list judges its stories again
        # whenever a page or a refresh arrives.
        self._verdicts: dict[int, tuple[Item, str | None]] = {}

    def _story(self, item: Item) -> str | None:
        kept = self._verdicts.get(item.id)
        if kept is None or kept[0] is not item:
            kept = self._verdicts[item.id] = (
                item,
                self._story_reason(item, html_to_plain(item.text)),
            )
        return kept[1]

    @property
    def active(self) -> bool:
        """Some filter is set and they are on."""
        return self.on and bool(self.filters)

    def story_test(self) -> Test | None:
        """Why a story is left out of the lists (None: no filter applies)."""
        return self._story if self.active else None

    def comment_test(self) -> Test | None:
        """Why a comment is folded (None: no filter applies)."""
        return self._comment if self.active else None

    def toggle(self) -> bool:
        """Filters off, or on again, for the session; returns whether they are on."""
        self.on = not self.on
        return self.on


def shown_ids(
    listed: list[int],
    items: Mapping[int, Item],
    marks: Mapping[int, ReadMark],
    session: Filtering,
    *,
    keep: int | None = None,
    filtered: bool = True,
) -> tuple[list[int], int, int]:
    """A story list's ids less the stories left out (only loaded ones can be judged; the
    story ``keep``, open in the thread pane, stays; ``filtered`` False: the filters leave
    none out, as in the lists you make yourself), and how many the filters and "hide read"
    left out."""
    test = session.story_test() if filtered else None
    shown: list[int] = []
    left_out = read = 0
    for story_id in listed:
        item = items.get(story_id)
        if item is None or story_id == keep:
            shown.append(story_id)
        elif test is not None and test(item) is not None:
            left_out += 1
        elif session.hide_read and story_id in marks:
            read += 1
        else:
            shown.append(story_id)
    return shown, left_out, read


def title_note(filtered: int, read: int) -> str:
    """What a list's title says it leaves out: " · 3 filtered · 2 read hidden"."""
    return (f" · {filtered} filtered" if filtered else "") + (
        f" · {read} read hidden" if read else ""
    )


def fold_filtered(thread: Thread, test: Test) -> int:
    """``hnterm dump --filtered``: each comment ``test`` matches keeps its place and its
    replies but not its author or text, which say why instead; how many were folded."""
    folded = [
        replace(item, by=None, text=f"<i>[filtered: {escape(reason)}]</i>")
        for item_id in thread.order()
        if item_id != thread.root_id
        and (item := thread.items[item_id])
        and (reason := test(item)) is not None
    ]
    thread.add(folded)
    return len(folded)
