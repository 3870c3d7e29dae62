"""A failed ``:`` open (issue 23, item 2): the thread open stays as it was (its cursor, the
list's ``▶``, the history) and the status line says why; the pane keeps answering keys."""

from __future__ import annotations

import pytest
from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import StoryList

from tests.fakehn import FakeHN, generate_thread
from tests.ui.conftest import wait_loaded, wait_until

GENERATED = 90_000_000  # the fake API's generated thread (python -m tests.fakehn --generated)
MISSING = 99_999_999_999  # an id the API has no item for


@pytest.fixture
def generated_hn():
    """The fixtures, and the generated 3,000-comment thread first in the top list."""
    with FakeHN.from_fixtures() as server:
        server.items.update(generate_thread(GENERATED))
        server.lists["topstories"] = [GENERATED, *server.lists["topstories"]]
        yield server


def status(app: HNApp) -> str:
    return app.screen.query_one(StatusLine).message


def marked_open(app: HNApp) -> list[int]:
    """The stories the list shows with ``▶`` (the one open in the thread pane)."""
    stories = app.screen.query_one(StoryList)
    prompts = [stories.get_option_at_index(i).prompt for i in range(stories.option_count)]
    return [
        stories.ids[i]
        for i, prompt in enumerate(prompts)
        if "▶" in getattr(prompt, "plain", str(prompt))
    ]


async def open_by_colon(pilot, item_id: int) -> None:
    await pilot.press("colon", *str(item_id), "enter")


async def test_a_failed_open_leaves_the_thread_its_cursor_mark_and_history(generated_hn, tmp_path):
    config = Config(api_url=generated_hn.url, cache_dir=tmp_path / "cache", item=GENERATED)
    app = HNApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        await pilot.press("right_square_bracket")
        first = view.cursor
        await pilot.press("right_square_bracket")
        place, top = view.cursor, view.scroll_y
        assert place not in (None, GENERATED, first)
        await wait_until(pilot, lambda: marked_open(app) == [GENERATED], "the ▶ on the story")
        thread = view.thread

        await open_by_colon(pilot, MISSING)
        await wait_loaded(pilot)

        assert app.screen.thread is thread and view.thread is thread
        assert view.cursor == place and view.scroll_y == top
        assert marked_open(app) == [GENERATED]
        said = status(app)
        assert said == f"Item {MISSING} is not available: HN has no such item"
        # The pane still answers: j moves on; b walks back the places before the failed
        # open (none was pushed for it), then there is nothing earlier.
        await pilot.press("j")
        assert view.cursor not in (None, place)
        await pilot.press("b")
        assert view.cursor == first
        assert status(app).startswith("Comment ")  # where it is, not "Nothing to fold…"
        await pilot.press("b")
        assert view.cursor == GENERATED
        await pilot.press("b")
        assert status(app) == "No earlier place in the history"
        assert view.thread is thread and not app.workers
