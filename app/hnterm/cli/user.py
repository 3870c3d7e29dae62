"""``hnterm user NAME``: a user's profile and latest submissions, without the TUI.

From the network when online (and kept in the cache), else from the cache (``--offline``, or
the network failing, which is said on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime

from hnterm.cli.common import command_cache, say
from hnterm.config import Config
from hnterm.model.format import age, short_age
from hnterm.net.client import HNClient
from hnterm.render.text import html_to_plain, sanitize
from hnterm.services.profiles import (
    Profile,
    Submission,
    load_profile,
    load_submissions,
    submission_lines,
)
from hnterm.services.source import Source

NOT_FOUND = 1


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "A Hacker News user's karma, account age, about text and latest submissions "
        "(from the network, else the cache)."
    )
    parser.add_argument("name", metavar="NAME", help="the HN username")
    parser.add_argument(
        "--limit",
        type=int,
        default=10,
        metavar="N",
        help="show the N latest submissions (10; 0: none)",
    )


def run(args: argparse.Namespace, config: Config) -> int:
    """0 when a profile was shown, 1 when there is none to show."""
    try:
        profile, submissions = asyncio.run(_load(config, args.name, max(0, args.limit)))
    except KeyboardInterrupt:
        return 130
    if profile.user is None:
        say(f"hnterm user: {profile.note}", file=sys.stderr)
        return NOT_FOUND
    if profile.from_cache:
        say(
            f"hnterm user: from the cache, fetched {age(int(profile.fetched or 0))} "
            f"({profile.note})",
            file=sys.stderr,
        )
    say(format_profile(profile, submissions, time.time()))
    return 0


async def _load(config: Config, name: str, limit: int) -> tuple[Profile, list[Submission]]:
    client = None if config.offline else HNClient(config.api_url, deadline=config.deadline)
    async with command_cache(config, "user") as worker:
        source = Source(client, worker)
        try:
            profile = await load_profile(source, name)
            submissions: list[Submission] = []
            if profile.user is not None and limit:
                ids = list(profile.user.submitted[:limit])
                submissions = await load_submissions(source, ids)
            return profile, submissions
        finally:
            if client is not None:
                await client.aclose()


def format_profile(profile: Profile, submissions: list[Submission], now: float) -> str:
    """The profile as plain text: a header line, the about text, then two lines a submission."""
    user = profile.user
    assert user is not None
    joined = (
        f"joined {age(user.created, now)} ({datetime.fromtimestamp(user.created, UTC):%Y-%m-%d})"
        if user.created is not None
        else "joined ?"
    )
    karma = f"{user.karma:,}" if user.karma is not None else "?"
    lines = [f"{sanitize(user.id)} · karma {karma} · {joined}"]
    about = html_to_plain(user.about).strip()
    if about:
        lines += ["", *(f"  {line}" for line in about.splitlines())]
    total = len(user.submitted)
    if submissions:
        lines += ["", f"latest submissions ({len(submissions)} of {total:,}):"]
        for sub in submissions:
            title, detail = submission_lines(sub)
            when = short_age(sub.item.time if sub.item else None, now)
            lines.append(f"{sub.item_id:>9}  {when:>4}  {title}")
            if detail:
                lines.append(f"{'':>9}  {detail}")
    elif total == 0:
        lines += ["", "no submissions"]
    return "\n".join(lines)
