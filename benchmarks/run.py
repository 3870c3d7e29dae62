"""Run every benchmark and print a table: ``.venv/bin/python -m benchmarks.run``.

Options: ``--delay 0.05`` (the fake server's per-request delay, a stand-in for the round trip
to the real API), ``--quick`` (fewer repeats and key presses: a smoke run of a few minutes),
``--json PATH`` (where the results go; default benchmarks/results/latest.json), ``--only``
(a comma-separated subset), ``--compare`` (also time other HTTP client designs), ``--busy``
(every row with a CPU-bound process beside it, one core kept busy) and ``--peers`` (other
HN readers on the same fake, through benchmarks/peers.py).

The fake API runs in its own process (``python -m tests.fakehn --generated``) so its CPU never
competes with the process being measured, and every app benchmark runs in a fresh process
(benchmarks/probe.py). All traffic stays on 127.0.0.1. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, aclosing, contextmanager, nullcontext
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
    "loading_keys",
    "loader",
)
PEERS = "peers"  # with --peers (or in --only): other readers, after the benchmarks
# The targets (issue 24). Over TLS the bound includes one connection set-up.
PATH_TARGET = {"http": 1.2, "tls": 1.3}  # dump and the app's full load, x the bound
LOADER_TARGET = 1.1  # the loader, x the best schedule the tree allows
CPU_TARGET_MS = 0.3  # per item, the whole dump process (and so any part of it)
KEY_MEDIAN_MS, KEY_P99_MS = 12.0, 25.0  # key to frame, idle
KEY_P99_BUSY_MS = 33.0  # key to frame, in a --busy run and while a thread loads
COLD_START_MS = 450.0  # idle
CACHED_OPEN_MS = 100.0  # the one that counts is the busy run's
PEAK_RSS_MB = 100.0
# A pure-Python spin (one core), checking now and then that the run that started it is alive.
HOG = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)  # the run stops it, on Ctrl-C too
parent = int(sys.argv[1])
while os.getppid() == parent:
    sum(i * i for i in range(20_000))
"""


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


@contextmanager
def cpu_hog() -> Iterator[dict[str, float]]:
    """One child process spinning pure-Python work for as long as the block runs (stopped
    on an error or Ctrl-C too); the dict it yields gets the hog's CPU and wall seconds."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOG, str(os.getpid())],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.perf_counter()
    report: dict[str, float] = {}
    try:
        yield report
    finally:
        process.terminate()
        _, status, usage = os.wait4(process.pid, 0)  # this child's own CPU, not all children's
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        report["wall_s"] = round(wall, 2)
        report["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
        report["cpu_share"] = round(report["cpu_s"] / wall, 3) if wall else 0.0


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
        rows = network.as_dicts(network.thread_loads(self.url, self.delay, self.repeats))
        for row, (_, root, fixture) in zip(rows, network.THREADS, strict=True):
            kids = schedule.kids_of(network.thread_items(root, fixture))
            best = schedule.best_schedule(kids, root, self.delay)
            row["best_s"] = best["seconds"]
            row["ratio_to_best"] = round(row["median_s"] / best["seconds"], 3)
        return {"threads": rows}

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

    def loading_keys(self) -> dict[str, Any]:
        """Keys held while the generated thread loads from the fake API (a cold cache): ``j``
        and ``pagedown`` in turn, one load each, the presses of each key pooled."""
        from benchmarks.probe import latency_summary  # the probe's own summary of presses

        keys = ("j", "pagedown") * (1 if self.args.quick else 3)
        runs = [
            probe(
                "keys_while_loading",
                {
                    "url": self.url,
                    "cache": str(self.fresh_cache("loading")),
                    "root": GENERATED,
                    "key": key,
                },
            )
            for key in keys
        ]
        result: dict[str, Any] = {"runs": runs}
        for key in dict.fromkeys(keys):
            samples = [sample for run in runs if run["key"] == key for sample in run["samples"]]
            result[key] = latency_summary(samples)
        result["peak_rss_mb"] = max(run["peak_rss_mb"] for run in runs)
        return result

    def loader(self) -> dict[str, Any]:
        return {
            "schedules": schedule.schedules(self.delay),
            "overhead": schedule.loader_overhead(self.delay),
        }

    def peers(self) -> dict[str, Any]:
        """Other readers on this run's fake API, if benchmarks/peers.py is there."""
        try:
            from benchmarks import peers
        except ModuleNotFoundError as exc:
            if exc.name != "benchmarks.peers":
                raise
            return {"missing": "benchmarks/peers.py is not there: no peers measured"}
        workdir = Path(tempfile.mkdtemp(prefix="peers-", dir=self.workdir))
        result = peers.measure(self.url, self.delay, workdir)
        try:
            lines = [str(line) for line in peers.table(result)]
        except Exception as exc:  # its table must not lose the measurements
            lines = [f"peers.table failed: {type(exc).__name__}: {exc}"]
        return {"result": result, "lines": lines}


# -- the table -----------------------------------------------------------------------------

Row = tuple[str, str, str, str]  # benchmark, result, target, met


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("yes" if ok else "NO")


def error_row(name: str, outcome: dict[str, Any]) -> list[Row]:
    return [(name, outcome["error"], "", "NO")] if "error" in outcome else []


def path_rows(path_runs: dict[str, Any]) -> list[Row]:
    """Dump and the app against the bound; the loader against the best schedule."""
    rows: list[Row] = []
    for row in path_runs["loads"]:
        name = (
            f"0 {row['path']}, {row['thread']} @ {row['delay_s'] * 1000:.0f} ms"
            f" over {row['transport']}"
        )
        if row["path"] == "loader":
            rows.append(
                (
                    name,
                    f"{row['median_s']:.2f} s = {row['ratio_to_best']:.2f}x best, "
                    f"{row['ratio']:.2f}x bound",
                    f"<= {LOADER_TARGET}x best",
                    verdict(row["ratio_to_best"] <= LOADER_TARGET),
                )
            )
            continue
        target = PATH_TARGET[row["transport"]]
        rows.append(
            (
                name,
                f"{row['median_s']:.2f} s = {row['ratio']:.2f}x bound",
                f"<= {target}x bound",
                verdict(row["ratio"] <= target),
            )
        )
    for row in path_runs["cpu"]:
        if row["path"] in ("client + parse + cache", "hnterm dump, whole process"):
            rows.append(
                (
                    f"0 CPU per item, {row['path']}, {row['transport']}",
                    f"{row['cpu_ms_per_item']:.3f} ms",
                    f"<= {CPU_TARGET_MS} ms",
                    verdict(row["cpu_ms_per_item"] <= CPU_TARGET_MS),
                )
            )
    return rows


def loads_section(loads: dict[str, Any]) -> tuple[list[str], list[Row]]:
    out = [
        "",
        "1. Thread load, full (stream_items + HNClient, 64 in flight, median of runs)",
        f"   {'thread':<10} {'comments':>8} {'depth':>5} {'time s':>7} {'bound s':>7} "
        f"{'ratio':>6} {'best s':>7} {'/best':>6} {'cpu ms/item':>11}",
    ]
    rows: list[Row] = []
    for row in loads["threads"]:
        out.append(
            f"   {row['thread']:<10} {row['comments']:>8} {row['depth']:>5} "
            f"{row['median_s']:>7.3f} {row['bound_s']:>7.3f} {row['ratio']:>6.2f} "
            f"{row['best_s']:>7.3f} {row['ratio_to_best']:>6.2f} {row['cpu_ms_per_item']:>11.3f}"
        )
        if row["thread"] == "generated":
            rows.append(
                (
                    "1 full load, generated thread",
                    f"{row['median_s']:.2f} s = {row['ratio_to_best']:.2f}x best, "
                    f"{row['ratio']:.2f}x bound",
                    f"<= {LOADER_TARGET}x best",
                    verdict(row["ratio_to_best"] <= LOADER_TARGET),
                )
            )
    return out, rows


def first_comments_rows(first: dict[str, Any]) -> list[Row]:
    target = first["target_ms"]
    runs = first["runs"]
    relayout = runs[-1]["relayout"]
    return [
        (
            "2 first comments on screen",
            f"{first['first_comment_ms']:.0f} ms",
            f"<= {target:.0f} ms (3 RTT + 100)",
            verdict(first["first_comment_ms"] <= target),
        ),
        (
            "  same load, whole thread in the app",
            f"{first['full_load_s']:.2f} s, {runs[-1]['batches']} batches",
            "",
            "-",
        ),
        (
            "  relayout per batch (CommentView)",
            f"median {relayout.get('median_ms', 0):.1f} ms, max "
            f"{relayout.get('max_ms', 0):.1f} ms, total {relayout.get('total_ms', 0):.0f} ms",
            "",
            "-",
        ),
    ]


def throughput_rows(through: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
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
    return rows


def cached_open_rows(cached: dict[str, Any]) -> list[Row]:
    return [
        (
            "4 cached open, Biden (2,170), offline",
            f"{cached['shown_ms']:.0f} ms (first layout {cached['first_layout_ms']:.0f},"
            f" every height measured {cached['all_measured_ms']:.0f})",
            f"<= {CACHED_OPEN_MS:.0f} ms (counts busy)",
            verdict(cached["shown_ms"] <= CACHED_OPEN_MS),
        )
    ]


def startup_rows(start: dict[str, Any], busy: bool) -> list[Row]:
    cold_ms = start["cold_painted_s"] * 1000
    return [
        (
            "5 startup to story list painted, cold",
            f"{cold_ms:.0f} ms (imports {start['imports_s'] * 1000:.0f})",
            f"<= {COLD_START_MS:.0f} ms idle",
            verdict(None if busy else cold_ms <= COLD_START_MS),
        ),
        (
            "5 startup to story list painted, warm",
            f"{start['warm_painted_s'] * 1000:.0f} ms",
            "",
            "-",
        ),
    ]


def key_row(label: str, stats: dict[str, Any], p99_only: bool) -> Row:
    """A key's to-frame median/p99 against the idle targets, or p99 alone (busy, loading)."""
    frame, work = stats["frame"], stats["work"]
    if p99_only:
        target = f"p99 < {KEY_P99_BUSY_MS:.0f}"
        ok = frame["p99_ms"] < KEY_P99_BUSY_MS
    else:
        target = f"median < {KEY_MEDIAN_MS:.0f}, p99 < {KEY_P99_MS:.0f}"
        ok = frame["median_ms"] < KEY_MEDIAN_MS and frame["p99_ms"] < KEY_P99_MS
    return (
        label,
        f"to frame {frame['median_ms']:.1f}/{frame['p99_ms']:.1f} ms, "
        f"work {work['median_ms']:.1f}/{work['p99_ms']:.1f}",
        target,
        verdict(ok),
    )


def navigation_rows(nav: dict[str, Any], busy: bool) -> list[Row]:
    rows: list[Row] = []
    for key in ("j", "k", "pagedown", "]", "collapse", "expand", "j_while_measuring"):
        if key not in nav:
            continue
        label = f"6 key {key}"
        if key in ("collapse", "expand"):
            label = f"6 {key} {nav['subtree']}-reply subtree"
        if key == "j_while_measuring":
            label = "6 key j, first 10 after opening"  # heights still being measured
        rows.append(key_row(label, nav[key], p99_only=busy))
    return rows


def loading_keys_rows(loading: dict[str, Any]) -> list[Row]:
    return [
        key_row(f"6 key {key} while the 3,000 comments load", loading[key], p99_only=True)
        for key in ("j", "pagedown")
        if key in loading
    ]


def rss_rows(data: dict[str, Any]) -> list[Row]:
    """The highest peak of the probes that had the 3,000-comment thread open."""
    peaks = [
        data.get("navigation", {}).get("peak_rss_mb_3000", 0),
        data.get("first_comments", {}).get("peak_rss_mb", 0),
        data.get("loading_keys", {}).get("peak_rss_mb", 0),
    ]
    rss = max(peaks)
    if not rss:
        return []
    return [
        (
            "7 peak RSS, 3,000-comment thread open",
            f"{rss:.0f} MB",
            f"< {PEAK_RSS_MB:.0f} MB",
            verdict(rss < PEAK_RSS_MB),
        )
    ]


SHORT_ORDERS = {
    "fifo": "fifo",
    "deepest first": "deepest",
    "depth + log2(1 + siblings)": "d+log",
    "hnterm (depth + 2 log2(1 + siblings))": "hnterm",
    schedule.ORACLE: "oracle",
}


def loader_section(loader: dict[str, Any]) -> tuple[list[str], list[Row]]:
    """The modelled fetch orders per thread (s and x bound), and the loader alone against
    the best of them."""
    out = [
        "",
        "Fetch orders in the model (each request exactly the delay, no CPU): s (x bound)",
        f"   {'thread':<10} {'bound s':>7} "
        + " ".join(f"{short:>13}" for short in SHORT_ORDERS.values()),
    ]
    for row in loader["schedules"]:
        cells = " ".join(
            f"{row[name]['seconds']:>6.2f} ({row[name]['ratio']:.2f}x)" for name in SHORT_ORDERS
        )
        out.append(f"   {row['thread']:<10} {row['bound_s']:>7.2f} {cells}")
    rows: list[Row] = []
    for row in loader["overhead"]:
        wait = row["arrival_to_batch_ms"]
        rows.append(
            (
                f"loader alone, {row['thread']}",
                f"{row['wall_s']:.2f} s = {row['ratio_to_best']:.2f}x best, "
                f"{row['ratio_to_bound']:.2f}x bound (model of its order "
                f"{row['modelled_s']:.2f}); batching wait mean {wait['mean']:.0f} ms",
                f"<= {LOADER_TARGET}x best",
                verdict(row["ratio_to_best"] <= LOADER_TARGET),
            )
        )
    return out, rows


def peers_section(found: dict[str, Any]) -> tuple[list[str], list[Row]]:
    if "missing" in found:
        return [], [("peers", found["missing"], "", "-")]
    if "lines" in found:
        return ["", "Peers on the same fake (benchmarks/peers.py)", *found["lines"]], []
    return [], error_row("peers", found)


def heading(results: dict[str, Any], delay: float) -> str:
    info = results["machine"]
    mode = "busy (one core kept busy by a CPU-bound process)" if results["busy"] else "idle"
    size = "quick" if results["quick"] else "full"
    return (
        f"hnterm benchmarks · {mode} · {info['nproc']} cores · {info['cpu']} · Python "
        f"{info['python']} · delay {delay * 1000:.0f} ms · {size}"
    )


def table(results: dict[str, Any], delay: float) -> str:
    data = results["benchmarks"]
    busy = bool(results["busy"])
    out = [heading(results, delay)]
    rows: list[Row] = []

    path_runs = data.get("paths", {})
    if "loads" in path_runs:
        from benchmarks import paths

        out.append("")
        out.extend(paths.table(path_runs))
        rows += path_rows(path_runs)
    rows += error_row("paths", path_runs)

    loads = data.get("loads", {})
    if "threads" in loads:
        lines, found = loads_section(loads)
        out += lines
        rows += found
    rows += error_row("thread loads", loads)

    first = data.get("first_comments", {})
    if "first_comment_ms" in first:
        rows += first_comments_rows(first)
    rows += error_row("2 first comments on screen", first)

    through = data.get("throughput", {})
    rows += throughput_rows(through) + error_row("throughput", through)

    cached = data.get("cached_open", {})
    if "shown_ms" in cached:
        rows += cached_open_rows(cached)
    rows += error_row("cached open", cached)

    start = data.get("startup", {})
    if "cold_painted_s" in start:
        rows += startup_rows(start, busy)
    rows += error_row("startup", start)

    nav = data.get("navigation", {})
    rows += navigation_rows(nav, busy) + error_row("navigation", nav)
    loading = data.get("loading_keys", {})
    rows += loading_keys_rows(loading) + error_row("keys while loading", loading)
    rows += rss_rows(data)

    loader = data.get("loader", {})
    if "overhead" in loader:
        lines, found = loader_section(loader)
        out += lines
        rows += found
    rows += error_row("loader", loader)

    if PEERS in data:
        lines, found = peers_section(data[PEERS])
        out += lines
        rows += found

    out += summary(rows)
    if nav.get("j") or loading.get("j"):
        out.append("")
        out.append(
            "keys: median/p99 ms; 'to frame' = key sent until the frame showing the change is "
            "drawn (includes Textual's frame timer, 240 fps), 'work' = handling + that frame's "
            "render."
        )
    hog = results.get("hog")
    if hog:
        out.append(
            f"busy: the CPU-bound process used {hog['cpu_s']:.0f} CPU s in {hog['wall_s']:.0f} s"
            f" ({hog['cpu_share']:.0%} of a core)"
        )
    return "\n".join(out)


def summary(rows: list[Row]) -> list[str]:
    """The rows, aligned: benchmark, result, target, met."""
    width = max((len(r[0]) for r in rows), default=10)
    value_width = max((len(r[1]) for r in rows), default=10)
    target_width = max((len(r[2]) for r in rows), default=10)
    out = [
        "",
        f"{'benchmark':<{width}}  {'result':<{value_width}}  {'target':<{target_width}}  met",
        "-" * (width + value_width + target_width + 9),
    ]
    for name, value, target, ok in rows:
        out.append(f"{name:<{width}}  {value:<{value_width}}  {target:<{target_width}}  {ok}")
    return out


def parse(argv: list[str] | None) -> tuple[argparse.Namespace, list[str]]:
    """The options, and the steps to run in order."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--delay", type=float, default=0.05, help="server delay per request (s)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and presses")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write results")
    parser.add_argument(
        "--only",
        default="",
        help=f"comma-separated subset of: {', '.join((*BENCHMARKS, PEERS))}",
    )
    parser.add_argument("--compare", action="store_true", help="also time other HTTP clients")
    parser.add_argument(
        "--busy", action="store_true", help="run beside a CPU-bound process (one core busy)"
    )
    parser.add_argument(
        "--peers", action="store_true", help="also run other readers (benchmarks/peers.py)"
    )
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(BENCHMARKS)
    unknown = set(chosen) - {*BENCHMARKS, PEERS}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    if args.peers and PEERS not in chosen:
        chosen.append(PEERS)
    return args, chosen


def run_steps(runner: Runner, chosen: list[str], results: dict[str, Any]) -> bool:
    """Each step in turn, its outcome (or its error) in ``results``; True if one failed."""
    failed = False
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
    return failed


def main(argv: list[str] | None = None) -> int:
    args, chosen = parse(argv)
    # An installed hnterm starts from bytecode (pip compiles at install); with
    # PYTHONDONTWRITEBYTECODE set, every probe would compile the edited source again.
    compileall.compile_dir(ROOT / "app", quiet=1)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "machine": machine(),
        "delay_s": args.delay,
        "quick": args.quick,
        "busy": args.busy,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "benchmarks": {},
    }
    beside: AbstractContextManager[dict[str, float]] = cpu_hog() if args.busy else nullcontext({})
    with (
        tempfile.TemporaryDirectory(prefix="hnterm-bench-") as workdir,
        fake_server(args.delay) as url,
        beside as hog,
    ):
        failed = run_steps(Runner(args, url, Path(workdir)), chosen, results)
    if args.busy:
        results["hog"] = hog  # filled in as the hog stopped: proof it ran, and how much
    results["total_s"] = round(time.perf_counter() - started, 2)
    text = table(results, args.delay)
    print(text)
    print(f"\n(total {results['total_s']:.0f} s; results in {args.json})")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
