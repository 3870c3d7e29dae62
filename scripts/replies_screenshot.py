"""Regenerate screenshots/replies.png: the Replies list (9) as a reply arrives.

As ``scripts.screenshots`` draws its shots (the real app on the fake API, a pinned clock, a
config folder of its own, Chromium for the PNG), logged in as a fixture author whose comments
have replies; a reply is added on the fake server while the app is open, so the shot shows it
marked new and counted in the title.

    .venv/bin/python -m scripts.replies_screenshot
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from hnterm.config import Config
from hnterm.model import format as hn_format
from hnterm.storage.session import CONFIG_ENV, SessionStore
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.story_list import StoryList
from textual.pilot import Pilot

from scripts.screenshots import FIXED_NOW, OUT, SIZE, missing_packages, render_png
from tests.fakehn import FakeHN
from tests.fakehn.users import add_fixture_users

NAME = "rayiner"  # 17 comments in the IBM thread, with replies
REPLY = "Not where I work: the badge data only ever went into the quarterly reviews."
WAIT = 10.0  # seconds any step may take


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not condition():
        if loop.time() > deadline:
            raise SystemExit(f"replies screenshot: no {what} after {WAIT:g} s")
        await pilot.pause(0.05)


async def shoot(server: FakeHN, cache: Path) -> Path:
    config = Config(api_url=server.url, cache_dir=cache, theme="textual-dark", live_interval=0.3)
    app = HNApp(config)
    async with app.run_test(size=SIZE) as pilot:
        feed = app.gateway.replies_feed
        await until(pilot, lambda: feed.latest is not None, "check at start")
        await pilot.press("9")
        stories = app.screen.query_one(StoryList)
        await until(pilot, lambda: stories.option_count > 1, "Replies list")
        mine = server.users[NAME]["submitted"][0]
        new_id = server.add_reply(mine, "badge_reader", REPLY, FIXED_NOW - 120)
        await until(pilot, lambda: str(new_id) == stories.get_option_at_index(0).id, "reply")
        await pilot.pause(0.2)
        app.save_screenshot("replies.svg", str(OUT))
    return OUT / "replies.svg"


async def main() -> None:
    if missing := missing_packages():
        names = " ".join(missing)
        raise SystemExit(f"scripts.replies_screenshot needs {names}: apt-get install -y {names}")
    hn_format.clock = lambda: FIXED_NOW
    with FakeHN.from_fixtures() as server, tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        os.environ[CONFIG_ENV] = str(work / "config")
        add_fixture_users(server, NAME)
        SessionStore().save(f"{NAME}&0123456789abcdef")
        svg = await shoot(server, work / "cache")
        print(render_png(svg, work))


if __name__ == "__main__":
    asyncio.run(main())
