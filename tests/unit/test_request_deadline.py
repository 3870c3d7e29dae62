"""A total deadline per request: an answer that trickles a byte at a time ends at the
deadline, and a thread load or a dump finishes without it, saying what is missing (issue 12)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hnterm.net.client import APIError, HNClient

from tests.conftest import wait_for_async
from tests.fakehn import FakeHN
from tests.headless import hnterm, load
from tests.hostile import (
    deep_chain,
)


def chain_with_trickle(server: FakeHN, interval: float = 0.05) -> int:
    """A story with 3 replies (the second trickles forever); returns the trickling id."""
    server.items.update(deep_chain(1, 500))
    server.items[500]["kids"] = [501, 502, 503]
    for kid in (502, 503):
        server.items[kid] = {**server.items[501], "id": kid, "text": f"reply {kid}"}
    server.fault("trickle", ids=[502], interval=interval)
    return 502


async def test_a_trickling_answer_fails_at_the_deadline() -> None:
    """One byte every 50 ms never trips the 10 s read timeout; the total deadline (0.5 s)
    ends the request, and it covers the retries too: a timed-out request is not retried at
    full length (issue 21)."""
    with FakeHN() as server:
        slow = chain_with_trickle(server)
        async with HNClient(server.url, deadline=0.5, retries=0) as client:
            started = time.monotonic()
            with pytest.raises(APIError, match=r"no complete answer within 0\.5 s"):
                await client.item(slow)
            once = time.monotonic() - started
            assert await client.item(501) is not None  # the client is fine afterwards
        async with HNClient(server.url, deadline=0.5, retries=1, backoff=0.01) as client:
            started = time.monotonic()
            with pytest.raises(APIError):
                await client.item(slow)
            with_retries = time.monotonic() - started
        assert server.request_log[f"/v0/item/{slow}.json"] == 2  # once per client
    assert 0.5 <= once < 1.5
    assert 0.5 <= with_retries < 1.5


async def test_a_trickle_that_ends_in_time_is_an_ordinary_answer() -> None:
    with FakeHN(deep_chain(1, 500)) as server:
        server.fault("trickle", ids=[501], interval=0.002, size=150)
        async with HNClient(server.url, deadline=5.0, retries=0) as client:
            item = await client.item(501)
    assert item is not None and item.text == "reply at depth 1"


async def test_a_thread_load_finishes_without_the_trickling_item(tmp_path: Path) -> None:
    """The load ends (bounded by the deadline) with the trickling reply reported as failed
    and the others loaded and cached; the server's trickle ends when the client gives up."""
    with FakeHN() as server:
        slow = chain_with_trickle(server)
        started = time.monotonic()
        updates = await load(server, 500, tmp_path, deadline=0.5, retries=1, backoff=0.01)
        elapsed = time.monotonic() - started
        # Its connection closes a moment after the client's deadline.
        await wait_for_async(lambda: server.trickling == 0, "the trickle to end", limit=1.0)
    last = updates[-1]
    assert last.done and set(last.failed) == {slow}
    assert "could not be loaded" in (last.error or "")
    assert {item.id for update in updates for item in update.items} == {500, 501, 503}
    assert elapsed < 3.0


def test_dump_finishes_in_bounded_time_on_a_trickling_server(tmp_path: Path) -> None:
    """HNTERM_REQUEST_DEADLINE=1: one deadline for all the trickling item's attempts, then a
    partial dump that says what is missing (before: still waiting after 100 s). Not less:
    the deadline now covers the retries, so on a busy machine the root's own first answer
    must fit in it."""
    with FakeHN() as server:
        slow = chain_with_trickle(server)
        started = time.monotonic()
        done = hnterm(
            "dump",
            "500",
            "--api-url",
            server.url,
            "--cache-dir",
            str(tmp_path),
            env={"HNTERM_REQUEST_DEADLINE": "1"},
            timeout=30,
        )
        elapsed = time.monotonic() - started
    assert done.returncode == 3, done.stderr  # written, but partial (see --partial)
    data = json.loads(done.stdout)
    assert data["complete"] is False and data["missing"] == [slow]
    assert "could not be loaded" in done.stderr and "Traceback" not in done.stderr
    assert elapsed < 10
