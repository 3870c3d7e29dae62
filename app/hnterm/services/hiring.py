"""Finding HN's monthly "Who is hiring?" thread (and its two siblings) and reading it whole.

The ``whoishiring`` account posts three threads a month. Searching titles by free text is
unreliable, so the thread is found by its author: HN's search API (every story by
``whoishiring``, newest first), else that user's ``submitted`` list from the Firebase API
(newest first too), else, offline, the cached stories by that author. The thread is then
loaded as any thread is (``Source.thread``: every top-level post and reply, however many),
with what the reader saw on the last visit, so the posts that are new since stand out.
"""

from __future__ import annotations

import asyncio
import re
from calendar import month_name
from dataclasses import dataclass

from hnterm.model.items import Item
from hnterm.net.algolia import OnlineQuery, SearchClient
from hnterm.net.client import HNClient, HNError
from hnterm.storage.cache import Cache
from hnterm.storage.worker import CacheWorker

AUTHOR = "whoishiring"
# kind -> what the title says after "Ask HN: "
KINDS = {
    "hiring": "Who is hiring?",
    "hired": "Who wants to be hired?",
    "freelancer": "Freelancer?",
}
SEARCH_PAGES = 4  # pages of 100 stories asked of the search API: over eight years of months
SUBMITTED_READ = 120  # newest submissions of whoishiring read when the search API fails
SUBMITTED_BATCH = 12  # fetched at once (four months)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


class HiringError(Exception):
    """No thread could be found; the message is the one line the user sees."""


@dataclass(frozen=True)
class HiringThread:
    story: int
    title: str
    note: str | None = None  # why the search API was not used (it failed), said once


def parse_month(value: str) -> str:
    """'2026-11' -> 'November 2026', as the thread's title writes it (``ValueError`` else)."""
    match = _MONTH.fullmatch(value.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"not a month like 2026-11: {value!r}")
    return f"{month_name[int(match.group(2))]} {match.group(1)}"


def is_thread(title: str | None, kind: str, month: str | None = None) -> bool:
    """Whether a ``whoishiring`` story's title is the ``kind`` thread (of ``month``, as
    'November 2026', when given)."""
    if not title or not title.startswith(f"Ask HN: {KINDS[kind]}"):
        return False
    return month is None or title.rstrip().endswith(f"({month})")


def describe(kind: str, month: str | None) -> str:
    """'"Who is hiring?" thread (November 2026)': what was looked for, for messages."""
    return f'"{KINDS[kind]}" thread' + (f" ({month})" if month else "")


async def find_thread(
    search: SearchClient | None,
    client: HNClient | None,
    worker: CacheWorker,
    kind: str = "hiring",
    month: str | None = None,
) -> HiringThread:
    """The newest ``kind`` thread (of ``month``): through the search API, else through
    the ``whoishiring`` user, else (no network) in the cache. ``HiringError`` says why none
    was found in one line."""
    note = None
    if search is not None:
        try:
            found = await _by_search(search, kind, month)
        except HNError as exc:
            note = f"the search API failed ({exc}); looked through {AUTHOR}'s submissions"
        else:
            if found is not None:
                return found
    if client is not None:
        try:
            found = await _by_user(client, kind, month)
        except HNError as exc:
            prefix = f"{note}, which failed too: " if note else ""
            raise HiringError(f"{prefix}cannot read {AUTHOR}'s submissions: {exc}") from None
        if found is None:
            raise HiringError(f"no {describe(kind, month)} by {AUTHOR}")
        return HiringThread(found.story, found.title, note)
    found = await _in_cache(worker, kind, month)
    if found is None:
        raise HiringError(f"no {describe(kind, month)} in the cache (offline)")
    return found


async def _by_search(search: SearchClient, kind: str, month: str | None) -> HiringThread | None:
    for page in range(SEARCH_PAGES):
        query = OnlineQuery(author=AUTHOR, kind="story", by_date=True, page=page, per_page=100)
        answer = await search.search(query)
        for hit in answer.hits:  # newest first
            if is_thread(hit.title, kind, month) and hit.title is not None:
                return HiringThread(hit.item_id, hit.title)
        if month is None or page + 1 >= answer.pages:
            return None
    return None


async def _by_user(client: HNClient, kind: str, month: str | None) -> HiringThread | None:
    user = await client.user(AUTHOR)
    if user is None:
        raise HiringError(f"HN has no user {AUTHOR}")
    submitted = list(user.submitted[:SUBMITTED_READ])
    for start in range(0, len(submitted), SUBMITTED_BATCH):
        batch = submitted[start : start + SUBMITTED_BATCH]
        items: list[Item | None] = await asyncio.gather(*(client.item(i) for i in batch))
        for item in items:  # in the user's order: newest first
            if item is not None and item.by == AUTHOR and is_thread(item.title, kind, month):
                return HiringThread(item.id, item.title or "")
    return None


async def _in_cache(worker: CacheWorker, kind: str, month: str | None) -> HiringThread | None:
    hits = await worker.search(f"by:{AUTHOR}", limit=500)
    stories = [
        hit
        for hit in hits
        if hit.root in (None, hit.item_id)
        and hit.by == AUTHOR
        and is_thread(hit.title, kind, month)
    ]
    if not stories:
        return None
    newest = max(stories, key=lambda hit: (hit.time or 0, hit.item_id))
    return HiringThread(newest.item_id, newest.title or "")


async def last_seen(worker: CacheWorker, story: int) -> frozenset[int] | None:
    """The comments seen on the last visit of ``story`` (None: never opened)."""
    state = await worker.run(Cache.story_read, story)
    return state.seen if state is not None else None
