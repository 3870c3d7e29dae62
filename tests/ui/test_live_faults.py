"""Live polls that fail (issue 21): the status line says so once, the polls go on, and the
first one that works again says that too. Against the loopback fake with an injected fault."""

from __future__ import annotations

from dataclasses import replace

from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.status_line import StatusLine

from tests.data import IBM
from tests.ui.conftest import wait_loaded, wait_until


async def test_a_failing_poll_is_said_once_and_its_recovery_too(fake_hn, tmp_path):
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM)
    app = HNApp(replace(config, live_interval=0.1, deadline=1.0))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        status = app.screen.query_one(StatusLine)
        fake_hn.reset_stats()
        fake_hn.fault("404", ids=[IBM])  # the root every poll refetches: the poll fails

        await wait_until(pilot, lambda: "Live updates failed" in status.message, "the failure")
        assert status.error and "trying again every 0.1 s" in status.message
        polls = fake_hn.request_log["/v0/updates.json"]
        status.show("something else")  # the reader moves on: the outage is not said again
        await wait_until(
            pilot, lambda: fake_hn.request_log["/v0/updates.json"] >= polls + 2, "more polls"
        )
        assert status.message == "something else"

        fake_hn.clear_faults()
        await wait_until(pilot, lambda: status.message == "Live updates work again", "recovery")
        assert not status.error
