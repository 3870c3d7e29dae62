"""Issue 12, hostile input round two: no traceback, no hang, no raw control byte, whatever the
server, the disk or the user sends. Real parts throughout: the fake API over HTTP on
127.0.0.1, real SQLite files, ``hnterm`` run as a process where the exit status, stdout and
stderr are what is tested.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import aclosing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from hnterm.__main__ import main as hnterm_main
from hnterm.model.items import item_to_json, parse_item
from hnterm.model.query import MAX_TERMS, parse_query
from hnterm.model.thread import Thread
from hnterm.net.client import APIError, HNClient
from hnterm.render.export import encode, json_string, thread_to_dict, to_json, to_markdown
from hnterm.render.text import sanitize
from hnterm.services.source import Source, ThreadUpdate
from hnterm.storage.cache import DB_NAME, Cache
from hnterm.storage.worker import CacheWorker

from tests.data import BIDEN, IBM, fixture_items
from tests.fakehn import FakeHN, generate_thread
from tests.hostile import (
    CONTROL_ROOT,
    CONTROL_TEXT,
    DEEP_ROOT,
    FULL_DISK,
    HUGE_ID,
    HUGE_ROOT,
    can_mount_read_only,
    control_text_thread,
    deep_chain,
    hostile_thread,
    huge_id_thread,
    many_word_query,
    read_only_command,
)

ROOT_DIR = Path(__file__).resolve().parents[2]
IBM_ITEMS = fixture_items("unlurker-43727727-ibm-rto")
TOO_BIG = str(2**63)  # 9223372036854775808: one past SQLite's largest INTEGER
# What must never reach a terminal raw: C0 but newline, DEL, C1, bidi, zero-width, surrogates.
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)

needs_namespaces = pytest.mark.skipif(
    not can_mount_read_only(), reason="needs unshare and user namespaces for a read-only mount"
)


def hnterm(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """``python -m app ARGS`` as a user runs it (no HNTERM_ variables unless given)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("HNTERM_")}
    return subprocess.run(
        [sys.executable, "-m", "hnterm", *args],
        cwd=ROOT_DIR,
        env={**base, "PYTHONPATH": str(ROOT_DIR), **(env or {})},
        capture_output="stdout" not in kw,
        stderr=subprocess.PIPE if "stdout" in kw else None,
        text=True,
        timeout=timeout,
        check=False,
        **kw,
    )


KILLED_MID_WAL = """
import os, sys
from pathlib import Path
from hnterm.storage.cache import Cache
from tests.data import IBM, fixture_items
cache = Cache(Path(sys.argv[1]))
cache.db.execute("PRAGMA wal_autocheckpoint=0")
cache.put_items(fixture_items("unlurker-43727727-ibm-rto").values(), IBM)
os._exit(0)
"""


def cached_ibm(folder: Path, *, clean: bool = True) -> Path:
    """A cache in ``folder`` holding the IBM thread (353 items): closed, or as a killed
    process leaves it, with the thread only in the -wal file beside it."""
    if clean:
        cache = Cache(folder)
        cache.put_items(IBM_ITEMS.values(), IBM)
        cache.close()
    else:
        subprocess.run(
            [sys.executable, "-c", KILLED_MID_WAL, str(folder)], cwd=ROOT_DIR, check=True
        )
        assert (folder / f"{DB_NAME}-wal").stat().st_size > 100_000
    return folder


def thread_of(items: dict[int, dict], root: int) -> Thread:
    thread = Thread(root)
    thread.add(item for key, raw in items.items() if (item := parse_item(raw, key)))
    return thread


async def load(server: FakeHN, root: int, cache: Path, **client: Any) -> list[ThreadUpdate]:
    """Every update of a headless thread load (``Source.thread``, as the app and dump do)."""
    worker = CacheWorker(cache)
    source = Source(HNClient(server.url, **client), worker)
    try:
        async with aclosing(source.thread(root)) as updates:
            return [update async for update in updates]
    finally:
        assert source.client is not None
        await source.client.aclose()
        await worker.aclose()


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Python's own json parser recurses once per level; reading a 1,000-deep export back
    (2,000 nested containers) needs more than the default limit of 1,000."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10_000)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def tree_depth(tree: dict[str, Any]) -> int:
    depth, node = 0, tree
    while node["replies"]:
        assert len(node["replies"]) == 1
        node, depth = node["replies"][0], depth + 1
    return depth


# -- 1. ids of 2**63 and more ----------------------------------------------------------------


async def test_a_huge_kid_id_does_not_crash_a_headless_load(tmp_path: Path) -> None:
    """The 2**63+5 kid is dropped as a bad field: never requested, never stored, and the
    ordinary reply loads and is cached (before: OverflowError in the cache write)."""
    with FakeHN(huge_id_thread()) as server:
        updates = await load(server, HUGE_ROOT, tmp_path)
        asked = set(server.request_log)
    loaded = {item.id for update in updates for item in update.items}
    assert loaded == {HUGE_ROOT, HUGE_ROOT + 1}
    assert updates[-1].done and updates[-1].failed == {} and updates[-1].error is None
    assert f"/v0/item/{HUGE_ID}.json" not in asked
    cache = Cache(tmp_path)
    try:
        assert {entry.item.id for entry in cache.thread(HUGE_ROOT)} == loaded
        assert cache.problem is None
    finally:
        cache.close()


def test_dump_of_a_thread_with_a_huge_kid_id(tmp_path: Path) -> None:
    with FakeHN(huge_id_thread()) as server:
        done = hnterm("dump", str(HUGE_ROOT), "--api-url", server.url, "--cache-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    assert set(data["items"]) == {str(HUGE_ROOT), str(HUGE_ROOT + 1)}
    assert data["complete"] is True


@pytest.mark.parametrize(
    "argv",
    [
        [TOO_BIG],
        [f"https://news.ycombinator.com/item?id={TOO_BIG}"],
        [str(2**53)],  # past what the API's JavaScript numbers hold exactly
        ["dump", "--offline", TOO_BIG],
        ["dump", f"item?id={TOO_BIG}"],
    ],
)
def test_out_of_range_ids_on_the_command_line_are_usage_errors(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 and a one-line reason, before any cache or network is touched."""
    try:
        code = hnterm_main([*argv, "--cache-dir", str(tmp_path / "cache")])
    except SystemExit as exc:  # the TUI's own parser exits, as argparse does
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert "out of range" in err and "Traceback" not in err
    assert not (tmp_path / "cache").exists()


def test_out_of_range_id_in_a_real_process_is_one_clean_error(tmp_path: Path) -> None:
    done = hnterm("dump", "--offline", TOO_BIG, "--cache-dir", str(tmp_path))
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"not an HN item id (out of range): '{TOO_BIG}'" in done.stderr
    assert "Traceback" not in done.stderr


# -- 2. a total deadline per request ---------------------------------------------------------


def chain_with_trickle(server: FakeHN, interval: float = 0.05) -> int:
    """A story with 3 replies (the second trickles forever); returns the trickling id."""
    server.items.update(deep_chain(1, 500))
    server.items[500]["kids"] = [501, 502, 503]
    for kid in (502, 503):
        server.items[kid] = {**server.items[501], "id": kid, "text": f"reply {kid}"}
    server.fault("trickle", ids=[502], interval=interval)
    return 502


async def test_a_trickling_answer_fails_at_the_deadline() -> None:
    """One byte every 50 ms never trips the 10 s read timeout; the total deadline (0.5 s)
    ends the request, and each retry has its own deadline."""
    with FakeHN() as server:
        slow = chain_with_trickle(server)
        async with HNClient(server.url, deadline=0.5, retries=0) as client:
            started = time.monotonic()
            with pytest.raises(APIError, match="no complete answer in time"):
                await client.item(slow)
            once = time.monotonic() - started
            assert await client.item(501) is not None  # the client is fine afterwards
        async with HNClient(server.url, deadline=0.5, retries=1, backoff=0.01) as client:
            started = time.monotonic()
            with pytest.raises(APIError):
                await client.item(slow)
            twice = time.monotonic() - started
        assert server.request_log[f"/v0/item/{slow}.json"] == 3
    assert 0.5 <= once < 1.5
    assert 1.0 <= twice < 2.5


async def test_a_trickle_that_ends_in_time_is_an_ordinary_answer() -> None:
    with FakeHN(deep_chain(1, 500)) as server:
        server.fault("trickle", ids=[501], interval=0.002, size=150)
        async with HNClient(server.url, deadline=5.0, retries=0) as client:
            item = await client.item(501)
    assert item is not None and item.text == "reply at depth 1"


async def test_a_thread_load_finishes_without_the_trickling_item(tmp_path: Path) -> None:
    """The load ends (bounded by the deadline) with the trickling reply reported as failed
    and the others loaded and cached; the server's trickle ends when the client gives up."""
    with FakeHN() as server:
        slow = chain_with_trickle(server)
        started = time.monotonic()
        updates = await load(server, 500, tmp_path, deadline=0.5, retries=1, backoff=0.01)
        elapsed = time.monotonic() - started
        for _ in range(50):  # its connection closes a moment after the client's deadline
            if not server.trickling:
                break
            await asyncio.sleep(0.02)
        assert server.trickling == 0
    last = updates[-1]
    assert last.done and set(last.failed) == {slow}
    assert "could not be loaded" in (last.error or "")
    assert {item.id for update in updates for item in update.items} == {500, 501, 503}
    assert elapsed < 3.0


def test_dump_finishes_in_bounded_time_on_a_trickling_server(tmp_path: Path) -> None:
    """HNTERM_REQUEST_DEADLINE=0.3: four attempts of 0.3 s and the backoff between them,
    then a partial dump that says what is missing (before: still waiting after 100 s)."""
    with FakeHN() as server:
        slow = chain_with_trickle(server)
        started = time.monotonic()
        done = hnterm(
            "dump",
            "500",
            "--api-url",
            server.url,
            "--cache-dir",
            str(tmp_path),
            env={"HNTERM_REQUEST_DEADLINE": "0.3"},
            timeout=30,
        )
        elapsed = time.monotonic() - started
    assert done.returncode == 3, done.stderr  # written, but partial (see --partial)
    data = json.loads(done.stdout)
    assert data["complete"] is False and data["missing"] == [slow]
    assert "could not be loaded" in done.stderr and "Traceback" not in done.stderr
    assert elapsed < 10


# -- 3 and 4. exports: no depth limit, no raw control character ------------------------------


def test_json_export_of_a_1000_deep_chain() -> None:
    thread = thread_of(deep_chain(1000), DEEP_ROOT)
    text = to_json(thread)
    with deep_recursion():
        data = json.loads(text)
    assert data["comments"] == 1000 and data["complete"] is True
    assert tree_depth(data["tree"]) == 1000
    markdown = to_markdown(thread, now=1_745_020_800)
    assert "reply at depth 1000" in markdown
    assert markdown.count("- **level") == 1000


def test_dump_json_of_a_1000_deep_chain_over_http(tmp_path: Path) -> None:
    """Fetched level by level from the fake API, cached, and written whole (before: a
    RecursionError past 496 levels, after the thread was fetched)."""
    with FakeHN(deep_chain(1000)) as server:
        done = hnterm("dump", str(DEEP_ROOT), "--api-url", server.url, "--cache-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    with deep_recursion():
        data = json.loads(done.stdout)
    assert tree_depth(data["tree"]) == 1000 and len(data["items"]) == 1001


def test_the_json_writer_keeps_the_format_of_json_dumps() -> None:
    """Ordinary threads come out exactly as ``json.dumps(indent=1)`` wrote them before."""
    for name, root in (
        ("unlurker-43727727-ibm-rto", IBM),
        ("circumflex-25015967-biden-wins-white-house", BIDEN),
    ):
        thread = Thread(root)
        thread.add(fixture_items(name).values())
        data = thread_to_dict(thread)
        assert encode(data) == json.dumps(data, ensure_ascii=False, indent=1)
    odd = {"a": [], "b": {}, "c": [None, True, False, 1.5, -3, "x"], "d": {"e": [[]]}}
    assert encode(odd) == json.dumps(odd, ensure_ascii=False, indent=1)


def test_json_escapes_every_character_sanitize_removes() -> None:
    """The JSON writer and the screen's filter agree: whatever ``sanitize`` would remove is
    written as a \\uXXXX escape (checked for every BMP code point), the rest stays as is."""
    for code in range(0x10000):
        char = chr(code)
        literal = json_string(char)
        assert json.loads(literal) == char
        if sanitize(char) != char:
            assert literal.isascii(), hex(code)
            assert not UNSAFE.search(literal)
        elif char not in '"\\\n':
            assert literal == f'"{char}"', hex(code)


@pytest.mark.parametrize("items", [control_text_thread(), hostile_thread()], ids=["c1", "all"])
def test_exports_hold_no_raw_control_and_json_keeps_the_data(items: dict[int, dict]) -> None:
    root = min(items)
    thread = thread_of(items, root)
    text = to_json(thread)
    assert not UNSAFE.search(text)
    data = json.loads(text)
    for item_id, raw in data["items"].items():  # every character kept, escaped
        assert raw == item_to_json(thread.items[int(item_id)])
    markdown = to_markdown(thread, now=1_745_020_800)
    assert not UNSAFE.search(markdown)


def test_a_lone_surrogate_is_escaped_not_fatal() -> None:
    """JSON allows "\\ud800"; written raw it cannot even be encoded as UTF-8 (a traceback
    on stdout before)."""
    thread = Thread(1)
    thread.add([parse_item({"id": 1, "type": "story", "title": "half \ud800 pair"}, 1)])
    text = to_json(thread)
    text.encode("utf-8")
    assert "\\ud800" in text and json.loads(text)["items"]["1"]["title"] == "half \ud800 pair"


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_dump_writes_no_c1_byte(tmp_path: Path, fmt: str) -> None:
    """U+009B is a one-byte CSI to many terminals: it must not reach stdout raw (before:
    the JSON dump wrote C1 controls and bidi overrides as they came)."""
    with FakeHN(control_text_thread()) as server:
        done = hnterm(
            "dump", str(CONTROL_ROOT), "-f", fmt, "--api-url", server.url,
            "--cache-dir", str(tmp_path),
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not UNSAFE.search(done.stdout)
    if fmt == "json":
        assert json.loads(done.stdout)["items"][str(CONTROL_ROOT + 1)]["text"].startswith(
            "<p>" + CONTROL_TEXT
        )


# -- 5. search: bounded query, bounded time --------------------------------------------------


@pytest.fixture(scope="module")
def big_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache of 3,000 generated comments (built once for the search tests)."""
    folder = tmp_path_factory.mktemp("search")
    raw = generate_thread(900, comments=3000, depth=12)
    cache = Cache(folder)
    cache.put_items((item for key, value in raw.items() if (item := parse_item(value, key))), 900)
    cache.close()
    return folder


def test_a_pasted_page_searches_in_bounded_time(big_cache: Path) -> None:
    """2,500 distinct words plus ``k*`` 3,300 times (before: over 60 s and 357 MB)."""
    query = many_word_query()
    parsed = parse_query(query)
    assert parsed.kept == MAX_TERMS
    cache = Cache(big_cache)
    try:
        started = time.monotonic()
        assert cache.search(query) == []  # no comment has all 32 words
        assert len(cache.search("k* " * 3300)) > 0
        elapsed = time.monotonic() - started
        assert cache.problem is None
    finally:
        cache.close()
    assert elapsed < 3.0


def test_repeats_are_merged_and_drops_counted() -> None:
    parsed = parse_query("k* " * 3300)
    assert parsed.phrases == ('"k"*',)
    assert parsed.kept == 1
    # 9,900 characters: 667 terms read (1 kept, 666 repeats), 2,633 words past the cut.
    assert (parsed.repeated, parsed.dropped) == (666, 2633)
    words = " ".join(f"w{n}" for n in range(40))
    parsed = parse_query(f"{words} w1 w1 -w2 -w2 by:pg by:pg")
    assert len(parsed.phrases) == MAX_TERMS and parsed.authors == ("pg",)
    assert parsed.dropped == 40 - MAX_TERMS + 1  # w32..w39, and -w2 past the cap
    assert parsed.repeated == 4
    assert parse_query("a b a").dropped == 0 and parse_query("a b a").repeated == 1


def test_a_search_past_its_time_limit_ends_with_nothing(big_cache: Path) -> None:
    """SQLite's progress handler stops a search that runs out of time, without a problem."""
    cache = Cache(big_cache)
    try:
        assert cache.search("k*", time_limit=2.0)
        assert cache.search("k*", time_limit=0.0) == []
        assert cache.problem is None
        assert cache.search("k*")  # the connection is fine afterwards
    finally:
        cache.close()


def test_search_command_says_how_many_terms_it_dropped(
    big_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    words = [f"w{n}" for n in range(50)]
    assert hnterm_main(["search", *words, "--cache-dir", str(big_cache)]) == 0
    assert capsys.readouterr().err == "hnterm search: kept the first 32 terms; 18 dropped\n"
    assert hnterm_main(["search", "k*", "k*", "k*", "--cache-dir", str(big_cache)]) == 0
    assert capsys.readouterr().err == ""  # repeats change nothing: nothing to say


# -- 6. a read-only cache folder -------------------------------------------------------------

OPEN_READ_ONLY = """
import json, sys
from pathlib import Path
from hnterm.storage.cache import Cache, CacheError
cache = Cache(Path(sys.argv[1]))
out = {"problem": cache.problem, "read_only": cache.read_only, "path": str(cache.path)}
out["thread"] = len(cache.thread(int(sys.argv[2])))
out["hits"] = len(cache.search("mainframe"))
try:
    cache.put_list("top", [1])
    out["write"] = "done"
except CacheError as exc:
    out["write"] = str(exc)
cache.close()
print(json.dumps(out))
"""


@needs_namespaces
@pytest.mark.parametrize("clean", [True, False], ids=["closed", "mid-wal"])
def test_a_read_only_cache_is_read_and_refuses_writes(tmp_path: Path, clean: bool) -> None:
    """In a read-only folder (a read-only mount: root cannot write it either) the cache is
    opened read-only: the thread and search work, a write raises CacheError with the reason,
    and ``problem`` says writes are off (before: 'cache unavailable', an empty cache)."""
    folder = cached_ibm(tmp_path / "cache", clean=clean)
    done = subprocess.run(
        read_only_command(folder, [sys.executable, "-c", OPEN_READ_ONLY, str(folder), str(IBM)]),
        cwd=ROOT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["read_only"] is True and out["path"] == str(folder / DB_NAME)
    assert out["thread"] == len(IBM_ITEMS) and out["hits"] > 0
    assert out["write"] == "the cache is read-only"
    assert "read-only" in out["problem"] and "\n" not in out["problem"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_folder_by_permissions(tmp_path: Path) -> None:
    folder = cached_ibm(tmp_path / "cache")
    (folder / DB_NAME).chmod(0o444)
    folder.chmod(0o555)
    try:
        cache = Cache(folder)
        try:
            assert cache.read_only and cache.problem and "read-only" in cache.problem
            assert len(cache.thread(IBM)) == len(IBM_ITEMS)
        finally:
            cache.close()
    finally:
        folder.chmod(0o755)


@needs_namespaces
def test_commands_on_a_read_only_folder(tmp_path: Path) -> None:
    """``dump --offline`` prints the cached thread, ``search`` finds, ``cache`` counts, and
    ``cache clear`` is refused; each says once that the cache is read-only."""
    folder = cached_ibm(tmp_path / "cache")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "hnterm", *args, "--cache-dir", str(folder)]
        return subprocess.run(
            read_only_command(folder, argv),
            cwd=ROOT_DIR,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    dump = run("dump", "--offline", str(IBM))
    assert dump.returncode == 0, dump.stderr
    assert len(json.loads(dump.stdout)["items"]) == len(IBM_ITEMS)
    search = run("search", "mainframe")
    assert search.returncode == 0 and search.stdout.strip() and search.stdout != "no matches\n"
    stats = run("cache")
    assert stats.returncode == 0 and f"items    {len(IBM_ITEMS)}" in stats.stdout
    clear = run("cache", "clear")
    assert clear.returncode == 1
    assert "hnterm cache clear: not done: the cache is read-only" in clear.stderr
    for done in (dump, search, stats, clear):
        assert done.stderr.count("is read-only: reading it") == 1, done.stderr
        assert "Traceback" not in done.stderr
    cache = Cache(folder)  # nothing was lost
    try:
        assert len(cache.thread(IBM)) == len(IBM_ITEMS)
    finally:
        cache.close()


# -- 6b. every cache problem said once -------------------------------------------------------


@pytest.mark.parametrize("command", ["search", "cache"])
def test_a_damaged_cache_is_reported_once(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database, just garbage " * 200)
    if command == "search":
        code = hnterm_main(["search", "anything", "--cache-dir", str(tmp_path)])
    else:
        code = hnterm_main(["cache", "--cache-dir", str(tmp_path)])
    assert code == 0
    err = capsys.readouterr().err
    assert err.count("the cache file was damaged") == 1
    assert err.startswith(f"hnterm {command}: the cache file was damaged; it was moved to ")
    assert err.count("\n") == 1
    assert list(tmp_path.glob(f"{DB_NAME}.corrupt-*"))


# -- 7. dump's output ------------------------------------------------------------------------


@pytest.mark.skipif(not FULL_DISK.exists(), reason="no /dev/full")
@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_dump_to_a_full_disk_is_one_line_and_exit_1(tmp_path: Path, fmt: str) -> None:
    """``> /dev/full``: every write fails with ENOSPC (before: a traceback)."""
    cached_ibm(tmp_path)
    with FULL_DISK.open("w") as full:
        done = hnterm(
            "dump", "--offline", str(IBM), "-f", fmt, "--cache-dir", str(tmp_path), stdout=full
        )
    assert done.returncode == 1
    assert done.stderr == "hnterm dump: cannot write to stdout: No space left on device\n"


@pytest.mark.skipif(not FULL_DISK.exists(), reason="no /dev/full")
def test_dump_output_file_on_a_full_disk(tmp_path: Path) -> None:
    """``-o /dev/full``: a device is written in place (never renamed over), and fails."""
    cached_ibm(tmp_path)
    done = hnterm("dump", "--offline", str(IBM), "-o", str(FULL_DISK), "--cache-dir", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr == "hnterm dump: cannot write /dev/full: No space left on device\n"
    assert FULL_DISK.is_char_device()


def test_dump_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """``hnterm dump ... | head -c 100``: the reader leaves early; no traceback, exit 0."""
    cached_ibm(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HNTERM_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hnterm",
            "dump",
            "--offline",
            str(IBM),
            "--cache-dir",
            str(tmp_path),
        ],
        cwd=ROOT_DIR,
        env={**env, "PYTHONPATH": str(ROOT_DIR)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(b"{")
    process.stdout.close()  # the 250 KB dump is far bigger than the pipe's buffer
    err = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert err == b""


def test_dump_output_file_is_replaced_whole(tmp_path: Path) -> None:
    """``-o FILE`` over an old dump: the new one, the old file's mode, no temporary left."""
    cached_ibm(tmp_path / "cache")
    out = tmp_path / "out" / "ibm.json"
    out.parent.mkdir()
    out.write_text("old dump\n")
    out.chmod(0o640)
    done = hnterm(
        "dump", "--offline", str(IBM), "-o", str(out), "--cache-dir", str(tmp_path / "cache")
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["root"] == IBM
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in out.parent.iterdir()] == ["ibm.json"]


def _file_size_limit(limit: int) -> None:
    """In the child: files may not grow past ``limit`` bytes (EFBIG, as on a full disk);
    SIGXFSZ ignored so the write fails instead of killing the process. Applies to root."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_failed_output_write_leaves_the_old_file_whole(tmp_path: Path) -> None:
    """The write dies at 64 KB of the 250 KB dump (a file size limit, which binds root too,
    unlike permissions; the cache only reads, its 32 KB WAL index fits): the old dump is
    untouched, no temporary is left, and one line says why (before: the old file was emptied
    first and left cut off)."""
    cached_ibm(tmp_path / "cache")
    out = tmp_path / "out" / "ibm.json"
    out.parent.mkdir()
    old = '{"root": 1, "the": "previous, good dump"}\n' * 200
    out.write_text(old)
    done = hnterm(
        "dump", "--offline", str(IBM), "-o", str(out), "--cache-dir", str(tmp_path / "cache"),
        preexec_fn=lambda: _file_size_limit(64 * 1024),
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == (
        f"hnterm dump: cannot write {out}: File too large; the old file is unchanged\n"
    )
    assert out.read_text() == old
    assert [p.name for p in out.parent.iterdir()] == ["ibm.json"]


def test_dump_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    cached_ibm(tmp_path / "cache")
    out = tmp_path / "missing" / "ibm.json"
    done = hnterm(
        "dump", "--offline", str(IBM), "-o", str(out), "--cache-dir", str(tmp_path / "cache")
    )
    assert done.returncode == 1
    assert done.stderr == f"hnterm dump: cannot write {out}: No such file or directory\n"
