"""``hnterm hiring``: the latest "Who is hiring?" thread found by its author (the search API,
else the ``whoishiring`` user on the Firebase API, else the cache offline), read whole and
narrowed to a query; and ``hnterm dump --only``. Against the loopback fakes, through the real
command line (a subprocess), with a real SQLite cache."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakehn import FakeHN
from tests.fakehn.hiring import HiringData, hiring_items, serve_hiring
from tests.fakesearch import FakeSearch

ROOT = Path(__file__).resolve().parents[2]
POST = re.compile(r"^── \S+ · https://news\.ycombinator\.com/item\?id=(\d+)( \[new\])?$", re.M)


@pytest.fixture(scope="module")
def data() -> HiringData:
    return hiring_items(posts=400)


@pytest.fixture
def servers(data: HiringData) -> Iterator[tuple[FakeHN, FakeSearch]]:
    with FakeHN() as api, FakeSearch(data.search_hits()) as search:
        serve_hiring(api, data)
        yield api, search


def hnterm(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HNTERM_")}
    return subprocess.run(
        [sys.executable, "-m", "hnterm", "--cache-dir", str(cache), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def hiring(servers: tuple[FakeHN, FakeSearch], *args: str, cache: Path, search: str | None = None):
    api, fake_search = servers
    return hnterm(
        "hiring",
        *args,
        "--api-url",
        api.url,
        "--search-url",
        search or fake_search.url,
        cache=cache,
    )


def printed(out: str) -> list[int]:
    return [int(match.group(1)) for match in POST.finditer(out)]


def test_print_shows_exactly_the_top_level_posts_that_say_remote(servers, data, tmp_path):
    story = data.stories[("hiring", "November 2026")]
    result = hiring(servers, "remote", "--print", cache=tmp_path)
    assert result.returncode == 0, result.stderr
    assert printed(result.stdout) == [p for p in data.posts[story] if p in data.remote[story]]
    assert len(data.posts[story]) == 400  # every post was read, not a first page
    assert "80 of 400 shown" in result.stderr
    assert "Who is hiring? (November 2026)" in result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout  # hostile text, inert
    _, search = servers
    assert any(q.get("tags") == "story,author_whoishiring" for q in search.queries)


def test_without_the_search_api_the_thread_is_found_through_the_user(servers, data, tmp_path):
    dead = "http://127.0.0.1:9/api/v1/"  # nothing listens on the discard port
    result = hiring(servers, "remote", "--print", cache=tmp_path, search=dead)
    assert result.returncode == 0, result.stderr
    story = data.stories[("hiring", "November 2026")]
    assert printed(result.stdout) == [p for p in data.posts[story] if p in data.remote[story]]
    note = [line for line in result.stderr.splitlines() if "search API failed" in line]
    assert len(note) == 1 and "whoishiring" in note[0]


def test_a_failing_search_api_says_so_and_the_user_still_finds_it(servers, data, tmp_path):
    _, search = servers
    search.fault("500", times=10)
    result = hiring(servers, "--print", "--hired", cache=tmp_path)
    assert result.returncode == 0, result.stderr
    story = data.stories[("hired", "November 2026")]
    assert printed(result.stdout) == data.posts[story]
    assert "Who wants to be hired? (November 2026)" in result.stderr


def test_month_and_freelancer_flags_pick_that_thread(servers, data, tmp_path):
    result = hiring(servers, "--print", "--freelancer", "--month", "2026-10", cache=tmp_path)
    assert result.returncode == 0, result.stderr
    assert printed(result.stdout) == data.posts[data.stories[("freelancer", "October 2026")]]
    assert hiring(servers, "--month", "2026-13", cache=tmp_path).returncode == 2


def test_a_missing_thread_says_so_in_one_line(servers, tmp_path):
    result = hiring(servers, "--print", "--month", "2019-01", cache=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        'hnterm hiring: no "Who is hiring?" thread (January 2019) by whoishiring'
    ]


def test_both_apis_failing_say_so_in_one_line(servers, tmp_path):
    api, search = servers
    search.fault("500", times=10)
    api.fault("500", times=50)
    result = hiring(servers, "--print", cache=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "search API failed" in lines[0] and "whoishiring" in lines[0]


def test_offline_finds_the_thread_read_before_and_marks_only_new_posts(servers, data, tmp_path):
    api, _ = servers
    story = data.stories[("hiring", "November 2026")]
    first = hiring(servers, "remote", "--print", cache=tmp_path)
    assert first.returncode == 0 and "[new]" not in first.stdout  # first visit: nothing is new
    # A week later: two new posts, one of them remote.
    newest = max(data.items) + 1
    for n, text in enumerate(("Late Inc | REMOTE | Rust", "Later Ltd | Paris | ONSITE")):
        api.items[newest + n] = {
            "by": f"late{n}",
            "id": newest + n,
            "parent": story,
            "text": text,
            "time": 1_800_000_000 + n,
            "type": "comment",
        }
    api.items[story] = {**api.items[story], "kids": [newest, newest + 1, *data.posts[story]]}
    second = hiring(servers, "remote", "--print", cache=tmp_path)
    assert second.returncode == 0, second.stderr
    marked = [int(m.group(1)) for m in POST.finditer(second.stdout) if m.group(2)]
    assert marked == [newest]
    assert "1 new since your last visit" in second.stderr
    offline = hnterm("hiring", "remote", "--print", "--offline", cache=tmp_path)
    assert offline.returncode == 0, offline.stderr
    assert printed(offline.stdout)[0] == newest and "[new]" not in offline.stdout


def test_offline_with_nothing_cached_says_so(tmp_path):
    result = hnterm("hiring", "--print", "--offline", cache=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'hnterm hiring: no "Who is hiring?" thread in the cache (offline)'
    )


def test_dump_only_keeps_the_matching_top_level_posts_with_replies(servers, data, tmp_path):
    story = data.stories[("hiring", "November 2026")]
    api, _ = servers
    result = hnterm("dump", str(story), "--only", "remote", "--api-url", api.url, cache=tmp_path)
    assert result.returncode == 0, result.stderr
    import json

    dumped = json.loads(result.stdout)
    kept = [p for p in data.posts[story] if p in data.remote[story]]
    assert dumped["items"][str(story)]["kids"] == kept
    replies = {k for p in kept for k in data.items[p].get("kids", ())}
    assert set(dumped["items"]) == {str(i) for i in (story, *kept, *replies)}
    assert "80 of 400 shown" in result.stderr
    empty = hnterm("dump", str(story), "--only", "-", "--offline", cache=tmp_path)
    assert (
        empty.returncode == 1 and empty.stderr.strip() == "hnterm dump: nothing to narrow by in '-'"
    )


def test_a_quoted_query_with_an_exclusion_and_a_phrase(servers, data, tmp_path):
    story = data.stories[("hiring", "November 2026")]
    result = hiring(servers, 'remote -"US/EU"', "--print", cache=tmp_path)
    assert result.returncode == 0 and printed(result.stdout) == []  # every remote post says it
    assert "0 of 400 shown" in result.stderr
    api, search = servers
    urls = ("--api-url", api.url, "--search-url", search.url)
    after_dashes = hnterm("hiring", *urls, "--print", "--", "remote", "-kotlin", cache=tmp_path)
    kept = printed(after_dashes.stdout)
    assert kept and set(kept) < data.remote[story]
    assert all("Kotlin" not in data.items[post]["text"] for post in kept)
