"""One search grammar for the thread search (in memory) and the cache search (FTS5): the same
query finds the same comments either way."""

from __future__ import annotations

import pytest
from hnterm.model.query import matcher, parse_query
from hnterm.model.thread import Thread
from hnterm.render.text import html_to_plain
from hnterm.storage.cache import Cache

from tests.data import IBM, fixture_items

ITEMS = fixture_items("unlurker-43727727-ibm-rto")


@pytest.fixture(scope="module")
def ibm() -> Thread:
    thread = Thread(IBM)
    thread.add(ITEMS.values())
    return thread


def test_a_quoted_phrase_is_a_phrase_not_words_with_quotes():
    test = matcher(parse_query('"return to office"'))
    assert test("They want a return to office by May", None)
    assert not test("return them to the office", None)  # the words, but not the phrase
    assert not test('"return to office"'.replace(" ", "_"), None)


def test_prefixes_exclusions_and_authors():
    test = matcher(parse_query("mainframe* -cobol by:pg -by:spammer"))
    assert test("Mainframes still run banks", "pg")
    assert not test("mainframes and COBOL", "pg")  # excluded word, any case
    assert not test("mainframes", "someone")  # not the author asked for
    assert matcher(parse_query("mainframe*"))("a mainframe", None)
    assert not matcher(parse_query("main"))("mainframe", None)  # whole words only
    assert not matcher(parse_query("-by:spammer word"))("word", "spammer")


def test_markup_and_regex_characters_are_plain_text():
    assert matcher(parse_query('"c++ (templates)"'))("Using C++ (templates) today", None)
    assert not matcher(parse_query("a.b"))("axb", None)


@pytest.mark.parametrize(
    "query", ['"typewritten scan"', "mainframe*", "DEI -letter", "by:ghaff", "policy letter"]
)
def test_thread_search_finds_what_the_cache_search_finds(ibm, tmp_path, query):
    cache = Cache(tmp_path)
    cache.put_items(ITEMS.values(), IBM)
    in_cache = {hit.item_id for hit in cache.search(query, limit=1000)} - {IBM}
    cache.close()
    in_thread = set(ibm.search(query, lambda item: html_to_plain(item.text)))
    assert in_thread, query
    assert in_thread == in_cache
