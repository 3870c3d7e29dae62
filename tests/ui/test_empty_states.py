"""An empty list never hides a failure (issue 23, item 8): a list whose load failed says so in
the list, with the reason and how to retry, where an empty list would say there is nothing."""

from __future__ import annotations

import pytest
from aiohttp import web
from hnterm.storage.session import SessionStore
from hnterm.ui.widgets.story_list import StoryList

from tests.data import BIDEN, IBM
from tests.ui.conftest import wait_loaded, wait_until
from tests.webthread import ThreadedApp

SIZE = (120, 40)
COOKIE = "alice&s3cr3tc00k1e"


class NoFavouritesPage(ThreadedApp):
    """An HN web site without a favourites page: every request is answered 404."""

    def routes(self, app: web.Application) -> None:
        """None: aiohttp answers 404 Not Found to every path."""


@pytest.fixture
def no_favourites(tmp_path, monkeypatch):
    """alice logged in (her session in a 0600 file), hnterm pointed at a site that 404s."""
    monkeypatch.setenv("HNTERM_CONFIG_DIR", str(tmp_path / "config"))
    SessionStore(tmp_path / "config").save(COOKIE)
    server = NoFavouritesPage().start()
    monkeypatch.setenv("HNTERM_WEB_URL", f"http://127.0.0.1:{server.port}")
    yield server
    server.stop()


def shown(stories: StoryList) -> list[str]:
    return [str(stories.get_option_at_index(i).prompt) for i in range(stories.option_count)]


async def test_a_failed_favourites_fetch_is_said_in_the_list(make_app, fake_hn, no_favourites):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await wait_until(pilot, lambda: app.screen.account.account.cookie, "the session")
        stories = app.screen.query_one(StoryList)
        stories.focus()
        await pilot.press("8")
        await wait_until(pilot, lambda: stories.kind == "faves", "the favourites list")
        await wait_loaded(pilot)
        (line,) = shown(stories)
        assert line.startswith("Could not load HN favourites: ") and "404" in line
        assert line.endswith("; r retries")
        assert "No HN favourites yet" not in line


async def test_a_failed_story_list_says_why_and_r_retries(make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    fake_hn.fault("500", paths=["topstories"])
    app = make_app()  # nothing cached: no copy to fall back on
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        (line,) = shown(stories)
        assert line.startswith("Could not load Top: ") and "500" in line
        assert line.endswith("; r retries")
        fake_hn.clear_faults()
        stories.focus()
        await pilot.press("r")
        await wait_until(pilot, lambda: stories.ids == [BIDEN, IBM], "the list, retried")
        await wait_loaded(pilot)
        assert "Biden wins" in shown(stories)[0]


async def test_an_empty_list_that_loaded_says_it_is_empty(make_app, fake_hn):
    fake_hn.lists["jobstories"] = []
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        stories.focus()
        await pilot.press("6")
        await wait_until(pilot, lambda: stories.kind == "job", "the jobs list")
        await wait_loaded(pilot)
        (line,) = shown(stories)
        assert not line.startswith("Could not load")
        assert "No stories in this list" in line and "offline" not in line  # it loaded
