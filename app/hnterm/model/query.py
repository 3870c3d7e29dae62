"""The one search grammar: the thread search (in memory) and the cache search (SQLite FTS5).

Users type words, "quoted phrases", ``word*`` prefixes, ``-word`` exclusions and
``by:name`` / ``author:name`` filters. ``parse_query`` reads them once; ``storage.query``
turns the result into an FTS5 expression (every user string inside FTS5 quotes, so no input
can be an FTS or SQL syntax error) and ``matcher`` tests a comment in memory the same way.
Tokens with nothing searchable are dropped, so any input parses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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


Matcher = Callable[[str, str | None], bool]


def matcher(query: SearchQuery) -> Matcher:
    """A test of one item, ``(text, author) -> bool``, meaning what the FTS search means:
    every phrase in the text (whole words; ``word*`` any word starting so), none of the
    excluded ones, the author among those named and not among those left out. Case is
    ignored. Patterns are compiled once per query, not once per comment."""
    wanted = [_pattern(phrase) for phrase in query.phrases]
    unwanted = [_pattern(phrase) for phrase in query.excluded]
    authors = {name.lower() for name in query.authors}
    not_authors = {name.lower() for name in query.excluded_authors}

    def test(text: str, author: str | None) -> bool:
        name = (author or "").lower()
        if (authors and name not in authors) or name in not_authors:
            return False
        return all(p.search(text) for p in wanted) and not any(p.search(text) for p in unwanted)

    return test


def _pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as stored in SearchQuery (FTS5-quoted, maybe ``*``) as a regex over text."""
    prefix = phrase.endswith("*")
    words = phrase.rstrip("*")[1:-1].replace('""', '"')
    spaced = r"\s+".join(re.escape(word) for word in words.split())
    return re.compile(r"(?<!\w)" + spaced + ("" if prefix else r"(?!\w)"), re.IGNORECASE)
