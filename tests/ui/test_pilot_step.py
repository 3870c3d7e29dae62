"""The one private Textual name the tests use, held in place: conftest shortens Pilot's idle
step through ``textual._wait`` (Textual has no public setting for it). Should an upgrade
rename or stop reading it, these fail, instead of the suite quietly running 1.7 times longer."""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path

import textual._wait as pilot_wait
from textual import pilot

from tests.ui.conftest import PILOT_STEP

ROOT = Path(__file__).resolve().parents[2]


def test_textual_is_pinned_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in project["project"]["dependencies"] if re.match(r"textual\b(?!-)", d)]
    assert len(pins) == 1 and re.fullmatch(r"textual==[\d.]+", pins[0]), pins


def test_pilot_waits_in_the_step_conftest_sets():
    assert pilot_wait.SLEEP_GRANULARITY == PILOT_STEP
    assert pilot_wait.SLEEP_IDLE == PILOT_STEP / 20
    source = inspect.getsource(pilot_wait.wait_for_idle)
    assert "sleep(SLEEP_GRANULARITY)" in source and "SLEEP_IDLE" in source
    assert pilot.wait_for_idle is pilot_wait.wait_for_idle  # what press() and pause() call
