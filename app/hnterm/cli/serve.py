"""``hnterm serve``: the reader in a browser tab, through textual-serve.

Each browser tab that connects gets its own ``hnterm`` process (the reader, with the global
options ``serve`` was given), drawn by xterm.js in the page. The server binds to loopback
unless ``--host`` says otherwise: whoever reaches the port reads the cache and acts with the
HN session (votes, replies), though no shell is reachable through it. Browsers let any web
page open a WebSocket to any address, so the socket that drives the app takes only pages
served from here (their ``Origin``): a site visited in another tab cannot drive hnterm.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import shlex
import socket
import sys
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from hnterm.cli.common import say
from hnterm.config import Config
from hnterm.render.text import sanitize

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
OWN_OPTIONS = ("host", "port", "public_url")  # serve's own; the others are global options


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Serve the reader to a web browser (textual-serve): open the URL it prints. Bound to "
        "127.0.0.1 unless --host says otherwise; whoever can reach the port reads your cache "
        "and acts with your HN session."
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default {DEFAULT_HOST}: this machine only)",
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"(default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        type=public_url,
        help="the address browsers open, when not http://HOST:PORT (behind a proxy, or "
        "with --host 0.0.0.0)",
    )


def port_number(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1-65535, not {value!r}")
    return port


def public_url(value: str) -> str:
    parts = urlsplit(value.rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
        raise argparse.ArgumentTypeError(f"an http(s)://HOST[:PORT] address, not {value!r}")
    return f"{parts.scheme}://{parts.netloc}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def reader_command(args: argparse.Namespace) -> str:
    """The shell command each browser tab runs: this interpreter's ``hnterm``, with the
    global options serve was given (quoted: textual-serve runs it through the shell). A
    global option is in ``args`` only when given (its default is SUPPRESS), so every one,
    however many there are, is passed on."""
    argv = [sys.executable, "-m", "hnterm"]
    for key, value in vars(args).items():
        if key == "command" or key in OWN_OPTIONS:
            continue
        flag = f"--{key.replace('_', '-')}"
        argv += [flag] if value is True else [flag, str(value)]
    return shlex.join([*argv, "open"])


def allowed_origins(url: str, port: int) -> frozenset[str]:
    """The pages that may drive the app: the public URL's origin, and on loopback each
    name of this machine (``localhost`` opens the same page as 127.0.0.1)."""
    origins = {url}
    if is_loopback(urlsplit(url).hostname or ""):
        origins |= {f"http://{name}:{port}" for name in LOOPBACK_NAMES}
    return frozenset(origins)


class PlainFormatter(logging.Formatter):
    """textual-serve's log lines on stderr without colour (its Rich handler styles them)
    and without anything a terminal acts on."""

    def format(self, record: logging.LogRecord) -> str:
        return sanitize(super().format(record))


class ReaderServer(Server):
    """textual-serve's server, with hnterm's start line, plain logs and the Origin check."""

    def __init__(self, command: str, *, host: str, port: int, url: str | None) -> None:
        shown_host = f"[{host}]" if ":" in host else host
        super().__init__(
            command, host=host, port=port, title="hnterm",
            public_url=url or f"http://{shown_host}:{port}",
        )  # fmt: skip
        self.origins = allowed_origins(self.public_url, port)

    def initialize_logging(self) -> None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(PlainFormatter("hnterm serve: %(message)s"))
        logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)

    async def on_startup(self, app: web.Application) -> None:
        say(f"hnterm: serving the reader on {self.public_url} (ctrl+c stops)")
        sys.stdout.flush()

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if request.headers.get("Origin") not in self.origins:
            raise web.HTTPForbidden(text="hnterm: this page was not served by hnterm serve\n")
        return await super().handle_websocket(request)


def run(args: argparse.Namespace, config: Config) -> int:
    try:  # the address tried first: the start line comes before aiohttp binds
        socket.create_server((args.host, args.port)).close()
    except OSError as exc:  # the port is taken, the address is not this machine's
        say(
            f"hnterm serve: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1
    if not is_loopback(args.host):
        say(
            f"hnterm serve: listening on {args.host}: anyone who can reach port {args.port} "
            "reads your cache and acts with your HN session",
            file=sys.stderr,
        )
    server = ReaderServer(reader_command(args), host=args.host, port=args.port, url=args.public_url)
    try:
        server.serve()
    except OSError as exc:  # taken in between
        say(
            f"hnterm serve: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1
    return 0
