"""Keeping the cache in bounds: its size and counts, pruning, clearing and compacting."""

from __future__ import annotations

import sqlite3
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from hnterm.storage.connection import _sibling
from hnterm.storage.repository import Repository

ROOT_TYPES = ("story", "job", "poll")


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


class Housekeeping(Repository):
    """Size, pruning and compaction."""

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
                db.execute("DELETE FROM articles WHERE story NOT IN (SELECT root FROM saved)")
            else:
                for table in ("threads", "read_state", "saved", "articles"):
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
            db.execute("DELETE FROM articles WHERE story IN (SELECT g FROM doomed)")
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
