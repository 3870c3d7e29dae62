"""The fake HN API in its own process, so its CPU never competes with the measured loop."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30.0


@contextmanager
def fake_server(
    delay: float, *, tls_dir: Path | None = None, connect_delay: float = 0.0
) -> Iterator[str]:
    """Run ``python -m tests.fakehn --generated`` on a free loopback port; yield its URL.

    With ``tls_dir`` it serves HTTPS, and the CA to trust is ``tls_dir/hnterm-test-ca.pem``
    (see ``ca_file``); ``connect_delay`` is added to each new connection's first answer."""
    tls = ["--tls-dir", str(tls_dir)] if tls_dir is not None else []
    args = ["tests.fakehn", "--host", "127.0.0.1", "--port", "0", "--delay", str(delay)]
    args += ["--connect-delay", str(connect_delay), "--generated", *tls]
    with spawned(args, ("http://127.0.0.1:", "https://127.0.0.1:")) as (url, _):
        yield url


@contextmanager
def spawned(args: list[str], url_prefixes: tuple[str, ...]) -> Iterator[tuple[str, int]]:
    """``python -m *args`` in its own process, a server that prints its base URL first;
    yields that URL and the process id, and stops the process after."""
    process = subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = _first_line(process)
        if not url.startswith(url_prefixes):
            raise RuntimeError(f"{args[0]} did not start (said {url!r})")
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _first_line(process: subprocess.Popen[str]) -> str:
    """The server's first stdout line, or an error if it says nothing in time."""
    assert process.stdout is not None
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)
    if not line:
        raise RuntimeError(f"fake server printed no URL within {START_TIMEOUT:.0f} s")
    return line[0].strip()


def ca_file(tls_dir: Path) -> Path:
    """The CA certificate a client must trust to talk to a server started with ``tls_dir``."""
    return tls_dir / "hnterm-test-ca.pem"
