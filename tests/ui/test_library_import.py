"""A library carried to another machine (issue 26, item 3), seen in the app: read in one cache
through the app, exported with the CLI, imported into a fresh cache, and the app there shows
the same Saved list (``7``) and the same read marks, offline with the thread's items."""

from __future__ import annotations

import asyncio
import json
import time

from hnterm.cli import main as cli
from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.story_list import StoryList

from tests.data import BIDEN, IBM
from tests.ui.conftest import wait_loaded, wait_until

SIZE = (140, 45)


async def test_the_saved_list_and_read_marks_come_across(fake_hn, tmp_path):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    first, fresh = tmp_path / "laptop", tmp_path / "desktop"
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=first, item=IBM))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("s")
        await wait_loaded(pilot)
        await wait_until(pilot, lambda: app.screen.thread.saved, "the save")
        seen = len(app.screen.query_one(CommentView).thread)
    library = tmp_path / "library.json"
    export = ["library", "export", str(library), "--with-items", "--cache-dir", str(first)]
    assert await asyncio.to_thread(cli.run, export) == 0
    imported = ["library", "import", str(library), "--cache-dir", str(fresh)]
    assert await asyncio.to_thread(cli.run, imported) == 0
    fake_hn.stop()  # the other machine reads it offline
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=fresh, offline=True))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        stories.focus()
        await pilot.press("7")
        await wait_loaded(pilot)
        assert stories.kind == "saved" and stories.ids == [IBM]
        assert IBM in stories.marks  # read there, so dimmed here
        await pilot.press("enter")
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert view.thread.root_id == IBM and len(view.thread) == seen
        assert view.thread.new_ids() == []  # every comment was seen on the other machine


async def test_hostile_preference_values_from_a_library_leave_the_app_as_it_was(fake_hn, tmp_path):
    """A file's preferences are text of any shape: the app reads each through its own check,
    so markup, escapes and numbers out of range change nothing and never reach the screen."""
    now = time.time()
    values = {
        "theme": "[bold red]nord\x1b[2J",
        "list_width": "99999",
        "list_hidden": "\x1b]52;c;ZXZpbA==\x07",
        "inline_replies": "[link=x]1",
        "comment_order": "newest; DROP TABLE items",
    }
    library = tmp_path / "hostile.json"
    library.write_text(
        json.dumps(
            {
                "format": "hnterm-library",
                "version": 1,
                "exported_at": now,
                "preferences": [
                    {"key": key, "value": value, "updated": now} for key, value in values.items()
                ],
            }
        )
    )
    command = ["library", "import", str(library), "--cache-dir", str(tmp_path / "cache")]
    assert await asyncio.to_thread(cli.run, command) == 0
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert app.theme != values["theme"] and not app.screen.query_one("#panes").has_class(
            "-list-hidden"
        )
        assert "\x1b" not in app.title and len(app.screen.query_one(CommentView).thread) > 1
        await pilot.press("j")
        assert app.screen.query_one(CommentView).cursor is not None
