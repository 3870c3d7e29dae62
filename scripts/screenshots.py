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
from pathlib import Path

from app.app import HNApp
from app.config import Config
from app.hn import format as hn_format
from tests.data import BIDEN, IBM
from tests.fakehn import FakeHN

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (150, 46)
FIXED_NOW = 1_745_020_800  # 2025-04-19, just after the newest fixture item

# (file name, item to open or None, keys to press after loading)
SHOTS: list[tuple[str, int | None, Sequence[str]]] = [
    ("story-list", None, ()),
    ("thread", IBM, ("j", "J", "l", "l")),
    ("collapsed", BIDEN, ("z", "j", "j", "j")),
    ("context", IBM, ("G", "k", "a")),
    ("search", IBM, ("slash", *"policy", "enter")),
    ("help", None, ("question_mark",)),
]


async def shoot(server: FakeHN, cache: Path, name: str, item: int | None, keys: Sequence[str]):
    app = HNApp(Config(api_url=server.url, cache_dir=cache, item=item))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.2)
        app.save_screenshot(f"{name}.svg", str(OUT))
    svg = OUT / f"{name}.svg"
    if shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", str(svg), "-o", str(svg.with_suffix(".png"))], check=True)
    print(svg)


async def main() -> None:
    hn_format.clock = lambda: FIXED_NOW
    OUT.mkdir(exist_ok=True)
    with FakeHN.from_fixtures() as server, tempfile.TemporaryDirectory() as cache:
        others = [i for i in server.lists["topstories"] if i not in (BIDEN, IBM)]
        server.lists["topstories"] = [BIDEN, IBM, *others]
        for name, item, keys in SHOTS:
            await shoot(server, Path(cache), name, item, keys)


if __name__ == "__main__":
    asyncio.run(main())
