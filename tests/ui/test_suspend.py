"""``ctrl+z`` suspends hnterm to the shell and ``fg`` brings it back where it was: the real
thing, in tmux, with an interactive bash doing the job control, against the fake API."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import wait_for
from tests.data import IBM
from tests.fakehn import FakeHN
from tests.ui.logged_in import web  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
LIMIT = 15.0  # seconds: the app starting and drawing, the shell answering
PASSED_ON = ("HNTERM_WEB_URL", "PYTHON_KEYRING_BACKEND", "EDITOR")  # when a test sets them
PROMPT = "suspend-test$"  # PS1 (capture-pane drops the blank after it)


class Tmux:
    """One tmux server of its own (``-L``), one window of 120x40 running bash."""

    def __init__(self, home: Path) -> None:
        self.socket = f"hnterm-{uuid.uuid4().hex[:12]}"
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(home),
            "TERM": "xterm-256color",
            "PS1": PROMPT + " ",
            "HNTERM_CONFIG_DIR": os.environ["HNTERM_CONFIG_DIR"],  # the test's own
        }
        for name in PASSED_ON:
            if name in os.environ:
                env[name] = os.environ[name]
        # the shell's environment given on its command line: tmux's server keeps its own
        shell = shlex.join(["env", *(f"{k}={v}" for k, v in env.items()), "bash", "--norc", "-i"])
        self.run("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", shell, env=env)

    def run(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True, text=True, check=True, timeout=LIMIT, env=env,
        )  # fmt: skip
        return done.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p")

    def send(self, *keys: str) -> None:
        self.run("send-keys", *keys)

    def shell_pid(self) -> int:
        return int(self.run("display-message", "-p", "#{pane_pid}").strip())

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def tmux(tmp_path: Path, request) -> Iterator[Tmux]:
    if "web" in request.fixturenames:  # its environment first: the shell inherits it
        request.getfixturevalue("web")
    window = Tmux(tmp_path)
    try:
        wait_for(lambda: PROMPT in window.screen(), "the shell's prompt", LIMIT)
        yield window
    finally:
        window.close()


def children_of(pid: int) -> dict[int, str]:
    """The processes whose parent is ``pid``, with their state (R, S, T ...)."""
    listed = subprocess.run(
        ["ps", "-o", "pid=,stat=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    return {int(pid): stat for pid, stat in (line.split() for line in listed.splitlines())}


def thread_pane(tmux: Tmux) -> list[str]:
    """The thread's pane as drawn (right of the story list's border, between the header
    and the status line): where the reader is."""
    lines = tmux.screen().splitlines()[1:-2]
    start = lines[0].index("╮╭") + 1 if lines and "╮╭" in lines[0] else 0
    return [line[start:] for line in lines]


def settled(tmux: Tmux) -> list[str]:
    """The thread's pane once two looks in a row see the same."""
    seen = [thread_pane(tmux)]

    def same_again() -> bool:
        seen.append(thread_pane(tmux))
        return seen[-1] == seen[-2]

    wait_for(same_again, "the screen to settle", LIMIT)
    return seen[-1]


def test_ctrl_z_stops_hnterm_and_fg_brings_the_same_thread_back(
    tmux: Tmux, fake_hn: FakeHN, tmp_path: Path
):
    first = fake_hn.items[IBM]["kids"][0]
    author = fake_hn.items[first]["by"]
    command = [sys.executable, "-m", "hnterm", "--api-url", fake_hn.url]
    command += ["--cache-dir", str(tmp_path / "cache"), str(IBM)]
    tmux.send(shlex.join(command), "Enter")
    wait_for(lambda: author in tmux.screen(), "the thread drawn", LIMIT)
    tmux.send("j")  # the cursor to the first comment: the place to come back to
    wait_for(lambda: "fetched" in tmux.screen(), "the thread loaded", LIMIT)
    before = settled(tmux)
    assert any(author in line and "▌" in line for line in before)  # the cursor's bar there

    tmux.send("C-z")
    wait_for(lambda: tmux.screen().rstrip().endswith(PROMPT), "the prompt", LIMIT)
    assert "Stopped" in tmux.screen()
    (app,) = children_of(tmux.shell_pid())
    assert children_of(tmux.shell_pid())[app].startswith("T")  # stopped, not gone

    tmux.send("fg", "Enter")
    wait_for(lambda: thread_pane(tmux) == before, "the same thread, same place", LIMIT)

    def all_drawn() -> bool:  # the header and the footer too (they stayed blank once)
        header, *_, footer = tmux.screen().splitlines()
        return "hnterm — Hacker News" in header and "Quit" in footer

    wait_for(all_drawn, "the header and footer drawn again", LIMIT)
    assert children_of(tmux.shell_pid())[app][0] in "RS"
    tmux.send("q")
    wait_for(lambda: not children_of(tmux.shell_pid()), "hnterm to quit", LIMIT)


@pytest.mark.usefixtures("web")  # logged in: the dialog needs an HN session
def test_ctrl_e_in_the_reply_dialog_edits_the_draft_in_editor(
    tmux: Tmux, fake_hn: FakeHN, tmp_path: Path
):
    """The terminal is handed to ``$EDITOR`` with the draft, and what it saved comes back
    into the dialog (the TextArea binds ctrl+e too: the dialog's key must come first)."""
    seen = tmp_path / "seen.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(
        f'#!/bin/sh\ncp "$1" {shlex.quote(str(seen))}\nprintf "from the editor" > "$1"\n'
    )
    editor.chmod(0o755)
    first = fake_hn.items[IBM]["kids"][0]
    command = ["env", f"EDITOR={editor}", sys.executable, "-m", "hnterm", "--api-url", fake_hn.url]
    command += ["--cache-dir", str(tmp_path / "cache"), str(IBM)]
    tmux.send(shlex.join(command), "Enter")
    wait_for(lambda: fake_hn.items[first]["by"] in tmux.screen(), "the thread drawn", LIMIT)
    tmux.send("j")
    tmux.send("e")
    wait_for(lambda: "^e $EDITOR" in tmux.screen(), "the reply dialog", LIMIT)
    tmux.send("-l", "my draft")
    wait_for(lambda: "my draft" in tmux.screen(), "the typed draft", LIMIT)
    tmux.send("C-e")
    wait_for(lambda: "from the editor" in tmux.screen(), "the editor's text back", LIMIT)
    assert seen.read_text(encoding="utf-8") == "my draft"
    assert "my draft" not in tmux.screen()
