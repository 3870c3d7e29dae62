"""The local SQLite cache: the offline library of items, threads, lists and read state.

The cache must never take the app down: if the file cannot be opened the cache falls back to
an in-memory database and says why in ``problem``; a failing write is recorded there too and
the read goes on. A damaged file is moved aside (``hnterm.sqlite3.corrupt-<time>``) and a
fresh one started, whether the damage shows on opening or later.

Every write is one ``BEGIN IMMEDIATE`` transaction, so a killed process leaves either all of a
write or none of it, and a second hnterm process waits its turn (up to 5 s) instead of failing.
Items are written with ``synchronous=NORMAL`` (a power cut may lose the last batch, which is
refetched); saved threads and read state with ``FULL``, because they cannot be refetched.

Full-text search: an FTS5 table holds each item's title, plain text and author under the item
id, kept in step with ``items`` by ``put_items`` in the same transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from hnterm.hn.models import Item, item_to_json, parse_item
from hnterm.hn.text import html_to_plain, sanitize
from hnterm.storage.query import fts_expression, parse_query
from hnterm.storage.readstate import ReadMark, ReadState, decode_ids, encode_ids

T = TypeVar("T")

DB_NAME = "hnterm.sqlite3"
SCHEMA_VERSION = 3
BUSY_TIMEOUT = 5.0  # seconds a writer waits for another hnterm process's transaction
WAL_LIMIT = 16 * 1024 * 1024  # bytes the WAL file is cut back to after a checkpoint
CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit

SCHEMA_V1 = """
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
# Version 2: thread refresh times, saved threads, read state and full-text search.
SCHEMA_V2 = """
CREATE TABLE IF NOT EXISTS threads (
    root INTEGER PRIMARY KEY,
    refreshed REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS saved (
    root INTEGER PRIMARY KEY,
    saved_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS read_state (
    root INTEGER PRIMARY KEY,
    opened_at REAL NOT NULL,
    comment_count INTEGER NOT NULL,
    seen BLOB NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
    title, body, author, tokenize = 'unicode61 remove_diacritics 2'
);
"""
# Version 3: small settings the app remembers (the story list hidden, ...) and saves asked
# for but not finished, so a quit in the middle of one resumes it at the next start.
SCHEMA_V3 = """
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_saves (
    root INTEGER PRIMARY KEY,
    asked_at REAL NOT NULL
);
"""
ROOT_TYPES = ("story", "job", "poll")
# bm25 weights for (title, body, author): a title hit outranks a mention deep in a comment.
_BM25 = "bm25(search_text, 10.0, 1.0, 5.0)"
_SNIPPET = "snippet(search_text, -1, '', '', '…', 24)"


class CacheError(Exception):
    """A cache write that did not happen; the message is the reason, for the user."""


def write_failure(exc: sqlite3.Error) -> str:
    """Why a write failed, in the user's words."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return "the cache is locked by another hnterm"
    if name.startswith("SQLITE_FULL") or "full" in text:
        return f"the disk is full ({text})"
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return "the cache is read-only"
    return text


@dataclass(frozen=True)
class Cached:
    """A cached item and when it was fetched (epoch seconds)."""

    item: Item
    fetched: float


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
    rank: float  # bm25: lower is better; 0.0 for author-only searches (newest first)


@dataclass(frozen=True)
class CacheStats:
    """What the cache holds, for ``hnterm cache`` and a status screen."""

    path: Path | None
    file_bytes: int  # the database file plus its WAL
    items: int
    stories: int  # stories, jobs and polls
    comments: int  # comments and poll options
    threads: int  # threads with a completed load
    saved_threads: int
    read_stories: int
    lists: int
    oldest_fetch: float | None
    newest_fetch: float | None


class Cache:
    """Items, threads, story lists, saved threads and read state in one SQLite file."""

    def __init__(self, directory: Path | None, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        """Open (creating or upgrading) the cache in ``directory``; ``None`` keeps it in memory.

        ``busy_timeout``: how long a write waits for another hnterm process's transaction
        before it fails with "the cache is locked by another hnterm"."""
        self.problem: str | None = None
        # Set when the file could only be opened for reading (a read-only folder or file):
        # reads work, every write raises CacheError("the cache is read-only").
        self.read_only = False
        self.busy_timeout = busy_timeout
        self.path = directory / DB_NAME if directory is not None else None
        self.db = self._connect()

    # -- opening, damage and schema -------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    db = self._open_waiting(self.path)
                except sqlite3.DatabaseError as exc:
                    if _is_read_only(exc) and self.path.is_file():
                        return self._open_read_only(self.path)
                    if not _is_damage(exc):
                        raise
                    moved = _move_aside(self.path)
                    self.problem = _damage_message(moved)
                    return self._open(self.path)
                if not os.access(self.path, os.W_OK):  # opened, but SQLite cannot write it
                    self._read_only_mode()
                return db
            except (OSError, sqlite3.Error) as exc:
                self.problem = f"cache unavailable ({exc}); nothing will be kept"
                self.path = None
        return self._open(":memory:")

    def _open_waiting(self, path: Path) -> sqlite3.Connection:
        """_open, retried while another process holds the file: switching a new file to WAL
        mode fails at once with 'database is locked' instead of waiting like other locks."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                return self._open(path)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _open(self, target: Path | str) -> sqlite3.Connection:
        db = sqlite3.connect(target, timeout=self.busy_timeout, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")  # the first read: garbage files fail here
            db.execute("PRAGMA synchronous=NORMAL")
            # A big write (a prune, a migration) must not leave a WAL file that size for good.
            db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT}")
            self._migrate(db)
            # Touch both ends of the big b-trees: a truncated file fails here, not mid-read.
            db.execute("SELECT min(id), max(id) FROM items").fetchone()
            db.execute("SELECT max(rowid) FROM search_text").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _open_read_only(self, path: Path) -> sqlite3.Connection:
        """Open a file SQLite cannot write, for reading: ``mode=ro`` (which still needs the
        WAL index, ``-shm``, to exist or be creatable), else ``immutable=1`` (no locks, no
        WAL index; what is only in a ``-wal`` file is not seen, but the rest is)."""
        uri = path.absolute().as_uri()
        error: sqlite3.Error | None = None
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                db = sqlite3.connect(
                    uri + query, uri=True, timeout=self.busy_timeout, isolation_level=None
                )
            except sqlite3.Error as exc:
                error = exc
                continue
            try:
                # No migration (it would be a write); touch the b-trees as _open does.
                db.execute("SELECT min(id), max(id) FROM items").fetchone()
                db.execute("SELECT max(rowid) FROM search_text").fetchone()
            except sqlite3.Error as exc:
                db.close()
                error = exc
                continue
            self._read_only_mode()
            return db
        assert error is not None
        raise error

    def _read_only_mode(self) -> None:
        self.read_only = True
        self.problem = (
            f"the cache at {self.path} is read-only: reading it, but nothing new will be kept"
        )

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Bring the schema to SCHEMA_VERSION in one transaction; old caches keep their data."""
        if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        db.execute("BEGIN IMMEDIATE")  # another process may be migrating: wait, then re-read
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                self.problem = (
                    f"this cache was made by a newer hnterm (schema {version}); "
                    "using it as far as this version understands it"
                )
            elif version < SCHEMA_VERSION:
                # Each step brings one version to the next; one statement at a time, as
                # executescript() would commit half-way.
                if version < 2:
                    for statement in _statements(SCHEMA_V1 + SCHEMA_V2):
                        db.execute(statement)
                    if version >= 1 or _has_rows(db, "items"):
                        _index_existing(db)
                if version < 3:
                    for statement in _statements(SCHEMA_V3):
                        db.execute(statement)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _damaged(self, exc: sqlite3.Error) -> bool:
        """If ``exc`` says the file is damaged, move it aside and start afresh; True if so."""
        if not _is_damage(exc) or self.path is None:
            return False
        self.db.close()
        try:
            moved = _move_aside(self.path)
        except OSError as error:
            self.path = None
            self.db = self._open(":memory:")
            self.problem = f"the cache file is damaged and could not be moved aside ({error})"
            return True
        self.problem = None
        self.db = self._connect()
        reopened = f"; {self.problem}" if self.problem else ""
        self.problem = _damage_message(moved) + reopened
        return True

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self.db.execute("PRAGMA optimize")
        self.db.close()

    def check(self) -> str:
        """``PRAGMA integrity_check``: 'ok', or what is wrong (reads the whole file)."""
        rows = self._read("PRAGMA integrity_check")
        return "\n".join(str(row[0]) for row in rows) if rows else "check failed"

    # -- transactions ---------------------------------------------------------------------
    @contextmanager
    def _transaction(self, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction; ``durable`` also syncs the WAL to disk at commit."""
        db = self.db
        if durable:
            db.execute("PRAGMA synchronous=FULL")
        try:
            self._begin()
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        finally:
            if durable:
                db.execute("PRAGMA synchronous=NORMAL")

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, polling every millisecond while another process writes.

        SQLite's own busy handler backs off to 100 ms naps, so a busy writer next door can
        keep this one out for seconds; short polls slip into the gaps between its writes.
        The wait is bounded by the connection's busy timeout, as SQLite's would be.
        """
        db = self.db
        timeout = db.execute("PRAGMA busy_timeout").fetchone()[0] / 1000
        if timeout <= 0:
            db.execute("BEGIN IMMEDIATE")
            return
        deadline = time.monotonic() + timeout
        db.execute("PRAGMA busy_timeout=0")
        try:
            while True:
                try:
                    db.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc) or time.monotonic() > deadline:
                        raise
                time.sleep(0.001)
        finally:
            db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")

    def _write(self, action: Callable[[sqlite3.Connection], T], *, durable: bool = False) -> T:
        """Run ``action`` in a transaction. A failure is remembered in ``problem`` and raised
        as ``CacheError`` with a reason for the user: a write never fails silently."""
        if self.read_only:  # said once in ``problem`` when opened
            raise CacheError("the cache is read-only")
        try:
            with self._transaction(durable) as db:
                return action(db)
        except sqlite3.Error as exc:
            reason = write_failure(exc)
            if not self._damaged(exc):
                self.problem = f"cache write failed: {reason}"
            raise CacheError(reason) from exc

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            if not self._damaged(exc):
                self.problem = f"cache read failed: {exc}"
            return []

    def _read_in(self, sql: str, ids: Iterable[int]) -> list[tuple[Any, ...]]:
        """``sql`` with ``{marks}`` standing for a list of ids, run in chunks."""
        wanted = list(ids)
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(wanted), CHUNK):
            chunk = tuple(wanted[start : start + CHUNK])
            rows += self._read(sql.format(marks=",".join("?" * len(chunk))), chunk)
        return rows

    # -- items ----------------------------------------------------------------------------
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
        self._write(lambda db: _put_items(db, batch, root, now))

    def get(self, item_id: int) -> Cached | None:
        rows = self._read("SELECT json, fetched FROM items WHERE id = ?", (item_id,))
        return _decode(item_id, *rows[0]) if rows else None

    def root_of(self, item_id: int) -> int | None:
        """The thread a cached item was loaded under, so a comment id opens its story."""
        rows = self._read("SELECT root FROM items WHERE id = ?", (item_id,))
        return rows[0][0] if rows else None

    def thread(self, root: int) -> list[Cached]:
        """Every cached item of a thread, the root included."""
        rows = self._read(
            "SELECT id, json, fetched FROM items WHERE root = ? OR id = ?", (root, root)
        )
        decoded = (_decode(item_id, text, fetched) for item_id, text, fetched in rows)
        return [entry for entry in decoded if entry is not None]

    def get_many(self, ids: Iterable[int]) -> dict[int, Cached]:
        """Cached items among ``ids`` (for a page of the story list)."""
        found: dict[int, Cached] = {}
        for item_id, text, fetched in self._read_in(
            "SELECT id, json, fetched FROM items WHERE id IN ({marks})", ids
        ):
            entry = _decode(item_id, text, fetched)
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

    def add_pending_save(self, root: int) -> None:
        """Remember that a save of ``root`` was asked for (durable: it outlives a quit)."""
        row = (root, time.time())
        self._write(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO pending_saves (root, asked_at) VALUES (?, ?)", row
            ),
            durable=True,
        )

    def remove_pending_save(self, root: int) -> None:
        self._write(
            lambda db: db.execute("DELETE FROM pending_saves WHERE root = ?", (root,)),
            durable=True,
        )

    def pending_saves(self) -> list[int]:
        """Saves asked for and never finished, oldest first."""
        rows = self._read("SELECT root FROM pending_saves ORDER BY asked_at, root")
        return [root for (root,) in rows]

    # -- settings -------------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str) -> None:
        self._write(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value)
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

    # -- search ---------------------------------------------------------------------------
    def search(self, query: str, limit: int = 50, time_limit: float = 2.0) -> list[SearchHit]:
        """Full-text search of everything cached; see ``parse_query`` for the syntax.

        Never raises on user input: an unusable query finds nothing.
        """
        parsed = parse_query(query)
        if parsed.empty:
            return []
        limit = max(1, min(int(limit), 1000))
        authors = [a.lower() for a in parsed.authors]
        not_authors = [a.lower() for a in parsed.excluded_authors]
        author_sql = ""
        if authors:
            author_sql += f" AND lower(author) IN ({','.join('?' * len(authors))})"
        if not_authors:
            author_sql += (
                f" AND coalesce(lower(author), '') NOT IN ({','.join('?' * len(not_authors))})"
            )
        expression = fts_expression(parsed)
        if parsed.phrases:
            sql = (
                f"SELECT rowid, title, author, body, {_SNIPPET}, {_BM25} FROM search_text "
                f"WHERE search_text MATCH ?{author_sql} ORDER BY {_BM25} LIMIT ?"
            )
        else:  # authors only: everything they wrote, newest first
            sql = (
                "SELECT rowid, title, author, body, '', 0.0 FROM search_text "
                f"WHERE search_text MATCH ?{author_sql} ORDER BY rowid DESC LIMIT ?"
            )
        deadline = time.monotonic() + time_limit
        # Checked every few thousand SQLite steps: a query past its time ends with
        # 'interrupted' instead of holding the connection for minutes.
        self.db.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            rows = self.db.execute(sql, (expression, *authors, *not_authors, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                return []  # past its time, or replaced by a newer query (``interrupt``)
            if not self._damaged(exc) and "fts5" not in str(exc):
                self.problem = f"cache search failed: {exc}"
            return []
        except sqlite3.Error as exc:
            if not self._damaged(exc):
                self.problem = f"cache search failed: {exc}"
            return []
        finally:
            self.db.set_progress_handler(None, 0)
        return self._hits(rows)

    def interrupt(self) -> None:
        """Stop the statement running on this connection (callable from any thread)."""
        self.db.interrupt()

    def _hits(self, rows: list[tuple[Any, ...]]) -> list[SearchHit]:
        stored = {
            item_id: (root, text)
            for item_id, root, text in self._read_in(
                "SELECT id, root, json FROM items WHERE id IN ({marks})", (r[0] for r in rows)
            )
        }
        items: dict[int, tuple[Item, int | None]] = {}
        for item_id, (root, text) in stored.items():
            entry = _decode(item_id, text, 0.0)
            if entry is not None:
                items[item_id] = (entry.item, root)
        roots = {root for _, root in items.values() if root is not None}
        titles = {
            item_id: entry.item.title
            for item_id, entry in self.get_many(roots - items.keys()).items()
        }
        titles.update((i, item.title) for i, (item, _) in items.items() if item.is_root)
        hits = []
        for item_id, title, author, body, snippet, rank in rows:
            if item_id not in items:
                continue  # an index entry whose item is gone
            item, root = items[item_id]
            thread_title = titles.get(root) if root is not None else None
            shown = snippet or body or title or ""
            hits.append(
                SearchHit(
                    item_id=item_id,
                    root=root,
                    by=sanitize(author) if author else None,
                    time=item.time,
                    type=item.type,
                    title=_one_line(thread_title or title) or None,
                    snippet=_one_line(shown)[:300],
                    rank=float(rank),
                )
            )
        return hits

    # -- size and housekeeping ------------------------------------------------------------
    def file_bytes(self) -> int:
        """Bytes on disk: the database file plus its write-ahead log."""
        if self.path is None:
            return 0
        total = 0
        for path in (self.path, _sibling(self.path, "-wal")):
            with suppress(OSError):
                total += path.stat().st_size
        return total

    def stats(self) -> CacheStats:
        """Counts and sizes (one pass over the items table)."""
        kinds: dict[str, int] = dict(
            self._read("SELECT json_extract(json, '$.type'), count(*) FROM items GROUP BY 1")
        )
        span = self._read("SELECT min(fetched), max(fetched) FROM items")
        oldest, newest = span[0] if span else (None, None)

        def count(table: str) -> int:
            rows = self._read(f"SELECT count(*) FROM {table}")
            return int(rows[0][0]) if rows else 0

        return CacheStats(
            path=self.path,
            file_bytes=self.file_bytes(),
            items=sum(kinds.values()),
            stories=sum(kinds.get(kind, 0) for kind in ROOT_TYPES),
            comments=kinds.get("comment", 0) + kinds.get("pollopt", 0),
            threads=count("threads"),
            saved_threads=count("saved"),
            read_stories=count("read_state"),
            lists=count("lists"),
            oldest_fetch=oldest,
            newest_fetch=newest,
        )

    def enforce_cap(self, max_bytes: int | None) -> int:
        """Prune down to ``max_bytes`` if the file is over it (cheap when it is not)."""
        if not max_bytes or max_bytes <= 0 or self.file_bytes() <= max_bytes:
            return 0
        return self.prune(max_bytes=max_bytes)

    def prune(
        self,
        older_than: float | None = None,
        max_bytes: int | None = None,
        *,
        now: float | None = None,
    ) -> int:
        """Remove unsaved threads, whole, and return how many items went.

        ``older_than``: threads not fetched or opened for that many seconds (and read state
        of unsaved stories not opened for as long). ``max_bytes``: least recently used
        threads until the file fits in 90% of it, so the next start has nothing to do.
        Saved threads and story lists are never removed; read state survives size pruning.
        """
        now = time.time() if now is None else now
        removed = 0
        if older_than is not None:
            cutoff = now - older_than
            doomed = [g for g, used, _ in self._thread_usage() if used < cutoff]
            removed += self._remove_threads(doomed, read_before=cutoff)
        if max_bytes is not None and max_bytes > 0:
            for _ in range(3):  # the size estimate is approximate: measure and go again
                size = self.file_bytes()
                if size <= max_bytes:
                    break
                gone = self._remove_threads(self._over_cap(size, int(max_bytes * 0.9)))
                removed += gone
                self._compact(force=True)
                if not gone:
                    break
        if removed:
            self._compact()
        return removed

    def clear(self, keep_saved: bool = True) -> int:
        """Empty the cache (but for saved threads and their read state, if ``keep_saved``)."""
        groups = [g for g, _, _ in self._thread_usage(include_saved=not keep_saved)]

        def write(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM lists")
            if keep_saved:
                db.execute("DELETE FROM threads WHERE root NOT IN (SELECT root FROM saved)")
                db.execute("DELETE FROM read_state WHERE root NOT IN (SELECT root FROM saved)")
            else:
                for table in ("threads", "read_state", "saved"):
                    db.execute(f"DELETE FROM {table}")

        removed = self._remove_threads(groups)
        self._write(write, durable=True)
        self._compact(force=True)
        return removed

    def _thread_usage(self, include_saved: bool = False) -> list[tuple[int, float, int]]:
        """(thread, last used, bytes of JSON) for every thread, least recently used first.

        A thread is its root's items; a comment cached without a known thread stands alone.
        Last used is the latest of its fetches, its whole-thread refresh and its opening.
        """
        rows = self._read(
            "SELECT g, max(used), sum(size) FROM ("
            " SELECT coalesce(root, id) AS g, fetched AS used, length(json) AS size FROM items"
            " UNION ALL SELECT root, refreshed, 0 FROM threads"
            " UNION ALL SELECT root, opened_at, 0 FROM read_state)"
            " WHERE g NOT IN (SELECT root FROM saved) OR ?"
            " GROUP BY g HAVING sum(size) > 0 ORDER BY 2, 1",
            (include_saved,),
        )
        return [(g, used, size) for g, used, size in rows]

    def _over_cap(self, size: int, target: int) -> list[int]:
        """Least recently used threads whose removal brings ``size`` down to ``target``."""
        usage = self._thread_usage()
        stored = self._read("SELECT coalesce(sum(length(json)), 0) FROM items")
        total = stored[0][0] if stored else 0
        if not usage or not total:
            return []
        per_byte = size / total  # file bytes per byte of item JSON: indexes, FTS, free pages
        doomed = []
        for g, _, json_bytes in usage:
            if size <= target:
                break
            doomed.append(g)
            size -= int(json_bytes * per_byte)
        return doomed

    def _remove_threads(self, groups: list[int], read_before: float | None = None) -> int:
        """Delete the items (and their search entries) of ``groups`` in one transaction."""
        if not groups and read_before is None:
            return 0

        def write(db: sqlite3.Connection) -> int:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS doomed (g INTEGER PRIMARY KEY)")
            db.execute("DELETE FROM doomed")
            db.executemany("INSERT OR IGNORE INTO doomed VALUES (?)", ((g,) for g in groups))
            where = (
                "(root IN (SELECT g FROM doomed)"
                " OR (root IS NULL AND id IN (SELECT g FROM doomed)))"
            )
            db.execute(
                f"DELETE FROM search_text WHERE rowid IN (SELECT id FROM items WHERE {where})"
            )
            gone = db.execute(f"DELETE FROM items WHERE {where}").rowcount
            db.execute("DELETE FROM threads WHERE root IN (SELECT g FROM doomed)")
            if read_before is not None:
                db.execute(
                    "DELETE FROM read_state WHERE opened_at < ? "
                    "AND root NOT IN (SELECT root FROM saved)",
                    (read_before,),
                )
            db.execute("DELETE FROM doomed")
            return gone

        return self._write(write)

    def _compact(self, force: bool = False) -> None:
        """VACUUM when a quarter of the file (or ``force``) is free pages; best effort."""
        rows = self._read("SELECT * FROM pragma_page_count, pragma_freelist_count")
        if not rows:
            return
        pages, free = rows[0]
        if not free or (not force and free * 4 < pages):
            return
        try:
            # Deleted rows stay in the FTS index as tombstones until its segments are merged.
            with self._transaction() as db:
                db.execute("INSERT INTO search_text (search_text) VALUES ('optimize')")
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:  # e.g. another process is reading: try another time
            self._damaged(exc)


# -- item writes -----------------------------------------------------------------------------
def _put_items(db: sqlite3.Connection, batch: list[Item], root: int | None, now: float) -> None:
    """Upsert ``batch`` and re-index the items whose searchable words changed."""
    ids = [item.id for item in batch]
    old: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        old.update(db.execute(f"SELECT id, json FROM items WHERE id IN ({marks})", chunk))
    rows = []
    reindex: list[Item] = []
    for item in batch:
        text = _dump(item)
        rows.append((item.id, _root(item, root), text, now))
        before = old.get(item.id)
        if before != text and (before is None or _words_changed(before, item)):
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
            [row for row in map(_search_row, reindex) if row is not None],
        )


def _words_changed(before: str, item: Item) -> bool:
    """Whether the title, text or author differ from the stored JSON (kids and score don't
    matter to search, and re-rendering HTML is the costly part of a write)."""
    try:
        old = json.loads(before)
    except ValueError:
        return True
    if not isinstance(old, dict):
        return True
    return (old.get("title"), old.get("text"), old.get("by")) != (item.title, item.text, item.by)


def _search_row(item: Item) -> tuple[int, str | None, str, str | None] | None:
    """What the search index holds for an item; nothing for a deleted, empty one."""
    body = html_to_plain(item.text) if item.text else ""
    title = sanitize(item.title) if item.title else None
    if not (title or body or item.by):
        return None
    return (item.id, title, body, item.by)


def _index_existing(db: sqlite3.Connection) -> None:
    """Index every item of a version-1 cache (part of the migration transaction)."""
    db.execute("DELETE FROM search_text")
    cursor = db.execute("SELECT id, json FROM items")
    while rows := cursor.fetchmany(CHUNK):
        index_rows = []
        for item_id, text in rows:
            entry = _decode(item_id, text, 0.0)
            row = _search_row(entry.item) if entry is not None else None
            if row is not None:
                index_rows.append(row)
        db.executemany(
            "INSERT INTO search_text (rowid, title, body, author) VALUES (?, ?, ?, ?)",
            index_rows,
        )


def _decode(item_id: int, text: str, fetched: float) -> Cached | None:
    try:
        item = parse_item(json.loads(text), expected_id=item_id)
    except ValueError:
        return None
    return Cached(item, fetched) if item is not None else None


def _root(item: Item, root: int | None) -> int | None:
    if root is not None:
        return root
    return item.id if item.is_root else None


def _dump(item: Item) -> str:
    return json.dumps(item_to_json(item), separators=(",", ":"))


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _has_rows(db: sqlite3.Connection, table: str) -> bool:
    return db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None


# -- damage ----------------------------------------------------------------------------------
def _is_damage(exc: BaseException) -> bool:
    """True for 'file is not a database' and 'database disk image is malformed' errors."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return True
    text = str(exc)
    return "malformed" in text or "not a database" in text


def _is_read_only(exc: sqlite3.Error) -> bool:
    """True when SQLite cannot write the file or make its journal (a read-only folder or
    file): 'attempt to write a readonly database', 'unable to open database file'."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
        return True
    text = str(exc)
    return "readonly" in text or "unable to open" in text


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    """True for 'database is locked': another connection holds the lock we need."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _move_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) to ``<name>.corrupt-<time>``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = _sibling(path, f".corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = _sibling(path, f".corrupt-{stamp}-{n}")
    for suffix in ("-wal", "-shm", ""):
        source = _sibling(path, suffix)
        if source.exists():
            os.replace(source, _sibling(target, suffix))
    return target


def _damage_message(moved: Path) -> str:
    return f"the cache file was damaged; it was moved to {moved} and a new cache started"


# -- queries ---------------------------------------------------------------------------------
# A token: optional '-', optional 'by:'/'author:', then a "quoted phrase" (closing quote
# optional) or a bare word.
def _one_line(text: str | None) -> str:
    return " ".join(sanitize(text).split()) if text else ""
