"""``hnterm search --online QUERY``: search all of HN (Algolia), not just the cache.

Prints hits as the cache search does (two lines each). When the search API cannot be used
(``--offline``, unreachable, an error) the local cache is searched instead, and a note on
stderr says so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import time
from dataclasses import asdict

from hnterm.cli.common import HEADER, command_cache, format_hit, parse_duration, say
from hnterm.config import SEARCH_ENV, Config
from hnterm.net.algolia import KINDS, OnlineQuery, SearchClient, parse_search
from hnterm.services.online_search import SearchResult, search_everywhere

ONLINE_SYNTAX = f"""\
--online: all of HN through its search API (hn.algolia.com; {SEARCH_ENV} or --search-url
changes it). In the query, by:NAME, type:story|comment and points:N are filters; offline or
when the API fails, the local cache is searched instead (and stderr says so)."""


def configure(parser: argparse.ArgumentParser) -> None:
    """The ``--online`` options of ``hnterm search``."""
    group = parser.add_argument_group("all of HN (--online)")
    group.add_argument("--online", action="store_true", help="search all of HN, not the cache")
    group.add_argument("--type", choices=KINDS, dest="kind", help="only stories or comments")
    group.add_argument("--points", type=int, metavar="N", help="only items with N+ points")
    group.add_argument(
        "--since", type=_duration, metavar="AGE", help="only items newer than AGE (7d)"
    )
    group.add_argument("--by-date", action="store_true", help="newest first, not best match")
    group.add_argument("--page", type=int, default=0, metavar="N", help="page N (0: first)")


def run(args: argparse.Namespace, config: Config, query_text: str) -> int:
    query = parse_search(
        query_text,
        by_date=args.by_date,
        page=max(0, args.page),
        per_page=args.limit,
    )
    if args.kind:
        query = OnlineQuery(**{**asdict(query), "kind": args.kind})
    if args.points is not None:
        query = OnlineQuery(**{**asdict(query), "min_points": max(0, args.points)})
    if args.since is not None:
        query = OnlineQuery(**{**asdict(query), "since": int(time.time() - args.since)})
    if query.empty:
        print(f"hnterm search: nothing to search for in {query_text!r}", file=sys.stderr)
        return 2
    try:  # the URL is checked with the config: --search-url, the environment or the file
        result = asyncio.run(_search(config, config.search_url, query))
    except KeyboardInterrupt:
        return 130
    if result.note:
        say(f"hnterm search: {result.note}", file=sys.stderr)
    _print(result, as_json=args.json)
    return 0


async def _search(config: Config, url: str, query: OnlineQuery) -> SearchResult:
    client = None if config.offline else SearchClient(url, deadline=config.deadline)
    async with command_cache(config, "search") as worker:
        try:
            return await search_everywhere(client, worker, query)
        finally:
            if client is not None:
                await client.aclose()


def _print(result: SearchResult, *, as_json: bool) -> None:

    if as_json:
        print(json.dumps([asdict(hit) for hit in result.hits], ensure_ascii=False))
        return
    if not result.hits:
        print("no matches")
        return
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    now = time.time()
    print(HEADER)
    for hit in result.hits:
        print(format_hit(hit, now, width))
    if result.online and result.total > len(result.hits):
        print(f"({len(result.hits)} of {result.total:,} matches; --page for more)")


def _duration(value: str) -> float:
    """Seconds from '7d', '12h'... as ``hnterm cache prune`` reads them (imported here:
    ``commands.cache`` imports ``commands.search``, which imports this module)."""
    return parse_duration(value)
