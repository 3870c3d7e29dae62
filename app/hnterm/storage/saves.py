"""Saves in progress, and which process is doing each.

A save asked for is a row of ``pending_saves`` (durable: it outlives a quit or a kill, so a
later start resumes it). While a process downloads it, that process holds an exclusive
``flock`` on ``saving/<root>.lock`` beside the database; the file holds its pid, for
messages only. A pending save nobody holds is one whose owner is gone.

Why a lock and not a pid (or pid and start time) in the row: the kernel drops the lock when
its holder ends, however it ends (``kill -9`` included), so whether the owner is alive never
depends on a pid that may have been reused, on ``/proc``, or on clocks (a lease row would
need a heartbeat, and a stopped process would lose it); and taking it is atomic, so of two
processes resuming the same save exactly one gets it. ``flock`` rather than fcntl's POSIX
locks, because its locks belong to the open file: two caches in one process exclude each
other too, and closing some other descriptor of the file does not drop it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from hnterm.model.errors import CacheError
from hnterm.storage.connection import BUSY_TIMEOUT
from hnterm.storage.paths import PRIVATE_FILE, make_private_dir
from hnterm.storage.repository import Repository

if sys.platform != "win32":
    import fcntl

LOCK_DIR = "saving"  # beside the database: one lock file per save being downloaded
_NO_LINKS = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)  # (POSIX flags)


@dataclass(frozen=True)
class Busy:
    """Another process (or another cache of this one) is downloading this save."""

    pid: int | None  # as its lock file says


@dataclass
class Claim:
    """This process's hold on one save; ``release`` lets go (safe from any thread, and more
    than once). ``lock_file`` is None where there is nothing to lock: a cache in memory, or a
    folder where no lock file can be made (nor any row written)."""

    root: int
    lock_file: Path | None = None
    fd: int | None = None
    released: bool = False
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def release(self) -> None:
        """Remove the lock file while still holding it (so a process that opened it just
        before sees it is stale, see ``Saves._lock``), then close it, which drops the lock."""
        with self._guard:
            if self.released:
                return
            self.released = True
            fd, self.fd = self.fd, None
            if fd is not None and self.lock_file is not None:
                with suppress(OSError):
                    os.unlink(self.lock_file)
                with suppress(OSError):
                    os.close(fd)


class Saves(Repository):
    """Pending saves and the claims on them."""

    def __init__(self, directory: Path | None, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self._claims: dict[int, Claim] = {}  # held by this cache (on its thread only)
        super().__init__(directory, busy_timeout=busy_timeout)

    def claim_save(self, root: int, *, resume: bool = False) -> Claim | Busy | None:
        """Hold the save of ``root`` for this process: its lock, then its pending row.

        ``Busy`` when someone else holds it. With ``resume`` (taking over a save whose owner
        is gone), None when it is no longer pending: another process finished it meanwhile.
        """
        held = self._claims.get(root)
        if held is not None and not held.released:
            return Busy(os.getpid())
        claim = self._lock(root)
        if isinstance(claim, Busy):
            return claim
        if resume and not self._read("SELECT 1 FROM pending_saves WHERE root = ?", (root,)):
            claim.release()
            return None
        self._claims[root] = claim
        if not resume:
            with suppress(CacheError):  # else the save fails on the same problem, and says so
                self.add_pending_save(root)
        return claim

    def end_save(self, claim: Claim, *, done: bool) -> None:
        """Let go of ``claim``. ``done``: the save is over (kept, or given up for good), so
        it is pending no more; the row goes before the lock, so whoever takes the lock next
        finds it finished. Else it stays pending, for whoever resumes it."""
        try:
            if done:
                with suppress(CacheError):  # then resumed once more, and found saved
                    self.remove_pending_save(claim.root)
        finally:
            if self._claims.get(claim.root) is claim:
                del self._claims[claim.root]
            claim.release()

    def add_pending_save(self, root: int) -> None:
        """Remember that a save of ``root`` was asked for (durable: it outlives a quit)."""
        row = (root, time.time())
        self._write(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO pending_saves (root, asked_at) VALUES (?, ?)", row
            ),
            durable=True,
        )

    def remove_pending_save(self, root: int) -> None:
        self._write(
            lambda db: db.execute("DELETE FROM pending_saves WHERE root = ?", (root,)),
            durable=True,
        )

    def pending_saves(self) -> list[int]:
        """Saves asked for and not finished that nobody else is downloading now, oldest
        first: this cache's own, and those whose owner is gone (to resume)."""
        rows = self._read("SELECT root FROM pending_saves ORDER BY asked_at, root")
        mine = {root for root, claim in self._claims.items() if not claim.released}
        return [root for (root,) in rows if root in mine or self._holder(root) is None]

    def close(self) -> None:
        """Let go of every claim still held (their saves stay pending), then close."""
        for claim in list(self._claims.values()):
            claim.release()
        self._claims.clear()
        super().close()

    # -- the lock files -------------------------------------------------------------------
    def _lock_file(self, root: int) -> Path | None:
        return self.path.parent / LOCK_DIR / f"{root}.lock" if self.path is not None else None

    def _lock(self, root: int) -> Claim | Busy:
        """Take the lock of ``root``'s save without waiting. A file opened just as its
        holder removed it is stale (a later one may exist): then open again. Where no lock
        can be had (a read-only folder, a file system without locks) the claim locks
        nothing: nothing stops the save, as before locks."""
        path = self._lock_file(root)
        if path is None or sys.platform == "win32":  # (no flock: saves as before locks)
            return Claim(root)
        while True:
            try:
                make_private_dir(path.parent)
                fd = os.open(path, os.O_RDWR | os.O_CREAT | _NO_LINKS, PRIVATE_FILE)
            except OSError:
                return Claim(root)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                busy = Busy(_pid_in(fd))
                os.close(fd)
                return busy
            except OSError:
                os.close(fd)
                return Claim(root)
            if _same_file(fd, path):
                with suppress(OSError):  # the pid is for messages only (ulimit -f 0, ...)
                    os.fchmod(fd, PRIVATE_FILE)  # (made under the umask)
                    os.ftruncate(fd, 0)
                    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                return Claim(root, path, fd)
            os.close(fd)

    def _holder(self, root: int) -> Busy | None:
        """Who holds ``root``'s save now, without taking it for more than a moment."""
        path = self._lock_file(root)
        if path is None or sys.platform == "win32":
            return None
        try:
            fd = os.open(path, os.O_RDONLY | _NO_LINKS)
        except OSError:  # no lock file: nobody holds it
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return Busy(_pid_in(fd))
        except OSError:  # no locks here: nobody can be known to hold it
            return None
        finally:
            os.close(fd)
        return None


def _same_file(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _pid_in(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isascii() and text.isdigit() else None
