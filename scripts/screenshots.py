"""Regenerate screenshots/ from the real app on real fixture threads.

Runs hnterm headless against the fake API (tests/fakehn) with a pinned clock, drives it like a
reader would, and saves SVG screenshots; PNG copies are made when ``rsvg-convert`` is on PATH.

    .venv/bin/python -m scripts.screenshots
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hnterm.app import HNApp
from hnterm.config import Config
from hnterm.hn import format as hn_format

from tests.data import BIDEN, IBM
from tests.fakehn import FakeHN

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (150, 46)
DEEPEST = 43732616  # the IBM thread's comment 17 levels down
ASK_NO_COMMENTS = 26298314
FIXED_NOW = 1_745_020_800  # 2025-04-19, just after the newest fixture item


@dataclass(frozen=True)
class Shot:
    name: str
    item: int | None  # to open, or None for the story list
    keys: Sequence[str] = ()  # pressed after loading
    size: tuple[int, int] = SIZE
    theme: str | None = None


SHOTS = [
    Shot("story-list", None),
    Shot("thread", IBM, ("j", "J", "l", "l")),
    Shot("collapsed", BIDEN, ("z", "j", "j", "j")),
    Shot("context", IBM, ("G", "k", "a")),
    Shot("search", IBM, ("slash", *"policy", "enter")),
    Shot("help", None, ("question_mark",)),
    # 80x24: the story list hidden (w) for a 17-level-deep comment, and an Ask HN with no
    # replies; and a light theme.
    Shot("narrow-deep", DEEPEST, ("w",), (80, 24)),
    Shot("narrow-ask", ASK_NO_COMMENTS, (), (80, 24)),
    Shot("light-theme", IBM, ("j", "l"), theme="textual-light"),
]


async def shoot(server: FakeHN, cache: Path, shot: Shot) -> None:
    app = HNApp(Config(api_url=server.url, cache_dir=cache, item=shot.item))
    async with app.run_test(size=shot.size) as pilot:
        if shot.theme:
            app.theme = shot.theme
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in shot.keys:
            await pilot.press(key)
        await pilot.pause(0.2)
        app.save_screenshot(f"{shot.name}.svg", str(OUT))
        if "w" in shot.keys:  # leave the list shown for the next shot (w is remembered)
            await pilot.press("w")
            await pilot.pause(0.2)
    svg = OUT / f"{shot.name}.svg"
    if shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", str(svg), "-o", str(svg.with_suffix(".png"))], check=True)
    print(svg)


async def main() -> None:
    hn_format.clock = lambda: FIXED_NOW
    OUT.mkdir(exist_ok=True)
    with FakeHN.from_fixtures() as server, tempfile.TemporaryDirectory() as cache:
        others = [i for i in server.lists["topstories"] if i not in (BIDEN, IBM)]
        server.lists["topstories"] = [BIDEN, IBM, *others]
        for shot in SHOTS:
            await shoot(server, Path(cache), shot)


if __name__ == "__main__":
    asyncio.run(main())
