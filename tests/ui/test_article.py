"""``A``: the open story's article as reading text, against real local page and API servers.

The IBM story's ``url`` is pointed at the page server (tests/fakepages.py), so the app fetches
a shipped fixture page over HTTP, extracts it and shows it; offline it comes from the cache.
"""

from __future__ import annotations

import pytest
from hnterm.config import Config
from hnterm.storage.cache import Cache
from hnterm.ui.app import HNApp
from hnterm.ui.screens.article import ArticleScreen
from hnterm.ui.screens.main import MainScreen
from hnterm.ui.widgets.status_line import StatusLine
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Label, Static

from tests.data import IBM
from tests.ui.conftest import wait_loaded, wait_until

SIZE = (120, 40)


def article_shown(app) -> bool:
    return isinstance(app.screen, ArticleScreen) and app.screen.result is not None


async def read_article(pilot) -> None:
    """Once the thread is loaded, ``A``: wait for the story's article to be shown."""
    await wait_loaded(pilot)
    await pilot.press("A")
    await wait_until(pilot, lambda: article_shown(pilot.app), "the article")


def body(app) -> str:
    return str(app.screen.query_one("#article-text", Static).render())


def head(app) -> str:
    return str(app.screen.query_one("#article-head", Label).render())


async def test_A_reads_the_article_and_o_opens_its_numbered_links(fake_hn, make_app, pages):
    fake_hn.items[IBM]["url"] = pages.url("redirect")  # a 302 to the blog post
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await read_article(pilot)
        text = body(app)
        assert text.startswith("Debugging a slow SQLite query with EXPLAIN QUERY PLAN\n")
        assert "Jonas Berg · 2025-03-02" in text
        assert "  • then the column with the range condition," in text
        assert "    AND created_at > '2025-01-01'" in text  # code, indentation kept
        assert "query planner[1] explains" in text and "Great post" not in text
        assert head(app).startswith("Article · 356 words")
        await pilot.press("G")  # scrolls: the end of a long article is reachable
        scroll = app.screen.query_one("#article-scroll")
        await wait_until(pilot, lambda: scroll.scroll_y > 0, "scrolled down")
        await pilot.press("o", "2")  # the second link goes where a comment's link goes
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "back")
        status = str(app.screen.query_one(StatusLine).render())
        assert "https://www.sqlite.org/eqp.html" in status
        await pilot.press("A")  # again: from the cache, no second download
        await wait_until(pilot, lambda: article_shown(app), "the article again")
        assert pages.hits["blog.html"] == 1 and "cached" in head(app)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "closed")


async def test_a_read_article_opens_offline_with_every_server_gone(
    fake_hn, make_app, tmp_path, pages
):
    fake_hn.items[IBM]["url"] = pages.url("news.html")
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await read_article(pilot)
    pages.stop()
    fake_hn.stop()
    offline = make_app(IBM, offline=True)
    async with offline.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("A")
        await wait_until(pilot, lambda: article_shown(offline), "the cached article")
        text = body(offline)
        assert "City council approves night-train link to the coast" in text
        assert "A decision is expected in June." in text
        assert "Refinance your boat" not in text
        assert "cached" in head(offline)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("paywall", "the site refused (HTTP 403): a paywall or a login?"),
        ("paper.pdf", "not a web page (a PDF)"),
        ("huge", "the page is too large (over 4 MB)"),
        ("jsonly.html", "nothing to read on this page (its text may need JavaScript)"),
        ("slow", "no complete answer within 1 s (timeout)"),
    ],
)
async def test_each_failure_says_why_and_gives_the_url(fake_hn, tmp_path, pages, path, reason):
    url = pages.url(path)
    fake_hn.items[IBM]["url"] = url
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM, deadline=1.0))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("A")
        await wait_until(pilot, lambda: article_shown(app), "the outcome")
        assert head(app) == "Cannot read the article"
        assert body(app) == f"{reason}\nOpen it in the browser (O): {url}"
        assert await app.gateway.worker.run(Cache.get_article, IBM) is None
        await pilot.press("O")  # the URL goes to the browser (or is copied), the reader stays
        assert isinstance(app.screen, ArticleScreen)
        assert url in str(app.screen.query_one(StatusLine).render())


async def test_a_hostile_page_reaches_the_screen_only_as_plain_text(fake_hn, make_app, pages):
    fake_hn.items[IBM]["url"] = pages.url("hostile.html")
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await read_article(pilot)
        text = body(app)
        assert "[bold]not bold[/bold]" in text and "[@click=app.quit]click to quit[/]" in text
        assert not any(c in text for c in "\x1b\x07\x9b\u202e\u200b")
        assert app.screen.links == ("https://example.org/safe",)
        # The markup is drawn as its characters, in the plain text style: no click action
        # (a "[@click=app.quit]" run as markup quits on a click), no link, not bold.
        article = app.screen.query_one("#article-text", Static)

        def drawn() -> list[Strip]:
            return article.render_lines(Region(0, 0, article.size.width, article.size.height))

        def marked() -> list[Strip]:
            return [line for line in drawn() if "[@click=app.quit]" in line.text]

        await wait_until(pilot, marked, "the article drawn")  # laid out a frame after it is set
        assert "[bold]not bold[/bold]" in "".join(line.text for line in drawn())
        for segment in (segment for line in marked() for segment in line):
            style = segment.style or Style()
            assert "@click" not in style.meta and not style.link and not style.bold, segment
        await pilot.press("o", "1")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "back")


async def test_A_on_a_text_post_says_there_is_no_article(fake_hn, make_app):
    fake_hn.items[IBM].pop("url", None)
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        status = str(app.screen.query_one(StatusLine).render())
        assert status == "This story has no linked article (it is a text post)"
