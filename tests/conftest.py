"""Shared fixtures: the fake HN API server and a per-test cache directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hnterm.storage.cache import Cache
from hnterm.storage.worker import CacheWorker

from tests.fakehn import FakeHN


@pytest.fixture(autouse=True)
def isolated_config(tmp_path_factory, monkeypatch):
    """No test reads the developer's own config file, theme or HN session."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("HNTERM_CONFIG_DIR", str(folder))  # the config file is config.toml there
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


class Blocking:
    """A CacheWorker's cache called like a plain ``Cache`` (each call waits for the cache's
    thread): lets a test check what a Source stored without threading ``await`` through."""

    def __init__(self, worker: CacheWorker) -> None:
        self.worker = worker

    def __getattr__(self, name: str):
        method = getattr(Cache, name)
        return lambda *args, **kwargs: self.worker.run_blocking(method, *args, **kwargs)
