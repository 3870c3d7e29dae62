"""Search in bounded time whatever the query: a pasted page of words is cut to the first
terms and says how many it dropped; a search past its time limit ends empty (issue 12)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hnterm.__main__ import main as hnterm_main
from hnterm.model.items import parse_item
from hnterm.model.query import MAX_TERMS, parse_query
from hnterm.storage.cache import Cache

from tests.fakehn import generate_thread
from tests.hostile import (
    many_word_query,
)


@pytest.fixture(scope="module")
def big_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache of 3,000 generated comments (built once for the search tests)."""
    folder = tmp_path_factory.mktemp("search")
    raw = generate_thread(900, comments=3000, depth=12)
    cache = Cache(folder)
    cache.put_items((item for key, value in raw.items() if (item := parse_item(value, key))), 900)
    cache.close()
    return folder


def test_a_pasted_page_searches_in_bounded_time(big_cache: Path) -> None:
    """2,500 distinct words plus ``k*`` 3,300 times (before: over 60 s and 357 MB)."""
    query = many_word_query()
    parsed = parse_query(query)
    assert parsed.kept == MAX_TERMS
    cache = Cache(big_cache)
    try:
        started = time.monotonic()
        assert cache.search(query) == []  # no comment has all 32 words
        assert len(cache.search("k* " * 3300)) > 0
        elapsed = time.monotonic() - started
        assert cache.problem is None
    finally:
        cache.close()
    assert elapsed < 3.0


def test_repeats_are_merged_and_drops_counted() -> None:
    parsed = parse_query("k* " * 3300)
    assert parsed.phrases == ('"k"*',)
    assert parsed.kept == 1
    # 9,900 characters: 667 terms read (1 kept, 666 repeats), 2,633 words past the cut.
    assert (parsed.repeated, parsed.dropped) == (666, 2633)
    words = " ".join(f"w{n}" for n in range(40))
    parsed = parse_query(f"{words} w1 w1 -w2 -w2 by:pg by:pg")
    assert len(parsed.phrases) == MAX_TERMS and parsed.authors == ("pg",)
    assert parsed.dropped == 40 - MAX_TERMS + 1  # w32..w39, and -w2 past the cap
    assert parsed.repeated == 4
    assert parse_query("a b a").dropped == 0 and parse_query("a b a").repeated == 1


def test_a_search_past_its_time_limit_ends_with_nothing(big_cache: Path) -> None:
    """SQLite's progress handler stops a search that runs out of time, without a problem."""
    cache = Cache(big_cache)
    try:
        assert cache.search("k*", time_limit=2.0)
        assert cache.search("k*", time_limit=0.0) == []
        assert cache.problem is None
        assert cache.search("k*")  # the connection is fine afterwards
    finally:
        cache.close()


def test_search_command_says_how_many_terms_it_dropped(
    big_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    words = [f"w{n}" for n in range(50)]
    assert hnterm_main(["search", *words, "--cache-dir", str(big_cache)]) == 0
    assert capsys.readouterr().err == "hnterm search: kept the first 32 terms; 18 dropped\n"
    assert hnterm_main(["search", "k*", "k*", "k*", "--cache-dir", str(big_cache)]) == 0
    assert capsys.readouterr().err == ""  # repeats change nothing: nothing to say
