"""Any terminal's colours: the high-contrast theme reads at WCAG's 7:1, the terminal's own
palette (Textual's ``ansi-dark``/``ansi-light``) draws in nothing but that palette, and under
``NO_COLOR`` the app draws in greys only. The last two are read from what hnterm writes to a
real pseudo-terminal, as a user starts it, against the fake API.

(Every theme's titles against their backgrounds: tests/ui/test_theme_contrast.py, which
covers these themes too.)
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

from hnterm.ui.widgets.comment_view import CommentView

from tests.data import IBM
from tests.fakehn import FakeHN
from tests.ui.conftest import wait_loaded

SIZE = (120, 40)
LIMIT = 20.0  # seconds for the app to start and draw the thread
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
TEXT_PARTS = ["title", "author", "op", "meta", "url", "link", "code", "hidden", "new",
              "reply-link", "marker", "cursor-bar", "quote", "gone"]  # fmt: skip
LINE_PARTS = ["guide", "rule"]  # the thread's lines: WCAG's 3:1 for what is not text


def luminance(color) -> float:
    """WCAG's relative luminance of a Rich colour."""

    def linear(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(one, other) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


async def test_high_contrast_reads_at_seven_to_one_and_the_terminal_palettes_are_offered(
    make_app,
):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert {"high-contrast", "ansi-dark", "ansi-light"} <= set(app.available_themes)
        app.theme = "high-contrast"
        await pilot.pause()
        view = app.screen.query_one(CommentView)
        pane = view.rich_style.bgcolor
        cursor = (view.style_of("cursor") + view.rich_style).bgcolor
        for background in (pane, cursor):
            for part in TEXT_PARTS:
                style = view.style_of(part) + view.rich_style  # the pane's colour if none
                assert not style.dim, part  # dim is half-way to the background
                assert contrast(style.color, background) >= 7, (part, style, background)
            for part in LINE_PARTS:
                color = view.style_of(part).color
                assert contrast(color, background) >= 3, (part, color, background)


def drawn(argv: list[str], env: dict[str, str], until: list[str]) -> str:
    """What ``hnterm ARGV`` writes to a terminal of 120x40 until every one of ``until`` is
    on the screen; then it is quit (``q``)."""
    leader, follower = pty.openpty()
    termios.tcsetwinsize(follower, (SIZE[1], SIZE[0]))
    process = subprocess.Popen(
        [sys.executable, "-m", "hnterm", *argv],
        stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(follower)
    seen = bytearray()
    deadline = time.monotonic() + LIMIT
    try:
        while not all(text in SGR.sub("", seen.decode("utf-8", "replace")) for text in until):
            assert time.monotonic() < deadline, f"not drawn: {until}"
            read_some(leader, seen)
        os.write(leader, b"q")
        while read_some(leader, seen):  # to its end: a full terminal would block its exit
            assert time.monotonic() < deadline + LIMIT, "hnterm did not quit"
        process.wait(timeout=LIMIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
    return seen.decode("utf-8", "replace")


def read_some(leader: int, seen: bytearray) -> bool:
    """Read what the terminal has into ``seen`` (waiting up to 0.1 s); False once the app
    has closed it."""
    ready, _, _ = select.select([leader], [], [], 0.1)
    if not ready:
        return True
    try:
        chunk = os.read(leader, 65536)
    except OSError:  # closed (Linux says EIO)
        return False
    seen.extend(chunk)
    return bool(chunk)


def colours(output: str) -> set[str]:
    """Every colour the SGR sequences in ``output`` set: ``rgb:R,G,B``, ``256:N`` or
    ``ansi:N`` (a palette colour, 30-37, 40-47, 90-97, 100-107); the defaults (39, 49) and
    the other attributes are no colour."""
    found = set()
    for params in SGR.findall(output):
        codes = [int(code) if code else 0 for code in re.split("[;:]", params)]
        index = 0
        while index < len(codes):
            code = codes[index]
            if code in (38, 48) and codes[index + 1 : index + 2] == [2]:
                found.add("rgb:" + ",".join(map(str, codes[index + 2 : index + 5])))
                index += 5
            elif code in (38, 48) and codes[index + 1 : index + 2] == [5]:
                found.add(f"256:{codes[index + 2]}")
                index += 3
            else:
                if 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                    found.add(f"ansi:{code}")
                index += 1
    return found


def is_grey(colour: str) -> bool:
    kind, _, value = colour.partition(":")
    return kind == "rgb" and len(set(value.split(","))) == 1


def app_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", **extra}
    env.pop("NO_COLOR", None)
    env.update(extra)
    env["HOME"] = str(tmp_path)
    return env


def reader(fake_hn: FakeHN, tmp_path: Path) -> list[str]:
    return ["--api-url", fake_hn.url, "--cache-dir", str(tmp_path / "cache"), str(IBM)]


def test_no_color_draws_the_app_in_greys_only(fake_hn: FakeHN, tmp_path: Path):
    """Textual honours ``NO_COLOR`` itself (a monochrome filter over every line drawn): no
    hue reaches the terminal, only shades of grey, and the thread is still drawn."""
    author = fake_hn.items[fake_hn.items[IBM]["kids"][0]]["by"]
    title = fake_hn.items[IBM]["title"][:30]
    coloured = colours(drawn(reader(fake_hn, tmp_path), app_env(tmp_path), [title, author]))
    assert any(not is_grey(colour) for colour in coloured)  # the same app, in colour

    plain = drawn(reader(fake_hn, tmp_path), app_env(tmp_path, NO_COLOR="1"), [title, author])
    greys = colours(plain)
    assert len(greys) > 2, greys  # shades still tell the cursor and the panes apart
    assert all(is_grey(colour) for colour in greys), sorted(greys)


def test_the_terminal_palette_themes_draw_in_the_terminals_own_colours(
    fake_hn: FakeHN, tmp_path: Path
):
    """``ansi-dark`` and ``ansi-light``: every colour is one of the terminal's sixteen or
    its default, so the terminal's own palette (light, dark, its own high contrast) is what
    the reader sees; the thread and the cursor's bar are still drawn."""
    author = fake_hn.items[fake_hn.items[IBM]["kids"][0]]["by"]
    for theme in ("ansi-dark", "ansi-light"):
        env = app_env(tmp_path, HNTERM_THEME=theme)
        output = drawn(reader(fake_hn, tmp_path), env, [author, "▌"])
        found = colours(output)
        assert found and all(colour.startswith("ansi:") for colour in found), (theme, found)
