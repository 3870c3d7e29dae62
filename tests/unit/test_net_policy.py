"""The one HTTP layer's policy (issue 21), against real servers on loopback: public addresses
only, checked on every redirect hop and on every DNS answer, with the tests' own servers
reachable through the test-only setting alone (never through what a server sends); a deadline
that covers every attempt of a request; ``Retry-After`` honoured but capped; a failed redirect
that names its target.

Where a redirect must send nothing, its target is the ``Honeypot``, which every local address
form reaches (``0.0.0.0``, ``[::]``, ``127.0.0.2``, ``[::1]``...) and which counts
connections. Private and link-local addresses (10/8, 169.254.169.254, ...) are checked on the
policy itself: no test here may send a packet towards them, even when the check is broken.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from hnterm.net.algolia import SearchClient, parse_search
from hnterm.net.article_fetch import ArticleError, fetch_page
from hnterm.net.client import HNError
from hnterm.net.transport import TEST_LOOPBACK_ENV, Addresses, Failure, retry_after
from hnterm.net.web_forms import WebClient
from yarl import URL

from tests.fakehn import FakeHN
from tests.fakepages import FakePages, allow_loopback
from tests.headless import hnterm
from tests.hostile import Honeypot, Stalling, deep_chain

# Every way of writing an address on this machine: the honeypot, on [::], answers them all.
LOCAL_FORMS = ["127.0.0.1", "127.0.0.2", "0.0.0.0", "[::1]", "[::]", "[::ffff:127.0.0.1]"]
PRIVATE = [
    "10.0.0.5",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "224.0.0.1",
    "[fe80::1]",
    "[fd00::1]",
    "[::ffff:10.0.0.1]",
    "[::ffff:169.254.169.254]",
]


@pytest.fixture
def pages() -> Iterator[FakePages]:
    with FakePages() as server:
        yield server


@pytest.fixture
def honeypot() -> Iterator[Honeypot]:
    with Honeypot() as pot:
        yield pot


@pytest.fixture(autouse=True)
def no_test_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts without the test-only setting; those that need it name servers."""
    monkeypatch.delenv(TEST_LOOPBACK_ENV, raising=False)


# -- addresses ------------------------------------------------------------------------------


async def test_a_loopback_story_url_is_refused_without_the_test_setting(pages, honeypot):
    urls = {
        pages.url("blog.html"): "127.0.0.1",
        f"http://[::1]:{honeypot.port}/": "[::1]",
        f"http://localhost:{honeypot.port}/": "localhost",  # refused where it is resolved
    }
    for url, host in urls.items():
        with pytest.raises(Exception) as refused:
            await fetch_page(url)
        assert isinstance(refused.value, ArticleError)
        assert str(refused.value).startswith(f"refused: {host} "), str(refused.value)
    assert sum(pages.hits.values()) == 0
    assert honeypot.connections == 0


@pytest.mark.parametrize("host", [*LOCAL_FORMS, "localhost"])
async def test_a_redirect_to_a_local_address_sends_it_nothing(pages, honeypot, monkeypatch, host):
    """The setting names the page server (the "public" site) and not the honeypot: the hop's
    address is refused before connecting, and the reason names the target."""
    allow_loopback(monkeypatch, pages)
    target = f"http://{host}:{honeypot.port}/latest/meta-data"
    with pytest.raises(Exception) as refused:
        await fetch_page(pages.url(f"away?to={quote(target)}"))
    shown = "[::ffff:7f00:1]" if host == "[::ffff:127.0.0.1]" else host  # as yarl writes it
    assert str(refused.value).startswith(f"refused: {shown} "), str(refused.value)
    assert pages.hits["away"] == 1
    assert honeypot.connections == 0


async def test_the_honeypot_counts_what_the_policy_lets_through(pages, honeypot, monkeypatch):
    """The control for the test above: with the honeypot named too, the same redirect reaches
    it (it hangs up, so the fetch fails), so a count of 0 there means nothing was sent."""
    monkeypatch.setenv(TEST_LOOPBACK_ENV, f"{pages.origin},127.0.0.1:{honeypot.port}")
    with pytest.raises(HNError):
        await fetch_page(pages.url(f"away?to=http://127.0.0.1:{honeypot.port}/"))
    assert honeypot.connections >= 1


@pytest.mark.parametrize("host", PRIVATE)
def test_private_and_link_local_addresses_are_refused_and_no_setting_lets_them_in(host):
    with pytest.raises(Failure, match="is not a public address"):
        Addresses().check(URL(f"http://{host}/x"))
    named = Addresses.from_environment({TEST_LOOPBACK_ENV: f"{host}:80,127.0.0.1:8080"})
    assert named.loopback == {("127.0.0.1", 8080)}  # the setting admits loopback only
    with pytest.raises(Failure):
        named.check(URL(f"http://{host}:80/x"))


def test_public_addresses_pass_and_names_are_left_to_the_resolver():
    for url in ("https://93.184.215.14/x", "https://[2606:4700::1111]/", "https://example.com/"):
        Addresses().check(URL(url))
    assert not Addresses.from_environment({TEST_LOOPBACK_ENV: "127.0.0.1:80"}).allows(
        "127.0.0.1", 81
    )  # a port the setting does not name stays shut


# IPv6 forms that carry an IPv4 address: IPv4-compatible (::a.b.c.d, deprecated and reserved,
# but Python calls it global), 6to4 (2002:AABB:CCDD::) and NAT64 (64:ff9b::AABB:CCDD).
@pytest.mark.parametrize(
    "host",
    ["[::127.0.0.1]", "[::10.0.0.1]", "[2002:7f00:1::]", "[2002:a9fe:a9fe::1]", "[64:ff9b::a00:1]"],
)
def test_ipv6_forms_carrying_a_local_ipv4_address_are_refused(host):
    """Before, each was "global" to the check: a story link to ``[::127.0.0.1]`` was sent out
    (through the default route, to whatever answers for it)."""
    with pytest.raises(Failure, match="is not a public address"):
        Addresses().check(URL(f"http://{host}/x"))


def test_ipv6_forms_carrying_a_public_ipv4_address_pass():
    for host in ("[2002:5db8:d70e::]", "[64:ff9b::5db8:d70e]"):  # 93.184.215.14
        Addresses().check(URL(f"https://{host}/x"))


def _two_stories(first_url: str, second_url: str) -> dict[int, dict]:
    items = {**deep_chain(1, 700), **deep_chain(1, 800)}
    items[700]["url"], items[800]["url"] = first_url, second_url
    return items


def _sync_articles(api: FakeHN, cache: Path, env: dict[str, str] | None = None) -> str:
    api.lists["topstories"] = [700, 800]
    args = ["sync", "--articles", "--top", "2", "--api-url", api.url, "--cache-dir", str(cache)]
    done = hnterm(*args, env=env, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_sync_articles_over_loopback_links_sends_them_nothing(pages, honeypot, tmp_path):
    items = _two_stories(pages.url("news.html"), f"http://[::1]:{honeypot.port}/")
    with FakeHN(items) as api:
        out = _sync_articles(api, tmp_path)
    assert "articles: 0 read, 2 not" in out
    assert "refused: 127.0.0.1 is not a public address" in out
    assert "refused: [::1] is not a public address" in out
    assert sum(pages.hits.values()) == 0
    assert honeypot.connections == 0


def test_sync_articles_through_redirects_onward_sends_the_targets_nothing(
    pages, honeypot, tmp_path
):
    away = [pages.url(f"away?to=http://{host}:{honeypot.port}/") for host in ("0.0.0.0", "[::]")]
    with FakeHN(_two_stories(*away)) as api:
        out = _sync_articles(api, tmp_path, env={TEST_LOOPBACK_ENV: pages.origin})
    assert "refused: 0.0.0.0 is not a public address" in out
    assert "refused: [::] is not a public address" in out
    assert pages.hits["away"] == 2
    assert honeypot.connections == 0


async def test_a_failed_redirect_names_its_target(pages, monkeypatch):
    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        monkeypatch.setenv(TEST_LOOPBACK_ENV, f"{pages.origin},127.0.0.1:{port},[::1]:{port}")
        with pytest.raises(Exception) as failed:
            await fetch_page(pages.url(f"away?to=http://localhost:{port}/gone"))
    assert str(failed.value) == f"cannot reach http://localhost:{port}"


# -- one deadline for every attempt ----------------------------------------------------------


def test_dump_of_a_thread_with_a_trickling_item_ends_within_one_deadline(tmp_path):
    """At a 2 s deadline the one reply served a byte at a time fails once, at 2 s, and the
    dump says which (before: four attempts of 2 s each, and the backoff between them)."""
    items = deep_chain(1, 600)
    items[600]["kids"] = [601, 602, 603]
    for kid in (602, 603):
        items[kid] = {**items[601], "id": kid, "text": f"reply {kid}"}
    with FakeHN(items) as api:
        api.fault("trickle", ids=[602], interval=0.2)
        started = time.monotonic()
        args = ["dump", "600", "--api-url", api.url, "--cache-dir", str(tmp_path)]
        done = hnterm(*args, env={"HNTERM_REQUEST_DEADLINE": "2"}, timeout=30)
        elapsed = time.monotonic() - started
    assert elapsed < 2 + 2  # the process's start included
    assert done.returncode == 3, done.stderr  # written, but partial
    assert json.loads(done.stdout)["missing"] == [602]
    assert "item/602.json: no complete answer within 2 s (timeout)" in done.stderr


async def _timed(coroutine, limit: float = 6.0) -> tuple[BaseException | None, float]:
    """What ``coroutine`` raised and how long it took (bounded: the old code waited long)."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(limit):
            await coroutine
    except Exception as exc:
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


async def test_a_search_against_a_trickling_server_costs_one_deadline():
    with Stalling("trickle") as server:
        client = SearchClient(f"{server.url}/api/v1/", deadline=1.0)
        try:
            failed, elapsed = await _timed(client.search(parse_search("IBM")))
        finally:
            await client.aclose()
    assert elapsed < 2.0 and server.hits == 1  # one deadline (1 s), one request
    assert isinstance(failed, HNError) and "no complete answer within 1 s" in str(failed)


def _in_an_hour() -> str:
    return format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)


# Ids named, not taken from the values: a date in the id would differ between xdist workers.
@pytest.mark.parametrize("retry_after_value", ["3600", _in_an_hour()], ids=["seconds", "date"])
async def test_a_huge_retry_after_ends_a_search_at_once(retry_after_value: str):
    with Stalling("429", retry_after=retry_after_value) as server:
        client = SearchClient(f"{server.url}/api/v1/", deadline=30.0)
        try:
            failed, elapsed = await _timed(client.search(parse_search("IBM")))
        finally:
            await client.aclose()
    assert elapsed < 1.5 and server.hits == 1  # at once: no wait, no second request
    assert isinstance(failed, HNError), failed
    assert "HTTP 429: the server is busy; it asked to wait 3" in str(failed)


async def test_a_trickling_web_page_costs_one_deadline():
    with Stalling("trickle") as server:
        async with WebClient(server.url, "alice&k", deadline=1.0) as client:
            failed, elapsed = await _timed(client.whoami())
    assert elapsed < 2.0 and server.hits == 1  # one deadline (1 s), one request
    assert isinstance(failed, HNError) and "no complete answer within 1 s" in str(failed)


def test_retry_after_reads_seconds_and_http_dates():
    now = time.time()
    assert retry_after("3") == 3.0 and retry_after(" 0.5 ") == 0.5
    assert retry_after("-5") == 0.0
    soon = format_datetime(datetime.fromtimestamp(now + 90, UTC), usegmt=True)
    assert retry_after(soon, now=now) == pytest.approx(90, abs=1)
    for nonsense in ("", "nan", "soon", "Mon, 99 Foo 2025"):
        assert retry_after(nonsense) is None
