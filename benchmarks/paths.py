"""The paths users run, side by side against the bound (``run --only paths``).

For the generated thread (3,000 comments, 25 levels), at each delay and over plain HTTP and
TLS: the headless loader (``stream_items`` + client), ``hnterm dump`` (the whole command, from
spawn to exit, as a user runs it) and the app's full load (opening the thread by id until every
row is laid out and drawn). Each runs in a fresh process against the fake API in its own
process. Over TLS the server adds two round trips (TCP + TLS 1.3 handshakes) to each new
connection's first answer, and the bound gains one such set-up.

Then, at zero delay: CPU per item of the loader, of ``Source.thread`` (client + parse + cache)
and of the whole ``hnterm dump`` process, over HTTP and TLS.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.network import GENERATED_ROOT, lower_bound
from benchmarks.server import ROOT, ca_file, fake_server

COMMENTS, DEPTH = 3000, 25
TIMEOUT = 300.0


@contextmanager
def serve(delay: float, tls: bool, workdir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """The fake API at ``delay``; yields its URL and the environment a client needs."""
    env = {**os.environ}
    env.pop("HNTERM_API_URL", None)
    if not tls:
        with fake_server(delay) as url:
            yield url, env
        return
    tls_dir = Path(tempfile.mkdtemp(prefix="tls-", dir=workdir))
    with fake_server(delay, tls_dir=tls_dir, connect_delay=2 * delay) as url:
        yield url, {**env, "SSL_CERT_FILE": str(ca_file(tls_dir))}


def bound(delay: float, tls: bool) -> float:
    """The lower bound at 64 in flight, plus one connection set-up (2 round trips) over TLS."""
    return lower_bound(COMMENTS, DEPTH, delay) + (2 * delay if tls else 0.0)


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds from spawn to exit, CPU seconds of the child, its stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{command[2]} failed: {tail}")
    return wall, cpu, done.stdout


def headless(mode: str, url: str, env: dict[str, str]) -> dict[str, float]:
    _, _, out = _run(
        [sys.executable, "-m", "benchmarks.headless", mode, url, str(GENERATED_ROOT)], env
    )
    return json.loads(out.strip().splitlines()[-1])


def dump(url: str, env: dict[str, str], workdir: Path) -> dict[str, float]:
    cache = tempfile.mkdtemp(prefix="dump-", dir=workdir)
    command = [sys.executable, "-m", "hnterm", "dump", str(GENERATED_ROOT), "--api-url", url]
    wall, cpu, out = _run([*command, "--cache-dir", cache], env)
    items = len(json.loads(out)["items"]) if out.startswith("{") else COMMENTS + 1
    return {"wall_s": round(wall, 4), "cpu_s": round(cpu, 4), "items": items}


def in_app(url: str, env: dict[str, str], workdir: Path) -> dict[str, float]:
    cache = tempfile.mkdtemp(prefix="app-", dir=workdir)
    args = json.dumps({"url": url, "cache": cache, "root": GENERATED_ROOT})
    _, _, out = _run([sys.executable, "-m", "benchmarks.probe", "first_comments", args], env)
    result = json.loads(out.strip().splitlines()[-1])
    return {"wall_s": result["full_load_s"], "first_comment_ms": result["first_comment_ms"]}


def side_by_side(delays: tuple[float, ...], repeats: int, workdir: Path) -> list[dict[str, Any]]:
    rows = []
    for delay in delays:
        for tls in (False, True):
            with serve(delay, tls, workdir) as (url, env):
                runs = {
                    "loader": [headless("loader", url, env)["wall_s"] for _ in range(repeats)],
                    "dump": [dump(url, env, workdir)["wall_s"] for _ in range(repeats)],
                    "app": [in_app(url, env, workdir)["wall_s"] for _ in range(repeats)],
                }
            limit = bound(delay, tls)
            for path, walls in runs.items():
                median = statistics.median(walls)
                rows.append(
                    {
                        "path": path,
                        "delay_s": delay,
                        "transport": "tls" if tls else "http",
                        "seconds": walls,
                        "median_s": round(median, 3),
                        "bound_s": round(limit, 3),
                        "ratio": round(median / limit, 3),
                    }
                )
    return rows


def cpu_per_item(repeats: int, workdir: Path) -> list[dict[str, Any]]:
    rows = []
    for tls in (False, True):
        with serve(0.0, tls, workdir) as (url, env):
            for label, run in (
                ("loader", lambda: headless("loader", url, env)),
                ("client + parse + cache", lambda: headless("source", url, env)),
                ("hnterm dump, whole process", lambda: dump(url, env, workdir)),
            ):
                results = [run() for _ in range(repeats)]
                per_item = statistics.median(r["cpu_s"] / r["items"] for r in results)
                rows.append(
                    {
                        "path": label,
                        "transport": "tls" if tls else "http",
                        "cpu_ms_per_item": round(1000 * per_item, 3),
                        "wall_s": statistics.median(r["wall_s"] for r in results),
                    }
                )
    return rows


def measure(quick: bool, workdir: Path) -> dict[str, Any]:
    delays = (0.05,) if quick else (0.05, 0.15)
    return {
        "loads": side_by_side(delays, 1 if quick else 3, workdir),
        "cpu": cpu_per_item(1 if quick else 3, workdir),
    }


def table(result: dict[str, Any]) -> list[str]:
    """Rows for the summary: each path against the bound, and CPU per item."""
    out = [
        "Paths users run, generated thread (3,000 comments, 25 levels), median of runs",
        f"   {'path':<8} {'delay':>5} {'over':<4} {'time s':>7} {'bound s':>7} {'ratio':>6}",
    ]
    for row in result.get("loads", []):
        out.append(
            f"   {row['path']:<8} {row['delay_s'] * 1000:>3.0f}ms {row['transport']:<4} "
            f"{row['median_s']:>7.2f} {row['bound_s']:>7.2f} {row['ratio']:>6.2f}"
        )
    out.append("   CPU per item at zero delay (whole process, all threads)")
    for row in result.get("cpu", []):
        out.append(f"   {row['path']:<28} {row['transport']:<4} {row['cpu_ms_per_item']:.3f} ms")
    return out


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="hnterm-paths-") as folder:
        measured = measure("--quick" in sys.argv, Path(folder))
    print("\n".join(table(measured)))
