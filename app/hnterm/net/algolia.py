"""Search all of Hacker News through its public search API (Algolia, hn.algolia.com).

``search`` ranks by relevance (then points), ``search_by_date`` newest first. A query is words
plus a few filters, written the same way in the app and on the command line:

    words          what to look for (Algolia matches titles, text, URLs and authors)
    by:NAME        only items by NAME (Algolia's ``author_NAME`` tag)
    type:story     only stories (or ``type:comment``)
    points:N       only items with at least N points (stories; comments have none)

The transport is ``HNClient`` pointed at the search API, so a search gets the same timeouts,
deadline, retries with ``Retry-After``, size cap and refusal of redirects as every item fetch.
Answers are parsed defensively: a hit without a usable id is dropped, wrong types are absent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from hnterm.model.items import MAX_ID
from hnterm.model.users import is_username
from hnterm.net.client import DEFAULT_SEARCH_URL, APIError, HNClient

KINDS = ("story", "comment")
MAX_PER_PAGE = 100
MAX_QUERY = 500  # characters sent; a pasted page of text is cut


@dataclass(frozen=True)
class OnlineQuery:
    """What to ask the search API; ``since`` is epoch seconds (``created_at_i``)."""

    text: str = ""
    kind: str | None = None  # 'story' or 'comment'; None: both
    author: str | None = None
    min_points: int | None = None
    since: int | None = None
    by_date: bool = False
    page: int = 0
    per_page: int = 20

    @property
    def empty(self) -> bool:
        return not self.text and self.author is None

    def params(self) -> dict[str, str]:
        """The API's query parameters (``tags`` are ANDed, as are ``numericFilters``)."""
        tags = [tag for tag in (self.kind, self.author and f"author_{self.author}") if tag]
        numeric = []
        if self.min_points is not None:
            numeric.append(f"points>={self.min_points}")
        if self.since is not None:
            numeric.append(f"created_at_i>={self.since}")
        params = {
            "query": self.text[:MAX_QUERY],
            "page": str(max(0, self.page)),
            "hitsPerPage": str(min(max(1, self.per_page), MAX_PER_PAGE)),
        }
        if tags:
            params["tags"] = ",".join(tags)
        if numeric:
            params["numericFilters"] = ",".join(numeric)
        return params


def parse_search(text: str, **options: Any) -> OnlineQuery:
    """A query from what the user typed: ``by:``, ``type:`` and ``points:`` words become
    filters (a malformed one stays a plain word); ``options`` set the rest."""
    words: list[str] = []
    query = OnlineQuery(**options)
    for word in text.split():
        key, sep, value = word.partition(":")
        key = key.lower()
        if sep and key in ("by", "author") and is_username(value):
            query = replace(query, author=value)
        elif sep and key == "type" and value.lower() in KINDS:
            query = replace(query, kind=value.lower())
        elif sep and key == "points" and value.isascii() and value.isdigit():
            query = replace(query, min_points=int(value))
        else:
            words.append(word)
    return replace(query, text=" ".join(words))


@dataclass(frozen=True)
class Hit:
    """One search hit, raw text as the API sent it (sanitise before showing)."""

    item_id: int
    kind: str  # 'story', 'comment', 'poll', 'job' or '' when unknown
    author: str | None
    created: int | None
    title: str | None  # a story's own title
    url: str | None
    points: int | None
    num_comments: int | None
    story_id: int | None  # a comment's story
    story_title: str | None
    text: str | None  # HTML: a comment's text or a story's text


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int  # nbHits: matches in all
    page: int
    pages: int


class SearchClient:
    """The search API over an ``HNClient`` (its own session, so its own base URL)."""

    def __init__(self, base_url: str = DEFAULT_SEARCH_URL, *, deadline: float = 15.0) -> None:
        self.http = HNClient(base_url, deadline=deadline, retries=2, connections=4)

    async def search(self, query: OnlineQuery) -> SearchPage:
        """One page of hits; raises ``HNError`` (``NetworkError`` when unreachable)."""
        endpoint = "search_by_date" if query.by_date else "search"
        data = await self.http.get_json(f"{endpoint}?{urlencode(query.params())}")
        page = parse_page(data)
        if page is None:
            raise APIError("search: the API sent no list of hits")
        return page

    async def aclose(self) -> None:
        await self.http.aclose()


def parse_page(raw: Any) -> SearchPage | None:
    """A page of hits from decoded JSON, or None when it is not one."""
    if not isinstance(raw, dict) or not isinstance(raw.get("hits"), list):
        return None
    hits = [hit for hit in map(parse_hit, raw["hits"]) if hit is not None]
    return SearchPage(
        hits=hits,
        total=_int(raw.get("nbHits")) or len(hits),
        page=_int(raw.get("page")) or 0,
        pages=_int(raw.get("nbPages")) or 1,
    )


def parse_hit(raw: Any) -> Hit | None:
    if not isinstance(raw, dict):
        return None
    item_id = _id(raw.get("objectID"))
    if item_id is None:
        return None
    tags = raw.get("_tags")
    kinds = [t for t in tags if t in (*KINDS, "poll", "job")] if isinstance(tags, list) else []
    title = _str(raw.get("title"))
    kind = (
        kinds[0] if kinds else ("story" if title else "comment" if raw.get("comment_text") else "")
    )
    return Hit(
        item_id=item_id,
        kind=kind,
        author=_str(raw.get("author")),
        created=_int(raw.get("created_at_i")),
        title=title,
        url=_str(raw.get("url")),
        points=_int(raw.get("points")),
        num_comments=_int(raw.get("num_comments")),
        story_id=_id(raw.get("story_id")),
        story_title=_str(raw.get("story_title")),
        text=_str(raw.get("comment_text")) or _str(raw.get("story_text")),
    )


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _id(value: Any) -> int | None:
    """Algolia sends ids as strings (``objectID``) or numbers (``story_id``)."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    number = _int(value)
    return number if number is not None and 0 < number <= MAX_ID else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
