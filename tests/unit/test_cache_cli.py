"""``hnterm search`` and ``hnterm cache`` run as real processes on a populated cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hnterm.__main__ import main as hnterm_main
from hnterm.cli.cache import human_size, parse_size
from hnterm.cli.common import parse_duration
from hnterm.cli.search import join_query
from hnterm.model.format import short_age
from hnterm.storage.cache import DB_NAME, Cache

from tests.data import BIDEN, IBM, fixture_items

ROOT_DIR = Path(__file__).resolve().parents[2]
IBM_ITEMS = fixture_items("unlurker-43727727-ibm-rto")
BIDEN_ITEMS = fixture_items("circumflex-25015967-biden-wins-white-house")


def hnterm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hnterm", *args],
        cwd=ROOT_DIR,
        env={**os.environ, "PYTHONPATH": str(ROOT_DIR)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def populated(tmp_path) -> Path:
    cache = Cache(tmp_path)
    cache.put_items(IBM_ITEMS.values(), IBM, fetched=1_000_000.0)
    cache.put_items(BIDEN_ITEMS.values(), BIDEN)  # fetched now
    cache.put_list("top", [IBM, BIDEN])
    cache.save_thread(IBM)
    cache.mark_story_read(BIDEN, 2170, [])
    cache.close()
    return tmp_path


def test_search_prints_a_header_then_two_lines_per_hit(populated):
    result = hnterm("search", "mainframe", "--cache-dir", str(populated), "--limit", "3")
    assert result.returncode == 0, result.stderr
    header, *lines = result.stdout.splitlines()
    assert header.split()[:3] == ["ITEM", "AGE", "AUTHOR"]
    assert 2 <= len(lines) <= 6 and len(lines) % 2 == 0
    for first, second in zip(lines[::2], lines[1::2], strict=True):
        item_id, age, author, *title = first.split()
        assert int(item_id) in IBM_ITEMS
        assert author == IBM_ITEMS[int(item_id)].by
        assert " ".join(title) == IBM_ITEMS[IBM].title  # the story the hit belongs to
        assert age[-1] in "mhdoyw" or age == "now"
        assert "mainframe" in second.lower()


def test_search_json_and_filters(populated):
    author = IBM_ITEMS[IBM_ITEMS[IBM].kids[0]].by
    result = hnterm("search", f"by:{author}", "--json", "--cache-dir", str(populated))
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits and {hit["by"] for hit in hits} == {author}
    assert {"item_id", "root", "by", "time", "title", "snippet", "rank"} <= hits[0].keys()


def test_search_with_no_hits_says_so_and_succeeds(populated):
    result = hnterm("search", "xyzzyplugh", "--cache-dir", str(populated))
    assert (result.returncode, result.stdout.strip()) == (0, "no matches")
    hostile = hnterm("search", "'; DROP TABLE items; --", "--cache-dir", str(populated))
    assert hostile.returncode == 0 and hostile.stdout.strip() == "no matches"


def test_search_without_a_cache_creates_none(tmp_path):
    result = hnterm("search", "anything", "--cache-dir", str(tmp_path / "none"))
    assert (result.returncode, result.stdout.strip()) == (0, "no matches")
    assert not (tmp_path / "none").exists()


def test_search_usage_error_exits_2(tmp_path):
    result = hnterm("search", "--cache-dir", str(tmp_path))
    assert result.returncode == 2 and "QUERY" in result.stderr


@pytest.mark.parametrize(
    "args", [[], ["--limit", "0", "x"], ["--limit", "many", "x"], ["--bogus", "x"], ['"']]
)
def test_search_usage_errors(tmp_path, capsys, args):
    """The same main() the process runs, in-process to keep this file quick."""
    assert hnterm_main(["search", *args, "--cache-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err


def test_cache_stats(populated):
    result = hnterm("cache", "--cache-dir", str(populated))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    total = len(IBM_ITEMS) + len(BIDEN_ITEMS)
    assert str(populated / DB_NAME) in out
    assert f"items    {total:,} (2 stories, {total - 2} comments)" in out
    assert "0 loaded whole, 1 saved, 1 read" in out
    assert " KB" in out or " MB" in out
    data = json.loads(hnterm("cache", "--json", "--cache-dir", str(populated)).stdout)
    assert data["items"] == total and data["saved_threads"] == 1
    assert data["file_bytes"] == (populated / DB_NAME).stat().st_size + (
        (populated / (DB_NAME + "-wal")).stat().st_size
        if (populated / (DB_NAME + "-wal")).exists()
        else 0
    )


def test_cache_prune_and_clear(populated):
    # IBM was fetched long ago but is saved, so an age prune keeps it; Biden is recent.
    pruned = hnterm("cache", "prune", "--older-than", "30d", "--cache-dir", str(populated))
    assert pruned.returncode == 0, pruned.stderr
    assert pruned.stdout.startswith("removed 0 items")
    cache = Cache(populated)
    cache.unsave_thread(IBM)
    cache.close()
    pruned = hnterm("cache", "--cache-dir", str(populated), "prune", "--older-than", "30d")
    assert pruned.stdout.startswith(f"removed {len(IBM_ITEMS)} items"), pruned.stdout

    cache = Cache(populated)
    cache.save_thread(BIDEN)
    cache.close()
    cleared = hnterm("cache", "clear", "--cache-dir", str(populated))
    assert cleared.returncode == 0 and "removed 0 items, kept 1 saved thread" in cleared.stdout
    everything = hnterm("cache", "clear", "--all", "--yes", "--cache-dir", str(populated))
    assert everything.stdout.startswith(f"removed {len(BIDEN_ITEMS):,} items")
    cache = Cache(populated)
    assert cache.stats().items == 0 and cache.saved_threads() == []
    cache.close()


def test_cache_prune_to_a_size_and_check(populated):
    result = hnterm("cache", "prune", "--max-size", "1KB", "--cache-dir", str(populated))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"removed {len(BIDEN_ITEMS):,} items")  # IBM is saved
    check = hnterm("cache", "check", "--cache-dir", str(populated))
    assert (check.returncode, check.stdout.strip()) == (0, "ok")


def test_cache_usage_errors_exit_2(populated, capsys, monkeypatch):
    assert hnterm("cache", "nuke", "--cache-dir", str(populated)).returncode == 2
    for args in (["prune", "--older-than", "soon"], ["prune", "--max-size", "big"]):
        assert hnterm_main(["cache", *args, "--cache-dir", str(populated)]) == 2
    monkeypatch.setenv("HNTERM_CACHE_MAX_MB", "0")
    assert hnterm_main(["cache", "prune", "--cache-dir", str(populated)]) == 2
    assert "--older-than" in capsys.readouterr().err


def test_cache_commands_on_a_missing_cache(tmp_path):
    result = hnterm("cache", "--cache-dir", str(tmp_path / "none"))
    assert result.returncode == 0 and "no cache" in result.stdout


# -- the parsing and formatting helpers, in-process ------------------------------------------
@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30d", 30 * 86400), ("12h", 43200), ("90m", 5400), ("2w", 14 * 86400), ("7", 7 * 86400)],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "size"),
    [("200MB", 200 * 2**20), ("1.5G", int(1.5 * 2**30)), ("500k", 500 * 1024), ("64", 64 << 20)],
)
def test_parse_size(text, size):
    assert parse_size(text) == size
    assert parse_size("4096B") == 4096 and parse_size("200MiB") == 200 * 2**20


def test_formatting_helpers():
    assert human_size(812) == "812 B" and human_size(5 * 2**20) == "5.0 MB"
    assert short_age(100, 100 + 3 * 86400) == "3d" and short_age(None, 0) == "?"
    assert join_query(["return to office", "by:pg"]) == "return to office by:pg"
    assert join_query(['"a b"', "c"]) == '"a b" c'
