"""``F``: search all of HN as you type (against the fake search server on 127.0.0.1), open a
result in hnterm, the latest query winning over a slow earlier one, and the offline fallback
to the cache with its note."""

from __future__ import annotations

import pytest
from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.screens.hn_search import HNSearchScreen
from hnterm.ui.screens.main import MainScreen
from hnterm.ui.widgets.comment_view import CommentView
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.worker import Worker, WorkerState

from tests.data import IBM
from tests.fakesearch import FakeSearch
from tests.ui.conftest import wait_loaded, wait_until

SIZE = (120, 40)


@pytest.fixture
def fake_search():
    with FakeSearch() as server:
        yield server


def app_for(fake_hn, fake_search, tmp_path, *, offline: bool = False) -> HNApp:
    return HNApp(
        Config(
            api_url=fake_hn.url,
            search_url=fake_search.url,
            cache_dir=tmp_path / "cache",
            offline=offline,
        )
    )


def search_shown(app) -> bool:
    return isinstance(app.screen, HNSearchScreen) and bool(app.screen.query("#hn-search-title"))


def options_text(results: OptionList) -> list[str]:
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


def searches(messages: list[Message]) -> dict[str, WorkerState]:
    """Each search the box started (``run_search('IBM')``) and the state it is in, read from
    the messages the app handled (``run_test(message_hook=...)``): a search that reached the
    screen ended SUCCESS, one a newer query replaced ended CANCELLED."""
    return {
        message.worker.description: message.state
        for message in messages
        if isinstance(message, Worker.StateChanged) and message.worker.group == "hn-search"
    }


async def test_type_a_query_and_open_a_result_in_its_thread(fake_hn, fake_search, tmp_path):
    app = app_for(fake_hn, fake_search, tmp_path)
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await wait_loaded(pilot)
        await pilot.press("F")
        await wait_until(pilot, lambda: search_shown(app), "the search")
        screen = app.screen
        fake_search.fault("delay", seconds=1.0)  # the first query is slow...
        await pilot.press(*"ray")
        await wait_until(pilot, lambda: fake_search.queries, "the first request")
        await pilot.press("backspace", "backspace", "backspace", *"type:story IBM")  # replaced
        results = screen.query_one(OptionList)
        latest = "run_search('type:story IBM')"
        await wait_until(
            pilot, lambda: searches(messages).get(latest) == WorkerState.SUCCESS, "the search"
        )
        before = searches(messages)
        assert (
            fake_search.queries[-1]["query"] == "IBM" and "story" in fake_search.queries[-1]["tags"]
        )
        assert options_text(results)[0].startswith("IBM orders US sales")
        await wait_until(pilot, lambda: fake_search.answered == 2, "the slow answer", 5)
        await pilot.pause()
        assert searches(messages) == before  # nothing reached the screen since...
        assert before["run_search('ray')"] == WorkerState.CANCELLED  # ...the slow query ended
        assert options_text(results)[0].startswith("IBM orders US sales")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "back")
        view = app.screen.query_one(CommentView)
        await wait_until(
            pilot, lambda: view.thread is not None and view.thread.root_id == IBM, "IBM"
        )


async def test_offline_searches_the_cache_and_says_so(fake_hn, fake_search, tmp_path):
    async with app_for(fake_hn, fake_search, tmp_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        app.screen.open_item(IBM)
        await wait_loaded(pilot)  # the IBM thread is now cached
    app = app_for(fake_hn, fake_search, tmp_path, offline=True)
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await wait_loaded(pilot)
        await pilot.press("F")
        await wait_until(pilot, lambda: search_shown(app), "the search")
        await pilot.press(*"IBM")
        screen = app.screen
        await wait_until(
            pilot,
            lambda: searches(messages).get("run_search('IBM')") == WorkerState.SUCCESS,
            "the search",
        )
        title = str(screen.query_one("#hn-search-title", Label).render())
        assert title.startswith("offline mode: showing matches in the local cache only")
        assert screen.query_one(OptionList).option_count > 0
        assert fake_search.queries == []
