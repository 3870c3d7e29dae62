"""Drafts of replies, kept in the cache file as they are typed so nothing is ever lost.

One draft per comment being answered (``parent``): saved on every pause in typing, kept when
a submit fails, the network is down, or hnterm quits or crashes, and deleted only once HN has
taken the reply. ``hnterm drafts`` lists them; opening that comment's reply offers it again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from hnterm.storage.connection import Connection

# The table is made by schema step 5 (``migrations.SCHEMA_V5``).


@dataclass(frozen=True)
class Draft:
    parent: int
    root: int
    text: str
    updated: float
    error: str | None = None  # why the last submit did not go through


class Drafts(Connection):
    """Reads and writes of reply drafts."""

    def put_draft(self, parent: int, root: int, text: str, error: str | None = None) -> None:
        """Keep (or replace) the draft answering ``parent``; an empty one is dropped. The
        last submit's ``error`` stays while the text is unchanged (reopened and closed)."""
        if not text.strip():
            self.delete_draft(parent)
            return
        self._write(
            lambda db: db.execute(
                "INSERT INTO drafts (parent, root, text, updated, error) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (parent) DO UPDATE SET root = excluded.root, "
                "text = excluded.text, updated = excluded.updated, error = CASE "
                "WHEN drafts.text = excluded.text THEN coalesce(excluded.error, drafts.error) "
                "ELSE excluded.error END",
                (parent, root, text, time.time(), error),
            ),
            durable=True,
        )

    def draft(self, parent: int) -> Draft | None:
        rows = self._read(
            "SELECT parent, root, text, updated, error FROM drafts WHERE parent = ?", (parent,)
        )
        return Draft(*rows[0]) if rows else None

    def drafts(self) -> list[Draft]:
        """Every draft, the newest first."""
        rows = self._read(
            "SELECT parent, root, text, updated, error FROM drafts ORDER BY updated DESC"
        )
        return [Draft(*row) for row in rows]

    def delete_draft(self, parent: int) -> None:
        self._write(lambda db: db.execute("DELETE FROM drafts WHERE parent = ?", (parent,)))
