"""Titles readable in every theme: the thread's title on the cursor row and the article's
title as drawn, colour against background."""

from __future__ import annotations

from hnterm.ui.screens.article import ArticleScreen
from hnterm.ui.widgets.comment_view import CommentView
from textual.geometry import Region
from textual.widgets import Static

from tests.data import IBM
from tests.ui.conftest import wait_loaded, wait_until

SIZE = (120, 40)


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
