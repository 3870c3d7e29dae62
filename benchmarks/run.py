"""Run every benchmark and print a table: ``.venv/bin/python -m benchmarks.run``.

Options: ``--delay 0.05`` (the fake server's per-request delay, a stand-in for the round trip
to the real API), ``--quick`` (fewer repeats and key presses: a CI smoke run under a minute),
``--json PATH`` (where the results go; default benchmarks/results/latest.json), ``--only``
(a comma-separated subset) and ``--compare`` (also time other HTTP client designs).

The fake API runs in its own process (``python -m tests.fakehn --generated``) so its CPU never
competes with the process being measured, and every app benchmark runs in a fresh process
(benchmarks/probe.py). All traffic stays on 127.0.0.1. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import aclosing
from pathlib import Path
from typing import Any

from hnterm.model.items import parse_item
from hnterm.net.client import HNClient
from hnterm.services.source import Source
from hnterm.storage.cache import Cache
from hnterm.storage.worker import CacheWorker

from benchmarks import network, schedule
from benchmarks.server import ROOT, fake_server
from tests.fakehn import generate_thread

BIDEN = 25015967
GENERATED = network.GENERATED_ROOT
HOT_ROOT = 91_000_000  # a generated thread whose first top-level comment holds >= 1,000 replies
HOT_REPLIES = 1000
PROBE_TIMEOUT = 300.0
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "latest.json"
BENCHMARKS = (
    "paths",
    "loads",
    "first_comments",
    "throughput",
    "cached_open",
    "startup",
    "navigation",
    "loader",
)


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    import textual

    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "textual": textual.__version__,
    }


# -- app probes in fresh processes ---------------------------------------------------------


def probe(scenario: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run one benchmarks.probe scenario in a new process; its last stdout line is JSON."""
    env = {**os.environ, "HNTERM_BENCH_T0": repr(time.time())}
    env.pop("HNTERM_API_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.probe", scenario, json.dumps(args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=PROBE_TIMEOUT,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"probe {scenario} failed: {tail}")
    return json.loads(lines[-1])


def warm_cache(url: str, cache_dir: Path, root: int) -> int:
    """Load a thread through the app's own Source into a cache, as reading it once would."""

    async def load() -> int:
        cache = CacheWorker(cache_dir)
        try:
            async with HNClient(url) as client:
                source = Source(client, cache)
                async with aclosing(source.thread(root)) as updates:
                    async for update in updates:
                        if update.error:
                            raise RuntimeError(f"warming {root}: {update.error}")
        finally:
            await cache.aclose()
        return root

    return asyncio.run(load())


def cache_generated(cache_dir: Path, root: int, hot: int) -> int:
    """Store a generated thread in a cache (as a finished load would); returns the id of its
    biggest top-level subthread."""
    raw = generate_thread(root, hot=hot)
    items = [item for key, value in raw.items() if (item := parse_item(value, key))]
    cache = Cache(cache_dir)
    try:
        cache.put_items(items, root)
    finally:
        cache.close()
    kids = {item.id: item.kids for item in items}

    def size(item_id: int) -> int:
        stack, count = [item_id], 0
        while stack:
            count += 1
            stack.extend(kids.get(stack.pop(), ()))
        return count - 1

    return max(kids[root], key=size)


def median_of(runs: list[dict[str, Any]], key: str) -> float:
    return round(statistics.median(run[key] for run in runs), 4)


# -- the benchmarks ------------------------------------------------------------------------


class Runner:
    def __init__(self, args: argparse.Namespace, url: str, workdir: Path) -> None:
        self.args = args
        self.url = url
        self.workdir = workdir
        self.delay: float = args.delay
        self.repeats = 1 if args.quick else 3

    def fresh_cache(self, name: str) -> Path:
        path = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.workdir))
        return path

    def paths(self) -> dict[str, Any]:
        from benchmarks import paths

        return paths.measure(self.args.quick, self.workdir)

    def loads(self) -> dict[str, Any]:
        return {
            "threads": network.as_dicts(network.thread_loads(self.url, self.delay, self.repeats))
        }

    def first_comments(self) -> dict[str, Any]:
        runs = [
            probe(
                "first_comments",
                {"url": self.url, "cache": str(self.fresh_cache("first")), "root": GENERATED},
            )
            for _ in range(self.repeats)
        ]
        return {
            "runs": runs,
            "first_comment_ms": median_of(runs, "first_comment_ms"),
            "full_load_s": median_of(runs, "full_load_s"),
            "peak_rss_mb": max(run["peak_rss_mb"] for run in runs),
            "target_ms": round(1000 * (3 * self.delay) + 100, 1),
        }

    def throughput(self) -> dict[str, Any]:
        count = 1000 if self.args.quick else 3000
        rows = [network.throughput(self.url, self.delay, count)]
        with fake_server(0.0) as fast_url:
            rows.append(network.throughput(fast_url, 0.0, count))
            if self.args.compare:
                from benchmarks import transports

                rows.extend(transports.compare(self.url, self.delay, fast_url, count))
        return {"runs": rows}

    def cached_open(self) -> dict[str, Any]:
        cache = self.fresh_cache("cached")
        warm_cache(self.url, cache, BIDEN)
        runs = [
            probe("cached_open", {"cache": str(cache), "root": BIDEN}) for _ in range(self.repeats)
        ]
        return {
            "runs": runs,
            "first_layout_ms": median_of(runs, "first_layout_ms"),
            "shown_ms": median_of(runs, "shown_ms"),
            "all_measured_ms": median_of(runs, "all_measured_ms"),
        }

    def startup(self) -> dict[str, Any]:
        cold, warm = [], []
        for _ in range(self.repeats):
            cache = self.fresh_cache("startup")
            cold.append(probe("startup", {"url": self.url, "cache": str(cache)}))
            warm.append(probe("startup", {"url": self.url, "cache": str(cache)}))
        return {
            "cold": cold,
            "warm": warm,
            "cold_painted_s": median_of(cold, "painted_s"),
            "warm_painted_s": median_of(warm, "painted_s"),
            "imports_s": median_of(cold, "imports_s"),
        }

    def navigation(self) -> dict[str, Any]:
        cache = self.fresh_cache("navigate")
        warm_cache(self.url, cache, GENERATED)
        hot_id = cache_generated(cache, HOT_ROOT, HOT_REPLIES)
        presses = 40 if self.args.quick else 200
        args = {
            "cache": str(cache),
            "root": GENERATED,
            "hot_root": HOT_ROOT,
            "hot_id": hot_id,
            "presses": presses,
        }
        return probe("navigate", args)

    def loader(self) -> dict[str, Any]:
        return {
            "schedules": schedule.schedules(self.delay),
            "overhead": schedule.loader_overhead(self.delay),
        }


# -- the table -----------------------------------------------------------------------------


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("yes" if ok else "NO")


def table(results: dict[str, Any], delay: float) -> str:
    out: list[str] = []
    rows: list[tuple[str, str, str, str]] = []
    data = results["benchmarks"]
    info = results["machine"]
    out.append(
        f"hnterm benchmarks · {info['nproc']} cores · {info['cpu']} · Python {info['python']}"
        f" · delay {delay * 1000:.0f} ms · {'quick' if results['quick'] else 'full'}"
    )

    path_runs = data.get("paths", {})
    if "loads" in path_runs:
        from benchmarks import paths

        out.append("")
        out.extend(paths.table(path_runs))
        for row in path_runs["loads"]:
            target = 1.5 if row["transport"] == "tls" else (1.2 if row["path"] == "loader" else 1.3)
            rows.append(
                (
                    f"0 {row['path']} @ {row['delay_s'] * 1000:.0f} ms over {row['transport']}",
                    f"{row['median_s']:.2f} s = {row['ratio']:.2f}x bound",
                    f"<= {target}x",
                    verdict(row["ratio"] <= target),
                )
            )
        for row in path_runs["cpu"]:
            if row["path"] == "client + parse + cache":
                rows.append(
                    (
                        f"0 CPU per item, client + parse + cache, {row['transport']}",
                        f"{row['cpu_ms_per_item']:.3f} ms",
                        "<= 0.4 ms",
                        verdict(row["cpu_ms_per_item"] <= 0.4),
                    )
                )
    elif "error" in path_runs:
        rows.append(("paths", path_runs["error"], "", "NO"))

    loads = data.get("loads", {})
    if "threads" in loads:
        out.append("")
        out.append("1. Thread load, full (stream_items + HNClient, 64 in flight, median of runs)")
        out.append(
            f"   {'thread':<10} {'comments':>8} {'depth':>5} {'time s':>7} {'bound s':>7} "
            f"{'ratio':>6} {'cpu ms/item':>11}"
        )
        for row in loads["threads"]:
            out.append(
                f"   {row['thread']:<10} {row['comments']:>8} {row['depth']:>5} "
                f"{row['median_s']:>7.3f} {row['bound_s']:>7.3f} {row['ratio']:>6.2f} "
                f"{row['cpu_ms_per_item']:>11.3f}"
            )
            if row["thread"] == "generated":
                rows.append(
                    (
                        "1 full load, generated thread",
                        f"{row['median_s']:.2f} s = {row['ratio']:.2f}x bound",
                        "<= 1.5x bound",
                        verdict(row["ratio"] <= 1.5),
                    )
                )
    elif "error" in loads:
        rows.append(("thread loads", loads["error"], "", "NO"))

    first = data.get("first_comments", {})
    if "first_comment_ms" in first:
        target = first["target_ms"]
        rows.append(
            (
                "2 first comments on screen",
                f"{first['first_comment_ms']:.0f} ms",
                f"<= {target:.0f} ms (3 RTT + 100)",
                verdict(first["first_comment_ms"] <= target),
            )
        )
        runs = first["runs"]
        relayout = runs[-1]["relayout"]
        rows.append(
            (
                "  same load, whole thread in the app",
                f"{first['full_load_s']:.2f} s, {runs[-1]['batches']} batches",
                "",
                "-",
            )
        )
        rows.append(
            (
                "  relayout per batch (CommentView)",
                f"median {relayout.get('median_ms', 0):.1f} ms, max "
                f"{relayout.get('max_ms', 0):.1f} ms, total {relayout.get('total_ms', 0):.0f} ms",
                "",
                "-",
            )
        )
    elif "error" in first:
        rows.append(("2 first comments on screen", first["error"], "", "NO"))

    through = data.get("throughput", {})
    for run in through.get("runs", []):
        label = run.get("label", "hnterm HNClient")
        share = f" ({run['share_of_ideal']:.0%} of ideal)" if run.get("share_of_ideal") else ""
        rows.append(
            (
                f"3 throughput, {label} @ {run['delay_s'] * 1000:.0f} ms",
                f"{run['items_per_s']:.0f} items/s{share}, "
                f"{run['cpu_ms_per_request']:.3f} ms CPU/req",
                "",
                "-",
            )
        )
    if "error" in through:
        rows.append(("throughput", through["error"], "", "NO"))

    cached = data.get("cached_open", {})
    if "shown_ms" in cached:
        rows.append(
            (
                "4 cached open, Biden (2,170), offline",
                f"{cached['shown_ms']:.0f} ms (first layout {cached['first_layout_ms']:.0f},"
                f" every height measured {cached['all_measured_ms']:.0f})",
                "≤ 150 ms",
                verdict(cached["shown_ms"] <= 150),
            )
        )
    elif "error" in cached:
        rows.append(("cached open", cached["error"], "", "NO"))

    start = data.get("startup", {})
    if "cold_painted_s" in start:
        rows.append(
            (
                "5 startup to story list painted, cold",
                f"{start['cold_painted_s'] * 1000:.0f} ms "
                f"(imports {start['imports_s'] * 1000:.0f})",
                "<= 600 ms",
                verdict(start["cold_painted_s"] <= 0.6),
            )
        )
        rows.append(
            (
                "5 startup to story list painted, warm",
                f"{start['warm_painted_s'] * 1000:.0f} ms",
                "",
                "-",
            )
        )
    elif "error" in start:
        rows.append(("startup", start["error"], "", "NO"))

    nav = data.get("navigation", {})
    if "j" in nav:
        keys = ("j", "k", "pagedown", "]", "collapse", "expand", "j_while_measuring")
        for key in (k for k in keys if k in nav):
            stats = nav[key]
            frame, work = stats["frame"], stats["work"]
            label = f"6 key {key}"
            if key in ("collapse", "expand"):
                label = f"6 {key} {nav['subtree']}-reply subtree"
            if key == "j_while_measuring":
                label = "6 key j, first 10 after opening"  # heights still being measured
            ok = frame["median_ms"] < 16 and frame["p99_ms"] <= 33
            rows.append(
                (
                    label,
                    f"to frame {frame['median_ms']:.1f}/{frame['p99_ms']:.1f} ms, "
                    f"work {work['median_ms']:.1f}/{work['p99_ms']:.1f}",
                    "median < 16, p99 ≤ 33",
                    verdict(ok),
                )
            )
        rss = max(nav.get("peak_rss_mb_3000", 0), first.get("peak_rss_mb", 0))
        rows.append(
            (
                "7 peak RSS, 3,000-comment thread open",
                f"{rss:.0f} MB",
                "< 250 MB",
                verdict(rss < 250),
            )
        )
    elif "error" in nav:
        rows.append(("navigation", nav["error"], "", "NO"))

    loader = data.get("loader", {})
    if "overhead" in loader:
        for row in loader["overhead"]:
            wait = row["arrival_to_batch_ms"]
            rows.append(
                (
                    f"loader alone, {row['thread']}",
                    f"{row['wall_s']:.2f} s vs model {row['modelled_s']:.2f}; batching wait "
                    f"mean {wait['mean']:.0f} ms",
                    "",
                    "-",
                )
            )

    width = max(len(r[0]) for r in rows) if rows else 10
    value_width = max(len(r[1]) for r in rows) if rows else 10
    target_width = max(len(r[2]) for r in rows) if rows else 10
    out.append("")
    out.append(
        f"{'benchmark':<{width}}  {'result':<{value_width}}  {'target':<{target_width}}  met"
    )
    out.append("-" * (width + value_width + target_width + 9))
    for name, value, target, ok in rows:
        out.append(f"{name:<{width}}  {value:<{value_width}}  {target:<{target_width}}  {ok}")
    if nav.get("j"):
        out.append("")
        out.append(
            "keys: median/p99 ms; 'to frame' = key sent until the frame showing the change is "
            "drawn (includes Textual's 60 fps timer), 'work' = handling + that frame's render."
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--delay", type=float, default=0.05, help="server delay per request (s)")
    parser.add_argument("--quick", action="store_true", help="smaller runs, for CI (< 60 s)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write results")
    parser.add_argument(
        "--only", default="", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}"
    )
    parser.add_argument("--compare", action="store_true", help="also time other HTTP clients")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(BENCHMARKS)
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    started = time.perf_counter()
    results: dict[str, Any] = {
        "machine": machine(),
        "delay_s": args.delay,
        "quick": args.quick,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "benchmarks": {},
    }
    failed = False
    with (
        tempfile.TemporaryDirectory(prefix="hnterm-bench-") as workdir,
        fake_server(args.delay) as url,
    ):
        runner = Runner(args, url, Path(workdir))
        for name in chosen:
            step: Callable[[], dict[str, Any]] = getattr(runner, name)
            began = time.perf_counter()
            print(f"… {name}", file=sys.stderr, flush=True)
            try:
                outcome = step()
            except Exception as exc:  # one broken benchmark must not hide the others
                outcome = {"error": f"{type(exc).__name__}: {exc}"}
                failed = True
            outcome["seconds_taken"] = round(time.perf_counter() - began, 2)
            results["benchmarks"][name] = outcome
    results["total_s"] = round(time.perf_counter() - started, 2)
    text = table(results, args.delay)
    print(text)
    print(f"\n(total {results['total_s']:.0f} s; results in {args.json})")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
