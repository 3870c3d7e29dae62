"""The search syntax of ``hnterm search`` and the in-app cache search, as FTS5 expressions.

Users type words, "quoted phrases", ``word*`` prefixes, ``-word`` exclusions and
``by:name`` / ``author:name`` filters. Every user string ends up inside FTS5 quotes, so no
input can be an FTS or SQL syntax error; tokens with nothing searchable are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchQuery:
    """A parsed search: FTS phrases that must all match, ones that must not, and authors."""

    phrases: tuple[str, ...] = ()  # each an FTS5 string, quoted, maybe with a trailing *
    excluded: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    excluded_authors: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()  # the words and phrases as typed, for highlighting
    dropped: int = 0  # terms left out: past MAX_TERMS, or words past MAX_QUERY characters
    repeated: int = 0  # terms given more than once, merged (they change nothing)

    @property
    def kept(self) -> int:
        """How many terms the search uses (words, phrases, exclusions and authors)."""
        return (
            len(self.phrases) + len(self.excluded) + len(self.authors) + len(self.excluded_authors)
        )

    @property
    def empty(self) -> bool:
        return not self.phrases and not self.authors


# Terms kept from one query: every term is one more pass over the index, so a pasted page of
# text would take minutes; no real search needs more than a few dozen words.
MAX_TERMS = 32
MAX_QUERY = 2000  # characters read from a query; the rest is dropped unread

_TOKEN = re.compile(r'(-)?(?:(by|author):)?(?:"([^"]*)"?|([^\s"]+))', re.IGNORECASE)
_USERNAME = re.compile(r"[A-Za-z0-9_-]+")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def parse_query(text: str) -> SearchQuery:
    """Words (all must match), "quoted phrases", ``word*`` prefixes, ``-word`` exclusions and
    ``by:name``/``author:name`` filters (``-by:name`` leaves an author out). Tokens with
    nothing searchable in them are dropped, so any input parses."""
    phrases: list[str] = []
    excluded: list[str] = []
    authors: list[str] = []
    excluded_authors: list[str] = []
    terms: list[str] = []
    dropped = repeated = 0
    text = text or ""
    if len(text) > MAX_QUERY:
        # Counted, not parsed; a word cut in two is kept (its first part), not dropped.
        rest = text[MAX_QUERY:]
        cut_word = not text[MAX_QUERY - 1].isspace() and not rest[0].isspace()
        dropped += len(rest.split()) - cut_word
        text = text[:MAX_QUERY]
    seen: set[tuple[bool, str]] = set()  # every term met, kept or not: repeats are merged
    # Controls are never searchable, and a NUL would end the FTS5 string early in C.
    for match in _TOKEN.finditer(_CONTROL.sub(" ", text)):
        negate, field, quoted, bare = match.groups()
        raw = quoted if quoted is not None else bare or ""
        if not field and raw.lower() in ("by:", "author:"):
            continue  # a filter with no name
        if field:
            name = _USERNAME.search(raw)
            if not name:
                continue
            key = (bool(negate), "by:" + name.group())
            if key in seen:
                repeated += 1
            elif len(authors) + len(excluded_authors) >= MAX_TERMS:
                dropped += 1
            else:
                (excluded_authors if negate else authors).append(name.group())
            seen.add(key)
            continue
        prefix = quoted is None and raw.endswith("*")
        words = raw.rstrip("*") if prefix else raw
        if not any(ch.isalnum() for ch in words):
            continue
        phrase = '"' + words.replace('"', '""') + '"' + ("*" if prefix else "")
        key = (bool(negate), phrase)
        if key in seen:
            repeated += 1
            continue
        seen.add(key)
        if len(phrases) + len(excluded) >= MAX_TERMS:
            dropped += 1
            continue
        (excluded if negate else phrases).append(phrase)
        if not negate:
            terms.append(words)
    if not phrases:
        excluded = []  # FTS5 has no 'everything but': a lone exclusion finds nothing useful
    return SearchQuery(
        tuple(phrases),
        tuple(excluded),
        tuple(authors),
        tuple(excluded_authors),
        tuple(terms),
        dropped,
        repeated,
    )


def fts_expression(query: SearchQuery) -> str:
    """The FTS5 MATCH expression of a parsed query (every user string inside quotes)."""
    names = " OR ".join('"' + name + '"' for name in query.authors)
    authors = f"author : ({names})" if names else ""
    if not query.phrases:
        return authors
    expression = " AND ".join(query.phrases)
    for phrase in query.excluded:
        expression = f"({expression}) NOT {phrase}"
    return f"({expression}) AND {authors}" if authors else expression
