"""Hostile comment text is shown as text and nothing more; odd sizes never break layout."""

from __future__ import annotations

import re

import pytest
from hnterm.ui.widgets.comment_view import CommentView
from rich.segment import Segment

from tests.fakehn import FakeHN
from tests.hostile import HOSTILE_IDS, HOSTILE_TEXTS, ROOT, hostile_thread
from tests.ui.conftest import wait_loaded, wait_until

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


def body_segments(view: CommentView, item_id: int) -> list[Segment]:
    """The drawn segments of one comment's text: its lines below the byline, blanks left out."""
    top = view.comment_layout.top(item_id)
    lines = [line_at(view, y) for y in range(top + 1, top + view.comment_layout.height(item_id))]
    return [segment for line in lines for segment in line if segment.text.strip()]


def body_text(view: CommentView, item_id: int) -> str:
    return "".join(segment.text for segment in body_segments(view, item_id)).strip()


async def test_hostile_text_reaches_the_screen_as_plain_text(hostile_app):
    async with hostile_app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        view = hostile_app.screen.query_one(CommentView)
        assert len(view.thread) == len(hostile_thread()) - 1
        text = "\n".join(screen_lines(view))
        assert not FORBIDDEN.search(text), repr(FORBIDDEN.search(text))
        for literal in ("[bold]not bold[/bold]", "[@click=app.quit]quit[/]", "[red]still literal"):
            assert literal in text
        # Markup is drawn as its own characters in the plain text style: not bold, not red,
        # no link and no click action (a "[@click=app.quit]" run as markup quits on a click).
        # Each drawn cell's meta names its comment (what a click reads), and nothing else.
        plain = body_segments(view, ROOT + 100)[0].style.clear_meta_and_links()
        for name in ("rich markup", "textual action"):
            assert body_text(view, HOSTILE_IDS[name]) == HOSTILE_TEXTS[name]
            for segment in body_segments(view, HOSTILE_IDS[name]):
                style = segment.style
                assert style and style.clear_meta_and_links() == plain, (name, segment)
                assert style.meta == {"item": HOSTILE_IDS[name]} and not style.link
        reply = body_segments(view, ROOT + 101)  # a reply: its depth guide, then its text
        assert reply[-1].text.strip() == "[red]still literal[/red]"
        assert reply[-1].style and reply[-1].style.clear_meta_and_links() == plain
        # The unsafe links keep their words; only the https one shows (and offers) its URL.
        links = HOSTILE_IDS["unsafe links"]
        assert body_text(view, links) == "js file data fine (https://ok.example/[1])"
        assert not any(part.style and part.style.link for part in body_segments(view, links))
        for scheme in ("javascript:", "file:", "data:"):
            assert scheme not in body_text(view, links)


async def test_unsafe_links_are_never_offered(hostile_app, monkeypatch):
    opened = []
    async with hostile_app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        monkeypatch.setenv("BROWSER", "true")  # a browser exists; open_url records the call
        monkeypatch.setattr(hostile_app, "open_url", lambda url, new_tab=True: opened.append(url))
        view = hostile_app.screen.query_one(CommentView)
        links_comment = HOSTILE_IDS["unsafe links"]
        assert "javascript:" in (view.thread.items[links_comment].text or "")
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
        main = hostile_app.screen
        view = main.query_one(CommentView)
        width = view.scrollable_content_region.width
        for y in range(0, min(view.virtual_size.height, 400)):
            assert line_at(view, y).cell_length == width
        rows = view.thread.rows()
        await pilot.press("G")
        assert view.cursor == rows[-1]
        await pilot.press("a")  # the context view of the last comment, and back
        await wait_until(pilot, lambda: hostile_app.screen is not main, "the context view")
        await pilot.press("escape")
        await wait_until(pilot, lambda: hostile_app.screen is main, "the thread again")
        await pilot.press("g", "z")
        assert view.cursor == rows[0]
        assert view.thread.rows() == [ROOT, *view.thread.children(ROOT)]  # all folded
        await pilot.press("Z")
        assert view.thread.rows() == rows
        assert all(line_at(view, y).cell_length == width for y in range(view.size.height))


async def test_resizing_mid_load_keeps_the_tree(make_app, fake_hn):
    fake_hn.delay = 0.02
    app = make_app(43727727)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_until(pilot, lambda: view.thread and len(view.thread) > 20, "some comments")
        resized_while_loading = 0
        for width, height in ((40, 12), (200, 60), (60, 20), (120, 40)):
            await pilot.resize_terminal(width, height)
            await wait_until(pilot, lambda w=width: view.region.right == w, "the new width")
            resized_while_loading += app.screen.thread_loading
        assert resized_while_loading
        await wait_loaded(pilot)
        assert len(view.thread) == 352
        tops = [view.comment_layout.top(i) for i in view.comment_layout.rows]
        assert tops == sorted(tops)
        assert view.virtual_size.height == sum(
            view.comment_layout.height(i) for i in view.comment_layout.rows
        )
        width = view.scrollable_content_region.width
        assert all(view.render_line(y).cell_length == width for y in range(10))
