"""Full-text search of everything cached (SQLite FTS5), with a time limit per query.

An FTS5 table holds each item's title, plain text and author under the item id, kept in step
with ``items`` by ``put_items`` in the same transaction (see ``records``).
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from hnterm.model.hits import SearchHit
from hnterm.model.items import Item
from hnterm.model.query import parse_query
from hnterm.render.text import one_line, sanitize
from hnterm.storage.query import fts_expression
from hnterm.storage.records import decode
from hnterm.storage.repository import Repository

# bm25 weights for (title, body, author): a title hit outranks a mention deep in a comment.
_BM25 = "bm25(search_text, 10.0, 1.0, 5.0)"
_SNIPPET = "snippet(search_text, -1, '', '', '…', 24)"


class Search(Repository):
    """Searching the index."""

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
            entry = decode(item_id, text, 0.0)
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
                    title=one_line(thread_title or title) or None,
                    snippet=one_line(shown)[:300],
                    rank=float(rank),
                )
            )
        return hits
