"""Opening items from inside the app (issue 11): ``:`` takes an id or a link and ``b`` comes
back, an HN link in a comment opens here, and ``O`` without a browser copies the link."""

from __future__ import annotations

from hnterm.ui.screens.open_item import OpenItemScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from textual import events
from textual.widgets import Input

from tests.data import IBM
from tests.ui.conftest import wait_loaded

ASK_NO_COMMENTS = 26298314  # an Ask HN with its question in `text` and no replies
LESS_SLOW = 43727743  # a story with 88 comments

SIZE = (120, 40)


async def test_colon_opens_an_id_or_a_link_and_b_comes_back(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        await pilot.press("j", "j")
        place = view.cursor
        await pilot.press("colon")
        assert isinstance(app.screen, OpenItemScreen)
        await pilot.press(*"nonsense", "enter")
        assert isinstance(app.screen, OpenItemScreen)  # refused, with a reason
        assert "Not an HN item" in str(app.screen.query_one("#open-item-error").render())
        await pilot.press(*["backspace"] * 8, *str(LESS_SLOW), "enter")
        await wait_loaded(pilot)
        assert view.thread.root_id == LESS_SLOW
        await pilot.press("colon")  # and paste a link, as a reader does
        app.screen.query_one(Input).post_message(
            events.Paste(f"https://news.ycombinator.com/item?id={ASK_NO_COMMENTS}")
        )
        await pilot.press("enter")
        await wait_loaded(pilot)
        assert view.thread.root_id == ASK_NO_COMMENTS
        await pilot.press("b")
        await wait_loaded(pilot)
        assert view.thread.root_id == LESS_SLOW
        await pilot.press("b")
        await wait_loaded(pilot)
        assert view.thread.root_id == IBM and view.cursor == place


async def test_an_hn_item_link_in_a_comment_opens_here(make_app, fake_hn):
    commenter = fake_hn.items[IBM]["kids"][0]
    fake_hn.items[commenter]["text"] = (
        f'See <a href="https://news.ycombinator.com/item?id={LESS_SLOW}">the other thread</a>'
    )
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        view.jump(commenter)
        await pilot.press("o", "1")
        await wait_loaded(pilot)
        assert view.thread.root_id == LESS_SLOW
        await pilot.press("b")
        await wait_loaded(pilot)
        assert view.thread.root_id == IBM and view.cursor == commenter


async def test_o_without_a_browser_copies_the_link_and_says_so(make_app, fake_hn, monkeypatch):
    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    opened: list[str] = []
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
        await pilot.press("O")  # the story's URL
        url = fake_hn.items[IBM]["url"]
        message = app.screen.query_one(StatusLine).message
        assert opened == [] and app.clipboard == url
        assert message == f"No browser here: copied {url} to the clipboard"
