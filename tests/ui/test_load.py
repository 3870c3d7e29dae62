"""Load: rapid switching leaks nothing, and the UI answers keys while a thread streams in."""

from __future__ import annotations

import asyncio
import os

from hnterm.ui.widgets.comment_view import CommentView
from textual import events

from tests.conftest import wait_for_async
from tests.fakehn import FakeHN, generate_thread
from tests.ui.conftest import wait_loaded, wait_until

GENERATED = 90_000_000


def load_tasks() -> set[str]:
    """Tasks that are not widgets' message pumps (widgets may mount scrollbars meanwhile)."""
    return {t.get_name() for t in asyncio.all_tasks() if "message pump" not in t.get_name()}


def open_fds() -> set[str]:
    """Sockets and files this process holds (pipes and pytest's capture files aside)."""
    targets = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:") or target.endswith((".sqlite3", "-wal", "-shm")):
            targets.add(target)
    return targets


async def test_rapid_switching_between_threads_leaks_nothing(make_app, fake_hn):
    fake_hn.delay = 0.03
    stories = fake_hn.lists["topstories"]
    fds_before = open_fds()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        tasks_before = load_tasks()
        screen = app.screen
        for n in range(20):
            screen.open_item(stories[n % len(stories)])
            await asyncio.sleep(0.02)  # the thing tested: a new thread every 20 ms
        last = stories[19 % len(stories)]
        await wait_loaded(pilot)
        view = screen.query_one(CommentView)
        assert view.thread.root_id == last
        assert len(view.thread) == len(view.thread.order()) - 1
        await wait_until(pilot, lambda: fake_hn._in_flight == 0, "answers in flight", 2)
        requests = fake_hn.requests
        await asyncio.sleep(0.3)  # the thing tested: no request in 0.3 s (10 round trips)
        assert fake_hn.requests == requests, "cancelled loads kept fetching"
        assert fake_hn._in_flight == 0
        assert load_tasks() <= tasks_before
    # The server thread closes its ends of the sockets a moment after the client's.
    await wait_for_async(lambda: open_fds() <= fds_before, "connections or files to close", 2)


async def test_keys_are_answered_while_3000_comments_stream_in(tmp_path):
    from hnterm.config import Config
    from hnterm.ui.app import HNApp

    with FakeHN(generate_thread(), delay=0.05) as server:
        app = HNApp(Config(api_url=server.url, cache_dir=tmp_path, item=GENERATED))
        async with app.run_test(size=(120, 40)) as pilot:
            view = app.screen.query_one(CommentView)
            await wait_until(
                pilot, lambda: view.thread is not None and len(view.thread) >= 50, "comments"
            )
            # Post key events straight to the app (Pilot.press waits for an idle app, which
            # a streaming load rarely is) and see each one handled while the load goes on.
            moved_while_loading = 0
            for _ in range(10):
                before = view.cursor
                app.post_message(events.Key("j", "j"))
                await wait_until(pilot, lambda b=before: view.cursor != b, "the key", limit=5)
                moved_while_loading += app.screen.thread_loading
            assert moved_while_loading >= 5
            await wait_loaded(pilot)
            assert len(view.thread) == 3000
