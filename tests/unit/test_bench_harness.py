"""The benchmark harness's own logic (no timing): the oracle fetch order, the table's targets
for idle and busy runs, and a missing peers module."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hnterm.net.loader import priority

from benchmarks import run, schedule
from benchmarks.network import GENERATED_ROOT
from tests.fakehn import generate_thread


def test_the_oracle_ranks_the_tallest_subtree_first_then_the_biggest() -> None:
    # 1 -> 2 -> 3 -> 4 (a chain), 1 -> 5 -> 6, 7, 8 (wide), 1 -> 9 -> 10 (short)
    kids = {1: [2, 5, 9], 2: [3], 3: [4], 5: [6, 7, 8], 9: [10]}
    rank = schedule.critical_path(kids, 1)
    assert rank(2, 1, 3) > rank(5, 1, 3) > rank(9, 1, 3)  # heights 2, 1, 1: ties by size
    assert rank(4, 3, 1) < rank(3, 2, 1)


def test_the_best_schedule_of_the_generated_thread_is_the_oracle_and_beats_hnterm() -> None:
    kids = schedule.kids_of(generate_thread(GENERATED_ROOT))
    best = schedule.best_schedule(kids, GENERATED_ROOT, 1.0)
    hnterm = schedule.simulate(kids, GENERATED_ROOT, schedule.by_position(priority), 1.0)
    assert best["order"] == schedule.ORACLE
    assert best["seconds"] < hnterm


def _results(busy: bool) -> dict[str, Any]:
    stats = {
        "frame": {"median_ms": 11.0, "p99_ms": 30.0},
        "work": {"median_ms": 5.0, "p99_ms": 9.0},
    }
    return {
        "machine": {"nproc": 2, "cpu": "cpu", "python": "3.11"},
        "quick": True,
        "busy": busy,
        "benchmarks": {"navigation": {"j": stats}, "loading_keys": {"j": stats}},
    }


def _row(text: str, start: str) -> list[str]:
    """The summary row that starts so, as its columns: benchmark, result, target, met."""
    line = next(line for line in text.splitlines() if line.startswith(start))
    return re.split(r"\s{2,}", line.strip())


def test_keys_are_held_to_the_idle_targets_when_idle_and_to_33_ms_when_busy() -> None:
    idle, busy = run.table(_results(False), 0.05), run.table(_results(True), 0.05)
    assert " idle " in idle.splitlines()[0] and "busy" in busy.splitlines()[0]
    assert _row(idle, "6 key j ")[2:] == ["median < 12, p99 < 25", "NO"]  # p99 30 >= 25
    assert _row(busy, "6 key j ")[2:] == ["p99 < 33", "yes"]
    assert _row(idle, "6 key j while")[2:] == ["p99 < 33", "yes"]  # loading: 33 ms either way


def test_a_missing_peers_module_is_a_row_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "benchmarks.peers", None)  # import fails: not there
    options = argparse.Namespace(delay=0.05, quick=True)
    found = run.Runner(options, "http://127.0.0.1:9/v0/", tmp_path).peers()
    results = {**_results(False), "benchmarks": {run.PEERS: found}}
    assert "not there" in _row(run.table(results, 0.05), "peers")[1]
