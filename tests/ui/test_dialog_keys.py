"""Every key of the app is remappable and found in help: the dialogs' and the article
reader's keys have ids the config's ``[keys]`` takes, and help lists them under where they
work, as the keymap has them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import hnterm.ui
import pytest
from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.preferences import config_problems
from hnterm.ui.screens.article import ArticleScreen
from hnterm.ui.screens.help import HelpScreen
from hnterm.ui.screens.open_item import OpenItemScreen
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Label, TextArea

from tests.data import IBM
from tests.ui.conftest import in_order, notices, wait_loaded, wait_until
from tests.ui.test_account import first_comment, logged_in, status, web  # noqa: F401 (a fixture)
from tests.ui.test_article import head, read_article
from tests.ui.test_help_and_palette import help_lines

SIZE = (120, 40)


def declared_bindings() -> list[tuple[str, Binding]]:
    """Every ``Binding`` a class in ``hnterm.ui`` declares in its own ``BINDINGS``."""
    found = []
    for module_info in pkgutil.walk_packages(hnterm.ui.__path__, "hnterm.ui."):
        module = importlib.import_module(module_info.name)
        for name, owner in inspect.getmembers(module, inspect.isclass):
            if issubclass(owner, DOMNode) and owner.__module__ == module.__name__:
                for binding in owner.__dict__.get("BINDINGS", []):
                    found.append((f"{module.__name__}.{name}", binding))
    return found


def test_every_binding_in_the_ui_has_an_id_of_one_key_and_help_lists_it():
    listed = {binding.id: binding for _, bindings in HNApp.binding_groups() for binding in bindings}
    declared = declared_bindings()
    assert len(declared) > 80  # the walk found the app's keys
    for owner, binding in declared:
        assert isinstance(binding, Binding) and binding.id, (owner, binding)
        assert binding.id.split(".")[0].isidentifier(), binding.id  # place.action
        assert listed.get(binding.id) == binding, (owner, binding)  # in help, one id a key


def test_docs_list_every_id_the_unknown_id_message_sends_the_reader_to():
    docs = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text(encoding="utf-8")
    for _, bindings in HNApp.binding_groups():
        for binding in bindings:
            place, _, action = (binding.id or "").partition(".")
            if action.startswith("number_"):  # written `PLACE.number_1` … `PLACE.number_9`
                assert f"`{place}.number_1` … `{place}.number_9`" in docs, binding.id
            else:
                assert f"`{binding.id}`" in docs, binding.id


def config_with(tmp_path, fake_hn, keys: dict[str, str]) -> Config:
    return Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM, keys=keys)


def test_hnterm_config_takes_the_new_ids_and_still_names_an_unknown_one(tmp_path, fake_hn):
    keys = {"reply.send": "ctrl+r", "article.links": "L", "help.close": "f1", "reply.sned": "x"}
    problems = config_problems(config_with(tmp_path, fake_hn, keys), dict(HNApp.binding_groups()))
    assert problems == [
        "[keys] reply.sned: no key has this id; ignored (docs/configuration.md lists them)"
    ]


async def test_dialog_keys_remapped_in_the_config_are_the_ones_that_work(tmp_path, fake_hn):
    keys = {"open_item.cancel": "ctrl+g", "help.close": "f1"}
    app = HNApp(config_with(tmp_path, fake_hn, keys))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("colon")
        await wait_until(pilot, lambda: isinstance(app.screen, OpenItemScreen), "the prompt")
        await pilot.press("escape")  # its old key no longer closes it
        await pilot.pause()
        assert isinstance(app.screen, OpenItemScreen)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: not isinstance(app.screen, OpenItemScreen), "closed")

        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        body = app.screen.query_one("#help-body")
        assert body.border_subtitle == "f1 closes"
        await pilot.press("escape", "q")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), "help closed")
    assert not [notice for notice in notices(app) if "[keys]" in notice]


async def test_help_lists_the_article_readers_keys_and_each_dialogs_as_remapped(tmp_path, fake_hn):
    app = HNApp(config_with(tmp_path, fake_hn, {"article.links": "L", "reply.send": "ctrl+r"}))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        lines = help_lines(app)
        article = ["Article reader", "esc / b / q Back", "L Links", "O Open in browser"]
        article += ["r Fetch again", "j / ↓ Down", "g / home Top", "G / end Bottom"]
        assert in_order(article, "\n".join(lines)), lines
        assert "o Links" not in lines[lines.index("Article reader") :]
        for place, row in (
            ("Search dialogs", "esc Close"),
            ("Search dialogs", "↓ Results"),
            ("Open item prompt", "esc Close"),
            ("Narrow prompt", "esc Close"),
            ("Profile view", "esc / q Close"),
            ("Reply dialog", "^r Send"),
            ("Reply dialog", "^e Edit in $EDITOR"),
            ("Submit dialog", "^s Submit"),
            ("Help screen", "esc / q / ? Close help"),
        ):
            after = lines[lines.index(place) :]
            assert row in after[: after.index("")], (place, row)
        assert str(app.screen.query_one("#help-body").border_subtitle) == "esc / q / ? closes"


@pytest.mark.usefixtures("web")  # logged in: the dialog needs an HN session
async def test_the_reply_dialog_and_what_follows_name_its_keys_as_remapped(fake_hn, tmp_path):
    logged_in(tmp_path)
    keys = {"reply.send": "ctrl+r", "reply.close": "f2", "account.reply": "E"}
    app = HNApp(config_with(tmp_path, fake_hn, keys))
    async with app.run_test(size=SIZE) as pilot:
        await first_comment(pilot)
        await pilot.press("E")
        await wait_until(pilot, lambda: app.screen.query(TextArea), "the reply dialog")
        title = str(app.screen.query_one("#reply-title", Label).render())
        assert title.endswith("(^r sends)"), title
        shown = str(app.screen.query_one("#reply-help", Label).render())
        assert shown.startswith("^r send · f2 close (the draft is kept)"), shown
        await pilot.press("f2")
        await wait_until(pilot, lambda: not app.screen.query(TextArea), "the dialog closed")
        assert status(app) == "Reply closed; its draft is kept (E opens it again)"


async def test_the_article_reader_names_its_keys_as_remapped(fake_hn, tmp_path, pages):
    fake_hn.items[IBM]["url"] = pages.url("redirect")
    keys = {"article.links": "L", "article.close": "ctrl+w"}
    app = HNApp(config_with(tmp_path, fake_hn, keys))
    async with app.run_test(size=SIZE) as pilot:
        await read_article(pilot)
        assert head(app).endswith(" · L links · O browser · ^w back"), head(app)
        await pilot.press("ctrl+w")
        await wait_until(pilot, lambda: not isinstance(app.screen, ArticleScreen), "closed")
