"""The search grammar (``hnterm.model.query``) as an SQLite FTS5 MATCH expression."""

from __future__ import annotations

from hnterm.model.query import SearchQuery


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
