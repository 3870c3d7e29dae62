"""Serve the fake HN API in the foreground: ``python -m tests.fakehn [--generated] ...``.

The first line of stdout is the base URL, so a parent process (a benchmark, a manual run of
the app) can start this, read one line, and point its client at it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path

from tests.fakehn.generate import generate_thread
from tests.fakehn.server import FakeHN


def build(args: argparse.Namespace) -> FakeHN:
    """The server the arguments describe (fixtures, plus the generated thread first in top)."""
    server = FakeHN.from_fixtures(*args.fixtures, delay=args.delay, host=args.host, port=args.port)
    server.connect_delay = args.connect_delay
    if args.tls_dir:
        from tests.fakehn.tls import server_context

        server.tls, _ = server_context(Path(args.tls_dir))
    if args.generated:
        thread = generate_thread(args.root_id, comments=args.comments, depth=args.depth)
        server.items.update(thread)
        top = server.lists["topstories"]
        server.lists["topstories"] = [args.root_id, *(i for i in top if i != args.root_id)]
        server.lists["newstories"] = [args.root_id, *server.lists["newstories"]]
    return server


async def serve(server: FakeHN) -> None:
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, task.cancel)

    def ready(fake: FakeHN) -> None:
        print(fake.url, flush=True)

    with contextlib.suppress(asyncio.CancelledError):
        await server.serve_in_loop(ready)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fakehn", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds added per request")
    parser.add_argument(
        "--fixtures", nargs="*", default=[], metavar="NAME", help="fixture stems (default: all)"
    )
    parser.add_argument("--generated", action="store_true", help="add the synthetic thread")
    parser.add_argument(
        "--tls-dir",
        metavar="DIR",
        help="serve HTTPS; the CA to trust is written to DIR/hnterm-test-ca.pem",
    )
    parser.add_argument(
        "--connect-delay", type=float, default=0.0, help="seconds added per new connection"
    )
    parser.add_argument("--comments", type=int, default=3000)
    parser.add_argument("--depth", type=int, default=25)
    parser.add_argument("--root-id", type=int, default=90_000_000)
    args = parser.parse_args(argv)
    asyncio.run(serve(build(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
