"""``hnterm hiring [QUERY]``: the latest "Ask HN: Who is hiring?" thread, narrowed to QUERY.

The thread is found by its author, ``whoishiring`` (``hnterm.services.hiring``), loaded whole
(every top-level post, however many) and opened in the reader narrowed to the posts QUERY
matches (the search grammar: words, "phrases", word*, -word, by:name). ``--print`` writes
the matching posts as plain text instead, for a pipe; posts new since the last visit are
marked ``[new]`` in both, and each visit is remembered, so next month's reading shows only
what is new.

Exit status: 0 when the thread was read whole; 3 when posts are missing (shown anyway, said on
stderr); 1 when no thread was found or nothing could be read; 2 for a bad command line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from contextlib import aclosing
from dataclasses import dataclass

from hnterm.cli.common import command_cache, say
from hnterm.cli.dump import PARTIAL
from hnterm.config import Config
from hnterm.model.format import item_url, plural
from hnterm.model.narrow import EmptyQuery, Narrowing
from hnterm.model.thread import Thread
from hnterm.net.algolia import SearchClient
from hnterm.net.client import HNClient
from hnterm.services.hiring import HiringError, HiringThread, find_thread, last_seen, parse_month
from hnterm.services.narrowing import narrow_thread, plain_text
from hnterm.services.source import Source
from hnterm.storage.cache import Cache


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        'Open the latest "Ask HN: Who is hiring?" thread (by whoishiring) narrowed to the '
        "top-level posts QUERY matches; posts new since your last visit are marked."
    )
    parser.epilog = (
        "examples: hnterm hiring 'remote python -onsite' (quote a query with a -word, or put "
        "-- before it)  ·  hnterm hiring '\"New York\"' --print"
    )
    parser.add_argument(
        "query",
        nargs="*",
        metavar="QUERY",
        help='words, "phrases", word*, -word, by:name (none: every post)',
    )
    parser.add_argument("--month", type=_month, metavar="YYYY-MM", help="that month's thread")
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--hired",
        dest="kind",
        action="store_const",
        const="hired",
        default="hiring",
        help='the "Who wants to be hired?" thread instead',
    )
    which.add_argument(
        "--freelancer",
        dest="kind",
        action="store_const",
        const="freelancer",
        help='the "Freelancer? Seeking freelancer?" thread instead',
    )
    parser.add_argument(
        "--print",
        dest="print_posts",
        action="store_true",
        help="write the matching posts as plain text instead of opening the reader",
    )


def _month(value: str) -> str:
    try:
        return parse_month(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


@dataclass
class Reading:
    """A thread found and read whole, and what the query keeps of it."""

    found: HiringThread
    thread: Thread
    narrowing: Narrowing | None  # None: no query, every post
    warning: str | None


def run(args: argparse.Namespace, config: Config) -> int:
    query = " ".join(args.query)
    try:
        reading = asyncio.run(read(config, args.kind, args.month, query, keep=args.print_posts))
    except HiringError as exc:
        say(f"hnterm hiring: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    if reading.found.note:
        say(f"hnterm hiring: {reading.found.note}", file=sys.stderr)
    if args.print_posts:
        print_posts(reading)
    else:
        open_narrowed(config, reading.found.story, query)
    missing = reading.thread.missing_kids()
    if missing:
        reason = f" ({reading.warning})" if reading.warning else ""
        count = plural(len(missing), "post or reply", "posts or replies")
        say(
            f"hnterm hiring: incomplete: {count} not loaded{reason}",
            file=sys.stderr,
        )
        return PARTIAL
    return 0


async def read(config: Config, kind: str, month: str | None, query: str, *, keep: bool) -> Reading:
    """Find the thread, load it whole and narrow it; with ``keep``, remember this visit."""
    client = None if config.offline else HNClient(config.api_url, deadline=config.deadline)
    search = None if config.offline else SearchClient(config.search_url, deadline=config.deadline)
    try:
        async with command_cache(config, "hiring") as worker:
            found = await find_thread(search, client, worker, kind, month)
            thread, warning = await _load(Source(client, worker), found.story, config.offline)
            thread.seen = await last_seen(worker, found.story)
            narrowing = _narrow(thread, query)
            if keep:
                count = thread.root.descendants if thread.root is not None else None
                seen = thread.order()
                await worker.run(Cache.mark_story_read, found.story, count or len(thread), seen)
    finally:
        for closing in (client, search):
            if closing is not None:
                await closing.aclose()
    return Reading(found, thread, narrowing, warning)


async def _load(source: Source, story: int, offline: bool) -> tuple[Thread, str | None]:
    """The whole thread; online always from the network, as posts arrive all month (a
    copy cached an hour ago would count as fresh and hide the newest)."""
    thread = Thread(story)
    warning = None
    async with aclosing(source.thread(story, force=not offline)) as updates:
        async for update in updates:
            thread.add(update.items)
            warning = update.error
    if thread.root is None:
        raise HiringError(f"cannot read the thread {story}: {warning or 'HN has no such item'}")
    return thread, warning


def _narrow(thread: Thread, query: str) -> Narrowing | None:
    if not query.strip():
        return None
    try:
        return narrow_thread(thread, query)
    except EmptyQuery as exc:
        raise HiringError(str(exc)) from None


def print_posts(reading: Reading) -> None:
    """Each kept post as plain text (author, link, [new]), then on stderr how many."""
    thread = reading.thread
    tops = thread.children(thread.root_id)
    posts = [
        thread.items[post]
        for post in (reading.narrowing.kept if reading.narrowing else tops)
        if not thread.items[post].deleted and not thread.items[post].dead
    ]
    for item in posts:
        mark = " [new]" if thread.is_new(item.id) else ""
        say(f"── {item.by or '[deleted]'} · {item_url(item.id)}{mark}")
        say(plain_text(item))
        say()
    new = sum(1 for item in posts if thread.is_new(item.id))
    since = f" · {new} new since your last visit" if thread.seen is not None else ""
    shown = f"{len(posts)} of {len(tops)} shown"  # as the narrowing counts them
    say(f"hnterm hiring: {reading.found.title}: {shown}{since}", file=sys.stderr)


def open_narrowed(config: Config, story: int, query: str) -> None:
    """The reader on the thread, narrowed to ``query`` once it is loaded."""
    from hnterm.ui.hiring_app import HiringApp, HiringStart  # Textual loads only when run

    HiringApp(config, HiringStart(story, query or None)).run()
