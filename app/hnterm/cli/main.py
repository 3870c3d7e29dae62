"""The ``hnterm`` command line: one parser, its subcommands, and the reader itself.

Global options (``--offline``, ``--api-url``, ``--cache-dir``, ``--cache-max-mb``) are valid
before or after a subcommand, as in git: ``hnterm --offline search x`` and
``hnterm search x --offline`` are the same. With no subcommand, ``hnterm [ITEM]`` opens the
reader (``open`` is implied).
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from hnterm.cli.common import parse_item, say
from hnterm.config import API_ENV, CACHE_MAX_ENV, CONFIG_ENV, Config, load_file
from hnterm.storage.paths import CACHE_ENV

# name: (module in hnterm.cli, the command object in it or "" for the module itself).
# A command's module is imported only when that command runs: ``hnterm dump`` does not pay
# for the web client, nor the reader for any of them.
COMMANDS = {
    "dump": ("dump", ""),
    "search": ("search", ""),
    "cache": ("cache", ""),
    "user": ("user", ""),
    "sync": ("sync", ""),
    "config": ("config", ""),
    "login": ("account", "login"),
    "logout": ("account", "logout"),
    "whoami": ("account", "whoami"),
    "drafts": ("drafts", ""),
}
HELP = {
    "dump": "write a thread out as JSON or Markdown",
    "search": "full-text search of everything cached (--online: all of HN)",
    "cache": "cache size and counts; prune, clear or check it",
    "user": "show a user's profile and latest submissions",
    "sync": "download top stories with their whole threads for offline reading",
    "config": "the config file's path and every setting with where it came from",
    "login": "log in to Hacker News (keeps only the session cookie)",
    "logout": "forget the HN session",
    "whoami": "who is logged in to HN",
    "drafts": "replies written but not yet posted (kept as they were typed)",
}


def command(name: str) -> Any:
    """The object for a subcommand (with ``configure`` and ``run``), imported now."""
    module_name, attribute = COMMANDS[name]
    module = import_module(f"hnterm.cli.{module_name}")
    return getattr(module, attribute) if attribute else module


DESCRIPTION = """\
A fast terminal reader for Hacker News threads.

Opens the top stories; ITEM opens one story (its thread) or comment (its story, with the
comment focused). Everything read is kept in a local SQLite cache, so threads read once open
at once and can be read offline."""

EPILOG = f"""\
keys: ? in the app lists every key. 1-8 switch lists in the story list (top new best ask
show jobs saved, your HN favourites), enter opens a story, : opens any item, j/k move, space
collapses, r reloads.

environment:
  {API_ENV}       API base URL (like --api-url)
  {CACHE_ENV}     cache folder (like --cache-dir)
  {CACHE_MAX_ENV}  cache size cap in MB (like --cache-max-mb)
  {CONFIG_ENV}        the config file (default: config.toml in the platform config folder;
                       `hnterm config` shows where, and every setting with its origin)"""


def global_options() -> argparse.ArgumentParser:
    """Options every command takes. Their default is SUPPRESS so that one given before the
    subcommand is not overwritten by the subcommand's own (absent) copy."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("global options")
    group.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="read the cache only; never touch the network",
    )
    group.add_argument(
        "--api-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="HN API base URL (default: the official Firebase API)",
    )
    group.add_argument(
        "--cache-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where the SQLite cache lives (default: the platform cache folder)",
    )
    group.add_argument(
        "--cache-max-mb",
        metavar="MB",
        type=int,
        default=argparse.SUPPRESS,
        help="prune the cache to this size at start (default 500; 0: no cap)",
    )
    return common


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the ``chosen`` subcommand's own arguments are set up (the others
    are listed with their help, which is all ``hnterm --help`` needs)."""
    common = global_options()
    parser = argparse.ArgumentParser(
        prog="hnterm",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"hnterm {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    reader = commands.add_parser(
        "open",
        parents=[common],
        prog="hnterm",
        help="the reader (the default; ITEM opens one item)",
    )
    reader.add_argument(
        "item",
        nargs="?",
        type=parse_item,
        metavar="ITEM",
        help="item id or news.ycombinator.com/item?id=... URL to open",
    )
    for name in COMMANDS:
        sub = commands.add_parser(name, parents=[common], help=HELP[name])
        if name == chosen:
            chosen_command = command(name)
            if name == "cache":  # its actions take the global options too
                chosen_command.configure(sub, common)
            else:
                chosen_command.configure(sub)
    return parser


def with_command(argv: list[str]) -> tuple[list[str], str | None]:
    """``argv`` with ``open`` put where the first positional is not a subcommand, so that
    ``hnterm ITEM`` and ``hnterm --offline ITEM`` read as ``hnterm open ...``; and the
    subcommand named (None for top-level help or --version)."""
    takes_value = {
        option
        for action in global_options()._actions
        if action.nargs != 0 and action.option_strings
        for option in action.option_strings
    }
    names = {"open", *COMMANDS}
    index = 0
    while index < len(argv):
        token = argv[index]
        if token in ("-h", "--help", "--version"):
            return argv, None
        if token == "--":
            break
        if token.startswith("-"):
            index += 2 if token in takes_value else 1
            continue
        if token in names:
            return argv, token
        break
    return [*argv[:index], "open", *argv[index:]], "open"


def config_of(args: argparse.Namespace) -> Config:
    """Flags win over environment variables, which win over the config file, then defaults."""
    return Config.build(
        api_url=getattr(args, "api_url", None),
        cache=getattr(args, "cache_dir", None),
        offline=getattr(args, "offline", False),
        item=getattr(args, "item", None),
        cache_max_mb=getattr(args, "cache_max_mb", None),
        file=load_file(),
    )


def run(argv: list[str]) -> int:
    argv, chosen = with_command(argv)
    parser = build_parser(chosen)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2): the code, not an exit
        return exc.code if isinstance(exc.code, int) else 2
    config = config_of(args)
    if args.command in COMMANDS:  # the reader shows these as notifications instead
        for problem in config.problems:
            say(f"hnterm: {problem}", file=sys.stderr)
        return command(args.command).run(args, config)
    return open_reader(config)


def open_reader(config: Config) -> int:
    from hnterm.ui.app import HNApp  # Textual loads only when the app runs: --help is instant

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


def _version() -> str:
    try:
        return version("hnterm")
    except PackageNotFoundError:
        return "unknown"
