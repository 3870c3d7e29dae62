"""``hnterm sync`` against the fake API: threads saved whole and read back with the server
stopped, fresh ones skipped on a second run, interrupted saves resumed, Ctrl-C leaving a
summary, 429s waited out, and failures reported with their reasons."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import aclosing, closing
from pathlib import Path

import pytest
from hnterm.cli.main import run as hnterm
from hnterm.services.source import Source
from hnterm.storage.cache import DB_NAME, Cache
from hnterm.storage.worker import CacheWorker

from tests.conftest import wait_for
from tests.data import BIDEN, IBM, fixture_items

DOOM, LESS_SLOW, DROPBOX = 43729683, 43727743, 8863
TOP = [DOOM, LESS_SLOW, IBM]
IBM_ITEMS = fixture_items("unlurker-43727727-ibm-rto")
ROOT_DIR = Path(__file__).resolve().parents[2]
HNTERM = [sys.executable, "-m", "hnterm"]


def ibm_comment() -> int:
    """A reply deep in the IBM thread (so only that thread fails when it does)."""
    return next(i.id for i in IBM_ITEMS.values() if i.type == "comment" and i.parent != IBM)


@pytest.fixture
def server(fake_hn):
    fake_hn.lists["topstories"] = list(TOP)
    fake_hn.lists["beststories"] = [DROPBOX]
    return fake_hn


def sync(server, cache_dir: Path, *more: str) -> int:
    return hnterm(["sync", "--api-url", server.url, "--cache-dir", str(cache_dir), *more])


def offline_thread(cache_dir: Path, root: int) -> list[int]:
    async def go():
        cache = CacheWorker(cache_dir)
        items: list[int] = []
        try:
            async with aclosing(Source(None, cache).thread(root)) as updates:
                async for update in updates:
                    assert update.error is None
                    items += [item.id for item in update.items]
        finally:
            await cache.aclose()
        return items

    return asyncio.run(go())


def test_sync_saves_whole_threads_that_then_read_offline(server, tmp_path, capsys):
    assert sync(server, tmp_path, "--top", "3") == 0
    out = capsys.readouterr()
    head = out.out.splitlines()[0]
    assert head.startswith("synced 3 of 3 threads: 3 fetched (")
    assert head.endswith(" items), 0 skipped (fresh), 0 failed")
    progress = out.err.splitlines()
    assert len(progress) == 3 and all(line.split()[1] == "fetched" for line in progress)
    assert {line.split()[0] for line in progress} == {"[1/3]", "[2/3]", "[3/3]"}
    assert any(" 43727727 IBM orders US sales" in line for line in progress)
    cache = Cache(tmp_path)
    assert {root for root, _ in cache.saved_threads()} == set(TOP)
    assert cache.pending_saves() == []
    cache.close()
    server.stop()
    assert sorted(offline_thread(tmp_path, IBM)) == sorted(IBM_ITEMS)


def test_a_second_run_skips_fresh_threads_and_resumes_an_interrupted_save(server, tmp_path, capsys):
    assert sync(server, tmp_path, "--top", "2") == 0
    capsys.readouterr()
    cache = Cache(tmp_path)
    cache.add_pending_save(DROPBOX)  # as a Ctrl-C in the middle of it leaves things
    cache.close()
    assert sync(server, tmp_path, "--top", "2") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("synced 3 of 3 threads: 1 fetched (")
    assert out[0].endswith("2 skipped (fresh), 0 failed")
    assert out[1] == "resumed 1 save an earlier run left unfinished"
    # The fresh threads cost nothing: their roots were not asked for again.
    assert server.request_log[f"/v0/item/{DOOM}.json"] == 1
    assert Cache(tmp_path).pending_saves() == []


def test_failures_and_429s_are_reported_with_reasons(server, tmp_path, capsys):
    bad = ibm_comment()
    server.fault("500", ids=[bad])  # for good: the IBM thread cannot be complete
    server.fault("429", ids=[DOOM], times=2, retry_after=0.05)  # waited out
    server.fault("404", paths=["beststories"])
    assert sync(server, tmp_path, "--lists", "top,best", "--top", "3") == 1
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines[0].startswith("synced 3 of 3 threads: 2 fetched (")
    assert lines[0].endswith("0 skipped (fresh), 1 failed")
    assert lines[1] == "  list best: beststories.json: HTTP 404"
    assert lines[2].startswith(f"  failed {IBM} IBM orders US sales")
    assert lines[2].endswith(
        f"not saved: 1 item(s) could not be loaded (item/{bad}.json: HTTP 500)"
    )
    assert server.request_log[f"/v0/item/{DOOM}.json"] == 3  # two 429s, then the item
    cache = Cache(tmp_path)
    assert {root for root, _ in cache.saved_threads()} == {DOOM, LESS_SLOW}
    cache.close()


@pytest.mark.parametrize("argv", [["--lists", "tops"], ["--top", "0"], ["--offline"]])
def test_bad_command_lines_get_one_line(argv, tmp_path, capsys):
    assert hnterm(["sync", "--cache-dir", str(tmp_path), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(("hnterm sync: needs the network", "hnterm sync: error:"))


def pending(cache_dir: Path) -> list[int]:
    """The saves recorded as pending, whoever is at them (``Cache.pending_saves`` leaves out
    those a live process holds, as the sync process does while it runs)."""
    with closing(sqlite3.connect(cache_dir / DB_NAME)) as db:
        return [root for (root,) in db.execute("SELECT root FROM pending_saves")]


def test_ctrl_c_stops_with_a_summary_and_the_next_run_resumes(fake_hn, tmp_path):
    """A real SIGINT to a real process, once the first thread is done."""
    fake_hn.lists["topstories"] = [DOOM, BIDEN]
    fake_hn.delay = 0.01  # the 2,170-comment thread takes a while: time to interrupt it
    where = ["--api-url", fake_hn.url, "--cache-dir", str(tmp_path)]
    process = subprocess.Popen(
        [*HNTERM, "sync", "--parallel", "1", "--top", "2", *where],
        cwd=ROOT_DIR,
        env={**os.environ, "PYTHONPATH": str(ROOT_DIR / "app")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = process.stderr.readline()
    assert first.startswith(f"[1/2] fetched {DOOM}")
    wait_for(lambda: pending(tmp_path) == [BIDEN], "the Biden save to start")
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=20)
    assert process.returncode == 130
    assert "interrupted: 1 thread left; run it again to resume" in out
    fake_hn.delay = 0
    cache = Cache(tmp_path)
    assert cache.pending_saves() == [BIDEN] and not cache.is_saved(BIDEN)
    cache.close()
    assert (
        hnterm(["sync", "--top", "1", "--api-url", fake_hn.url, "--cache-dir", str(tmp_path)]) == 0
    )
    cache = Cache(tmp_path)
    assert cache.is_saved(BIDEN) and cache.pending_saves() == []
    cache.close()
