"""Full-text search of the cache: phrases deep in real threads, filters, and hostile input."""

from __future__ import annotations

import pytest
from hnterm.model.items import Item
from hnterm.model.query import parse_query
from hnterm.render.text import html_to_plain
from hnterm.storage.cache import Cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.data import IBM, fixture_items

IBM_ITEMS = fixture_items("unlurker-43727727-ibm-rto")
HOSTILE = [
    '"',
    "*",
    "NEAR(",
    "'; DROP TABLE items; --",
    '"; DROP TABLE search_text; --',
    "(",
    ")",
    "AND",
    "OR NOT",
    "^",
    ":",
    "title:x body:y",
    "{title body}: x",
    "-",
    "--",
    '""""',
    "\x00",
    "a\x00b",
    'by:"',
    "by:",
    "-by:",
    "x NOT",
    "NEAR(a b, 3)",
    "a + b",
    "\\",
    "%_%",
    "\u202e\u200b",
    "\U0001d573\U0001d593 ünïcödé 中文",
    "word" * 500,
    " ".join(["many"] * 300),
]


def depth(item: Item) -> int:
    level = 0
    while item.parent in IBM_ITEMS:
        level += 1
        item = IBM_ITEMS[item.parent]
    return level


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    cache = Cache(tmp_path_factory.mktemp("search"))
    cache.put_items(IBM_ITEMS.values(), IBM)
    yield cache
    cache.close()


def test_a_phrase_from_the_deepest_comment_is_found(cache):
    deep = max(
        (item for item in IBM_ITEMS.values() if item.text and len(item.text) > 80), key=depth
    )
    assert depth(deep) >= 10
    words = html_to_plain(deep.text).split()
    phrase = " ".join(words[2:6])

    hits = cache.search(f'"{phrase}"')

    hit = next(hit for hit in hits if hit.item_id == deep.id)
    assert hit.root == IBM and hit.by == deep.by and hit.time == deep.time
    assert hit.type == "comment"
    assert hit.title == IBM_ITEMS[IBM].title  # the thread's story, for context
    assert all(word in hit.snippet for word in words[2:6])


def test_all_words_must_match_and_a_phrase_keeps_its_order(cache):
    office = {hit.item_id for hit in cache.search("office", limit=500)}
    remote = {hit.item_id for hit in cache.search("remote", limit=500)}
    both = {hit.item_id for hit in cache.search("remote office", limit=500)}
    assert both and both == office & remote
    assert cache.search('"return to the office"')
    assert not cache.search('"office the to return"')


def test_the_story_title_ranks_first(cache):
    assert cache.search("IBM")[0].item_id == IBM


def test_by_filter_alone_and_with_words(cache):
    author = IBM_ITEMS[IBM].kids and IBM_ITEMS[IBM_ITEMS[IBM].kids[0]].by
    assert author
    written = {item.id for item in IBM_ITEMS.values() if item.by == author}
    alone = cache.search(f"by:{author}", limit=500)
    assert {hit.item_id for hit in alone} == written
    assert [hit.item_id for hit in alone] == sorted(written, reverse=True)  # newest first
    assert {hit.item_id for hit in cache.search(f"author:{author.upper()}")} == written
    others = cache.search(f"office -by:{author}", limit=500)
    assert others and all(hit.by != author for hit in others)
    assert cache.search("office by:nobody-at-all") == []


def test_prefix_and_exclusion(cache):
    prefix = {hit.item_id for hit in cache.search("mainfr*", limit=500)}
    assert prefix >= {hit.item_id for hit in cache.search("mainframe", limit=500)}
    without = cache.search("office -remote", limit=500)
    assert without
    assert not {hit.item_id for hit in without} & {
        hit.item_id for hit in cache.search("remote", limit=500)
    }


def test_limit(cache):
    assert len(cache.search("the", limit=7)) == 7
    assert len(cache.search("the", limit=0)) == 1  # clamped, never an error


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_return_lists_and_break_nothing(cache, query):
    hits = cache.search(query)
    assert isinstance(hits, list)
    assert cache.problem is None
    assert len(cache.thread(IBM)) == len(IBM_ITEMS)  # nothing was dropped


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_text_is_a_valid_query(cache, query):
    cache.problem = None
    assert isinstance(cache.search(query), list)
    assert cache.problem is None


def test_parse_query():
    parsed = parse_query('Rust "zero cost" async* -java by:pg author:"dang" -by:troll !!!')
    assert parsed.phrases == ('"Rust"', '"zero cost"', '"async"*')
    assert parsed.excluded == ('"java"',)
    assert parsed.authors == ("pg", "dang")
    assert parsed.excluded_authors == ("troll",)
    assert parsed.terms == ("Rust", "zero cost", "async")
    assert parse_query('say "hi""').phrases == ('"say"', '"hi"')
    assert parse_query("-only").empty


def test_the_index_follows_replaced_and_deleted_items(tmp_path):
    cache = Cache(tmp_path)
    cache.put_items([Item(id=1, type="story", title="Original kestrel")], None)
    cache.put_items([Item(id=2, type="comment", parent=1, by="ann", text="a heron")], 1)
    assert [hit.item_id for hit in cache.search("kestrel")] == [1]

    cache.put_items([Item(id=1, type="story", title="Renamed osprey")], None)
    cache.put_items([Item(id=2, type="comment", parent=1, deleted=True)], 1)

    assert cache.search("kestrel") == [] and cache.search("heron") == []
    assert [hit.item_id for hit in cache.search("osprey")] == [1]
    assert cache.search("by:ann") == []
    rows = cache.db.execute("SELECT count(*) FROM search_text").fetchone()[0]
    assert rows == 1  # the replaced title left no stale row behind
    cache.close()


def test_snippets_are_plain_one_line_and_terminal_safe(tmp_path):
    cache = Cache(tmp_path)
    hostile = "<p>evil \x1b[31mred\x1b[0m\x1b]0;title\x07 text<p>second\rline \u202egnirts"
    cache.put_items(
        [Item(id=9, type="comment", parent=1, by="x\x1b[2Jy", text=hostile, time=5)], None
    )
    [hit] = cache.search("evil")
    for text in (hit.snippet, hit.by or ""):
        assert not any(ch in text for ch in "\x1b\x07\r\n\u202e")
    assert "red" in hit.snippet and "second" in hit.snippet
    assert hit.root is None  # a comment whose thread is not known
    cache.close()
