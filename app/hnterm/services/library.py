"""Your library on every machine: the cache's read marks, saved threads, preferences and drafts
written to one JSON file and merged back from one (``hnterm library``).

A file in a synced folder carries a library between machines: ``sync`` merges the folder's file
into the cache, then writes the union back. Writes are atomic (a temporary file beside the
target, synced, then renamed), so a reader of the folder never sees half a library; reads are
bounded (``storage.files.read_text``: a regular file under ``MAX_LIBRARY_BYTES``), and every
field is checked (``model.library.parse_library``). A refused file changes nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hnterm.model.library import Library, LibraryError, Merged, library_to_json, parse_library
from hnterm.services.settings import COMMENT_ORDER, INLINE_REPLIES, LIST_HIDDEN, LIST_WIDTH, THEME
from hnterm.storage.cache import Cache
from hnterm.storage.files import FileRefused, read_text

SYNC_FILE = "hnterm-library.json"  # the one file ``sync`` reads and writes in its folder
MAX_LIBRARY_BYTES = 64 * 1024 * 1024  # read marks of years, and saved threads with items
# What a library carries: every remembered preference (``services.settings``).
PREFERENCES = (LIST_HIDDEN, LIST_WIDTH, INLINE_REPLIES, THEME, COMMENT_ORDER)


@dataclass(frozen=True)
class Synced:
    """What ``sync`` did: merged the folder's file (None when there was none), wrote it back."""

    merged: Merged | None
    written: Library
    path: Path


def export_library(cache: Cache, path: Path, *, with_items: bool = False) -> Library:
    """Write the cache's library to ``path`` atomically; what was written."""
    library = cache.library(PREFERENCES, with_items=with_items)
    _write_atomically(path, json.dumps(library_to_json(library), separators=(",", ":")))
    return library


def import_library(cache: Cache, path: Path) -> Merged:
    """Merge the library file ``path`` into the cache (``LibraryError`` if refused: then
    nothing changed; ``FileNotFoundError`` when there is no such file)."""
    return cache.merge_library(read_library(path), PREFERENCES)


def sync_library(cache: Cache, directory: Path, *, with_items: bool = False) -> Synced:
    """Merge ``directory``'s library file (if any), then write the union back to it."""
    path = directory / SYNC_FILE
    try:
        merged: Merged | None = import_library(cache, path)
    except FileNotFoundError:
        merged = None
    return Synced(merged, export_library(cache, path, with_items=with_items), path)


def read_library(path: Path) -> Library:
    """The checked library in ``path``: one ``LibraryError`` line for anything wrong."""
    try:
        text = read_text(path, limit=MAX_LIBRARY_BYTES)
    except FileRefused as exc:
        raise LibraryError(str(exc)) from None
    try:
        raw = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise LibraryError("is not a library: nested too deep") from None
    except ValueError as exc:  # bad JSON, NaN, an integer too long to read
        raise LibraryError(f"is not JSON: {str(exc)[:120]}") from None
    return parse_library(raw, time.time())


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _write_atomically(path: Path, text: str) -> None:
    """``text`` at ``path`` whole or not at all; the file is its owner's alone (0600)."""
    folder = path.parent
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".hnterm-library-")
    except OSError as exc:
        raise LibraryError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise LibraryError(f"cannot write {path}: {exc.strerror or exc}") from None
