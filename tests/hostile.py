"""A thread written by an attacker: every kind of hostile text in one place; and the other
hostile inputs of issue 12 (round two), each a function the tests and ``python -m
tests.hostile`` share:

- ``huge_id_thread``: a ``kids`` entry, a ``parent`` and poll parts of 2**63 and more;
- the fake server's ``trickle`` fault: headers, then one body byte every ``interval`` s;
- ``deep_chain``: a story and a reply chain 1,000 levels deep;
- ``control_text_thread``: C1 controls (U+009B is a one-byte CSI), DEL and bidi in every field;
- ``many_word_query``: a pasted page of 2,500 words plus ``k*`` 3,300 times;
- ``read_only_command``: run a command with a folder mounted read-only (root included);
- ``FULL_DISK``: ``/dev/full``, where every write fails with ENOSPC;
- ``Stalling`` (issue 21): a server for any client (search, web forms, pages) that trickles a
  byte at a time, or answers 429 with a huge ``Retry-After``;
- ``Honeypot`` (issue 21): a listener on every local address that counts connections, where a
  test checks that a redirect to a local address sent nothing.

Used by the hostile-input tests and for trying the app by hand in tmux:
``python -m tests.fakehn`` does not serve it, but ``python -m tests.hostile`` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import socket
import subprocess
import threading
from functools import cache
from pathlib import Path

from aiohttp import web

from tests.webthread import ThreadedApp

ROOT = 77_000_000
ESC = "\x1b"
HUGE_ID = 2**63 + 5  # past SQLite's INTEGER; HN's ids are below 2**53
HUGE_ROOT = 77_100_000
DEEP_ROOT = 77_200_000
CONTROL_ROOT = 77_300_000
TRICKLE_ROOT = 77_400_000
FULL_DISK = Path("/dev/full")
# What must never reach a terminal raw: C0 but newline, DEL, C1, bidi, zero-width, surrogates.
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)

HOSTILE_TEXTS: dict[str, str] = {
    "sgr colour": f"{ESC}[31mred{ESC}[0m and {ESC}[5mblink",
    "title change": f"{ESC}]0;pwned title{ESC}\\ and {ESC}]2;again\x07",
    "osc 52 clipboard": f"{ESC}]52;c;cm0gLXJmIH4K\x07copy me",
    "osc 8 hyperlink": f"{ESC}]8;;http://evil.example/{ESC}\\click{ESC}]8;;{ESC}\\",
    "dcs": f"{ESC}Pq#0;2;0;0;0#1;2;100;100;0{ESC}\\after dcs",
    "c1 controls": "\x9b31mcsi\x9d0;title\x9c \x85nel \x90dcs\x9c",
    "c0 controls": "bell\x07 backspace\x08 nul\x00 del\x7f vt\x0b ff\x0c cr\r",
    "bidi": "abc\u202edcba\u202c \u2066isolate\u2069 \u200fmark",
    "zero width": "zero\u200bwidth\u200d\ufeffjoin\u2060",
    "rich markup": "[bold]not bold[/bold] [/] [link=file:///etc/passwd]x[/link]",
    "textual action": "[@click=app.quit]quit[/] [@click=screen.dismiss()]x[/]",
    "malformed html": "<i>never closed <a href='x <p>para <b <pre><code>unclosed code",
    "entities": "&bogus; &amp;lt; &#0; &#x1b;[31m &#xD800; &#1114112; &notanentity",
    "unsafe links": (
        '<a href="javascript:alert(1)">js</a> <a href="file:///etc/passwd">file</a> '
        '<a href="data:text/html,x">data</a> <a href="https://ok.example/">fine</a>'
    ),
    "wide text": "日本語のコメント 😀👍🏽 مرحبا עברית " * 3,
}


# The comment that carries each hostile text, by its name in HOSTILE_TEXTS.
HOSTILE_IDS: dict[str, int] = {name: ROOT + 1 + n for n, name in enumerate(HOSTILE_TEXTS)}


def hostile_thread() -> dict[int, dict]:
    """A story plus one comment per hostile text, a 100 KB comment and a nested chain."""
    kids = list(HOSTILE_IDS.values())
    items: dict[int, dict] = {
        ROOT: {
            "id": ROOT,
            "type": "story",
            "by": f"op{ESC}[31m",
            "title": f"Hostile [bold]thread[/] {ESC}]0;title{ESC}\\ \u202eevil",
            "url": "https://example.com/hostile",
            "score": 1,
            "time": 1_745_000_000,
            "descendants": len(kids) + 2,
            "kids": [*kids, ROOT + 100],
        }
    }
    for item_id, text in zip(kids, HOSTILE_TEXTS.values(), strict=True):
        items[item_id] = {
            "id": item_id,
            "type": "comment",
            "by": f"user{ESC}]0;t\x07[bold]",
            "parent": ROOT,
            "time": 1_745_000_100,
            "text": text,
        }
    items[ROOT + 100] = {
        "id": ROOT + 100,
        "type": "comment",
        "by": "longwinded",
        "parent": ROOT,
        "time": 1_745_000_200,
        "text": ("<p>" + "word " * 2000) * 10,
        "kids": [ROOT + 101],
    }
    items[ROOT + 101] = {
        "id": ROOT + 101,
        "type": "comment",
        "by": "reply",
        "parent": ROOT + 100,
        "time": 1_745_000_300,
        "text": "[red]still literal[/red]",
    }
    return items


def huge_id_thread(root: int = HUGE_ROOT) -> dict[int, dict]:
    """A story whose first kid is 2**63+5 (the server answers for it too), with an ordinary
    reply whose ``parent`` and ``kids`` also hold out-of-range ids, and a poll-like ``parts``."""
    return {
        root: {
            "id": root,
            "type": "story",
            "by": "op",
            "title": "Huge ids",
            "time": 1_745_000_000,
            "descendants": 2,
            "kids": [HUGE_ID, root + 1],
            "parts": [2**64, -1],
        },
        HUGE_ID: {
            "id": HUGE_ID,
            "type": "comment",
            "by": "overflow",
            "parent": root,
            "time": 1_745_000_100,
            "text": "an id SQLite cannot store",
        },
        root + 1: {
            "id": root + 1,
            "type": "comment",
            "by": "ordinary",
            "parent": root,
            "time": 1_745_000_200,
            "text": "the reply that must load",
            "kids": [2**53, 10**30],
        },
    }


def deep_chain(depth: int = 1000, root: int = DEEP_ROOT) -> dict[int, dict]:
    """A story and a chain of ``depth`` comments, each the only reply to the one before."""
    items: dict[int, dict] = {
        root: {
            "id": root,
            "type": "story",
            "by": "op",
            "title": f"A {depth}-deep chain",
            "time": 1_745_000_000,
            "descendants": depth,
            "kids": [root + 1],
        }
    }
    for level in range(1, depth + 1):
        item_id = root + level
        items[item_id] = {
            "id": item_id,
            "type": "comment",
            "by": f"level{level}",
            "parent": item_id - 1,
            "time": 1_745_000_000 + level,
            "text": f"reply at depth {level}",
            **({"kids": [item_id + 1]} if level < depth else {}),
        }
    return items


# Raw characters a terminal acts on that are not C0: what JSON with ensure_ascii off passes.
CONTROL_TEXT = (
    "csi\x9b31mred\x9b0m osc\x9d0;title\x9c nel\x85 dcs\x90q\x9c del\x7f "
    "bidi\u202eevil\u202c isolate\u2066x\u2069 alm\u061c zw\u200b bom\ufeff ls\u2028ps\u2029"
)


def control_text_thread(root: int = CONTROL_ROOT) -> dict[int, dict]:
    """A story and a comment with ``CONTROL_TEXT`` in the title, author, URL and text."""
    return {
        root: {
            "id": root,
            "type": "story",
            "by": "op\x9b2J",
            "title": "Title " + CONTROL_TEXT,
            "url": "https://example.com/\x9b31m",
            "time": 1_745_000_000,
            "descendants": 1,
            "kids": [root + 1],
        },
        root + 1: {
            "id": root + 1,
            "type": "comment",
            "by": "eve\x9d0;x\x9c",
            "parent": root,
            "time": 1_745_000_100,
            "text": "<p>" + CONTROL_TEXT + "<pre><code>" + CONTROL_TEXT + "</code></pre>",
        },
    }


def many_word_query(distinct: int = 2500) -> str:
    """A pasted page: ``distinct`` different words, then ``k*`` 3,300 times."""
    return " ".join(f"word{n}" for n in range(distinct)) + " " + "k* " * 3300


@cache
def can_mount_read_only() -> bool:
    """Whether ``read_only_command`` works here (user namespaces allowed, ``unshare`` there)."""
    if shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    return done.returncode == 0


def read_only_command(folder: Path, argv: list[str]) -> list[str]:
    """``argv`` run with ``folder`` bind-mounted read-only in a mount namespace of its own.

    A read-only mount refuses writes to everyone, root included (tests run as root here, and
    root ignores file permissions), and it ends with the command: nothing to undo.
    """
    mount = (
        'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && '
        'if touch "$0/.probe" 2>/dev/null; then echo "still writable" >&2; exit 99; fi; '
        'exec "$@"'
    )
    return ["unshare", "-rm", "sh", "-c", mount, str(folder), *argv]


class Stalling(ThreadedApp):
    """Any path, any method: ``mode`` "trickle" sends headers at once, then a space every
    ``interval`` s until the client hangs up (every read gets data in time: only a total
    deadline ends it); "429" answers Too Many Requests with ``Retry-After: retry_after``.
    ``hits`` counts requests."""

    def __init__(self, mode: str = "trickle", *, interval: float = 0.2, retry_after: str = "3600"):
        super().__init__()
        if mode not in ("trickle", "429"):
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.interval = interval
        self.retry_after = retry_after
        self.hits = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.hits += 1
        if self.mode == "429":
            headers = {"Retry-After": self.retry_after}
            return web.Response(status=429, text="slow down", headers=headers)
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        with contextlib.suppress(ConnectionResetError):  # the client hung up
            while request.transport is not None and not request.transport.is_closing():
                await response.write(b" ")
                await asyncio.sleep(self.interval)
        return response

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/{path:.*}", self._handle)


class Honeypot:
    """A TCP listener on ``[::]``, dual-stack, so 127.0.0.0/8, ``::1``, ``0.0.0.0`` and ``::``
    all reach it: it counts each connection and closes it unanswered. A test that redirects
    to a local address checks that ``connections`` stays 0."""

    def __init__(self) -> None:
        self.connections = 0
        self._socket = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        self._socket.bind(("::", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.05)
        self.port: int = self._socket.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def __enter__(self) -> Honeypot:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._socket.close()


if __name__ == "__main__":
    import asyncio

    from tests.fakehn import FakeHN

    items = {
        **hostile_thread(),
        **huge_id_thread(),
        **deep_chain(),
        **control_text_thread(),
        **deep_chain(3, TRICKLE_ROOT),  # its first reply trickles: a byte every second
    }
    server = FakeHN(items, port=8766)
    server.fault("trickle", ids=[TRICKLE_ROOT + 1], interval=1.0)
    server.lists["topstories"] = [ROOT, HUGE_ROOT, DEEP_ROOT, CONTROL_ROOT, TRICKLE_ROOT]
    asyncio.run(server.serve_in_loop(lambda s: print(s.url, flush=True)))
