"""Help and the command palette (issue 23, item 10): help writes keys as the footer does
(``space``, ``/``, ``esc``), with even labels, and says how to close it; the palette holds every
action the keys run where it was opened, with its keys, and runs it as the key would."""

from __future__ import annotations

import io

import pytest
from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.screens.context import ContextScreen
from hnterm.ui.screens.help import HelpScreen
from rich.console import Console
from textual.command import CommandList, CommandPalette

from tests.data import BIDEN, IBM
from tests.ui.conftest import wait_loaded, wait_until

SIZE = (120, 40)


def help_lines(app: HNApp) -> list[str]:
    """The help table's rows, one space between words."""
    console = Console(file=io.StringIO(), width=160, color_system=None)
    console.print(app.screen.query_one("#help-table").content)
    return [" ".join(line.split()) for line in console.file.getvalue().splitlines()]


async def test_help_writes_keys_as_the_footer_does_and_says_how_to_close(make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        lines = help_lines(app)
        assert "space / ⏎ Collapse" in lines
        assert "/ Search cache" in lines
        assert "esc Close the search" in lines
        assert "b / ^o Back" in lines
        assert not any(word in line.split() for line in lines for word in ("slash", "escape"))
        assert app.screen.query_one("#help-body").border_subtitle == "esc / q / ? closes"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_labels_are_even(make_app, fake_hn):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        lines = help_lines(app)
        assert "6 Jobs list" in lines and "8 HN favourites list" in lines
        assert not any(line.endswith(" stories") for line in lines)
        comments = lines[lines.index("Comments") :]  # (the article reader has j and k too)
        comments = comments[: comments.index("")]
        moves = [line for line in comments if line.startswith(("j / ↓ ", "k / ↑ "))]
        assert [line.split(":")[0] for line in moves] == [
            "j / ↓ Next comment",
            "k / ↑ Previous comment",
        ]


async def palette_shows(pilot, query: str) -> list[str]:
    """Open the palette, type ``query`` and give what it lists once it has searched."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    await pilot.press(*query)
    await wait_loaded(pilot)  # the palette's search is a worker: every provider has answered
    commands = app.screen.query_one(CommandList)
    return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


@pytest.mark.parametrize(
    ("query", "entry"),
    [
        ("save", "Save  s"),
        ("context", "Context  a"),
        ("vote", "Vote / unvote on HN  v"),
        ("reply on", "Reply on HN  e"),
        ("article", "Read the article  A"),
        ("profile", "Author's profile  p"),
        ("open item", "Open item  :"),
        ("next comment", "Next comment  j / ↓"),
    ],
)
async def test_the_palette_has_each_main_action_with_its_key(make_app, fake_hn, query, entry):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        shown = await palette_shows(pilot, query)
        assert any(line.split("\n")[0] == entry for line in shown), shown


async def test_a_palette_entry_runs_as_its_key_does_with_the_key_as_remapped(fake_hn, tmp_path):
    config = Config(
        api_url=fake_hn.url,
        cache_dir=tmp_path / "cache",
        item=IBM,
        keys={"comments.context": "ctrl+t"},
    )
    app = HNApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j")  # a comment: the context view has a chain to show
        shown = await palette_shows(pilot, "context")
        assert shown[0] == "Context  ^t"  # the best match, highlighted
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ContextScreen), "the context view")


async def test_nothing_is_in_the_palette_twice(make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        titles = [line.split("\n")[0].split("  ")[0] for line in await palette_shows(pilot, "")]
        assert "Save" in titles and "Quit" in titles and "Theme" in titles
        assert len(titles) == len(set(titles)), sorted(titles)
