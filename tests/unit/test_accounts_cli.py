"""Several HN accounts through the CLI (issue 26, item 4): ``hnterm login`` keeps each account's
session (a 0600 file each, or the keyring), ``--account NAME`` picks one, ``logout NAME``
forgets one; checked with the fake HN web site, which knows whose cookie it was sent."""

from __future__ import annotations

import io
import stat

import keyring
import pytest
from hnterm.cli import main as cli
from hnterm.storage.cache import Cache
from hnterm.storage.session import SessionStore
from keyring.backend import KeyringBackend

from tests.fakeweb import FakeWeb


@pytest.fixture
def web(tmp_path, monkeypatch):
    monkeypatch.setenv("HNTERM_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HNTERM_CACHE_DIR", str(tmp_path / "cache"))
    with FakeWeb() as server:
        server.state.passwords["bob"] = "bobs-password"
        monkeypatch.setenv("HNTERM_WEB_URL", server.url)
        yield server


def login(monkeypatch, capsys, name: str, password: str) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    assert cli.run(["login", name, "--password-stdin"]) == 0
    return capsys.readouterr().out


def whoami(capsys, *flags: str) -> tuple[int, str, str]:
    status = cli.run(["whoami", *flags])
    out, err = capsys.readouterr()
    return status, out, err


def test_each_account_keeps_its_session_and_account_picks_one(web, tmp_path, monkeypatch, capsys):
    login(monkeypatch, capsys, "alice", "right-password")
    out = login(monkeypatch, capsys, "bob", "bobs-password")
    assert "Logged in as bob" in out and "Also kept: alice" in out
    config = tmp_path / "config"
    bob, alice = (config / "session").read_text(), (config / "accounts" / "alice").read_text()
    assert web.state.sessions[bob] == "bob" and web.state.sessions[alice] == "alice"
    for path in (config / "session", config / "accounts" / "alice"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((config / "accounts").stat().st_mode) == 0o700
    assert whoami(capsys)[:2] == (0, "bob\n")  # checked with HN: the cookie is bob's
    assert whoami(capsys, "--account", "alice")[:2] == (0, "alice\n")
    assert whoami(capsys)[:2] == (0, "bob\n")  # --account was for that run only


def test_logout_name_forgets_that_account_only(web, tmp_path, monkeypatch, capsys):
    login(monkeypatch, capsys, "alice", "right-password")
    login(monkeypatch, capsys, "bob", "bobs-password")
    assert cli.run(["logout", "alice"]) == 0
    assert capsys.readouterr().out == (
        "Logged out alice; the session is forgotten\n"
        "Also kept: bob (hnterm --account NAME, or switch in the palette)\n"
    )
    assert SessionStore(tmp_path / "config").accounts() == ["bob"]
    assert whoami(capsys)[:2] == (0, "bob\n")
    status, out, err = whoami(capsys, "--account", "alice")
    assert status == 1 and err == "hnterm: no session kept for alice: run hnterm login alice\n"
    assert (
        cli.run(["logout", "alice"]) == 0 and capsys.readouterr().out == "Not logged in as alice\n"
    )
    assert cli.run(["logout"]) == 0  # the active one, as with one account
    assert capsys.readouterr().out == "Logged out bob; the session is forgotten\n"
    assert SessionStore(tmp_path / "config").accounts() == []


def test_a_name_that_is_not_a_user_name_is_refused_in_one_line(web, capsys):
    assert cli.run(["whoami", "--account", "../../etc/passwd"]) == 2
    err = capsys.readouterr().err
    assert "not an HN user name" in err
    assert cli.run(["logout", "\x1b[31mx"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err


def test_drafts_says_whose_each_draft_is_once_there_are_several(web, tmp_path, capsys):
    cache = Cache(tmp_path / "cache")
    cache.put_draft(11, 10, "one thought", account="alice")
    cache.close()
    assert cli.run(["drafts"]) == 0
    assert " as alice" not in capsys.readouterr().out  # one account: as it always read
    cache = Cache(tmp_path / "cache")
    cache.put_draft(11, 10, "another", account="bob")
    cache.close()
    assert cli.run(["drafts"]) == 0
    out = capsys.readouterr().out
    assert "reply to 11 in 10 as alice" in out and "reply to 11 in 10 as bob" in out


class MemoryKeyring(KeyringBackend):
    """A keyring backend holding secrets in a dict (the system keyring's stand-in)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


def test_with_a_keyring_each_account_is_in_it_and_switching_moves_them(tmp_path):
    backend = MemoryKeyring()
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        store = SessionStore(tmp_path / "config")
        assert store.save("alice&aaa") == "the system keyring"
        assert store.save("bob&bbb") == "the system keyring"
        assert backend.secrets == {("hnterm", "hn-session"): "bob&bbb",
                                   ("hnterm", "hn-session:alice"): "alice&aaa"}  # fmt: skip
        marker = tmp_path / "config" / "accounts" / "alice"
        assert marker.read_text() == ""  # the secret is in the keyring, not the file
        assert store.accounts() == ["bob", "alice"] and store.load("alice") == "alice&aaa"
        assert store.switch("alice") and store.load() == "alice&aaa"
        assert store.load("bob") == "bob&bbb" and store.accounts() == ["alice", "bob"]
        assert store.forget("bob") and store.accounts() == ["alice"]
        assert ("hnterm", "hn-session:bob") not in backend.secrets
    finally:
        keyring.set_keyring(before)


def test_a_draft_from_before_accounts_survives_the_upgrade_and_goes_to_who_answers(tmp_path):
    """A schema-6 cache (drafts keyed by comment alone) is upgraded in place: its draft is
    offered to any account, and becomes the account's that saves it again."""
    import sqlite3

    from hnterm.storage.cache import DB_NAME
    from hnterm.storage.migrations import STEPS

    (tmp_path / "cache").mkdir()
    db = sqlite3.connect(tmp_path / "cache" / DB_NAME)
    for reached, script in STEPS:
        if reached <= 6:
            db.executescript(script)
    db.execute("INSERT INTO drafts (parent, root, text, updated) VALUES (11, 10, 'kept', 1.0)")
    db.execute("INSERT INTO settings (key, value) VALUES ('theme', 'nord')")
    db.execute("PRAGMA user_version=6")
    db.commit()
    db.close()
    cache = Cache(tmp_path / "cache")
    try:
        assert cache.setting("theme") == "nord"
        for account in ("alice", "bob"):
            draft = cache.draft(11, account)
            assert draft is not None and (draft.text, draft.account) == ("kept", "")
        cache.put_draft(11, 10, "kept, then edited", account="bob")
        assert [(d.text, d.account) for d in cache.drafts()] == [("kept, then edited", "bob")]
        assert cache.draft(11, "alice") is None
    finally:
        cache.close()
