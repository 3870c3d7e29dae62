"""Drafts of replies, kept in the cache file as they are typed so nothing is ever lost.

One draft per comment being answered (``parent``): saved on every pause in typing, kept when
a submit fails, the network is down, or hnterm quits or crashes, and deleted only once HN has
taken the reply. ``hnterm drafts`` lists them; opening that comment's reply offers it again.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from hnterm.storage.connection import Connection

# The table is made by schema step 5 and keyed by (parent, account) since step 7
# (``migrations.SCHEMA_V7``): a draft belongs to the account that wrote it; '' marks one kept
# before accounts were told apart, offered to whichever account answers that comment.
_COLUMNS = "parent, root, text, updated, error, account"


@dataclass(frozen=True)
class Draft:
    parent: int
    root: int
    text: str
    updated: float
    error: str | None = None  # why the last submit did not go through
    account: str = ""  # who wrote it ('' : before accounts were told apart)


class Drafts(Connection):
    """Reads and writes of reply drafts."""

    def put_draft(
        self, parent: int, root: int, text: str, error: str | None = None, account: str = ""
    ) -> None:
        """Keep (or replace) ``account``'s draft answering ``parent``; an empty one is dropped.
        The last submit's ``error`` stays while the text is unchanged (reopened and closed).
        A draft of the same comment from before accounts becomes this account's."""
        if not text.strip():
            self.delete_draft(parent, account)
            return

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO drafts (parent, account, root, text, updated, error) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (parent, account) DO UPDATE SET root = excluded.root, "
                "text = excluded.text, updated = excluded.updated, error = CASE "
                "WHEN drafts.text = excluded.text THEN coalesce(excluded.error, drafts.error) "
                "ELSE excluded.error END",
                (parent, account, root, text, time.time(), error),
            )
            if account:
                db.execute("DELETE FROM drafts WHERE parent = ? AND account = ''", (parent,))

        self._write(write, durable=True)

    def draft(self, parent: int, account: str | None = None) -> Draft | None:
        """``account``'s draft answering ``parent``, else one from before accounts; with no
        ``account``, the newest of anyone's."""
        if account is None:
            rows = self._read(
                f"SELECT {_COLUMNS} FROM drafts WHERE parent = ? ORDER BY updated DESC LIMIT 1",
                (parent,),
            )
        else:
            rows = self._read(
                f"SELECT {_COLUMNS} FROM drafts WHERE parent = ? AND account IN (?, '') "
                "ORDER BY account = '' LIMIT 1",
                (parent, account),
            )
        return Draft(*rows[0]) if rows else None

    def drafts(self) -> list[Draft]:
        """Every draft, of every account, the newest first."""
        rows = self._read(f"SELECT {_COLUMNS} FROM drafts ORDER BY updated DESC")
        return [Draft(*row) for row in rows]

    def delete_draft(self, parent: int, account: str = "") -> None:
        """Drop ``account``'s draft answering ``parent`` (and one from before accounts)."""
        self._write(
            lambda db: db.execute(
                "DELETE FROM drafts WHERE parent = ? AND account IN (?, '')", (parent, account)
            )
        )
