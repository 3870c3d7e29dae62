"""User profiles in the cache: one row per name with its fetch time, so a profile read once
opens offline (the ``users`` table of schema step 4)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from hnterm.model.users import User, parse_user, user_to_json
from hnterm.storage.repository import Repository


@dataclass(frozen=True)
class CachedUser:
    """A cached profile and when it was fetched (epoch seconds)."""

    user: User
    fetched: float


class Profiles(Repository):
    """Reads and writes of user profiles."""

    def put_user(self, user: User, fetched: float | None = None) -> None:
        row = (
            user.id,
            json.dumps(user_to_json(user), separators=(",", ":")),
            time.time() if fetched is None else fetched,
        )
        self._write(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO users (name, json, fetched) VALUES (?, ?, ?)", row
            )
        )

    def get_user(self, name: str) -> CachedUser | None:
        """The cached profile of ``name`` (any case), or None; a damaged row is None too."""
        rows = self._read("SELECT name, json, fetched FROM users WHERE name = ?", (name,))
        if not rows:
            return None
        stored, text, fetched = rows[0]
        try:
            user = parse_user(json.loads(text), expected=stored)
        except ValueError:
            return None
        return CachedUser(user, fetched) if user is not None else None
