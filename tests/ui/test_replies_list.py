"""The Replies list (9) and the title's count against the loopback fakes: a reply added on
the server while the app is open shows in the list and the title within a poll; enter
opens it in its thread; offline the list shows the cache and when it was last checked."""

from __future__ import annotations

from hnterm.config import Config
from hnterm.storage.session import SessionStore
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.story_list import StoryList

from tests.data import IBM
from tests.fakehn.users import add_fixture_users, replies_to
from tests.ui.conftest import FIXED_NOW, wait_until

NAME = "rayiner"
POLL = 0.3  # seconds: the live-poll pace the test sets


def app_for(fake_hn, tmp_path, **settings) -> HNApp:
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", live_interval=POLL)
    return HNApp(Config(**{**config.__dict__, **settings}))


def shown_ids(stories: StoryList) -> list[int]:
    options = (stories.get_option_at_index(i) for i in range(stories.option_count))
    return [int(option.id) for option in options if option.id is not None]


def header_title(app: HNApp) -> str:
    return str(app.screen.query_one("HeaderTitle").render())


async def test_a_reply_arriving_shows_in_the_list_and_the_title_within_a_poll(fake_hn, tmp_path):
    add_fixture_users(fake_hn, NAME)
    SessionStore().save(f"{NAME}&0123456789abcdef")
    expected = replies_to(fake_hn.items, NAME)
    app = app_for(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.gateway.replies_feed
        await wait_until(pilot, lambda: feed.latest is not None, "the check at start")
        await pilot.press("9")
        stories = app.screen.query_one(StoryList)
        await wait_until(pilot, lambda: shown_ids(stories) == expected, "the Replies list")
        assert app.title == f"hnterm · {NAME}" and "new repl" not in header_title(app)
        first = stories.get_option_at_index(0).prompt
        assert not str(first).startswith("new ") and " · on: comment: " in str(first)

        mine = fake_hn.users[NAME]["submitted"][0]
        polls = fake_hn.request_log["/v0/updates.json"]
        new_id = fake_hn.add_reply(mine, "answerer", "Arrived while the app was open", FIXED_NOW)
        await wait_until(pilot, lambda: shown_ids(stories)[:1] == [new_id], "the reply", 5)
        assert fake_hn.request_log["/v0/updates.json"] - polls <= 2  # the poll after the add
        assert shown_ids(stories) == [new_id, *expected]
        assert str(stories.get_option_at_index(0).prompt).startswith(
            "new Arrived while the app was open\nanswerer · "
        )
        assert app.title == f"hnterm · {NAME} · 1 new reply"
        await pilot.pause()
        assert "1 new reply" in header_title(app)

        stories.focus()
        stories.highlighted = 0
        await pilot.press("enter")  # opens the reply in its thread, the cursor on it
        view = app.screen.query_one(CommentView)
        await wait_until(pilot, lambda: view.cursor == new_id, "the reply opened in context")
        assert app.screen.thread.root_id == IBM

        stories.focus()
        await pilot.press("9")  # looked at again: no longer counted
        await wait_until(pilot, lambda: app.title == f"hnterm · {NAME}", "the count gone")


async def test_polls_cost_one_request_while_nothing_of_yours_changes(fake_hn, tmp_path):
    add_fixture_users(fake_hn, NAME)
    SessionStore().save(f"{NAME}&0123456789abcdef")
    app = app_for(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.gateway.replies_feed
        await wait_until(pilot, lambda: feed.latest is not None, "the check at start")
        users = fake_hn.request_log[f"/v0/user/{NAME}.json"]
        polls = fake_hn.request_log["/v0/updates.json"]
        fake_hn.updated_items = [IBM]  # something else changed
        await wait_until(
            pilot, lambda: fake_hn.request_log["/v0/updates.json"] >= polls + 3, "three polls"
        )
        assert fake_hn.request_log[f"/v0/user/{NAME}.json"] == users  # no whole check


async def test_offline_the_list_shows_the_cache_and_when_it_last_checked(fake_hn, tmp_path):
    add_fixture_users(fake_hn, NAME)
    SessionStore().save(f"{NAME}&0123456789abcdef")
    expected = replies_to(fake_hn.items, NAME)
    app = app_for(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.gateway.replies_feed
        await wait_until(pilot, lambda: feed.latest is not None, "the check at start")
    fake_hn.stop()
    offline = app_for(fake_hn, tmp_path, offline=True)
    async with offline.run_test(size=(120, 40)) as pilot:
        await pilot.press("9")
        stories = offline.screen.query_one(StoryList)
        await wait_until(pilot, lambda: shown_ids(stories) == expected, "the cached replies")
        assert stories.border_subtitle == "cached copy, checked just now"


async def test_hostile_reply_text_is_shown_as_text(fake_hn, tmp_path):
    add_fixture_users(fake_hn, NAME)
    SessionStore().save(f"{NAME}&0123456789abcdef")
    mine = fake_hn.users[NAME]["submitted"][0]
    hostile = "\x1b[2J\x1b]8;;http://x/\x07[bold red]loud[/] \u202eevil\x9b31m"
    new_id = fake_hn.add_reply(mine, "answerer", hostile, FIXED_NOW)
    app = app_for(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.gateway.replies_feed.latest is not None, "a check")
        await pilot.press("9")
        stories = app.screen.query_one(StoryList)
        await wait_until(pilot, lambda: shown_ids(stories)[:1] == [new_id], "the reply")
        entry = str(stories.get_option_at_index(0).prompt)
        assert entry.startswith("[bold red]loud[/] evil")  # as text, not markup
        assert not any(c in entry for c in "\x1b\x07\u202e\x9b")


async def test_a_failing_api_with_nothing_cached_says_so_in_the_list(fake_hn, tmp_path):
    add_fixture_users(fake_hn, NAME)
    SessionStore().save(f"{NAME}&0123456789abcdef")
    fake_hn.fault("500", paths=[f"user/{NAME}.json"])
    app = app_for(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.gateway.replies_feed.latest is not None, "a check")
        await pilot.press("9")
        stories = app.screen.query_one(StoryList)
        await wait_until(pilot, lambda: stories.option_count == 1, "the list's one line")
        line = str(stories.get_option_at_index(0).prompt)
        assert line.startswith("Could not check replies: network: ") and "\n" not in line
