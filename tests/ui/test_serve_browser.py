"""``hnterm serve`` in a real browser: the server as a user starts it, against the fake API,
and headless Chromium (Debian's ``chromium``) driving the page through Playwright.

The page draws the terminal with xterm.js on a canvas, so its text is not in the DOM. The
test reads xterm.js's own buffer instead: the page's script keeps its ``Terminal`` in a
closure, so the copy of textual-serve's script the browser gets keeps a reference to it on
``window`` too (one assignment added; the test fails, saying so, if the script no longer has
the line it expects). Nothing leaves the machine: every request for another host is answered
by the test.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hnterm.render.text import html_to_plain

from tests.conftest import wait_for
from tests.data import IBM
from tests.fakehn import FakeHN
from tests.ui.logged_in import web  # noqa: F401 (a fixture)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium package (.ci/run installs it)"
)
# The flags that work on this machine (no GPU, no sandbox as root, nothing fetched).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LIMIT = 20.0  # seconds: the server starting, the page connecting, the app drawing
TERMINAL_LINE = re.compile(r"this\.terminal=new ")
SCREEN_TEXT = """() => {
    const terminal = window.hntermTerminal;
    if (!terminal) return "";
    const buffer = terminal.buffer.active, lines = [];
    for (let y = 0; y < terminal.rows; y++) {
        const line = buffer.getLine(buffer.viewportY + y);
        lines.push(line ? line.translateToString(true) : "");
    }
    return lines.join("\\n");
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]


def wait_for_line(process: subprocess.Popen[bytes], text: str, limit: float) -> str:
    """Read the process's stdout until a line has ``text``; fail after ``limit`` seconds."""
    assert process.stdout is not None
    seen = b""
    deadline = time.monotonic() + limit
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        assert left > 0 and process.poll() is None, f"no {text!r} from hnterm serve: {seen!r}"
        ready, _, _ = select.select([process.stdout], [], [], min(left, 0.1))
        if ready:
            seen += os.read(process.stdout.fileno(), 4096)
    return seen.decode()


@pytest.fixture
def served(fake_hn: FakeHN, tmp_path: Path, request) -> Iterator[Served]:
    """``hnterm serve`` on a free loopback port, IBM's thread first in the top list (and
    logged in to the fake web site when the test asks for ``web``)."""
    if "web" in request.fixturenames:  # its environment first: the server passes it on
        request.getfixturevalue("web")
    fake_hn.lists["topstories"] = [IBM, *(i for i in fake_hn.lists["topstories"] if i != IBM)]
    port = free_port()
    options = ["--port", str(port), "--api-url", fake_hn.url, "--cache-dir", str(tmp_path / "c")]
    process = subprocess.Popen(
        [sys.executable, "-m", "hnterm", "serve", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
        start_new_session=True,  # each tab's app is its child: all end with the group
    )
    try:
        said = wait_for_line(process, "serving the reader on", LIMIT)
        assert f"http://127.0.0.1:{port}" in said, said
        wait_for(lambda: accepts(port), "the server to listen", LIMIT)  # it says so first
        yield Served(f"http://127.0.0.1:{port}", process)
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=LIMIT)


@pytest.fixture
def browser_page(served: Served):
    from playwright.sync_api import sync_playwright

    here = urlsplit(served.url).netloc
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})

        def route(request_route) -> None:
            url = request_route.request.url
            if urlsplit(url).netloc != here:
                request_route.fulfill(status=200, content_type="text/html", body="offsite")
            elif url.endswith("/static/js/textual.js"):
                script = request_route.fetch().text()
                kept, found = TERMINAL_LINE.subn("this.terminal=window.hntermTerminal=new ", script)
                assert found == 1, "textual-serve's textual.js no longer creates its Terminal so"
                request_route.fulfill(body=kept, content_type="application/javascript")
            else:
                request_route.continue_()

        context.route("**/*", route)
        page = context.new_page()
        page.goto(served.url)
        try:
            yield page
        finally:
            browser.close()


def screen_of(page) -> str:
    return str(page.evaluate(SCREEN_TEXT))


def wait_screen(page, condition: Callable[[str], bool], what: str) -> str:
    """Poll the terminal's text until ``condition`` holds; fail after ``LIMIT`` seconds."""
    deadline = time.monotonic() + LIMIT
    while not condition(text := screen_of(page)):
        assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{text}"
        page.wait_for_timeout(50)
    return text


def test_the_story_list_renders_and_enter_reads_a_thread_in_the_browser(browser_page, fake_hn):
    page = browser_page
    story = fake_hn.items[IBM]
    first = fake_hn.items[story["kids"][0]]
    wait_screen(page, lambda text: story["title"][:40] in text, "the story list")
    assert first["by"] not in screen_of(page)  # no comment before the thread opens

    page.focus(".xterm-helper-textarea")
    page.keyboard.press("Enter")
    opened = wait_screen(page, lambda text: first["by"] in text, "the first comment's author")
    words = html_to_plain(first["text"]).split()[:3]
    assert " ".join(words) in " ".join(opened.split()), opened  # its text, as wrapped


def test_links_open_in_a_new_tab_and_text_comes_as_a_download(browser_page, fake_hn):
    """``O`` opens the story's URL through the page (``open_url``), and ``Y`` hands the
    comment's text over as a download (``deliver_text``): no clipboard, no terminal."""
    page = browser_page
    story = fake_hn.items[IBM]
    first = fake_hn.items[story["kids"][0]]
    wait_screen(page, lambda text: story["title"][:40] in text, "the story list")
    page.focus(".xterm-helper-textarea")
    page.keyboard.press("Enter")
    # the whole thread in, so its status line (what was fetched) does not replace the next
    wait_screen(page, lambda text: first["by"] in text and "fetched" in text, "the thread")

    with page.expect_popup(timeout=LIMIT * 1000) as popup:
        page.keyboard.press("O")
    assert popup.value.url == story["url"]
    wait_screen(page, lambda text: "Opened in a new browser tab" in text, "the status line")

    page.bring_to_front()
    page.focus(".xterm-helper-textarea")
    page.keyboard.press("j")
    # the cursor's place in the status line first, so it does not replace the download's
    wait_screen(page, lambda text: "Comment 1 of" in text, "the cursor on the first comment")
    with page.expect_download(timeout=LIMIT * 1000) as downloading:
        page.keyboard.press("Y")
    download = downloading.value
    assert download.suggested_filename == f"hn-{first['id']}.txt"
    saved = Path(download.path()).read_text(encoding="utf-8")
    assert saved == html_to_plain(first["text"])
    wait_screen(page, lambda text: f"as hn-{first['id']}.txt" in text, "the status line")


def handshake(url: str, origin: str) -> int:
    """The status a WebSocket handshake to the app's socket gets with ``origin``."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=LIMIT)
    try:
        connection.request(
            "GET",
            "/ws?width=80&height=24",
            headers={
                "Origin": origin,
                "Connection": "Upgrade",
                "Upgrade": "websocket",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()


def test_only_pages_it_served_drive_the_app(served: Served):
    """Any site open in the browser can open a WebSocket to 127.0.0.1: one from another
    origin (or none) is refused before an app starts, the page's own is taken."""
    assert handshake(served.url, "https://evil.example") == 403
    assert handshake(served.url, "null") == 403
    assert handshake(served.url, served.url) == 101
    port = urlsplit(served.url).port
    assert handshake(served.url, f"http://localhost:{port}") == 101  # the same page


@pytest.mark.usefixtures("web")  # logged in: the dialog needs an HN session
def test_the_reply_editor_is_the_text_area_and_ctrl_e_says_why(browser_page, fake_hn):
    """``$EDITOR`` would start on the server with no terminal to draw on (Textual cannot
    suspend a browser tab: the app would end): the dialog offers no ``ctrl+e``, and
    ``ctrl+e`` says why and keeps what was typed."""
    page = browser_page
    first = fake_hn.items[fake_hn.items[IBM]["kids"][0]]
    wait_screen(page, lambda text: fake_hn.items[IBM]["title"][:40] in text, "the story list")
    page.focus(".xterm-helper-textarea")
    page.keyboard.press("Enter")
    wait_screen(page, lambda text: first["by"] in text and "fetched" in text, "the thread")
    page.keyboard.press("j")
    page.keyboard.press("e")
    dialog = wait_screen(page, lambda text: "send · esc close" in text, "the reply dialog")
    assert "$EDITOR" not in dialog
    page.keyboard.type("typed in the page")
    page.keyboard.press("Control+e")
    told = wait_screen(page, lambda text: "no terminal for $EDITOR" in text, "why not")
    assert "typed in the page" in told
