"""A fake of HN's search API (hn.algolia.com/api/v1) over real HTTP on 127.0.0.1.

Hits are built from the fixture threads in the shape Algolia answers with (``objectID`` as a
string, ``_tags``, ``story_id``/``story_title`` on comments, ``created_at_i``...;
``_highlightResult`` left out, as hnterm never reads it). It filters by words, ``tags`` (ANDed:
story, comment, author_NAME) and ``numericFilters`` (points, created_at_i with >, >=, <, <=),
ranks ``search`` by points then recency and ``search_by_date`` newest first, and pages.
Faults are injectable: ``fault("500")``, ``fault("malformed")``, ``fault("delay", seconds=)``.
"""

from __future__ import annotations

import asyncio
import operator
import re
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.fakehn.server import FIXTURES_DIR, _load_fixture, fixture_names
from tests.webthread import ThreadedApp

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq}
_FILTER = re.compile(r"(points|created_at_i|num_comments)(>=|<=|>|<|=)(\d+)")
_TAG = re.compile(r"<[^>]*>")


def hits_from_fixtures(*names: str) -> list[dict[str, Any]]:
    """Every story and comment of the fixtures as an Algolia hit."""
    items: dict[int, dict] = {}
    for name in names or fixture_names():
        items.update(_load_fixture(name)[0])
    hits = []
    for item in items.values():
        if not item or item.get("deleted") or item.get("dead") or "by" not in item:
            continue
        root = item
        while root.get("parent") in items and items[root["parent"]]:
            root = items[root["parent"]]
        hits.append(_hit(item, root))
    return hits


def _hit(item: dict, root: dict) -> dict[str, Any]:
    kind = item.get("type", "comment")
    created = int(item.get("time", 0))
    hit: dict[str, Any] = {
        "objectID": str(item["id"]),
        "author": item["by"],
        "created_at": datetime.fromtimestamp(created, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "created_at_i": created,
        "_tags": [kind, f"author_{item['by']}", f"story_{root['id']}"],
        "title": item.get("title"),
        "url": item.get("url"),
        "points": item.get("score") if kind != "comment" else None,
        "num_comments": item.get("descendants") if kind != "comment" else None,
        "story_id": root["id"],
        "story_title": root.get("title") if kind == "comment" else None,
        "story_url": root.get("url") if kind == "comment" else None,
        "parent_id": item.get("parent"),
        "comment_text": item.get("text") if kind == "comment" else None,
        "story_text": item.get("text") if kind != "comment" else None,
        "children": item.get("kids", []),
        "updated_at": "2025-04-19T00:00:00Z",
    }
    return hit


class FakeSearch(ThreadedApp):
    """The server: ``hits`` and faults are plain attributes; ``queries`` logs each request's
    parameters, so tests can check what hnterm asked for."""

    def __init__(self, hits: list[dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.hits = hits if hits is not None else hits_from_fixtures()
        self.queries: list[dict[str, str]] = []
        self.answered = 0  # requests fully handled (a delayed one counts once its wait ends)
        self.faults: list[tuple[str, dict[str, Any]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1/"

    def fault(self, kind: str, *, times: int = 1, **options: Any) -> None:
        """The next ``times`` requests misbehave: '500', 'malformed' or 'delay' (seconds=)."""
        if kind not in ("500", "malformed", "delay"):
            raise ValueError(f"unknown fault {kind!r}")
        self.faults += [(kind, options)] * times

    # -- answers ------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        try:
            return await self._answer(request)
        finally:
            self.answered += 1

    async def _answer(self, request: web.Request) -> web.Response:
        params = dict(request.query)
        self.queries.append(params)
        if self.faults:
            kind, options = self.faults.pop(0)
            if kind == "500":
                return web.json_response({"message": "Internal error"}, status=500)
            if kind == "malformed":
                return web.Response(text='{"hits": [{"objectID": ', content_type="application/json")
            await asyncio.sleep(float(options["seconds"]))
        by_date = request.match_info["endpoint"] == "search_by_date"
        return web.json_response(self.answer(params, by_date=by_date))

    def answer(self, params: dict[str, str], *, by_date: bool) -> dict[str, Any]:
        query = params.get("query", "")
        words = [w.lower() for w in re.findall(r"\w+", query)]
        tags = [t for t in params.get("tags", "").split(",") if t]
        filters = _FILTER.findall(params.get("numericFilters", ""))
        found = [
            hit
            for hit in self.hits
            if all(tag in hit["_tags"] for tag in tags)
            and all(_numeric(hit, name, op, value) for name, op, value in filters)
            and all(word in _words(hit) for word in words)
        ]
        if by_date:
            found.sort(key=lambda h: -h["created_at_i"])
        else:
            found.sort(key=lambda h: (-(h["points"] or 0), -h["created_at_i"]))
        per_page = max(1, min(int(params.get("hitsPerPage", 20)), 1000))
        page = max(0, int(params.get("page", 0)))
        pages = (len(found) + per_page - 1) // per_page
        return {
            "hits": found[page * per_page : (page + 1) * per_page],
            "nbHits": len(found),
            "page": page,
            "nbPages": pages,
            "hitsPerPage": per_page,
            "exhaustiveNbHits": True,
            "exhaustiveTypo": True,
            "query": query,
            "params": "&".join(f"{k}={v}" for k, v in params.items()),
            "processingTimeMS": 1,
        }

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/api/v1/{endpoint:search|search_by_date}", self._handle)


def _words(hit: dict[str, Any]) -> str:
    text = " ".join(
        str(hit.get(key) or "") for key in ("title", "comment_text", "story_text", "author", "url")
    )
    return _TAG.sub(" ", text).lower()


def _numeric(hit: dict[str, Any], name: str, op: str, value: str) -> bool:
    have = hit.get(name)
    return have is not None and _OPS[op](have, int(value))


__all__ = ["FIXTURES_DIR", "FakeSearch", "hits_from_fixtures"]
