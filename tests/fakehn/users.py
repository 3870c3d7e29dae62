"""User records for the fake API, built from the fixture threads.

The fixtures hold items only, no user records: the profile fields here (karma, created, about)
are made up for the tests; ``submitted`` lists the author's real item ids from the fixtures,
newest first, as Firebase does.
"""

from __future__ import annotations

from typing import Any


def fixture_user(items: dict[int, dict], name: str, **fields: Any) -> dict[str, Any]:
    """A Firebase-shaped user record for ``name`` with their fixture items as ``submitted``."""
    mine = (item_id for item_id, item in items.items() if item and item.get("by") == name)
    submitted = sorted(mine, reverse=True)
    record: dict[str, Any] = {
        "id": name,
        "created": 1_300_000_000,
        "karma": 4321,
        "about": 'Made-up profile for tests. <i>Writes</i> about <a href="https://example.com/x">x</a>.',
        "submitted": submitted,
    }
    record.update(fields)
    return record


def add_fixture_users(server: Any, *names: str, **fields: Any) -> dict[str, dict[str, Any]]:
    """Serve a made-up profile for each of ``names`` from ``server`` (a ``FakeHN``)."""
    for name in names:
        server.users[name] = fixture_user(server.items, name, **fields)
    return {name: server.users[name] for name in names}


def replies_to(items: dict[int, dict], name: str) -> list[int]:
    """The ids of the live replies to ``name``'s items, newest first (what ``hnterm replies``
    lists when it looks at all of their submissions)."""
    mine = {item_id for item_id, item in items.items() if item and item.get("by") == name}
    replies = [
        item
        for item in items.values()
        if item and item.get("parent") in mine and not item.get("deleted") and not item.get("dead")
    ]
    replies.sort(key=lambda item: (item.get("time") or 0, item["id"]), reverse=True)
    return [item["id"] for item in replies]
