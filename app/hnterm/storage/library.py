"""The reader's library in the cache, out and in (``hnterm.model.library`` is the document).

Out: every read mark with its seen ids, the saved threads (with their items if asked), the
remembered preferences named by the caller, and every draft. In: one durable transaction that
merges and never overwrites what is newer here: a newer visit's time and comment count win and
the comments seen on either side are seen; saved threads are united (a thread saved here keeps
its date); a preference is set when the file's was set later; a draft is added, or replaced
only by a later one of the same comment and account; an item is written only when the file's
copy was fetched later. The session cookie is not in the cache, so it cannot be in a library.
"""

from __future__ import annotations

import sqlite3
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import replace
from typing import Any

from hnterm.model.errors import CacheError
from hnterm.model.items import Item
from hnterm.model.library import DraftEntry, Library, Merged, Preference, SavedThread
from hnterm.model.readstate import ReadState
from hnterm.storage.connection import Connection
from hnterm.storage.readstate import decode_ids, encode_ids
from hnterm.storage.records import CHUNK, decode, put_rows


class LibraryStore(Connection):
    """``library`` (export) and ``merge_library`` (import)."""

    def library(self, preference_keys: Collection[str], *, with_items: bool = False) -> Library:
        """What this cache holds of the reader's own (``preference_keys``: the settings that
        are preferences, not the cache's bookkeeping)."""
        read = tuple(
            ReadState(root, opened_at, count, decode_ids(blob))
            for root, opened_at, count, blob in self._rows(
                "SELECT root, opened_at, comment_count, seen FROM read_state ORDER BY root"
            )
        )
        saved = tuple(
            SavedThread(root, saved_at, refreshed, self._items_of(root) if with_items else ())
            for root, saved_at, refreshed in self._rows(
                "SELECT saved.root, saved_at, refreshed FROM saved "
                "LEFT JOIN threads ON threads.root = saved.root ORDER BY saved.root"
            )
        )
        wanted = set(preference_keys)
        preferences = tuple(
            Preference(key, value, updated)
            for key, value, updated in self._rows(
                "SELECT key, value, updated FROM settings ORDER BY key"
            )
            if key in wanted
        )
        drafts = tuple(
            DraftEntry(parent, root, text, updated, error, account)
            for parent, root, text, updated, error, account in self._rows(
                "SELECT parent, root, text, updated, error, account FROM drafts "
                "ORDER BY parent, account"
            )
        )
        return Library(time.time(), read, saved, preferences, drafts)

    def _rows(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows, or ``CacheError``: a library read short must never be written out as if it
        were whole (``sync`` would replace the synced file with it)."""
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise CacheError(f"cannot read the library: {exc}") from exc

    def _items_of(self, root: int) -> tuple[tuple[Item, float], ...]:
        rows = self._rows(
            "SELECT id, json, fetched FROM items WHERE root = ? OR id = ? ORDER BY id", (root, root)
        )
        decoded = (decode(item_id, text, fetched) for item_id, text, fetched in rows)
        return tuple((entry.item, entry.fetched) for entry in decoded if entry is not None)

    def merge_library(self, library: Library, preference_keys: Collection[str]) -> Merged:
        """Merge ``library`` into the cache in one durable transaction; what it did."""
        wanted = set(preference_keys)

        def write(db: sqlite3.Connection) -> Merged:
            merged = Merged()
            for mark in library.read:
                merged = _merge_read(db, mark, merged)
            for saved in library.saved:
                merged = _merge_saved(db, saved, merged)
            for preference in library.preferences:
                merged = _merge_preference(db, preference, wanted, merged)
            for draft in library.drafts:
                merged = _merge_draft(db, draft, merged)
            return merged

        return self._write(write, durable=True)


def _merge_read(db: sqlite3.Connection, mark: ReadState, merged: Merged) -> Merged:
    row = db.execute(
        "SELECT opened_at, comment_count, seen FROM read_state WHERE root = ?", (mark.root,)
    ).fetchone()
    if row is None:
        _put_read(db, mark.root, mark.opened_at, mark.comment_count_then, mark.seen)
        return replace(merged, read_new=merged.read_new + 1)
    opened_at, count, blob = row
    seen = decode_ids(blob)
    union = seen | mark.seen
    if mark.opened_at > opened_at:
        _put_read(db, mark.root, mark.opened_at, mark.comment_count_then, union)
    elif len(union) > len(seen):
        _put_read(db, mark.root, opened_at, count, union)
    else:
        return replace(merged, read_kept=merged.read_kept + 1)
    return replace(merged, read_updated=merged.read_updated + 1)


def _put_read(
    db: sqlite3.Connection, root: int, opened_at: float, count: int, seen: frozenset[int]
) -> None:
    db.execute(
        "INSERT OR REPLACE INTO read_state (root, opened_at, comment_count, seen) "
        "VALUES (?, ?, ?, ?)",
        (root, opened_at, count, encode_ids(seen)),
    )


def _merge_saved(db: sqlite3.Connection, saved: SavedThread, merged: Merged) -> Merged:
    added = db.execute(
        "INSERT OR IGNORE INTO saved (root, saved_at) VALUES (?, ?)", (saved.root, saved.saved_at)
    ).rowcount
    items = _merge_items(db, saved)
    if items and saved.refreshed is not None:
        db.execute(
            "INSERT INTO threads (root, refreshed) VALUES (?, ?) ON CONFLICT (root) "
            "DO UPDATE SET refreshed = max(refreshed, excluded.refreshed)",
            (saved.root, saved.refreshed),
        )
    return replace(
        merged,
        saved_new=merged.saved_new + added,
        saved_kept=merged.saved_kept + (1 - added),
        items=merged.items + items,
    )


def _merge_items(db: sqlite3.Connection, saved: SavedThread) -> int:
    """Write the file's items of a thread that are newer than the cache's; how many."""
    ids = [item.id for item, _ in saved.items]
    here: dict[int, float] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        here.update(db.execute(f"SELECT id, fetched FROM items WHERE id IN ({marks})", chunk))
    by_time: dict[float, list[Item]] = defaultdict(list)
    for item, fetched in saved.items:
        if fetched > here.get(item.id, -1.0):
            by_time[fetched].append(item)
    for fetched, batch in by_time.items():
        put_rows(db, batch, saved.root, fetched)
    return sum(len(batch) for batch in by_time.values())


def _merge_preference(
    db: sqlite3.Connection, preference: Preference, wanted: set[str], merged: Merged
) -> Merged:
    row = db.execute("SELECT updated FROM settings WHERE key = ?", (preference.key,)).fetchone()
    if preference.key not in wanted or (row is not None and row[0] >= preference.updated):
        return replace(merged, preferences_kept=merged.preferences_kept + 1)
    db.execute(
        "INSERT OR REPLACE INTO settings (key, value, updated) VALUES (?, ?, ?)",
        (preference.key, preference.value, preference.updated),
    )
    return replace(merged, preferences_set=merged.preferences_set + 1)


def _merge_draft(db: sqlite3.Connection, draft: DraftEntry, merged: Merged) -> Merged:
    row = db.execute(
        "SELECT text, updated FROM drafts WHERE parent = ? AND account = ?",
        (draft.parent, draft.account),
    ).fetchone()
    if row is not None and (row[0] == draft.text or row[1] >= draft.updated):
        return replace(merged, drafts_kept=merged.drafts_kept + 1)
    db.execute(
        "INSERT OR REPLACE INTO drafts (parent, account, root, text, updated, error) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (draft.parent, draft.account, draft.root, draft.text, draft.updated, draft.error),
    )
    if row is None:
        return replace(merged, drafts_new=merged.drafts_new + 1)
    return replace(merged, drafts_updated=merged.drafts_updated + 1)
