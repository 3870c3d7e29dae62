"""The ``hnterm`` command line: one parser, its subcommands, and the reader itself.

Global options (``--offline``, ``--api-url``, ``--web-url``, ``--search-url``, ``--cache-dir``,
``--cache-max-mb``) are valid before or after a subcommand, as in git: ``hnterm --offline
search x`` and ``hnterm search x --offline`` are the same. With no subcommand, ``hnterm
[ITEM]`` opens the reader (``open`` is implied). Output to a closed pipe (``hnterm search x |
head``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any

from hnterm.cli.common import parse_item, say, silence_stdout
from hnterm.config import CONFIG_ENV, SETTINGS, Config, load_file
from hnterm.model.errors import WebError
from hnterm.model.format import DEFAULT_WEB_URL, WEB_ENV, item_id_of
from hnterm.model.users import is_username
from hnterm.storage.session import CONFIG_ENV as CONFIG_DIR_ENV

# name: (module in hnterm.cli, the command object in it or "" for the module itself).
# A command's module is imported only when that command runs: ``hnterm dump`` does not pay
# for the web client, nor the reader for any of them.
COMMANDS = {
    "dump": ("dump", ""),
    "search": ("search", ""),
    "cache": ("cache", ""),
    "user": ("user", ""),
    "replies": ("replies", ""),
    "sync": ("sync", ""),
    "config": ("config", ""),
    "login": ("account", "login"),
    "logout": ("account", "logout"),
    "whoami": ("account", "whoami"),
    "drafts": ("drafts", ""),
    "library": ("library", ""),
    "completion": ("completion", ""),
    "serve": ("serve", ""),
    "hiring": ("hiring", ""),
}
HELP = {
    "dump": "write a thread out as JSON or Markdown",
    "search": "full-text search of everything cached (--online: all of HN)",
    "cache": "cache size and counts; prune, clear or check it",
    "user": "show a user's profile and latest submissions",
    "replies": "replies to your (or NAME's) latest stories and comments, new ones marked",
    "sync": "download top stories with their whole threads for offline reading",
    "config": "the config file's path and every setting with where it came from",
    "login": "log in to Hacker News (keeps only the session cookie)",
    "logout": "forget the HN session",
    "whoami": "who is logged in to HN",
    "drafts": "replies written but not yet posted (kept as they were typed)",
    "library": "export, import or sync your read marks, saved threads and drafts",
    "completion": "print a tab-completion script for bash, zsh or fish",
    "serve": "serve the reader to a web browser (on 127.0.0.1 unless --host says otherwise)",
    "hiring": 'the latest "Who is hiring?" thread, narrowed to a query (--print: as text)',
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

USAGE = """\
hnterm [-h] [--version] [global options] [ITEM]
       hnterm [global options] COMMAND [ARGS ...]"""

FLAGGED = ("api_url", "search_url", "cache_dir", "cache_max_mb")  # settings with a global flag


def _like_flag(key: str) -> str:
    """What to add to the help of a setting a global flag sets too ("; like --api-url")."""
    return f"; like --{key.replace('_', '-')}" if key in FLAGGED else ""


def environment_help() -> str:
    """Every environment variable hnterm reads, one line each (from ``SETTINGS``, so a new
    setting cannot be left out)."""
    rows = [
        (setting.env, setting.doc + _like_flag(setting.key)) for setting in SETTINGS if setting.env
    ]
    rows += [
        (WEB_ENV, "HN's web site for login, votes and replies; like --web-url"),
        (CONFIG_ENV, "the config file (default: config.toml in the config folder)"),
        (CONFIG_DIR_ENV, "the config folder: config file and HN session (default: platform's)"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"  {name:<{width}}  {doc}" for name, doc in rows)


EPILOG = f"""\
keys: ? in the app lists every key. 1-9 switch lists in the story list (top new best ask
show jobs saved, your HN favourites, replies to you), enter opens a story, : opens any item,
j/k move, space collapses, r reloads.

environment (flags win over these, these over the config file; `hnterm config` shows every
setting with its origin):
{environment_help()}"""


def global_options() -> tuple[argparse.ArgumentParser, frozenset[str]]:
    """Options every command takes, and those of them that read the next word as their value
    (``--api-url URL``; from the actions ``add_argument`` returns, as argparse's list of a
    parser's actions is private). Their default is SUPPRESS so that one given before the
    subcommand is not overwritten by the subcommand's own (absent) copy."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("global options")
    takes_value: set[str] = set()

    def add(*flags: str, **options: Any) -> None:
        if group.add_argument(*flags, **options).nargs != 0:
            takes_value.update(flags)

    add(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="read the cache only; never touch the network",
    )
    add(
        "--api-url",
        metavar="URL",
        type=checked("api_url"),
        default=argparse.SUPPRESS,
        help="HN API base URL (default: the official Firebase API)",
    )
    add(
        "--web-url",
        metavar="URL",
        type=web_url_flag,
        default=argparse.SUPPRESS,
        help=f"HN's web site for login, votes and replies (default: {DEFAULT_WEB_URL}); "
        "plain http only to 127.0.0.1",
    )
    add(
        "--account",
        metavar="NAME",
        type=account_flag,
        default=argparse.SUPPRESS,
        help="the HN account to vote and reply as, of those hnterm login kept (default: "
        "the last logged in or switched to)",
    )
    add(
        "--search-url",
        metavar="URL",
        type=checked("search_url"),
        default=argparse.SUPPRESS,
        help="HN search API base URL for search --online and F (default: hn.algolia.com)",
    )
    add(
        "--cache-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where the SQLite cache lives (default: the platform cache folder)",
    )
    add(
        "--cache-max-mb",
        metavar="MB",
        type=int,
        default=argparse.SUPPRESS,
        help="prune the cache to this size at start (default 500; 0: no cap)",
    )
    return common, frozenset(takes_value)


def checked(key: str) -> Callable[[str], Any]:
    """The config's own check of setting ``key`` as an argparse type: a bad flag is a usage
    error in one line, as a bad file or environment value is a problem in one line."""
    check = {setting.key: setting.check for setting in SETTINGS}[key]

    def parse(value: str) -> Any:
        try:
            return check(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{exc}, not {value!r}") from None

    return parse


def account_flag(value: str) -> str:
    """``--account``: an HN user name (it names a file of sessions)."""
    if not is_username(value):
        raise argparse.ArgumentTypeError(f"not an HN user name: {value!r}")
    return value


def web_url_flag(value: str) -> str:
    """``--web-url``, refused as the web client refuses it (the session cookie goes there)."""
    from hnterm.net.web_forms import check_web_url  # (the web client: only for this flag)

    try:
        check_web_url(value.rstrip("/"))
    except WebError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value.rstrip("/")


def build_parser(chosen: str | None = None, *, every: bool = False) -> argparse.ArgumentParser:
    """The parser; only the ``chosen`` subcommand's own arguments are set up, or with
    ``every`` all of them (what a completion script is generated from). With no command
    chosen (``hnterm --help``) the others are listed with their help; with one, they are
    left out: nothing would show them, and each costs argparse ~0.3 ms of gettext."""
    common, _ = global_options()
    parser = argparse.ArgumentParser(
        prog="hnterm",
        usage=USAGE,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    # The version is looked up (importlib.metadata: ~30 ms) only for a parser that can show
    # it: ``--version`` before any subcommand, where ``with_command`` names none.
    shown = f"hnterm {_version()}" if chosen is None else "hnterm"
    parser.add_argument("--version", action="version", version=shown)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="hnterm")
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
        if not (every or chosen is None or name == chosen):
            continue
        sub = commands.add_parser(name, parents=[common], help=HELP[name])
        if name == chosen or every:
            chosen_command = command(name)
            if name in ("cache", "library"):  # their actions take the global options too
                chosen_command.configure(sub, common)
            else:
                chosen_command.configure(sub)
    return parser


def with_command(argv: list[str]) -> tuple[list[str], str | None]:
    """``argv`` with ``open`` put where the first positional is not a subcommand, so that
    ``hnterm ITEM`` and ``hnterm --offline ITEM`` read as ``hnterm open ...``; and the
    subcommand named (None for top-level help or --version)."""
    _, takes_value = global_options()
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
        search_url=getattr(args, "search_url", None),
        web_url=getattr(args, "web_url", None),
        account=getattr(args, "account", None),
        file=load_file(),
    )


def run(argv: list[str]) -> int:
    """The command's exit status. A closed stdout (``| head``) ends it quietly, as the
    Python docs' recipe for SIGPIPE does: stdout goes to /dev/null and the status is 1."""
    try:
        status = _run(argv)
        sys.stdout.flush()  # inside the try: what is still buffered can meet the closed pipe
    except BrokenPipeError:
        silence_stdout()
        return 1
    return status


def mistyped_command(given: list[str], read: list[str]) -> str | None:
    """What to say when ``with_command`` took a mistyped command for an ITEM (``hnterm serach
    foo``), or None: ``given`` is the command line, ``read`` the same with ``open`` put in."""
    if len(read) == len(given):  # `open` was typed: the word after it is meant as an ITEM
        return None
    index = next((i for i, token in enumerate(given) if read[i] != token), None)
    if index is None or item_id_of(given[index]) is not None:
        return None
    from difflib import get_close_matches  # only for a word that is neither command nor ITEM

    word = given[index]
    close = get_close_matches(word, ["open", *COMMANDS], n=1)
    return f"unknown command {word!r} (did you mean {close[0]}?)" if close else None


def _run(given: list[str]) -> int:
    argv, chosen = with_command(given)
    parser = build_parser(chosen)
    try:
        mistyped = mistyped_command(given, argv) if chosen == "open" else None
        if mistyped is not None:
            parser.error(mistyped)  # usage and the message on stderr; exits 2
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
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hnterm")
    except PackageNotFoundError:
        return "unknown"
