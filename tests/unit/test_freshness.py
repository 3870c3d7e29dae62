"""The freshness policy, pure and as Source applies it to threads against the fake server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from hnterm.net.client import HNClient
from hnterm.services.source import Source, ThreadUpdate
from hnterm.storage.cache import Cache
from hnterm.storage.freshness import DAY, HOUR, MINUTE, WEEK, is_fresh, max_age
from hnterm.storage.worker import CacheWorker

from tests.data import IBM, fixture_items

NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("item_age", "trusted"),
    [
        (0, MINUTE),
        (30 * MINUTE, MINUTE),
        (HOUR, 5 * MINUTE),
        (20 * HOUR, 5 * MINUTE),
        (DAY, HOUR),
        (6 * DAY, HOUR),
        (WEEK, DAY),
        (29 * DAY, DAY),
        (30 * DAY, WEEK),
        (3 * 365 * DAY, WEEK),
    ],
)
def test_trust_grows_with_the_items_age(item_age, trusted):
    assert max_age(NOW - item_age, NOW) == trusted


@pytest.mark.parametrize(
    ("item_age", "copy_age", "fresh"),
    [
        (10 * MINUTE, 30, True),  # a new story: a copy half a minute old is served
        (10 * MINUTE, 2 * MINUTE, False),  # ...but two minutes is too old: fetch
        (5 * HOUR, 4 * MINUTE, True),
        (5 * HOUR, 6 * MINUTE, False),
        (3 * DAY, 50 * MINUTE, True),
        (3 * DAY, 2 * HOUR, False),
        (10 * DAY, 20 * HOUR, True),
        (10 * DAY, 25 * HOUR, False),
        (60 * DAY, 6 * DAY, True),  # a month-old thread is trusted for about a week
        (60 * DAY, 8 * DAY, False),
    ],
)
def test_fetch_or_serve(item_age, copy_age, fresh):
    assert is_fresh(NOW - item_age, NOW - copy_age, NOW) is fresh


def test_deleted_and_dead_items_are_trusted_longer():
    young = NOW - 10 * MINUTE
    assert not is_fresh(young, NOW - 2 * HOUR, NOW)
    assert is_fresh(young, NOW - 2 * HOUR, NOW, gone=True)
    assert max_age(NOW - 60 * DAY, NOW, gone=True) > max_age(NOW - 60 * DAY, NOW)


def test_unknown_and_odd_clock_values():
    assert not is_fresh(NOW - DAY, None, NOW)  # never fetched
    assert is_fresh(None, NOW - MINUTE, NOW)  # no item time: trusted briefly
    assert not is_fresh(None, NOW - HOUR, NOW)
    assert max_age(NOW + HOUR, NOW) == MINUTE  # posted "in the future": treat as new
    assert not is_fresh(NOW - 60 * DAY, NOW + 60, NOW)  # fetched "in the future": the
    # clock went back, so the copy's age is unknown


# -- Source.thread against the fake server ----------------------------------------------------
IBM_TIME = fixture_items("unlurker-43727727-ibm-rto")[IBM].time
assert IBM_TIME is not None
T0 = IBM_TIME + 2 * DAY  # the IBM thread is two days old: trusted for an hour


@pytest.fixture
async def client(fake_hn) -> AsyncIterator[HNClient]:
    client = HNClient(fake_hn.url, backoff=0.01)
    yield client
    await client.aclose()


@pytest.fixture
def worker(tmp_path):
    worker = CacheWorker(tmp_path)
    yield worker
    worker.close()


async def updates(source: Source, root: int, *, force: bool = False) -> list[ThreadUpdate]:
    return [update async for update in source.thread(root, force=force)]


async def test_a_fresh_thread_is_served_from_the_cache_without_a_request(client, worker, fake_hn):
    first = await updates(Source(client, worker, clock=lambda: T0), IBM)
    assert first[-1].done and first[-1].fetched == 353
    assert (await worker.run(Cache.thread_refreshed, IBM)) == T0
    requests = fake_hn.requests

    again = await updates(Source(client, worker, clock=lambda: T0 + 30 * MINUTE), IBM)

    assert fake_hn.requests == requests
    assert len(again) == 1
    only = again[0]
    assert only.done and only.from_cache and only.error is None
    assert len(only.items) == 353 and only.refreshed == T0


async def test_a_stale_thread_is_served_from_cache_first_then_refreshed(client, worker, fake_hn):
    await updates(Source(client, worker, clock=lambda: T0), IBM)
    requests = fake_hn.requests
    fake_hn.items[IBM]["title"] = "IBM: retitled"

    later = T0 + 2 * HOUR
    again = await updates(Source(client, worker, clock=lambda: later), IBM)

    assert again[0].from_cache and len(again[0].items) == 353 and not again[0].done
    assert again[0].refreshed == T0
    network = again[1:]
    assert network and all(not update.from_cache for update in network)
    assert network[-1].done and network[-1].fetched == 353
    assert network[-1].refreshed == later
    assert fake_hn.requests - requests == 353
    assert (await worker.run(Cache.thread_refreshed, IBM)) == later
    assert (await worker.run(Cache.get, IBM)).item.title == "IBM: retitled"


async def test_force_refreshes_a_fresh_thread(client, worker, fake_hn):
    await updates(Source(client, worker, clock=lambda: T0), IBM)
    requests = fake_hn.requests
    again = await updates(Source(client, worker, clock=lambda: T0 + 60), IBM, force=True)
    assert again[0].from_cache
    assert again[-1].done and again[-1].fetched == 353
    assert fake_hn.requests - requests == 353


async def test_items_cached_by_a_list_page_do_not_make_a_thread_fresh(client, worker, fake_hn):
    source = Source(client, worker, clock=lambda: T0)
    pages = [page async for page in source.stories([IBM])]
    assert pages and (await worker.run(Cache.get, IBM)) is not None
    assert (await worker.run(Cache.thread_refreshed, IBM)) is None
    requests = fake_hn.requests
    result = await updates(source, IBM)
    assert result[-1].fetched == 353
    assert fake_hn.requests - requests == 353


async def test_a_failed_refresh_keeps_the_thread_stale(client, worker, fake_hn):
    some_comment = next(iter(fake_hn.items[IBM]["kids"]))
    fake_hn.fault("500", ids=[some_comment])
    result = await updates(Source(client, worker, clock=lambda: T0), IBM)
    assert some_comment in result[-1].failed
    assert (await worker.run(Cache.thread_refreshed, IBM)) is None  # the next open tries again


async def test_network_down_is_flagged_and_cleared(client, worker, fake_hn):
    await updates(Source(client, worker, clock=lambda: T0), IBM)
    fake_hn.stop()
    dead = Source(client, worker, clock=lambda: T0 + 2 * HOUR)
    assert not dead.network_down
    result = await updates(dead, IBM)
    assert len(result[0].items) == 353
    assert result[-1].offline and "unreachable" in (result[-1].error or "")
    assert dead.network_down
    ids = await dead.story_ids("top")
    assert ids.from_cache and dead.network_down

    fake_hn.start()  # the same port again: the network is back
    assert (await dead.story_ids("top")).from_cache is False
    assert not dead.network_down
