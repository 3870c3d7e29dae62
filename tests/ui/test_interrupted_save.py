"""Saves interrupted by ``kill -9``, resumed at the next start (issue 21, defect 3), driven
through the app: the resume and the reader's own ``s`` never cancel each other nor end the
app, a save another live process is running is left to it, and each thread is downloaded
once (the fake API counts the requests)."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from hnterm.storage.cache import Cache

from tests.data import IBM, fixture_items
from tests.saveholder import LESS_SLOW, LESS_SLOW_FIXTURE, SaveHolder
from tests.ui.conftest import notices, wait_loaded, wait_until

SIZE = (120, 40)
ITEMS = fixture_items(LESS_SLOW_FIXTURE)
A_COMMENT = next(i.id for i in ITEMS.values() if i.type == "comment")
HELD = f"/v0/item/{A_COMMENT}.json"
RESUMING = "Resuming 1 save interrupted when hnterm last quit"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    return tmp_path / "cache"  # where make_app keeps it


@pytest.fixture
def interrupted(cache_dir, fake_hn) -> None:
    """LESS_SLOW read before (fresh in the cache: opening it asks the network nothing), and
    its save cut short by a ``kill -9``; the top list is IBM alone."""
    fake_hn.lists["topstories"] = [IBM]
    cache = Cache(cache_dir)
    cache.put_items(ITEMS.values(), LESS_SLOW)
    cache.set_thread_refreshed(LESS_SLOW)
    cache.close()
    SaveHolder.holding(cache_dir).stop()


def saving(app) -> int | None:
    """The thread whose save the status line follows."""
    return app.screen.thread_pane.saving


def downloads(fake_hn) -> set[int]:
    """How many times each LESS_SLOW item was asked for (one number, if all alike)."""
    return {fake_hn.request_log[f"/v0/item/{item}.json"] for item in ITEMS}


def after_quit(cache_dir: Path) -> tuple[bool, list[int]]:
    cache = Cache(cache_dir)
    try:
        return cache.is_saved(LESS_SLOW), cache.pending_saves()
    finally:
        cache.close()


@pytest.mark.usefixtures("interrupted")
async def test_s_on_the_thread_being_resumed_joins_it_and_a_quit_mid_save_is_quiet(
    make_app, fake_hn, cache_dir
):
    fake_hn.fault("delay", ids=[A_COMMENT], seconds=3.0, times=1)  # the resume is still going
    app = make_app(LESS_SLOW)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: RESUMING in notices(app), "the resume notice")
        await wait_until(pilot, lambda: app.screen.thread is not None, "the thread")
        await wait_until(pilot, lambda: fake_hn.request_log[HELD] == 1, "the resume to be held")
        assert saving(app) == LESS_SLOW
        await pilot.press("s")  # joins the resumed save: nothing is asked for again
        assert fake_hn.request_log[f"/v0/item/{LESS_SLOW}.json"] == 1
        assert app.is_running
    # The quit cut the resumed save short: no traceback, and it is still pending.
    assert after_quit(cache_dir) == (False, [LESS_SLOW])
    fake_hn.reset_stats()
    fake_hn.fault("delay", ids=[A_COMMENT], seconds=0.5, times=1)
    app = make_app(LESS_SLOW)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: RESUMING in notices(app), "the resume notice")
        await wait_until(pilot, lambda: saving(app) == LESS_SLOW, "the resume to start")
        await pilot.press("s")
        await wait_until(pilot, lambda: saving(app) is None, "the save")
        assert app.screen.status.message.startswith("Saved for offline: Less Slow C++")
        assert app.is_running
    assert downloads(fake_hn) == {1}
    assert after_quit(cache_dir) == (True, [])


@pytest.mark.usefixtures("interrupted")
async def test_s_on_another_thread_while_a_save_is_resumed_saves_both(make_app, fake_hn, cache_dir):
    fake_hn.fault("delay", ids=[A_COMMENT], seconds=1.0, times=1)
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: saving(app) == LESS_SLOW, "the resume to start")
        await wait_until(pilot, lambda: app.screen.thread is not None, "the IBM thread")
        await pilot.press("s")  # before: cancelled the resume, and WorkerCancelled ended the app
        await wait_until(pilot, lambda: saving(app) is None, "both saves", limit=20)
        await wait_loaded(pilot)
        assert app.is_running
    assert downloads(fake_hn) == {1}
    cache = Cache(cache_dir)
    assert cache.is_saved(LESS_SLOW) and cache.is_saved(IBM) and cache.pending_saves() == []
    cache.close()


async def test_a_save_a_live_process_runs_is_left_to_it_and_resumed_once_it_is_killed(
    make_app, fake_hn, cache_dir
):
    fake_hn.lists["topstories"] = [IBM]
    holder = SaveHolder.holding(cache_dir)  # another hnterm, saving LESS_SLOW right now
    try:
        app = make_app(IBM)
        async with app.run_test(size=SIZE) as pilot:
            await wait_loaded(pilot)
            assert not any("Resuming" in notice for notice in notices(app))
        assert downloads(fake_hn) == {0}
        holder.kill()
        app = make_app(IBM)
        watch = Cache(cache_dir)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: RESUMING in notices(app), "the resume notice")
            await wait_until(pilot, lambda: watch.is_saved(LESS_SLOW), "the resumed save")
            await wait_loaded(pilot)
        watch.close()
        assert downloads(fake_hn) == {1}
        assert after_quit(cache_dir) == (True, [])
        app = make_app(IBM)
        async with app.run_test(size=SIZE) as pilot:
            await wait_loaded(pilot)
            assert not any("Resuming" in notice for notice in notices(app))
        assert downloads(fake_hn) == {1}
    finally:
        holder.stop()
