"""User profiles: parsing, the client, the cache and ``hnterm user``.

The fixtures hold no user records: the profiles the fake server serves are made up for the
tests (``tests/fakehn/users.py``), but their ``submitted`` lists are the authors' real item
ids in the fixture threads, so submissions resolve to real stories and comments.
"""

from __future__ import annotations

import asyncio

from hnterm.cli.main import run as hnterm
from hnterm.model.users import User, is_username, parse_user, user_to_json
from hnterm.net.client import HNClient
from hnterm.services.profiles import load_profile, load_submissions, submission_lines
from hnterm.services.source import Source
from hnterm.storage.cache import Cache
from hnterm.storage.worker import CacheWorker

from tests.data import IBM
from tests.fakehn.users import add_fixture_users

IBM_TITLE = "IBM"  # the IBM thread's title starts so


def test_parse_user_is_defensive():
    raw = {"id": "pg", "created": 1160418092, "karma": 1, "about": "hi", "submitted": [3, 9, 1]}
    user = parse_user(raw, expected="PG")
    assert user == User("pg", 1160418092, 1, "hi", (9, 3, 1))  # newest (largest) first
    assert parse_user(user_to_json(user), expected="pg") == user
    junk = {"id": "pg", "created": "x", "karma": True, "about": 5, "submitted": "1,2"}
    assert parse_user(junk, expected="pg") == User("pg")
    mixed = {"id": "pg", "submitted": [1, "2", None, -4, 2**60, 1, True]}
    assert parse_user(mixed, expected="pg").submitted == (1,)
    assert parse_user({"id": "someone_else"}, expected="pg") is None  # a confused server
    assert parse_user(None, expected="pg") is None
    assert parse_user([], expected="pg") is None
    for bad in ("", "a/b", "../item/1", "x?y", "a b", "é"):
        assert not is_username(bad)


def test_client_fetches_users_and_refuses_unsafe_names(fake_hn):
    add_fixture_users(fake_hn, "rayiner")

    async def go():
        async with HNClient(fake_hn.url) as client:
            user = await client.user("rayiner")
            missing = await client.user("nobody_here")
            before = fake_hn.requests
            unsafe = await client.user("../item/1")
            return user, missing, unsafe, fake_hn.requests - before

    user, missing, unsafe, sent = asyncio.run(go())
    assert user is not None and user.karma == 4321 and len(user.submitted) == 24
    assert missing is None
    assert unsafe is None and sent == 0  # never became a request


def test_profile_is_cached_and_read_offline_with_comment_story_titles(fake_hn, tmp_path):
    add_fixture_users(fake_hn, "rayiner")

    async def go(offline: bool):
        cache = CacheWorker(tmp_path)
        client = None if offline else HNClient(fake_hn.url)
        source = Source(client, cache)
        try:
            profile = await load_profile(source, "rayiner")
            assert profile.user is not None
            page = await load_submissions(source, list(profile.user.submitted[:3]))
            return profile, page
        finally:
            if client is not None:
                await client.aclose()
            await cache.aclose()

    online, page = asyncio.run(go(offline=False))
    assert not online.from_cache and online.note is None
    titles = [submission_lines(sub)[0] for sub in page]
    assert all(title.startswith(f"comment on: {IBM_TITLE}") for title in titles), titles
    fake_hn.stop()
    offline, again = asyncio.run(go(offline=True))
    assert offline.from_cache and offline.user == online.user and offline.note == "offline mode"
    assert [submission_lines(sub) for sub in again] == [submission_lines(sub) for sub in page]


def test_unreachable_network_falls_back_to_the_cache_and_says_so(fake_hn, tmp_path):
    add_fixture_users(fake_hn, "rntn")
    assert hnterm(["user", "rntn", "--api-url", fake_hn.url, "--cache-dir", str(tmp_path)]) == 0
    fake_hn.stop()

    async def go():
        cache = CacheWorker(tmp_path)
        async with HNClient(fake_hn.url, retries=0) as client:
            try:
                return await load_profile(Source(client, cache), "rntn")
            finally:
                await cache.aclose()

    profile = asyncio.run(go())
    assert profile.from_cache and profile.user is not None and profile.user.id == "rntn"
    assert profile.note is not None and profile.note.startswith("network: cannot reach")


def test_hnterm_user_prints_the_profile_online_then_offline(fake_hn, tmp_path, capsys):
    add_fixture_users(fake_hn, "rayiner", about="Lawyer.<p>Hostile: \x1b[31mred [bold]x[/bold]")
    args = ["user", "rayiner", "--limit", "3", "--cache-dir", str(tmp_path)]
    assert hnterm([*args, "--api-url", fake_hn.url]) == 0
    online = capsys.readouterr()
    lines = online.out.splitlines()
    assert lines[0].startswith("rayiner · karma 4,321 · joined ")
    assert "Lawyer." in online.out and "\x1b" not in online.out and "<p>" not in online.out
    assert "latest submissions (3 of 24):" in online.out
    assert online.out.count(f"comment on: {IBM_TITLE}") == 3
    assert online.err == ""
    fake_hn.stop()
    assert hnterm([*args, "--offline"]) == 0
    offline = capsys.readouterr()
    assert offline.out == online.out
    assert offline.err.startswith("hnterm user: from the cache, fetched ")


def test_hnterm_user_unknown_or_bad_names_get_one_line(fake_hn, tmp_path, capsys):
    base = ["--api-url", fake_hn.url, "--cache-dir", str(tmp_path)]
    assert hnterm(["user", "nobody_here", *base]) == 1
    assert capsys.readouterr().err == "hnterm user: no HN user 'nobody_here'\n"
    assert hnterm(["user", "../etc", *base]) == 1
    assert capsys.readouterr().err == "hnterm user: not an HN username: '../etc'\n"
    assert hnterm(["user", "rayiner", "--offline", "--cache-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == "hnterm user: offline mode; 'rayiner' is not in the cache\n"


def test_a_version_3_cache_gains_the_users_table_and_keeps_its_items(tmp_path):
    cache = Cache(tmp_path)
    cache.put_items([], IBM)
    cache.put_list("top", [IBM])
    cache.db.execute("DROP TABLE users")
    cache.db.execute("PRAGMA user_version=3")
    cache.close()
    again = Cache(tmp_path)
    assert again.get_list("top")[0] == [IBM]
    again.put_user(User("pg", karma=5))
    assert again.get_user("PG").user == User("pg", karma=5)  # names match in any case
    again.close()


def test_limit_zero_shows_no_submissions(fake_hn, tmp_path, capsys):
    add_fixture_users(fake_hn, "rntn")
    argv = ["user", "rntn", "--limit", "0", "--api-url", fake_hn.url]
    assert hnterm([*argv, "--cache-dir", str(tmp_path)]) == 0
    assert "latest submissions" not in capsys.readouterr().out
