"""Keymap entries that Textual cannot bind (issue 21, defect 9): one that names no key
(``","`` splits into nothing) or a key that does not exist is reported like a conflict, and
its binding keeps its default keys; and the key names hnterm gives match Textual's own."""

from __future__ import annotations

import string

import pytest
from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.preferences import bindable, checked, key_name
from textual.binding import Binding, BindingsMap

from tests.ui.conftest import notices, wait_loaded, wait_until


async def test_an_entry_naming_no_key_is_reported_and_quit_keeps_its_key(fake_hn, tmp_path):
    keys = {"app.quit": ",", "app.help": "florp", "comments.back": "ctrl+", "app.search_hn": "f6"}
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", keys=keys)
    app = HNApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(notices(app)) >= 3, "the notices")
        told = "\n".join(notices(app))
        assert "[keys] app.quit: ',' names no key" in told and 'the comma key is "comma"' in told
        assert "[keys] app.help: 'florp' is not a key Textual can bind" in told
        assert "[keys] comments.back: 'ctrl+' is not a key Textual can bind" in told
        assert "app.search_hn" not in told  # a good entry is not a problem, and applies
        await wait_loaded(pilot)

        def footer() -> dict[str, str]:
            return {key.description: key.key_display for key in app.screen.query("FooterKey")}

        await wait_until(pilot, lambda: "Quit" in footer(), "the footer's keys")
        assert footer()["Quit"] == "q" and footer()["Help"] == "?"
        active = app.active_bindings
        assert active["q"].binding.action == "quit" and "f6" in active
        await pilot.press("q")
    assert app.return_code == 0  # q still quits


# Every character a binding can be given as itself (a comma separates keys, a space is trimmed)
@pytest.mark.parametrize("character", [*string.punctuation.replace(",", ""), "é", "€", "a", "7"])
def test_key_names_are_the_ones_textual_binds(character):
    textual_keys = BindingsMap([Binding(character, "bell")]).key_to_bindings
    assert key_name(character) in textual_keys
    assert bindable(key_name(character))


@pytest.mark.parametrize(
    ("keys", "good"),
    [
        ("ctrl+n", True),
        ("j, down", True),
        ("?,f1", True),
        ("comma", True),
        ("shift+tab", True),
        ("minus", True),
        (",", False),
        ("j,", False),
        ("", False),
        ("ctrl+", False),
        ("contrl+x", False),
        ("florp", False),
    ],
)
def test_which_entries_are_kept(keys, good):
    kept, problems = checked({"app.quit": keys})
    assert ("app.quit" in kept) is good and bool(problems) is not good
