"""What the reading view's status line and header say, as pure functions of the state.

The thread pane calls these and shows the result; keeping them here (no Textual) means each
wording is tested alone, with numbers that must add up: comments shown, items fetched (the
story is one), where the cursor is.
"""

from __future__ import annotations

from hnterm.model.format import plural
from hnterm.model.history import ScopeMode
from hnterm.model.thread import Thread
from hnterm.render.text import sanitize
from hnterm.services.source import ThreadUpdate


def expected_comments(thread: Thread) -> int:
    """Comments the story says it has."""
    root = thread.root
    return root.descendants if root is not None and root.descendants else 0


def load_progress(
    thread: Thread, update: ThreadUpdate, elapsed: float, *, saving: bool = False
) -> tuple[str, bool]:
    """Progress while loading (one line, a save of this thread included), then totals; and
    whether it is an error."""
    loaded = len(thread)
    also = " · saving for offline" if saving else ""
    if update.error:
        return f"{loaded} comments · {update.error}; r retries", True
    if not update.done:
        source = "cache" if update.from_cache else "network"
        return (
            f"Loading from {source}: {loaded} / {expected_comments(thread)} comments{also}",
            False,
        )
    if update.fetched:
        fetched = plural(update.fetched, "item")
        return (
            f"{plural(loaded, 'comment')} · {fetched} fetched "
            f"(story included) in {elapsed:.2f} s{also}",
            False,
        )
    return f"{plural(loaded, 'comment')} · from the cache in {elapsed:.2f} s", False


def open_failed(
    item_id: int,
    *,
    kept: bool,
    offline: bool,
    update: ThreadUpdate | None = None,
    error: str | None = None,
) -> str:
    """Why ``item_id`` did not open (``error``: finding its story failed; else the load's
    last ``update``) and what to do. ``kept``: another thread stays open, so ``r`` would
    reload that one and ``:`` is the way to try again."""
    if offline:
        return f"Item {item_id} is not in the cache (offline): run hnterm online to fetch it"
    if error is None and update is not None:
        if update.offline:
            error = "network unreachable"
        elif update.failed:
            error = next(iter(update.failed.values()))
    if error is not None:
        again = " (the open thread stays; : tries again)" if kept else "; r retries"
        return f"Cannot open {item_id}: {error}{again}"
    return f"Item {item_id} is not available: HN has no such item"


def comments_note(thread: Thread, update: ThreadUpdate, *, offline: bool) -> str | None:
    """The line under the story when it shows no comments: why (None when it has some)."""
    if len(thread) > 0:
        return None
    expected = expected_comments(thread)
    root = thread.root
    if root is not None and root.type == "job":
        return "Job posts take no comments."
    if expected == 0:
        return "No comments yet."
    count = plural(expected, "comment")
    if not update.done:
        return f"Loading {count}…"
    if offline:
        return f"{count} not in the cache (offline): run hnterm without --offline to load them."
    if update.offline:
        return f"{count} not in the cache (network unreachable): r loads them when it is back."
    return f"{count} could not be loaded: r retries."


def position(
    thread: Thread,
    item_id: int,
    matches: list[int],
    arrived: str = "",
    *,
    scope: int | None = None,
) -> str:
    """Where the cursor is: position among the comments shown (in a subthread shown alone,
    ``scope``, among its comments), depth, replies, and which search match or new comment
    this is; ``arrived`` is the live count ("+3 new")."""
    if item_id == thread.root_id:
        return f"Story · {len(thread)} comments"
    replies = len(thread.children(item_id))
    parts = [
        f"depth {thread.depth_of[item_id]}",
        plural(replies, "direct reply", "direct replies"),
    ]
    where = _place(thread, item_id, scope)
    if where:
        parts.insert(0, where)
    if item_id in matches:
        parts.append(f"match {matches.index(item_id) + 1} of {len(matches)}")
    if thread.is_new(item_id):  # only then walk the thread for the count
        new = thread.new_ids()
        parts.append(f"new comment {new.index(item_id) + 1} of {len(new)}")
    if arrived:
        parts.append(arrived)
    return " · ".join(parts)


def _place(thread: Thread, item_id: int, scope: int | None) -> str | None:
    """``Comment 5 of 352 shown``, or in a subthread ``Comment 2 of 4 in the subthread``
    (its top is the first), or ``Above the subthread`` on one of its ancestors."""
    if scope is None or scope == thread.root_id:
        rows = thread.rows()
        if item_id in rows:
            return f"Comment {rows.index(item_id)} of {len(rows) - 1} shown"
        return None
    rows = thread.rows(scope)
    if item_id in rows:
        return f"Comment {rows.index(item_id) + 1} of {len(rows)} in the subthread"
    if item_id in thread.ancestors(scope):
        return "Above the subthread"
    return None


def context_note(thread: Thread, item_id: int) -> str | None:
    """``depth 7 of 9 · 6 ancestors above``: how deep a comment is, how deep its replies
    go, and how many comments its chain passes through from the story (all of them, on
    screen or not); None for the story or an item not placed."""
    if item_id == thread.root_id or item_id not in thread.depth_of:
        return None
    depth = thread.depth_of[item_id]
    ancestors = plural(depth - 1, "ancestor")
    return f"depth {depth} of {thread.deepest_below(item_id)} · {ancestors} above"


def scope_title(thread: Thread, scope: int, mode: ScopeMode, cursor: int | None, chain: int) -> str:
    """The mode indicator of a subthread shown alone, and how to leave it. In context (a
    deep link) it says where the cursor is in the conversation, ``depth 2 of 17``; in a
    focus, how many comments the subthread holds (named apart from a header's direct
    "replies") and how many ancestors (``chain``) are folded above it."""
    if mode == "context":
        here = cursor if cursor in thread.depth_of else scope
        deepest = thread.deepest_below(scope)
        depth = thread.depth_of.get(here, 0)
        who = "the story" if here == thread.root_id else _author(thread, here)
        return f"In context: {who}, depth {depth} of {deepest} · u leaves"
    below = plural(thread.subtree_size(scope), "comment")
    above = f" · {plural(chain, 'ancestor')} above" if chain else ""
    return f"Subthread of {_author(thread, scope)} · {below} below it{above} · u leaves"


def _author(thread: Thread, item_id: int) -> str:
    item = thread.items.get(item_id)
    return sanitize(item.by) if item is not None and item.by else "?"


def save_progress(
    update: ThreadUpdate, thread: Thread | None = None, *, offline: bool = False
) -> tuple[str, bool]:
    """A save's line: progress, then what was saved (the open ``thread``'s title and
    comments, if it is this one) or why not (and whether it is an error)."""
    if not update.done:
        return update.note or f"Saving for offline: {plural(update.fetched, 'item')} fetched", False
    if update.saved:
        count = update.fetched or update.cached  # (cached: joined another's save)
        root = thread.root if thread is not None else None
        what = (
            f"{root.title or 'the thread'} ({plural(len(thread), 'comment')})"
            if thread is not None and root is not None
            else plural(count, "item")
        )
        return f"Saved for offline: {what} · 7 lists the saved threads", False
    again = "run hnterm without --offline to save it" if offline else "s retries"
    return f"{update.error}; {again}", True


def list_note(cached: bool, *, offline: bool) -> str:
    """The story list's subtitle when its load failed: what it shows, and what to do."""
    shown = "cached copy" if cached else "nothing cached"
    return f"{shown} (offline)" if offline else f"{shown} · r retries"


def network_title(*, offline: bool, network_down: bool) -> str:
    """The header's subtitle: whether hnterm works from the cache alone."""
    if offline:
        return "offline (--offline): reading the cache"
    if network_down:
        return "offline: network unreachable, reading the cache"
    return "Hacker News"
