"""Reply numbers are bindings: ``>`` then a number follows a reply in the comment pane and
opens one in the context view, a number picks in a pick list; each can be moved by its id
in the keymap, and the help screen lists them (as the keymap has them)."""

from __future__ import annotations

from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.screens.context import ContextScreen
from hnterm.ui.screens.help import HelpScreen
from hnterm.ui.screens.pick import PickScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from rich.console import Console

from tests.data import IBM
from tests.ui.conftest import notices, wait_loaded, wait_until

SIZE = (120, 40)


def reader(fake_hn, tmp_path, keys: dict[str, str]) -> HNApp:
    return HNApp(Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM, keys=keys))


async def open_fork(pilot) -> tuple[CommentView, int]:
    """The comment pane focused on a comment with exactly two replies."""
    await wait_loaded(pilot)
    view = pilot.app.screen.query_one(CommentView)
    view.focus()
    thread = view.thread
    fork = next(i for i in thread.order() if i != IBM and len(thread.children(i)) == 2)
    view.jump(fork)
    await pilot.pause()
    return view, fork


def help_rows(app: HNApp, place: str, after: str | None = None) -> list[str]:
    """The help screen's rows for ``place`` (up to the heading ``after``), one space
    between words."""
    assert isinstance(app.screen, HelpScreen)
    console = Console(record=True, width=120)
    console.print(app.screen.key_table())
    text = console.export_text()
    end = text.index(after) if after is not None else len(text)
    return [" ".join(line.split()) for line in text[text.index(place) : end].splitlines()]


async def test_remapped_reply_keys_follow_a_reply_and_help_lists_them(fake_hn, tmp_path):
    keys = {"comments.follow_reply": "ctrl+g", "comments.number_2": "~"}  # & narrows a thread
    app = reader(fake_hn, tmp_path, keys)
    async with app.run_test(size=SIZE) as pilot:
        view, fork = await open_fork(pilot)
        second = view.thread.children(fork)[1]
        await pilot.press("greater_than_sign", "tilde")  # > is no longer the key
        assert view.cursor == fork
        await pilot.press("ctrl+g")
        status = app.screen.query_one(StatusLine)
        assert status.message == "Follow which reply? 1 ~ (R lists them all)"
        await pilot.press("2")  # 2 is no longer reply 2: the wait ends, nothing moves
        assert view.cursor == fork
        await pilot.press("ctrl+g", "tilde")
        assert view.cursor == second
        await pilot.press("tilde")  # not right after the follow key: nothing
        assert view.cursor == second
        await pilot.press("question_mark")
        rows = help_rows(app, "Comments", "Context view")
        assert "^g Follow reply n" in rows  # keys as the footer writes them
        assert "1 ~ 3 4 5 6 7 8 9 Reply n, after follow reply" in rows
    assert not any("[keys]" in notice for notice in notices(app))  # every id is known


async def test_the_context_view_and_pick_lists_take_remapped_numbers(fake_hn, tmp_path):
    keys = {"context.number_2": "exclamation_mark", "pick.number_1": "ctrl+y"}
    app = reader(fake_hn, tmp_path, keys)
    async with app.run_test(size=SIZE) as pilot:
        view, fork = await open_fork(pilot)
        first, second = view.thread.children(fork)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ContextScreen), "the context")
        await pilot.press("G")
        assert app.screen.focused.item_id == fork
        await pilot.press("greater_than_sign", "2")  # 2 moved: it opens nothing here
        assert isinstance(app.screen, ContextScreen)
        await pilot.press("greater_than_sign", "exclamation_mark")
        await wait_until(pilot, lambda: view.cursor == second, "reply 2 in the thread")
        view.jump(fork)
        await pilot.press("R")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen), "the replies list")
        await pilot.press("1")  # moved: the list stays open
        assert isinstance(app.screen, PickScreen)
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: view.cursor == first, "reply 1 picked")
        await pilot.press("question_mark")
        rows = help_rows(app, "Context view", "Pick lists")
        assert "1 ! 3 4 5 6 7 8 9 Reply n, after open reply" in rows
        rows = help_rows(app, "Pick lists")
        assert "^y 2 3 4 5 6 7 8 9 Pick entry n" in rows
