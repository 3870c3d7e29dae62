"""Snapshot tests: what the reader sees, pixel for pixel (pytest --snapshot-update accepts)."""

from __future__ import annotations

from tests.data import BIDEN, IBM
from tests.ui.conftest import wait_loaded

SIZE = (130, 40)


async def loaded(pilot) -> None:
    """Wait for every load, so the snapshot does not depend on timing."""
    await wait_loaded(pilot)


def test_thread_view_on_a_deep_thread(snap_compare, make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app(IBM)
    assert snap_compare(app, terminal_size=SIZE, run_before=loaded, press=["j", "J", "l"])


def test_collapsed_top_level_comments(snap_compare, make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app(BIDEN)
    assert snap_compare(app, terminal_size=SIZE, run_before=loaded, press=["z", "j", "j"])


def test_help_screen(snap_compare, make_app, fake_hn):
    fake_hn.lists["topstories"] = [IBM]
    app = make_app()
    assert snap_compare(app, terminal_size=SIZE, run_before=loaded, press=["question_mark"])
