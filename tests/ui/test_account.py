"""Your HN account in the reader (issue 17): the app against the fake API and the fake HN web
site (tests/fakeweb), with a real cache file and the session in a 0600 file (no keyring)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from hnterm.cli import main as cli
from hnterm.config import Config
from hnterm.render.comment_text import comment_header
from hnterm.storage.cache import DB_NAME, Cache
from hnterm.storage.session import SessionStore
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from textual.widgets import TextArea

from tests.data import IBM, fixture_items
from tests.fakeweb import FakeWeb
from tests.ui.conftest import notices, wait_loaded, wait_until

COOKIE = "alice&s3cr3tc00k1e"


@pytest.fixture
def web(tmp_path, monkeypatch):
    """The fake web site holding the IBM thread, alice logged in (her cookie kept in the
    0600 file under tmp_path), and the environment pointing hnterm at both."""
    monkeypatch.setenv("HNTERM_CONFIG_DIR", str(tmp_path / "config"))
    with FakeWeb() as server:
        monkeypatch.setenv("HNTERM_WEB_URL", server.url)
        items = fixture_items("unlurker-43727727-ibm-rto")
        comments = [
            (i.id, i.parent, i.by or "?")
            for i in sorted(items.values(), key=lambda i: i.id)
            if i.id != IBM and i.parent is not None
        ]
        server.add_thread(IBM, comments)
        server.state.page_size = 40
        server.state.sessions[COOKIE] = "alice"
        yield server


def logged_in(tmp_path: Path) -> None:
    SessionStore(tmp_path / "config").save(COOKIE)


def build(fake_hn, tmp_path, *, offline: bool = False) -> HNApp:
    return HNApp(
        Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", offline=offline, item=IBM)
    )


def status(app: HNApp) -> str:
    return app.screen.query_one(StatusLine).message


async def first_comment(pilot) -> int:
    await wait_loaded(pilot)
    await pilot.press("j")
    view = pilot.app.screen.query_one(CommentView)
    assert view.cursor is not None and view.cursor != IBM
    return view.cursor


async def reply_dialog(pilot) -> TextArea:
    """Press ``e`` on the comment under the cursor and wait for the reply's text box."""
    await pilot.press("e")
    app = pilot.app
    await wait_until(pilot, lambda: app.screen.query(TextArea), "the reply dialog")
    return app.screen.query_one(TextArea)


async def test_the_title_names_the_user_and_v_votes_then_unvotes(fake_hn, web, tmp_path):
    logged_in(tmp_path)
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        target = await first_comment(pilot)
        assert app.title == "hnterm · alice"
        thread = app.screen.thread
        await pilot.press("v")
        assert target in thread.voted  # shown at once, before HN answers
        await wait_until(pilot, lambda: "Upvoted" in status(app), "the vote")
        assert ("alice", target) in web.state.votes
        header = comment_header(thread, thread.items[target], lambda _: "", _NoHighlight())
        assert "▲ voted" in header.plain
        await pilot.press("v")
        await wait_until(pilot, lambda: "taken back" in status(app), "the unvote")
        assert ("alice", target) not in web.state.votes and target not in thread.voted
    votes = [entry for entry in web.state.log if entry.path.startswith("/vote")]
    hows = [("how=up" in e.path, "how=un" in e.path) for e in votes]
    assert hows == [(True, False), (False, True)]
    assert all("auth=" in e.path for e in votes)


async def test_items_already_voted_on_hn_are_marked_when_the_thread_opens(fake_hn, web, tmp_path):
    logged_in(tmp_path)
    last = web.state.threads[IBM][7].id
    web.state.page_size = 5  # the vote is on the second page, after a "more" link
    web.state.votes.add(("alice", last))
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_comment(pilot)
        await wait_until(pilot, lambda: last in app.screen.thread.voted, "the votes read")
        assert app.screen.thread.voted == {last}
    assert any(entry.path == f"/item?id={IBM}&p=2" for entry in web.state.log)


async def test_m_favourites_and_unfavourites(fake_hn, web, tmp_path):
    logged_in(tmp_path)
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        target = await first_comment(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: ("alice", target) in web.state.faves, "the fave")
        await wait_until(pilot, lambda: "Added to your HN favourites" in status(app), "told")
        await pilot.press("m")
        await wait_until(pilot, lambda: ("alice", target) not in web.state.faves, "unfave")


async def test_a_reply_is_posted_and_appears_in_the_thread_as_yours(fake_hn, web, tmp_path):
    logged_in(tmp_path)
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        target = await first_comment(pilot)
        (await reply_dialog(pilot)).insert("Well put.\n\nAnd <b>more</b>")
        await pilot.press("ctrl+s")
        thread = app.screen.thread
        # Shown at once, then HN's id (tests/ui/test_reply_shown.py follows it further).
        await wait_until(pilot, lambda: any(i > 0 for i in thread.mine), "HN's id")
        (new,) = thread.mine
        assert thread.parent_of[new] == target
        assert thread.items[new].text == "Well put.<p>And &lt;b&gt;more&lt;/b&gt;"
        assert app.screen.query_one(CommentView).cursor == new
        assert web.state.threads[IBM][-1].text == "Well put.\n\nAnd <b>more</b>"
        assert await app.gateway.worker.run(Cache.draft, target) is None


async def test_a_refused_reply_is_said_sanitised_and_its_draft_survives_a_restart(
    fake_hn, web, tmp_path, capsys
):
    logged_in(tmp_path)
    web.state.refusal = "You're posting too fast. \x1b[31mPlease slow down.[/red] Thanks."
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        target = await first_comment(pilot)
        (await reply_dialog(pilot)).insert("A thought I must not lose")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "posting too fast" in status(app), "the refusal")
        assert "\x1b" not in status(app) and "[/red]" in status(app)  # shown as text
        assert "draft is kept" in status(app)
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await first_comment(pilot) == target
        assert (await reply_dialog(pilot)).text == "A thought I must not lose"
        await pilot.press("escape")
    assert cli.run(["drafts", "--cache-dir", str(tmp_path / "cache")]) == 0
    out = capsys.readouterr().out
    assert f"reply to {target} in {IBM}" in out and "A thought I must not lose" in out
    assert "posting too fast" in out


async def test_a_draft_is_written_as_it_is_typed(fake_hn, web, tmp_path):
    logged_in(tmp_path)
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        target = await first_comment(pilot)
        (await reply_dialog(pilot)).insert("half a sen")
        cache = app.gateway.worker

        async def stored() -> bool:
            draft = await cache.run(Cache.draft, target)
            return draft is not None and draft.text == "half a sen"

        # The debounced write lands without closing the dialog.
        await wait_until(pilot, stored, "the draft to be written")


async def test_offline_votes_and_replies_are_refused_and_the_reply_kept(fake_hn, web, tmp_path):
    logged_in(tmp_path)
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        target = await first_comment(pilot)  # cached now
    requests = len(web.state.log)
    app = build(fake_hn, tmp_path, offline=True)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await first_comment(pilot) == target
        await pilot.press("v")
        assert status(app) == "Offline: Voting needs the network; nothing was sent"
        (await reply_dialog(pilot)).insert("written on a plane")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Offline" in status(app), "the refusal")
        await wait_until(pilot, lambda: app.workers.__len__() == 0, "the draft written")
        draft = await app.gateway.worker.run(Cache.draft, target)
        assert draft is not None and draft.text == "written on a plane"
        assert draft.error is not None and "Offline" in draft.error
    assert len(web.state.log) == requests  # nothing was sent


async def test_without_a_login_v_says_how_to_log_in(fake_hn, web, tmp_path):
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_comment(pilot)
        assert app.title == "hnterm"
        await pilot.press("v")
        assert "hnterm login" in status(app)
    assert not [e for e in web.state.log if e.path.startswith("/vote")]


async def test_the_cookie_is_written_nowhere_but_its_0600_file(
    fake_hn, web, tmp_path, monkeypatch, capsys
):
    """Log in through the CLI, vote, reply, fail a reply, dump and screenshot: then search every
    file under tmp_path (the cache file and its WAL included) for the cookie's value."""
    monkeypatch.setattr("sys.stdin", io.StringIO("right-password\n"))
    assert await asyncio.to_thread(cli.run, ["login", "alice", "--password-stdin"]) == 0
    session = tmp_path / "config" / "session"
    cookie = session.read_text()
    secret = cookie.split("&", 1)[1]
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_comment(pilot)
        await pilot.press("v")
        await wait_until(pilot, lambda: "Upvoted" in status(app), "the vote")
        (await reply_dialog(pilot)).insert("posted")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen.thread.mine, "the reply")
        web.state.refusal = "Duplicate."
        (await reply_dialog(pilot)).insert("again")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Duplicate" in status(app), "the refusal")
        app.save_screenshot("shot.svg", str(tmp_path))
    out = tmp_path / "thread.md"
    dump = ["dump", str(IBM), "--cache-dir", str(tmp_path / "cache"), "-o", str(out)]
    assert await asyncio.to_thread(cli.run, dump) == 0
    assert cli.run(["drafts", "--cache-dir", str(tmp_path / "cache")]) == 0
    printed = capsys.readouterr()
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p != session]
    assert any(p.suffix == ".svg" for p in files) and out in files
    assert any(p.name == DB_NAME for p in files)
    leaks = [p for p in files if secret.encode() in p.read_bytes()]
    assert leaks == []
    assert secret not in printed.out + printed.err
    # Every request that carried it went to the web site (the fake API never sees it).
    assert all(entry.cookie in (None, f"user={cookie}") for entry in web.state.log)


class _NoHighlight:
    ids: frozenset[int] = frozenset()
    author = None


async def test_p_submits_a_story_and_checks_it_first(fake_hn, web, tmp_path):
    """P opens the submit dialog; a story without a title or with a javascript: link is
    refused before anything is sent; a good one goes through HN's form (fnid and all)."""
    from hnterm.ui.screens.submit import SubmitScreen
    from textual.widgets import Input, Label

    logged_in(tmp_path)
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_comment(pilot)
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitScreen), "the dialog")
        dialog = app.screen
        await pilot.press("ctrl+s")
        assert "needs a title" in str(dialog.query_one("#submit-error", Label).render())
        dialog.query_one("#submit-story-title", Input).value = "Show HN: [bold]hnterm[/bold]"
        dialog.query_one("#submit-url", Input).value = "javascript:alert(1)"
        await pilot.press("ctrl+s")
        assert "http(s)" in str(dialog.query_one("#submit-error", Label).render())
        assert web.state.submitted == []  # nothing was sent
        dialog.query_one("#submit-url", Input).value = "https://example.com/hnterm"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: web.state.submitted, "the submission")
        assert web.state.submitted == [
            ("alice", "Show HN: [bold]hnterm[/bold]", "https://example.com/hnterm", "")
        ]
        await wait_until(pilot, lambda: "Submitted" in status(app), "the answer")
        assert "[bold]hnterm[/bold]" in status(app)  # shown as typed, never as markup


async def test_a_refused_submission_says_why(fake_hn, web, tmp_path):
    from hnterm.ui.screens.submit import SubmitScreen
    from textual.widgets import Input, TextArea

    logged_in(tmp_path)
    web.state.refusal = "You're submitting too fast. Please slow down. Thanks."
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_comment(pilot)
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitScreen), "the dialog")
        app.screen.query_one("#submit-story-title", Input).value = "Ask HN: a text post"
        app.screen.query_one("#submit-text", TextArea).insert("What do you read HN with?")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not submitted" in status(app), "the refusal")
        assert "submitting too fast" in status(app) and web.state.submitted == []


async def test_8_lists_your_hn_favourites(fake_hn, web, tmp_path):
    """The favourites list (8) is read from HN's favorites page; without a login it says
    how to get one."""
    from hnterm.ui.widgets.story_list import StoryList

    biden = 25015967
    web.state.faves |= {("alice", IBM), ("alice", biden), ("bob", 1)}
    logged_in(tmp_path)
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await wait_until(pilot, lambda: app.screen.account.account.cookie, "the session")
        stories = app.screen.query_one(StoryList)
        stories.focus()
        await pilot.press("8")
        await wait_until(pilot, lambda: stories.kind == "faves" and stories.items, "the list")
        await wait_loaded(pilot)
        assert stories.ids == [IBM, biden]  # alice's, newest first; not bob's
        assert "IBM orders" in str(stories.get_option_at_index(0).prompt)


async def test_8_without_a_login_says_how(fake_hn, web, tmp_path):
    from hnterm.ui.widgets.story_list import StoryList

    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        stories.focus()
        await pilot.press("8")
        await wait_until(
            pilot,
            lambda: any("hnterm login" in notice for notice in notices(app)),
            "the reason",
        )
        await wait_loaded(pilot)
        assert stories.ids == []
        assert "needs an HN login" in str(stories.get_option_at_index(0).prompt)
