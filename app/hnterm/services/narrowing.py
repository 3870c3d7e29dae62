"""Narrowing the open thread (or a dumped one) to the top-level comments a query matches:
the model's ``narrow`` over each comment's plain text, and the folds the narrowed view opens
with (each kept comment's replies folded, so a long thread reads as a list of posts)."""

from __future__ import annotations

from hnterm.model.items import Item
from hnterm.model.narrow import Narrowing, narrow
from hnterm.model.thread import Thread
from hnterm.render.text import html_to_plain, one_line


def plain_text(item: Item) -> str:
    """What a query is matched against: the comment's text as shown, without HTML (as the
    thread search ``/`` matches it)."""
    return html_to_plain(item.text)


def narrow_thread(thread: Thread, query: str) -> Narrowing:
    """The narrowing of ``thread`` by ``query`` (``EmptyQuery`` when it has nothing to
    match by)."""
    return narrow(thread, query, plain_text)


def fold_kept(thread: Thread, narrowing: Narrowing) -> set[int]:
    """Fold the replies of every kept comment; the ids folded now (to unfold on leaving)."""
    return {top for top in narrowing.kept if thread.set_collapsed(top, True)}


def unfold(thread: Thread, folded: set[int]) -> None:
    """Undo ``fold_kept``: the comments it folded open again."""
    for item_id in folded:
        thread.set_collapsed(item_id, False)


def narrow_title(narrowing: Narrowing) -> str:
    """The narrowed pane's title: what it is narrowed to, how much shows, how to leave
    (plain text on one line, nothing a terminal acts on: show it as a ``Text``)."""
    query = one_line(narrowing.query)
    if len(query) > 40:
        query = query[:39] + "…"
    return f"Narrowed to {query}: {narrowing.count} · esc shows every comment"


def narrow_status(narrowing: Narrowing, thread: Thread) -> str:
    """What the status line says once narrowed: the count, how many of the kept posts are
    new since the last visit, and the keys that go on."""
    if not narrowing.kept:
        return f"No top-level comment matches: {narrowing.count} · esc shows every comment"
    new = sum(1 for top in narrowing.kept if thread.is_new(top))
    since = (
        f" · {new} new since your last visit (. goes to the next)"
        if thread.seen is not None
        else ""
    )
    return f"{narrowing.count}{since} · n next match · esc shows every comment"
