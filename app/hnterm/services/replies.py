"""Replies to a user's recent stories and comments, from the Firebase API (no Textual).

HN sends no notices, so replies are found the way the site's own "threads" page shows them:
the user's ``submitted`` ids (newest first, the last ``limit`` of them), each item fetched
fresh for its ``kids``, and those kids fetched too. Everything fetched goes to the cache, and
each check leaves in the cache's settings which replies it saw and when, so the next check
marks the others new and an offline run shows what the cache holds and when it last checked.
Polling is cheap: ``updates.json`` names the items that changed lately, and a check runs
only when one of the user's watched items (or their profile) is among them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, replace

from hnterm.model.errors import CacheError, HNError, NetworkError
from hnterm.model.format import age, plural
from hnterm.model.items import Item
from hnterm.model.users import User, is_username
from hnterm.net.loader import stream_items
from hnterm.render.text import html_to_plain, one_line
from hnterm.services.source import Source
from hnterm.storage.cache import Cache

STATE_KEY = "replies:"  # + the user's name: the last check, in the cache's settings table
DEFAULT_LIMIT = 30  # submissions looked at when the config says nothing


@dataclass(frozen=True)
class Reply:
    """One reply and the item of the user's it answers."""

    item: Item
    parent: Item
    new: bool  # arrived since the last check


@dataclass(frozen=True)
class Replies:
    """A check's outcome: the replies newest first, and where they came from."""

    name: str
    replies: list[Reply]
    checked: float | None  # when the API was last asked (None: never)
    from_cache: bool
    note: str | None = None  # one line: offline, unreachable, not found, items that failed
    watched: frozenset[int] = frozenset()  # the user's items looked at (for ``changed``)
    found: bool = True  # False: no such user, or not in the cache

    @property
    def new_count(self) -> int:
        return sum(reply.new for reply in self.replies)


@dataclass(frozen=True)
class _State:
    checked: float
    seen: frozenset[int]


async def check_replies(
    source: Source,
    name: str,
    *,
    limit: int = DEFAULT_LIMIT,
    since: float | None = None,
    clock: Callable[[], float] = time.time,
) -> Replies:
    """The replies to ``name``'s last ``limit`` submissions (``since``: only those of the
    last so many seconds). From the API when there is one (and the check is remembered),
    else from the cache; never raises for bad input or a failing network."""
    name = name.strip()
    if not is_username(name):
        return Replies(name, [], None, False, f"not an HN username: {name[:40]!r}", found=False)
    now = clock()
    state = await _state(source, name)
    note = "offline mode"
    if source.client is not None:
        try:
            result = await _from_api(source, name, limit, state, now)
        except HNError as exc:
            source.network_down |= isinstance(exc, NetworkError)
            note = f"network: {exc}"
        else:
            return _within(result, since, now)
    return _within(await _from_cache(source, name, limit, state, note), since, now)


async def changed(source: Source, name: str, watched: frozenset[int]) -> bool:
    """Whether ``updates.json`` lists one of the ``watched`` items or ``name``'s profile
    (one request); False when it cannot say (the next poll asks again)."""
    if source.client is None:
        return False
    try:
        updates = await source.client.get_json("updates.json")
    except HNError:
        return False
    if not isinstance(updates, dict):
        return False
    items, profiles = updates.get("items"), updates.get("profiles")
    if isinstance(profiles, list) and name in profiles:
        return True
    return isinstance(items, list) and any(i in watched for i in items if isinstance(i, int))


def reply_lines(reply: Reply) -> tuple[str, str]:
    """A reply as two plain, sanitised lines: its first line, then what it answers."""
    return first_line(reply.item.text), f"on: {item_label(reply.parent)}"


def first_line(html: str | None, width: int = 120) -> str:
    """The first paragraph of a comment's text, on one line, cut to ``width``."""
    text = one_line(html_to_plain(html).strip().split("\n", 1)[0])
    return text if len(text) <= width else text[: width - 1] + "…"


def item_label(item: Item) -> str:
    """The user's item a reply answers: a story's title, or a comment's first line."""
    if item.is_root:
        return one_line(item.title) or f"{item.type} {item.id}"
    return f"comment: {first_line(item.text, 80) or f'item {item.id}'}"


def replies_note(result: Replies, now: float | None = None) -> str:
    """The Replies list's subtitle: how many are new; from the cache, when last checked."""
    parts = [f"{result.new_count} new"] if result.new_count else []
    if result.from_cache:
        when = f"checked {age(int(result.checked), now)}" if result.checked else "never checked"
        parts.append(f"cached copy, {when}")
    return " · ".join(parts)


def new_replies_title(count: int) -> str:
    """What the app's title adds while replies arrived that the list has not shown."""
    return f" · {plural(count, 'new reply', 'new replies')}" if count else ""


# -- the check ------------------------------------------------------------------------------
async def _from_api(
    source: Source, name: str, limit: int, state: _State | None, now: float
) -> Replies:
    assert source.client is not None
    user = await source.client.user(name)
    source.network_down = False
    if user is None:
        return Replies(name, [], None, False, f"no HN user {name!r}", found=False)
    await source.keep(Cache.put_user, user)
    failed: dict[int, str] = {}
    mine = await _fetch(source, list(user.submitted[: max(0, limit)]), failed)
    kids = [kid for item in mine for kid in item.kids]
    answers = await _fetch(source, kids, failed)
    if failed and not mine and not answers:
        raise NetworkError(next(iter(failed.values())))
    replies = _replies(mine, answers, state)
    seen = frozenset(reply.item.id for reply in replies)
    await source.keep(Cache.set_setting, STATE_KEY + name, _dump_state(_State(now, seen)))
    note = f"{len(failed)} item(s) could not be loaded" if failed else None
    return Replies(name, replies, now, False, note, frozenset(i.id for i in mine))


async def _from_cache(
    source: Source, name: str, limit: int, state: _State | None, note: str
) -> Replies:
    """What the cache holds of the same walk, with when the API was last asked."""
    checked = state.checked if state is not None else None
    try:
        cached = await source.worker.run(Cache.get_user, name)
        user: User | None = cached.user if cached is not None else None
        if user is None:
            note = f"{note}; {name!r} is not in the cache"
            return Replies(name, [], checked, True, note, found=False)
        mine = await source.worker.run(_cached_items, list(user.submitted[: max(0, limit)]))
        answers = await source.worker.run(_cached_items, [k for item in mine for k in item.kids])
    except CacheError as exc:
        return Replies(name, [], checked, True, f"{note}; cache: {exc}", found=False)
    watched = frozenset(item.id for item in mine)
    return Replies(name, _replies(mine, answers, state), checked, True, note, watched)


def _cached_items(cache: Cache, ids: list[int]) -> list[Item]:
    found = cache.get_many(ids)
    return [found[i].item for i in ids if i in found]


async def _fetch(source: Source, ids: list[int], failed: dict[int, str]) -> list[Item]:
    """``ids`` fetched fresh (their ``kids`` are what changes), concurrently, and cached."""
    assert source.client is not None
    items: list[Item] = []
    async for batch in stream_items(
        source.client.item, ids, concurrency=source.concurrency, follow=False
    ):
        items += batch.items
        failed.update(batch.failed)
    if items:
        await source.keep(Cache.put_items, items, None)
    return items


def _replies(mine: list[Item], answers: list[Item], state: _State | None) -> list[Reply]:
    """The live replies, newest first; new: not seen by the last check (none on the first)."""
    parents = {item.id: item for item in mine}
    replies = [
        Reply(item, parents[item.parent], state is not None and item.id not in state.seen)
        for item in answers
        if item.parent in parents and not (item.deleted or item.dead)
    ]
    return sorted(replies, key=lambda r: (r.item.time or 0, r.item.id), reverse=True)


def _within(result: Replies, since: float | None, now: float) -> Replies:
    if since is None:
        return result
    cutoff = now - since
    return replace(result, replies=[r for r in result.replies if (r.item.time or 0) >= cutoff])


# -- the last check, in the cache's settings --------------------------------------------
async def _state(source: Source, name: str) -> _State | None:
    with suppress(CacheError):
        return _load_state(await source.worker.run(Cache.setting, STATE_KEY + name))
    return None


def _load_state(text: str | None) -> _State | None:
    """A stored check; None when there is none or it is damaged (then nothing is new)."""
    try:
        raw = json.loads(text) if text else None
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None
    checked, seen = raw.get("checked"), raw.get("seen")
    if not isinstance(checked, int | float) or not isinstance(seen, list):
        return None
    return _State(float(checked), frozenset(i for i in seen if isinstance(i, int)))


def _dump_state(state: _State) -> str:
    return json.dumps({"checked": state.checked, "seen": sorted(state.seen)})


# -- the app's feed -------------------------------------------------------------------------
Check = Callable[[str], Awaitable[Replies]]
Changed = Callable[[str, frozenset[int]], Awaitable[bool]]


class RepliesFeed:
    """The reader's replies for one session: the last check, with the replies that arrived
    since the list was last looked at marked new (they count in the title until then)."""

    def __init__(self, check: Check, changed: Changed) -> None:
        self._check = check
        self._changed = changed
        self.latest: Replies | None = None
        self.unseen: set[int] = set()

    async def refresh(self, name: str) -> Replies:
        """A whole check (at start, and when the list is asked for before any)."""
        result = await self._check(name)
        self.unseen |= {reply.item.id for reply in result.replies if reply.new}
        marked = [replace(reply, new=reply.item.id in self.unseen) for reply in result.replies]
        self.latest = replace(result, replies=marked)
        return self.latest

    async def poll(self, name: str) -> Replies | None:
        """A check only when ``updates.json`` names one of the watched items (one request
        otherwise); the new result, or None when nothing changed."""
        latest = self.latest
        if (
            latest is not None
            and latest.name == name
            and latest.found
            and not await self._changed(name, latest.watched)
        ):
            return None
        return await self.refresh(name)

    def looked(self) -> None:
        """The list was opened: what it shows is no longer new."""
        self.unseen.clear()
