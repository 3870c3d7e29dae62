"""hnterm as people install it: ``pip wheel .`` gives a wheel that, installed into a fresh
virtualenv with its dependencies from the index (what ``pipx install`` and ``uv tool install``
do), runs from anywhere: no checkout on ``sys.path``, the styles found inside the package,
``hnterm --version``, ``hnterm dump`` against the fake API and the app itself in a terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import termios
import time
import tomllib
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.data import IBM, fixture_items
from tests.fakehn import FakeHN
from tests.packaging.conftest import INSTALL_LIMIT, ROOT, Installed, outside_env

pytestmark = [pytest.mark.wheel, pytest.mark.timeout(INSTALL_LIMIT + 60)]

# What a terminal acts on rather than shows: CSI, OSC, DCS/PM/APC strings, two-byte escapes.
ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[P^_][^\x1b]*\x1b\\|.)")
SCREEN_LIMIT = 20.0  # seconds for the app to draw the story list (it takes ~1 s)

EVERY_MODULE = """
import importlib, json, pkgutil, sys
import hnterm
failed = {}
for module in pkgutil.walk_packages(hnterm.__path__, "hnterm."):
    try:
        importlib.import_module(module.name)
    except Exception as exc:
        failed[module.name] = repr(exc)
from hnterm.ui.app import styles_dir
print(json.dumps({"file": hnterm.__file__, "styles": str(styles_dir()), "path": sys.path,
                  "failed": failed}))
"""


def run(installed: Installed, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The installed ``hnterm`` run from ``home``, far from the checkout."""
    return subprocess.run(
        [str(installed.hnterm), *args],
        cwd=home,
        env=outside_env(home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_wheel_carries_every_module_the_styles_and_no_checkout_folder(installed: Installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    modules = {
        f"hnterm/{p.relative_to(ROOT / 'app' / 'hnterm')}" for p in ROOT.glob("app/hnterm/**/*.py")
    }
    styles = {f"hnterm/styles/{p.name}" for p in ROOT.glob("styles/*.tcss")}
    assert "hnterm/styles/app.tcss" in styles
    assert modules | styles <= names, sorted((modules | styles) - names)
    assert not [name for name in names if name.startswith(("app/", "tests/", "styles/"))]
    assert not [name for name in names if "__pycache__" in name]


def test_installed_package_imports_every_module_away_from_the_checkout(
    installed: Installed, tmp_path: Path
):
    done = subprocess.run(
        [str(installed.python), "-I", "-c", EVERY_MODULE],
        cwd=tmp_path,
        env=outside_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["failed"] == {}
    assert Path(found["file"]).is_relative_to(installed.venv)
    assert Path(found["styles"]).is_relative_to(installed.venv)
    assert (Path(found["styles"]) / "app.tcss").is_file()
    assert not [entry for entry in found["path"] if entry and Path(entry).is_relative_to(ROOT)]


def test_installed_hnterm_says_its_version_dumps_a_thread_and_completes(
    installed: Installed, fake_hn: FakeHN, tmp_path: Path
):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    version = run(installed, "--version", home=tmp_path)
    assert (version.returncode, version.stdout.strip()) == (0, f"hnterm {project['version']}")

    dump = run(
        installed, "dump", str(IBM), "--api-url", fake_hn.url, "--cache-dir", "cache", home=tmp_path
    )
    assert dump.returncode == 0, dump.stderr
    data = json.loads(dump.stdout)
    assert data["complete"] is True
    assert data["comments"] == len(fixture_items("unlurker-43727727-ibm-rto")) - 1

    completion = run(installed, "completion", "bash", home=tmp_path)
    assert completion.returncode == 0, completion.stderr
    assert "complete " in completion.stdout and " hnterm" in completion.stdout


def top_story_title(server: FakeHN) -> str:
    with urllib.request.urlopen(f"{server.url}topstories.json", timeout=10) as answer:
        top = json.load(answer)[0]
    with urllib.request.urlopen(f"{server.url}item/{top}.json", timeout=10) as answer:
        return str(json.load(answer)["title"])


def shown(seen: bytes) -> str:
    """What the terminal shows of ``seen``, the escape sequences dropped."""
    return ESCAPE.sub("", seen.decode("utf-8", "replace"))


def read_until(master: int, seen: bytearray, done: Callable[[str], bool], limit: float) -> bool:
    """Read the terminal into ``seen`` until ``done(what it shows)`` holds (True), it is
    closed or ``limit`` seconds have passed."""
    deadline = time.monotonic() + limit
    while not done(shown(seen)):
        if time.monotonic() > deadline:
            return False
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the app closed its terminal (Linux says EIO)
                chunk = b""
            if not chunk:
                return done(shown(seen))
            seen.extend(chunk)
    return True


def test_installed_app_draws_the_story_list_in_a_terminal_and_quits(
    installed: Installed, fake_hn: FakeHN, tmp_path: Path
):
    """The console script in a pseudo-terminal of 120x40, as a user starts it."""
    title = top_story_title(fake_hn)
    master, slave = pty.openpty()
    termios.tcsetwinsize(slave, (40, 120))
    app = subprocess.Popen(
        [str(installed.hnterm), "--api-url", fake_hn.url, "--cache-dir", "cache"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=tmp_path,
        env={**outside_env(tmp_path), "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)
    seen = bytearray()
    try:
        drawn = read_until(master, seen, lambda text: title[:24] in text, SCREEN_LIMIT)
        assert drawn, f"no {title!r} on the screen:\n{shown(seen)}"
        os.write(master, b"q")
        read_until(master, seen, lambda text: app.poll() is not None, SCREEN_LIMIT)
        assert app.wait(timeout=SCREEN_LIMIT) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        os.close(master)
