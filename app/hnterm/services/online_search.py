"""Searching all of HN, falling back to the local cache when the search API cannot be used.

Hits from either place come out as the model's ``SearchHit`` (plain, sanitised, one line
each), so ``hnterm search`` and the app show both the same way. The fallback is said in
``note``: a reader offline still gets what the cache knows, and knows that it is only that.
"""

from __future__ import annotations

from dataclasses import dataclass

from hnterm.model.hits import SearchHit
from hnterm.net.algolia import Hit, OnlineQuery, SearchClient
from hnterm.net.client import HNError
from hnterm.render.text import html_to_plain, one_line, sanitize
from hnterm.storage.worker import CacheWorker


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    online: bool  # False: these came from the local cache
    total: int  # matches in all (online: Algolia's count, which may exceed the hits shown)
    note: str | None = None  # why the cache was searched instead


async def search_everywhere(
    client: SearchClient | None, worker: CacheWorker, query: OnlineQuery
) -> SearchResult:
    """All of HN through ``client``; the local index when there is none or it fails."""
    reason = "offline mode"
    if client is not None:
        try:
            page = await client.search(query)
        except HNError as exc:
            reason = f"HN search failed ({exc})"
        else:
            hits = [as_search_hit(hit) for hit in page.hits]
            return SearchResult(hits, online=True, total=page.total)
    hits = await worker.search(local_query(query), limit=query.per_page)
    if query.kind is not None:
        hits = [hit for hit in hits if hit.type == query.kind]
    if query.since is not None:
        hits = [hit for hit in hits if hit.time is not None and hit.time >= query.since]
    note = f"{reason}: showing matches in the local cache only"
    if query.min_points is not None:
        note += " (points filter not applied)"
    return SearchResult(hits, online=False, total=len(hits), note=note)


def local_query(query: OnlineQuery) -> str:
    """The query in the cache search's grammar (words, then ``by:NAME``)."""
    return " ".join(part for part in (query.text, query.author and f"by:{query.author}") if part)


def as_search_hit(hit: Hit) -> SearchHit:
    """An API hit as a cache-search hit: a comment under its story's title, then its text;
    a story under its title, then its link or text."""
    title = hit.title if hit.kind != "comment" else hit.story_title
    body = one_line(html_to_plain(hit.text)) if hit.text else ""
    snippet = body or one_line(hit.url) or one_line(hit.title)
    if hit.kind != "comment" and hit.points is not None:
        snippet = f"{hit.points} points · {hit.num_comments or 0} comments · {snippet}"
    return SearchHit(
        item_id=hit.item_id,
        root=hit.story_id or (hit.item_id if hit.kind != "comment" else None),
        by=sanitize(hit.author) if hit.author else None,
        time=hit.created,
        type=hit.kind or "story",
        title=one_line(title) or None,
        snippet=snippet[:300],
        rank=0.0,
    )
