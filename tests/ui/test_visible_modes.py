"""What the reader can see of the app's state and do (issue 11): the open story marked, modes
and actions said on the status line and the border, and a palette with nothing twice and
nothing that cannot work."""

from __future__ import annotations

from hnterm.ui.commands import bound_actions
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import StoryList

from tests.data import BIDEN, IBM
from tests.ui.conftest import wait_loaded

SIZE = (120, 40)


async def test_modes_and_actions_are_visible(make_app, fake_hn):
    fake_hn.lists["topstories"] = [IBM, BIDEN]
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        stories = app.screen.query_one(StoryList)
        status = app.screen.query_one(StatusLine)
        assert stories.open_id == IBM
        assert str(stories.get_option_at_index(0).prompt).startswith("▶ ")
        await pilot.press("j", "space")
        assert status.message.startswith("Collapsed 1 comment:")
        await pilot.press("space")
        assert status.message == "Expanded 1 comment"
        await pilot.press("f")
        assert view.border_title and "u leaves" in view.border_title
        await pilot.press("u")
        assert not view.border_title
        stories.focus()
        await pilot.press("7")
        await wait_loaded(pilot)
        assert "Nothing saved yet" in str(stories.get_option_at_index(0).prompt)


async def test_the_palette_has_no_duplicates_and_nothing_that_cannot_work(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        keys = {action.title for action in bound_actions(app.screen)}
        assert "Screenshot" not in titles and "Open item" in keys and not keys & set(titles)
