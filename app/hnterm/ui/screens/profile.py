"""A user's profile: karma, account age, the about text and their submissions.

Submissions load a page at a time from the profile's ``submitted`` ids as the cursor nears the
end; enter on one returns its id, and the caller opens it in its thread. The loads go through
the gateway (on the network loop, like every other network call of the app).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from hnterm.model.format import age, short_age
from hnterm.render.text import render_html, sanitize
from hnterm.services.gateway import Gateway
from hnterm.services.profiles import (
    SUBMISSIONS_PAGE,
    Profile,
    Submission,
    submission_lines,
)
from hnterm.ui.screens import dialog_keys


class ProfileScreen(ModalScreen[int | None]):
    """Returns the id of the submission chosen, or None."""

    BINDINGS = [*dialog_keys.PROFILE]

    def __init__(self, gateway: Gateway, name: str) -> None:
        super().__init__()
        self.gateway = gateway
        self.name_asked = name
        self.profile: Profile | None = None
        self.shown = 0  # submissions asked for so far (a prefix of ``submitted``)
        self.paging = False

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-body"):
            yield Label(Text(f"Loading {self.name_asked}…"), id="profile-head")
            with VerticalScroll(id="profile-about"):
                yield Static(id="profile-about-text")
            yield OptionList(id="profile-submissions")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @work(exclusive=True, group="profile")
    async def load(self) -> None:
        profile = await self.gateway.profile(self.name_asked)
        self.profile = profile
        head = self.query_one("#profile-head", Label)
        if profile.user is None:
            head.update(Text(f"No profile: {profile.note}"))
            return
        head.update(header(profile))
        self.query_one("#profile-about-text", Static).update(render_html(profile.user.about).text)
        self.more()

    @work(group="profile-page")
    async def more(self) -> None:
        """The next page of submissions, appended to the list."""
        user = self.profile.user if self.profile else None
        if user is None or self.paging or self.shown >= len(user.submitted):
            return
        self.paging = True
        try:
            ids = list(user.submitted[self.shown : self.shown + SUBMISSIONS_PAGE])
            self.shown += len(ids)
            page = await self.gateway.submissions(ids)
            options = self.query_one(OptionList)
            options.add_options(submission_option(sub) for sub in page)
            if options.highlighted is None and options.option_count:
                options.highlighted = 0
        finally:
            self.paging = False

    @on(OptionList.OptionHighlighted)
    def near_end(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index >= event.option_list.option_count - 3:
            self.more()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id) if event.option.id else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def header(profile: Profile) -> Text:
    """'name · karma N · joined 12 years ago · 1,234 submissions', plus where it came from."""
    user = profile.user
    assert user is not None
    karma = f"{user.karma:,}" if user.karma is not None else "?"
    text = Text(
        f"{sanitize(user.id)} · karma {karma} · joined {age(user.created)} · "
        f"{len(user.submitted):,} submissions"
    )
    if profile.from_cache:
        fetched = age(int(profile.fetched)) if profile.fetched else "?"
        text.append(f"  (cached {fetched}: {profile.note})", "dim")
    return text


def submission_option(sub: Submission) -> Option:
    """Two lines: the story's title (a comment's: "comment on: …"), then age and text."""
    title, detail = submission_lines(sub)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(title, "bold")
    when = short_age(sub.item.time) if sub.item is not None else "?"
    text.append(f"\n{when} · ", "dim")
    text.append(detail)
    return Option(text, id=str(sub.item_id), disabled=sub.item is None)
