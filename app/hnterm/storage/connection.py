"""The cache's connection: opening, damage, read-only files and transactions.

The cache must never take the app down: if the file cannot be opened the cache falls back to
an in-memory database and says why in ``problem``. A failing write is recorded there too and
raised as ``CacheError`` with the reason, so no caller can take it for done. A damaged file is
moved aside (``hnterm.sqlite3.corrupt-<time>``) and a fresh one started, whether the damage
shows on opening or later.

Every write is one ``BEGIN IMMEDIATE`` transaction, so a killed process leaves either all of a
write or none of it, and a second hnterm process waits its turn (up to 5 s) instead of failing.
Items are written with ``synchronous=NORMAL`` (a power cut may lose the last batch, which is
refetched); saved threads and read state with ``FULL``, because they cannot be refetched.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from hnterm.model.errors import CacheError
from hnterm.storage.migrations import migrate
from hnterm.storage.records import CHUNK

T = TypeVar("T")

DB_NAME = "hnterm.sqlite3"
BUSY_TIMEOUT = 5.0  # seconds a writer waits for another hnterm process's transaction
WAL_LIMIT = 16 * 1024 * 1024  # bytes the WAL file is cut back to after a checkpoint


def write_failure(exc: sqlite3.Error) -> str:
    """Why a write failed, in the user's words."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return "the cache is locked by another hnterm"
    if name.startswith("SQLITE_FULL") or "full" in text:
        return f"the disk is full ({text})"
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return "the cache is read-only"
    return text


class Connection:
    """One SQLite connection to the cache file, with the rules every query follows."""

    def __init__(self, directory: Path | None, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        """Open (creating or upgrading) the cache in ``directory``; ``None`` keeps it in memory.

        ``busy_timeout``: how long a write waits for another hnterm process's transaction
        before it fails with "the cache is locked by another hnterm"."""
        self.problem: str | None = None
        # Set when the file could only be opened for reading (a read-only folder or file):
        # reads work, every write raises CacheError("the cache is read-only").
        self.read_only = False
        self.busy_timeout = busy_timeout
        self.path = directory / DB_NAME if directory is not None else None
        self.db = self._connect()

    # -- opening, damage and schema -------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    db = self._open_waiting(self.path)
                except sqlite3.DatabaseError as exc:
                    if _is_read_only(exc) and self.path.is_file():
                        return self._open_read_only(self.path)
                    if not _is_damage(exc):
                        raise
                    moved = _move_aside(self.path)
                    self.problem = _damage_message(moved)
                    return self._open(self.path)
                if not os.access(self.path, os.W_OK):  # opened, but SQLite cannot write it
                    self._read_only_mode()
                return db
            except (OSError, sqlite3.Error) as exc:
                self.problem = f"cache unavailable ({exc}); nothing will be kept"
                self.path = None
        return self._open(":memory:")

    def _open_waiting(self, path: Path) -> sqlite3.Connection:
        """_open, retried while another process holds the file: switching a new file to WAL
        mode fails at once with 'database is locked' instead of waiting like other locks."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                return self._open(path)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _open(self, target: Path | str) -> sqlite3.Connection:
        db = sqlite3.connect(target, timeout=self.busy_timeout, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")  # the first read: garbage files fail here
            db.execute("PRAGMA synchronous=NORMAL")
            # A big write (a prune, a migration) must not leave a WAL file that size for good.
            db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT}")
            self._migrate(db)
            # Touch both ends of the big b-trees: a truncated file fails here, not mid-read.
            db.execute("SELECT min(id), max(id) FROM items").fetchone()
            db.execute("SELECT max(rowid) FROM search_text").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _open_read_only(self, path: Path) -> sqlite3.Connection:
        """Open a file SQLite cannot write, for reading: ``mode=ro`` (which still needs the
        WAL index, ``-shm``, to exist or be creatable), else ``immutable=1`` (no locks, no
        WAL index; what is only in a ``-wal`` file is not seen, but the rest is)."""
        uri = path.absolute().as_uri()
        error: sqlite3.Error | None = None
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                db = sqlite3.connect(
                    uri + query, uri=True, timeout=self.busy_timeout, isolation_level=None
                )
            except sqlite3.Error as exc:
                error = exc
                continue
            try:
                # No migration (it would be a write); touch the b-trees as _open does.
                db.execute("SELECT min(id), max(id) FROM items").fetchone()
                db.execute("SELECT max(rowid) FROM search_text").fetchone()
            except sqlite3.Error as exc:
                db.close()
                error = exc
                continue
            self._read_only_mode()
            return db
        assert error is not None
        raise error

    def _read_only_mode(self) -> None:
        self.read_only = True
        self.problem = (
            f"the cache at {self.path} is read-only: reading it, but nothing new will be kept"
        )

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Bring the schema up to date (see ``migrations``); a newer one is used as is."""
        problem = migrate(db)
        if problem:
            self.problem = problem

    def _damaged(self, exc: sqlite3.Error) -> bool:
        """If ``exc`` says the file is damaged, move it aside and start afresh; True if so."""
        if not _is_damage(exc) or self.path is None:
            return False
        self.db.close()
        try:
            moved = _move_aside(self.path)
        except OSError as error:
            self.path = None
            self.db = self._open(":memory:")
            self.problem = f"the cache file is damaged and could not be moved aside ({error})"
            return True
        self.problem = None
        self.db = self._connect()
        reopened = f"; {self.problem}" if self.problem else ""
        self.problem = _damage_message(moved) + reopened
        return True

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self.db.execute("PRAGMA optimize")
        self.db.close()

    def check(self) -> str:
        """``PRAGMA integrity_check``: 'ok', or what is wrong (reads the whole file)."""
        rows = self._read("PRAGMA integrity_check")
        return "\n".join(str(row[0]) for row in rows) if rows else "check failed"

    # -- transactions ---------------------------------------------------------------------
    @contextmanager
    def _transaction(self, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction; ``durable`` also syncs the WAL to disk at commit."""
        db = self.db
        if durable:
            db.execute("PRAGMA synchronous=FULL")
        try:
            self._begin()
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        finally:
            if durable:
                db.execute("PRAGMA synchronous=NORMAL")

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, polling every millisecond while another process writes.

        SQLite's own busy handler backs off to 100 ms naps, so a busy writer next door can
        keep this one out for seconds; short polls slip into the gaps between its writes.
        The wait is bounded by the connection's busy timeout, as SQLite's would be.
        """
        db = self.db
        timeout = db.execute("PRAGMA busy_timeout").fetchone()[0] / 1000
        if timeout <= 0:
            db.execute("BEGIN IMMEDIATE")
            return
        deadline = time.monotonic() + timeout
        db.execute("PRAGMA busy_timeout=0")
        try:
            while True:
                try:
                    db.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc) or time.monotonic() > deadline:
                        raise
                time.sleep(0.001)
        finally:
            db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")

    def _write(self, action: Callable[[sqlite3.Connection], T], *, durable: bool = False) -> T:
        """Run ``action`` in a transaction. A failure is remembered in ``problem`` and raised
        as ``CacheError`` with a reason for the user: a write never fails silently."""
        if self.read_only:  # said once in ``problem`` when opened
            raise CacheError("the cache is read-only")
        try:
            with self._transaction(durable) as db:
                return action(db)
        except sqlite3.Error as exc:
            reason = write_failure(exc)
            if not self._damaged(exc):
                self.problem = f"cache write failed: {reason}"
            raise CacheError(reason) from exc

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            if not self._damaged(exc):
                self.problem = f"cache read failed: {exc}"
            return []

    def _read_in(self, sql: str, ids: Iterable[int]) -> list[tuple[Any, ...]]:
        """``sql`` with ``{marks}`` standing for a list of ids, run in chunks."""
        wanted = list(ids)
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(wanted), CHUNK):
            chunk = tuple(wanted[start : start + CHUNK])
            rows += self._read(sql.format(marks=",".join("?" * len(chunk))), chunk)
        return rows


def _is_damage(exc: BaseException) -> bool:
    """True for 'file is not a database' and 'database disk image is malformed' errors."""
    return _says(exc, ("SQLITE_CORRUPT", "SQLITE_NOTADB"), ("malformed", "not a database"))


def _is_read_only(exc: sqlite3.Error) -> bool:
    """True when SQLite cannot write the file or make its journal (a read-only folder or
    file): 'attempt to write a readonly database', 'unable to open database file'."""
    return _says(exc, ("SQLITE_READONLY", "SQLITE_CANTOPEN"), ("readonly", "unable to open"))


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    """True for 'database is locked': another connection holds the lock we need."""
    return _says(exc, ("SQLITE_BUSY", "SQLITE_LOCKED"), ("locked",))


def _says(exc: BaseException, names: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether a SQLite error is of one of these kinds: by its error name where Python gives
    it, else by its message."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(names) or any(word in str(exc) for word in words)


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _move_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) to ``<name>.corrupt-<time>``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = _sibling(path, f".corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = _sibling(path, f".corrupt-{stamp}-{n}")
    for suffix in ("-wal", "-shm", ""):
        source = _sibling(path, suffix)
        if source.exists():
            os.replace(source, _sibling(target, suffix))
    return target


def _damage_message(moved: Path) -> str:
    return f"the cache file was damaged; it was moved to {moved} and a new cache started"
