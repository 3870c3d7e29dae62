"""User profiles and their submissions, from the network or the cache (no Textual).

A profile is fetched when online and kept in the cache, so it reads offline later; the network
failing falls back to the cached copy, and says so. Submissions come a page at a time from the
profile's ``submitted`` ids (newest first); each comment is shown under its story's title, found
by walking up its parents (cache first), which also caches the chain for opening it later.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from hnterm.model.items import Item
from hnterm.model.users import User, is_username
from hnterm.net.client import HNError, NetworkError
from hnterm.render.text import html_to_plain, one_line
from hnterm.services.source import Source
from hnterm.storage.cache import Cache

SUBMISSIONS_PAGE = 20
MAX_DEPTH = 100  # a parent chain longer than any real thread is a cycle


@dataclass(frozen=True)
class Profile:
    """A profile, where it came from, and why the network was not used (if it was not)."""

    user: User | None
    from_cache: bool
    fetched: float | None = None
    note: str | None = None  # one line for the user: offline, unreachable, not found


@dataclass(frozen=True)
class Submission:
    """One submitted item and the story it belongs to (itself, for a story)."""

    item_id: int
    item: Item | None  # None: not cached and could not be fetched
    story: Item | None


async def load_profile(source: Source, name: str) -> Profile:
    """``name``'s profile from the network, else the cache; never raises for bad input."""
    name = name.strip()
    if not is_username(name):
        return Profile(None, from_cache=False, note=f"not an HN username: {name[:40]!r}")
    note = "offline mode"
    if source.client is not None:
        try:
            user = await source.client.user(name)
        except HNError as exc:
            source.network_down |= isinstance(exc, NetworkError)
            note = f"network: {exc}"
        else:
            source.network_down = False
            if user is None:
                return Profile(None, from_cache=False, note=f"no HN user {name!r}")
            await source.keep(Cache.put_user, user)
            return Profile(user, from_cache=False)
    cached = await source.worker.run(Cache.get_user, name)
    if cached is None:
        return Profile(None, from_cache=True, note=f"{note}; {name!r} is not in the cache")
    return Profile(cached.user, from_cache=True, fetched=cached.fetched, note=note)


async def load_submissions(source: Source, ids: list[int]) -> list[Submission]:
    """The items ``ids`` (one page of ``submitted``), each with its story, in order."""
    items = await asyncio.gather(*(_item(source, item_id) for item_id in ids))
    stories = await asyncio.gather(*(_story_of(source, item) for item in items))
    return [
        Submission(item_id, item, story)
        for item_id, item, story in zip(ids, items, stories, strict=True)
    ]


async def _story_of(source: Source, item: Item | None) -> Item | None:
    """The story at the top of ``item``'s parent chain (cache first, then the network)."""
    current = item
    for _ in range(MAX_DEPTH):
        if current is None or current.parent is None or current.is_root:
            return current
        current = await _item(source, current.parent)
    return None


async def _item(source: Source, item_id: int) -> Item | None:
    """An item for a profile page (cache first, see ``Source.item``); one that cannot be
    had is shown as missing rather than failing the page."""
    try:
        return await source.item(item_id)
    except HNError:
        return None


def submission_lines(sub: Submission) -> tuple[str, str]:
    """A submission as two plain, sanitised lines: its story's title (a comment says "on"
    it), then its text or link; shared by ``hnterm user`` and the profile screen."""
    item = sub.item
    if item is None:
        return f"item {sub.item_id}", "(not cached; offline)"
    gone = " [deleted]" if item.deleted else " [dead]" if item.dead else ""
    if item.is_root:
        title = one_line(item.title) or f"{item.type} {item.id}"
        detail = item.url or one_line(html_to_plain(item.text))
        return f"{title}{gone}", one_line(detail)[:300]
    story = sub.story
    on = one_line(story.title) if story is not None and story.title else "a story not found"
    return f"comment on: {on}{gone}", one_line(html_to_plain(item.text))[:300]
