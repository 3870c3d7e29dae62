"""The fake HN server itself: routes, faults, keep-alive, concurrency, shutdown, generator."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.fakehn import FakeHN, derive_lists, fixture_names, generate_thread, thread_stats

IBM = 43727727
BIDEN = 25015967
JOB = 43729850
ROOT = Path(__file__).resolve().parents[2]


def fixture_items(name: str) -> dict[int, dict]:
    raw = json.loads((ROOT / "tests" / "fixtures" / f"{name}.json").read_text())
    return {int(key): item for key, item in raw["items"].items()}


@pytest.fixture
def http(fake_hn: FakeHN):
    with httpx.Client(base_url=fake_hn.url, timeout=2.0) as client:
        yield client


# ---- routes ----------------------------------------------------------------------------------


def test_item_is_served_as_in_the_fixture(http: httpx.Client) -> None:
    expected = fixture_items("unlurker-43727727-ibm-rto")
    response = http.get(f"item/{IBM}.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.json() == expected[IBM]
    kid = expected[IBM]["kids"][0]
    assert http.get(f"item/{kid}.json").json() == expected[kid]


def test_every_fixture_loads() -> None:
    names = fixture_names()
    assert len(names) == 10 and "unlurker-43727727-ibm-rto" in names
    server = FakeHN.from_fixtures()
    assert BIDEN in server.items and 8863 in server.items and JOB in server.items


def test_unknown_id_is_200_null(http: httpx.Client) -> None:
    response = http.get("item/1999999999.json")
    assert response.status_code == 200
    assert response.content == b"null"


def test_default_lists_come_from_the_loaded_roots(http: httpx.Client) -> None:
    top = http.get("topstories.json").json()
    assert top[0] == BIDEN  # highest score
    assert IBM in top and 2921983 not in top  # comments are not roots
    assert http.get("beststories.json").json() == top
    new = http.get("newstories.json").json()
    assert new == sorted(new, reverse=True)
    assert 43728870 in http.get("askstories.json").json()
    assert http.get("showstories.json").json() == [43729683]
    assert http.get("jobstories.json").json() == [JOB, 192327]
    assert http.get("maxitem.json?print=pretty").json() == max(fixture_items_all())
    assert http.get("user/pg.json").json() is None


def fixture_items_all() -> dict[int, dict]:
    items: dict[int, dict] = {}
    for name in fixture_names():
        items.update(fixture_items(name))
    return items


def test_lists_and_items_can_be_changed_while_running(fake_hn: FakeHN, http: httpx.Client) -> None:
    fake_hn.lists["topstories"] = [IBM, BIDEN]
    assert http.get("topstories.json").json() == [IBM, BIDEN]
    new_id = 43799999
    fake_hn.items[new_id] = {
        "by": "me",
        "id": new_id,
        "parent": IBM,
        "text": "hi",
        "time": 1,
        "type": "comment",
    }
    fake_hn.items[IBM]["kids"].append(new_id)
    assert http.get(f"item/{IBM}.json").json()["kids"][-1] == new_id
    assert http.get(f"item/{new_id}.json").json()["text"] == "hi"


def test_derived_lists_rank_live_roots_only() -> None:
    items = {
        1: {"id": 1, "type": "story", "score": 9, "title": "Ask HN: why?"},
        2: {"id": 2, "type": "story", "score": 1, "title": "Show HN: a thing"},
        3: {"id": 3, "type": "comment", "parent": 1},
        4: {"id": 4, "type": "story", "score": 50, "dead": True},
        5: {"id": 5, "deleted": True, "type": "story"},
        6: {"id": 6, "type": "job", "score": 1},
    }
    lists = derive_lists(items)
    assert lists["topstories"] == [1, 6, 2]
    assert lists["newstories"] == [6, 2, 1]
    assert (lists["askstories"], lists["showstories"], lists["jobstories"]) == ([1], [2], [6])


def test_unknown_path_is_404_and_post_is_405(http: httpx.Client) -> None:
    for path in ("nope.json", "item/abc.json", "topstories", "/v1/topstories.json"):
        response = http.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"error": "Not found"}
    assert http.post("item/1.json", content=b"x").status_code == 405


def test_requests_are_counted_per_path(fake_hn: FakeHN, http: httpx.Client) -> None:
    for _ in range(3):
        http.get(f"item/{IBM}.json?print=pretty")
    assert fake_hn.requests == 3
    assert fake_hn.request_log[f"/v0/item/{IBM}.json"] == 3


# ---- faults ----------------------------------------------------------------------------------


def test_fault_500_and_404(fake_hn: FakeHN, http: httpx.Client) -> None:
    fake_hn.fault("500", ids=[IBM])
    fake_hn.fault("404", paths=["topstories"])
    assert http.get(f"item/{IBM}.json").status_code == 500
    assert http.get(f"item/{IBM}.json").status_code == 500  # no `times`: persists
    assert http.get(f"item/{BIDEN}.json").status_code == 200  # other ids are fine
    assert http.get("topstories.json").status_code == 404
    assert http.get("newstories.json").status_code == 200
    fake_hn.clear_faults()
    assert http.get(f"item/{IBM}.json").status_code == 200


def test_fault_429_sends_retry_after(fake_hn: FakeHN, http: httpx.Client) -> None:
    fake_hn.fault("429", retry_after=0.3, times=1)
    response = http.get(f"item/{IBM}.json")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "0.3"
    fake_hn.fault("429")
    assert http.get("topstories.json").headers["retry-after"] == "1"


def test_fault_used_up_after_times(fake_hn: FakeHN, http: httpx.Client) -> None:
    fake_hn.fault("500", ids=[IBM], times=2)
    assert [http.get(f"item/{IBM}.json").status_code for _ in range(3)] == [500, 500, 200]
    assert fake_hn.faults == ()


def test_faults_apply_in_registration_order(fake_hn: FakeHN, http: httpx.Client) -> None:
    fake_hn.fault("404", ids=[IBM], times=1)
    fake_hn.fault("500", ids=[IBM], times=1)
    assert [http.get(f"item/{IBM}.json").status_code for _ in range(3)] == [404, 500, 200]


def test_fault_malformed_null_and_wrongtype(fake_hn: FakeHN, http: httpx.Client) -> None:
    fake_hn.fault("malformed", ids=[IBM], times=1)
    response = http.get(f"item/{IBM}.json")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)

    fake_hn.fault("null", ids=[IBM], times=1)
    assert http.get(f"item/{IBM}.json").content == b"null"

    fake_hn.fault("wrongtype", ids=[IBM], times=1)
    item = http.get(f"item/{IBM}.json").json()
    assert item["id"] == str(IBM)
    assert isinstance(item["kids"], str) and item["title"]
    assert http.get(f"item/{IBM}.json").json()["id"] == IBM


def test_fault_cut_closes_mid_body(fake_hn: FakeHN, http: httpx.Client) -> None:
    fake_hn.fault("cut", ids=[IBM], times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(f"item/{IBM}.json")
    assert http.get(f"item/{IBM}.json").json()["id"] == IBM


def test_fault_timeout_never_answers_but_others_are_served(fake_hn: FakeHN) -> None:
    fake_hn.fault("timeout", ids=[IBM])
    with httpx.Client(base_url=fake_hn.url, timeout=0.2) as client:
        started = time.perf_counter()
        with pytest.raises(httpx.ReadTimeout):
            client.get(f"item/{IBM}.json")
        assert time.perf_counter() - started < 1.0
        assert client.get(f"item/{BIDEN}.json").json()["id"] == BIDEN


def test_fault_oversize_streams_the_full_length(fake_hn: FakeHN, http: httpx.Client) -> None:
    fake_hn.fault("oversize", ids=[IBM], size=3_000_000, times=1)
    response = http.get(f"item/{IBM}.json")
    assert int(response.headers["content-length"]) == 3_000_000
    assert len(response.content) == 3_000_000
    assert response.json() == "x" * (3_000_000 - 2)


def test_fault_oversize_client_can_hang_up(fake_hn: FakeHN, http: httpx.Client) -> None:
    fake_hn.fault("oversize", ids=[IBM], times=1)  # 20 MB default
    with http.stream("GET", f"item/{IBM}.json") as response:
        assert int(response.headers["content-length"]) == 20_000_000
        next(response.iter_bytes())
    assert http.get(f"item/{IBM}.json").json()["id"] == IBM


def test_fault_delay(fake_hn: FakeHN, http: httpx.Client) -> None:
    fake_hn.fault("delay", paths=["/v0/topstories.json"], seconds=0.2, times=1)
    started = time.perf_counter()
    assert http.get("topstories.json").status_code == 200
    assert time.perf_counter() - started >= 0.2
    with pytest.raises(ValueError):
        fake_hn.fault("explode")


# ---- connections -----------------------------------------------------------------------------


def test_keep_alive_reuses_one_connection(fake_hn: FakeHN, http: httpx.Client) -> None:
    for _ in range(20):
        assert http.get(f"item/{IBM}.json").status_code == 200
    assert fake_hn.connections_accepted == 1


def test_connection_close_is_honoured(fake_hn: FakeHN) -> None:
    with httpx.Client(base_url=fake_hn.url, headers={"Connection": "close"}) as client:
        for _ in range(3):
            response = client.get(f"item/{IBM}.json")
            assert response.headers["connection"] == "close"
    assert fake_hn.connections_accepted == 3


async def test_64_concurrent_requests_are_served_concurrently(fake_hn: FakeHN) -> None:
    fake_hn.delay = 0.05
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=fake_hn.url, limits=limits, timeout=5) as client:
        started = time.perf_counter()
        responses = await asyncio.gather(*(client.get(f"item/{IBM}.json") for _ in range(64)))
        elapsed = time.perf_counter() - started
    assert all(response.status_code == 200 for response in responses)
    assert elapsed < 2.0  # one at a time would take 3.2 s
    assert fake_hn.max_in_flight >= 32  # not all 64 at once when the machine is busy


def test_stop_refuses_new_and_drops_open_connections(fake_hn: FakeHN) -> None:
    client = httpx.Client(base_url=fake_hn.url, timeout=1.0)
    assert client.get("maxitem.json").status_code == 200
    raw = socket.create_connection(("127.0.0.1", fake_hn.port))
    raw.settimeout(2.0)
    fake_hn.stop()
    fake_hn.stop()  # idempotent; the fixture stops again too
    try:
        assert raw.recv(100) == b""
    except ConnectionResetError:
        pass
    finally:
        raw.close()
    with pytest.raises(httpx.ConnectError):
        client.get("maxitem.json")
    client.close()


def test_can_start_again_on_the_same_port(fake_hn: FakeHN) -> None:
    url = fake_hn.url
    fake_hn.stop()
    fake_hn.start()
    assert fake_hn.url == url
    assert httpx.get(url + f"item/{IBM}.json").json()["id"] == IBM


async def test_serves_inside_the_running_loop() -> None:
    async with (
        FakeHN.from_fixtures("unlurker-43729850-job-dot-yc-s21") as server,
        httpx.AsyncClient(base_url=server.url) as client,
    ):
        assert (await client.get("jobstories.json")).json() == [JOB]
        assert (await client.get("maxitem.json")).json() == JOB


def test_cli_prints_its_url_and_serves_the_generated_thread() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakehn",
            "--generated",
            "--comments",
            "200",
            "--fixtures",
            "unlurker-43727727-ibm-rto",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v0/")
        with httpx.Client(base_url=url) as client:
            top = client.get("topstories.json").json()
            assert top == [90_000_000, IBM]
            story = client.get("item/90000000.json").json()
            assert story["title"] == "Generated: 200 comments, 25 levels"
    finally:
        process.terminate()
        assert process.wait(timeout=5) == 0


# ---- generator -------------------------------------------------------------------------------


def test_generated_thread_has_exact_counts_and_depth() -> None:
    items = generate_thread()
    root = items[90_000_000]
    assert root["title"] == "Generated: 3000 comments, 25 levels"
    assert root["descendants"] == 3000 and root["type"] == "story" and root["url"]
    assert thread_stats(items, 90_000_000) == (3000, 25)
    assert len(items) == 3001
    assert len(root["kids"]) > 100  # wide at the top
    for item_id, item in items.items():
        assert item["id"] == item_id
        for kid in item.get("kids", ()):
            assert items[kid]["parent"] == item_id
            assert kid > item_id  # replies come later, so their ids are higher
    comments = [item for item in items.values() if item["type"] == "comment"]
    deleted = [item for item in comments if item.get("deleted")]
    assert deleted and all("by" not in item and "text" not in item for item in deleted)
    assert any(item.get("dead") for item in comments)
    texts = " ".join(item.get("text", "") for item in comments)
    for marker in ("<p>", "<i>", "<a href=", "&gt; ", "<pre><code>", "&#x27;"):
        assert marker in texts
    assert not any(item.get("text", "").startswith("<p>") for item in comments)


@pytest.mark.parametrize(("comments", "depth"), [(25, 25), (10, 3), (1, 1), (500, 40), (0, 0)])
def test_generator_hits_requested_sizes(comments: int, depth: int) -> None:
    for seed in (1, 2):
        items = generate_thread(123, comments=comments, depth=depth, seed=seed)
        assert thread_stats(items, 123) == (comments, depth)


def test_generator_is_deterministic_and_validates() -> None:
    assert generate_thread(comments=300, depth=12) == generate_thread(comments=300, depth=12)
    assert generate_thread(comments=300, seed=1) != generate_thread(comments=300, seed=2)
    with pytest.raises(ValueError):
        generate_thread(comments=5, depth=6)
