"""Narrowing a thread (issue 26, items 1 and 2) in the real app against the fakes: ``&`` keeps
the top-level posts a query matches (their replies folded), the title says "N of M shown", the
matches are highlighted, esc shows every comment again; ``hnterm hiring QUERY`` starts the
reader on the "Who is hiring?" thread narrowed; the palette's "Who is hiring?" finds it."""

from __future__ import annotations

import pytest
from hnterm.config import Config
from hnterm.ui.hiring_app import HiringApp, HiringStart
from hnterm.ui.screens.narrow import NarrowScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine

from tests.fakehn.hiring import hiring_items, serve_hiring
from tests.fakesearch import FakeSearch
from tests.ui.conftest import notices, wait_loaded, wait_until

SIZE = (120, 40)
DATA = hiring_items(posts=300)
STORY = DATA.stories[("hiring", "November 2026")]
REMOTE = [p for p in DATA.posts[STORY] if p in DATA.remote[STORY]]


@pytest.fixture
def hiring_hn(fake_hn):
    serve_hiring(fake_hn, DATA)
    return fake_hn


def view_of(app) -> CommentView:
    return app.screen.query_one(CommentView)


def marked_words(view: CommentView, item_id: int) -> set[str]:
    """The words of a row's text drawn in a style of their own (a match's, a link's...)."""
    body = view.comment_layout.body_text(item_id)
    assert body is not None
    return {body.plain[span.start : span.end].lower() for span in body.spans}


async def test_narrowing_keeps_the_matching_posts_and_esc_shows_all(make_app, hiring_hn):
    app = make_app(STORY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = view_of(app)
        view.focus()
        everything = list(view.comment_layout.rows)
        await pilot.press("ampersand")
        await wait_until(pilot, lambda: isinstance(app.screen, NarrowScreen), "the prompt")
        await pilot.press(*"remote", "enter")
        await wait_until(pilot, lambda: view.narrowing is not None, "the narrowing")
        assert str(view.border_title).startswith("Narrowed to remote: 60 of 300 shown")
        rows = view.comment_layout.rows
        assert rows == [STORY, *REMOTE]  # replies folded, the rest hidden
        assert view.cursor == REMOTE[0]
        assert "remote" in marked_words(view, REMOTE[0])  # highlighted, as / does
        assert "60 of 300 shown" in app.screen.query_one(StatusLine).message
        await pilot.press("n")
        assert view.cursor == REMOTE[1]
        await pilot.press("escape")
        assert view.narrowing is None and view.border_title is None
        assert view.comment_layout.rows == everything  # folds as they were
        assert view.cursor == REMOTE[1]  # the reader's place kept
        assert "remote" not in marked_words(view, REMOTE[0])


async def test_an_empty_narrowing_is_refused_in_the_prompt(make_app, hiring_hn):
    app = make_app(STORY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view_of(app).focus()
        await pilot.press("ampersand")
        await wait_until(pilot, lambda: isinstance(app.screen, NarrowScreen), "the prompt")
        await pilot.press("quotation_mark", "quotation_mark", "space", "minus", "enter")
        assert isinstance(app.screen, NarrowScreen)  # still asking, and says why
        await pilot.press("escape")
        assert view_of(app).narrowing is None


async def test_hiring_starts_the_reader_narrowed(hiring_hn, tmp_path):
    config = Config(api_url=hiring_hn.url, cache_dir=tmp_path / "cache")
    app = HiringApp(config, HiringStart(STORY, "remote -python"))
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await wait_until(pilot, lambda: view.narrowing is not None, "the narrowed thread")
        kept = view.narrowing.kept
        assert kept and set(kept) <= set(REMOTE) and len(kept) < len(REMOTE)
        assert f"{len(kept)} of 300 shown" in str(view.border_title)


async def palette_hiring(config: Config, query: str) -> tuple[list[int], list[int], str]:
    """The palette's "Who is hiring?" narrowed to ``query``: the posts kept, those of them
    marked new, and the status line."""
    from hnterm.ui.app import HNApp

    app = HNApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Who is hiring")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NarrowScreen), "the prompt")
        await pilot.press(*query, "enter")
        view = view_of(app)
        await wait_until(pilot, lambda: view.narrowing is not None, "the narrowed thread")
        await wait_loaded(pilot)  # the visit is recorded
        assert view.thread.root_id == STORY
        kept = list(view.narrowing.kept)
        new = [post for post in kept if view.thread.is_new(post)]
        return kept, new, app.screen.query_one(StatusLine).message


async def test_the_palette_finds_the_thread_and_next_time_marks_the_new_posts(hiring_hn, tmp_path):
    with FakeSearch(DATA.search_hits()) as search:
        config = Config(api_url=hiring_hn.url, search_url=search.url, cache_dir=tmp_path / "c")
        kept, new, _ = await palette_hiring(config, "remote")
        assert kept == REMOTE and new == []  # a first visit: nothing is new
        late = max(hiring_hn.items) + 1
        hiring_hn.items[late] = {
            "by": "late",
            "id": late,
            "parent": STORY,
            "text": "Late Co | REMOTE | Zig",
            "time": 1_800_000_000,
            "type": "comment",
        }
        story = hiring_hn.items[STORY]
        hiring_hn.items[STORY] = {**story, "kids": [late, *story["kids"]]}
        kept, new, status = await palette_hiring(config, "remote")
        assert kept == [late, *REMOTE] and new == [late]  # fetched, though cached a moment ago
        assert "61 of 301 shown · 1 new since your last visit" in status


async def test_the_narrowing_keys_can_be_remapped(hiring_hn, tmp_path):
    keys = {"comments.narrow": "N", "thread.unnarrow": "backspace", "comments.match_previous": "p"}
    config = Config(api_url=hiring_hn.url, cache_dir=tmp_path / "cache", item=STORY, keys=keys)
    from hnterm.ui.app import HNApp

    app = HNApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = view_of(app)
        view.focus()
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(app.screen, NarrowScreen), "the prompt")
        await pilot.press(*"remote", "enter")
        await wait_until(pilot, lambda: view.narrowing is not None, "the narrowing")
        await pilot.press("backspace")
        assert view.narrowing is None
        assert not [notice for notice in notices(app) if "[keys]" in notice]  # ids known


async def test_a_post_arriving_while_narrowed_shows_when_it_matches(hiring_hn, tmp_path):
    config = Config(
        api_url=hiring_hn.url, cache_dir=tmp_path / "cache", item=STORY, live_interval=0.2
    )
    from hnterm.ui.app import HNApp

    app = HNApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = view_of(app)
        view.focus()
        view.narrow("remote")
        await pilot.press("n", "n")
        reading = view.cursor
        line = view.comment_layout.top(reading) - round(view.scroll_y)
        new = max(hiring_hn.items) + 1
        for n, text in enumerate(("Newco | REMOTE | Zig", "Oldco | Paris | ONSITE")):
            hiring_hn.items[new + n] = {
                "by": f"late{n}",
                "id": new + n,
                "parent": STORY,
                "text": text,
                "time": 1_800_000_000,
                "type": "comment",
            }
        story = hiring_hn.items[STORY]
        hiring_hn.items[STORY] = {
            **story,
            "kids": [new, new + 1, *story["kids"]],
            "descendants": story["descendants"] + 2,
        }
        hiring_hn.updated_items = [STORY]
        await wait_until(pilot, lambda: view.narrowing.total == 302, "the new posts")
        assert view.narrowing.kept == (new, *REMOTE)  # the onsite one stays hidden
        assert view.comment_layout.rows[:2] == [STORY, new]
        assert "61 of 302 shown" in str(view.border_title)
        assert view.cursor == reading  # the reader stays on the same post, same line
        assert view.comment_layout.top(reading) - round(view.scroll_y) == line
