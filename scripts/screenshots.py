"""Regenerate screenshots/ from the real app on real fixture threads.

Runs hnterm headless against the fake API (tests/fakehn) with a pinned clock, drives it like a
reader would, and saves SVG screenshots; PNG copies are made when ``rsvg-convert`` is on PATH.

    .venv/bin/python -m scripts.screenshots [NAME...]   (names: only those shots)
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hnterm.config import Config
from hnterm.model import format as hn_format
from hnterm.ui.app import HNApp

from tests.data import BIDEN, IBM
from tests.fakehn import FakeHN
from tests.fakehn.users import add_fixture_users
from tests.fakepages import FakePages

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (150, 46)
DEEPEST = 43732616  # the IBM thread's comment 17 levels down
SPEED_DEEPEST = 26320500  # 11 levels down in the Speed thread, far below its parent's row
ASK_NO_COMMENTS = 26298314
FIXED_NOW = 1_745_020_800  # 2025-04-19, just after the newest fixture item


@dataclass(frozen=True)
class Shot:
    name: str
    item: int | None  # to open, or None for the story list
    keys: Sequence[str] = ()  # pressed after loading
    size: tuple[int, int] = SIZE
    theme: str | None = None
    undo: Sequence[str] = ()  # pressed after the shot: settings the app remembers, set back


SHOTS = [
    Shot("story-list", None),
    Shot("thread", IBM, ("j", "J", "l", "l")),
    Shot("collapsed", BIDEN, ("z", "j", "j", "j")),
    # The context view of the deepest comment (opened by its id: it lands in context first).
    Shot("context", DEEPEST, ("a",)),
    Shot("search", IBM, ("slash", *"policy", "enter")),
    Shot("help", None, ("question_mark",)),
    # 80x24: the story list hidden (w) for a 17-level-deep comment, and an Ask HN with no
    # replies; and a light theme.
    Shot("narrow-deep", DEEPEST, ("w",), (80, 24), undo=("w",)),
    Shot("narrow-ask", ASK_NO_COMMENTS, (), (80, 24)),
    Shot("light-theme", IBM, ("j", "l"), theme="textual-light"),
    # Themes from the palette or the config file (issue 16): dark, light, dark.
    Shot("theme-nord", IBM, ("j", "J", "l"), theme="nord"),
    Shot("theme-solarized-light", IBM, ("j", "J", "l"), theme="solarized-light"),
    Shot("theme-gruvbox", BIDEN, ("z", "j", "j"), theme="gruvbox"),
    # Reply chains, last so the threads they open leave no read marks in the shots above:
    # inline replies lines, a deep link far below its parent's row, a focused subthread
    # under its ancestors (folded to a line each; the cursor on the parent's).
    Shot("inline-replies", IBM, ("j", "J", "i"), undo=("i",)),
    Shot("deep-link", SPEED_DEEPEST, (), (120, 40)),
    Shot("focus-chain", DEEPEST, ("u", "f", "k")),
    # Beyond one thread: a profile (made-up fields, real submissions) and an article served
    # from the test pages.
    Shot("profile", IBM, ("j", "p")),
    Shot("article", IBM, ("A",)),
]


async def shoot(server: FakeHN, cache: Path, shot: Shot) -> None:
    # The theme as the config file gives it: it wins over the one an earlier shot left in
    # the shared cache (a theme chosen in the app is remembered).
    theme = shot.theme or "textual-dark"
    app = HNApp(Config(api_url=server.url, cache_dir=cache, item=shot.item, theme=theme))
    async with app.run_test(size=shot.size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in shot.keys:
            await pilot.press(key)
        await pilot.pause(0.2)
        app.save_screenshot(f"{shot.name}.svg", str(OUT))
        for key in shot.undo:  # w and i are remembered: leave them as the next shot expects
            await pilot.press(key)
            await pilot.pause(0.2)
    svg = OUT / f"{shot.name}.svg"
    if shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", str(svg), "-o", str(svg.with_suffix(".png"))], check=True)
    print(svg)


async def main() -> None:
    hn_format.clock = lambda: FIXED_NOW
    OUT.mkdir(exist_ok=True)
    with (
        FakeHN.from_fixtures() as server,
        FakePages() as pages,
        tempfile.TemporaryDirectory() as cache,
    ):
        others = [i for i in server.lists["topstories"] if i not in (BIDEN, IBM)]
        server.lists["topstories"] = [BIDEN, IBM, *others]
        first = server.items[server.items[IBM]["kids"][0]]["by"]
        add_fixture_users(server, first)
        article = server.items[IBM]["url"]
        only = set(sys.argv[1:])  # names given: only those shots
        for shot in SHOTS:
            if not only or shot.name in only:
                is_article = shot.name == "article"
                server.items[IBM]["url"] = pages.url("blog.html") if is_article else article
                # The article shot reads the story afresh (the shared cache has the real URL).
                folder = Path(tempfile.mkdtemp()) if is_article else Path(cache)
                await shoot(server, folder, shot)


if __name__ == "__main__":
    asyncio.run(main())
