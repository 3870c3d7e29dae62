"""A fixture for tests that run hnterm in a process of its own, logged in: the fake HN web
site with the IBM thread, alice's session cookie in the 0600 file (no keyring), and the
environment the process inherits pointing at both, with an ``$EDITOR`` as a shell has."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hnterm.storage.session import SessionStore

from tests.data import IBM, fixture_items
from tests.fakeweb import FakeWeb

COOKIE = "alice&s3cr3tc00k1e"


@pytest.fixture
def web(tmp_path: Path, monkeypatch) -> Iterator[FakeWeb]:
    monkeypatch.setenv("EDITOR", "vi")
    monkeypatch.setenv("HNTERM_CONFIG_DIR", str(tmp_path / "config"))
    with FakeWeb() as server:
        monkeypatch.setenv("HNTERM_WEB_URL", server.url)
        items = fixture_items("unlurker-43727727-ibm-rto").values()
        comments = [(i.id, i.parent, i.by or "?") for i in items if i.parent is not None]
        server.add_thread(IBM, comments)
        server.state.sessions[COOKIE] = "alice"
        SessionStore(tmp_path / "config").save(COOKIE)
        yield server
