"""Hacker News items as immutable values, parsed defensively from Firebase JSON.

The API is loose (fields absent on deleted items, ``null`` for unknown ids) and a hostile or
broken server can send anything, so parsing never trusts a type: wrong types become absent
values rather than exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ITEM_TYPES = frozenset({"story", "comment", "job", "poll", "pollopt"})
# The largest id hnterm accepts: the API's ids are JavaScript numbers, exact up to 2**53 - 1
# (real ones are near 5 * 10**7). Anything bigger is refused where it enters, so no id can
# overflow SQLite's 64-bit INTEGER.
MAX_ID = 2**53 - 1


@dataclass(frozen=True, slots=True)
class Item:
    """One HN item (story, comment, job, poll or poll option)."""

    id: int
    type: str = "comment"
    by: str | None = None
    time: int | None = None
    text: str | None = None
    url: str | None = None
    title: str | None = None
    score: int | None = None
    descendants: int | None = None
    parent: int | None = None
    kids: tuple[int, ...] = ()
    parts: tuple[int, ...] = ()
    poll: int | None = None
    deleted: bool = False
    dead: bool = False

    @property
    def is_root(self) -> bool:
        """Stories, jobs and polls head a thread; comments and poll options hang below one."""
        return self.type in ("story", "job", "poll") or self.parent is None


def _int(value: Any) -> int | None:
    """An int from an int or a string of digits; anything else is absent."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and is_number(value.strip()):
        return int(value.strip())
    return None


def _id(value: Any) -> int | None:
    """An item id in HN's range, or None."""
    number = _int(value)
    return number if number is not None and 0 < number <= MAX_ID else None


def is_item_id(value: int) -> bool:
    """Whether ``value`` can be an HN item id."""
    return 0 < value <= MAX_ID


def is_number(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts '¹' and other digits ``int`` refuses."""
    return text.isascii() and text.isdigit()


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _ids(value: Any, own_id: int) -> tuple[int, ...]:
    """A tuple of distinct child ids; a non-list or bad entries are dropped, never raised."""
    if not isinstance(value, list):
        return ()
    seen: dict[int, None] = {}
    for entry in value:
        kid = _id(entry)
        if kid is not None and kid != own_id:
            seen[kid] = None
    return tuple(seen)


def parse_item(raw: Any, expected_id: int | None = None) -> Item | None:
    """Build an Item from decoded JSON, or None when there is no usable item.

    ``expected_id`` is the id that was asked for: an answer about another id is refused, so a
    confused server cannot graft a foreign item into a thread.
    """
    if not isinstance(raw, dict):
        return None
    item_id = _id(raw.get("id"))
    if item_id is None:
        item_id = expected_id
    if item_id is None or not is_item_id(item_id):
        return None
    if expected_id is not None and item_id != expected_id:
        return None
    kind = _str(raw.get("type"))
    parent = _id(raw.get("parent"))
    return Item(
        id=item_id,
        type=kind if kind in ITEM_TYPES else ("comment" if parent else "story"),
        by=_str(raw.get("by")),
        time=_int(raw.get("time")),
        text=_str(raw.get("text")),
        url=_str(raw.get("url")),
        title=_str(raw.get("title")),
        score=_int(raw.get("score")),
        descendants=_int(raw.get("descendants")),
        parent=parent if parent != item_id else None,
        kids=_ids(raw.get("kids"), item_id),
        parts=_ids(raw.get("parts"), item_id),
        poll=_id(raw.get("poll")),
        deleted=raw.get("deleted") is True,
        dead=raw.get("dead") is True,
    )


def item_to_json(item: Item) -> dict[str, Any]:
    """The Firebase form of an item (absent fields omitted), for the cache and for export."""
    out: dict[str, Any] = {"id": item.id, "type": item.type}
    for name in ("by", "time", "text", "url", "title", "score", "descendants", "parent", "poll"):
        value = getattr(item, name)
        if value is not None:
            out[name] = value
    if item.kids:
        out["kids"] = list(item.kids)
    if item.parts:
        out["parts"] = list(item.parts)
    if item.deleted:
        out["deleted"] = True
    if item.dead:
        out["dead"] = True
    return out
