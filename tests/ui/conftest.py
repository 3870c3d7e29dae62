"""Fixtures for driving the real app against the fake server and a real cache file."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from contextlib import suppress

import pytest
import textual._wait as pilot_wait
from hnterm.config import Config
from hnterm.model import format as hn_format
from hnterm.ui.app import HNApp
from textual.worker import WorkerCancelled

from tests.fakepages import FakePages, allow_loopback

# Pilot waits for the app to go idle after each key by sleeping in steps until a step passes
# with almost no CPU used (Textual's wait_for_idle): two waits a key, 20 ms steps, some 2,000
# keys in these tests. Steps of 5 ms find the same idle moment four times sooner (measured:
# tests/ui/test_context.py 19 s instead of 32 s). Textual has no public setting for the step,
# so it is set on its private module: textual is pinned exactly in pyproject.toml, and
# tests/ui/test_pilot_step.py fails if an upgrade moves it rather than let the suite slow.
PILOT_STEP = 1 / 200
pilot_wait.SLEEP_GRANULARITY = PILOT_STEP
pilot_wait.SLEEP_IDLE = PILOT_STEP / 20

# 2025-04-19 00:00 UTC: just after the newest fixture item, so ages read like the live site.
FIXED_NOW = 1_745_020_800


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    """Ages are relative to now; pin now so screens and snapshots are stable."""
    monkeypatch.setattr(hn_format, "clock", lambda: FIXED_NOW)


_NOTICES: dict[int, list[str]] = {}  # id(app) -> what it notified, in order


@pytest.fixture(autouse=True)
def record_notices(monkeypatch):
    """Record every notification an app raises (a spy: the call goes through as usual), so
    tests read what the user was told through ``notices(app)``."""
    _NOTICES.clear()
    original = HNApp.notify

    def notify(self: HNApp, message, *args, **kwargs):
        _NOTICES.setdefault(id(self), []).append(str(message))
        return original(self, message, *args, **kwargs)

    monkeypatch.setattr(HNApp, "notify", notify)


def notices(app: HNApp) -> list[str]:
    """The notifications ``app`` raised so far, oldest first."""
    return _NOTICES.get(id(app), [])


@pytest.fixture
def make_app(fake_hn, tmp_path) -> Callable[..., HNApp]:
    """Build an HNApp pointed at the fake server with a cache in tmp_path."""

    def build(item: int | None = None, *, offline: bool = False) -> HNApp:
        config = Config(
            api_url=fake_hn.url, cache_dir=tmp_path / "cache", offline=offline, item=item
        )
        return HNApp(config)

    return build


async def wait_loaded(pilot) -> None:
    """Wait until every load has finished (workers can start a beat after mount)."""
    app = pilot.app
    for _ in range(200):
        with suppress(WorkerCancelled):  # a newer load replaced it: wait for that one
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not app.workers and not getattr(app.screen, "thread_loading", False):
            return
    raise AssertionError("loads did not finish")


async def wait_until(pilot, condition: Callable[[], object], what: str, limit: float = 10.0):
    """Let the app run until ``condition()`` holds; fail after ``limit`` seconds. The
    condition may return an awaitable (a cache read, say): its result is what counts."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not await holds(condition):
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what} ({limit} s)")
        await pilot.pause(0.02)


async def holds(condition: Callable[[], object]) -> bool:
    result = condition()
    return bool(await result if inspect.isawaitable(result) else result)


def in_order(words: list[str], text: str) -> bool:
    """Every word appears in ``text``, each after the previous one."""
    position = 0
    for word in words:
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


@pytest.fixture
def pages(monkeypatch) -> Iterator[FakePages]:
    """The fake article pages, which the article fetcher may reach (the test-only setting)."""
    with FakePages() as server:
        allow_loopback(monkeypatch, server)
        yield server
