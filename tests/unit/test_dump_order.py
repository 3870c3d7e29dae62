"""``hnterm dump --order`` and ``--filtered`` as a user runs them (a subprocess against the
fake API), and ``hnterm config`` showing the [filters]."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.data import IBM, fixture_items
from tests.fakehn import FakeHN

ROOT = Path(__file__).resolve().parents[2]
FILTERS = '[filters]\nusers = ["rayiner"]\ndomains = ["example.org"]\n'


def hnterm(*args: str, home: Path, config: str = "") -> subprocess.CompletedProcess[str]:
    path = home / "config.toml"
    path.write_text(config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HNTERM_")}
    env["HNTERM_CONFIG"] = str(path)
    return subprocess.run(
        [sys.executable, "-m", "hnterm", *args, "--cache-dir", str(home / "cache")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def tops(data: dict) -> list[int]:
    return [node["id"] for node in data["tree"]["replies"]]


def test_dump_order_newest_puts_the_top_level_comments_newest_first(
    fake_hn: FakeHN, tmp_path: Path
):
    items = fixture_items("unlurker-43727727-ibm-rto")
    rank = [kid for kid in items[IBM].kids if kid in items]
    newest = sorted(rank, key=lambda i: -(items[i].time or 0))
    assert rank != newest  # HN's rank is not by time here
    done = hnterm("dump", str(IBM), "--api-url", fake_hn.url, "--order", "newest", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert tops(json.loads(done.stdout)) == newest
    done = hnterm("dump", str(IBM), "--api-url", fake_hn.url, home=tmp_path)
    assert tops(json.loads(done.stdout)) == rank  # the default is HN's rank
    done = hnterm("dump", str(IBM), "--offline", "--order", "oldest", home=tmp_path)
    assert tops(json.loads(done.stdout)) == newest[::-1]
    done = hnterm("dump", str(IBM), "--order", "random", home=tmp_path)
    assert done.returncode == 2 and "invalid choice: 'random'" in done.stderr


def test_dump_keeps_everything_unless_filtered(fake_hn: FakeHN, tmp_path: Path):
    theirs = {
        i for i, item in fixture_items("unlurker-43727727-ibm-rto").items() if item.by == "rayiner"
    }
    done = hnterm("dump", str(IBM), "--api-url", fake_hn.url, home=tmp_path, config=FILTERS)
    assert done.returncode == 0, done.stderr
    kept = json.loads(done.stdout)["items"]
    assert {int(k) for k, v in kept.items() if v.get("by") == "rayiner"} == theirs
    done = hnterm(
        "dump", str(IBM), "--offline", "--filtered", "-f", "markdown", home=tmp_path, config=FILTERS
    )
    assert done.returncode == 0, done.stderr
    assert "**rayiner**" not in done.stdout  # no byline of theirs
    assert done.stdout.count("filtered: by user rayiner") == len(theirs) == 17
    done = hnterm("dump", str(IBM), "--offline", "--filtered", home=tmp_path, config=FILTERS)
    data = json.loads(done.stdout)
    assert len(data["items"]) == len(kept)  # their replies are kept
    assert all(data["items"][str(i)].get("by") is None for i in theirs)


def test_config_shows_the_filters(tmp_path: Path):
    done = hnterm("config", home=tmp_path, config=FILTERS)
    assert done.returncode == 0, done.stderr
    assert "[filters]" in done.stdout
    assert 'users = ["rayiner"]' in done.stdout and 'domains = ["example.org"]' in done.stdout
    data = json.loads(hnterm("config", "--json", home=tmp_path, config=FILTERS).stdout)
    assert data["filters"] == {"words": [], "domains": ["example.org"], "users": ["rayiner"]}
    bad = hnterm("config", home=tmp_path, config='[filters]\nusers = "rayiner"\n')
    assert "line 2, filters.users: must be a list of non-empty strings" in bad.stderr
