"""Saves belong to the process that started them (issue 21, defect 3): real processes on one
cache file. A save another live process holds is not pending for anyone else; once that
process is gone (``kill -9``), exactly one process takes it over; a save of a thread already
being saved, here or elsewhere, is joined, and nothing is downloaded twice."""

from __future__ import annotations

import asyncio
import signal
from contextlib import aclosing

import pytest
from hnterm.cli.main import run as hnterm
from hnterm.net.client import HNClient
from hnterm.services.source import Source, ThreadUpdate
from hnterm.storage.cache import Busy, Cache, Claim
from hnterm.storage.worker import CacheWorker

from tests.data import fixture_items
from tests.saveholder import LESS_SLOW, LESS_SLOW_FIXTURE, SaveHolder

DOOM = 43729683
A_COMMENT = next(i.id for i in fixture_items(LESS_SLOW_FIXTURE).values() if i.type == "comment")
ITEM = f"/v0/item/{A_COMMENT}.json"  # how often the thread was downloaded, as the server saw

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def test_a_save_a_live_process_holds_is_left_to_it_and_taken_over_once_it_is_killed(cache_dir):
    holder = SaveHolder.holding(cache_dir)
    try:
        cache = Cache(cache_dir)
        assert cache.pending_saves() == []  # not "interrupted": its owner is at it
        assert cache.claim_save(LESS_SLOW, resume=True) == Busy(holder.pid)
        holder.kill()
        assert cache.pending_saves() == [LESS_SLOW]  # its owner is gone
        claim = cache.claim_save(LESS_SLOW, resume=True)
        assert isinstance(claim, Claim)
        other = Cache(cache_dir)  # a second cache: another process, as far as locks go
        assert other.pending_saves() == [] and isinstance(other.claim_save(LESS_SLOW), Busy)
        cache.end_save(claim, done=True)
        assert cache.pending_saves() == [] and other.pending_saves() == []
        assert other.claim_save(LESS_SLOW, resume=True) is None  # done: nothing to resume
        other.close()
        cache.close()
    finally:
        holder.stop()


def test_of_four_processes_resuming_one_save_at_once_exactly_one_takes_it(cache_dir):
    cache = Cache(cache_dir)
    cache.add_pending_save(LESS_SLOW)  # as a process killed mid-save leaves it
    cache.close()
    racers = [SaveHolder(cache_dir, mode="resume-on-go") for _ in range(4)]
    try:
        assert [racer.line() for racer in racers] == ["ready"] * 4
        for racer in racers:  # as close to together as processes get
            racer.tell("go")
        assert sorted(racer.line() for racer in racers) == ["Busy", "Busy", "Busy", "Claim"]
    finally:
        for racer in racers:
            racer.stop()


def test_a_finished_save_is_not_resumed_by_a_process_that_waited_for_it(cache_dir):
    holder = SaveHolder.holding(cache_dir)
    try:
        cache = Cache(cache_dir)
        assert isinstance(cache.claim_save(LESS_SLOW, resume=True), Busy)
        holder.tell("finish")
        assert holder.line() == "finished"
        assert cache.claim_save(LESS_SLOW, resume=True) is None
        assert cache.is_saved(LESS_SLOW) and cache.pending_saves() == []
        cache.close()
    finally:
        holder.stop()


async def collect(updates) -> list[ThreadUpdate]:
    async with aclosing(updates) as stream:
        return [update async for update in stream]


async def test_a_save_another_process_is_running_is_joined_not_downloaded_again(fake_hn, cache_dir):
    holder = SaveHolder.holding(cache_dir)
    cache = CacheWorker(cache_dir)
    try:
        async with HNClient(fake_hn.url, backoff=0.01) as client:
            updates = Source(client, cache, claim_poll=0.01).save_thread(LESS_SLOW)
            first = await updates.__anext__()
            waiting = f"Another hnterm (pid {holder.pid}) is saving this thread: waiting for it"
            assert first.note == waiting and not first.done
            holder.tell("finish")  # the other process completes its save
            last = (await collect(updates))[-1]
        assert last.done and last.saved and last.joined and last.error is None
        assert {item.id for item in last.items} == set(fixture_items(LESS_SLOW_FIXTURE))
        assert fake_hn.request_log[ITEM] == 0  # nothing fetched here
        assert await cache.run(Cache.pending_saves) == []
    finally:
        await cache.aclose()
        holder.stop()


async def test_a_save_whose_owner_is_killed_while_waited_for_is_taken_over(fake_hn, cache_dir):
    holder = SaveHolder.holding(cache_dir)
    cache = CacheWorker(cache_dir)
    try:
        async with HNClient(fake_hn.url, backoff=0.01) as client:
            updates = Source(client, cache, claim_poll=0.01).save_thread(LESS_SLOW)
            assert (await updates.__anext__()).note
            holder.kill()  # gone mid-save: this process downloads it, once
            last = (await collect(updates))[-1]
        assert last.done and last.saved and not last.joined
        assert fake_hn.request_log[ITEM] == 1
        assert await cache.run(Cache.is_saved, LESS_SLOW)
        assert await cache.run(Cache.pending_saves) == []
    finally:
        await cache.aclose()
        holder.stop()


async def test_two_saves_of_one_thread_in_one_process_download_it_once(fake_hn, cache_dir):
    fake_hn.fault("delay", ids=[A_COMMENT], seconds=0.3)  # the first save is still running
    cache = CacheWorker(cache_dir)
    try:
        async with HNClient(fake_hn.url, backoff=0.01) as client:
            source = Source(client, cache)
            first = source.save_thread(LESS_SLOW)
            assert not (await first.__anext__()).done  # under way
            second = asyncio.ensure_future(collect(source.save_thread(LESS_SLOW)))
            leader = await collect(first)
            joined = await second
        assert joined[0].note == "Already saving this thread: waiting for it"
        assert joined[-1].saved and joined[-1].joined and leader[-1].saved
        assert fake_hn.request_log[ITEM] == 1
        assert await cache.run(Cache.pending_saves) == []
    finally:
        await cache.aclose()


def test_sync_leaves_a_save_a_live_process_holds_and_resumes_it_once_that_process_is_gone(
    fake_hn, cache_dir, capsys
):
    fake_hn.lists["topstories"] = [DOOM]
    holder = SaveHolder.holding(cache_dir)
    where = ["--api-url", fake_hn.url, "--cache-dir", str(cache_dir)]
    try:
        assert hnterm(["sync", "--top", "1", *where]) == 0
        out = capsys.readouterr().out
        assert "resumed" not in out and out.startswith("synced 1 of 1 thread: 1 fetched")
        assert fake_hn.request_log[ITEM] == 0
        holder.kill()
        assert hnterm(["sync", "--top", "1", *where]) == 0
        assert "resumed 1 save an earlier run left unfinished" in capsys.readouterr().out
        assert fake_hn.request_log[ITEM] == 1
        cache = Cache(cache_dir)
        assert cache.is_saved(LESS_SLOW) and cache.pending_saves() == []
        cache.close()
    finally:
        holder.stop()
