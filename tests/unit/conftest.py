"""Fixtures the unit tests of HN's web forms share: the fake web site and an account setting."""

from __future__ import annotations

import pytest

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
