"""The SQLite cache on a real file: items, threads, lists, and never crashing."""

import json
import os
import random
import sqlite3
import time

import pytest
from hnterm.model.items import Item, item_to_json
from hnterm.net.client import HNClient
from hnterm.services.source import Source
from hnterm.storage.cache import DB_NAME, SCHEMA_VERSION, Cache, CacheError
from hnterm.storage.worker import CacheWorker

from tests.data import IBM, fixture_items


@pytest.fixture
def cache(tmp_path):
    cache = Cache(tmp_path)
    yield cache
    cache.close()


def test_items_round_trip_with_fetch_time(cache):
    item = Item(id=5, type="comment", by="a", text="<i>hi</i>", parent=1, kids=(6,))
    cache.put_items([item], root=1, fetched=1234.5)
    cached = cache.get(5)
    assert cached.item == item
    assert cached.fetched == 1234.5
    assert cache.root_of(5) == 1


def test_a_whole_thread_comes_back_and_survives_reopening(tmp_path):
    items = fixture_items("unlurker-43727727-ibm-rto")
    first = Cache(tmp_path)
    first.put_items(items.values(), root=IBM)
    first.close()
    again = Cache(tmp_path)
    thread = {entry.item.id: entry.item for entry in again.thread(IBM)}
    again.close()
    assert thread == items


def test_stories_are_their_own_root_and_comments_stay_unknown(cache):
    cache.put_items([Item(id=1, type="story"), Item(id=2, type="comment", parent=1)], None)
    assert cache.root_of(1) == 1
    assert cache.root_of(2) is None


def test_story_lists(cache):
    assert cache.get_list("top") is None
    cache.put_list("top", [3, 2, 1])
    ids, fetched = cache.get_list("top")
    assert ids == [3, 2, 1] and fetched > 0


def test_get_many_finds_only_cached(cache):
    cache.put_items([Item(id=i, type="story") for i in range(1, 1200)], None)
    found = cache.get_many([5, 1100, 99999])
    assert sorted(found) == [5, 1100]


def test_uses_wal_so_two_processes_can_share_it(cache):
    assert cache.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_unwritable_directory_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = Cache(blocker / "cache")
    assert cache.problem and "cache unavailable" in cache.problem
    cache.put_items([Item(id=1, type="story")], None)
    assert cache.get(1) is not None
    cache.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_directory_is_reported(tmp_path):
    tmp_path.chmod(0o500)
    try:
        cache = Cache(tmp_path / "sub")
        assert cache.problem
    finally:
        tmp_path.chmod(0o700)


def test_failed_write_is_recorded_and_raised_with_a_reason(tmp_path):
    cache = Cache(tmp_path)
    other = sqlite3.connect(tmp_path / DB_NAME, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    cache.db.execute("PRAGMA busy_timeout=0")
    with pytest.raises(CacheError, match="locked by another hnterm"):
        cache.put_items([Item(id=1, type="story")], None)
    assert cache.problem and "write failed" in cache.problem
    other.rollback()
    other.close()
    cache.close()


# -- schema versions --------------------------------------------------------------------------
V1_SCHEMA = """
CREATE TABLE items (id INTEGER PRIMARY KEY, root INTEGER, json TEXT NOT NULL,
                    fetched REAL NOT NULL);
CREATE INDEX items_root ON items(root);
CREATE TABLE lists (name TEXT PRIMARY KEY, ids TEXT NOT NULL, fetched REAL NOT NULL);
PRAGMA user_version=1;
"""


def make_v1_cache(directory, items, root):
    """A cache file exactly as the version-1 code wrote it."""
    directory.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(directory / DB_NAME)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(V1_SCHEMA)
    with db:
        db.executemany(
            "INSERT INTO items VALUES (?, ?, ?, ?)",
            [
                (item.id, root, json.dumps(item_to_json(item)), 1000.0 + item.id % 7)
                for item in items
            ],
        )
        db.execute("INSERT INTO lists VALUES ('top', '[43727727, 1]', 999.0)")
    db.close()


V2_SCHEMA = """
CREATE TABLE threads (root INTEGER PRIMARY KEY, refreshed REAL NOT NULL);
CREATE TABLE saved (root INTEGER PRIMARY KEY, saved_at REAL NOT NULL);
CREATE TABLE read_state (root INTEGER PRIMARY KEY, opened_at REAL NOT NULL,
                         comment_count INTEGER NOT NULL, seen BLOB NOT NULL);
CREATE VIRTUAL TABLE search_text USING fts5(
    title, body, author, tokenize = 'unicode61 remove_diacritics 2'
);
PRAGMA user_version=2;
"""


def test_a_version_2_cache_is_upgraded_and_keeps_saved_threads(tmp_path):
    """Today's users have schema 2: the upgrade adds the new tables and loses nothing."""
    items = fixture_items("unlurker-43727727-ibm-rto")
    make_v1_cache(tmp_path, items.values(), IBM)
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.executescript(V2_SCHEMA)
    with db:
        db.execute("INSERT INTO saved VALUES (?, 1234.0)", (IBM,))
        db.execute("INSERT INTO threads VALUES (?, 1200.0)", (IBM,))
    db.close()

    cache = Cache(tmp_path)

    assert cache.problem is None
    assert cache.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 3
    assert cache.saved_threads() == [(IBM, 1234.0)]
    assert cache.thread_refreshed(IBM) == 1200.0
    assert len(cache.thread(IBM)) == len(items)
    cache.set_setting("list_hidden", "1")
    cache.add_pending_save(IBM)
    assert cache.setting("list_hidden") == "1" and cache.pending_saves() == [IBM]
    cache.close()


def test_a_version_1_cache_is_upgraded_in_place_and_keeps_everything(tmp_path):
    items = fixture_items("unlurker-43727727-ibm-rto")
    make_v1_cache(tmp_path, items.values(), IBM)

    cache = Cache(tmp_path)

    assert cache.problem is None
    assert cache.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert {entry.item.id: entry.item for entry in cache.thread(IBM)} == items
    assert cache.get(IBM).fetched == 1000.0 + IBM % 7
    assert cache.get_list("top") == ([IBM, 1], 999.0)
    assert cache.search("mainframe")  # old items were indexed by the migration
    cache.mark_story_read(IBM, 352, items)  # and the new tables work
    assert cache.story_read(IBM).comment_count_then == 352
    cache.close()
    again = Cache(tmp_path)  # a second open has nothing left to migrate
    assert again.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert len(again.thread(IBM)) == len(items)
    again.close()


def test_a_cache_from_a_newer_hnterm_is_used_not_downgraded(tmp_path):
    Cache(tmp_path).close()
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    db.close()
    cache = Cache(tmp_path)
    assert cache.problem and "newer hnterm" in cache.problem
    cache.put_items([Item(id=1, type="story")], None)
    assert cache.get(1) is not None
    assert cache.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5
    cache.close()


# -- damaged files -----------------------------------------------------------------------------
def moved_aside(directory):
    return sorted(p for p in directory.iterdir() if ".corrupt-" in p.name)


def test_a_file_of_random_bytes_is_moved_aside_and_a_new_cache_started(tmp_path):
    garbage = random.Random(4).randbytes(50_000)
    (tmp_path / DB_NAME).write_bytes(garbage)
    cache = Cache(tmp_path)
    [moved] = moved_aside(tmp_path)
    assert moved.name.startswith(DB_NAME + ".corrupt-")
    assert moved.read_bytes() == garbage
    assert cache.problem and str(moved) in cache.problem
    assert cache.path == tmp_path / DB_NAME  # a real file again, not memory
    cache.put_items([Item(id=1, type="story", title="fresh start")], None)
    assert cache.search("fresh")
    cache.close()


def test_a_truncated_file_is_moved_aside(tmp_path):
    cache = Cache(tmp_path)
    cache.put_items(fixture_items("unlurker-43727727-ibm-rto").values(), IBM)
    cache.close()
    path = tmp_path / DB_NAME
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    cache = Cache(tmp_path)
    assert len(moved_aside(tmp_path)) == 1
    assert cache.problem and "damaged" in cache.problem
    assert cache.thread(IBM) == []
    cache.put_items([Item(id=1, type="story")], None)
    assert cache.get(1) is not None
    cache.close()


def test_damage_found_while_reading_is_recovered_from_too(tmp_path):
    cache = Cache(tmp_path)
    cache.put_items(fixture_items("unlurker-43727727-ibm-rto").values(), IBM)
    cache.close()
    cache = Cache(tmp_path)  # opens cleanly...
    assert cache.problem is None
    path = tmp_path / DB_NAME
    with path.open("r+b") as handle:  # ...then every page but the first is overwritten
        handle.seek(4096)
        handle.write(random.Random(5).randbytes(path.stat().st_size - 4096))
    assert cache.thread(IBM) == []  # no exception
    assert cache.problem and "damaged" in cache.problem
    assert len(moved_aside(tmp_path)) == 1
    cache.put_items([Item(id=1, type="story")], None)
    assert cache.get(1) is not None
    cache.close()
    assert Cache(tmp_path).get(1) is not None


# -- upserts -----------------------------------------------------------------------------------
def test_storing_a_comment_without_its_thread_keeps_the_known_thread(cache):
    comment = Item(id=5, type="comment", parent=1, text="a")
    cache.put_items([comment], root=1)
    cache.put_items([Item(id=5, type="comment", parent=1, text="b")], None)
    assert cache.root_of(5) == 1
    assert cache.get(5).item.text == "b"


# -- saved threads -----------------------------------------------------------------------------
def test_saved_threads_newest_first(cache):
    cache.save_thread(10, saved_at=100.0)
    cache.save_thread(20, saved_at=300.0)
    cache.save_thread(30, saved_at=200.0)
    cache.unsave_thread(30)
    assert cache.saved_threads() == [(20, 300.0), (10, 100.0)]
    assert cache.is_saved(10) and not cache.is_saved(30)


async def test_save_thread_downloads_everything_and_opens_with_the_server_stopped(
    fake_hn, tmp_path
):
    worker = CacheWorker(tmp_path)
    async with HNClient(fake_hn.url, backoff=0.01) as client:
        source = Source(client, worker)
        updates = [update async for update in source.save_thread(IBM)]
        assert updates[-1].done and updates[-1].saved and updates[-1].error is None
        assert updates[-1].fetched == 353
        assert await worker.run(Cache.is_saved, IBM)
        fake_hn.stop()
        # A year later, so the copy is stale and the network is tried (and fails).
        later = Source(client, worker, clock=lambda: time.time() + 365 * 86400)
        reopened = [update async for update in later.thread(IBM)]
    await worker.aclose()
    assert len(reopened[0].items) == 353 and reopened[0].from_cache
    assert reopened[-1].offline and later.network_down
    offline = Source(None, CacheWorker(tmp_path))
    [only] = [update async for update in offline.thread(IBM)]
    assert len(only.items) == 353 and only.error is None
    await offline.worker.aclose()


async def test_an_incomplete_download_is_not_saved(fake_hn, cache, tmp_path):
    failing = fake_hn.items[IBM]["kids"][:2]
    fake_hn.fault("500", ids=failing)
    worker = CacheWorker(tmp_path)
    async with HNClient(fake_hn.url, backoff=0.001) as client:
        updates = [update async for update in Source(client, worker).save_thread(IBM)]
    await worker.aclose()
    last = updates[-1]
    assert last.done and not last.saved
    assert set(last.failed) == set(failing)
    assert last.error and last.error.startswith("not saved: 2 item(s)")
    assert not cache.is_saved(IBM)


async def test_offline_save_keeps_only_a_complete_cached_copy(tmp_path):
    items = fixture_items("unlurker-43727727-ibm-rto")
    some = [item for item in items.values() if item.id != max(items)]
    worker = CacheWorker(tmp_path)
    await worker.run(Cache.put_items, some, IBM)
    source = Source(None, worker)
    [partial] = [update async for update in source.save_thread(IBM)]
    assert not partial.saved and "1 item(s) not cached" in (partial.error or "")
    await worker.run(Cache.put_items, items.values(), IBM)
    [complete] = [update async for update in source.save_thread(IBM)]
    assert complete.saved and await worker.run(Cache.is_saved, IBM)
    await worker.aclose()


# -- stats, prune, clear ----------------------------------------------------------------------
def fill(cache, roots, comments=50, fetched=1000.0):
    """Threads of ``comments`` comments each, thread ``k`` fetched at ``fetched + k``."""
    for k, root in enumerate(roots):
        kids = [root + 1 + j for j in range(comments)]
        story = Item(id=root, type="story", title=f"story {root}", kids=tuple(kids), time=1)
        replies = [
            Item(id=kid, type="comment", parent=root, by="u", text="word " * 200, time=2)
            for kid in kids
        ]
        cache.put_items([story, *replies], root, fetched=fetched + k)


def test_stats_count_what_is_cached(cache):
    fill(cache, [1000, 2000], comments=10)
    cache.put_list("top", [1000, 2000])
    cache.save_thread(1000)
    cache.mark_story_read(2000, 10, [2001])
    cache.set_thread_refreshed(1000, 5.0)
    stats = cache.stats()
    assert (stats.items, stats.stories, stats.comments) == (22, 2, 20)
    assert (stats.saved_threads, stats.read_stories, stats.lists, stats.threads) == (1, 1, 1, 1)
    assert (stats.oldest_fetch, stats.newest_fetch) == (1000.0, 1001.0)
    assert stats.file_bytes == cache.file_bytes() > 0
    assert stats.path == cache.path


def test_prune_by_age_removes_whole_unsaved_threads(cache):
    roots = [1000, 2000, 3000, 4000]
    fill(cache, roots, fetched=1000.0)  # fetched at 1000, 1001, 1002, 1003
    cache.save_thread(1000)
    cache.mark_story_read(2000, 50, [2001], opened_at=5000.0)  # opened lately: kept
    cache.mark_story_read(3000, 50, [3001], opened_at=10.0)
    removed = cache.prune(older_than=100.0, now=1102.5)
    assert removed == 51  # thread 3000 only (1002 < 1002.5); 4000 is newer
    assert cache.thread(3000) == []
    assert {hit.item_id for hit in cache.search("story")} == {1000, 2000, 4000}
    indexed = "SELECT count(*) FROM search_text WHERE rowid BETWEEN 3000 AND 3999"
    assert cache.db.execute(indexed).fetchone()[0] == 0  # no orphans left in the index
    assert len(cache.thread(1000)) == len(cache.thread(2000)) == len(cache.thread(4000)) == 51
    assert cache.story_read(3000) is None  # unsaved and not opened since the cutoff
    assert cache.story_read(2000) is not None
    assert cache.prune(older_than=100.0, now=10_000_000.0) == 102  # 2000 and 4000; 1000 saved
    assert len(cache.thread(1000)) == 51


def test_prune_to_a_size_goes_least_recently_used_first(cache):
    roots = [k * 1000 for k in range(1, 41)]
    fill(cache, roots)
    cache.save_thread(roots[0])  # the oldest, but saved
    cache.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = cache.file_bytes()
    removed = cache.prune(max_bytes=size // 2)
    assert removed > 0
    assert cache.file_bytes() <= size // 2
    kept = [root for root in roots if cache.get(root) is not None]
    assert roots[0] in kept and roots[-1] in kept
    gone = [root for root in roots if root not in kept]
    assert gone == roots[1 : 1 + len(gone)]  # the least recently fetched went first
    assert cache.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_enforce_cap_is_a_no_op_under_the_cap(cache):
    fill(cache, [1000])
    assert cache.enforce_cap(cache.file_bytes() * 10) == 0
    assert cache.enforce_cap(None) == 0
    assert len(cache.thread(1000)) == 51


def test_clear_keeps_saved_threads_unless_all(cache):
    fill(cache, [1000, 2000])
    cache.put_list("top", [1000])
    cache.save_thread(1000)
    cache.mark_story_read(1000, 1, [1001])
    cache.mark_story_read(2000, 1, [2001])
    assert cache.clear() == 51
    assert len(cache.thread(1000)) == 51 and cache.thread(2000) == []
    assert cache.get_list("top") is None
    assert cache.story_read(1000) is not None and cache.story_read(2000) is None
    assert [hit.root for hit in cache.search("story")] == [1000]
    cache.clear(keep_saved=False)
    assert cache.stats().items == 0 and cache.saved_threads() == []
    assert cache.story_read(1000) is None and cache.search("story") == []
