"""The local SQLite cache: every fetched item with its fetch time, and the story lists.

The cache must never take the app down: if the file cannot be opened the cache falls back to
an in-memory database and says why in ``problem``; a failing write is recorded there too and
the read goes on. WAL mode and a busy timeout let two hnterm processes share one file.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.hn.models import Item, item_to_json, parse_item

DB_NAME = "hnterm.sqlite3"
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    root INTEGER,
    json TEXT NOT NULL,
    fetched REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS items_root ON items(root);
CREATE TABLE IF NOT EXISTS lists (
    name TEXT PRIMARY KEY,
    ids TEXT NOT NULL,
    fetched REAL NOT NULL
);
"""


@dataclass(frozen=True)
class Cached:
    """A cached item and when it was fetched (epoch seconds)."""

    item: Item
    fetched: float


class Cache:
    """Items and story lists in one SQLite file."""

    def __init__(self, directory: Path | None) -> None:
        """Open (creating) the cache in ``directory``; ``None`` keeps it in memory only."""
        self.problem: str | None = None
        self.path = directory / DB_NAME if directory is not None else None
        self.db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                return self._prepare(sqlite3.connect(self.path, timeout=5.0))
            except (OSError, sqlite3.Error) as exc:
                self.problem = f"cache unavailable ({exc}); nothing will be kept"
                self.path = None
        return self._prepare(sqlite3.connect(":memory:"))

    @staticmethod
    def _prepare(db: sqlite3.Connection) -> sqlite3.Connection:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(SCHEMA)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        return db

    def close(self) -> None:
        self.db.close()

    def _write(self, sql: str, rows: Iterable[tuple[object, ...]]) -> None:
        """Run one write in a transaction; a failure is remembered, never raised."""
        try:
            with self.db:
                self.db.executemany(sql, rows)
        except sqlite3.Error as exc:
            self.problem = f"cache write failed: {exc}"

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            self.problem = f"cache read failed: {exc}"
            return []

    # -- items ----------------------------------------------------------------------------
    def put_items(
        self, items: Iterable[Item], root: int | None, fetched: float | None = None
    ) -> None:
        """Store items under the thread ``root`` they belong to; with no root given, a story
        is its own root and a comment's thread is left unknown."""
        now = time.time() if fetched is None else fetched
        self._write(
            "INSERT OR REPLACE INTO items (id, root, json, fetched) VALUES (?, ?, ?, ?)",
            ((item.id, _root(item, root), _dump(item), now) for item in items),
        )

    def get(self, item_id: int) -> Cached | None:
        rows = self._read("SELECT json, fetched FROM items WHERE id = ?", (item_id,))
        return self._decode(item_id, *rows[0]) if rows else None

    def root_of(self, item_id: int) -> int | None:
        """The thread a cached item was loaded under, so a comment id opens its story."""
        rows = self._read("SELECT root FROM items WHERE id = ?", (item_id,))
        return rows[0][0] if rows else None

    def thread(self, root: int) -> list[Cached]:
        """Every cached item of a thread, the root included."""
        rows = self._read(
            "SELECT id, json, fetched FROM items WHERE root = ? OR id = ?", (root, root)
        )
        decoded = (self._decode(item_id, text, fetched) for item_id, text, fetched in rows)
        return [entry for entry in decoded if entry is not None]

    @staticmethod
    def _decode(item_id: int, text: str, fetched: float) -> Cached | None:
        try:
            item = parse_item(json.loads(text), expected_id=item_id)
        except ValueError:
            return None
        return Cached(item, fetched) if item is not None else None

    # -- story lists ----------------------------------------------------------------------
    def put_list(self, name: str, ids: list[int]) -> None:
        self._write(
            "INSERT OR REPLACE INTO lists (name, ids, fetched) VALUES (?, ?, ?)",
            [(name, json.dumps(ids), time.time())],
        )

    def get_list(self, name: str) -> tuple[list[int], float] | None:
        rows = self._read("SELECT ids, fetched FROM lists WHERE name = ?", (name,))
        if not rows:
            return None
        try:
            ids = json.loads(rows[0][0])
        except ValueError:
            return None
        return [i for i in ids if isinstance(i, int)], rows[0][1]

    def get_many(self, ids: Iterable[int]) -> dict[int, Cached]:
        """Cached items among ``ids`` (for a page of the story list)."""
        wanted = list(ids)
        found: dict[int, Cached] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for item_id, text, fetched in self._read(
                f"SELECT id, json, fetched FROM items WHERE id IN ({marks})", tuple(chunk)
            ):
                entry = self._decode(item_id, text, fetched)
                if entry is not None:
                    found[item_id] = entry
        return found


def _root(item: Item, root: int | None) -> int | None:
    if root is not None:
        return root
    return item.id if item.is_root else None


def _dump(item: Item) -> str:
    return json.dumps(item_to_json(item), separators=(",", ":"))
