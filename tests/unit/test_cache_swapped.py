"""A cache file replaced, removed or moved under a running cache (issue 21, defect 5): the
cache notices (device and inode, checked before writes and at close), stops writing, says so
once, and never puts anything into the file another hand left there."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hnterm.model.items import Item
from hnterm.storage.cache import DB_NAME, Cache, CacheError
from hnterm.storage.worker import CacheWorker

OTHERS = range(1, 501)  # the cache moved in: 500 stories of its own
MINE = range(1000, 1029)  # what the running app had kept: 29 stories


def stories(ids: range, title: str) -> list[Item]:
    return [Item(id=i, type="story", title=f"{title} {i}") for i in ids]


def ids_in(path: Path) -> list[int]:
    """The item ids a cache file holds, read as any SQLite reader would (with its -wal)."""
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [row[0] for row in db.execute("SELECT id FROM items ORDER BY id")]


async def test_a_cache_moved_in_over_the_file_is_left_as_it_was(cache_dir, tmp_path):
    other = Cache(tmp_path / "other")
    other.put_items(stories(OTHERS, "other"), None)
    other.close()
    problems: list[str] = []
    worker = CacheWorker(cache_dir, on_problem=problems.append)
    await worker.run(Cache.put_items, stories(MINE, "mine"), None)
    os.replace(tmp_path / "other" / DB_NAME, cache_dir / DB_NAME)  # `mv other.sqlite3 ...`
    with pytest.raises(CacheError, match="replaced or removed by another program"):
        await worker.run(Cache.put_items, stories(range(2000, 2001), "after"), None)
    with pytest.raises(CacheError):
        await worker.run(Cache.save_thread, 1000)  # `s`
    # Reading goes on from what this cache opened; a search opens no connection on the new file
    # (one would read this cache's log as the new file's, and fold it in at close).
    assert len(await worker.search("mine")) == len(MINE)
    await worker.aclose()  # quit
    assert ids_in(cache_dir / DB_NAME) == list(OTHERS)
    assert len(problems) == 1
    assert problems[0] == (
        f"the cache file {cache_dir / DB_NAME} was replaced or removed by another program: "
        "nothing more is written to it, and the file there now is left as it is"
    )
    assert sorted(os.listdir(cache_dir)) == [DB_NAME]  # no log of ours left beside it


async def test_a_removed_cache_file_is_not_written_again(cache_dir):
    problems: list[str] = []
    worker = CacheWorker(cache_dir, on_problem=problems.append)
    await worker.run(Cache.put_items, stories(MINE, "mine"), None)
    os.unlink(cache_dir / DB_NAME)
    with pytest.raises(CacheError):
        await worker.run(Cache.mark_story_read, 1000, 0, [])
    await worker.aclose()
    assert len(problems) == 1 and "replaced or removed" in problems[0]
    assert os.listdir(cache_dir) == []  # nothing recreated, no stale -wal for a new file


async def test_a_cache_file_moved_away_keeps_what_was_written_before_the_move(cache_dir, tmp_path):
    worker = CacheWorker(cache_dir)
    await worker.run(Cache.put_items, stories(MINE, "mine"), None)
    os.replace(cache_dir / DB_NAME, tmp_path / "backup.sqlite3")  # its log stays behind
    with pytest.raises(CacheError):
        await worker.run(Cache.put_items, stories(range(2000, 2001), "after"), None)
    await worker.aclose()
    assert ids_in(tmp_path / "backup.sqlite3") == list(MINE)
    assert os.listdir(cache_dir) == []


def test_a_file_replaced_between_writes_is_found_at_close(cache_dir, tmp_path):
    cache = Cache(cache_dir)
    cache.put_items(stories(MINE, "mine"), None)
    other = Cache(tmp_path / "other")
    other.put_items(stories(OTHERS, "other"), None)
    other.close()
    os.replace(tmp_path / "other" / DB_NAME, cache_dir / DB_NAME)
    cache.close()  # no write since: the close is where it shows
    assert cache.problem and "replaced or removed" in cache.problem
    assert ids_in(cache_dir / DB_NAME) == list(OTHERS)
