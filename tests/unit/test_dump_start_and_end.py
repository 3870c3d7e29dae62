"""``hnterm dump``'s start and end, as a user runs it (a process against the fake API, a real
SQLite cache): the item's request goes out before the cache is open, and the process ends as
soon as its output is flushed and its cache closed, with nothing lost."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from hnterm.storage.cache import DB_NAME, Cache

from tests.fakehn import FakeHN, generate_thread
from tests.headless import ROOT_DIR, hnterm

ROOT = 90_000_000
DEADLINE = 4.0  # seconds a condition may take to come true (the cache waits 5 s on a lock)


def test_the_items_request_goes_out_while_the_cache_cannot_open_yet(tmp_path: Path) -> None:
    """Another connection holds the cache file's lock: the dump's cache waits for it, and
    the item's request is sent meanwhile (before: only once the cache had opened)."""
    Cache(tmp_path).close()  # a cache file of the current schema
    holder = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM items")  # takes the file's lock, held until the rollback
    with FakeHN(generate_thread(ROOT, comments=30, depth=3)) as server:
        command = [sys.executable, "-m", "hnterm", "dump", str(ROOT), "--api-url", server.url]
        dump = subprocess.Popen(
            [*command, "--cache-dir", str(tmp_path)],
            cwd=ROOT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            ends = time.monotonic() + DEADLINE
            while server.requests == 0 and time.monotonic() < ends and dump.poll() is None:
                time.sleep(0.01)
            asked_while_locked = server.requests
        finally:
            holder.rollback()
            holder.close()
        out, err = dump.communicate(timeout=30)
    assert asked_while_locked >= 1, "no request while the cache was locked"
    assert dump.returncode == 0, err
    assert len(json.loads(out)["items"]) == 31


def test_after_exit_the_cache_holds_the_whole_thread_and_the_pipe_all_of_it(
    tmp_path: Path,
) -> None:
    """The process ends at once after its output (os._exit): what it wrote through a pipe
    (1.7 MB, far more than a pipe holds) is whole, and its cache is closed with every item
    committed and the thread stamped fresh."""
    items = generate_thread(ROOT)
    with FakeHN(items) as server:
        done = hnterm("dump", str(ROOT), "--api-url", server.url, "--cache-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    data = json.loads(done.stdout)
    assert len(done.stdout) > 1_000_000 and set(map(int, data["items"])) == set(items)
    assert not (tmp_path / f"{DB_NAME}-wal").exists()  # closed: its log folded in, deleted
    cache = Cache(tmp_path)
    try:
        assert {entry.item.id for entry in cache.thread(ROOT)} == set(items)
        assert cache.thread_refreshed(ROOT) is not None
    finally:
        cache.close()


def test_a_fresh_cached_thread_is_dumped_with_the_api_unreachable(tmp_path: Path) -> None:
    """The item's request goes out before the cache is read; with a fresh copy cached its
    answer is not needed, and its failure (nothing listens) is neither said nor waited on."""
    items = generate_thread(ROOT, comments=30, depth=3)
    with FakeHN(items) as server:
        first = hnterm("dump", str(ROOT), "--api-url", server.url, "--cache-dir", str(tmp_path))
    assert first.returncode == 0, first.stderr
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{unused.getsockname()[1]}/v0/"  # bound, never listening
        again = hnterm("dump", str(ROOT), "--api-url", dead, "--cache-dir", str(tmp_path))
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""
    assert again.stdout == first.stdout


def test_a_profiled_dump_ends_the_usual_way_so_the_profile_is_written(tmp_path: Path) -> None:
    """Under a profiler (or a tracer: coverage) the process does not skip the interpreter's
    exit, where cProfile writes what it gathered."""
    profile = tmp_path / "dump.prof"
    profiled = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "hnterm"]
    with FakeHN(generate_thread(ROOT, comments=30, depth=3)) as server:
        command = ["dump", str(ROOT), "--api-url", server.url]
        done = subprocess.run(
            [*profiled, *command, "--cache-dir", str(tmp_path / "cache")],
            cwd=ROOT_DIR,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["items"]) == 31
    assert profile.stat().st_size > 0
