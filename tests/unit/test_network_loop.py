"""The UI's bridge to the network loop (services.network_loop): the start list fetched early."""

from __future__ import annotations

from hnterm.services.network_loop import BackgroundSource

from tests.conftest import wait_for_async
from tests.fakehn import FakeHN

TOP = "/v0/topstories.json"


async def test_the_early_fetch_goes_out_unasked_and_is_the_first_ask(
    fake_hn: FakeHN, background: BackgroundSource
) -> None:
    background.fetch_ids_early("top")
    await wait_for_async(lambda: fake_hn.request_log[TOP] == 1, "the early fetch")
    first = await background.story_ids("top")
    assert first.ids == fake_hn.lists["topstories"] and not first.from_cache
    assert fake_hn.request_log[TOP] == 1  # the ask took the early fetch
    await background.story_ids("top")
    assert fake_hn.request_log[TOP] == 2  # a later ask is fetched afresh


async def test_an_early_fetch_of_another_list_is_not_what_the_ask_gets(
    fake_hn: FakeHN, background: BackgroundSource
) -> None:
    background.fetch_ids_early("top")
    new = await background.story_ids("new")
    assert new.ids == fake_hn.lists["newstories"]
    before = fake_hn.request_log[TOP]
    top = await background.story_ids("top")
    assert top.ids == fake_hn.lists["topstories"]
    assert fake_hn.request_log[TOP] == before + 1  # asked now, not the dropped early one
