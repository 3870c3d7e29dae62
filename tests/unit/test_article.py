"""Articles without a terminal: extraction of the shipped pages, safe rendering of a hostile
one, the cache's form, fetching from a real local page server with each way it can fail, and
the cache and offline rules of ``load_article``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hnterm.net.article_fetch import ArticleError, article_policy, fetch_page
from hnterm.render.article import (
    STYLES,
    Article,
    Block,
    article_from_json,
    article_to_json,
    extract,
    render_article,
)
from hnterm.services.articles import MIN_WORDS, load_article
from hnterm.services.source import Source
from hnterm.storage.cache import Cache
from hnterm.storage.worker import CacheWorker

from tests.fakepages import ARTICLES, FakePages, allow_loopback

EXPECTED = json.loads((ARTICLES / "expectations.json").read_text())
UNSAFE = ["\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u200b", "\x00", "\r"]


@pytest.fixture(scope="module")
def pages() -> Iterator[FakePages]:
    with FakePages() as server:
        yield server


@pytest.fixture(autouse=True)
def reachable(pages: FakePages, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page server is reachable through the test-only setting (what happens without it:
    tests/unit/test_net_policy.py)."""
    allow_loopback(monkeypatch, pages)


@pytest.mark.parametrize("page", sorted(p for p in EXPECTED if not EXPECTED[p].get("empty")))
def test_each_page_keeps_its_text_and_drops_its_boilerplate(page: str):
    expected = EXPECTED[page]
    article = extract((ARTICLES / page).read_bytes(), f"https://example.com/{page}")
    text = render_article(article).plain
    body = "\n".join(text.split("\n")[2:])
    assert [s for s in expected["keep"] if s not in text] == []
    assert [s for s in expected["drop"] if s in body] == []
    assert expected["title"] in article.title or expected["title"] in text
    assert article.words >= MIN_WORDS


def test_structure_survives_code_lists_headings_links():
    article = extract((ARTICLES / "blog.html").read_bytes(), "https://example.com/blog")
    kinds = [block.kind for block in article.blocks]
    assert kinds.count("code") == 3 and kinds.count("li") == 7 and kinds.count("h") == 3
    assert "quote" in kinds
    assert article.byline == "Jonas Berg" and article.date == "2025-03-02"
    assert article.links == (
        "https://www.sqlite.org/queryplanner.html",
        "https://www.sqlite.org/eqp.html",
    )
    text = render_article(article).plain
    assert "query planner[1] explains" in text and "QUERY PLAN[2] lists" in text
    assert "  1. Reproduce it in the shell" in text
    code = next(block for block in article.blocks if block.kind == "code").runs[0][0]
    assert code.splitlines()[-1] == " GROUP BY user_id;"  # indentation kept verbatim


def test_a_js_only_page_has_nothing_to_read():
    article = extract((ARTICLES / "jsonly.html").read_bytes(), "https://example.com/app")
    assert article.words < MIN_WORDS
    assert "__INITIAL_STATE__" not in render_article(article).plain


def test_nothing_hostile_reaches_the_terminal():
    article = extract((ARTICLES / "hostile.html").read_bytes(), "https://example.com/h")
    text = render_article(article)
    assert [c for c in UNSAFE if c in text.plain] == []
    assert all(ord(c) >= 32 or c == "\n" for c in text.plain)
    # Rich markup in the page is literal text, never style or action.
    assert "[bold]not bold[/bold]" in text.plain
    assert "[@click=app.quit]click to quit[/]" in text.plain
    assert all(span.style in _allowed_styles() for span in text.spans)
    assert not any("@click" in str(span.style) or "link " in str(span.style) for span in text.spans)
    # Only the http(s) link is a link; the others are their text alone.
    assert article.links == ("https://example.org/safe",)
    assert "javascript link, a data link, a file link and a safe link[1]" in text.plain
    assert "javascript:" not in text.plain and "data:" not in text.plain
    assert "AAECAwQF" not in text.plain and len(text.plain) < 3_000  # no inline data
    assert "\x1b" not in article.title + article.byline


def test_rendering_sanitises_a_tampered_cache_row():
    bad = Article(
        "https://example.com/",
        title="\x1b]0;x\x07Title",
        blocks=(Block("p", (("\x1b[2Jtext [red]x[/]", 0, 0),)),),
    )
    text = render_article(bad)
    assert "\x1b" not in text.plain and "\x07" not in text.plain
    assert "text [red]x[/]" in text.plain


def test_the_cache_form_round_trips_and_refuses_damage():
    article = extract((ARTICLES / "blog.html").read_bytes(), "https://example.com/blog")
    assert article_from_json(article_to_json(article)) == article
    assert article_from_json("{not json") is None
    assert article_from_json('{"blocks": 3}') is None
    data = json.loads(article_to_json(article))
    data["links"][0] = "javascript:alert(1)"
    assert article_from_json(json.dumps(data)) is None


# --- fetching -----------------------------------------------------------------------------


async def test_fetch_follows_redirects_to_the_page(pages: FakePages):
    page = await fetch_page(pages.url("redirect-chain"))
    assert page.url == pages.url("blog.html")
    assert b"EXPLAIN QUERY PLAN" in page.body and page.charset == "utf-8"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("paywall", "the site refused (HTTP 403): a paywall or a login?"),
        ("paper.pdf", "not a web page (a PDF)"),
        ("huge", "the page is too large (over 4 MB)"),
        ("loop", "more than 5 redirects"),
        ("to-file", "not an http(s) link"),
        ("missing.html", "the site answered HTTP 404"),
    ],
)
async def test_fetch_failures_say_why(pages: FakePages, path: str, reason: str):
    with pytest.raises(ArticleError) as failed:
        await fetch_page(pages.url(path))
    assert str(failed.value) == reason


async def test_a_page_that_never_answers_hits_the_deadline(pages: FakePages):
    with pytest.raises(ArticleError) as failed:
        await fetch_page(pages.url("slow"), replace(article_policy(), timeout=0.3, deadline=0.3))
    assert str(failed.value) == "no complete answer within 0.3 s (timeout)"


# --- cache and offline --------------------------------------------------------------------


async def test_an_article_is_kept_and_read_offline(pages: FakePages, tmp_path: Path):
    from hnterm.net.client import HNClient

    cache = CacheWorker(tmp_path / "cache")
    client = HNClient("http://127.0.0.1:9/v0/", deadline=5.0)
    try:
        online = Source(client, cache)
        first = await load_article(online, 7, pages.url("news.html"))
        assert first.error is None and first.article is not None and not first.from_cache
        assert pages.hits["news.html"] == 1
        offline = Source(None, cache)
        again = await load_article(offline, 7, pages.url("news.html"))
        assert again.from_cache and again.article == first.article
        assert pages.hits["news.html"] == 1  # from the cache, not the server
        missing = await load_article(offline, 8, pages.url("blog.html"))
        assert missing.article is None
        assert missing.error == "offline, and this article is not in the cache"
        empty = await load_article(online, 9, pages.url("jsonly.html"))
        assert empty.error == "nothing to read on this page (its text may need JavaScript)"
        assert await cache.run(Cache.get_article, 9) is None
    finally:
        await client.aclose()
        await cache.aclose()


def test_pruning_a_thread_drops_its_article(tmp_path: Path):
    cache = Cache(tmp_path / "cache")
    article = Article("https://example.com/", "T", blocks=(Block("p", (("words", 0, 0),)),))
    cache.put_article(42, article, 1000.0)
    got = cache.get_article(42)
    assert got is not None and got.article == article and got.fetched == 1000.0
    cache.clear()
    assert cache.get_article(42) is None


def _allowed_styles() -> set:
    from itertools import combinations

    from rich.style import Style

    base = list(STYLES.values())
    allowed = set(base)
    for size in (2, 3):
        for combo in combinations(base, size):
            allowed.add(Style.combine(combo))
    return allowed
