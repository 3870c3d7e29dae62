"""A thread narrowed to what the reader looks for: the top-level comments that match a query
(in the one grammar, ``hnterm.model.query``), each with its replies, and the rest hidden.

Top-level comments are what a "Who is hiring?" thread is made of (one job post each), so a
narrowing tests them alone: a reply saying "remote" does not keep a post that does not. Pure:
the app shows ``rows``, ``hnterm dump --only`` writes ``narrowed``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from hnterm.model.items import Item
from hnterm.model.query import SearchQuery, matcher, parse_query
from hnterm.model.thread import Thread


@dataclass(frozen=True)
class Narrowing:
    """What a query keeps of a thread's top-level comments."""

    query: str
    root: int  # the story narrowed
    kept: tuple[int, ...]  # matching top-level comments, in HN's order
    total: int  # top-level comments there are (deleted and dead ones included)
    terms: tuple[str, ...] = ()  # words and phrases to highlight
    author: str | None = None  # a ``by:`` name to highlight, lower-cased

    @property
    def count(self) -> str:
        """'41 of 612 shown' (top-level comments), as the pane's title and the CLI say it."""
        return f"{len(self.kept)} of {self.total} shown"


class EmptyQuery(ValueError):
    """The query has nothing to match by (no word, phrase or ``by:`` name)."""


def parse_narrowing(query: str) -> SearchQuery | None:
    """``query`` in the search grammar, or None when it has nothing to narrow by. Unlike a
    search (FTS5 has no 'everything but'), a narrowing may be exclusions alone: ``-onsite``
    keeps every post but those."""
    parsed = parse_query(query)
    if not parsed.phrases:  # the parser drops lone exclusions: read them with a phrase
        parsed = replace(parsed, excluded=parse_query(f'"narrowing" {query}').excluded)
    if parsed.empty and not parsed.excluded and not parsed.excluded_authors:
        return None
    return parsed


def narrow(thread: Thread, query: str, text_of: Callable[[Item], str]) -> Narrowing:
    """The top-level comments of ``thread`` matching ``query`` (``text_of`` gives an item's
    searchable plain text). Deleted and dead comments never match. ``EmptyQuery`` when the
    query has nothing to match by."""
    parsed = parse_narrowing(query)
    if parsed is None:
        raise EmptyQuery(f"nothing to narrow by in {query.strip()!r}")
    test = matcher(parsed)
    tops = thread.children(thread.root_id)
    kept = tuple(
        top
        for top in tops
        if not thread.items[top].deleted
        and not thread.items[top].dead
        and test(text_of(thread.items[top]), thread.items[top].by)
    )
    author = parsed.authors[0].lower() if parsed.authors else None
    return Narrowing(query, thread.root_id, kept, len(tops), parsed.terms, author)


def rows(thread: Thread, shown: list[int], narrowing: Narrowing) -> list[int]:
    """``shown`` (a thread's rows, in order) with every row outside the kept top-level
    comments' subtrees left out; the story stays."""
    kept = frozenset(narrowing.kept)
    return [
        item_id
        for item_id in shown
        if item_id == thread.root_id or thread.top_level_of(item_id) in kept
    ]


def narrowed(thread: Thread, narrowing: Narrowing) -> Thread:
    """A copy of ``thread`` holding the story (listing only the kept comments) and the kept
    comments with every reply: what ``dump --only`` writes."""
    root = thread.root
    copy = Thread(thread.root_id)
    if root is None:
        return copy
    kept = frozenset(narrowing.kept)
    items = [replace(root, kids=narrowing.kept)]
    for item_id in thread.order():
        if item_id != thread.root_id and thread.top_level_of(item_id) in kept:
            items.append(thread.items[item_id])
    copy.add(items)
    copy.seen = thread.seen
    return copy
