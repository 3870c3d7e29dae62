"""What a reader never wants to read: the config's ``[filters]`` and what they match.

Three lists: ``words`` (each one a query of the search grammar, ``hnterm.model.query``:
words, "phrases", ``word*``; all of an entry's terms must be in the text), ``domains`` (a
story's link to that domain or any subdomain of it) and ``users`` (what they post). Stories
that match are left out of the lists; comments that match are folded to one line that says
why. Pure: the callers turn HTML into text and decide what a match does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from hnterm.model.items import Item
from hnterm.model.query import matcher, parse_query

_USER = re.compile(r"[A-Za-z0-9_-]+")
_DOMAIN = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*")


@dataclass(frozen=True)
class Filters:
    """The config's ``[filters]``, checked (``check_*``)."""

    words: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  # lower case, no leading dot
    users: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.domains or self.users)


def check_words(value: object) -> tuple[str, ...]:
    """Entries of the search grammar; one with nothing searchable would match nothing."""
    entries = _strings(value)
    for entry in entries:
        if parse_query(entry).empty:
            raise ValueError(f"{entry!r} has no word to look for")
    return entries


def check_domains(value: object) -> tuple[str, ...]:
    """Host names (``example.com``; ``*.example.com`` and ``.example.com`` mean the same)."""
    domains = []
    for entry in _strings(value):
        name = entry.strip().lower().removeprefix("*.").strip(".")
        if not _DOMAIN.fullmatch(name):
            raise ValueError(f"{entry!r} is not a domain name such as example.com")
        domains.append(name)
    return tuple(domains)


def check_users(value: object) -> tuple[str, ...]:
    """HN user names (letters, digits, - and _)."""
    entries = tuple(entry.strip() for entry in _strings(value))
    for entry in entries:
        if not _USER.fullmatch(entry):
            raise ValueError(f"{entry!r} is not an HN user name")
    return entries


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError('must be a list of non-empty strings, such as ["one", "two"]')
    return tuple(value)


Reason = Callable[[Item, str], str | None]


def reasons(filters: Filters) -> tuple[Reason, Reason]:
    """Tests of a story and of a comment, ``(item, plain text) -> why it is filtered``
    (None: it is not), built once for the filters (the patterns compiled once)."""
    words = [(entry, matcher(parse_query(entry))) for entry in filters.words]
    users = {name.lower(): name for name in filters.users}

    def by_user(item: Item) -> str | None:
        name = users.get((item.by or "").lower())
        return f"by user {name}" if name is not None else None

    def by_words(text: str) -> str | None:
        for entry, test in words:
            if test(text, None):
                return f"matches {entry}"
        return None

    def story(item: Item, text: str) -> str | None:
        site = _host(item.url)
        for name in filters.domains:
            if site == name or site.endswith("." + name):
                return f"from {name}"
        return by_user(item) or by_words(f"{item.title or ''}\n{text}")

    def comment(item: Item, text: str) -> str | None:
        if item.deleted or item.dead:
            return None  # nothing of it is shown anyway
        return by_user(item) or by_words(text)

    return story, comment


def _host(url: str | None) -> str:
    try:
        host = urlsplit(url or "").hostname
    except ValueError:
        return ""
    return (host or "").rstrip(".").lower()
