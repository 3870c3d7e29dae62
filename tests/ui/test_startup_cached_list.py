"""Startup with the story list in the cache (issue 24): the cached copy is on screen before
the network is asked (in a fresh process, before aiohttp is even imported), then the fresh
list takes its place in one step, the cursor on the same story; when the API cannot be
reached, the cached copy stays and says so."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from hnterm.ui.widgets.story_list import StoryList

from tests.data import BIDEN, IBM, SPEED
from tests.fakehn import FakeHN
from tests.ui.conftest import notices, wait_loaded, wait_until

SIZE = (120, 40)
SLOW = 0.8  # seconds the fake holds the fresh list back: the cached copy shows meanwhile
ROOT = Path(__file__).resolve().parents[2]


def shown_ids(stories: StoryList) -> list[int]:
    ids = (stories.get_option_at_index(i).id for i in range(stories.option_count))
    return [int(i) for i in ids if i is not None]


async def fill_the_cache(make_app) -> list[int]:
    """One session online: the top list and its stories are cached; what it showed."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        return shown_ids(app.screen.query_one(StoryList))


async def test_the_cached_list_shows_first_then_the_fresh_one_replaces_it_in_place(
    make_app, fake_hn: FakeHN
) -> None:
    cached = await fill_the_cache(make_app)
    assert cached[:3] == fake_hn.lists["topstories"][:3]
    fresh = list(reversed(fake_hn.lists["topstories"]))
    fake_hn.lists["topstories"] = fresh
    fake_hn.fault("delay", paths=["topstories"], seconds=SLOW)
    fake_hn.fault("delay", ids=fresh, seconds=SLOW / 2)  # the fresh stories come later still
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        stories = app.screen.query_one(StoryList)
        await wait_until(pilot, lambda: stories.option_count > 0, "the cached list")
        assert shown_ids(stories) == cached  # before the fresh list has come
        assert stories.border_subtitle == "cached copy · refreshing…"
        await pilot.press("j", "j")
        on = cached[2]
        assert shown_ids(stories)[stories.highlighted] == on
        counts: list[int] = []

        def replaced() -> bool:
            counts.append(stories.option_count)
            return shown_ids(stories)[:3] == fresh[:3]

        await wait_until(pilot, replaced, "the fresh list")
        assert min(counts) > 0  # never an empty list between the two
        assert shown_ids(stories)[stories.highlighted] == on  # the cursor stayed on its story
        await wait_loaded(pilot)
        assert stories.border_subtitle == ""
        assert app.sub_title == "Hacker News"


async def test_with_the_api_down_the_cached_list_stays_and_says_so(
    make_app, fake_hn: FakeHN
) -> None:
    cached = await fill_the_cache(make_app)
    fake_hn.stop()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        stories = app.screen.query_one(StoryList)
        await wait_loaded(pilot)
        assert shown_ids(stories) == cached
        assert stories.border_subtitle == "cached copy · r retries"
        assert app.sub_title == "offline: network unreachable, reading the cache"
        assert any(notice.startswith("Top: ") for notice in notices(app))


async def test_a_list_switched_to_later_waits_for_the_network(make_app, fake_hn: FakeHN) -> None:
    """Only the start list shows its cached copy first: a list asked for later (or reloaded
    with r) is fetched, as before."""
    fake_hn.lists["newstories"] = [IBM, BIDEN]
    await fill_the_cache(make_app)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        stories = app.screen.query_one(StoryList)
        await wait_loaded(pilot)
        await pilot.press("2")  # the New list, cached by nobody yet
        await wait_loaded(pilot)
        assert shown_ids(stories) == [IBM, BIDEN]
        fake_hn.lists["newstories"] = [SPEED]
        fake_hn.fault("delay", paths=["newstories"], seconds=SLOW)
        await pilot.press("r")
        await wait_until(pilot, lambda: stories.border_subtitle == "loading…", "the reload")
        await wait_loaded(pilot)
        assert shown_ids(stories) == [SPEED]


SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    from pathlib import Path
    from hnterm.config import Config
    from hnterm.ui.app import HNApp
    from hnterm.ui.widgets.story_list import StoryList

    async def main():
        app = HNApp(Config(api_url=sys.argv[1], cache_dir=Path(sys.argv[2])))
        async with app.run_test(size=(120, 40)) as pilot:
            stories = app.screen.query_one(StoryList)
            for _ in range(1000):
                if stories.option_count:
                    break
                await asyncio.sleep(0.005)
            shown = stories.option_count
            network = "aiohttp" in sys.modules
            await app.workers.wait_for_complete()
        print(json.dumps({"shown": shown, "network_imported_when_shown": network}))

    asyncio.run(main())
    """
)


def first_list_in_a_fresh_process(fake_hn: FakeHN, cache: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, fake_hn.url, str(cache)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_cached_list_is_on_screen_before_the_http_stack_is_imported(
    fake_hn: FakeHN, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cold = first_list_in_a_fresh_process(fake_hn, cache)  # nothing cached: the network's
    assert cold["shown"] and cold["network_imported_when_shown"]
    warm = first_list_in_a_fresh_process(fake_hn, cache)
    assert warm["shown"] and not warm["network_imported_when_shown"]
