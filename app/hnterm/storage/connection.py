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

The file is this user's alone (drafts, reading history): created 0600 before SQLite makes it
(SQLite gives its ``-wal`` and ``-shm`` the database's mode), in folders made 0700. And it is
the file that was opened: its device and inode are checked before every write and at close,
so a file moved, replaced or removed by another hand is never written to, and this
connection's log is never folded into what is there now (see ``lost``).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from hnterm.model.errors import CacheError
from hnterm.storage.migrations import migrate
from hnterm.storage.paths import PRIVATE_FILE, make_private_dir
from hnterm.storage.records import CHUNK

if sys.platform != "win32":
    import resource

T = TypeVar("T")
FileId = tuple[int, int]  # (st_dev, st_ino): which file a path names

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
    return _io_cause(exc)


def _io_cause(exc: sqlite3.Error) -> str:
    """An I/O error's text, with the likely cause when a file size limit is in force: past
    it a write fails with EFBIG, which SQLite reports only as 'disk I/O error'."""
    if sys.platform == "win32" or not _is_io_error(exc):
        return str(exc)
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft == resource.RLIM_INFINITY:
        return str(exc)
    return f"{exc}; the file size limit (ulimit -f) of {soft} bytes is the likely cause"


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
        self._refusal = "the cache is read-only"  # what a write is told while read_only
        # The (device, inode) of the file, its -wal and -shm as opened; None in memory or
        # read-only. ``lost`` compares the path with it.
        self._opened: tuple[FileId | None, FileId | None, FileId | None] | None = None
        self._lost: str | None = None  # once set: why nothing more is written
        self.busy_timeout = busy_timeout
        self.path = directory / DB_NAME if directory is not None else None
        self.db = self._connect()

    # -- opening, damage and schema -------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self.path is not None:
            try:
                db = self._connect_file(self.path)
            except (OSError, sqlite3.Error) as exc:
                self.problem = f"cache unavailable ({exc}); nothing will be kept"
                self.path = None
            else:
                if not self.read_only:
                    self._opened = _file_ids(self.path)
                return db
        return self._open(":memory:")

    def _connect_file(self, path: Path) -> sqlite3.Connection:
        make_private_dir(path.parent)
        _make_private(path)
        try:
            db = self._open_waiting(path)
        except sqlite3.DatabaseError as exc:
            if (_is_read_only(exc) or _is_io_error(exc)) and path.is_file():
                return self._open_read_only(path, exc)
            if not _is_damage(exc):
                raise
            moved = _move_aside(path)
            self.problem = _damage_message(moved)
            _make_private(path)
            return self._open(path)
        if not os.access(path, os.W_OK):  # opened, but SQLite cannot write it
            self._read_only_mode()
        return db

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

    def _open_read_only(self, path: Path, why: sqlite3.Error) -> sqlite3.Connection:
        """Open a file SQLite cannot write (``why``: read-only, or an I/O error such as a
        file size limit), for reading: ``mode=ro`` (which still needs the WAL index,
        ``-shm``, to exist or be creatable), else ``immutable=1`` (no locks, no WAL index;
        what is only in a ``-wal`` file is not seen, but the rest is)."""
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
            self._read_only_mode(None if _is_read_only(why) else _io_cause(why))
            return db
        assert error is not None
        raise error

    def _read_only_mode(self, cause: str | None = None) -> None:
        """Reads only from now on; ``cause``: why writes fail, when it is not the file's
        permissions."""
        self.read_only = True
        if cause is None:
            self.problem = (
                f"the cache at {self.path} is read-only: reading it, but nothing new will be kept"
            )
            return
        self._refusal = f"the cache cannot be written ({cause})"
        self.problem = (
            f"the cache at {self.path} cannot be written ({cause}): reading it, "
            "but nothing new will be kept"
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
        if self.lost() is not None:  # not this connection's file to move aside any more
            return True
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

    def lost(self) -> str | None:
        """None while the file at ``path`` is the one opened; else (moved, replaced or removed
        by another hand) why nothing more is written, said once in ``problem`` when first
        seen. Writing on would go to a file nobody will open, and a connection opened on the
        new file would take this one's log for its own (the ``-wal`` and ``-shm`` are found
        by name): so writes stop, and no second connection is opened (``CacheWorker``)."""
        if self._lost is not None or self._opened is None or self.path is None:
            return self._lost
        if _file_id(self.path) != self._opened[0]:
            self._lost = "the cache file was replaced or removed by another program"
            self.problem = (
                f"the cache file {self.path} was replaced or removed by another program: "
                "nothing more is written to it, and the file there now is left as it is"
            )
        return self._lost

    def _fold_log(self) -> None:
        """Checkpoint this connection's log into its own file (wherever that went) and empty
        it, so that until it is removed at close, whatever opens the path finds no frames
        in it to take for its own."""
        with suppress(sqlite3.Error):
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close. For a lost file (see ``lost``) SQLite neither checkpoints nor removes the
        ``-wal`` and ``-shm``, and whatever opens the path next would take them for its
        own: so the log is folded into the file it belongs to (wherever it went), and the
        two are removed while they are still this connection's."""
        lost = self.lost() is not None
        if lost:
            self._fold_log()
        else:
            with suppress(sqlite3.Error):
                self.db.execute("PRAGMA optimize")
        self.db.close()
        if lost and self.path is not None and self._opened is not None:
            for suffix, opened in zip(SIBLINGS[1:], self._opened[1:], strict=True):
                sibling = _sibling(self.path, suffix)
                if opened is not None and _file_id(sibling) == opened:
                    with suppress(OSError):
                        os.unlink(sibling)

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
            raise CacheError(self._refusal)
        lost = self.lost()
        if lost is not None:  # said once in ``problem`` when first seen
            self._fold_log()
            raise CacheError(lost)
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


def _is_io_error(exc: sqlite3.Error) -> bool:
    """True for SQLite's 'disk I/O error' (EIO, EFBIG past a file size limit, ...)."""
    return _says(exc, ("SQLITE_IOERR",), ("disk I/O error",))


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


SIBLINGS = ("", "-wal", "-shm")  # the database and the files SQLite keeps beside it


def _file_id(path: Path) -> FileId | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _file_ids(path: Path) -> tuple[FileId | None, FileId | None, FileId | None]:
    main, wal, shm = (_file_id(_sibling(path, suffix)) for suffix in SIBLINGS)
    return main, wal, shm


def _make_private(path: Path) -> None:
    """Create the database 0600 before SQLite does, whatever the umask; or take group and
    other access away from one an older hnterm made, and its -wal and -shm (when they are
    this user's). Where this fails, SQLite meets the same and says why."""
    if sys.platform == "win32":  # no POSIX modes: the folder's access rules apply
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_FILE)
    except FileExistsError:
        for suffix in SIBLINGS:
            with suppress(OSError):
                sibling = _sibling(path, suffix)
                info = os.lstat(sibling)
                mode = stat.S_IMODE(info.st_mode)
                if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and mode & 0o077:
                    os.chmod(sibling, mode & ~0o077)
        return
    except OSError:
        return
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


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
