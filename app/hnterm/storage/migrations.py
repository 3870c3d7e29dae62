"""The cache's schema, as numbered steps keyed by SQLite's ``user_version``.

Each step brings one version to the next, in one transaction with the others, so an old cache
is upgraded in place and keeps its data; a future change is one more step at the end.
"""

from __future__ import annotations

import sqlite3

from hnterm.storage.records import CHUNK, decode, search_row

SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    root INTEGER,
    json TEXT NOT NULL,
    fetched REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS items_root ON items(root);
CREATE TABLE IF NOT EXISTS lists (
    name TEXT PRIMARY KEY,
    ids TEXT NOT NULL,
    fetched REAL NOT NULL
);
"""
# Version 2: thread refresh times, saved threads, read state and full-text search.
SCHEMA_V2 = """
CREATE TABLE IF NOT EXISTS threads (
    root INTEGER PRIMARY KEY,
    refreshed REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS saved (
    root INTEGER PRIMARY KEY,
    saved_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS read_state (
    root INTEGER PRIMARY KEY,
    opened_at REAL NOT NULL,
    comment_count INTEGER NOT NULL,
    seen BLOB NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
    title, body, author, tokenize = 'unicode61 remove_diacritics 2'
);
"""
# Version 3: small settings the app remembers (the story list hidden, ...) and saves asked
# for but not finished, so a quit in the middle of one resumes it at the next start.
SCHEMA_V3 = """
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_saves (
    root INTEGER PRIMARY KEY,
    asked_at REAL NOT NULL
);
"""

# Version 4: user profiles (``hnterm.storage.profiles``), kept like items with their fetch time.
SCHEMA_V4 = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    json TEXT NOT NULL,
    fetched REAL NOT NULL
);
"""

# Version 5: reply drafts (``hnterm.storage.drafts``), kept as typed until HN takes them.
SCHEMA_V5 = """
CREATE TABLE IF NOT EXISTS drafts (
    parent INTEGER PRIMARY KEY,
    root INTEGER NOT NULL,
    text TEXT NOT NULL,
    updated REAL NOT NULL,
    error TEXT
);
"""

# Version 6: a story's article as read (``hnterm.storage.articles``): the extracted text in our
# own JSON form (never the page's HTML), the URL it came from, and when it was fetched.
SCHEMA_V6 = """
CREATE TABLE IF NOT EXISTS articles (
    story INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    json TEXT NOT NULL,
    fetched REAL NOT NULL
);
"""

# Version 7 (issue 26): drafts belong to the account that wrote them (``account``, '' for those
# kept before accounts were told apart), so the table is made again with (parent, account) as
# its key; and each setting keeps when it was set, so a library import overwrites none newer.
# SQLite has no ADD COLUMN IF NOT EXISTS: ``_accounts_and_times`` runs these where needed.
SETTINGS_V7 = "ALTER TABLE settings ADD COLUMN updated REAL NOT NULL DEFAULT 0"
DRAFTS_V7 = """
CREATE TABLE drafts_by_account (
    parent INTEGER NOT NULL,
    account TEXT NOT NULL DEFAULT '',
    root INTEGER NOT NULL,
    text TEXT NOT NULL,
    updated REAL NOT NULL,
    error TEXT,
    PRIMARY KEY (parent, account)
);
INSERT INTO drafts_by_account (parent, account, root, text, updated, error)
    SELECT parent, '', root, text, updated, error FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_by_account RENAME TO drafts;
"""

# (version reached, statements): applied in order to any cache below that version.
STEPS: tuple[tuple[int, str], ...] = (
    (2, SCHEMA_V1 + SCHEMA_V2),
    (3, SCHEMA_V3),
    (4, SCHEMA_V4),
    (5, SCHEMA_V5),
    (6, SCHEMA_V6),
    (7, ""),  # ``_accounts_and_times``
)
SCHEMA_VERSION = STEPS[-1][0]


def migrate(db: sqlite3.Connection) -> str | None:
    """Bring the schema to SCHEMA_VERSION; returns a problem to report, or None."""
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return None
    db.execute("BEGIN IMMEDIATE")  # another process may be migrating: wait, then re-read
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        problem = None
        if version > SCHEMA_VERSION:
            problem = (
                f"this cache was made by a newer hnterm (schema {version}); "
                "using it as far as this version understands it"
            )
        else:
            for reached, script in STEPS:
                if version >= reached:
                    continue
                # One statement at a time: executescript() would commit half-way.
                for statement in _statements(script):
                    db.execute(statement)
                if reached == 2 and (version >= 1 or _has_rows(db, "items")):
                    _index_existing(db)  # version 2 brought the search index
                if reached == 7:
                    _accounts_and_times(db)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return problem


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _accounts_and_times(db: sqlite3.Connection) -> None:
    """Version 7's changes, each only where not made yet (a cache told it is older than it
    is must not fail on a column it has)."""
    if "updated" not in _columns(db, "settings"):
        db.execute(SETTINGS_V7)
    if "account" not in _columns(db, "drafts"):
        for statement in _statements(DRAFTS_V7):
            db.execute(statement)


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _has_rows(db: sqlite3.Connection, table: str) -> bool:
    return db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None


def _index_existing(db: sqlite3.Connection) -> None:
    """Index every item of a version-1 cache (part of the migration transaction)."""
    db.execute("DELETE FROM search_text")
    cursor = db.execute("SELECT id, json FROM items")
    while rows := cursor.fetchmany(CHUNK):
        index_rows = []
        for item_id, text in rows:
            entry = decode(item_id, text, 0.0)
            row = search_row(entry.item) if entry is not None else None
            if row is not None:
                index_rows.append(row)
        db.executemany(
            "INSERT INTO search_text (rowid, title, body, author) VALUES (?, ?, ?, ?)",
            index_rows,
        )
