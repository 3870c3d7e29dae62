"""The comment tree of one thread: placement, collapse state and the rows a reader sees.

Pure Python (no Textual) so it is fast to test. Items may arrive in any order (a breadth-first
network load, or all at once from the cache); an item is placed in the tree once its parent is
placed and lists it among its ``kids``. An id that is already placed is never placed again, so
cycles and items claimed by two parents cannot loop or duplicate the tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from hnterm.model.items import Item
from hnterm.model.query import matcher, parse_query

# The orders a thread reads in: HN's rank (the API's ``kids`` order), newest first, oldest
# first, most replies (the whole subtree) first. Every one is stable: ties keep HN's rank.
ORDERS = ("rank", "newest", "oldest", "replies")
ORDER_NAMES = {
    "rank": "HN's rank",
    "newest": "newest first",
    "oldest": "oldest first",
    "replies": "most replies first",
}


def ordered(
    kids: list[int], items: Mapping[int, Item], order: str, replies: Callable[[int], int]
) -> list[int]:
    """Siblings (in HN's rank) put in ``order``; an item without a time sorts last by time."""
    if order == "newest":
        return sorted(kids, key=lambda i: -(items[i].time or 0))
    if order == "oldest":
        return sorted(kids, key=lambda i: items[i].time or float("inf"))
    if order == "replies":
        return sorted(kids, key=lambda i: -replies(i))
    return list(kids)


class Thread:
    """A story (or job/poll) and the loaded part of its comment tree."""

    def __init__(self, root_id: int) -> None:
        self.root_id = root_id
        self.items: dict[int, Item] = {}
        self.parent_of: dict[int, int] = {}
        self.depth_of: dict[int, int] = {}
        self.collapsed: set[int] = set()
        self.sort = "rank"  # the order siblings are read in (ORDERS; ``set_order``)
        self.version = 0
        self._rows: list[int] | None = None
        self._sizes: dict[int, int] | None = None
        self._children: dict[int, list[int]] = {}
        # What the reader knew before this visit (None: never opened, nothing is "new") and
        # when the thread was last loaded whole from the network (None: unknown).
        self.seen: frozenset[int] | None = None
        self.refreshed: float | None = None
        self.saved = False  # kept for offline reading (shown in the header)
        # Your HN account's marks, read from HN's pages (``hnterm.net.web_pages``): items you voted,
        # and comments you posted from here. Shown in the comment header.
        self.voted: set[int] = set()
        self.mine: set[int] = set()
        # The config's filters (``services.reading.set_filter``): a comment they match is
        # folded to one line that says why, until the reader opens it (``opened``).
        self.filter: Callable[[Item], str | None] | None = None
        self.opened: set[int] = set()
        self._reasons: dict[int, tuple[Item, object, str | None]] = {}

    # -- building -------------------------------------------------------------------------
    @property
    def root(self) -> Item | None:
        return self.items.get(self.root_id)

    def add(self, items: Iterable[Item]) -> list[int]:
        """Store items and place every one that now has a placed parent; returns the newly
        placed ids. Re-adding an item updates it (a refresh), and replies it no longer lists
        leave the tree."""
        placed: list[int] = []
        touched: list[int] = []
        for item in items:
            old = self.items.get(item.id)
            self.items[item.id] = item
            touched.append(item.id)
            if old is not None and item.id in self.depth_of:
                self._drop_lost_kids(item.id, set(old.kids) - set(item.kids))
        if self.root_id in self.items and self.root_id not in self.depth_of:
            self.depth_of[self.root_id] = 0
            placed.append(self.root_id)
            touched.append(self.root_id)
        for item_id in touched:
            self._children.pop(item_id, None)  # a re-added item may list new kids
            if item_id in self.depth_of:
                self._place_kids(item_id, placed)
            else:
                parent = self.items[item_id].parent
                if parent in self.depth_of and item_id in self.items[parent].kids:
                    self._place_kids(parent, placed)
        for item_id in placed:
            self._children.pop(self.parent_of.get(item_id, item_id), None)
        self._changed()
        return placed

    def _place_kids(self, start: int, placed: list[int]) -> None:
        """Place the loaded, unplaced kids of ``start`` and, recursively, theirs."""
        stack = [start]
        while stack:
            parent = stack.pop()
            depth = self.depth_of[parent] + 1
            for kid in self.items[parent].kids:
                if kid in self.items and kid not in self.depth_of:
                    self.parent_of[kid] = parent
                    self.depth_of[kid] = depth
                    placed.append(kid)
                    stack.append(kid)

    def _drop_lost_kids(self, item_id: int, lost: set[int]) -> None:
        """An updated item no longer lists some kids: take their subtrees out of the tree
        (they stay in ``items`` and are placed again if some item lists them later)."""
        stack = [kid for kid in lost if self.parent_of.get(kid) == item_id]
        while stack:
            gone = stack.pop()
            stack.extend(k for k in self.items[gone].kids if self.parent_of.get(k) == gone)
            del self.depth_of[gone]
            del self.parent_of[gone]
            self.collapsed.discard(gone)
            self._children.pop(gone, None)

    def _changed(self) -> None:
        self.version += 1
        self._rows = None
        self._sizes = None
        if self.sort == "replies":
            self._children.clear()  # a reply anywhere below changes the order above it

    def set_order(self, order: str) -> bool:
        """Read siblings in ``order`` (one of ORDERS); returns whether it changed."""
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r}")
        if order == self.sort:
            return False
        self.sort = order
        self._children.clear()
        self._changed()
        return True

    # -- reading --------------------------------------------------------------------------
    def __contains__(self, item_id: int) -> bool:
        return item_id in self.depth_of

    def __len__(self) -> int:
        """Placed comments (the root excluded)."""
        return max(0, len(self.depth_of) - 1)

    def children(self, item_id: int) -> list[int]:
        """Placed replies of an item, in the thread's order (cached until the tree changes;
        callers must not modify the list)."""
        children = self._children.get(item_id)
        if children is None:
            item = self.items.get(item_id)
            kids = item.kids if item is not None else ()
            children = [kid for kid in kids if self.parent_of.get(kid) == item_id]
            if self.sort != "rank":
                children = ordered(children, self.items, self.sort, self.subtree_size)
            self._children[item_id] = children
        return children

    def missing_kids(self) -> list[int]:
        """Replies (and poll options) named by placed items but not loaded, sorted: what a
        load still has to fetch, and what an incomplete thread lacks."""
        wanted = {
            kid
            for item_id in self.depth_of
            for kid in (*self.items[item_id].kids, *self.items[item_id].parts)
        }
        return sorted(wanted - self.items.keys())

    def ancestors(self, item_id: int) -> list[int]:
        """The chain from the root down to (not including) ``item_id``."""
        chain: list[int] = []
        current = self.parent_of.get(item_id)
        while current is not None:
            chain.append(current)
            current = self.parent_of.get(current)
        chain.reverse()
        return chain

    def chain(self, item_id: int) -> list[int]:
        """The reply chain a reader follows to ``item_id``: the root, each ancestor, then the
        item itself (empty when it is not placed)."""
        return [*self.ancestors(item_id), item_id] if item_id in self.depth_of else []

    def deepest_below(self, item_id: int) -> int:
        """How deep the conversation goes under ``item_id``: the depth of its deepest placed
        descendant, or its own depth for a leaf (``depth 7 of 9``)."""
        if item_id not in self.depth_of:
            return 0
        deepest = self.depth_of[item_id]
        stack = [item_id]
        while stack:
            current = stack.pop()
            deepest = max(deepest, self.depth_of[current])
            stack.extend(self.children(current))
        return deepest

    def subtree_size(self, item_id: int) -> int:
        """Placed descendants of an item (replies, replies to replies, ...)."""
        if self._sizes is None:
            self._sizes = self._compute_sizes()
        return self._sizes.get(item_id, 0)

    def _compute_sizes(self) -> dict[int, int]:
        sizes = dict.fromkeys(self.depth_of, 0)
        for item_id in sorted(self.depth_of, key=self.depth_of.__getitem__, reverse=True):
            parent = self.parent_of.get(item_id)
            if parent is not None:
                sizes[parent] += sizes[item_id] + 1
        return sizes

    def rows(self, start: int | None = None) -> list[int]:
        """Ids a reader sees, in reading order: ``start`` (default the root), then its
        comments depth-first, with the descendants of collapsed comments left out."""
        if start is not None and start != self.root_id:
            return self._walk(start, skip_collapsed=True)
        if self._rows is None:
            self._rows = self._walk(self.root_id, skip_collapsed=True)
        return self._rows

    def order(self) -> list[int]:
        """Every placed id in reading order, collapsed or not (for search and jumps)."""
        return self._walk(self.root_id, skip_collapsed=False)

    def _walk(self, start: int, *, skip_collapsed: bool) -> list[int]:
        if start not in self.depth_of:
            return []
        rows: list[int] = []
        stack = [start]
        while stack:
            item_id = stack.pop()
            rows.append(item_id)
            if not (skip_collapsed and item_id in self.collapsed):
                stack.extend(reversed(self.children(item_id)))
        return rows

    def is_new(self, item_id: int) -> bool:
        """A comment that arrived since the reader's last visit."""
        return self.seen is not None and item_id != self.root_id and item_id not in self.seen

    def new_ids(self) -> list[int]:
        """New comments in reading order, collapsed or not."""
        return [i for i in self.order() if self.is_new(i)] if self.seen is not None else []

    def poll_options(self) -> list[Item]:
        """Loaded options of a poll, in the poll's order."""
        root = self.root
        if root is None:
            return []
        return [self.items[p] for p in root.parts if p in self.items]

    # -- collapse state -------------------------------------------------------------------
    def is_collapsed(self, item_id: int) -> bool:
        return item_id in self.collapsed

    def set_collapsed(self, item_id: int, collapsed: bool) -> bool:
        """Collapse or expand one item; returns whether anything changed. Items without
        replies are not collapsible, so no 'hidden' marker is shown for nothing."""
        if item_id not in self.depth_of or item_id == self.root_id:
            return False
        if collapsed == (item_id in self.collapsed):
            return False
        if collapsed and not self.children(item_id):
            return False
        if collapsed:
            self.collapsed.add(item_id)
        else:
            self.collapsed.discard(item_id)
        self._rows = None
        self.version += 1
        return True

    def collapse_all(self, items: Iterable[int] | None = None) -> bool:
        """Collapse every comment with replies (or just ``items``)."""
        targets = self.depth_of if items is None else items
        changed = False
        for item_id in list(targets):
            changed |= self.set_collapsed(item_id, True)
        return changed

    def expand_all(self) -> bool:
        changed = bool(self.collapsed)
        self.collapsed.clear()
        self._rows = None
        self.version += 1
        return changed

    def collapse_depth(self, depth: int) -> bool:
        """Collapse every comment at ``depth``, so nothing deeper shows."""
        return self.collapse_all(i for i, d in self.depth_of.items() if d == depth)

    def reveal(self, item_id: int) -> bool:
        """Expand every ancestor so ``item_id`` is among the rows."""
        changed = False
        for ancestor in self.ancestors(item_id):
            changed |= self.set_collapsed(ancestor, False)
        return changed

    # -- filtered comments ----------------------------------------------------------------
    def filter_reason(self, item_id: int) -> str | None:
        """Why the filters match this comment (None: they do not, or they are off); kept
        until the item or the filter changes."""
        item = self.items.get(item_id)
        if self.filter is None or item is None or item_id == self.root_id:
            return None
        kept = self._reasons.get(item_id)
        if kept is None or kept[0] is not item or kept[1] is not self.filter:
            kept = self._reasons[item_id] = (item, self.filter, self.filter(item))
        return kept[2]

    def is_filtered(self, item_id: int) -> bool:
        """Folded by the filters: they match it and the reader has not opened it."""
        return item_id not in self.opened and self.filter_reason(item_id) is not None

    def set_opened(self, item_id: int, opened: bool) -> bool:
        """Open a filtered comment (its text shows) or fold it back; whether it changed."""
        if self.filter_reason(item_id) is None or opened == (item_id in self.opened):
            return False
        if opened:
            self.opened.add(item_id)
        else:
            self.opened.discard(item_id)
        self.version += 1
        return True

    # -- moving around the tree -----------------------------------------------------------
    def siblings(self, item_id: int) -> list[int]:
        """The item and its siblings in display order (the root is its own only sibling)."""
        parent = self.parent_of.get(item_id)
        return [item_id] if parent is None else self.children(parent)

    def sibling(self, item_id: int, step: int) -> int | None:
        """The next (``step`` 1) or previous (-1) sibling, or None at either end."""
        siblings = self.siblings(item_id)
        index = siblings.index(item_id) + step
        return siblings[index] if 0 <= index < len(siblings) else None

    def top_level_of(self, item_id: int) -> int | None:
        """The top-level comment whose subtree holds ``item_id`` (None for the root)."""
        chain = [*self.ancestors(item_id), item_id]
        return chain[1] if len(chain) > 1 else None

    def top_level(self, item_id: int, step: int) -> int | None:
        """The next/previous top-level comment from anywhere in a subtree."""
        tops = self.children(self.root_id)
        if not tops:
            return None
        current = self.top_level_of(item_id)
        if current is None:
            return tops[0] if step > 0 else None
        index = tops.index(current) + step
        if step < 0 and current != item_id:
            index += 1  # from inside a subtree, "previous" first means its own top
        return tops[index] if 0 <= index < len(tops) else None

    def search(self, query: str, text_of: Callable[[Item], str]) -> list[int]:
        """Comments matching ``query`` in reading order, collapsed or not, by the grammar
        the cache search uses (``hnterm.model.query``): words, "phrases", ``word*``,
        ``-word``, ``by:name``. ``text_of`` turns an item into searchable text."""
        parsed = parse_query(query)
        if parsed.empty:
            return []
        test = matcher(parsed)
        return [
            item_id
            for item_id in self.order()
            if item_id != self.root_id
            and not self.items[item_id].deleted
            and test(text_of(self.items[item_id]), self.items[item_id].by)
        ]
