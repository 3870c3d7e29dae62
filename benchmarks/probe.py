"""App-side benchmarks, each run in a fresh process by benchmarks/run.py.

``python -m benchmarks.probe SCENARIO 'JSON ARGS'`` drives the real ``HNApp`` headless
(``run_test``) and prints its results as one JSON object on the last line of stdout.

What "on screen" means here: Textual renders a frame when its screen-update timer fires (240
fps, as the app sets ``TEXTUAL_FPS``); the headless driver then skips turning the frame into
terminal output, so the hook below does that step itself (``render_segments``, the bytes a
terminal would get) and marks the frame's end. Keys are delivered like real input:
``driver.send_message`` from outside the app's message queue, with no test-harness sleeps
(``pilot.press`` waits for CPU idleness in 20 ms steps, which would swamp what is measured).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SIZE = (140, 45)
DEADLINE = 60.0  # no single wait in a probe may take longer

_T0 = float(os.environ.get("HNTERM_BENCH_T0", "0") or 0)  # time.time() when spawned

from hnterm.config import Config  # noqa: E402
from hnterm.ui.app import HNApp  # noqa: E402
from hnterm.ui.screens.main import MainScreen  # noqa: E402
from hnterm.ui.widgets.comment_view import CommentView  # noqa: E402
from hnterm.ui.widgets.story_list import StoryList  # noqa: E402
from textual import events  # noqa: E402  (imports are part of what startup measures)

_IMPORTED = time.time()


@dataclass
class Frame:
    start: float  # the compositor began rendering
    render: float  # seconds to render the widgets' lines of the dirty regions
    output: float  # seconds to turn the update into terminal bytes
    end: float
    state: object  # what ``Frames.probe`` said when the render began


class Collections:
    """Times the garbage collector's passes (a full one over a big thread can stall a frame)."""

    def __init__(self) -> None:
        self.passes: list[tuple[int, float]] = []  # (generation, seconds)
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.passes.append((info["generation"], time.perf_counter() - self._started))

    def summary(self, since: int = 0) -> dict[str, Any]:
        passes = self.passes[since:]
        full = [seconds for generation, seconds in passes if generation == 2]
        return {
            "passes": len(passes),
            "full_passes": len(full),
            "full_max_ms": round(1000 * max(full, default=0.0), 2),
            "all_total_ms": round(1000 * sum(seconds for _, seconds in passes), 2),
        }


class Frames:
    """Records every frame the app puts on screen, what it cost, and what it showed."""

    def __init__(self, app: HNApp) -> None:
        self.app = app
        self.records: list[Frame] = []
        self.probe: Callable[[], object] = lambda: None
        self._pending: tuple[float, float, object] | None = None
        self._display = app._display
        app._display = self._on_display  # type: ignore[method-assign]
        self._hooked: object | None = None

    def hook_screen(self) -> None:
        """Time the compositor of the current screen (call once it is mounted)."""
        compositor = self.app.screen._compositor
        if self._hooked is compositor:
            return
        self._hooked = compositor
        render_update = compositor.render_update

        def timed(*args: Any, **kwargs: Any) -> Any:
            state = self.probe()
            started = time.perf_counter()
            try:
                return render_update(*args, **kwargs)
            finally:
                self._pending = (started, time.perf_counter() - started, state)

        compositor.render_update = timed  # type: ignore[method-assign]

    def _on_display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None and not self.app._batch_count:
            started = time.perf_counter()
            if hasattr(renderable, "render_segments"):
                renderable.render_segments(self.app.console)
            end = time.perf_counter()
            begun, render, state = self._pending or (started, 0.0, self.probe())
            self.records.append(Frame(begun, render, end - started, end, state))
        self._pending = None
        self._display(screen, renderable)

    async def first(self, after: int, test: Callable[[Frame], bool], what: str) -> Frame:
        """The first frame numbered ``after`` or later that passes ``test`` (waits for it)."""
        found: list[Frame] = []

        def seen() -> bool:
            found[:] = [f for f in self.records[after:] if test(f)][:1]
            return bool(found)

        await wait_until(seen, what)
        return found[0]


# How often a probe looks at the app while waiting. Not every loop turn: a probe spinning on
# the event loop keeps the GIL from the app's cache and network threads (a 20 ms cache read
# took 140 ms beside a spinning probe), which no real reader does. Frames are timed by hooks,
# not by polling, so only "handled" times lose up to this much precision.
POLL_S = 0.001


async def wait_until(condition: Callable[[], bool], what: str, limit: float = DEADLINE) -> None:
    """Let the app run until ``condition`` holds (checked every ``POLL_S``)."""
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"gave up waiting for {what} after {limit:.0f} s")
        await asyncio.sleep(POLL_S)


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MiB.

    Linux's ``ru_maxrss`` is not used: it carries over the parent's resident size at the
    fork/exec that started this process (a benchmark runner that has grown to 100 MB makes
    every probe report 100 MB). ``VmHWM`` is the high-water mark of this process's own memory.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def make_app(args: dict[str, Any], *, offline: bool = False) -> HNApp:
    config = Config(
        api_url=args.get("url") or "http://127.0.0.1:9/v0/",
        cache_dir=Path(args["cache"]),
        offline=offline or bool(args.get("offline")),
    )
    return HNApp(config)


def main_parts(app: HNApp) -> tuple[MainScreen, StoryList, CommentView]:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen, screen.query_one(StoryList), screen.query_one(CommentView)


def thread_ready(screen: MainScreen, view: CommentView, root: int) -> bool:
    """The load is over and every row of the thread is laid out at the current width."""
    thread = view.thread
    return (
        thread is not None
        and thread.root_id == root
        and not screen.thread_loading
        and view.comment_layout.version == thread.version
        and len(view.comment_layout.rows) > 1
        and view.virtual_size.height > 0
        and view.comment_layout.width == view.scrollable_content_region.width
    )


async def shown_in_full(screen: MainScreen, view: CommentView, frames: Frames, root: int) -> Frame:
    """Wait until the whole thread is laid out and a frame drawn after that still finds it
    so (a frame can re-lay it out, e.g. when the scrollbar's arrival narrows the view)."""
    while True:
        await wait_until(lambda: thread_ready(screen, view, root), f"thread {root}")
        frame = await frames.first(0, begun_after(time.perf_counter()), "a frame")
        if thread_ready(screen, view, root):
            return frame


def begun_after(moment: float) -> Callable[[Frame], bool]:
    """A test for frames whose render began at ``moment`` or later."""
    return lambda frame: frame.start >= moment


# -- scenarios -----------------------------------------------------------------------------


async def startup(args: dict[str, Any]) -> dict[str, Any]:
    """Process start to the story list painted (``HNTERM_BENCH_T0`` is the spawn time)."""
    app = make_app(args)
    frames = Frames(app)
    async with app.run_test(size=SIZE):
        _, stories, _ = main_parts(app)
        await wait_until(lambda: stories.option_count > 0, "the story list")
        listed = time.time()
        since = time.perf_counter()
        frame = await frames.first(0, lambda f: f.end >= since, "the list to be painted")
        painted = listed + frame.end - since
        return {
            "imports_s": round(_IMPORTED - _T0, 4),
            "listed_s": round(listed - _T0, 4),
            "painted_s": round(painted - _T0, 4),
            "stories": stories.option_count,
            "peak_rss_mb": peak_rss_mb(),
        }


async def first_comments(args: dict[str, Any]) -> dict[str, Any]:
    """Open the generated thread by id after the list has loaded (cold cache, network) and
    time the first frame that shows a comment, then the whole load."""
    root = int(args["root"])
    app = make_app(args)
    frames = Frames(app)
    async with app.run_test(size=SIZE):
        screen, stories, view = main_parts(app)
        await wait_until(lambda: stories.option_count > 0, "the story list")
        await app.workers.wait_for_complete()
        frames.hook_screen()
        relayouts = _time_calls(view.comment_layout, "relayout")
        feeds = _time_calls(view, "thread_changed")
        comment_drawn: list[float] = []
        render_line = view.render_line

        def watched_render_line(y: int) -> Any:
            strip = render_line(y)
            layout = view.comment_layout
            below_story = len(layout.rows) > 1 and layout.row_at(round(view.scroll_y) + y) >= 1
            if not comment_drawn and below_story:
                comment_drawn.append(time.perf_counter())
            return strip

        view.render_line = watched_render_line  # type: ignore[method-assign]
        count = len(frames.records)
        started = time.perf_counter()
        screen.open_item(root)
        await wait_until(lambda: bool(comment_drawn), "a comment to be drawn")
        frame = await frames.first(count, lambda f: f.end >= comment_drawn[0], "its frame")
        shown = frame.end
        await shown_in_full(screen, view, frames, root)
        loaded = time.perf_counter()
        assert view.thread is not None
        return {
            "first_comment_ms": round(1000 * (shown - started), 2),
            "full_load_s": round(loaded - started, 4),
            "comments": len(view.thread),
            "batches": len(feeds),
            "relayout": _stats_ms(relayouts),
            "thread_changed": _stats_ms(feeds),
            "peak_rss_mb": peak_rss_mb(),
        }


async def cached_open(args: dict[str, Any]) -> dict[str, Any]:
    """Open a thread from a warm cache in offline mode, once the app is up and its story list
    painted, until every row is laid out and the frame showing it is drawn."""
    root = int(args["root"])
    app = make_app(args, offline=True)
    frames = Frames(app)
    async with app.run_test(size=SIZE):
        screen, stories, view = main_parts(app)
        # As a reader would: the app is up and its story list painted before Enter.
        await wait_until(lambda: stories.option_count > 0, "the story list")
        await app.workers.wait_for_complete()
        frames.hook_screen()
        await settle(frames)
        relayouts = _time_calls(view.comment_layout, "relayout")
        started = time.perf_counter()
        screen.open_item(root)
        await wait_until(lambda: thread_ready(screen, view, root), "the thread")
        first_layout = time.perf_counter()
        frame = await shown_in_full(screen, view, frames, root)
        shown = frame.end
        await wait_until(lambda: view.comment_layout.exact, "every height measured")
        measured = time.perf_counter()
        assert view.thread is not None
        return {
            "first_layout_ms": round(1000 * (first_layout - started), 2),
            "shown_ms": round(1000 * (shown - started), 2),
            "all_measured_ms": round(1000 * (measured - started), 2),
            "comments": len(view.thread),
            "relayout": _stats_ms(relayouts),
            "peak_rss_mb": peak_rss_mb(),
        }


# Keys go 1/30 s apart, a typical key-repeat rate. (Faster than one per frame, each key would
# also wait for Textual's next frame slot, which is pacing, not work.)
KEY_GAP = 1 / 30

KEYS = {
    "j": ("j", "j"),
    "k": ("k", "k"),
    "pagedown": ("pagedown", None),
    "]": ("right_square_bracket", "]"),
    "space": ("space", " "),
}


async def navigate(args: dict[str, Any]) -> dict[str, Any]:
    """Key latencies in the 3,000-comment thread, then collapsing/expanding a huge subthread.

    Per key: ``handled`` = key sent until the view's state changed (the action ran);
    ``frame`` = key sent until the next frame with that change was drawn (includes waiting for
    Textual's update timer, 0-4.2 ms at the app's 240 fps); ``work`` = handled + that frame's
    rendering and terminal output, the CPU the app spent for the key.
    """
    root, hot_root, hot_id = int(args["root"]), int(args["hot_root"]), int(args["hot_id"])
    presses = int(args["presses"])
    app = make_app(args, offline=True)
    frames = Frames(app)
    collections = Collections()
    results: dict[str, Any] = {}
    async with app.run_test(size=SIZE):
        screen, _, view = main_parts(app)
        await app.workers.wait_for_complete()
        frames.hook_screen()
        screen.open_item(root)
        view.focus()  # as Enter on the story list does
        await shown_in_full(screen, view, frames, root)
        # Keys pressed at once, while the pane still measures rows' heights between frames
        # (estimates until then), then keys once every height is measured.
        since = len(collections.passes)
        early = [await _press(app, view, frames, "j") for _ in range(10)]
        results["j_while_measuring"] = latency_summary(early)
        results["j_while_measuring"]["gc"] = collections.summary(since)
        await wait_until(lambda: view.comment_layout.exact, "every height measured")
        await settle(frames)
        plan = [("j", presses), ("k", presses), ("pagedown", presses // 2), ("]", presses // 2)]
        for key, count in plan:
            if key == "]":
                view.move_to(root)
                await settle(frames)
            since = len(collections.passes)
            samples = [await _press(app, view, frames, key) for _ in range(count)]
            results[key] = latency_summary(samples)
            results[key]["gc"] = collections.summary(since)
        results["peak_rss_mb_3000"] = peak_rss_mb()

        screen.open_item(hot_root)
        await shown_in_full(screen, view, frames, hot_root)
        await wait_until(lambda: view.comment_layout.exact, "every height measured")
        assert view.thread is not None
        view.move_to(hot_id)
        await settle(frames)
        collapse, expand = [], []
        since = len(collections.passes)
        for _ in range(max(3, presses // 20)):
            collapse.append(await _press(app, view, frames, "space"))
            expand.append(await _press(app, view, frames, "space"))
        results["collapse"] = latency_summary(collapse)
        results["expand"] = latency_summary(expand)
        results["collapse"]["gc"] = results["expand"]["gc"] = collections.summary(since)
        results["subtree"] = view.thread.subtree_size(hot_id)
        results["hot_thread_comments"] = len(view.thread)
        results["peak_rss_mb"] = peak_rss_mb()
    return results


async def keys_while_loading(args: dict[str, Any]) -> dict[str, Any]:
    """Hold a key (``j`` or ``pagedown``) while a thread loads from the network (a cold
    cache): from its first comment on screen until its last batch is in, one press per
    ``KEY_GAP`` as a key repeat sends them, each timed to the frame showing it.

    A batch re-lays the pane out under the reader (rows arrive above and below the cursor,
    the view is re-anchored on its top row), so a press counts as shown by a frame whose
    cursor or top row (and the line in it) differs: what the key changes and a batch keeps.
    Only presses sent while the load still runs are kept. Near the end of the rows laid out
    so far, the cursor goes back to the story, as a reader would start again.
    """
    root, key = int(args["root"]), str(args["key"])
    app = make_app(args)
    frames = Frames(app)
    collections = Collections()
    async with app.run_test(size=SIZE):
        screen, stories, view = main_parts(app)
        await wait_until(lambda: stories.option_count > 0, "the story list")
        await app.workers.wait_for_complete()
        frames.hook_screen()

        def place() -> object:
            return (view.cursor, view.comment_layout.anchor(round(view.scroll_y)))

        started = time.perf_counter()
        screen.open_item(root)
        view.focus()  # as Enter on the story list does
        await wait_until(lambda: len(view.comment_layout.rows) > 1, "a comment")
        await settle(frames)
        first_shown = time.perf_counter()
        since = len(collections.passes)
        samples: list[dict[str, float]] = []
        restarts = 0
        while screen.thread_loading:
            if _near_the_end(view):
                if view.cursor != root:  # else too few rows yet: wait for the next batch
                    view.move_to(root)
                    restarts += 1
                await settle(frames)
                continue
            sample = await _press(app, view, frames, key, state=place)
            if sample["sent_while_loading"]:
                samples.append(sample)
        loaded = time.perf_counter()
        if not samples:
            raise RuntimeError("the thread loaded before a key could be pressed")
        result = latency_summary(samples)
        result["gc"] = collections.summary(since)
        return {
            "key": key,
            "samples": samples,
            "summary": result,
            "restarts": restarts,
            "first_comment_s": round(first_shown - started, 4),
            "load_s": round(loaded - started, 4),
            "comments": len(view.thread) if view.thread is not None else 0,
            "peak_rss_mb": peak_rss_mb(),
        }


def _near_the_end(view: CommentView) -> bool:
    """The cursor is within two screens of the last row laid out so far."""
    layout, cursor = view.comment_layout, view.cursor
    if cursor is None or cursor not in layout:
        return False
    return layout.top(cursor) + 2 * view.scrollable_content_region.height >= layout.total


async def settle(frames: Frames) -> None:
    """Let the app draw whatever is pending (a frame after now). The screen is asked for a
    repaint, so a frame comes even when nothing is pending (once the app has drawn
    everything, it draws no frame at all: a busy machine got there first and this waited
    out its deadline)."""
    now = time.perf_counter()
    frames.app.screen.refresh()
    await frames.first(0, lambda f: f.end >= now, "a frame")


async def _press(
    app: HNApp,
    view: CommentView,
    frames: Frames,
    key: str,
    state: Callable[[], object] | None = None,
) -> dict[str, float]:
    """Send one key as real input; time it until the view's ``state`` changed and until the
    first frame showing that. The default state: cursor, rows laid out and scroll offset."""
    name, char = KEYS[key]
    screen = app.screen

    def rows_and_scroll() -> object:
        return (view.cursor, len(view.comment_layout.rows), round(view.scroll_y))

    state = state or rows_and_scroll
    await asyncio.sleep(KEY_GAP)
    loading = isinstance(screen, MainScreen) and screen.thread_loading
    before = state()
    frames.probe = state
    count = len(frames.records)
    started = time.perf_counter()
    assert app._driver is not None
    app._driver.send_message(events.Key(name, char))
    changed_at: list[float] = []

    def shown() -> bool:
        if not changed_at and state() != before:
            changed_at.append(time.perf_counter())
        return any(f.state != before for f in frames.records[count:])

    await wait_until(shown, f"key {key} on screen")
    frame = next(f for f in frames.records[count:] if f.state != before)
    handled = min([frame.start, *changed_at])
    frames.probe = lambda: None
    return {
        "handled": handled - started,
        "frame": frame.end - started,
        "work": handled - started + frame.render + frame.output,
        "sent_while_loading": float(loading),
    }


def latency_summary(samples: list[dict[str, float]]) -> dict[str, Any]:
    out: dict[str, Any] = {"presses": len(samples)}
    for measure in ("handled", "work", "frame"):
        values = sorted(sample[measure] * 1000 for sample in samples)
        out[measure] = {
            "median_ms": round(statistics.median(values), 3),
            "p99_ms": round(values[min(len(values) - 1, int(0.99 * len(values)))], 3),
            "max_ms": round(values[-1], 3),
        }
    # Which presses were slowest (0 = first): slow first presses point at work left over
    # from opening the thread, scattered ones at the garbage collector or the machine.
    by_frame = sorted(range(len(samples)), key=lambda n: samples[n]["frame"], reverse=True)
    out["slowest_presses"] = by_frame[:3]
    return out


def _time_calls(obj: Any, name: str) -> list[float]:
    """Wrap ``obj.name`` so each call's duration is recorded in the returned list."""
    durations: list[float] = []
    original = getattr(obj, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            durations.append(time.perf_counter() - started)

    setattr(obj, name, timed)
    return durations


def _stats_ms(durations: list[float]) -> dict[str, Any]:
    if not durations:
        return {"calls": 0}
    values = sorted(d * 1000 for d in durations)
    return {
        "calls": len(values),
        "total_ms": round(sum(values), 2),
        "median_ms": round(statistics.median(values), 3),
        "max_ms": round(values[-1], 3),
    }


SCENARIOS = {
    "startup": startup,
    "first_comments": first_comments,
    "cached_open": cached_open,
    "navigate": navigate,
    "keys_while_loading": keys_while_loading,
}


def main(argv: list[str]) -> int:
    scenario, args = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    result = asyncio.run(asyncio.wait_for(SCENARIOS[scenario](args), timeout=4 * DEADLINE))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
