"""Ids of 2**63 and more (past SQLite's INTEGER) from the server or the command line:
dropped as bad fields or refused as usage errors, never a traceback (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hnterm.__main__ import main as hnterm_main
from hnterm.storage.cache import Cache

from tests.fakehn import FakeHN
from tests.headless import hnterm, load
from tests.hostile import (
    HUGE_ID,
    HUGE_ROOT,
    huge_id_thread,
)

TOO_BIG = str(2**63)  # 9223372036854775808: one past SQLite's largest INTEGER


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
