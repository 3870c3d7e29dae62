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

Several accounts (issue 26): the session above is the active account's, as it always was. Each
other account logged in is kept apart, one slot per account: the keyring's ``hn-session:NAME``
(with an empty 0600 marker file ``accounts/NAME``, so the accounts can be listed), else the
cookie itself in ``accounts/NAME`` (0600, in a 0700 folder). Logging in as someone else or
switching moves the active session to its own slot and the chosen one into the active slot:
each cookie is in one place only, and a step cut short leaves a copy, never a loss.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

from hnterm.model.users import cookie_problem, is_username
from hnterm.storage.files import FileRefused, read_text
from hnterm.storage.paths import make_private_dir

CONFIG_ENV = "HNTERM_CONFIG_DIR"
SERVICE = "hnterm"
KEY = "hn-session"
FILE_NAME = "session"
ACCOUNTS_DIR = "accounts"  # the other accounts' sessions, one file per account


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
        """Keep the cookie as the active session (an active session of another account is
        kept in that account's slot); returns where, in words. ValueError for a cookie not
        in HN's shape."""
        if (why := cookie_problem(cookie)) is not None:
            raise ValueError(f"session cookie refused: {why}")
        name = user_of(cookie)
        current = self.load()
        if current is not None and user_of(current) != name:
            self._park(current)
        where = self._put_active(cookie)
        self._unpark(name)
        return where

    def _put_active(self, cookie: str) -> str:
        keyring = _keyring()
        if keyring is not None:
            try:
                keyring.set_password(SERVICE, KEY, cookie)
            except Exception:  # a locked or refusing keyring: the file below
                pass
            else:
                self._remove_file()
                return "the system keyring"
        _write_private(self.path, cookie)
        return f"{self.path} (no keyring here; readable by you only)"

    def load(self, account: str | None = None) -> str | None:
        """The active session's cookie (or ``account``'s), or None when logged out or when it
        is not HN's shape (then ``problem`` says why, in one line)."""
        active = self._load_active()
        if account is None or user_of(active) == account:
            return active
        return self._load_parked(account)

    def _load_active(self) -> str | None:
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

    def forget(self, account: str | None = None) -> bool:
        """Drop the active session (or ``account``'s) from wherever it is; whether there
        was one."""
        if account is not None and user_of(self._load_active()) != account:
            return self._unpark(account)
        had = False
        keyring = _keyring()
        if keyring is not None:
            with contextlib.suppress(Exception):
                if keyring.get_password(SERVICE, KEY):
                    keyring.delete_password(SERVICE, KEY)
                    had = True
        return self._remove_file() or had

    # -- several accounts -------------------------------------------------------------------
    def accounts(self) -> list[str]:
        """Every account with a kept session: the active one first, then the others."""
        active = user_of(self._load_active())
        try:
            names = sorted(p.name for p in (self.directory / ACCOUNTS_DIR).iterdir())
        except OSError:
            names = []
        others = [name for name in names if is_username(name) and name != active]
        return ([active] if active else []) + others

    def switch(self, account: str) -> bool:
        """Make ``account``'s kept session the active one (the active one is kept in its own
        slot); whether there was one to switch to."""
        cookie = self._load_parked(account)
        if cookie is None:
            return user_of(self._load_active()) == account
        current = self._load_active()
        if current is not None:
            self._park(current)
        self._put_active(cookie)
        self._unpark(account)
        return True

    def _slot(self, account: str) -> Path:
        if not is_username(account):  # never a path: no '/', no '..'
            raise ValueError("not an HN user name")
        return self.directory / ACCOUNTS_DIR / account

    def _park(self, cookie: str) -> None:
        """Keep an account's session in its own slot (not the active one)."""
        name = user_of(cookie) or ""
        keyring = _keyring()
        if keyring is not None:
            try:
                keyring.set_password(SERVICE, f"{KEY}:{name}", cookie)
            except Exception:  # a refusing keyring: the file holds the cookie
                pass
            else:
                _write_private(self._slot(name), "")
                return
        _write_private(self._slot(name), cookie)

    def _load_parked(self, account: str) -> str | None:
        self.problem = None
        if not is_username(account):
            return None
        path = self._slot(account)
        try:
            cookie = read_text(path, private=True).strip()
        except FileNotFoundError:
            return None
        except FileRefused as exc:
            self.problem = f"session file {path} {exc}"
            return None
        if not cookie:  # the marker of a session in the keyring
            keyring = _keyring()
            with contextlib.suppress(Exception):
                cookie = keyring.get_password(SERVICE, f"{KEY}:{account}") if keyring else ""
        if not cookie:
            return None
        checked = self._checked(cookie, str(path))
        if checked is not None and user_of(checked) != account:
            self.problem = f"the session in {path} is another account's; run hnterm login again"
            return None
        return checked

    def _unpark(self, account: str | None) -> bool:
        """Drop ``account``'s own slot; whether it had one."""
        if not account or not is_username(account):
            return False
        keyring = _keyring()
        if keyring is not None:
            with contextlib.suppress(Exception):
                keyring.delete_password(SERVICE, f"{KEY}:{account}")
        try:
            self._slot(account).unlink()
        except FileNotFoundError:
            return False
        return True

    def _remove_file(self) -> bool:
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True


def user_of(cookie: str | None) -> str | None:
    """The user name in HN's cookie (``NAME&HASH``)."""
    return cookie.split("&", 1)[0] if cookie else None


def _write_private(path: Path, text: str) -> None:
    """``text`` in a file created 0600 from the start (never briefly readable by others),
    in a 0700 folder, then put in place of the old one."""
    make_private_dir(path.parent)
    temporary = path.with_suffix(".tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)
