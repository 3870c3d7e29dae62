"""The start list's first page, asked for on the network loop as soon as the early fetch has
the ids (services.network_loop): the UI's first ask for that page takes it, any other ask is
fetched as before."""

from __future__ import annotations

from contextlib import aclosing

from hnterm.model.items import Item
from hnterm.services.network_loop import BackgroundSource
from hnterm.services.source import PAGE_SIZE

from tests.conftest import wait_for_async
from tests.fakehn import FakeHN


def item_requests(fake_hn: FakeHN, ids: list[int]) -> int:
    return sum(fake_hn.request_log[f"/v0/item/{i}.json"] for i in ids)


async def all_of(background: BackgroundSource, ids: list[int]) -> list[Item]:
    items: list[Item] = []
    async with aclosing(background.stories(ids)) as pages:
        async for page in pages:
            items += page
    return items


async def test_the_first_page_goes_out_unasked_and_is_what_the_first_ask_gets(
    fake_hn: FakeHN, background: BackgroundSource
) -> None:
    first = fake_hn.lists["topstories"][:PAGE_SIZE]
    background.fetch_ids_early("top")
    await wait_for_async(lambda: item_requests(fake_hn, first) == len(first), "the first page")
    ids = await background.story_ids("top")
    assert ids.ids[:PAGE_SIZE] == first
    items = await all_of(background, first)
    assert sorted(item.id for item in items) == sorted(first)
    assert item_requests(fake_hn, first) == len(first)  # the ask took the early page
    await all_of(background, first)
    assert item_requests(fake_hn, first) == 2 * len(first)  # a later ask is fetched afresh


async def test_an_ask_for_another_page_first_drops_the_early_page(
    fake_hn: FakeHN, background: BackgroundSource
) -> None:
    first = fake_hn.lists["topstories"][:PAGE_SIZE]
    background.fetch_ids_early("top")
    await wait_for_async(lambda: item_requests(fake_hn, first) == len(first), "the first page")
    await background.story_ids("top")
    other = first[1:3]
    assert {item.id for item in await all_of(background, other)} == set(other)  # (cached, fresh)
    before = item_requests(fake_hn, first)
    assert {item.id for item in await all_of(background, first)} == set(first)
    assert item_requests(fake_hn, first) == before + len(first)  # fetched, not the early one
