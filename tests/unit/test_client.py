"""The HTTP client against the fake Firebase server over real sockets."""

import asyncio
import time

import pytest
from hnterm.net.client import APIError, HNClient, NetworkError
from hnterm.net.loader import stream_items

from tests.data import BIDEN, IBM, fixture_items


@pytest.fixture
async def client(fake_hn):
    async with HNClient(fake_hn.url, timeout=1.0, backoff=0.01) as client:
        yield client


async def test_fetches_an_item_as_served(client):
    item = await client.item(IBM)
    assert item is not None and item.title and item.kids
    assert item == fixture_items("unlurker-43727727-ibm-rto")[IBM]


async def test_unknown_id_is_none(client):
    assert await client.item(1_999_999_999) is None


async def test_story_lists(client, fake_hn):
    fake_hn.lists["topstories"] = [IBM, BIDEN]
    assert await client.story_ids("top") == [IBM, BIDEN]
    with pytest.raises(ValueError):
        await client.story_ids("nonsense")


async def test_retries_5xx_then_succeeds(client, fake_hn):
    fake_hn.fault("500", ids=[IBM], times=2)
    assert (await client.item(IBM)).id == IBM


async def test_persistent_5xx_is_an_api_error(client, fake_hn):
    fake_hn.fault("500", ids=[IBM])
    with pytest.raises(APIError, match="HTTP 500"):
        await client.item(IBM)


async def test_429_waits_for_retry_after(client, fake_hn):
    fake_hn.fault("429", ids=[IBM], times=1, retry_after=0.3)
    started = time.perf_counter()
    assert (await client.item(IBM)).id == IBM
    assert time.perf_counter() - started >= 0.3


async def test_malformed_json_is_retried_then_reported(client, fake_hn):
    fake_hn.fault("malformed", ids=[IBM])
    with pytest.raises(APIError, match="malformed"):
        await client.item(IBM)


async def test_timeout_is_reported(fake_hn):
    fake_hn.fault("timeout", ids=[IBM])
    async with HNClient(fake_hn.url, timeout=0.2, retries=1, backoff=0.01) as client:
        with pytest.raises(APIError, match="timeout"):
            await client.item(IBM)


async def test_cut_body_is_retried(client, fake_hn):
    fake_hn.fault("cut", ids=[IBM], times=1)
    assert (await client.item(IBM)).id == IBM


async def test_oversized_body_is_refused(client, fake_hn):
    fake_hn.fault("oversize", ids=[IBM], size=6_000_000)
    with pytest.raises(APIError, match="too large"):
        await client.item(IBM)


async def test_wrong_types_are_tolerated(client, fake_hn):
    fake_hn.fault("wrongtype", ids=[IBM])
    item = await client.item(IBM)
    assert item is not None and item.id == IBM and item.kids == ()


async def test_stopped_server_is_a_network_error(fake_hn):
    url = fake_hn.url
    fake_hn.stop()
    async with HNClient(url, timeout=0.5, backoff=0.01) as client:
        with pytest.raises(NetworkError):
            await client.item(IBM)


async def test_stream_loads_every_comment_with_many_in_flight(client, fake_hn):
    fake_hn.delay = 0.02
    expected = fixture_items("circumflex-25015967-biden-wins-white-house")
    got = {}
    batches = 0
    async for batch in stream_items(client.item, [BIDEN], concurrency=64):
        batches += 1
        got.update((item.id, item) for item in batch.items)
    assert got == expected
    assert fake_hn.max_in_flight >= 32
    assert batches > 2


async def test_stream_reports_failures_and_keeps_the_rest(client, fake_hn):
    items = fixture_items("unlurker-43727727-ibm-rto")
    bad = items[IBM].kids[0]
    fake_hn.fault("500", ids=[bad])
    got = set()
    failed = {}
    async for batch in stream_items(client.item, [IBM]):
        got.update(item.id for item in batch.items)
        failed = batch.failed
    assert list(failed) == [bad]
    assert bad not in got
    assert len(got) > len(items) // 2


async def test_429_with_a_nonsense_retry_after_falls_back_to_backoff(client, fake_hn):
    fake_hn.fault("429", ids=[IBM], times=1, retry_after="nan")
    async with asyncio.timeout(5):  # sleeping for "nan" seconds would never end
        assert (await client.item(IBM)).id == IBM
