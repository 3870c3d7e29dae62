"""What a new user meets in the first hour (issue 11), driven through the app like a person:
stories without comments, opening items from inside, links, narrow screens, visible state."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hnterm.storage.cache import Cache
from hnterm.ui.screens.article import ArticleScreen
from hnterm.ui.screens.open_item import OpenItemScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import StoryList
from textual.geometry import Region
from textual.widgets import Static

from tests.data import BIDEN, IBM
from tests.fakepages import FakePages, allow_loopback
from tests.ui.conftest import notices, wait_loaded, wait_until

ASK_NO_COMMENTS = 26298314  # an Ask HN with its question in `text` and no replies
JOB = 43729850
LESS_SLOW = 43727743  # a story with 88 comments
DEEPEST = 43732616  # the IBM thread's comment at depth 17

SIZE = (120, 40)
NARROW = (80, 24)


def story_row(view: CommentView) -> str:
    return view.comment_layout.header_text(view.thread.root_id).plain


async def test_an_ask_hn_without_replies_shows_its_question(make_app):
    app = make_app(ASK_NO_COMMENTS)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        row = story_row(view)
        assert "Ask HN: Is there an IDE for computer vision?" in row
        assert "How are people running their detection pipelines" in row
        assert "No comments yet." in row
        assert view.virtual_size.height > 3  # drawn, not an empty pane


async def test_a_job_post_is_readable(make_app):
    app = make_app(JOB)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        row = story_row(app.screen.query_one(CommentView))
        assert "job" in row and "Job posts take no comments." in row


async def test_offline_story_without_cached_comments_says_so_and_stays_unread(make_app, fake_hn):
    fake_hn.lists["topstories"] = [LESS_SLOW, IBM]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:  # the list caches the story item only
        await wait_loaded(pilot)
    app = make_app(LESS_SLOW, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        row = story_row(app.screen.query_one(CommentView))
        assert "Less Slow C++" in row
        assert "88 comments not in the cache (offline): r loads them when online." in row
        assert await app.gateway.cache.run(Cache.story_read, LESS_SLOW) is None


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
        await pilot.press("colon", *f"https://news.ycombinator.com/item?id={ASK_NO_COMMENTS}")
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


async def test_a_deep_comment_keeps_most_of_a_narrow_screen(make_app):
    app = make_app(DEEPEST)
    async with app.run_test(size=NARROW) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_until(pilot, lambda: view.cursor == DEEPEST, "the deep comment")
        await wait_loaded(pilot)
        assert view.thread.depth_of[DEEPEST] == 17
        await pilot.press("w")  # full width for reading
        await pilot.pause()
        assert not app.screen.query_one(StoryList).display
        assert view.comment_layout.text_width(DEEPEST) >= 50
        assert "17▸" in view.comment_layout.guides(DEEPEST)  # the depth, as a number
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.query_one(StoryList).display


async def test_hiding_the_list_is_remembered(make_app):
    app = make_app(IBM)
    async with app.run_test(size=NARROW) as pilot:
        await wait_loaded(pilot)
        await pilot.press("w")
        status = app.screen.query_one(StatusLine)
        await wait_until(pilot, lambda: "hidden" in status.message, "the toggle")

        async def kept() -> bool:
            return await app.gateway.cache.run(Cache.setting, "list_hidden") == "1"

        await wait_until(pilot, kept, "the hidden list to be kept")
    app = make_app(IBM)
    async with app.run_test(size=NARROW) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        await wait_until(pilot, lambda: not stories.display, "the list to stay hidden")


async def test_help_stays_in_the_footer_at_80_columns(make_app):
    app = make_app(IBM)
    async with app.run_test(size=NARROW) as pilot:
        await wait_loaded(pilot)
        footer_keys = [key.key_display for key in app.screen.query("FooterKey")]
        help_key = app.screen.query("FooterKey").filter(".-command-palette")
        assert "?" in footer_keys and help_key is not None
        help_widget = next(k for k in app.screen.query("FooterKey") if k.key_display == "?")
        assert help_widget.region.right <= NARROW[0]  # on screen, not cut off


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


async def test_a_save_cut_short_by_quit_resumes_at_the_next_start(make_app, fake_hn):
    fake_hn.delay = 0.05  # slow enough that the save is still running at quit
    app = make_app(BIDEN)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_until(pilot, lambda: view.thread is not None, "the thread to open")
        await pilot.press("s")
        status = app.screen.query_one(StatusLine)
        await wait_until(pilot, lambda: app.screen.saving == BIDEN, "the save to start")
        # The open's own progress may speak first; the save's follows while it runs.
        await wait_until(pilot, lambda: "saving" in status.message.lower(), "the save said")
        assert app.screen.saving == BIDEN
    assert app.unfinished_saves == [BIDEN]  # the command line says so after exit
    fake_hn.delay = 0.0
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot,
            lambda: any("Resuming 1 save" in notice for notice in notices(app)),
            "the resume notice",
        )
        await wait_loaded(pilot)
        await wait_until(pilot, lambda: app.screen.saving is None, "the save", limit=30)
        assert await app.gateway.cache.run(Cache.is_saved, BIDEN)
        assert await app.gateway.cache.run(Cache.pending_saves) == []


async def test_the_palette_has_no_duplicates_and_nothing_that_cannot_work(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        assert "Screenshot" not in titles and "Open item…" in titles


def _luminance(color) -> float:
    r, g, b = (c / 255 for c in color.get_truecolor())
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


async def test_the_thread_title_is_readable_in_every_theme(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert view.cursor == IBM  # the title row is under the cursor, on its background
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            title = view.style_of("title")
            background = (view.style_of("cursor") + view.rich_style).bgcolor
            if not (title.color.is_default or background.is_default):  # ansi: the terminal's
                contrast = abs(_luminance(title.color) - _luminance(background))
                assert contrast > 0.3, (theme, title, background)
            # rows built before the switch are rebuilt in the new colours
            span = view.comment_layout.header_text(IBM).spans[0]
            assert span.style == title


@pytest.fixture
def pages(monkeypatch) -> Iterator[FakePages]:
    with FakePages() as server:
        allow_loopback(monkeypatch, server)
        yield server


async def test_the_article_title_is_readable_in_every_theme(fake_hn, make_app, pages):
    """``A``: the article's title as drawn, its colour on its background, in every theme
    (it was bright white everywhere: invisible on textual-light and solarized-light)."""
    fake_hn.items[IBM]["url"] = pages.url("blog.html")
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("A")
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        await wait_until(pilot, lambda: screen.result is not None, "the article")
        article = screen.query_one("#article-text", Static)
        title = screen.result.article.title
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            (line,) = article.render_lines(Region(0, 0, article.size.width, 1))
            drawn = [s for s in line if s.text.strip() and s.text.strip() in title]
            assert drawn, (theme, line.text)
            for segment in drawn:
                style = segment.style
                assert style is not None and style.bold, (theme, segment)
                if not (style.color is None or style.color.is_default or style.bgcolor is None):
                    contrast = abs(_luminance(style.color) - _luminance(style.bgcolor))
                    assert contrast > 0.3, (theme, segment)
