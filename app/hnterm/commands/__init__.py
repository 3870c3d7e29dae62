"""Headless subcommands of ``hnterm`` (``dump``, ``search``, ``cache``, ...): each has
``configure(parser)`` for its arguments and ``run(args, config) -> int``; the one parser that
holds them, and their one-line help, is in ``hnterm.cli``. Shared argument types live here."""

from __future__ import annotations

import argparse

from hnterm.hn.format import item_id_of
from hnterm.hn.models import is_item_id


def parse_item(value: str) -> int:
    """An item id from '123', 'item?id=123' or a news.ycombinator.com URL."""
    item_id = item_id_of(value)
    if item_id is None:
        raise argparse.ArgumentTypeError(f"not an HN item id or URL: {value!r}")
    if not is_item_id(item_id):
        raise argparse.ArgumentTypeError(f"not an HN item id (out of range): {value.strip()!r}")
    return item_id
