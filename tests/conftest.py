"""Shared fixtures: the fake HN API server and a per-test cache directory; waiting for a
condition with a deadline (never a fixed sleep)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fakehn import FakeHN

POLL = 0.01  # seconds between two looks at a condition another thread or process changes


@pytest.fixture(autouse=True)
def isolated_config(tmp_path_factory, monkeypatch):
    """No test reads the developer's own config file, theme or HN session, nor any keyring:
    the keyring is one per process, not per test, so a session one test keeps there would be
    read by the next (a test that needs a keyring sets its own backend)."""
    import keyring
    from keyring.backends import fail

    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("HNTERM_CONFIG_DIR", str(folder))  # the config file is config.toml there
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")  # children
    keyring.set_keyring(fail.Keyring())
    for name in (
        "HNTERM_CONFIG",
        "HNTERM_API_URL",
        "HNTERM_CACHE_DIR",
        "HNTERM_THEME",
        "HNTERM_WEB_URL",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake_hn() -> Iterator[FakeHN]:
    """A fake API with every fixture loaded, on a free port, served from a thread."""
    with FakeHN.from_fixtures() as server:
        yield server


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def wait_for(condition: Callable[[], object], what: str, limit: float = 10.0) -> None:
    """Poll ``condition`` (another thread or process is doing the work) until it holds;
    fail after ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what} ({limit} s)"
        time.sleep(POLL)


async def wait_for_async(condition: Callable[[], object], what: str, limit: float = 10.0) -> None:
    """``wait_for`` on an event loop: the loop runs on between the polls."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what} ({limit} s)"
        await asyncio.sleep(POLL)
