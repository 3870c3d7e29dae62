"""Hostile input, round three (issue 21): HN's web pages with odd markup or escapes in the user
name, a C1 cookie, a session file not in HN's shape, a config key with escapes. Against the
fake web server on 127.0.0.1 (tests/fakeweb, its hostile modes) through the real CLI."""

from __future__ import annotations

import io
import re

import pytest
from hnterm.cli import main as cli
from hnterm.model.users import cookie_problem
from hnterm.net.web_pages import (
    PageNotUnderstood,
    login_failure,
    page_text,
    parse_form,
    parse_item_page,
)
from hnterm.storage.session import SessionStore

from tests.fakeweb import FakeWeb

# What must never reach the terminal raw: ESC, BEL, C1 (0x80-0x9f, 0x9b is a one-byte CSI).
RAW = re.compile("[\x1b\x07\x80-\x9f]")
ODD = "<![foo["  # html.parser raises AssertionError ("unknown status keyword")
SUPERSCRIPT_ROW = '<tr class="athing comtr" id="²"><td>x</td></tr>'  # "²".isdigit() is True
SUPERSCRIPT_VOTE = '<a id="up_1" href="vote?id=¹&amp;how=up&amp;auth=t">up</a>'
HOSTILE_NAME = "ali\x1b]0;pwned\x07ce\x1b[31m\x9b1m\x9d0;x\x07"


def login(monkeypatch, password: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return cli.run(["login", "alice", "--password-stdin"])


def logged_in(web: FakeWeb, config_dir) -> None:
    SessionStore(config_dir).save("alice&k3y")
    web.state.sessions["alice&k3y"] = "alice"


def clean(printed: pytest.CaptureResult[str]) -> bool:
    return RAW.search(printed.out + printed.err) is None


# -- the parser: any failure is the one error; numbers are ASCII digits ------------------------
@pytest.mark.parametrize("parse", [parse_item_page, page_text, lambda h: parse_form(h, "r")])
def test_odd_markup_is_the_one_page_not_understood_error(parse):
    with pytest.raises(PageNotUnderstood, match="HN's page was not understood"):
        parse(f"<p>Bad login.</p>{ODD}")


def test_ids_in_other_digits_than_ascii_are_no_ids():
    page = parse_item_page(
        f'<a id="me" href="user?id=alice">alice</a>{SUPERSCRIPT_ROW}{SUPERSCRIPT_VOTE}'
        '<a id="up_7" href="vote?id=7&amp;how=up&amp;auth=t">up</a>'
        '<tr class="athing" id="9223372036854775808"></tr>'
    )
    assert page.user == "alice"
    assert set(page.items) == {7} and page.stories == [] and page.comments_by == {}


def test_a_top_bar_name_that_is_no_hn_user_name_is_not_understood():
    with pytest.raises(PageNotUnderstood):
        parse_item_page(f'<a id="me" href="user?id=alice">{HOSTILE_NAME}</a>')
    assert "captcha" not in login_failure("<p>Bad login.</p>")  # a plain page still reads


# -- login and whoami survive odd markup ------------------------------------------------------
def test_login_meeting_odd_markup_says_one_line_and_keeps_nothing(
    account, web, monkeypatch, capsys
):
    web.state.markup = ODD
    assert login(monkeypatch, "wrong") == 1  # the "Bad login." page is parsed
    err = capsys.readouterr().err
    assert err == "hnterm: not logged in: HN's page was not understood\n"
    assert not (account / "session").exists()


def test_whoami_meeting_odd_markup_says_one_line(account, web, capsys):
    logged_in(web, account)
    web.state.markup = ODD
    assert cli.run(["whoami"]) == 1
    printed = capsys.readouterr()
    assert printed.err == "hnterm: HN's page was not understood\n" and printed.out == ""


@pytest.mark.parametrize("markup", [SUPERSCRIPT_ROW, SUPERSCRIPT_VOTE])
def test_whoami_reads_a_page_with_superscript_ids(account, web, capsys, markup):
    """A row or a vote link whose id is in superscript digits is no row or link of HN's:
    skipped, and the rest of the page is read (was: a ValueError traceback)."""
    logged_in(web, account)
    web.state.markup = markup
    assert cli.run(["whoami"]) == 0
    assert capsys.readouterr() == ("alice\n", "")


def test_whoami_never_prints_escapes_from_the_page(account, web, capsys):
    logged_in(web, account)
    web.state.shown_name = HOSTILE_NAME
    assert cli.run(["whoami"]) == 1
    printed = capsys.readouterr()
    assert clean(printed)
    assert printed.err == "hnterm: HN's page was not understood\n" and printed.out == ""


# -- the cookie: HN's NAME&HASH or nothing ------------------------------------------------------
@pytest.mark.parametrize(
    ("cookie", "why"),
    [
        ("ali\x9b31mce&abc", "its NAME is not an HN user name"),
        ("alice&ab\x9dc\x9b2J", "its HASH holds characters HN's never does"),
        ("alice", "it is not NAME&HASH"),
    ],
)
def test_login_refuses_a_cookie_not_in_hns_shape(account, web, monkeypatch, capsys, cookie, why):
    web.state.login_cookie = cookie
    assert login(monkeypatch, "right-password") == 1
    printed = capsys.readouterr()
    assert clean(printed) and printed.out == ""
    assert printed.err == f"hnterm: not logged in: HN's session cookie was refused: {why}\n"
    assert not (account / "session").exists()


def test_a_session_file_not_in_hns_shape_is_refused_at_load(account, capsys):
    account.mkdir()
    path = account / "session"
    path.write_text("ali\x9b31mce&abc\x1b]0;x\x07")
    path.chmod(0o600)
    store = SessionStore(account)
    assert store.load() is None
    assert store.problem is not None and "NAME is not an HN user name" in store.problem
    assert cli.run(["whoami", "--offline"]) == 1
    printed = capsys.readouterr()
    assert clean(printed) and printed.out == ""
    assert printed.err.count("\n") == 1
    assert f"the session in {path} is refused" in printed.err and "hnterm login" in printed.err
    with pytest.raises(ValueError, match="refused"):
        store.save("bad\x9bname&x")


def test_cookie_problem_accepts_hns_shape_only():
    assert cookie_problem("pg&Ab3dEf9z") is None
    assert cookie_problem("a_b-c&x") is None
    for bad in (
        "&x",
        "pg&",
        "pg&a b",
        "pg&a;b",
        "pg&a\r\nSet-Cookie: x",
        "p/g&x",
        "pg&" + "a" * 300,
    ):
        assert cookie_problem(bad) is not None, bad


# -- the config: keys and values echoed, never raw --------------------------------------------
def test_config_keys_and_values_with_escapes_are_shown_sanitised(tmp_path, monkeypatch, capsys):
    path = tmp_path / "config.toml"
    path.write_text(
        '"\\u001b]0;pwned\\u0007x\\u009b31m" = 1\n'
        "[keys]\n"
        '"app.quit\\u009d0;t\\u0007" = "x"\n'
        '[themes."n\\u009b2J"]\n'
        'primary = "#ff0000"\n'
    )
    monkeypatch.setenv("HNTERM_CONFIG", str(path))
    monkeypatch.setenv("HNTERM_CACHE_DIR", str(tmp_path / "cache"))
    assert cli.run(["config"]) == 0
    printed = capsys.readouterr()
    assert clean(printed)
    assert "config.toml: x: unknown setting; ignored\n" in printed.err  # the CSI gone whole
    assert '"app.quit\\u009d0;t\\u0007" = "x"' in printed.out  # whole, escaped as TOML does
