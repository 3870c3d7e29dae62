"""Config applied in the app: themes that stick, the user's own theme, remapped keys (that
work, and that the help and footer show), conflicts and bad files reported at start."""

from __future__ import annotations

from dataclasses import replace

from hnterm.config import Config, load_file
from hnterm.storage.cache import Cache
from hnterm.ui.app import HNApp
from hnterm.ui.screens.help import HelpScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.story_list import StoryList
from rich.console import Console

from tests.data import IBM
from tests.ui.conftest import notices, wait_loaded, wait_until


def config_for(fake_hn, tmp_path, **settings) -> Config:
    return Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", **settings)


def said(app: HNApp) -> str:
    return "\n".join(notices(app))


async def test_a_theme_chosen_in_the_app_is_there_at_the_next_start(fake_hn, tmp_path):
    app = HNApp(config_for(fake_hn, tmp_path))
    async with app.run_test() as pilot:
        await wait_loaded(pilot)
        assert app.theme != "nord"
        app.theme = "nord"  # what the palette's "Change theme" does

        async def kept() -> bool:
            return await app.gateway.worker.run(Cache.setting, "theme") == "nord"

        await wait_until(pilot, kept, "the theme to be kept")
    again = HNApp(config_for(fake_hn, tmp_path))
    async with again.run_test() as pilot:
        await wait_until(pilot, lambda: again.theme == "nord", "the remembered theme")


async def test_the_config_theme_wins_over_the_remembered_one(fake_hn, tmp_path):
    app = HNApp(config_for(fake_hn, tmp_path))
    async with app.run_test() as pilot:
        await wait_loaded(pilot)
        app.theme = "nord"
        await wait_until(pilot, lambda: app.gateway.worker.run(Cache.setting, "theme"), "saved")
    chosen = HNApp(config_for(fake_hn, tmp_path, theme="textual-light"))
    async with chosen.run_test() as pilot:
        await wait_loaded(pilot)
        await wait_until(pilot, lambda: chosen.theme == "textual-light", "the config's theme")


async def test_a_theme_of_your_own_is_registered_and_a_bad_one_reported(fake_hn, tmp_path):
    themes = {
        "mine": {"primary": "#884400", "background": "#fdf6e3", "dark": False},
        "broken": {"primary": "not-a-colour"},
    }
    app = HNApp(config_for(fake_hn, tmp_path, themes=themes, theme="mine"))
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: app.theme == "mine", "the user's theme")
        assert "broken" not in app.available_themes
        assert "[themes.broken]: failed to parse 'not-a-colour'" in said(app)
        assert not app.current_theme.dark


async def test_a_remapped_key_works_and_the_help_and_footer_show_it(fake_hn, tmp_path):
    keys = {"comments.cursor_down": "ctrl+n", "comments.context": "ctrl+t"}
    app = HNApp(config_for(fake_hn, tmp_path, item=IBM, keys=keys))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        view.focus()
        await pilot.pause()
        start = view.cursor
        await pilot.press("j")  # no longer bound
        assert view.cursor == start
        await pilot.press("ctrl+n")
        assert view.cursor != start and view.cursor is not None
        footer = [key.key_display for key in app.screen.query("FooterKey")]
        assert "^n" in footer and "j" not in footer
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(record=True, width=100)
        console.print(app.screen.key_table())
        text = console.export_text()
        comments = text[text.index("Comments") : text.index("Context view")]
        lines = comments.splitlines()  # the comment pane's keys
        assert any(line.split()[:3] == ["^n", "Next", "comment:"] for line in lines)
        assert any(line.split() == ["^t", "Context"] for line in lines)  # as the footer has it
        assert not any(line.split()[:1] == ["j"] for line in lines)


async def test_conflicts_and_unknown_ids_are_reported_at_start(fake_hn, tmp_path):
    keys = {"comments.cursor_down": "k", "comments.jump_around": "x", "app.help": "f1"}
    app = HNApp(config_for(fake_hn, tmp_path, keys=keys))
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: len(notices(app)) >= 2, "the notices")
        told = said(app)
        assert (
            "[keys] comments.cursor_down and comments.cursor_up are both on 'k' in the comments"
            in told
        )
        assert "[keys] comments.jump_around: no key has this id" in told
        assert "app.help" not in told  # a good remapping is not a problem


async def test_a_bad_config_file_is_a_notice_and_the_rest_applies(fake_hn, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\nlist_width = "wide"\n', encoding="utf-8")
    built = Config.build(file=load_file(path), env={})
    config = replace(built, api_url=fake_hn.url, cache_dir=tmp_path / "cache")
    app = HNApp(config)
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: app.theme == "nord", "the file's theme")
        await wait_until(pilot, lambda: "list_width" in said(app), "the notice")
        assert f"config file {path}: line 2, list_width: must be a whole number" in said(app)


async def test_the_story_list_width_is_set_with_braces_and_remembered(fake_hn, tmp_path):
    app = HNApp(config_for(fake_hn, tmp_path, item=IBM))  # beside a thread (alone it is wider)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        assert stories.outer_size.width == 48  # the stylesheet's 40%
        await pilot.press("right_curly_bracket", "right_curly_bracket")  # 2 steps of 5%
        await wait_until(pilot, lambda: stories.outer_size.width == 60, "a 50% list")

        async def kept() -> bool:
            return await app.gateway.worker.run(Cache.setting, "list_width") == "50"

        await wait_until(pilot, kept, "the width to be kept")
    again = HNApp(config_for(fake_hn, tmp_path))
    async with again.run_test(size=(120, 40)) as pilot:
        stories = again.screen.query_one(StoryList)
        await wait_until(pilot, lambda: stories.outer_size.width == 60, "the remembered width")
        await pilot.press("left_curly_bracket")
        await wait_until(pilot, lambda: stories.outer_size.width == 54, "narrower")
        await pilot.press("question_mark")
        console = Console(record=True, width=100)
        console.print(again.screen.key_table())
        lines = console.export_text().splitlines()
        assert any(line.split()[:2] == ["}", "Wider"] for line in lines)


async def test_comment_text_keeps_a_readable_measure_on_a_wide_terminal(fake_hn, tmp_path):
    """Wrap width 100 by default: on a 240-column terminal a comment's lines stay within 100
    columns; 0 gives the whole pane back."""
    from hnterm.config import Config
    from hnterm.ui.app import HNApp
    from hnterm.ui.widgets.comment_view import CommentView

    from tests.data import IBM
    from tests.ui.conftest import wait_loaded

    longest = {}
    for wrap in (100, 0):
        config = Config(api_url=fake_hn.url, cache_dir=tmp_path / "c", item=IBM, wrap_width=wrap)
        app = HNApp(config)
        async with app.run_test(size=(240, 50)) as pilot:
            await wait_loaded(pilot)
            view = app.screen.query_one(CommentView)
            view.focus()
            await pilot.press("w")  # the list hidden: the pane is ~236 columns
            await pilot.pause()
            first = view.thread.children(IBM)[0]
            longest[wrap] = max(line.cell_len for line in view.comment_layout.body_lines(first))
            await pilot.press("w")
            await pilot.pause()
    assert longest[100] <= 100 < longest[0]
