"""The logged-in reader against a hostile HN web site (issue 21): odd markup in the pages the
account workers read, a session not in HN's shape, escapes in what the app notifies and titles.
The real app, the fake API and the fake web site (tests/fakeweb, its hostile modes)."""

from __future__ import annotations

import re

from hnterm.cli import main as cli
from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.comment_view import CommentView
from textual.notifications import Notify

from tests.data import IBM
from tests.ui.conftest import notices, wait_until
from tests.ui.test_account import build, first_comment, logged_in, reply_dialog, status, web

__all__ = ["web"]  # the fixture, shared with test_account

RAW = re.compile("[\x1b\x07\x80-\x9f]")  # ESC, BEL, C1: never on the terminal


async def answers_keys(pilot) -> None:
    """The app goes on: back on the thread (a dialog closed), ``j`` moves the cursor."""
    app = pilot.app
    await wait_until(pilot, lambda: app.screen.query(CommentView), "the thread")
    view = app.screen.query_one(CommentView)
    before = view.cursor
    await pilot.press("j")
    assert view.cursor != before


async def test_odd_markup_on_the_item_page_is_one_status_line_and_the_app_goes_on(
    fake_hn, web, tmp_path
):
    """The first cursor move reads your votes from the thread's page; ``<![foo[`` there made
    html.parser raise AssertionError in that worker, and the app exit."""
    logged_in(tmp_path)
    web.state.markup = "<![foo["
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_comment(pilot)
        await wait_until(pilot, lambda: "Votes not shown" in status(app), "the status line")
        assert status(app) == "Votes not shown: HN's page was not understood"
        await answers_keys(pilot)


async def test_a_vote_link_with_a_superscript_id_is_skipped_and_the_rest_read(
    fake_hn, web, tmp_path
):
    logged_in(tmp_path)
    voted = web.state.threads[IBM][0].id
    web.state.votes.add(("alice", voted))
    web.state.markup = '<a id="up_1" href="vote?id=¹&amp;how=up&amp;auth=t">up</a>'
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_comment(pilot)
        await wait_until(pilot, lambda: voted in app.screen.thread.voted, "the votes read")
        assert app.screen.thread.voted == {voted}
        await answers_keys(pilot)


async def test_a_reply_meeting_odd_markup_keeps_its_draft_and_the_app(
    fake_hn, web, tmp_path, capsys
):
    logged_in(tmp_path)
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        target = await first_comment(pilot)
        web.state.markup = "<![foo["  # the reply form's page, from now on
        (await reply_dialog(pilot)).insert("kept whatever the page holds")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not sent" in status(app), "the refusal")
        assert status(app) == (
            "Not sent: HN's page was not understood. The draft is kept: e opens it again"
        )
        await wait_until(pilot, lambda: not app.workers, "the draft written")
        await answers_keys(pilot)
    assert cli.run(["drafts", "--cache-dir", str(tmp_path / "cache")]) == 0
    out = capsys.readouterr().out
    assert f"reply to {target} in {IBM}" in out and "kept whatever the page holds" in out
    assert "HN's page was not understood" in out  # the draft keeps why it was not sent


async def test_a_session_not_in_hns_shape_is_refused_and_never_titled(fake_hn, web, tmp_path):
    session = tmp_path / "config" / "session"
    session.parent.mkdir()
    session.write_text("ali\x9b31mce&s3cr3t\x1b]0;pwned\x07")
    session.chmod(0o600)
    app = build(fake_hn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_comment(pilot)
        await wait_until(pilot, lambda: notices(app), "the notice")
        assert app.title == "hnterm"
        assert any("is refused: its NAME is not an HN user name" in n for n in notices(app))
        await pilot.press("v")
        assert status(app).startswith("Voting: the session in ")
        assert "run hnterm login again" in status(app) and not RAW.search(status(app))
    assert not [entry for entry in web.state.log if entry.path.startswith("/vote")]


async def test_notices_and_titles_pass_the_terminal_filter(fake_hn, tmp_path):
    """A config problem quotes the file's key: the notice shows it sanitised; a title set from
    anything is sanitised too."""
    hostile = 'config file c.toml: "\x1b]0;pwned\x07k\x9b31m": unknown setting; ignored'
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", problems=(hostile,))
    messages: list[object] = []
    app = HNApp(config)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        shown = [m.notification for m in messages if isinstance(m, Notify)]
        await wait_until(
            pilot,
            lambda: shown or [m.notification for m in messages if isinstance(m, Notify)],
            "the notice",
        )
        notes = [m.notification for m in messages if isinstance(m, Notify)]
        assert [n.message for n in notes if "unknown setting" in n.message] == [
            'config file c.toml: "k": unknown setting; ignored'
        ]
        app.title = "hnterm · \x1b]0;pwned\x07\x9d2;x\x07eve\u202e"
        assert app.title == "hnterm · eve"
