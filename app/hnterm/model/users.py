"""HN user profiles as immutable values, parsed defensively from Firebase JSON.

Like items, a profile comes from a loose API that a broken or hostile server can fill with
anything: wrong types become absent values, never exceptions, and a name that could not be an
HN username is refused before it becomes part of a URL path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hnterm.model.items import MAX_ID

# HN usernames are 2-15 letters, digits, '-' or '_'; a few old accounts are shorter or longer,
# so the check is looser than signup's, but still keeps '/', '?', '.' out of the URL path.
_USERNAME = re.compile(r"[A-Za-z0-9_-]{1,40}")


@dataclass(frozen=True, slots=True)
class User:
    """One HN account: ``submitted`` holds its stories, comments and polls, newest first."""

    id: str
    created: int | None = None
    karma: int | None = None
    about: str | None = None
    submitted: tuple[int, ...] = ()


def is_username(name: str) -> bool:
    """Whether ``name`` can be an HN username (and so is safe in a URL path)."""
    return _USERNAME.fullmatch(name) is not None


# The hash half of HN's session cookie: letters and digits (a little looser, and bounded); never
# a space, ';', ',' or a control, which would end or split the Cookie header it goes out in.
_COOKIE_HASH = re.compile(r"[A-Za-z0-9_.+/=-]{1,256}")


def cookie_problem(cookie: str) -> str | None:
    """Why ``cookie`` is not HN's ``user`` cookie (``NAME&HASH``, NAME an HN user name), in a
    few words that never quote it (it is a secret, and may be hostile); None when it is."""
    name, amp, secret = cookie.partition("&")
    if not amp:
        return "it is not NAME&HASH"
    if not is_username(name):
        return "its NAME is not an HN user name"
    if _COOKIE_HASH.fullmatch(secret) is None:
        return "its HASH holds characters HN's never does"
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _submitted(value: Any) -> tuple[int, ...]:
    """Distinct item ids, newest (largest) first; anything else in the list is dropped."""
    if not isinstance(value, list):
        return ()
    ids = {v for v in value if isinstance(v, int) and not isinstance(v, bool) and 0 < v <= MAX_ID}
    return tuple(sorted(ids, reverse=True))


def parse_user(raw: Any, expected: str) -> User | None:
    """A User from decoded JSON, or None (``null`` for an unknown name, or junk).

    An answer about another name than ``expected`` is refused (case-insensitively: HN's ids
    keep the case the account was made with).
    """
    if not isinstance(raw, dict):
        return None
    name = raw.get("id")
    if not isinstance(name, str) or name.lower() != expected.lower() or not is_username(name):
        return None
    about = raw.get("about")
    return User(
        id=name,
        created=_int(raw.get("created")),
        karma=_int(raw.get("karma")),
        about=about if isinstance(about, str) else None,
        submitted=_submitted(raw.get("submitted")),
    )


def user_to_json(user: User) -> dict[str, Any]:
    """The Firebase form of a profile (absent fields omitted), for the cache."""
    out: dict[str, Any] = {"id": user.id}
    for name in ("created", "karma", "about"):
        value = getattr(user, name)
        if value is not None:
            out[name] = value
    if user.submitted:
        out["submitted"] = list(user.submitted)
    return out
