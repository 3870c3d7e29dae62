"""Headless subcommands of ``hnterm`` (``dump``, ``search``, ``cache``, ...): each has
``configure(parser)`` for its arguments and ``run(args, config) -> int``; the one parser that
holds them, and their one-line help, is in ``hnterm.cli.main``. Shared argument types live here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from hnterm.model.format import item_id_of
from hnterm.model.items import is_item_id

if TYPE_CHECKING:
    from hnterm.config import Config
    from hnterm.storage.worker import CacheWorker


def parse_item(value: str) -> int:
    """An item id from '123', 'item?id=123' or a news.ycombinator.com URL."""
    item_id = item_id_of(value)
    if item_id is None:
        raise argparse.ArgumentTypeError(f"not an HN item id or URL: {value!r}")
    if not is_item_id(item_id):
        raise argparse.ArgumentTypeError(f"not an HN item id (out of range): {value.strip()!r}")
    return item_id


@asynccontextmanager
async def command_cache(config: Config, command: str) -> AsyncIterator[CacheWorker]:
    """The cache for a headless command, closed at the end; every problem it met is said on
    stderr once, in one line ("hnterm dump: cache: ..."), after the command's own output."""
    from hnterm.storage.worker import CacheWorker

    problems: list[str] = []
    cache = CacheWorker(config.cache_dir, on_problem=problems.append)
    try:
        yield cache
    finally:
        await cache.aclose()
        for problem in problems:
            print(f"hnterm {command}: cache: {problem}", file=sys.stderr)
