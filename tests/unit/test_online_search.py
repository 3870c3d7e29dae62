"""Searching all of HN: the query grammar, the API client against a fake search server on
127.0.0.1 (hits in Algolia's recorded shape, built from the fixtures), ``hnterm search
--online``, and the fall back to the local cache when the API fails or hnterm is offline."""

from __future__ import annotations

import asyncio
import json

import pytest
from hnterm.cli.common import HEADER
from hnterm.cli.main import run as hnterm
from hnterm.net.algolia import OnlineQuery, SearchClient, parse_hit, parse_page, parse_search
from hnterm.net.client import APIError, HNError
from hnterm.storage.cache import Cache

from tests.data import IBM, fixture_items
from tests.fakesearch import FakeSearch

IBM_ITEMS = fixture_items("unlurker-43727727-ibm-rto")


@pytest.fixture
def fake_search():
    with FakeSearch() as server:
        yield server


def test_query_grammar_turns_filters_into_api_parameters():
    query = parse_search("return to office by:rayiner type:comment points:x", by_date=True)
    assert query == OnlineQuery(
        text="return to office points:x", kind="comment", author="rayiner", by_date=True
    )
    assert query.params() == {
        "query": "return to office points:x",
        "page": "0",
        "hitsPerPage": "20",
        "tags": "comment,author_rayiner",
    }
    story = parse_search("rust points:100", since=1_700_000_000, per_page=1000)
    assert story.params()["numericFilters"] == "points>=100,created_at_i>=1700000000"
    assert story.params()["hitsPerPage"] == "100"  # the API's cap
    assert parse_search("by:../x").author is None  # not a username: stays a word
    assert parse_search("   ").empty


def test_hits_are_parsed_defensively():
    assert parse_page({"nohits": []}) is None and parse_page([]) is None
    page = parse_page({"hits": [{"objectID": "x"}, 5, {"objectID": "12", "points": "9"}]})
    assert page is not None and [h.item_id for h in page.hits] == [12]
    assert page.hits[0].points is None and page.total == 1
    hit = parse_hit({"objectID": "7", "comment_text": "<p>hi", "story_id": 3, "_tags": []})
    assert hit is not None and (hit.kind, hit.story_id, hit.text) == ("comment", 3, "<p>hi")


def search(url: str, query: OnlineQuery):
    async def go():
        client = SearchClient(url)
        try:
            return await client.search(query)
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_client_sends_tags_and_filters_and_reads_pages(fake_search):
    page = search(fake_search.url, parse_search("by:rayiner", per_page=5))
    assert fake_search.queries[-1]["tags"] == "author_rayiner"
    assert page.total > 5 and len(page.hits) == 5 and page.pages > 1
    assert all(h.author == "rayiner" and h.story_id == IBM for h in page.hits)
    newest = search(fake_search.url, parse_search("type:story", by_date=True, per_page=3))
    times = [h.created for h in newest.hits]
    assert times == sorted(times, reverse=True) and all(h.kind == "story" for h in newest.hits)


def test_client_retries_a_500_and_reports_malformed_json(fake_search):
    fake_search.fault("500")
    assert search(fake_search.url, parse_search("IBM type:story")).hits[0].item_id == IBM
    fake_search.fault("malformed", times=3)
    with pytest.raises(APIError, match="malformed JSON"):
        search(fake_search.url, parse_search("IBM"))


def test_a_slow_search_meets_its_deadline(fake_search):
    fake_search.fault("delay", seconds=1, times=3)

    async def go():
        client = SearchClient(fake_search.url, deadline=0.3)  # covers every attempt
        try:
            return await client.search(parse_search("IBM"))
        finally:
            await client.aclose()

    with pytest.raises(HNError, match=r"no complete answer within 0\.3 s"):
        asyncio.run(go())


def test_hnterm_search_online_prints_hits_like_the_cache_search(fake_search, tmp_path, capsys):
    argv = ["search", "--online", "IBM", "--type", "story", "--cache-dir", str(tmp_path)]
    assert hnterm([*argv, "--search-url", fake_search.url]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines[0] == HEADER
    assert lines[1].split()[0] == str(IBM) and "IBM orders US sales" in lines[1]
    assert " points · " in lines[2] and " comments · " in lines[2]
    assert out.err == ""


def test_search_url_comes_from_the_environment(fake_search, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HNTERM_SEARCH_URL", fake_search.url)
    argv = ["search", "--online", "by:rayiner", "--json", "--limit", "3"]
    assert hnterm([*argv, "--cache-dir", str(tmp_path)]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3 and {hit["by"] for hit in hits} == {"rayiner"}
    assert fake_search.queries[-1]["hitsPerPage"] == "3"


def test_offline_or_unreachable_falls_back_to_the_cache_with_a_note(fake_search, tmp_path, capsys):
    cache = Cache(tmp_path)
    cache.put_items(IBM_ITEMS.values(), IBM)
    cache.close()
    fake_search.stop()
    argv = ["search", "--online", "IBM", "--cache-dir", str(tmp_path)]
    assert hnterm([*argv, "--search-url", fake_search.url]) == 0
    out = capsys.readouterr()
    assert out.err.startswith("hnterm search: HN search failed (cannot reach http://127.0.0.1:")
    assert out.err.rstrip().endswith("showing matches in the local cache only")
    assert str(IBM) in out.out
    assert hnterm([*argv, "--offline"]) == 0
    out = capsys.readouterr()
    assert out.err == "hnterm search: offline mode: showing matches in the local cache only\n"
    assert str(IBM) in out.out


def test_bad_search_url_is_one_line(tmp_path, capsys):
    argv = ["search", "--online", "x", "--search-url", "ftp://x/", "--cache-dir", str(tmp_path)]
    assert hnterm(argv) == 2  # a usage error: the usage, then one line that says why
    assert capsys.readouterr().err.splitlines()[-1] == (
        "hnterm search: error: argument --search-url: must be an http:// or https:// URL, "
        "not 'ftp://x/'"
    )
