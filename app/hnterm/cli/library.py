"""``hnterm library export FILE``, ``import FILE`` and ``sync DIR``: your read marks, saved
threads, preferences and drafts in one file, carried between machines
(``hnterm.services.library``). Every line printed goes through ``say``; a refused file is one
line on stderr and exit status 1, with nothing changed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hnterm.cli.common import say
from hnterm.config import Config
from hnterm.model.errors import CacheError
from hnterm.model.format import plural
from hnterm.model.library import Library, LibraryError
from hnterm.services.library import SYNC_FILE, export_library, import_library, sync_library
from hnterm.storage.cache import Cache


def configure(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """The three actions, each taking the global options too (``common``)."""
    parser.description = (
        "Carry your library (read marks, saved threads, preferences, unsent drafts) between "
        "machines as one JSON file. The HN session is never in it."
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", parents=[common], help="write the library to FILE")
    export.add_argument("file", metavar="FILE", type=Path)
    imported = actions.add_parser(
        "import", parents=[common], help="merge FILE into this cache (newer wins)"
    )
    imported.add_argument("file", metavar="FILE", type=Path)
    sync = actions.add_parser(
        "sync", parents=[common], help=f"merge DIR/{SYNC_FILE}, then write it back"
    )
    sync.add_argument("directory", metavar="DIR", type=Path)
    for sub in (export, sync):
        sub.add_argument(
            "--with-items",
            action="store_true",
            help="the saved threads' items too, so they read offline on the other machine",
        )


def run(args: argparse.Namespace, config: Config) -> int:
    cache = Cache(config.cache_dir)
    try:
        return _act(args, cache)
    except LibraryError as exc:
        return _fail(f"{_subject(args)}: {exc}")
    except FileNotFoundError:
        return _fail(f"{_subject(args)}: no such file")
    except CacheError as exc:
        return _fail(f"cache: {exc}")
    finally:
        cache.close()


def _act(args: argparse.Namespace, cache: Cache) -> int:
    if args.action == "export":
        library = export_library(cache, args.file, with_items=args.with_items)
        say(f"Exported to {args.file}: {contents(library)}")
    elif args.action == "import":
        merged = import_library(cache, args.file)
        say(f"Merged {args.file}: {merged.summary()}")
    else:
        synced = sync_library(cache, args.directory, with_items=args.with_items)
        if synced.merged is None:
            say(f"No {synced.path} yet: nothing to merge")
        else:
            say(f"Merged {synced.path}: {synced.merged.summary()}")
        say(f"Wrote {synced.path}: {contents(synced.written)}")
    return 0


def contents(library: Library) -> str:
    """What a library holds, counted, in one line."""
    items = sum(len(saved.items) for saved in library.saved)
    return ", ".join(
        [
            plural(len(library.read), "read mark"),
            plural(len(library.saved), "saved thread")
            + (f" ({plural(items, 'item')})" if items else ""),
            plural(len(library.preferences), "preference"),
            plural(len(library.drafts), "draft"),
        ]
    )


def _subject(args: argparse.Namespace) -> str:
    path = args.directory / SYNC_FILE if args.action == "sync" else args.file
    return f"cannot {args.action} {path}"


def _fail(message: str) -> int:
    say(f"hnterm library: {message}", file=sys.stderr)
    return 1
