"""The open thread's model, changed only here: the UI shows a ``Thread`` and never writes it.

A load's batches, a live poll's arrivals, a save, your votes and your reply all change the
thread the reader has open; each function here makes one such change and returns what it
touched (a ``Change``), which is what the comment pane redraws.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from hnterm.model.items import Item
from hnterm.model.thread import Thread
from hnterm.services.source import ThreadUpdate


@dataclass(frozen=True)
class Change:
    """Items whose own lines changed, and items whose replies changed."""

    updated: frozenset[int] = frozenset()
    replied_to: frozenset[int] = frozenset()


def fill(thread: Thread, update: ThreadUpdate) -> None:
    """A batch for a thread not on screen yet (nothing drawn, nothing to redraw)."""
    thread.add(update.items)
    thread.refreshed = update.refreshed or thread.refreshed


def merge(thread: Thread, update: ThreadUpdate) -> Change:
    """A load's items added to the thread on screen: what they touched."""
    updated = {i.id for i in update.items if i.id in thread.items}
    placed = thread.add(update.items)
    if update.refreshed is not None and update.refreshed != thread.refreshed:
        thread.refreshed = update.refreshed
        updated.add(thread.root_id)
    replied_to = {thread.parent_of.get(i, i) for i in placed}
    return Change(frozenset(updated), frozenset(replied_to))


def merge_arrivals(thread: Thread, update: ThreadUpdate) -> tuple[Change, list[int]]:
    """A live poll's items merged; the comments that arrived (marked new: on a first visit,
    what was there until now is not)."""
    before = set(thread.items)
    if thread.seen is None:
        thread.seen = frozenset(before)
    change = merge(thread, update)
    arrived = [i.id for i in update.items if i.id not in before and i.id in thread]
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
