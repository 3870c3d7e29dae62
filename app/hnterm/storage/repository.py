"""What the cache keeps: items and the threads they belong to, story lists, saved threads,
settings and read state (saves in progress: ``hnterm.storage.saves``)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable

from hnterm.model.items import Item
from hnterm.model.readstate import ReadMark, ReadState
from hnterm.storage.connection import Connection
from hnterm.storage.readstate import decode_ids, encode_ids
from hnterm.storage.records import Cached, decode, put_rows


class Repository(Connection):
    """Reads and writes of what the app shows."""

    def put_items(
        self, items: Iterable[Item], root: int | None, fetched: float | None = None
    ) -> None:
        """Store items under the thread ``root`` they belong to; with no root given, a story
        is its own root and a comment keeps the thread it was stored under before (if any).
        The search index follows, re-rendering only items whose words changed."""
        batch = list(items)
        if not batch:
            return
        now = time.time() if fetched is None else fetched
        self._write(lambda db: put_rows(db, batch, root, now))

    def get(self, item_id: int) -> Cached | None:
        rows = self._read("SELECT json, fetched FROM items WHERE id = ?", (item_id,))
        return decode(item_id, *rows[0]) if rows else None

    def root_of(self, item_id: int) -> int | None:
        """The thread a cached item was loaded under, so a comment id opens its story."""
        rows = self._read("SELECT root FROM items WHERE id = ?", (item_id,))
        return rows[0][0] if rows else None

    def thread(self, root: int) -> list[Cached]:
        """Every cached item of a thread, the root included."""
        rows = self._read(
            "SELECT id, json, fetched FROM items WHERE root = ? OR id = ?", (root, root)
        )
        decoded = (decode(item_id, text, fetched) for item_id, text, fetched in rows)
        return [entry for entry in decoded if entry is not None]

    def get_many(self, ids: Iterable[int]) -> dict[int, Cached]:
        """Cached items among ``ids`` (for a page of the story list)."""
        found: dict[int, Cached] = {}
        for item_id, text, fetched in self._read_in(
            "SELECT id, json, fetched FROM items WHERE id IN ({marks})", ids
        ):
            entry = decode(item_id, text, fetched)
            if entry is not None:
                found[item_id] = entry
        return found

    # -- story lists ----------------------------------------------------------------------
    def put_list(self, name: str, ids: list[int]) -> None:
        row = (name, json.dumps(ids), time.time())
        self._write(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO lists (name, ids, fetched) VALUES (?, ?, ?)", row
            )
        )

    def get_list(self, name: str) -> tuple[list[int], float] | None:
        rows = self._read("SELECT ids, fetched FROM lists WHERE name = ?", (name,))
        if not rows:
            return None
        try:
            ids = json.loads(rows[0][0])
        except ValueError:
            return None
        if not isinstance(ids, list):
            return None
        return [i for i in ids if isinstance(i, int)], rows[0][1]

    # -- thread refreshes and saved threads -----------------------------------------------
    def set_thread_refreshed(self, root: int, refreshed: float | None = None) -> None:
        """Record that a whole-thread load of ``root`` completed (the freshness clock)."""
        row = (root, time.time() if refreshed is None else refreshed)
        self._write(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO threads (root, refreshed) VALUES (?, ?)", row
            )
        )

    def thread_refreshed(self, root: int) -> float | None:
        """When the thread was last loaded whole from the network, or None if never.

        Kept apart from the root item's fetch time: a story-list page refetches the story
        item alone, which must not make its comments look fresh.
        """
        rows = self._read("SELECT refreshed FROM threads WHERE root = ?", (root,))
        return rows[0][0] if rows else None

    def save_thread(self, root: int, saved_at: float | None = None) -> None:
        """Keep ``root``'s thread for good: prune never removes it (durable write)."""
        row = (root, time.time() if saved_at is None else saved_at)
        self._write(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO saved (root, saved_at) VALUES (?, ?)", row
            ),
            durable=True,
        )

    def unsave_thread(self, root: int) -> None:
        """Make the thread ordinary cache again (its items stay until pruned)."""
        self._write(
            lambda db: db.execute("DELETE FROM saved WHERE root = ?", (root,)), durable=True
        )

    def saved_threads(self) -> list[tuple[int, float]]:
        """(root, saved_at) of every saved thread, newest first."""
        rows = self._read("SELECT root, saved_at FROM saved ORDER BY saved_at DESC, root DESC")
        return [(root, saved_at) for root, saved_at in rows]

    def is_saved(self, root: int) -> bool:
        return bool(self._read("SELECT 1 FROM saved WHERE root = ?", (root,)))

    # -- settings -------------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str) -> None:
        """Keep ``value`` for ``key``, with when (a library import overwrites none newer)."""
        row = (key, value, time.time())
        self._write(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO settings (key, value, updated) VALUES (?, ?, ?)", row
            )
        )

    # -- read state -----------------------------------------------------------------------
    def mark_story_read(
        self,
        root: int,
        comment_count: int,
        seen_ids: Iterable[int],
        opened_at: float | None = None,
    ) -> None:
        """Record an opening of ``root``: when, its comment count then, and the ids seen.

        Seen ids add to those of earlier visits, so a partly loaded visit forgets nothing.
        Durable: this is the one thing in the cache that cannot be fetched again.
        """
        when = time.time() if opened_at is None else opened_at
        ids = list(seen_ids)

        def write(db: sqlite3.Connection) -> None:
            row = db.execute("SELECT seen FROM read_state WHERE root = ?", (root,)).fetchone()
            seen = decode_ids(row[0]).union(ids) if row else ids
            db.execute(
                "INSERT OR REPLACE INTO read_state (root, opened_at, comment_count, seen) "
                "VALUES (?, ?, ?, ?)",
                (root, when, max(0, comment_count), encode_ids(seen)),
            )

        self._write(write, durable=True)

    def mark_story_unread(self, root: int) -> None:
        """Forget that ``root`` was ever opened."""
        self._write(
            lambda db: db.execute("DELETE FROM read_state WHERE root = ?", (root,)),
            durable=True,
        )

    def story_read(self, root: int) -> ReadState | None:
        """The full read state of a story (with seen ids), or None if never opened."""
        rows = self._read(
            "SELECT opened_at, comment_count, seen FROM read_state WHERE root = ?", (root,)
        )
        if not rows:
            return None
        opened_at, count, blob = rows[0]
        return ReadState(root, opened_at, count, decode_ids(blob))

    def read_states(self, roots: Iterable[int]) -> dict[int, ReadMark]:
        """Read marks of the opened stories among ``roots`` (seen ids are not decoded)."""
        return {
            root: ReadMark(root, opened_at, count)
            for root, opened_at, count in self._read_in(
                "SELECT root, opened_at, comment_count FROM read_state WHERE root IN ({marks})",
                roots,
            )
        }
