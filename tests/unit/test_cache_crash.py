"""Real processes on one cache file: a writer killed mid-write, and two writers at once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hnterm.storage.cache import Cache

ROOT_DIR = Path(__file__).resolve().parents[2]

# Loops forever: each round is three transactions (read state, saved, an item), then the round
# number is printed, so every number printed is a set of writes that committed.
WRITER = """
import sys
from pathlib import Path
from hnterm.model.items import Item
from hnterm.storage.cache import Cache

cache = Cache(Path(sys.argv[1]))
print("ready", flush=True)
n = 0
while True:
    n += 1
    cache.mark_story_read(n, n, range(n * 1000, n * 1000 + 300))
    cache.save_thread(n)
    cache.put_items([Item(id=n, type="story", title=f"story {n}")], None)
    if cache.problem:
        print("problem", cache.problem, flush=True)
        sys.exit(1)
    print(n, flush=True)
"""

# Writes for about ``seconds``, then prints how many rounds it committed; exit 1 on any error.
TIMED_WRITER = """
import sys, time
from pathlib import Path
from hnterm.model.items import Item
from hnterm.storage.cache import Cache

directory, base, seconds = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
cache = Cache(directory)
start = time.monotonic()
n = 0
while time.monotonic() - start < seconds:
    root = base + n * 100
    story = Item(id=root, type="story", title=f"story {root}", kids=(root + 1, root + 2))
    kids = [Item(id=root + k, type="comment", parent=root, text=f"reply {k}") for k in (1, 2)]
    cache.put_items([story, *kids], root)
    cache.mark_story_read(root, 2, [root + 1, root + 2])
    if cache.problem:
        print("problem", cache.problem, flush=True)
        sys.exit(1)
    n += 1
print(n, flush=True)
"""


def spawn(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT_DIR,
        env={**os.environ, "PYTHONPATH": str(ROOT_DIR)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_writes_reported_before_a_sigkill_are_all_there(tmp_path, seed):
    rng = random.Random(seed)
    child = spawn(WRITER, str(tmp_path))
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "ready"
        wanted = rng.randint(5, 60)
        committed = 0
        while committed < wanted:
            line = child.stdout.readline()
            assert line.strip().isdigit(), line + child.stderr.read()
            committed = int(line)
        time.sleep(rng.uniform(0, 0.02))  # land somewhere inside a later transaction
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    committed = max([committed, *(int(x) for x in rest.split() if x.isdigit())])

    cache = Cache(tmp_path)
    try:
        assert cache.problem is None
        assert cache.check() == "ok"
        saved = {root for root, _ in cache.saved_threads()}
        for n in range(1, committed + 1):
            state = cache.story_read(n)
            assert state is not None and state.comment_count_then == n
            assert state.seen == set(range(n * 1000, n * 1000 + 300))
            assert n in saved
            assert cache.get(n).item.title == f"story {n}"
        # Whatever the kill interrupted is all there or not there at all.
        later = cache.story_read(committed + 1)
        assert later is None or len(later.seen) == 300
    finally:
        cache.close()


def test_two_processes_write_at_once_without_errors(tmp_path):
    Cache(tmp_path).close()  # both children open an existing cache (as a second window would)
    children = [spawn(TIMED_WRITER, str(tmp_path), str(base), "1.5") for base in (10**6, 10**7)]
    results = [child.communicate(timeout=30) for child in children]
    for child, (out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, out + err
    counts = [int(out.split()[-1]) for out, _ in results]
    # Neither starves: SQLite's own busy handler naps up to 100 ms, which let a busy writer
    # keep the other to a handful of rounds; the cache polls instead.
    assert all(count > 50 for count in counts), counts

    cache = Cache(tmp_path)
    try:
        assert cache.check() == "ok"
        for base, count in zip((10**6, 10**7), counts, strict=True):
            roots = [base + n * 100 for n in range(count)]
            assert len(cache.get_many(roots)) == count
            assert len(cache.read_states(roots)) == count
            last = roots[-1]
            assert {entry.item.id for entry in cache.thread(last)} == {last, last + 1, last + 2}
        assert cache.stats().items == 3 * sum(counts)
    finally:
        cache.close()


def test_processes_creating_a_new_cache_at_once(tmp_path):
    """All find no file: switching it to WAL and creating the schema must fail in none of
    them (switching to WAL does not wait for locks by itself, so the cache retries)."""
    for round_ in range(4):
        directory = tmp_path / str(round_)
        children = [
            spawn(TIMED_WRITER, str(directory), str(base), "0.05")
            for base in (10**6, 2 * 10**6, 3 * 10**6)
        ]
        for child in children:
            out, err = child.communicate(timeout=30)
            assert child.returncode == 0, out + err
