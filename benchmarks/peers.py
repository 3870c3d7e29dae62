"""Peers side by side (``run --peers``): other HN readers on the same fake API and threads.

oshit, haxor-news and pyhn each hard-code the Firebase URL. Each is installed on demand into
a venv of its own under ``benchmarks/.peers/`` (never into the project's), and run headless in
a fresh process by a small generated wrapper that points the peer's module-level base URL at
the fake, refuses every other host (at ``getaddrinfo`` and ``connect``: a peer that tries one
fails, and the row says which host), and calls the peer's own thread-loading code:

* oshit: its client, ``HN.item`` for the story, then ``HN.comments`` for every parent of a
  level at once, level after level (the app loads one level per click, the same way);
* haxor-news: ``hn view ID --comments``, its recursive print of the thread, into a pipe;
* pyhn: ``HackerNewsAPI.get_comments`` with its configured ``comments_limit``, what its
  comments view shows.

A row's time is spawn to exit, as for ``hnterm dump`` (also run here, the same command
``benchmarks/paths.py`` runs); its comments and depth are those the reader fetched, counted by
the wrapper as they arrive, so a peer that stops early or times out still reports how far it
got. One run per reader and thread: the slowest take minutes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.network import THREADS, lower_bound, thread_items
from benchmarks.server import ROOT, fake_server

PEERS_DIR = ROOT / "benchmarks" / ".peers"
PEER_TIMEOUT = 180.0
INSTALL_TIMEOUT = 600.0
THREAD_LABELS = ("Biden", "generated")
HNTERM = "hnterm dump"
STATUS_WIDTH = 100  # the table's cut of a long error; the JSON keeps it whole

# Run first in every wrapper: argv is (fake base URL, root id, folder for what it reports).
# Only the fake's host and port can be reached; each comment the peer gets is appended to
# comments.txt as it arrives; result.json says how long the peer's own call took, or why not.
_PRELUDE = """
import importlib.metadata, json, socket, sys, time
from pathlib import Path
from urllib.parse import urlsplit

URL, ROOT_ID, OUT = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
FAKE = urlsplit(URL)
_getaddrinfo, _connect, _connect_ex = (
    socket.getaddrinfo, socket.socket.connect, socket.socket.connect_ex)
_comments = open(OUT / "comments.txt", "a")

def _refuse(where):
    with open(OUT / "blocked.txt", "a") as blocked:
        blocked.write(where + "\\n")
    raise OSError(f"only the fake API at {FAKE.netloc} may be reached, not {where}")

def _getaddrinfo_fake_only(host, port, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name != FAKE.hostname:
        _refuse(f"{name}:{port}")
    return _getaddrinfo(host, port, *args, **kwargs)

def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        if tuple(address[:2]) != (FAKE.hostname, FAKE.port):
            _refuse(f"{address[0]}:{address[1]}")

def _connect_fake_only(sock, address):
    _check(sock, address)
    return _connect(sock, address)

def _connect_ex_fake_only(sock, address):
    _check(sock, address)
    return _connect_ex(sock, address)

socket.getaddrinfo = _getaddrinfo_fake_only
socket.socket.connect = _connect_fake_only
socket.socket.connect_ex = _connect_ex_fake_only

def got(comment_id):
    if int(comment_id) != ROOT_ID:
        _comments.write(f"{comment_id}\\n")
        _comments.flush()

def finish(started, error, distribution):
    result = {"load_s": time.perf_counter() - started, "error": error,
              "version": importlib.metadata.version(distribution)}
    (OUT / "result.json").write_text(json.dumps(result))
    sys.exit(1 if error else 0)
"""

_OSHIT = """
import asyncio
from oshit.hn.client import HN
from oshit.hn.item import Article

HN._BASE = URL

async def load():
    client = HN()
    level = [await client.item(Article, ROOT_ID)]
    while level:
        replies = await asyncio.gather(*(client.comments(item) for item in level if item.kids))
        level = [comment for group in replies for comment in group]
        for comment in level:
            got(comment.item_id)

started, error = time.perf_counter(), None
try:
    asyncio.run(load())
except Exception as exc:
    error = f"{type(exc).__name__}: {exc}"
finish(started, error, "oshit")
"""

_HAXOR = """
from haxor_news.lib.haxor import settings
settings.supported_api_versions["v0"] = URL
from haxor_news.lib.haxor.haxor import HackerNewsApi
from haxor_news.main_cli import cli

_get_item = HackerNewsApi.get_item

def get_item(self, item_id):
    item = _get_item(self, item_id)
    got(item_id)
    return item

HackerNewsApi.get_item = get_item
sys.argv = ["hn", "view", str(ROOT_ID), "--comments"]
started, error = time.perf_counter(), None
try:
    cli()
except SystemExit as exit:
    error = None if exit.code in (0, None) else f"exit status {exit.code}"
except Exception as exc:
    error = f"{type(exc).__name__}: {exc}"
finish(started, error, "haxor-news")
"""

_PYHN = """
from pyhn import hnapi
from pyhn.config import Config

hnapi.API_BASE = URL.rstrip("/")
_fetch_item = hnapi.HackerNewsAPI._fetch_item

def fetch_item(self, item_id):
    item = _fetch_item(self, item_id)
    if item:
        got(item_id)
    return item

hnapi.HackerNewsAPI._fetch_item = fetch_item
limit = int(Config().parser.get("settings", "comments_limit"))
started, error = time.perf_counter(), None
try:
    hnapi.HackerNewsAPI().get_comments(ROOT_ID, limit)
except Exception as exc:
    error = f"{type(exc).__name__}: {exc}"
finish(started, error, "pyhn")
"""


@dataclass(frozen=True)
class Peer:
    name: str  # the PyPI distribution
    how: str  # what its row runs
    wrapper: str  # the body run after _PRELUDE


PEERS = (
    Peer("oshit", "its client's HN.comments, level by level", _OSHIT),
    Peer("haxor-news", "hn view ID --comments, printed to a pipe", _HAXOR),
    Peer("pyhn", "HackerNewsAPI.get_comments(comments_limit)", _PYHN),
)


@dataclass(frozen=True)
class Thread:
    label: str
    root: int
    levels: dict[int, int]  # each comment the fake serves for it -> its level (top-level = 1)
    comments: int
    depth: int
    bound_s: float  # what no reader can beat at the run's delay (benchmarks.network)


def threads(delay: float) -> list[Thread]:
    """The Biden thread and the generated one, with each comment's level and the bound."""
    out = []
    for label, root, fixture in THREADS:
        if label in THREAD_LABELS:
            found = levels(thread_items(root, fixture), root)
            depth = max(found.values(), default=0)
            bound = lower_bound(len(found), depth, delay)
            out.append(Thread(label, root, found, len(found), depth, bound))
    return out


def levels(items: dict[int, dict], root: int) -> dict[int, int]:
    """Each comment reachable from ``root`` through ``kids`` and its level, breadth first."""
    found: dict[int, int] = {}
    queue = deque([(root, 0)])
    while queue:
        item_id, level = queue.popleft()
        for kid in items[item_id].get("kids") or ():
            if kid in items and kid not in found and kid != root:
                found[kid] = level + 1
                queue.append((kid, level + 1))
    return found


def install(peer: Peer) -> tuple[Path | None, str]:
    """The peer venv's python (installed now if it is not yet), or None and why not."""
    venv = PEERS_DIR / peer.name
    python = venv / "bin" / "python"
    marker = venv / "installed"
    if marker.exists() and python.exists():
        return python, ""
    shutil.rmtree(venv, ignore_errors=True)
    steps = (
        [sys.executable, "-m", "venv", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", peer.name],
    )
    for step in steps:
        try:
            done = subprocess.run(
                step, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            return None, f"{step[2]} took over {INSTALL_TIMEOUT:.0f} s"
        if done.returncode != 0:
            return None, _last_error(done.stderr)
    marker.write_text(peer.name + "\n")
    return python, ""


def _last_error(stderr: str) -> str:
    """pip's ERROR line (its warnings come after it too), else its last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    return (errors or lines or ["no output"])[-1]


def _environment(home: Path) -> dict[str, str]:
    """No proxy (the peer must go straight to the fake), and a home of its own for config."""
    proxies = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
    env = {k: v for k, v in os.environ.items() if k.lower() not in proxies}
    env = {k: v for k, v in env.items() if not k.startswith(("HNTERM_", "PYTHON"))}
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home)
    return env


def run_peer(peer: Peer, python: Path, url: str, thread: Thread, workdir: Path) -> dict[str, Any]:
    """One spawn-to-exit run of the peer on one thread, stopped at PEER_TIMEOUT."""
    out = Path(tempfile.mkdtemp(prefix=f"{peer.name}-{thread.label}-", dir=workdir))
    script = out / "wrapper.py"
    script.write_text(_PRELUDE + peer.wrapper)
    command = [str(python), "-I", str(script), url, str(thread.root), str(out)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=out,
        env=_environment(out),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, stderr = process.communicate(timeout=PEER_TIMEOUT)
        timed_out = False
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        timed_out = True
    wall = time.perf_counter() - started
    got = _ids(out / "comments.txt")
    result = json.loads(path.read_text()) if (path := out / "result.json").exists() else {}
    blocked = sorted(set(_lines(out / "blocked.txt")))
    if timed_out:
        status = f"timed out after {PEER_TIMEOUT:.0f} s with {len(got)} comments"
    elif process.returncode != 0:
        status = "failed: " + (result.get("error") or _last_error(stderr))
    elif len(got) < thread.comments:
        status = f"exited by itself with {len(got)} of {thread.comments} comments"
    else:
        status = "ok"
    if blocked:
        status += "; tried " + ", ".join(blocked) + " (refused)"
    row = _row(peer.name, peer.how, thread, wall, got, status)
    return {**row, "load_s": _rounded(result.get("load_s")), "version": result.get("version")}


def run_hnterm(url: str, thread: Thread, workdir: Path) -> dict[str, Any]:
    """``hnterm dump`` spawn to exit, the command benchmarks/paths.py runs, on one thread."""
    cache = tempfile.mkdtemp(prefix=f"dump-{thread.label}-", dir=workdir)
    command = [sys.executable, "-m", "hnterm", "dump", str(thread.root), "--api-url", url]
    env = {k: v for k, v in os.environ.items() if k != "HNTERM_API_URL"}
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [*command, "--cache-dir", cache],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=PEER_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        wall = time.perf_counter() - started
        return _row(HNTERM, "", thread, wall, set(), f"timed out after {PEER_TIMEOUT:.0f} s")
    wall = time.perf_counter() - started
    if done.returncode != 0:
        return _row(HNTERM, "", thread, wall, set(), "failed: " + _last_error(done.stderr))
    got = _tree_ids(json.loads(done.stdout)["tree"])
    return _row(HNTERM, "", thread, wall, got, "ok")


def _row(
    reader: str, how: str, thread: Thread, wall: float | None, got: set[int], status: str
) -> dict[str, Any]:
    """What a table row shows: time, ratio to the bound, comments and depth reached."""
    reached = [thread.levels[i] for i in got if i in thread.levels]
    ok = status.startswith("ok")
    ratio = round(wall / thread.bound_s, 2) if ok and wall and thread.bound_s else None
    return {
        "reader": reader,
        "how": how,
        "thread": thread.label,
        "root": thread.root,
        "status": status,
        "wall_s": _rounded(wall),
        "comments": len(reached),
        "thread_comments": thread.comments,
        "depth": max(reached, default=0),
        "thread_depth": thread.depth,
        "bound_s": round(thread.bound_s, 3),
        "ratio": ratio,
    }


def _tree_ids(node: dict[str, Any]) -> set[int]:
    """Every id in a dump's reply tree."""
    ids, stack = set(), [node]
    while stack:
        current = stack.pop()
        ids.add(int(current["id"]))
        stack.extend(current.get("replies", []))
    return ids


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def _ids(path: Path) -> set[int]:
    return {int(line) for line in _lines(path)}


def _rounded(value: float | None) -> float | None:
    return round(value, 3) if value is not None else None


def measure(url: str, delay: float, workdir: Path) -> dict[str, Any]:
    """hnterm dump and each peer on the Biden and the generated thread, at ``url`` (the fake
    API, already serving with ``delay`` seconds per request)."""
    cases = threads(delay)
    rows = [run_hnterm(url, thread, workdir) for thread in cases]
    for peer in PEERS:
        python, problem = install(peer)
        for thread in cases:
            if python is None:
                why = "not installable: " + problem
                rows.append(_row(peer.name, peer.how, thread, None, set(), why))
            else:
                rows.append(run_peer(peer, python, url, thread, workdir))
    return {"delay_s": delay, "timeout_s": PEER_TIMEOUT, "rows": rows}


def table(result: dict[str, Any]) -> list[str]:
    """Rows for the summary: each reader's time, ratio to the bound, comments and depth."""
    delay = result.get("delay_s", 0.0) * 1000
    out = [
        f"Peers on the same fake API, {delay:.0f} ms per request, one run each, spawn to exit",
        f"   {'reader':<12} {'thread':<10} {'time s':>7} {'ratio':>6} "
        f"{'comments':>11} {'depth':>5}  status",
    ]
    for row in result.get("rows", []):
        wall = f"{row['wall_s']:.2f}" if row["wall_s"] is not None else "-"
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "-"
        comments = f"{row['comments']}/{row['thread_comments']}"
        depth = f"{row['depth']}/{row['thread_depth']}"
        out.append(
            f"   {row['reader']:<12} {row['thread']:<10} {wall:>7} {ratio:>6} "
            f"{comments:>11} {depth:>5}  {row['status'][:STATUS_WIDTH]}"
        )
    return out


if __name__ == "__main__":
    at = float(sys.argv[1]) if len(sys.argv) > 1 else 0.05
    with tempfile.TemporaryDirectory(prefix="hnterm-peers-") as folder, fake_server(at) as base:
        print("\n".join(table(measure(base, at, Path(folder)))))
