"""The profile view: ``p`` on a comment or a story, pages of submissions, opening one.

The profiles are made up for the tests (the fixtures hold no user records); their
``submitted`` ids are the authors' real fixture items (``tests/fakehn/users.py``).
"""

from __future__ import annotations

from hnterm.ui.screens.main import MainScreen
from hnterm.ui.screens.profile import ProfileScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.story_list import StoryList
from textual.widgets import Label, OptionList

from tests.data import IBM
from tests.fakehn.users import add_fixture_users
from tests.ui.conftest import wait_loaded, wait_until

SIZE = (120, 40)


def profile_shown(app) -> bool:
    """The profile screen is up and composed."""
    return isinstance(app.screen, ProfileScreen) and bool(app.screen.query("#profile-head"))


RAYINER_NEWEST = 43732804  # rayiner's newest comment in the IBM thread


async def test_p_on_a_comment_shows_its_author_and_pages_submissions(fake_hn, make_app):
    add_fixture_users(fake_hn, "rayiner", about="<p>Hostile [bold]markup[/bold] \x1b[31m")
    app = make_app(RAYINER_NEWEST)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert view.cursor == RAYINER_NEWEST
        await pilot.press("p")
        await wait_until(pilot, lambda: profile_shown(app), "profile")
        profile = app.screen
        submissions = profile.query_one(OptionList)
        await wait_until(pilot, lambda: submissions.option_count == 20, "first page")
        head = str(profile.query_one("#profile-head", Label).render())
        assert head.startswith("rayiner · karma 4,321 · joined ") and "24 submissions" in head
        about = profile.query_one("#profile-about-text").render()
        assert "[bold]markup[/bold]" in str(about) and "\x1b" not in str(about)
        assert str(submissions.get_option_at_index(0).prompt).startswith("comment on: IBM")
        await pilot.press("end")  # near the end: the next page comes
        await wait_until(pilot, lambda: submissions.option_count == 24, "second page")
        submissions.highlighted = 1
        chosen = int(submissions.get_option_at_index(1).id)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "back")
        await wait_until(pilot, lambda: view.cursor == chosen, "the chosen comment")


async def test_p_on_a_story_and_an_unknown_author(fake_hn, make_app):
    add_fixture_users(fake_hn, "rntn")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        stories.focus()
        stories.highlighted = stories.ids.index(IBM)
        await pilot.press("p")
        await wait_until(pilot, lambda: profile_shown(app), "profile")
        profile = app.screen
        options = profile.query_one(OptionList)
        await wait_until(pilot, lambda: options.option_count == 1, "rntn's story")
        assert str(options.get_option_at_index(0).prompt).startswith("IBM")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "closed")
        app.screen.action_profile("nobody_here")
        await wait_until(pilot, lambda: profile_shown(app), "profile")
        head = app.screen.query_one("#profile-head", Label)
        await wait_until(pilot, lambda: "No profile" in str(head.render()), "the reason")
        assert str(head.render()) == "No profile: no HN user 'nobody_here'"
