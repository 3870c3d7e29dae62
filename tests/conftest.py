"""Shared fixtures: the fake HN API server and a per-test cache directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakehn import FakeHN


@pytest.fixture
def fake_hn() -> Iterator[FakeHN]:
    """A fake API with every fixture loaded, on a free port, served from a thread."""
    with FakeHN.from_fixtures() as server:
        yield server


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"
