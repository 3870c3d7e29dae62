"""The open thread's model, changed only here: the UI shows a ``Thread`` and never writes it.

A load's batches, a live poll's arrivals, a save, your votes and your reply all change the
thread the reader has open; each function here makes one such change and returns what it
touched (a ``Change``), which is what the comment pane redraws.

Your reply is shown the moment it is sent: a provisional row (a negative id, never sent
anywhere) under its parent, marked yours. HN's answer settles it: the row takes the reply's
id, or goes if HN refused it (the text stays a draft). When HN did not say the id, the row
stays until a load or a poll brings the reply from the API, and becomes it (one row, not
two). Until the API lists your reply among its parent's kids, a fresh copy of the parent
does not take it out of the thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from hnterm.model.items import Item
from hnterm.model.thread import Thread
from hnterm.services.source import ThreadUpdate


@dataclass(frozen=True)
class Change:
    """Items whose own lines changed, items whose replies changed, and rows that went
    (``moved``: a provisional reply, and where a cursor on it goes: the reply it became,
    or its parent)."""

    updated: frozenset[int] = frozenset()
    replied_to: frozenset[int] = frozenset()
    moved: tuple[tuple[int, int], ...] = ()

    def __or__(self, other: Change) -> Change:
        return Change(
            self.updated | other.updated,
            self.replied_to | other.replied_to,
            self.moved + other.moved,
        )


def is_provisional(item_id: int) -> bool:
    """A reply shown before HN gave it an id: nothing on HN can be asked about it yet."""
    return item_id < 0


def fill(thread: Thread, update: ThreadUpdate) -> None:
    """A batch for a thread not on screen yet (nothing drawn, nothing to redraw)."""
    thread.add(update.items)
    thread.refreshed = update.refreshed or thread.refreshed


def merge(thread: Thread, update: ThreadUpdate) -> Change:
    """A load's items added to the thread on screen: what they touched. Your replies stay
    under their parents, and a provisional one becomes the reply the API brings."""
    items = _keeping_yours(thread, update.items)
    new = [i for i in items if i.id not in thread.items]
    updated = {i.id for i in items if i.id in thread.items}
    placed = thread.add(items)
    if update.refreshed is not None and update.refreshed != thread.refreshed:
        thread.refreshed = update.refreshed
        updated.add(thread.root_id)
    replied_to = {thread.parent_of.get(i, i) for i in placed}
    change = Change(frozenset(updated), frozenset(replied_to))
    for provisional, reply in _arrived_replies(thread, new):
        change |= settle_reply(thread, provisional, reply)
    return change


def _keeping_yours(thread: Thread, items: list[Item]) -> list[Item]:
    """``items`` with your replies kept among their parents' kids (the API lists a reply a
    while after HN took it; a provisional one it never lists)."""
    yours: dict[int, list[int]] = {}
    for mine in sorted(thread.mine):
        reply = thread.items.get(mine)
        if reply is not None and reply.parent is not None:
            yours.setdefault(reply.parent, []).append(mine)
    if not yours:
        return items
    kept = []
    for item in items:
        missing = [mine for mine in yours.get(item.id, ()) if mine not in item.kids]
        kept.append(replace(item, kids=(*item.kids, *missing)) if missing else item)
    return kept


def _arrived_replies(thread: Thread, new: list[Item]) -> list[tuple[int, Item]]:
    """Provisional replies matched with the new comments that are them: same parent, same
    author, oldest first."""
    pairs = []
    taken: set[int] = set()
    for provisional in sorted(i for i in thread.mine if is_provisional(i)):
        shown = thread.items[provisional]
        for item in sorted(new, key=lambda i: i.id):
            if (
                item.id not in taken
                and not is_provisional(item.id)
                and item.type == "comment"
                and (item.parent, item.by) == (shown.parent, shown.by)
            ):
                taken.add(item.id)
                pairs.append((provisional, item))
                break
    return pairs


def merge_arrivals(thread: Thread, update: ThreadUpdate) -> tuple[Change, list[int]]:
    """A live poll's items merged; the comments that arrived (marked new: on a first visit,
    what was there until now is not). Your own reply arriving is not news."""
    before = set(thread.items)
    if thread.seen is None:
        thread.seen = frozenset(before)
    change = merge(thread, update)
    arrived = [
        i.id
        for i in update.items
        if i.id not in before and i.id in thread and i.id not in thread.mine
    ]
    return change, arrived


def set_saved(thread: Thread, saved: bool) -> Change:
    """The thread kept for offline reading, or not any more (its header says which)."""
    if thread.saved == saved:
        return Change()
    thread.saved = saved
    return Change(replied_to=frozenset({thread.root_id}))


def set_votes(thread: Thread, voted: Iterable[int]) -> Change:
    """The items you voted on, as HN's page says."""
    voted = set(voted)
    changed = voted ^ thread.voted
    thread.voted = voted
    return Change(updated=frozenset(changed))


def set_vote(thread: Thread, item_id: int, voted: bool) -> Change:
    """One vote, shown at once (and corrected by HN's answer)."""
    if voted:
        thread.voted.add(item_id)
    else:
        thread.voted.discard(item_id)
    return Change(updated=frozenset({item_id}))


def add_reply(thread: Thread, reply: Item) -> Change:
    """Your reply, posted: under its parent, marked yours."""
    assert reply.parent is not None
    above = thread.items[reply.parent]
    thread.add([replace(above, kids=(*above.kids, reply.id)), reply])
    thread.mine.add(reply.id)
    return Change(replied_to=frozenset({reply.parent}))


def show_reply(thread: Thread, reply: Item) -> tuple[Change, int]:
    """Your reply as it is sent (``reply``'s id is ignored): a provisional row under its
    parent, marked yours, until ``settle_reply``; and its id."""
    provisional = min([0, *thread.mine]) - 1
    return add_reply(thread, replace(reply, id=provisional)), provisional


def settle_reply(thread: Thread, provisional: int, reply: Item | None) -> Change:
    """HN's answer to a provisional reply: it becomes ``reply`` (in the same place), or
    goes (None: refused; its text stays a draft)."""
    shown = thread.items.get(provisional)
    if shown is None or shown.parent is None:
        return Change()
    above = thread.items[shown.parent]
    thread.mine.discard(provisional)
    if reply is None:
        thread.add([replace(above, kids=tuple(k for k in above.kids if k != provisional))])
        del thread.items[provisional]  # out of the tree with the parent's kids
        return Change(frozenset({provisional}), frozenset({above.id}), ((provisional, above.id),))
    kids = dict.fromkeys(reply.id if kid == provisional else kid for kid in above.kids)
    thread.mine.add(reply.id)
    thread.add([replace(above, kids=tuple(kids)), reply])
    del thread.items[provisional]
    return Change(
        frozenset({provisional, reply.id}), frozenset({above.id}), ((provisional, reply.id),)
    )


def set_filter(thread: Thread, test: Callable[[Item], str | None] | None) -> None:
    """The filters that fold comments (None: none); comments opened before fold again.
    Every row may change: the pane redraws them all."""
    thread.filter = test
    thread.opened.clear()
    thread.version += 1


def set_order(thread: Thread, order: str) -> bool:
    """Read the thread in ``order`` (``hnterm.model.thread.ORDERS``); whether it changed.
    Rows move, none changes: the pane lays out again."""
    return thread.set_order(order)
