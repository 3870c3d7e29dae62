"""``hnterm replies``: the replies to a user's recent items, from the loopback fake API.

The user is made up (``tests/fakehn/users.py``) but their ``submitted`` ids are their real
items in the fixture threads, so the replies are the fixtures' own; ``FakeHN.add_reply``
adds one while the test runs, as HN would show it.
"""

from __future__ import annotations

import json
import time

from hnterm.cli.main import run as hnterm
from hnterm.storage.session import SessionStore

from tests.fakehn.users import add_fixture_users, replies_to

NAME = "rayiner"  # 17 comments in the IBM thread, 24 fixture items in all, 32 replies


def replies_json(capsys, *args: str) -> dict:
    assert hnterm(["replies", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_reply_to_a_users_comments_newest_first(fake_hn, tmp_path, capsys):
    add_fixture_users(fake_hn, NAME)
    expected = replies_to(fake_hn.items, NAME)
    assert len(expected) > 20
    base = ["--api-url", fake_hn.url, "--cache-dir", str(tmp_path)]
    assert hnterm(["replies", NAME, *base]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines[0] == f"replies to {NAME} ({len(expected)})" and out.err == ""
    shown = [int(line.split()[0]) for line in lines[1::2]]
    assert shown == expected
    assert all(line.strip().startswith("on: ") for line in lines[2::2])
    data = replies_json(capsys, NAME, *base)
    assert [r["id"] for r in data["replies"]] == expected
    times = [r["time"] for r in data["replies"]]
    assert times == sorted(times, reverse=True)
    parents = {r["parent"] for r in data["replies"]}
    assert all(fake_hn.items[p]["by"] == NAME for p in parents)
    assert data["from_cache"] is False and not any(r["new"] for r in data["replies"])


def test_a_reply_since_the_last_check_is_marked_new(fake_hn, tmp_path, capsys):
    add_fixture_users(fake_hn, NAME)
    base = ["--api-url", fake_hn.url, "--cache-dir", str(tmp_path)]
    replies_json(capsys, NAME, *base)  # the first check: nothing new yet
    mine = fake_hn.users[NAME]["submitted"][3]
    hostile = "\x1b[31mred\x1b]8;;http://x/\x07 [bold]x[/bold] \u202eevil"
    new_id = fake_hn.add_reply(mine, "answerer", f"{hostile}<p>second paragraph", int(time.time()))
    assert hnterm(["replies", NAME, *base]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[1]
    assert first.split()[0] == str(new_id) and " answerer " in first and " new " in first
    assert "red [bold]x[/bold]" in first and "second paragraph" not in first
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert out.splitlines()[0] == f"replies to {NAME} (33, 1 new)"
    again = replies_json(capsys, NAME, *base)  # checked: no longer new
    assert not any(r["new"] for r in again["replies"])
    recent = replies_json(capsys, NAME, *base, "--since", "1d")
    assert [r["id"] for r in recent["replies"]] == [new_id]


def test_offline_it_shows_the_cache_and_when_it_last_checked(fake_hn, tmp_path, capsys):
    add_fixture_users(fake_hn, NAME)
    online = replies_json(capsys, NAME, "--api-url", fake_hn.url, "--cache-dir", str(tmp_path))
    fake_hn.stop()
    assert hnterm(["replies", NAME, "--offline", "--cache-dir", str(tmp_path), "--json"]) == 0
    out = capsys.readouterr()
    offline = json.loads(out.out)
    assert offline["from_cache"] is True and offline["checked"] == online["checked"]
    assert offline["replies"] == online["replies"]
    assert out.err == "hnterm replies: offline mode; from the cache, last checked just now\n"
    other = tmp_path / "empty"
    assert hnterm(["replies", NAME, "--offline", "--cache-dir", str(other)]) == 1
    err = capsys.readouterr().err
    assert err == f"hnterm replies: offline mode; {NAME!r} is not in the cache\n"


def test_a_failing_api_says_so_in_one_line(fake_hn, tmp_path, capsys):
    add_fixture_users(fake_hn, NAME)
    base = ["--api-url", fake_hn.url, "--cache-dir", str(tmp_path)]
    online = replies_json(capsys, NAME, *base)
    fake_hn.fault("500")
    assert hnterm(["replies", NAME, *base, "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["replies"] == online["replies"]  # the cache's copy
    assert out.err.count("\n") == 1 and out.err.startswith("hnterm replies: network: ")
    assert "from the cache, last checked just now" in out.err
    fresh = ["--api-url", fake_hn.url, "--cache-dir", str(tmp_path / "empty")]
    assert hnterm(["replies", NAME, *fresh]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("hnterm replies: network: ")


def test_the_name_defaults_to_the_logged_in_user(fake_hn, tmp_path, capsys):
    add_fixture_users(fake_hn, NAME)
    base = ["--api-url", fake_hn.url, "--cache-dir", str(tmp_path)]
    assert hnterm(["replies", *base]) == 2
    assert capsys.readouterr().err == (
        "hnterm replies: nobody is logged in: give a NAME or run hnterm login\n"
    )
    SessionStore().save(f"{NAME}&0123456789abcdef")
    assert replies_json(capsys, *base)["name"] == NAME
    assert hnterm(["replies", "no_such_user", *base]) == 1
    assert capsys.readouterr().err == "hnterm replies: no HN user 'no_such_user'\n"
