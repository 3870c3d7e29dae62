"""``NO_COLOR`` (no-color.org): no command prints a colour, even to a terminal. Each runs as a
user types it, stdout and stderr on a pseudo-terminal (where a program that colours would),
against the fake API, and what reached the terminal is read for SGR sequences.

The commands print through ``say``, which drops every escape sequence; what could still colour
is a library's console (Rich, textual-serve's logs, argparse on newer Pythons), so ``serve``
and ``--help`` are here too. A line rewritten in place (``\\r\\033[K``, dump's progress) is
cursor movement, not colour, and is allowed.
"""

from __future__ import annotations

import os
import pty
import re
import select
import socket
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from hnterm.storage.cache import Cache

from tests.data import IBM, fixture_items
from tests.fakehn import FakeHN
from tests.fakehn.users import add_fixture_users

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 30.0  # seconds for one command; each takes well under one
SGR = re.compile(r"\x1b\[[0-9;:]*m")


def on_a_terminal(argv: list[str], env: dict[str, str], until: str | None = None) -> str:
    """What ``hnterm ARGV`` writes to a terminal of 120x40 (stdout and stderr), read to its
    end, or for a server until ``until`` has been written (then it is stopped)."""
    leader, follower = pty.openpty()
    termios.tcsetwinsize(follower, (40, 120))
    process = subprocess.Popen(
        [sys.executable, "-m", "hnterm", *argv],
        stdin=subprocess.DEVNULL, stdout=follower, stderr=follower,
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + LIMIT
    try:
        while until is None or until.encode() not in seen:
            assert time.monotonic() < deadline, f"hnterm {argv} did not finish: {seen!r}"
            ready, _, _ = select.select([leader], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the command closed the terminal (Linux says EIO)
                chunk = b""
            if not chunk:
                break
            seen += chunk
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=LIMIT)
        os.close(leader)
    return seen.decode("utf-8", "replace")


@pytest.fixture
def cached(tmp_path: Path) -> Path:
    cache = Cache(tmp_path / "cache")
    cache.put_items(fixture_items("unlurker-43727727-ibm-rto").values(), IBM)
    cache.close()
    return tmp_path / "cache"


COMMANDS = {
    "dump-markdown": ["dump", str(IBM), "--format", "markdown"],
    "dump-json": ["dump", str(IBM)],
    "search": ["search", "IBM"],
    "user": ["user", "rntn"],
    "cache": ["cache"],
    "config": ["config"],
    "drafts": ["drafts"],
    "help": ["--help"],
    "serve-help": ["serve", "--help"],
    "completion": ["completion", "bash"],
}


@pytest.mark.parametrize("argv", COMMANDS.values(), ids=COMMANDS.keys())
def test_no_command_colours_a_terminal_under_no_color(argv, fake_hn: FakeHN, cached: Path):
    add_fixture_users(fake_hn, "rntn")
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm-256color"}
    env.pop("FORCE_COLOR", None)
    shown = on_a_terminal([*argv, "--api-url", fake_hn.url, "--cache-dir", str(cached)], env)
    assert shown.strip(), "it printed nothing"
    assert "Traceback" not in shown, shown
    assert not SGR.findall(shown), (SGR.findall(shown)[:5], shown[:500])


def test_serve_says_where_it_serves_without_colour(fake_hn: FakeHN, cached: Path):
    """textual-serve prints a magenta logo and Rich-styled logs; ``hnterm serve`` prints one
    plain line (and its warnings plain), colour or not."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm-256color"}
    with socket.socket() as probe:  # a free port (the server opens it after this closes)
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    argv = ["serve", "--port", port, "--api-url", fake_hn.url, "--cache-dir", str(cached)]
    shown = on_a_terminal(argv, env, until="(ctrl+c stops)")
    assert "hnterm: serving the reader on http://127.0.0.1:" in shown, shown
    assert not SGR.findall(shown), shown
