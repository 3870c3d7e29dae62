"""Where the HN session cookie is kept: the system keyring, else a 0600 file.

Only the ``user`` cookie is kept, never the password (the cookie also names the user: HN's is
``NAME&HASH``). The keyring is tried first through the ``keyring`` library; where it has no
working backend (a server, CI) the cookie goes to ``session`` in the config folder
(platformdirs' user config dir, or ``$HNTERM_CONFIG_DIR``, a 0700 folder), created readable
by the owner alone. ``save`` says which was used so the user knows where their session lives.
The file is read only if it is what ``save`` makes: a regular file, not a symbolic link, the
user's own, open to no one else (anything else is refused, and ``problem`` says why).

A cookie that is not HN's ``NAME&HASH`` (``hnterm.model.users.cookie_problem``) is never kept
nor used: ``save`` refuses it, ``load`` treats it as no session and says why in ``problem``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

from hnterm.model.users import cookie_problem
from hnterm.storage.files import FileRefused, read_text
from hnterm.storage.paths import make_private_dir

CONFIG_ENV = "HNTERM_CONFIG_DIR"
SERVICE = "hnterm"
KEY = "hn-session"
FILE_NAME = "session"


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$HNTERM_CONFIG_DIR``, else the platform's config folder for hnterm."""
    value = (os.environ if env is None else env).get(CONFIG_ENV)
    if value:
        return Path(value).expanduser()
    from platformdirs import user_config_path

    return user_config_path("hnterm", appauthor=False)


def _keyring():
    """The keyring module when it has a backend that can store secrets, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is no keyring
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


class SessionStore:
    """Load, save and forget the session cookie."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else config_dir()
        self.problem: str | None = None  # why the last ``load`` found no usable session

    @property
    def path(self) -> Path:
        return self.directory / FILE_NAME

    def save(self, cookie: str) -> str:
        """Keep the cookie; returns where, in words. ValueError for one not HN's shape."""
        if (why := cookie_problem(cookie)) is not None:
            raise ValueError(f"session cookie refused: {why}")
        keyring = _keyring()
        if keyring is not None:
            try:
                keyring.set_password(SERVICE, KEY, cookie)
            except Exception:  # a locked or refusing keyring: the file below
                pass
            else:
                self._remove_file()
                return "the system keyring"
        make_private_dir(self.directory)
        # Created 0600 from the start (never briefly readable by others), then replaced.
        temporary = self.path.with_suffix(".tmp")
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(cookie)
        os.replace(temporary, self.path)
        return f"{self.path} (no keyring here; readable by you only)"

    def load(self) -> str | None:
        """The kept cookie, or None when logged out or when it is not HN's shape (then
        ``problem`` says why, in one line)."""
        self.problem = None
        keyring = _keyring()
        if keyring is not None:
            with contextlib.suppress(Exception):
                cookie = keyring.get_password(SERVICE, KEY)
                if cookie:
                    return self._checked(cookie, "the system keyring")
        try:
            cookie = read_text(self.path, private=True).strip()
        except FileNotFoundError:
            return None
        except FileRefused as exc:
            self.problem = f"session file {self.path} {exc}"
            return None
        return self._checked(cookie, str(self.path)) if cookie else None

    def _checked(self, cookie: str, where: str) -> str | None:
        if (why := cookie_problem(cookie)) is None:
            return cookie
        self.problem = f"the session in {where} is refused: {why}; run hnterm login again"
        return None

    def forget(self) -> bool:
        """Drop the cookie from wherever it is; whether there was one."""
        had = False
        keyring = _keyring()
        if keyring is not None:
            with contextlib.suppress(Exception):
                if keyring.get_password(SERVICE, KEY):
                    keyring.delete_password(SERVICE, KEY)
                    had = True
        return self._remove_file() or had

    def _remove_file(self) -> bool:
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True


def user_of(cookie: str | None) -> str | None:
    """The user name in HN's cookie (``NAME&HASH``)."""
    return cookie.split("&", 1)[0] if cookie else None
