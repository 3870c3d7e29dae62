"""``hnterm search QUERY``: full-text search of everything in the cache, without the TUI.

Reads the cache only (never the network), so it works offline and is as quick as SQLite.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

from hnterm.cli import search_online
from hnterm.cli.common import HEADER, format_hit, report_problem
from hnterm.config import Config
from hnterm.model.format import plural
from hnterm.model.query import parse_query
from hnterm.storage.cache import DB_NAME, Cache, SearchHit

SYNTAX = """\
query syntax:
  words          every word must appear (title, text or author); case and accents ignored
  "a phrase"     the words in this order
  word*          words starting with 'word'
  -word          leave out items with this word
  by:NAME        only items by NAME (also author:NAME); several mean any of them

The arguments are one query, read as / in the app reads it: hnterm search 'rto by:pg' is
hnterm search rto by:pg. A phrase is quoted inside the shell's quotes:
hnterm search '"return to office"' by:pg"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Full-text search of every story and comment in the local cache."
    parser.epilog = f"{SYNTAX}\n\n{search_online.ONLINE_SYNTAX}"
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("query", nargs="+", metavar="QUERY", help="what to look for")
    parser.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="show at most N hits (20)"
    )
    parser.add_argument("--json", action="store_true", help="print hits as a JSON array")
    search_online.configure(parser)


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the hits; 0 even when there are none, 2 for a bad command line."""
    query = join_query(args.query)
    if args.online:
        return search_online.run(args, config, query)
    parsed = parse_query(query)
    if parsed.empty:
        print(f"hnterm search: nothing to search for in {query!r}", file=sys.stderr)
        return 2
    if parsed.dropped:  # a pasted page of text: searched by its first words, and said so
        print(
            f"hnterm search: kept the first {plural(parsed.kept, 'term')}; "
            f"{parsed.dropped} dropped",
            file=sys.stderr,
        )
    hits = _search(config.cache_dir, query, args.limit)
    if args.json:
        print(json.dumps([asdict(hit) for hit in hits], ensure_ascii=False))
    elif not hits:
        print("no matches")
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        now = time.time()
        print(HEADER)
        for hit in hits:
            print(format_hit(hit, now, width))
    return 0


def _search(directory: Path, query: str, limit: int) -> list[SearchHit]:
    """Search the cache in ``directory``, without creating one where there is none."""
    if not (directory / DB_NAME).exists():
        return []
    cache = Cache(directory)
    said: set[str] = set()
    try:
        report_problem(cache, said, "hnterm search")  # from opening: damage, read-only
        hits = cache.search(query, limit=limit)
        report_problem(cache, said, "hnterm search")  # from the search itself
        return hits
    finally:
        cache.close()


def join_query(parts: list[str]) -> str:
    """The arguments as one query text in the one grammar (``model.query``), as ``/`` in the
    app reads it: ``'by:dang guidelines'`` is two terms, and a phrase is quoted inside."""
    return " ".join(parts)


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {value!r}")
    return int(value)
