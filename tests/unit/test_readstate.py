"""Read state: the compact seen-ids blob, the pure helpers, and the cache's read-state table."""

from __future__ import annotations

import time

import pytest
from hnterm.model.items import Item
from hnterm.model.readstate import ReadMark, ReadState
from hnterm.storage.cache import Cache
from hnterm.storage.readstate import decode_ids, encode_ids
from hypothesis import given
from hypothesis import strategies as st


@given(st.sets(st.integers(min_value=1, max_value=2**62)))
def test_seen_ids_round_trip(ids):
    assert decode_ids(encode_ids(ids)) == ids


def test_a_big_thread_is_a_small_blob():
    ids = range(43_727_727, 43_727_727 + 9_000, 3)  # 3,000 ids, HN-like gaps
    blob = encode_ids(ids)
    assert len(blob) < 4_000  # vs ~27 kB as JSON
    assert decode_ids(blob) == set(ids)


@pytest.mark.parametrize("blob", [None, b"", b"\x00junk", b"\x01not zlib", b"\x02" + b"x" * 9])
def test_unreadable_blobs_decode_to_nothing(blob):
    assert decode_ids(blob) == frozenset()


def test_new_since_counts_growth_never_below_zero():
    mark = ReadMark(root=1, opened_at=0.0, comment_count_then=40)
    assert mark.new_since(52) == 12
    assert mark.new_since(30) == 0  # comments were deleted
    assert mark.new_since(None) == 0


@pytest.fixture
def cache(tmp_path):
    cache = Cache(tmp_path)
    yield cache
    cache.close()


def test_never_opened_story_has_no_state(cache):
    assert cache.story_read(1) is None
    assert cache.read_states([1, 2]) == {}


def test_read_state_round_trip_and_survives_reopening(tmp_path):
    first = Cache(tmp_path)
    first.mark_story_read(7, comment_count=3, seen_ids=[8, 9, 10], opened_at=1000.0)
    first.close()
    again = Cache(tmp_path)
    state = again.story_read(7)
    again.close()
    assert state == ReadState(7, 1000.0, 3, frozenset({8, 9, 10}))


def test_later_visits_add_seen_ids_and_move_the_marks(cache):
    cache.mark_story_read(7, comment_count=3, seen_ids=[8, 9, 10], opened_at=1000.0)
    cache.mark_story_read(7, comment_count=5, seen_ids=[11, 12], opened_at=2000.0)
    state = cache.story_read(7)
    assert state.seen == {8, 9, 10, 11, 12}
    assert (state.opened_at, state.comment_count_then) == (2000.0, 5)
    assert {7, 8, 9, 10, 11, 12, 13} - state.seen == {7, 13}


def test_read_states_for_a_whole_story_list(cache):
    for root in range(1, 1201):
        if root % 3 == 0:
            cache.mark_story_read(root, comment_count=root, seen_ids=[], opened_at=float(root))
    marks = cache.read_states(range(1, 1301))
    assert sorted(marks) == list(range(3, 1201, 3))
    assert marks[300] == ReadMark(300, 300.0, 300)
    assert marks[300].new_since(310) == 10


def test_mark_unread_forgets(cache):
    cache.mark_story_read(7, comment_count=3, seen_ids=[8])
    cache.mark_story_unread(7)
    assert cache.story_read(7) is None


def test_three_thousand_seen_ids_are_fast(cache):
    ids = list(range(40_000_000, 40_009_000, 3))
    started = time.perf_counter()
    cache.mark_story_read(40_000_000, comment_count=3000, seen_ids=ids)
    cache.mark_story_read(40_000_000, comment_count=3000, seen_ids=ids)  # merge path
    state = cache.story_read(40_000_000)
    elapsed = time.perf_counter() - started
    assert len(state.seen) == 3000
    assert elapsed < 0.25  # measured ~3 ms; generous for slow CI disks (two fsyncs)


def test_read_state_writes_are_durable(cache):
    """Read state cannot be refetched, so its transactions sync the WAL (synchronous=FULL);
    item writes stay NORMAL. Seen through SQLite's own statement trace."""
    statements: list[str] = []
    cache.db.set_trace_callback(statements.append)
    cache.mark_story_read(1, 0, [2])
    cache.save_thread(1)
    cache.put_items([Item(id=3, type="story")], None)
    cache.db.set_trace_callback(None)
    mode = "NORMAL"
    written: dict[str, str] = {}  # table -> synchronous mode its transaction ran under
    for sql in statements:
        if sql.startswith("PRAGMA synchronous="):
            mode = sql.split("=")[1]
        for table in ("read_state", "saved", "items"):
            if sql.startswith("INSERT") and f" INTO {table} " in sql:
                written[table] = mode
    assert written == {"read_state": "FULL", "saved": "FULL", "items": "NORMAL"}
    assert cache.db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL again
