"""Small formatting helpers shared by the list, the thread view and the exporter."""

from __future__ import annotations

import time as _time
from urllib.parse import urlsplit

_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
)

# The clock ages are measured against; tests and screenshots pin it so output is stable.
clock = _time.time


def age(timestamp: int | None, now: float | None = None) -> str:
    """'3 hours ago' style age, as HN shows it."""
    if timestamp is None:
        return "?"
    seconds = max(0, int((now if now is not None else clock()) - timestamp))
    for name, size in _UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {name}{'s' if count != 1 else ''} ago"
    return "just now"


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
    """'1 comment', '2 comments'; ``many`` for irregular plurals ('reply', 'replies')."""
    return f"{count} {word if count == 1 else many or word + 's'}"
