"""Fixtures unit tests share: the fake web site and an account setting (HN's web forms), and
the network loop's bridge over the fake API and a real cache (services.network_loop)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hnterm.net.client import HNClient
from hnterm.services.network_loop import BackgroundSource
from hnterm.services.source import Source
from hnterm.storage.worker import CacheWorker

from tests.fakehn import FakeHN
from tests.fakeweb import FakeWeb


@pytest.fixture
def web():
    with FakeWeb() as server:
        yield server


@pytest.fixture
def account(tmp_path, monkeypatch, web):
    """A config folder in tmp_path and the fake web site (the session goes to its 0600 file:
    tests/conftest.py switches the keyring off for every test)."""
    monkeypatch.setenv("HNTERM_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HNTERM_WEB_URL", web.url)
    monkeypatch.setenv("HNTERM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "config"


@pytest.fixture
async def background(fake_hn: FakeHN, tmp_path: Path) -> AsyncIterator[BackgroundSource]:
    source = BackgroundSource(Source(HNClient(fake_hn.url), CacheWorker(tmp_path)))
    yield source
    await source.aclose()
    await source.worker.aclose()
