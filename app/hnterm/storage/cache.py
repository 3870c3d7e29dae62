"""The local SQLite cache: the offline library of items, threads, lists and read state.

One class for callers, built from one module per job: ``connection`` (opening, damage,
read-only files, transactions), ``migrations`` (the schema), ``repository`` (what is kept),
``search`` (full-text search), ``housekeeping`` (size, pruning) and ``saves`` (saves in
progress, and which process owns each). The cache must never take the app down; a write that
fails raises ``CacheError`` with the reason, and ``problem`` says what the user should know.
"""

from __future__ import annotations

from hnterm.storage.articles import Articles
from hnterm.storage.connection import BUSY_TIMEOUT, DB_NAME, CacheError, write_failure
from hnterm.storage.drafts import Drafts
from hnterm.storage.housekeeping import CacheStats, Housekeeping
from hnterm.storage.library import LibraryStore
from hnterm.storage.migrations import SCHEMA_VERSION
from hnterm.storage.profiles import Profiles
from hnterm.storage.records import Cached
from hnterm.storage.saves import Busy, Claim, Saves
from hnterm.storage.search import Search, SearchHit

__all__ = [
    "BUSY_TIMEOUT",
    "DB_NAME",
    "SCHEMA_VERSION",
    "Busy",
    "Cache",
    "CacheError",
    "CacheStats",
    "Cached",
    "Claim",
    "SearchHit",
    "write_failure",
]


class Cache(Housekeeping, Search, Profiles, Drafts, Articles, LibraryStore, Saves):
    """Items, threads, story lists, saved threads and saves in progress, settings, read
    state and user profiles in one file."""
