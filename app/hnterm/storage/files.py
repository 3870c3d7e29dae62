"""Reading the small text files hnterm is given (the config, theme files, the session).

A path the user names can be anything: a FIFO would block the read (and the whole start)
forever, ``/dev/zero`` would fill memory, a folder or a 30 MB file is a mistake. So every
such file is opened without blocking, the opened descriptor (not the name, which can change
in between) is checked to be a regular file under a size cap, and no more than the cap is
read. What is refused says why in one line.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_TEXT_BYTES = 1024 * 1024  # a config or theme file is a few KB; a session cookie, bytes

# What a file that is not a regular file is, in words.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileRefused(Exception):
    """A file hnterm will not read; the message is the one-line reason."""


def refusal(info: os.stat_result, limit: int = MAX_TEXT_BYTES) -> str | None:
    """Why a file with this status is not read (not a regular file, too big), or None."""
    for test, kind in _KINDS:
        if test(info.st_mode):
            return f"is {kind}, not a regular file"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size > limit:
        return f"is larger than {_size(limit)} ({_size(info.st_size)})"
    return None


def read_text(path: Path, *, limit: int = MAX_TEXT_BYTES, private: bool = False) -> str:
    """The UTF-8 text of the regular file ``path``, at most ``limit`` bytes.

    ``private`` (the session): the name must not be a symbolic link, and the file must be
    its reader's and readable by no one else, as ssh wants of its keys. Raises
    ``FileNotFoundError`` when there is no file (often fine), else ``FileRefused``.
    """
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC") + (("O_NOFOLLOW",) if private else ()):
        flags |= getattr(os, name, 0)  # POSIX flags, absent on Windows
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if private and exc.errno == errno.ELOOP:
            raise FileRefused("is a symbolic link; not followed") from None
        raise FileRefused(f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(descriptor)
        reason = refusal(info, limit) or (_not_private(info) if private else None)
        if reason:
            raise FileRefused(reason)
        data = _read_at_most(descriptor, limit + 1)
    except OSError as exc:
        raise FileRefused(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(descriptor)
    if len(data) > limit:  # it grew after the check
        raise FileRefused(f"is larger than {_size(limit)}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRefused(f"is not UTF-8 text (byte {exc.start + 1})") from None


def _read_at_most(descriptor: int, count: int) -> bytes:
    chunks: list[bytes] = []
    left = count
    while left > 0:
        chunk = os.read(descriptor, min(left, 64 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _not_private(info: os.stat_result) -> str | None:
    """Why a secret's file is not its reader's alone, or None."""
    owner = getattr(os, "geteuid", None)
    if owner is not None and info.st_uid != owner():
        return f"belongs to another user (uid {info.st_uid}); not used"
    mode = stat.S_IMODE(info.st_mode)
    if os.name == "posix" and mode & 0o077:
        return f"is open to other users (mode {mode:04o}); not used: chmod 600 it"
    return None


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.3g} MB" if count >= 1024 * 1024 else f"{count} bytes"
