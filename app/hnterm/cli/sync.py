"""``hnterm sync``: download the top stories of some lists, whole threads, for offline reading.

Progress goes to stderr: a line that updates in place on a terminal, one plain line per
finished thread otherwise. The summary (stdout) says what was fetched, skipped and failed, and
why. Ctrl-C stops at once with the summary so far; running it again resumes (threads already
saved are skipped, an interrupted one is done first). Exit status: 0 when nothing failed, 1
when something did, 2 for a bad command line or ``--offline``, 130 after Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TextIO

from hnterm.cli.common import command_cache, say
from hnterm.config import Config
from hnterm.model.format import plural
from hnterm.net.client import STORY_LISTS, HNClient
from hnterm.render.text import sanitize
from hnterm.services.source import Source
from hnterm.services.sync import (
    DEFAULT_TOP,
    FAILED,
    FETCHED,
    PARALLEL,
    PER_THREAD,
    SKIPPED,
    Progress,
    SyncReport,
    sync,
)

ALIASES = {"jobs": "job", "asks": "ask", "shows": "show"}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Download the top stories of some lists with their whole threads and keep them "
        "(the Saved list), for reading with hnterm --offline. Threads saved and still fresh "
        "are skipped, so running it again after Ctrl-C or a lost network resumes."
    )
    parser.add_argument(
        "--top", type=_count, default=DEFAULT_TOP, metavar="N", help="stories per list (30)"
    )
    parser.add_argument(
        "--lists",
        type=_lists,
        default=("top",),
        metavar="LIST,...",
        help=f"which lists: {','.join(STORY_LISTS)} (default top)",
    )
    parser.add_argument(
        "--parallel",
        type=_count,
        default=PARALLEL,
        metavar="N",
        help=f"threads downloading at once (default {PARALLEL}, at most 4)",
    )
    parser.add_argument(
        "--articles",
        action="store_true",
        help="also read each story's linked page and keep it (A in the app, offline too)",
    )


def run(args: argparse.Namespace, config: Config) -> int:
    if config.offline:
        print("hnterm sync: needs the network (drop --offline)", file=sys.stderr)
        return 2
    report = SyncReport()
    show = ProgressLine(sys.stderr)
    try:
        asyncio.run(_run(config, args, report, show))
    except KeyboardInterrupt:
        show.finish()
        say(summary(report, interrupted=True))
        return 130
    show.finish()
    say(summary(report))
    return 1 if report.of(FAILED) or report.list_errors else 0


async def _run(
    config: Config, args: argparse.Namespace, report: SyncReport, show: ProgressLine
) -> None:
    client = HNClient(config.api_url, deadline=config.deadline)
    async with command_cache(config, "sync") as worker:
        try:
            await sync(
                Source(client, worker, concurrency=PER_THREAD),
                report,
                lists=args.lists,
                top=args.top,
                parallel=min(args.parallel, 4),
                on_progress=show,
                articles=args.articles,
            )
        finally:
            await client.aclose()


class ProgressLine:
    """Progress on stderr: rewritten in place on a terminal, a line per thread elsewhere."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.done = 0
        self.dirty = False

    def __call__(self, progress: Progress) -> None:
        result = progress.result
        if result is None:
            if self.live:
                self._write(
                    f"\r\033[K[{self.done}/{progress.total} done] "
                    f"{progress.root}: {progress.items} items…"
                )
                self.dirty = True
            return
        self.done += 1
        self._write(("\r\033[K" if self.live else "") + f"{thread_line(self.done, progress)}\n")
        self.dirty = False

    def finish(self) -> None:
        if self.live and self.dirty:
            self._write("\r\033[K")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def thread_line(done: int, progress: Progress) -> str:
    """'[3/30] fetched 43727727 IBM orders…: 352 items in 1.2 s'."""
    result = progress.result
    assert result is not None
    title = _title(result.title)
    head = f"[{done}/{progress.total}] {result.outcome} {result.root}{title}"
    if result.outcome == FETCHED:
        return f"{head}: {plural(result.items, 'item')} in {result.seconds:.1f} s"
    return f"{head}: {sanitize(str(result.reason))}"


def summary(report: SyncReport, *, interrupted: bool = False) -> str:
    fetched, skipped, failed = report.of(FETCHED), report.of(SKIPPED), report.of(FAILED)
    items = sum(result.items for result in fetched)
    lines = [
        f"synced {len(report.results)} of {plural(len(report.planned), 'thread')}: "
        f"{len(fetched)} fetched ({plural(items, 'item')}), {len(skipped)} skipped (fresh), "
        f"{len(failed)} failed"
    ]
    if report.resumed:
        lines.append(f"resumed {plural(report.resumed, 'save')} an earlier run left unfinished")
    lines += [f"  list {error}" for error in report.list_errors]
    lines += [f"  failed {r.root}{_title(r.title)}: {r.reason}" for r in failed]
    lines += _article_lines(report)
    if interrupted:
        left = len(report.planned) - len(report.results)
        lines.append(f"interrupted: {plural(left, 'thread')} left; run it again to resume")
    lines.append("read them with: hnterm --offline (7: the Saved list)")
    return "\n".join(lines)


def _article_lines(report: SyncReport) -> list[str]:
    """With --articles: how many were read, and why each other one was not."""
    if not report.articles:
        return []
    tried = [r for r in report.results if r.outcome != FAILED]
    read = [r for r in tried if r.article is None]
    missed = [r for r in tried if r.article is not None]
    lines = [f"articles: {len(read)} read, {len(missed)} not"]
    lines += [f"  article {r.root}{_title(r.title)}: {sanitize(r.article or '')}" for r in missed]
    return lines


def _title(title: str | None) -> str:
    if not title:
        return ""
    text = " ".join(sanitize(title).split())
    return f" {text[:60]}{'…' if len(text) > 60 else ''}"


def _count(value: str) -> int:
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 500:
        raise argparse.ArgumentTypeError(f"not a number from 1 to 500: {value!r}")
    return int(value)


def _lists(value: str) -> tuple[str, ...]:
    names = [ALIASES.get(name.strip().lower(), name.strip().lower()) for name in value.split(",")]
    unknown = [name for name in names if name not in STORY_LISTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown list {', '.join(map(repr, unknown))}; known: {','.join(STORY_LISTS)}"
        )
    return tuple(dict.fromkeys(names))
