"""Regenerate screenshots/ from the real app on real fixture threads.

Runs hnterm headless against the fake API (tests/fakehn), the fake HN web site
(tests/fakeweb) and the fake article pages (tests/fakepages), all on 127.0.0.1, with a pinned
clock and a config folder of its own (no login, keyring or config of yours shows), drives it
like a reader would, saves Textual's SVG screenshots and draws each as a PNG in headless
Chromium. Chromium, not rsvg-convert: rsvg drops the spaces at the edges of the SVG's text
spans ("jmward017 hours ago"), Chromium draws them as the terminal does.

Needs Debian's ``chromium``, ``fonts-firacode`` (Fira Code, the font Textual's SVG names; its
web copy is not fetched) and ``fonts-symbola`` (glyphs Fira Code lacks, such as the header's
⭘): ``apt-get install -y chromium fonts-firacode fonts-symbola``.

    .venv/bin/python -m scripts.screenshots [NAME...]   (names: only those shots)
"""

from __future__ import annotations

import asyncio
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from hnterm.config import Config
from hnterm.model import format as hn_format
from hnterm.model.filters import Filters
from hnterm.net.transport import TEST_LOOPBACK_ENV
from hnterm.storage.session import CONFIG_ENV, SessionStore
from hnterm.ui.app import HNApp
from textual.widgets import TextArea

from tests.data import BIDEN, IBM, fixture_items
from tests.fakehn import FakeHN
from tests.fakehn.users import add_fixture_users
from tests.fakepages import FakePages
from tests.fakeweb import FakeWeb

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (150, 46)
DEEPEST = 43732616  # the IBM thread's comment 17 levels down
SPEED_DEEPEST = 26320500  # 11 levels down in the Speed thread, far below its parent's row
ASK_NO_COMMENTS = 26298314
FIXED_NOW = 1_745_020_800  # 2025-04-19, just after the newest fixture item
IBM_FIXTURE = "unlurker-43727727-ibm-rto"
COOKIE = "alice&s3cr3tc00k1e"  # alice's session on the fake web site

# Fonts by the PostScript names the SVG's @font-face asks for (local(...)), with their package.
FONTS = {"FiraCode-Regular": "fonts-firacode", "FiraCode-Bold": "fonts-firacode"}
FALLBACK_GLYPH = ("2b58", "fonts-symbola")  # ⭘, Textual's header icon: not in Fira Code
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--default-background-color=00000000",  # the corners outside the window stay clear
    # No network: without these Chromium keeps trying to reach its services.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# The SVG inline in a page of exactly its size. Ligatures off: a terminal draws one glyph per
# cell, and Fira Code's ligatures ("www", "://") would pull the glyphs of a span off the grid
# that the SVG's textLength holds each span to. Block elements (Textual's tall borders, bars,
# scrollbar ends) drawn as rectangles filling their part of the cell, as terminals draw them:
# as glyphs they are a little shorter than a row and leave a seam between rows.
PAGE = Template("""<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
html, body { margin: 0; padding: 0; overflow: hidden; background: transparent; }
svg { display: block; width: ${width}px; height: ${height}px; }
svg text { font-variant-ligatures: none; font-feature-settings: "liga" 0, "calt" 0; }
</style></head><body>
$svg
<script>
// [x, y, width, height] of the cell that block element `cp` fills, or null.
function block(cp) {
  if (cp === 0x2580) return [0, 0, 1, 1 / 2];
  if (cp >= 0x2581 && cp <= 0x2588) return [0, 1 - (cp - 0x2580) / 8, 1, (cp - 0x2580) / 8];
  if (cp >= 0x2589 && cp <= 0x258f) return [0, 0, (0x2590 - cp) / 8, 1];
  if (cp === 0x2590) return [1 / 2, 0, 1 / 2, 1];
  if (cp === 0x2594) return [0, 0, 1, 1 / 8];
  if (cp === 0x2595) return [7 / 8, 0, 1 / 8, 1];
  return null;
}
for (const text of Array.from(document.querySelectorAll("svg text[textLength]"))) {
  const chars = Array.from(text.textContent);
  const parts = chars.map((c) => block(c.codePointAt(0)));
  if (!parts.some(Boolean) || chars.some((c, i) => !parts[i] && c !== "\\u00a0")) continue;
  // The row: the rectangle of the line's clip path (not clipped: a clip's soft edge is a seam).
  const clip = text.getAttribute("clip-path").slice(5, -1);
  const line = document.getElementById(clip).querySelector("rect");
  const top = Number(line.getAttribute("y"));
  const rowHeight = Number(line.getAttribute("height"));
  const cellWidth = Number(text.getAttribute("textLength")) / chars.length;
  const left = Number(text.getAttribute("x"));
  parts.forEach((part, i) => {
    if (!part) return;
    const rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    const [x, y, w, h] = part;
    rect.setAttribute("class", text.getAttribute("class"));  // its fill
    rect.setAttribute("shape-rendering", "crispEdges");
    rect.setAttribute("x", left + (i + x) * cellWidth);
    rect.setAttribute("y", top + y * rowHeight);
    rect.setAttribute("width", w * cellWidth);
    rect.setAttribute("height", h * rowHeight);
    text.before(rect);
  });
  text.remove();
}
</script>
</body></html>
""")


@dataclass(frozen=True)
class Shot:
    name: str
    item: int | None  # to open, or None for the story list
    keys: Sequence[str] = ()  # pressed after loading
    size: tuple[int, int] = SIZE
    theme: str | None = None
    undo: Sequence[str] = ()  # pressed after the shot: settings the app remembers, set back
    typed: str = ""  # written into the text box the keys opened
    logged_in: bool = False  # as alice, on the fake web site
    page: str | None = None  # the IBM story's link, a test page (read with a cache of its own)
    filters: Filters = field(default_factory=Filters)  # the config's [filters]


SHOTS = [
    Shot("story-list", None),
    Shot("thread", IBM, ("j", "J", "l", "l")),
    Shot("collapsed", BIDEN, ("z", "j", "j", "j")),
    # The context view of the deepest comment (opened by its id: it lands in context first).
    Shot("context", DEEPEST, ("a",)),
    Shot("search", IBM, ("slash", *"policy", "enter")),
    Shot("help", None, ("question_mark",)),
    # 80x24: the story list hidden (w) for a 17-level-deep comment, and an Ask HN with no
    # replies; and a light theme.
    Shot("narrow-deep", DEEPEST, ("w",), (80, 24), undo=("w",)),
    Shot("narrow-ask", ASK_NO_COMMENTS, (), (80, 24)),
    Shot("light-theme", IBM, ("j", "l"), theme="textual-light"),
    # Themes from the palette or the config file (issue 16): dark, light, dark.
    Shot("theme-nord", IBM, ("j", "J", "l"), theme="nord"),
    Shot("theme-solarized-light", IBM, ("j", "J", "l"), theme="solarized-light"),
    Shot("theme-gruvbox", BIDEN, ("z", "j", "j"), theme="gruvbox"),
    # Reply chains, last so the threads they open leave no read marks in the shots above:
    # inline replies lines, a deep link far below its parent's row, a focused subthread
    # under its ancestors (folded to a line each; the cursor on the parent's).
    Shot("inline-replies", IBM, ("j", "J", "i"), undo=("i",)),
    Shot("deep-link", SPEED_DEEPEST, (), (120, 40)),
    Shot("focus-chain", DEEPEST, ("u", "f", "k")),
    # Beyond one thread: a profile (made-up fields, real submissions) and an article served
    # from the test pages.
    Shot("profile", IBM, ("j", "p")),
    Shot("article", IBM, ("A",), page="blog.html"),
    # [filters] and the order (issue 25): two users' comments folded, the thread newest
    # first (t is remembered: three more come back to HN's rank).
    Shot(
        "filters",
        IBM,
        ("t", "j", "j"),
        undo=("t", "t", "t"),
        filters=Filters(users=("Hobadee", "zombiwoof")),
    ),
    # Logged in: a reply being written to the second comment (its draft in a cache of its own).
    Shot(
        "reply",
        IBM,
        ("j", "j", "e"),
        (120, 36),
        typed="Same here: the office days were never about the work.\n\nWhat changed for you?",
        logged_in=True,
    ),
]


def missing_packages() -> list[str]:
    """The Debian packages the PNGs need and this machine lacks: chromium, and the fonts by
    the names the SVG asks for (without them Chromium silently draws another font, or boxes)."""
    missing = [] if shutil.which("chromium") else ["chromium"]
    if not shutil.which("fc-list"):  # to ask for the fonts
        return [*missing, "fontconfig"]
    for postscript, package in FONTS.items():
        if not fc_list(f":postscriptname={postscript}") and package not in missing:
            missing.append(package)
    codepoint, package = FALLBACK_GLYPH
    if not fc_list(f":charset={codepoint}"):
        missing.append(package)
    return missing


def fc_list(pattern: str) -> str:
    return subprocess.run(
        ["fc-list", pattern, "family"], capture_output=True, text=True, check=True
    ).stdout.strip()


def render_png(svg: Path, scratch: Path) -> Path:
    """Draw ``svg`` to a PNG beside it, at the SVG's own size, in headless Chromium with a
    fresh profile (nothing of an earlier run or of yours is read)."""
    text = svg.read_text(encoding="utf-8")
    view = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', text)
    if view is None:
        raise SystemExit(f"{svg}: no viewBox; not Textual's SVG?")
    width, height = float(view[1]), float(view[2])
    page = scratch / f"{svg.stem}.html"
    page.write_text(PAGE.substitute(width=width, height=height, svg=text), encoding="utf-8")
    png = svg.with_suffix(".png")
    png.unlink(missing_ok=True)
    profile = tempfile.mkdtemp(dir=scratch)
    done = subprocess.run(
        [
            "chromium",
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={math.ceil(width)},{math.ceil(height)}",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0 or not png.exists():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"chromium could not draw {svg.name} (exit {done.returncode}): {last}")
    return png


async def shoot(server: FakeHN, web: FakeWeb, cache: Path, shot: Shot) -> Path:
    # The theme as the config file gives it: it wins over the one an earlier shot left in
    # the shared cache (a theme chosen in the app is remembered).
    theme = shot.theme or "textual-dark"
    config = Config(
        api_url=server.url,
        cache_dir=cache,
        item=shot.item,
        theme=theme,
        web_url=web.url,
        filters=shot.filters,
    )
    app = HNApp(config)
    async with app.run_test(size=shot.size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in shot.keys:
            await pilot.press(key)
        await pilot.pause(0.2)
        if shot.typed:
            box = app.focused
            if not isinstance(box, TextArea):
                raise SystemExit(f"{shot.name}: {shot.keys} opened no text box to type in")
            box.insert(shot.typed)
            await pilot.pause(0.2)
        app.save_screenshot(f"{shot.name}.svg", str(OUT))
        for key in shot.undo:  # w and i are remembered: leave them as the next shot expects
            await pilot.press(key)
            await pilot.pause(0.2)
    return OUT / f"{shot.name}.svg"


def serve_ibm_thread(web: FakeWeb) -> None:
    """The IBM thread on the fake web site, on one page, and alice's session there."""
    items = fixture_items(IBM_FIXTURE)
    comments = [
        (i.id, i.parent, i.by or "?")
        for i in sorted(items.values(), key=lambda i: i.id)
        if i.id != IBM and i.parent is not None
    ]
    web.add_thread(IBM, comments)
    web.state.page_size = len(comments)
    web.state.sessions[COOKIE] = "alice"


async def main() -> None:
    if missing := missing_packages():
        names = " ".join(missing)
        raise SystemExit(f"scripts.screenshots needs {names}: apt-get install -y {names}")
    hn_format.clock = lambda: FIXED_NOW
    OUT.mkdir(exist_ok=True)
    with (
        FakeHN.from_fixtures() as server,
        FakeWeb() as web,
        FakePages() as pages,
        tempfile.TemporaryDirectory() as scratch,
    ):
        work = Path(scratch)
        # No keyring and no config folder of yours; the article fetcher may reach the pages.
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        os.environ[TEST_LOOPBACK_ENV] = pages.origin
        others = [i for i in server.lists["topstories"] if i not in (BIDEN, IBM)]
        server.lists["topstories"] = [BIDEN, IBM, *others]
        first = server.items[server.items[IBM]["kids"][0]]["by"]
        add_fixture_users(server, first)
        serve_ibm_thread(web)
        article = server.items[IBM]["url"]
        shared = work / "cache"
        only = set(sys.argv[1:])  # names given: only those shots
        for shot in SHOTS:
            if only and shot.name not in only:
                continue
            server.items[IBM]["url"] = pages.url(shot.page) if shot.page else article
            # A shot that reads the story afresh (the shared cache has the real URL) or
            # writes a draft gets a cache of its own.
            own = shot.page is not None or shot.logged_in
            cache = Path(tempfile.mkdtemp(dir=work)) if own else shared
            config_dir = Path(tempfile.mkdtemp(dir=work))
            if shot.logged_in:
                SessionStore(config_dir).save(COOKIE)
            os.environ[CONFIG_ENV] = str(config_dir)
            svg = await shoot(server, web, cache, shot)
            print(render_png(svg, work))


if __name__ == "__main__":
    asyncio.run(main())
