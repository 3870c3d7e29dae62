"""Logging in to HN's web forms, keeping the session, and reading HN's pages: against the
fake web server on 127.0.0.1 (tests/fakeweb) and the recorded page shapes in tests/fixtures."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from hnterm.cli import main as cli
from hnterm.net.web_forms import WebClient, WebError, check_web_url
from hnterm.net.web_pages import login_failure, page_text, parse_form, parse_item_page
from hnterm.storage.session import SessionStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def login(monkeypatch, password: str, *extra: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return cli.run(["login", "alice", "--password-stdin", *extra])


# -- the page parser, on HN's recorded shape ----------------------------------------------------
def test_the_item_page_parser_reads_user_votes_faves_more_and_authors():
    page = parse_item_page((FIXTURES / "hn-web-item.html").read_text())
    assert page.user == "alice"
    story = page.items[4000]
    assert story.voted and story.un is not None and "how=un" in story.un
    assert story.faved and story.fave == "fave?id=4000&un=t&auth=tok4000"
    assert page.items[4001].up == "vote?id=4001&how=up&auth=tok4001&goto=item%3Fid%3D4000#4001"
    assert not page.items[4001].voted
    assert 4002 not in page.items  # alice's own comment: HN shows her no arrow
    assert page.more == "item?id=4000&p=2"
    assert page.comments_by == {4001: "carol", 4002: "alice"}


def test_the_form_parser_reads_the_hidden_reply_fields():
    form = parse_form((FIXTURES / "hn-web-item.html").read_text(), "comment")
    assert form is not None
    assert form.fields == {"parent": "4000", "goto": "item?id=4000", "hmac": "9f8e7d", "text": ""}
    assert parse_form("<form action='login'></form>", "comment") is None


def test_refusal_pages_are_shown_as_one_sanitised_line():
    text = page_text((FIXTURES / "hn-web-refusal.html").read_text())
    assert text == "You're posting too fast. Please slow down. Thanks."
    hostile = page_text("<p>Nope \x1b]52;c;ZXZpbA==\x07[bold]x[/bold]\x1b[31m red</p>" + "z" * 500)
    assert "\x1b" not in hostile and len(hostile) <= 200
    assert login_failure("<p>Bad login.</p>") == "wrong username or password"
    assert "captcha" in login_failure("<p>Validation required.</p><div class=g-recaptcha>")


def test_the_cookie_never_goes_over_plain_http_elsewhere_nor_follows_foreign_links(
    account, monkeypatch, capsys
):
    # A bad --web-url is a usage error now that it is a global option: argparse's exit code 2.
    assert login(monkeypatch, "right-password", "--web-url", "http://example.com") == 2
    assert "plain http only to 127.0.0.1" in capsys.readouterr().err
    assert not (account / "session").exists()
    with pytest.raises(WebError, match="https"):
        check_web_url("http://news.ycombinator.com")
    check_web_url("http://127.0.0.1:8080")
    check_web_url("https://news.ycombinator.com")
    from hnterm.net.web_forms import relative

    with pytest.raises(WebError):
        relative("https://evil.example/vote?id=1&how=up&auth=x")
    with pytest.raises(WebError):
        relative("//evil.example/vote")
    assert relative("vote?id=1") == "vote?id=1"


# -- login, whoami, logout through the CLI ------------------------------------------------------
def test_login_keeps_only_the_cookie_in_a_0600_file_and_whoami_checks_it(
    account, web, monkeypatch, capsys
):
    assert login(monkeypatch, "right-password") == 0
    out = capsys.readouterr().out
    assert "Logged in as alice" in out and "readable by you only" in out
    path = account / "session"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    cookie = path.read_text()
    assert cookie.startswith("alice&") and cookie in web.state.sessions
    assert "right-password" not in cookie
    assert cli.run(["whoami"]) == 0
    assert capsys.readouterr().out.strip() == "alice"
    assert cli.run(["logout"]) == 0
    assert not path.exists()
    assert cli.run(["whoami"]) == 1
    assert "Not logged in" in capsys.readouterr().out


def test_a_wrong_password_says_so_in_one_line_and_keeps_nothing(account, monkeypatch, capsys):
    assert login(monkeypatch, "wrong") == 1
    err = capsys.readouterr().err
    assert err == "hnterm: not logged in: wrong username or password\n"
    assert not (account / "session").exists()


def test_a_captcha_login_says_what_to_do(account, web, monkeypatch, capsys):
    web.state.captcha.add("alice")
    assert login(monkeypatch, "right-password") == 1
    err = capsys.readouterr().err
    assert "captcha" in err and "browser" in err and err.count("\n") == 1


def test_an_expired_session_is_one_clear_sentence(account, web, monkeypatch, capsys):
    assert login(monkeypatch, "right-password") == 0
    web.revoke_all()
    assert cli.run(["whoami"]) == 1
    err = capsys.readouterr().err
    assert err == "hnterm: your HN session has expired or was revoked: run hnterm login again\n"


def test_an_unreachable_site_is_one_line(account, monkeypatch, capsys):
    monkeypatch.setenv("HNTERM_WEB_URL", "http://127.0.0.1:9")
    assert login(monkeypatch, "right-password") == 1
    assert capsys.readouterr().err == "hnterm: not logged in: cannot reach http://127.0.0.1:9\n"


def test_the_store_file_is_0600_even_when_replaced(tmp_path, monkeypatch):
    store = SessionStore(tmp_path / "c")
    assert "readable by you only" in store.save("bob&1")
    store.save("bob&2")
    assert store.load() == "bob&2"
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.forget() and store.load() is None


# -- votes and favourites through the client ---------------------------------------------------
async def test_vote_unvote_and_fave_use_the_pages_tokens(web):
    web.add_thread(100, [(101, 100, "carol"), (102, 101, "dave")])
    web.state.sessions["alice&k"] = "alice"
    async with WebClient(web.url, "alice&k") as client:
        assert await client.vote(101) is True
        assert ("alice", 101) in web.state.votes
        assert await client.vote(101) is False
        assert ("alice", 101) not in web.state.votes
        assert await client.fave(100) is True and ("alice", 100) in web.state.faves
        assert await client.fave(100) is False and ("alice", 100) not in web.state.faves


async def test_a_vote_hn_no_longer_lets_you_take_back_is_refused_clearly(web):
    web.add_thread(100, [(101, 100, "carol")])
    web.state.sessions["alice&k"] = "alice"
    web.state.votes.add(("alice", 101))
    web.state.locked_votes.add(101)
    async with WebClient(web.url, "alice&k") as client:
        with pytest.raises(WebError, match="no longer lets you take this vote back"):
            await client.vote(101)


async def test_votes_of_a_long_thread_are_read_through_its_more_pages(web):
    comments = [(200 + i, 100, "carol") for i in range(1, 9)]  # 3 a page: three pages
    web.add_thread(100, comments)
    web.state.sessions["alice&k"] = "alice"
    web.state.votes.update({("alice", 201), ("alice", 208)})
    async with WebClient(web.url, "alice&k") as client:
        page = await client.item_page(100)
    assert {i for i, links in page.items.items() if links.voted} == {201, 208}
    assert set(page.items) == {100, *range(201, 209)}
    assert sum("p=" in entry.path for entry in web.state.log) == 2


async def test_a_reply_is_posted_with_the_forms_hmac_and_found_by_its_id(web):
    web.add_thread(100, [(101, 100, "carol")])
    web.state.sessions["alice&k"] = "alice"
    async with WebClient(web.url, "alice&k") as client:
        new_id = await client.reply(101, 100, "Agreed & more")
    assert new_id == web.state.next_id
    assert web.state.threads[100][-1].text == "Agreed & more"
    web.state.refusal = "You're posting too fast. Please slow down. Thanks."
    async with WebClient(web.url, "alice&k") as client:
        with pytest.raises(WebError, match="posting too fast"):
            await client.reply(101, 100, "again")
    web.state.dead.add(101)
    async with WebClient(web.url, "alice&k") as client:
        with pytest.raises(WebError, match="dead"):
            await client.reply(101, 100, "again")


def test_the_web_modules_and_the_account_commands_never_import_textual():
    import subprocess
    import sys

    modules = [
        "hnterm.net.web_pages",
        "hnterm.net.web_forms",
        "hnterm.storage.session",
        "hnterm.storage.drafts",
        "hnterm.cli.account",
        "hnterm.cli.drafts",
    ]
    code = "".join(f"import {m}\n" for m in modules) + (
        "import sys\nprint(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
