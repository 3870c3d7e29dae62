"""Headless subcommands of ``hnterm`` (``dump``, ``search``, ``cache``, ...): each has
``configure(parser)`` for its arguments and ``run(args, config) -> int``; the one parser that
holds them, and their one-line help, is in ``hnterm.cli.main``. Shared argument types live here,
and the one way out: every line a command prints goes through ``say`` (or ``terminal_json``), so
nothing that came from outside (pages, cookies, API fields, config keys, file names) reaches
the terminal raw."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from hnterm.model.format import HN_HOSTS, WEB_ENV, item_id_of, short_age
from hnterm.model.hits import SearchHit
from hnterm.model.items import is_item_id

if TYPE_CHECKING:
    from hnterm.config import Config
    from hnterm.storage.cache import Cache
    from hnterm.storage.worker import CacheWorker


def say(text: str = "", *, file: TextIO | None = None, end: str = "\n") -> None:
    """``print(text)`` with nothing a terminal acts on (``sanitize``): escape sequences, C0
    and C1 controls, bidi and zero-width characters are dropped."""
    # Imported at the first line said: the renderer (and rich) is ~15 ms of imports that a
    # command saying nothing until its end (``dump``) need not pay before its first request.
    from hnterm.render.text import sanitize

    print(sanitize(text), file=file, end=end)


def silence_stdout() -> None:
    """Point stdout at /dev/null once its reader has gone (``| head``), so the interpreter's
    final flush of what is still buffered neither fails again nor prints 'Exception
    ignored' (the Python docs' recipe for SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def terminal_json(value: Any, indent: int | None = None) -> str:
    """``json.dumps(value, ensure_ascii=False)`` with each character ``sanitize`` would drop
    written as ``\\uXXXX`` (as ``dump`` writes JSON): the data whole, the terminal safe. The
    same escape holds in a TOML basic string."""
    from hnterm.render.text import sanitize  # (see ``say``)

    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if sanitize(text) == text:
        return text
    return "".join(c if sanitize(c) == c else f"\\u{ord(c):04x}" for c in text)


def parse_item(value: str) -> int:
    """An item id from '123', 'item?id=123' or an item URL on news.ycombinator.com (or on
    the web site ``$HNTERM_WEB_URL`` names); a link to anywhere else is refused."""
    item_id = item_id_of(value, item_hosts())
    if item_id is None:
        raise argparse.ArgumentTypeError(
            f"not an HN item id or URL (news.ycombinator.com/item?id=N): {value!r}"
        )
    if not is_item_id(item_id):
        raise argparse.ArgumentTypeError(f"not an HN item id (out of range): {value.strip()!r}")
    return item_id


def item_hosts() -> tuple[str, ...]:
    """The hosts whose item links are HN's: HN's own, and the configured web site's."""
    try:
        configured = urlsplit(os.environ.get(WEB_ENV, "")).hostname
    except ValueError:
        configured = None
    return (*HN_HOSTS, configured) if configured else HN_HOSTS


@asynccontextmanager
async def command_cache(config: Config, command: str) -> AsyncIterator[CacheWorker]:
    """The cache for a headless command, closed at the end; every problem it met is said on
    stderr once, in one line ("hnterm dump: cache: ..."), after the command's own output."""
    from hnterm.storage.worker import CacheWorker

    problems: list[str] = []
    worker = CacheWorker(config.cache_dir, on_problem=problems.append)
    try:
        yield worker
    finally:
        await worker.aclose()
        for problem in problems:
            say(f"hnterm {command}: cache: {problem}", file=sys.stderr)


# -- what the search and cache commands share ----------------------------------------------
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]*)", re.IGNORECASE)
_DURATION_UNITS = {
    "": 86400,  # a bare number is days
    "s": 1,
    "m": 60,
    "min": 60,
    "h": 3600,
    "d": 86400,
    "w": 7 * 86400,
    "mo": 30 * 86400,
    "y": 365 * 86400,
}


def parse_duration(value: str) -> float:
    """Seconds from '30d', '12h', '90m', '2w', '6mo', '1y' or a bare number of days."""
    match = _DURATION.fullmatch(value.strip())
    unit = match.group(2).lower() if match else None
    if match is None or unit not in _DURATION_UNITS:
        raise argparse.ArgumentTypeError(f"not a duration like 30d or 12h: {value!r}")
    return float(match.group(1)) * _DURATION_UNITS[unit]


def report_problem(cache: Cache, said: set[str], prefix: str) -> None:
    """Print the cache's problem on stderr, in its one sentence, unless already said."""
    problem = cache.problem
    if problem and problem not in said:
        said.add(problem)
        say(f"{prefix}: {problem}", file=sys.stderr)


HEADER = f"{'ITEM':>9}  {'AGE':>4}  {'AUTHOR':<16}  STORY, then the matching text"


def format_hit(hit: SearchHit, now: float, width: int | None = None) -> str:
    """Two lines: item id, age, author and the title of the hit's story; then the matching
    text, indented (each cut to ``width`` columns if given)."""
    title = hit.title or (f"thread {hit.root}" if hit.root is not None else "(story unknown)")
    lines = [
        f"{hit.item_id:>9}  {short_age(hit.time, now):>4}  {(hit.by or '[deleted]')[:16]:<16}"
        f"  {title}",
        f"{'':>9}  {hit.snippet}",
    ]
    if width:
        lines = [line[: max(width - 1, 0)] + "…" if len(line) > width else line for line in lines]
    return "\n".join(lines)
