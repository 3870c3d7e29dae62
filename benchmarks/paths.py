"""The paths users run, side by side against the bound (``run --only paths``).

For the generated thread (3,000 comments, 25 levels) at each delay, and the Biden thread
(25015967, 2,170 comments) at 50 ms, over plain HTTP and TLS: the headless loader
(``stream_items`` + client), ``hnterm dump`` (the whole command, from spawn to exit, as a user
runs it) and the app's full load (opening the thread by id until every row is laid out and
drawn). Each runs in a fresh process against the fake API in its own process. Over TLS the
server adds two round trips (TCP + TLS 1.3 handshakes) to each new connection's first answer,
and the bound (and the best schedule) gain one such set-up. Next to the bound: the best
schedule the thread's tree allows (``benchmarks.schedule.best_schedule``), the loader's yardstick.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.network import GENERATED_ROOT, THREADS, lower_bound, thread_items
from benchmarks.schedule import best_schedule, kids_of
from benchmarks.server import ROOT, ca_file, fake_server
from tests.fakehn import thread_stats

TIMEOUT = 300.0
BIDEN_DELAY = 0.05  # the Biden thread runs at this delay only


@dataclass(frozen=True)
class Thread:
    """A thread the paths run, with what its bound and best schedule need."""

    label: str
    root: int
    comments: int
    depth: int
    best_per_delay: float  # the best modelled schedule at a delay of 1 s (it scales with it)

    @classmethod
    def of(cls, label: str) -> Thread:
        _, root, fixture = next(thread for thread in THREADS if thread[0] == label)
        raw = thread_items(root, fixture)
        comments, depth = thread_stats(raw, root)
        best = best_schedule(kids_of(raw), root, 1.0)["seconds"]
        return cls(label, root, comments, depth, best)

    def bound(self, delay: float, tls: bool) -> float:
        """The lower bound at 64 in flight, plus one connection set-up (2 round trips) over
        TLS."""
        return lower_bound(self.comments, self.depth, delay) + (2 * delay if tls else 0.0)

    def best(self, delay: float, tls: bool) -> float:
        """The best schedule the tree allows, plus the same set-up over TLS."""
        return self.best_per_delay * delay + (2 * delay if tls else 0.0)


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


def headless(mode: str, url: str, env: dict[str, str], root: int) -> dict[str, float]:
    _, _, out = _run([sys.executable, "-m", "benchmarks.headless", mode, url, str(root)], env)
    return json.loads(out.strip().splitlines()[-1])


def dump(url: str, env: dict[str, str], workdir: Path, thread: Thread) -> dict[str, float]:
    cache = tempfile.mkdtemp(prefix="dump-", dir=workdir)
    command = [sys.executable, "-m", "hnterm", "dump", str(thread.root), "--api-url", url]
    wall, cpu, out = _run([*command, "--cache-dir", cache], env)
    items = len(json.loads(out)["items"]) if out.startswith("{") else thread.comments + 1
    return {"wall_s": round(wall, 4), "cpu_s": round(cpu, 4), "items": items}


def in_app(url: str, env: dict[str, str], workdir: Path, root: int) -> dict[str, float]:
    cache = tempfile.mkdtemp(prefix="app-", dir=workdir)
    args = json.dumps({"url": url, "cache": cache, "root": root})
    _, _, out = _run([sys.executable, "-m", "benchmarks.probe", "first_comments", args], env)
    result = json.loads(out.strip().splitlines()[-1])
    return {"wall_s": result["full_load_s"], "first_comment_ms": result["first_comment_ms"]}


def path_runs(
    url: str, env: dict[str, str], workdir: Path, thread: Thread, repeats: int
) -> dict[str, list[float]]:
    """Wall seconds of each path users run, ``repeats`` times each, on one thread."""
    return {
        "loader": [headless("loader", url, env, thread.root)["wall_s"] for _ in range(repeats)],
        "dump": [dump(url, env, workdir, thread)["wall_s"] for _ in range(repeats)],
        "app": [in_app(url, env, workdir, thread.root)["wall_s"] for _ in range(repeats)],
    }


def side_by_side(delays: tuple[float, ...], repeats: int, workdir: Path) -> list[dict[str, Any]]:
    generated, biden = Thread.of("generated"), Thread.of("Biden")
    rows = []
    for delay in delays:
        threads = [generated, biden] if delay == BIDEN_DELAY else [generated]
        for tls in (False, True):
            with serve(delay, tls, workdir) as (url, env):
                runs = [(t, path_runs(url, env, workdir, t, repeats)) for t in threads]
            for thread, paths in runs:
                limit, best = thread.bound(delay, tls), thread.best(delay, tls)
                for path, walls in paths.items():
                    median = statistics.median(walls)
                    rows.append(
                        {
                            "path": path,
                            "thread": thread.label,
                            "delay_s": delay,
                            "transport": "tls" if tls else "http",
                            "seconds": walls,
                            "median_s": round(median, 3),
                            "bound_s": round(limit, 3),
                            "ratio": round(median / limit, 3),
                            "best_s": round(best, 3),
                            "ratio_to_best": round(median / best, 3),
                        }
                    )
    return rows


def cpu_per_item(repeats: int, workdir: Path) -> list[dict[str, Any]]:
    generated = Thread.of("generated")
    rows = []
    for tls in (False, True):
        with serve(0.0, tls, workdir) as (url, env):
            for label, run in (
                ("loader", lambda: headless("loader", url, env, GENERATED_ROOT)),
                ("client + parse + cache", lambda: headless("source", url, env, GENERATED_ROOT)),
                ("hnterm dump, whole process", lambda: dump(url, env, workdir, generated)),
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
        "Paths users run: generated thread (3,000 comments, 25 levels), Biden (2,170), median",
        f"   {'thread':<9} {'path':<6} {'delay':>5} {'over':<4} {'time s':>7} {'bound s':>7} "
        f"{'ratio':>6} {'best s':>7} {'/best':>6}",
    ]
    for row in result.get("loads", []):
        out.append(
            f"   {row['thread']:<9} {row['path']:<6} {row['delay_s'] * 1000:>3.0f}ms "
            f"{row['transport']:<4} {row['median_s']:>7.2f} {row['bound_s']:>7.2f} "
            f"{row['ratio']:>6.2f} {row['best_s']:>7.2f} {row['ratio_to_best']:>6.2f}"
        )
    out.append("   CPU per item at zero delay (whole process, all threads)")
    for row in result.get("cpu", []):
        out.append(f"   {row['path']:<28} {row['transport']:<4} {row['cpu_ms_per_item']:.3f} ms")
    return out


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="hnterm-paths-") as folder:
        measured = measure("--quick" in sys.argv, Path(folder))
    print("\n".join(table(measured)))
