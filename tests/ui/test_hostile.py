"""Hostile comment text is shown as text and nothing more; odd sizes never break layout."""

from __future__ import annotations

import re

import pytest
from hnterm.ui.widgets.comment_view import CommentView

from tests.fakehn import FakeHN
from tests.hostile import ROOT, hostile_thread
from tests.ui.conftest import wait_loaded

FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@pytest.fixture
def hostile_server():
    with FakeHN(hostile_thread()) as server:
        server.lists["topstories"] = [ROOT]
        yield server


@pytest.fixture
def hostile_app(hostile_server, tmp_path):
    from hnterm.config import Config
    from hnterm.ui.app import HNApp

    return HNApp(Config(api_url=hostile_server.url, cache_dir=tmp_path, item=ROOT))


def screen_lines(view: CommentView) -> list[str]:
    """Every line of the whole thread as the terminal would get it (segment text only)."""
    return [
        "".join(segment.text for segment in line_at(view, y))
        for y in range(view.virtual_size.height)
    ]


def line_at(view: CommentView, y: int):
    """The strip ``render_line`` gives for line y of the thread (scrolling there first)."""
    view.scroll_to(y=y, animate=False, immediate=True)
    return view.render_line(y - round(view.scroll_y))


async def test_hostile_text_reaches_the_screen_as_plain_text(hostile_app):
    async with hostile_app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        view = hostile_app.screen.query_one(CommentView)
        assert len(view.thread) == len(hostile_thread()) - 1
        text = "\n".join(screen_lines(view))
        assert not FORBIDDEN.search(text), repr(FORBIDDEN.search(text))
        for literal in ("[bold]not bold[/bold]", "[@click=app.quit]quit[/]", "[red]still literal"):
            assert literal in text
        assert "https://ok.example/" in text
        assert "javascript:" not in text and "file:///etc/passwd" not in text.split("[link=")[0]
        assert hostile_app.is_running  # the [@click=app.quit] was never an action


async def test_unsafe_links_are_never_offered(hostile_app, monkeypatch):
    opened = []
    async with hostile_app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        monkeypatch.setenv("BROWSER", "true")  # a browser exists; open_url records the call
        monkeypatch.setattr(hostile_app, "open_url", lambda url, new_tab=True: opened.append(url))
        view = hostile_app.screen.query_one(CommentView)
        links_comment = next(
            i for i, item in view.thread.items.items() if "javascript:" in (item.text or "")
        )
        view.jump(links_comment)
        await pilot.press("o")
        await pilot.pause()
        choices = [value for value, _ in hostile_app.screen.choices]
        assert choices == ["https://ok.example/"]
        await pilot.press("1")
        await pilot.pause()
        assert opened == ["https://ok.example/"]


@pytest.mark.parametrize("size", [(40, 12), (80, 24), (300, 100)])
async def test_every_line_fits_the_width_at_any_size(hostile_app, size):
    async with hostile_app.run_test(size=size) as pilot:
        await wait_loaded(pilot)
        view = hostile_app.screen.query_one(CommentView)
        width = view.scrollable_content_region.width
        for y in range(0, min(view.virtual_size.height, 400)):
            assert line_at(view, y).cell_length == width
        await pilot.press("G", "a", "escape", "g", "z", "Z")
        assert hostile_app.is_running


async def test_resizing_mid_load_keeps_the_tree(make_app, fake_hn):
    fake_hn.delay = 0.02
    app = make_app(43727727)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.15)
        for size in ((40, 12), (200, 60), (60, 20), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.05)
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert len(view.thread) == 352
        tops = [view.comment_layout.top(i) for i in view.comment_layout.rows]
        assert tops == sorted(tops)
        assert view.virtual_size.height == sum(
            view.comment_layout.height(i) for i in view.comment_layout.rows
        )
        width = view.scrollable_content_region.width
        assert all(view.render_line(y).cell_length == width for y in range(10))
