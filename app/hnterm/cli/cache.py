"""``hnterm cache``: what the cache holds, and pruning, clearing or checking it.

    hnterm cache [--json]                     sizes and counts
    hnterm cache prune [--older-than 30d] [--max-size 200MB]
    hnterm cache clear [--all [--yes]]        empty it (``--all``: saved threads too)
    hnterm cache check                        full integrity check

Only ``clear --all`` asks first, since it drops what the reader chose to keep: it says what
will go and asks at a terminal; elsewhere (a script, a pipe) it needs ``--yes``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import asdict

from hnterm.cli.common import parse_duration, report_problem, say
from hnterm.config import CACHE_MAX_ENV, DEFAULT_CACHE_MAX_MB, Config
from hnterm.model.format import age, plural
from hnterm.storage.cache import DB_NAME, Cache, CacheError, CacheStats

_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:([kmg])(?:i?b)?|(b))?", re.IGNORECASE)
_SIZE_UNITS = {"k": 1024, "m": 1024**2, "g": 1024**3}


def configure(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``common``: the global options, accepted after the action too."""
    parser.description = "Show what the local cache holds; prune, clear or check it."
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    prune = actions.add_parser(
        "prune",
        parents=[common],
        help="remove old or least recently used threads (saved ones stay)",
        description=(
            "Remove whole threads that are not saved. With neither option, shrink the cache "
            f"to its size cap (--cache-max-mb, ${CACHE_MAX_ENV} or the config file; "
            f"default {DEFAULT_CACHE_MAX_MB} MB)."
        ),
    )
    prune.add_argument(
        "--older-than",
        type=parse_duration,
        metavar="AGE",
        help="threads not fetched or opened for AGE: 30d, 12h, 2w, 6mo (a bare number is days)",
    )
    prune.add_argument(
        "--max-size",
        type=parse_size,
        metavar="SIZE",
        help="least recently used threads until the file fits: 200MB, 1.5GB (bare: MB)",
    )
    clear = actions.add_parser(
        "clear", parents=[common], help="empty the cache, keeping saved threads"
    )
    clear.add_argument(
        "--all", action="store_true", help="also drop saved threads and all read state"
    )
    clear.add_argument(
        "--yes", action="store_true", help="--all without asking (needed when not at a terminal)"
    )
    actions.add_parser("check", parents=[common], help="run SQLite's full integrity check")


def run(args: argparse.Namespace, config: Config) -> int:
    """Run one action; 0 on success, 1 if the check finds damage, 2 for a bad command line."""
    directory = config.cache_dir
    path = directory / DB_NAME
    if args.action == "prune" and args.older_than is None and args.max_size is None:
        cap = config.cache_max_mb  # flag > environment > config file > default
        if cap <= 0:
            print(
                f"hnterm cache prune: no size cap (${CACHE_MAX_ENV}=0): "
                "give --older-than or --max-size",
                file=sys.stderr,
            )
            return 2
        args.max_size = cap * 1024**2
    if not path.exists():
        say(f"no cache at {path} yet")
        return 0
    cache = Cache(directory)
    said: set[str] = set()
    try:
        report_problem(cache, said, "hnterm cache")  # from opening: damage, read-only
        if args.action == "prune":
            return _prune(cache, args.older_than, args.max_size)
        if args.action == "clear":
            if args.all and not _agreed(cache.stats(), yes=args.yes):
                return 1
            return _clear(cache, keep_saved=not args.all)
        if args.action == "check":
            return _check(cache)
        return _show(cache.stats(), as_json=args.json)
    except CacheError as exc:
        say(f"hnterm cache {args.action or ''}: not done: {exc}", file=sys.stderr)
        said.add(f"cache write failed: {exc}")  # the line above said it
        return 1
    finally:
        report_problem(cache, said, "hnterm cache")  # met on the way (a failed read...)
        cache.close()


def _show(stats: CacheStats, *, as_json: bool) -> int:
    if as_json:
        data = asdict(stats)
        data["path"] = str(stats.path) if stats.path else None
        print(json.dumps(data))
        return 0
    say(format_stats(stats, time.time()))
    return 0


def format_stats(stats: CacheStats, now: float) -> str:
    """The human-readable summary printed by ``hnterm cache``."""
    lines = [
        f"cache    {stats.path}",
        f"size     {human_size(stats.file_bytes)}",
        f"items    {stats.items:,} ({plural(stats.stories, 'story', 'stories')}, "
        f"{plural(stats.comments, 'comment')})",
        f"threads  {stats.threads:,} loaded whole, {stats.saved_threads:,} saved, "
        f"{stats.read_stories:,} read",
        f"lists    {stats.lists:,}",
    ]
    if stats.oldest_fetch is not None and stats.newest_fetch is not None:
        lines.append(
            f"fetched  {age(int(stats.oldest_fetch), now)} (oldest) to "
            f"{age(int(stats.newest_fetch), now)} (newest)"
        )
    return "\n".join(lines)


def _prune(cache: Cache, older_than: float | None, max_size: int | None) -> int:
    before = cache.file_bytes()
    started = time.perf_counter()
    removed = cache.prune(older_than=older_than, max_bytes=max_size)
    elapsed = time.perf_counter() - started
    print(
        f"removed {removed:,} items in {elapsed:.2f} s; "
        f"{human_size(before)} -> {human_size(cache.file_bytes())}"
    )
    return 0


def _clear(cache: Cache, *, keep_saved: bool) -> int:
    before = cache.file_bytes()
    removed = cache.clear(keep_saved=keep_saved)
    kept = f", kept {len(cache.saved_threads())} saved thread(s)" if keep_saved else ""
    print(
        f"removed {removed:,} items{kept}; {human_size(before)} -> {human_size(cache.file_bytes())}"
    )
    return 0


def _agreed(stats: CacheStats, *, yes: bool) -> bool:
    """Whether ``clear --all`` may go ahead: said what it drops, then ``--yes``, or "y" typed
    at a terminal; without a terminal to ask at, no."""
    what = (
        f"hnterm cache clear --all drops {plural(stats.saved_threads, 'saved thread')} "
        f"and the read state of {plural(stats.read_stories, 'story', 'stories')}, "
        f"with every cached item ({stats.items:,})"
    )
    if yes:
        return True
    if not sys.stdin.isatty():
        say(f"{what}: not done; --yes does it without asking", file=sys.stderr)
        return False
    say(f"{what}. Go on? [y/N] ", file=sys.stderr, end="")
    try:
        answer = input()
    except (EOFError, KeyboardInterrupt):
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        say("not done", file=sys.stderr)
        return False
    return True


def _check(cache: Cache) -> int:
    result = cache.check()
    say(result)
    return 0 if result == "ok" else 1


def parse_size(value: str) -> int:
    """Bytes from '200MB', '1.5G', '500k', '200MiB', '4096B' or a bare number of MB
    (binary: 1 MB = 1024² bytes)."""
    match = _SIZE.fullmatch(value.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"not a size like 200MB or 1.5GB: {value!r}")
    number, unit, plain_bytes = match.groups()
    scale = 1 if plain_bytes else _SIZE_UNITS[(unit or "m").lower()]
    return int(float(number) * scale)


def human_size(size: int) -> str:
    """'812 B', '4.2 KB', '118.0 MB', '1.3 GB' (binary units)."""
    amount = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if amount < 1024 or unit == "GB":
            return f"{int(amount)} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    raise AssertionError("unreachable")
