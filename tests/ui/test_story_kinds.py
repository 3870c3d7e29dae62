"""Stories of every kind read right: an Ask HN without replies shows its question, a job
post says it takes no comments, and a story whose comments are not cached says so offline and
stays unread (issue 11)."""

from __future__ import annotations

from hnterm.storage.cache import Cache
from hnterm.ui.widgets.comment_view import CommentView

from tests.data import IBM
from tests.ui.conftest import wait_loaded

ASK_NO_COMMENTS = 26298314  # an Ask HN with its question in `text` and no replies
JOB = 43729850
LESS_SLOW = 43727743  # a story with 88 comments

SIZE = (120, 40)


def story_row(view: CommentView) -> str:
    return view.comment_layout.header_text(view.thread.root_id).plain


async def test_an_ask_hn_without_replies_shows_its_question(make_app):
    app = make_app(ASK_NO_COMMENTS)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        row = story_row(view)
        assert "Ask HN: Is there an IDE for computer vision?" in row
        assert "How are people running their detection pipelines" in row
        assert "No comments yet." in row
        assert view.virtual_size.height > 3  # drawn, not an empty pane


async def test_a_job_post_is_readable(make_app):
    app = make_app(JOB)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        row = story_row(app.screen.query_one(CommentView))
        assert "job" in row and "Job posts take no comments." in row


async def test_offline_story_without_cached_comments_says_so_and_stays_unread(make_app, fake_hn):
    fake_hn.lists["topstories"] = [LESS_SLOW, IBM]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:  # the list caches the story item only
        await wait_loaded(pilot)
    app = make_app(LESS_SLOW, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        row = story_row(app.screen.query_one(CommentView))
        assert "Less Slow C++" in row
        assert "88 comments not in the cache (offline): run hnterm without --offline" in row
        assert await app.gateway.worker.run(Cache.story_read, LESS_SLOW) is None
