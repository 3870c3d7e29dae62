"""How an item is kept: its row in ``items`` and its entry in the search index.

Shared by the repository (writes), search (reads hits) and migrations (indexing old rows).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from hnterm.model.items import Item, item_to_json, parse_item
from hnterm.render.text import html_to_plain, sanitize

CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit


@dataclass(frozen=True)
class Cached:
    """A cached item and when it was fetched (epoch seconds)."""

    item: Item
    fetched: float


def put_rows(db: sqlite3.Connection, batch: list[Item], root: int | None, now: float) -> None:
    """Upsert ``batch`` and re-index the items whose searchable words changed; of an id
    given twice the last copy is kept (both went to the index, which refused the second).

    Written in id order: a load hands items over in fetch order, and each id lower than the
    one before made FTS5 flush its pending terms into a new segment (and the B-tree insert
    mid-page): the same batch took 2-3x the SQLite work out of order."""
    latest = {item.id: item for item in batch}
    ids = sorted(latest)
    batch = [latest[item_id] for item_id in ids]
    old: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        old.update(db.execute(f"SELECT id, json FROM items WHERE id IN ({marks})", chunk))
    rows = []
    reindex: list[Item] = []
    for item in batch:
        text = dump_item(item)
        rows.append((item.id, root_for(item, root), text, now))
        before = old.get(item.id)
        if before != text and (before is None or words_changed(before, item)):
            reindex.append(item)
    db.executemany(
        "INSERT INTO items (id, root, json, fetched) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET root = coalesce(excluded.root, items.root), "
        "json = excluded.json, fetched = excluded.fetched",
        rows,
    )
    if reindex:
        db.executemany(
            "DELETE FROM search_text WHERE rowid = ?",
            ((item.id,) for item in reindex if item.id in old),
        )
        db.executemany(
            "INSERT INTO search_text (rowid, title, body, author) VALUES (?, ?, ?, ?)",
            [row for row in map(search_row, reindex) if row is not None],
        )


def words_changed(before: str, item: Item) -> bool:
    """Whether the title, text or author differ from the stored JSON (kids and score don't
    matter to search, and re-rendering HTML is the costly part of a write)."""
    try:
        old = json.loads(before)
    except ValueError:
        return True
    if not isinstance(old, dict):
        return True
    return (old.get("title"), old.get("text"), old.get("by")) != (item.title, item.text, item.by)


def search_row(item: Item) -> tuple[int, str | None, str, str | None] | None:
    """What the search index holds for an item; nothing for a deleted, empty one."""
    body = html_to_plain(item.text) if item.text else ""
    title = sanitize(item.title) if item.title else None
    if not (title or body or item.by):
        return None
    return (item.id, title, body, item.by)


def decode(item_id: int, text: str, fetched: float) -> Cached | None:
    try:
        item = parse_item(json.loads(text), expected_id=item_id)
    except ValueError:
        return None
    return Cached(item, fetched) if item is not None else None


def root_for(item: Item, root: int | None) -> int | None:
    if root is not None:
        return root
    return item.id if item.is_root else None


def dump_item(item: Item) -> str:
    """An item's row: compact JSON by orjson, ~5x faster than ``json`` (each item of a thread
    load is written once). It writes non-ASCII as UTF-8 where ``json`` escapes it, the same
    JSON to read back; what it refuses (a lone surrogate, an int over 64 bits) ``json``
    writes. Imported here, as the client does: orjson brings uuid and datetime (~10 ms),
    off the path to the first frame."""
    import orjson

    fields = item_to_json(item)
    try:
        return orjson.dumps(fields).decode()
    except orjson.JSONEncodeError:
        return json.dumps(fields, separators=(",", ":"))
