"""The ``hnterm`` command line: one parser, its subcommands, and the reader itself.

Global options (``--offline``, ``--api-url``, ``--cache-dir``, ``--cache-max-mb``) are valid
before or after a subcommand, as in git: ``hnterm --offline search x`` and
``hnterm search x --offline`` are the same. With no subcommand, ``hnterm [ITEM]`` opens the
reader (``open`` is implied).
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version

from hnterm.commands import account, cache, drafts, dump, parse_item, search, user
from hnterm.commands import config as config_command
from hnterm.commands import sync as sync_command
from hnterm.config import API_ENV, CACHE_MAX_ENV, CONFIG_ENV, Config, load_file
from hnterm.storage.paths import CACHE_ENV

COMMANDS = {"dump": dump, "search": search, "cache": cache, "user": user, "config": config_command}
COMMANDS |= {"login": account.login, "logout": account.logout, "whoami": account.whoami}
COMMANDS["drafts"] = drafts
COMMANDS["sync"] = sync_command

DESCRIPTION = """\
A fast terminal reader for Hacker News threads.

Opens the top stories; ITEM opens one story (its thread) or comment (its story, with the
comment focused). Everything read is kept in a local SQLite cache, so threads read once open
at once and can be read offline."""

EPILOG = f"""\
keys: ? in the app lists every key. 1-7 switch lists (top new best ask show jobs saved) in
the story list, enter opens a story, : opens any item, j/k move, space collapses, r reloads.

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


def build_parser() -> argparse.ArgumentParser:
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
    for name, module in COMMANDS.items():
        sub = commands.add_parser(name, parents=[common], help=module.HELP)
        if module is cache:
            cache.configure(sub, common)
        else:
            module.configure(sub)
    return parser


def with_command(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """``argv`` with ``open`` put where the first positional is not a subcommand, so that
    ``hnterm ITEM`` and ``hnterm --offline ITEM`` read as ``hnterm open ...``."""
    takes_value = {
        option
        for action in parser._actions
        if action.nargs != 0 and action.option_strings
        for option in action.option_strings
    }
    names = {"open", *COMMANDS}
    index = 0
    while index < len(argv):
        token = argv[index]
        if token in ("-h", "--help", "--version"):
            return argv
        if token == "--":
            break
        if token.startswith("-"):
            index += 2 if token in takes_value else 1
            continue
        if token in names:
            return argv
        break
    return [*argv[:index], "open", *argv[index:]]


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
    parser = build_parser()
    try:
        args = parser.parse_args(with_command(argv, parser))
    except SystemExit as exc:  # --help (0) or a usage error (2): the code, not an exit
        return exc.code if isinstance(exc.code, int) else 2
    config = config_of(args)
    if args.command in COMMANDS:  # the reader shows these as notifications instead
        for problem in config.problems:
            print(f"hnterm: {problem}", file=sys.stderr)
        return COMMANDS[args.command].run(args, config)
    return open_reader(config)


def open_reader(config: Config) -> int:
    from hnterm.app import HNApp  # Textual loads only when the app runs: --help is instant

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
