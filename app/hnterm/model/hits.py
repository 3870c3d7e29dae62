"""A search result, from the local cache or from all of HN, ready for a terminal."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchHit:
    """One search result: plain, sanitized, one-line text ready for a terminal."""

    item_id: int
    root: int | None  # the thread's story, when known
    by: str | None
    time: int | None
    type: str
    title: str | None  # the story title of the hit's thread (its own title for a story)
    snippet: str  # the matching text around the match, or the title
    rank: float  # bm25: lower is better; 0.0 for author-only searches and online hits
