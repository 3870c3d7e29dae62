"""``hnterm login``, ``logout`` and ``whoami``: the HN session the reader votes and replies with.

Only the session cookie is kept (keyring, else a 0600 file: ``hnterm.storage.session``); the
password is read without echo (or from stdin with ``--password-stdin``) and forgotten. What HN
sends (the user name on its page, the cookie) is printed through ``say``, never raw.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass

from hnterm.cli.common import say
from hnterm.config import Config
from hnterm.model.users import is_username
from hnterm.net.client import HNError
from hnterm.net.web_forms import WebClient, web_url
from hnterm.storage.session import SessionStore, user_of


@dataclass(frozen=True)
class Command:
    """A subcommand as ``cli.command`` wants it: configure(parser), run(args, config)."""

    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Config], int]


def _configure_login(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Log in to Hacker News. Only the session cookie is kept (the system keyring, else a "
        "file readable by you alone); the password never is."
    )
    parser.add_argument("username", nargs="?", help="asked for when not given")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin (scripts)"
    )


def _fail(error: str) -> int:
    say(f"hnterm: {error}", file=sys.stderr)
    return 1


def _run_login(args: argparse.Namespace, config: Config) -> int:
    try:
        base = web_url(config.web_url)
        user = (args.username or input("Username: ")).strip()
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
    except (EOFError, KeyboardInterrupt):
        return _fail("login cancelled")
    except HNError as exc:
        return _fail(str(exc))
    if not user or not password:
        return _fail("login needs a username and a password")

    async def login() -> str:
        async with WebClient(base, deadline=config.deadline) as client:
            return await client.login(user, password)

    try:
        cookie = asyncio.run(login())
    except HNError as exc:
        return _fail(f"not logged in: {exc}")
    store = SessionStore()
    where = store.save(cookie)
    say(f"Logged in as {user_of(cookie)}; the session is kept in {where}")
    _say_others(store.accounts()[1:])
    return 0


def _say_others(others: list[str]) -> None:
    """The other accounts kept, and how to use one (nothing when there are none)."""
    if others:
        say(f"Also kept: {', '.join(others)} (hnterm --account NAME, or switch in the palette)")


def _configure_logout(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Forget the HN session kept by hnterm login: the active account's, or NAME's."
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="the account to forget")


def _run_logout(args: argparse.Namespace, config: Config) -> int:
    store = SessionStore()
    name = args.name or config.account
    if name is not None and not is_username(name):
        return _fail(f"not an HN user name: {name!r}")
    cookie = store.load(name)
    if not store.forget(name):
        say(f"Not logged in as {name}" if name else "Not logged in")
        return 0
    gone = name or user_of(cookie) or ""
    say(f"Logged out {gone}; the session is forgotten".replace("  ", " "))
    _say_others(store.accounts())
    return 0


def _configure_whoami(parser: argparse.ArgumentParser) -> None:
    parser.description = "Say who is logged in, checked with HN (unless --offline)."


def _run_whoami(args: argparse.Namespace, config: Config) -> int:
    store = SessionStore()
    cookie = store.load(config.account)
    if store.problem is not None:
        return _fail(store.problem)
    if cookie is None and config.account is not None:
        return _fail(f"no session kept for {config.account}: run hnterm login {config.account}")
    if cookie is None:
        say("Not logged in (hnterm login logs in)")
        return 1
    if config.offline:
        say(f"{user_of(cookie)} (not checked: --offline)")
        return 0

    async def check() -> str:
        async with WebClient(web_url(config.web_url), cookie, deadline=config.deadline) as client:
            return await client.whoami()

    try:
        user = asyncio.run(check())
    except HNError as exc:
        return _fail(str(exc))
    say(user)
    return 0


login = Command(_configure_login, _run_login)
logout = Command(_configure_logout, _run_logout)
whoami = Command(_configure_whoami, _run_whoami)
