"""Several HN accounts (issue 26, item 4), against the fake API and the fake HN web site: two
accounts logged in one after the other each vote as themselves (the fake says whose vote it
got), ``--account`` picks one for a run, the palette switches (the title follows), and a
draft belongs to the account that wrote it."""

from __future__ import annotations

import asyncio
import io

from hnterm.cli import main as cli
from hnterm.config import Config
from hnterm.storage.session import SessionStore
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.comment_view import CommentView
from textual.command import CommandPalette
from textual.widgets import TextArea

from tests.data import IBM
from tests.ui import test_account
from tests.ui.conftest import wait_loaded, wait_until
from tests.ui.test_account import first_comment, reply_dialog, status

web = test_account.web  # the fixture: the fake HN web site holding the IBM thread


async def login(name: str, password: str) -> None:
    """``hnterm login NAME --password-stdin``, as a user would run it."""

    def run() -> int:
        import sys

        sys.stdin = io.StringIO(password + "\n")
        try:
            return cli.run(["login", name, "--password-stdin"])
        finally:
            sys.stdin = sys.__stdin__

    assert await asyncio.to_thread(run) == 0


def app_for(fake_hn, tmp_path, account: str | None = None) -> HNApp:
    return HNApp(
        Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM, account=account)
    )


async def vote_on_first_comment(pilot) -> int:
    target = await first_comment(pilot)
    await pilot.press("v")
    await wait_until(pilot, lambda: "Upvoted" in status(pilot.app), "the vote")
    return target


async def test_two_accounts_logged_in_one_after_the_other_both_vote_as_themselves(
    fake_hn, web, tmp_path
):
    web.state.passwords["bob"] = "bobs-password"
    await login("alice", "right-password")
    await login("bob", "bobs-password")  # the last logged in is the active one
    assert SessionStore(tmp_path / "config").accounts() == ["bob", "alice"]
    app = app_for(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        target = await vote_on_first_comment(pilot)
        assert app.title == "hnterm · bob"
    assert ("bob", target) in web.state.votes and ("alice", target) not in web.state.votes
    app = app_for(fake_hn, tmp_path, account="alice")  # --account alice, for this run
    async with app.run_test(size=(120, 40)) as pilot:
        assert await vote_on_first_comment(pilot) == target
        assert app.title == "hnterm · alice"
    assert {("alice", target), ("bob", target)} <= web.state.votes
    # Every vote carried its own account's cookie, and only the web site saw cookies.
    votes = [entry for entry in web.state.log if entry.path.startswith("/vote")]
    assert [web.state.sessions[e.cookie.removeprefix("user=")] for e in votes] == ["bob", "alice"]
    assert SessionStore(tmp_path / "config").accounts()[0] == "bob"  # --account changed nothing


async def test_the_palette_switches_account_the_title_and_votes_follow(fake_hn, web, tmp_path):
    web.state.passwords["bob"] = "bobs-password"
    await login("alice", "right-password")
    await login("bob", "bobs-password")
    app = app_for(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        target = await vote_on_first_comment(pilot)  # as bob
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"Switch HN account to alice")
        await wait_loaded(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.title == "hnterm · alice", "the switch")
        assert "as alice" in status(app)
        view = app.screen.query_one(CommentView)
        # bob's vote mark is gone: the marks are read again, as alice's (she has none).
        await wait_until(pilot, lambda: target not in view.thread.voted, "alice's marks")
        view.focus()
        await pilot.press("v")
        await wait_until(pilot, lambda: "Upvoted" in status(app), "alice's vote")
    assert {("alice", target), ("bob", target)} <= web.state.votes
    assert SessionStore(tmp_path / "config").accounts() == ["alice", "bob"]  # kept as active


async def test_a_draft_belongs_to_the_account_that_wrote_it(fake_hn, web, tmp_path):
    web.state.passwords["bob"] = "bobs-password"
    await login("bob", "bobs-password")
    await login("alice", "right-password")
    app = app_for(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_comment(pilot)
        (await reply_dialog(pilot)).insert("alice's thought")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.screen.query(TextArea), "the dialog closed")
    app = app_for(fake_hn, tmp_path, account="bob")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_comment(pilot)
        assert (await reply_dialog(pilot)).text == ""  # not bob's draft
        await pilot.press("escape")
    app = app_for(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_comment(pilot)
        assert (await reply_dialog(pilot)).text == "alice's thought"
