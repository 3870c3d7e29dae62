"""Small formatting helpers shared by the list, the thread view and the exporter."""

from __future__ import annotations

import time as _time
from collections.abc import Collection
from urllib.parse import parse_qs, urlsplit

_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
)

# The clock ages are measured against; tests and screenshots pin it so output is stable.
clock = _time.time


def _elapsed(timestamp: int, now: float | None) -> tuple[str, int] | None:
    """The largest unit in the time since ``timestamp``, and how many of it (None: under
    a minute)."""
    seconds = max(0, int((now if now is not None else clock()) - timestamp))
    for name, size in _UNITS:
        if seconds >= size:
            return name, seconds // size
    return None


def age(timestamp: int | None, now: float | None = None) -> str:
    """'3 hours ago' style age, as HN shows it."""
    if timestamp is None:
        return "?"
    elapsed = _elapsed(timestamp, now)
    if elapsed is None:
        return "just now"
    name, count = elapsed
    return f"{count} {name}{'s' if count != 1 else ''} ago"


_SHORT = {"year": "y", "month": "mo", "day": "d", "hour": "h", "minute": "m"}


def short_age(timestamp: int | None, now: float | None = None) -> str:
    """'3h' style age, for narrow places (the story list, search hits)."""
    if timestamp is None:
        return "?"
    elapsed = _elapsed(timestamp, now)
    if elapsed is None:
        return "now"
    name, count = elapsed
    return f"{count}{_SHORT[name]}"


def item_url(item_id: int) -> str:
    """An item's page on news.ycombinator.com."""
    return f"https://news.ycombinator.com/item?id={item_id}"


HN_HOSTS = ("news.ycombinator.com", "ycombinator.com")  # where an item link is HN's
DEFAULT_WEB_URL = "https://news.ycombinator.com"  # HN's web site: login, votes, replies
WEB_ENV = "HNTERM_WEB_URL"  # names another (the tests' fake); here, so the command line
# can read it without importing the web client


def hn_item_of(url: str, hosts: Collection[str] = HN_HOSTS) -> int | None:
    """The item id of an item link on one of ``hosts`` (HN's), or None for any other URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.path != "/item":
        return None
    if (parts.hostname or "") not in hosts:
        return None
    ids = parse_qs(parts.query).get("id", [])
    if not ids or not (ids[0].isascii() and ids[0].isdigit()):
        return None
    return int(ids[0])


def item_id_of(value: str, hosts: Collection[str] = HN_HOSTS) -> int | None:
    """The number in '123', 'item?id=123' or an item link on one of ``hosts`` (HN's; the
    scheme may be left out), not range-checked; None for anything else: a link to another
    site is not an HN item, whatever its ``id``."""
    value = value.strip()
    if value.isascii() and value.isdigit():
        return int(value)
    if value.startswith("item?"):
        return hn_item_of(f"https://{HN_HOSTS[0]}/{value}")
    return hn_item_of(value if "://" in value else f"https://{value}", hosts)


def domain(url: str | None) -> str:
    """The host of a story URL without 'www.', or '' for text posts."""
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 comment', '2 comments' (counts as HN writes them, no separators); ``many`` for
    irregular plurals ('reply', 'replies')."""
    return f"{count} {word if count == 1 else many or word + 's'}"
