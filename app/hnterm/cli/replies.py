"""``hnterm replies [NAME]``: the replies to a user's recent stories and comments.

NAME defaults to the logged-in user. From the API when online (each run is a check: replies
it has not seen before are marked new, and it is remembered in the cache), else what the
cache holds, with when it was last checked (said on stderr, in one line).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from hnterm.cli.common import command_cache, parse_duration, say, terminal_json
from hnterm.config import Config
from hnterm.model.format import age, short_age
from hnterm.net.client import HNClient
from hnterm.render.text import html_to_plain
from hnterm.services.replies import Replies, Reply, check_replies, reply_lines
from hnterm.services.source import Source
from hnterm.storage.session import SessionStore, user_of

NOT_FOUND = 1
USAGE_ERROR = 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Replies to a Hacker News user's latest stories and comments, newest first; those "
        "that arrived since the last check are marked new (from the network, else the cache)."
    )
    parser.add_argument(
        "name", metavar="NAME", nargs="?", help="the HN username (default: the logged-in user)"
    )
    parser.add_argument(
        "--since",
        type=parse_duration,
        metavar="AGE",
        help="only replies newer than AGE (7d, 12h, 2w)",
    )
    parser.add_argument("--json", action="store_true", help="write the replies as JSON")


def run(args: argparse.Namespace, config: Config) -> int:
    """0 when replies (or none) were shown, 1 when there is nothing to show, 2 when no
    name was given and nobody is logged in."""
    name = args.name or user_of(SessionStore().load())
    if not name:
        say("hnterm replies: nobody is logged in: give a NAME or run hnterm login", file=sys.stderr)
        return USAGE_ERROR
    try:
        result = asyncio.run(_load(config, name, args.since))
    except KeyboardInterrupt:
        return 130
    if not result.found:
        say(f"hnterm replies: {result.note}", file=sys.stderr)
        return NOT_FOUND
    now = time.time()
    if result.from_cache:
        say(f"hnterm replies: {cache_note(result, now)}", file=sys.stderr)
    elif result.note:
        say(f"hnterm replies: {result.note}", file=sys.stderr)
    say(terminal_json(as_json(result)) if args.json else format_replies(result, now))
    return 0


async def _load(config: Config, name: str, since: float | None) -> Replies:
    client = None if config.offline else HNClient(config.api_url, deadline=config.deadline)
    async with command_cache(config, "replies") as worker:
        try:
            return await check_replies(
                Source(client, worker), name, limit=config.replies_limit, since=since
            )
        finally:
            if client is not None:
                await client.aclose()


def cache_note(result: Replies, now: float) -> str:
    """Why the cache answered, and when the API was last asked."""
    when = f"last checked {age(int(result.checked), now)}" if result.checked else "never checked"
    return f"{result.note}; from the cache, {when}"


def format_replies(result: Replies, now: float) -> str:
    """A header line, then two lines a reply: id, age, author, new, its first line; then
    what it answers."""
    new = f", {result.new_count} new" if result.new_count else ""
    lines = [f"replies to {result.name} ({len(result.replies)}{new})"]
    for reply in result.replies:
        text, on = reply_lines(reply)
        mark = "new " if reply.new else ""
        who = (reply.item.by or "[deleted]")[:16]
        when = short_age(reply.item.time, now)
        lines.append(f"{reply.item.id:>9}  {when:>4}  {who:<16}  {mark}{text}")
        lines.append(f"{'':>9}  {on} ({reply.parent.id})")
    if not result.replies:
        lines.append("no replies")
    return "\n".join(lines)


def as_json(result: Replies) -> dict[str, object]:
    return {
        "name": result.name,
        "checked": result.checked,
        "from_cache": result.from_cache,
        "replies": [_reply_json(reply) for reply in result.replies],
    }


def _reply_json(reply: Reply) -> dict[str, object]:
    item, parent = reply.item, reply.parent
    return {
        "id": item.id,
        "by": item.by,
        "time": item.time,
        "text": html_to_plain(item.text),
        "new": reply.new,
        "parent": parent.id,
        "parent_type": parent.type,
        "parent_title": parent.title,
    }
