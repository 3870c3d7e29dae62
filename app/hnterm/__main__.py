"""The ``hnterm`` command line."""

from __future__ import annotations

import argparse
import sys

from hnterm.config import API_ENV, Config
from hnterm.hn.format import item_id_of
from hnterm.hn.models import is_item_id
from hnterm.storage.paths import CACHE_ENV

DESCRIPTION = """\
A fast terminal reader for Hacker News threads.

Opens the top stories; ITEM opens one story (its thread) or comment (its story, with the
comment focused). Everything read is kept in a local SQLite cache, so threads read once open
at once and can be read offline."""

EPILOG = f"""\
keys: ? in the app lists every key. 1-7 switch lists (top new best ask show jobs saved) in
the story list, enter opens a story, tab switches panes, j/k move, space collapses, r reloads.

commands:
  hnterm dump ITEM     write a thread out as JSON or Markdown
  hnterm search QUERY  full-text search of everything cached
  hnterm cache         cache size and counts; prune or clear it

environment:
  {API_ENV}       API base URL (like --api-url)
  {CACHE_ENV}     cache folder (like --cache-dir)
  HNTERM_CACHE_MAX_MB  cache size cap in MB (like --cache-max-mb)"""


def parse_item(value: str) -> int:
    """An item id from '123', 'item?id=123' or a news.ycombinator.com URL."""
    item_id = item_id_of(value)
    if item_id is None:
        raise argparse.ArgumentTypeError(f"not an HN item id or URL: {value!r}")
    if not is_item_id(item_id):
        raise argparse.ArgumentTypeError(f"not an HN item id (out of range): {value.strip()!r}")
    return item_id


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hnterm",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "item",
        nargs="?",
        type=parse_item,
        metavar="ITEM",
        help="item id or news.ycombinator.com/item?id=... URL to open",
    )
    parser.add_argument(
        "--offline", action="store_true", help="read the cache only; never touch the network"
    )
    parser.add_argument(
        "--api-url", metavar="URL", help="HN API base URL (default: the official Firebase API)"
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where the SQLite cache lives (default: the platform cache folder)",
    )
    parser.add_argument(
        "--cache-max-mb",
        metavar="MB",
        type=int,
        help="prune the cache to this size at start (default 500; 0: no cap)",
    )
    return parser


# Subcommands live in app/commands/<name>.py, each with ``main(argv) -> int``; they run
# without starting the TUI. ``hnterm ITEM`` stays the plain way to open an item.
SUBCOMMANDS = frozenset({"dump", "search", "cache"})


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SUBCOMMANDS:
        from importlib import import_module

        return import_module(f"hnterm.commands.{argv[0]}").main(argv[1:])
    args = build_parser().parse_args(argv)
    config = Config.build(
        api_url=args.api_url,
        cache=args.cache_dir,
        offline=args.offline,
        item=args.item,
        cache_max_mb=args.cache_max_mb,
    )
    from hnterm.app import HNApp  # Textual loads only when the app runs, so --help is instant

    app = HNApp(config)
    app.run()
    if app.unfinished_saves:
        print(
            f"hnterm: {len(app.unfinished_saves)} save(s) not finished "
            f"(items {', '.join(map(str, app.unfinished_saves))}); "
            "they resume the next time hnterm starts",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
