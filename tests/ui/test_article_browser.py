"""``O`` in the article reader (issue 23, item 9): the story's URL goes to the browser, or is
copied where there is none, the reader stays open, and its status line says which, with the
URL."""

from __future__ import annotations

import pytest
from hnterm.ui.screens.article import ArticleScreen
from hnterm.ui.widgets.status_line import StatusLine

from tests.data import IBM
from tests.ui.conftest import wait_loaded, wait_until

SIZE = (120, 40)


@pytest.fixture
def no_browser(monkeypatch) -> None:
    """An SSH session: no display, no $BROWSER."""
    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)


async def open_article(pilot) -> ArticleScreen:
    await wait_loaded(pilot)
    await pilot.press("A")
    app = pilot.app
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, ArticleScreen) and app.screen.result is not None,
        "the article",
    )
    assert isinstance(app.screen, ArticleScreen)
    return app.screen


def article_status(screen: ArticleScreen) -> str:
    return screen.query_one(StatusLine).message


@pytest.mark.usefixtures("no_browser")
async def test_O_without_a_browser_copies_the_url_and_the_reader_stays(fake_hn, make_app, pages):
    url = fake_hn.items[IBM]["url"] = pages.url("blog.html")
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("j")
        await pilot.press("O")
        assert app.screen is reader  # still reading
        assert app.clipboard == url
        assert article_status(reader) == f"No browser here: copied {url} to the clipboard"
        assert f"copied {url}" in str(reader.query_one(StatusLine).render())  # drawn, whole
        await pilot.press("b")
        await wait_until(pilot, lambda: not isinstance(app.screen, ArticleScreen), "closed")


async def test_O_with_a_browser_sends_the_url_and_the_reader_stays(
    fake_hn, make_app, pages, monkeypatch
):
    monkeypatch.setenv("BROWSER", "true")  # a browser is named (nothing is launched: see below)
    url = fake_hn.items[IBM]["url"] = pages.url("paywall")  # unreadable: O is the way on
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        opened: list[str] = []
        monkeypatch.setattr(app, "open_url", lambda link, new_tab=True: opened.append(link))
        reader = await open_article(pilot)
        await pilot.press("O")
        assert app.screen is reader and opened == [url]
        assert article_status(reader) == f"Sent to the browser: {url}"


@pytest.mark.usefixtures("no_browser")
async def test_a_long_url_is_said_whole_at_80_columns(fake_hn, make_app, pages):
    url = fake_hn.items[IBM]["url"] = pages.url("blog.html") + "?" + "long-query=1&" * 4
    app = make_app(IBM)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("O")
        line = reader.query_one(StatusLine)
        await pilot.pause()
        drawn = "".join(
            "".join(s.text for s in line.render_line(y)).strip() for y in range(line.size.height)
        )
        assert url in drawn and line.size.height > 1  # wrapped, not cut
