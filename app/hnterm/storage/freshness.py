"""How long a cached copy is trusted before the network is asked again.

Old threads barely change while new ones grow by the minute, so the trust period grows with
the item's age: a just-posted story is refetched after a minute, a month-old one after a week.
Pure functions of the clock values they are given, so the policy is tested without waiting.
"""

from __future__ import annotations

MINUTE = 60.0
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY
MONTH = 30 * DAY

# (item younger than, trusted for); the first row that fits wins.
POLICY: tuple[tuple[float, float], ...] = (
    (HOUR, MINUTE),
    (DAY, 5 * MINUTE),
    (WEEK, HOUR),
    (MONTH, DAY),
)
OLDEST = WEEK  # trusted for, once an item is a month old or more
UNKNOWN_AGE = 5 * MINUTE  # an item without a time: no age to go by, so not trusted for long
GONE_FLOOR = DAY  # deleted and dead items rarely change again


def max_age(item_time: int | float | None, now: float, *, gone: bool = False) -> float:
    """Seconds a copy of an item posted at ``item_time`` stays fresh (``gone``: deleted/dead).

    A time in the future (clock skew) counts as just posted.
    """
    if item_time is None:
        trusted = UNKNOWN_AGE
    else:
        age = max(0.0, now - item_time)
        trusted = next((keep for younger, keep in POLICY if age < younger), OLDEST)
    return max(GONE_FLOOR, 4 * trusted) if gone else trusted


def is_fresh(
    item_time: int | float | None, fetched: float | None, now: float, *, gone: bool = False
) -> bool:
    """True when a copy fetched at ``fetched`` can be served without asking the network.

    Never fetched is stale; so is a fetch time in the future (the clock went back, so the
    copy's age is unknown).
    """
    if fetched is None:
        return False
    since = now - fetched
    return 0.0 <= since < max_age(item_time, now, gone=gone)
