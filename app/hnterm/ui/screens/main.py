"""The reading view: the story list beside the thread pane, with a status line.

The panes own their work: the story list its lists, pages and refresh
(``hnterm.ui.widgets.story_list``), the thread pane its loads, merges, saves and progress
(``hnterm.ui.thread_pane``), the account controller your HN account (``screens/account.py``).
The screen holds the keys, routes what one pane asks of another, and opens the dialogs.
"""

from __future__ import annotations

from collections.abc import Awaitable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList

from hnterm.model.format import plural
from hnterm.model.items import Item
from hnterm.model.thread import Thread
from hnterm.services import reading
from hnterm.services.gateway import Gateway
from hnterm.ui import list_width
from hnterm.ui.live import LiveThread
from hnterm.ui.screens.account import ACCOUNT_BINDINGS, AccountController
from hnterm.ui.thread_pane import ThreadPane
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import StoryList

# The dialogs (open item, profile, article) are imported when first opened: not to start.


class MainScreen(Screen[None]):
    """Story list + thread."""

    BINDINGS = [
        Binding("r", "reload", "Reload", show=False, id="main.reload"),
        Binding("s", "save", "Save", id="main.save"),
        Binding("S", "unsave", "Remove from Saved", show=False, id="main.unsave"),
        Binding(
            "colon", "open_prompt", "Open item", key_display=":", show=False, id="main.open_prompt"
        ),
        Binding("w", "toggle_list", "Hide/show the story list", show=False, id="main.toggle_list"),
        Binding("tab", "switch_pane", "Switch pane", show=False, id="main.switch_pane"),
        Binding("escape", "close_search", "Close the search", show=False, id="main.close_search"),
        Binding(
            "left_curly_bracket",
            "resize_list(-1)",
            "Narrower story list (remembered)",
            key_display="{",
            show=False,
            id="main.narrow_list",
        ),
        Binding(
            "right_curly_bracket",
            "resize_list(1)",
            "Wider story list (remembered)",
            key_display="}",
            show=False,
            id="main.widen_list",
        ),
        Binding("p", "profile", "Author's profile", show=False, id="main.profile"),
        Binding("A", "article", "Read the article", show=False, id="main.article"),
        Binding(
            "X",
            "toggle_filters",
            "Filters off/on",
            show=False,
            tooltip="the words, sites and users your config filters out, for this session",
            id="main.toggle_filters",
        ),
        *ACCOUNT_BINDINGS,  # v m e: your HN account (screens/account.py)
    ]

    NETWORK_RETRY_SECONDS = 20.0
    START_LIST = "top"  # the list shown at start (``HNApp`` asks for it early)

    def __init__(self, gateway: Gateway, start_item: int | None = None) -> None:
        super().__init__()
        self.gateway = gateway
        self.start_item = start_item
        self.stories = StoryList(gateway, id="stories")
        self.thread_pane = ThreadPane(gateway, id="thread-pane")
        self.account = AccountController(self, self.thread_pane, gateway.account)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield self.stories
            yield self.thread_pane
        yield StatusLine(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.run_worker(self.account.sign_in(), group="account-sign-in")
        self.set_interval(self.NETWORK_RETRY_SECONDS, self.retry_network)
        self.stories.show(self.START_LIST)
        if self.start_item is not None:
            self.thread_pane.open_item(self.start_item)
            self.thread_pane.view.focus()
        self.restore_state()
        self.thread_pane.start_live(self.stories.refresh_stories)
        settings = self.gateway.settings
        self.run_worker(list_width.restore(self.stories, settings), group="restore-layout")

    @work(group="restore")
    async def restore_state(self) -> None:
        """What the last session left: the list pane hidden, saves a quit interrupted."""
        if (await self.gateway.settings.recall()).list_hidden:
            self.query_one("#panes").add_class("-list-hidden")
        pending = await self.gateway.pending_saves()
        if pending and not self.gateway.offline:
            self.notify(
                f"Resuming {plural(len(pending), 'save')} interrupted when hnterm last quit",
                markup=False,
            )
            self.thread_pane.resume_saves(pending)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    # What the reading view shows, read from its panes.
    @property
    def thread(self) -> Thread | None:
        """The open thread."""
        return self.thread_pane.thread

    @property
    def thread_loading(self) -> bool:
        """A thread is loading (progress is on the status line)."""
        return self.thread_pane.thread_loading

    @property
    def saving(self) -> int | None:
        """The thread a save is downloading."""
        return self.thread_pane.saving

    @property
    def live(self) -> LiveThread | None:
        return self.thread_pane.live

    def show_list(self, kind: str) -> None:
        self.stories.show(kind)

    def open_item(self, item_id: int, *, remember: bool = False) -> None:
        """Open an item's thread in the thread pane; with ``remember``, ``b`` comes back."""
        self.thread_pane.open_item(item_id, remember=remember)

    # -- what one pane tells the other ----------------------------------------------------
    @on(OptionList.OptionSelected, "#stories")
    def story_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.open_item(int(event.option.id))
            self.thread_pane.view.focus()

    @on(ThreadPane.StoryOpened)
    def story_opened(self, event: ThreadPane.StoryOpened) -> None:
        self.stories.mark_open(event.root)

    @on(ThreadPane.ReadMarked)
    def read_marked(self, event: ThreadPane.ReadMarked) -> None:
        if set(event.marks) & set(self.stories.items):
            self.stories.add_items([], event.marks)

    @on(CommentView.CursorMoved)
    def cursor_moved(self) -> None:
        """The first look at a thread while logged in reads which items you voted."""
        self.account.cursor_moved(not (self.gateway.offline or self.gateway.network_down))

    # -- the comment pane's keys (bound in CommentView as screen actions) ------------------
    def action_context(self) -> None:
        self.thread_pane.context()

    def action_replies(self) -> None:
        self.thread_pane.replies()

    def action_links(self) -> None:
        self.thread_pane.links()

    def action_open_story(self) -> None:
        self.thread_pane.open_story()

    def action_open_on_hn(self) -> None:
        self.thread_pane.open_on_hn()

    def action_copy_link(self) -> None:
        self.thread_pane.copy_link()

    def action_copy_text(self) -> None:
        self.thread_pane.copy_text()

    def action_search_thread(self) -> None:
        self.thread_pane.search_thread()

    def action_close_search(self) -> None:
        self.thread_pane.close_search()

    def action_narrow_thread(self) -> None:
        self.thread_pane.narrow_thread()

    # -- your account ---------------------------------------------------------------------
    def action_vote(self) -> Awaitable[None] | None:
        return self.account.vote()

    def action_fave(self) -> Awaitable[None] | None:
        return self.account.fave()

    def action_reply(self) -> Awaitable[None] | None:
        return self.account.reply()

    def action_submit_story(self) -> None:
        self.account.submit_story()

    # -- the screen's own keys ------------------------------------------------------------
    def action_reload(self) -> None:
        """Reload what has focus: the story list, or the thread from the network (retrying
        what failed)."""
        if isinstance(self.focused, StoryList) or not self.thread_pane.reload():
            self.stories.show(self.stories.kind)

    async def action_save(self) -> None:
        await self.thread_pane.save()

    async def action_unsave(self) -> None:
        await self.thread_pane.unsave()

    def action_open_prompt(self) -> None:
        """Ask for an id or an HN link and open it; ``b`` comes back."""
        from hnterm.ui.screens.open_item import OpenItemScreen

        self.app.push_screen(OpenItemScreen(), self._open_chosen)

    def _open_chosen(self, item_id: int | None) -> None:
        """An item chosen in a dialog opens in the thread pane; ``b`` comes back."""
        if item_id is not None:
            self.open_item(item_id, remember=True)
            self.thread_pane.view.focus()

    @property
    def _on_the_list(self) -> bool:
        """``p`` and ``A`` act on the story highlighted in the list, not the thread."""
        return self.focused is self.stories and self.stories.highlighted is not None

    def action_profile(self, name: str | None = None) -> None:
        """The profile of ``name``, or of the author under the cursor (a story in the list,
        a comment in the thread); the submission chosen there opens in its thread, and ``b``
        comes back."""
        from hnterm.ui.screens.profile import ProfileScreen

        if not name:
            pane = self.thread_pane
            item = self.stories.highlighted_story() if self._on_the_list else pane.cursor_item()
            name = item.by if item is not None else None
        if not name:
            self.status.show("No author here (deleted, or nothing under the cursor)")
            return
        self.app.push_screen(ProfileScreen(self.gateway, name), self._open_chosen)

    def action_article(self) -> None:
        """The linked page of the story in the list (when it has focus) or of the open thread,
        as reading text; a link chosen there opens like a comment's link."""
        from hnterm.ui.screens.article import ArticleScreen

        thread = self.thread_pane.thread
        story: Item | None
        if self._on_the_list:
            story = self.stories.highlighted_story()
        else:
            story = thread.root if thread is not None else None
        if story is None:
            self.status.show("No story open")
            return
        if not story.url:
            self.status.show("This story has no linked article (it is a text post)")
            return
        screen = ArticleScreen(self.gateway, story.id, story.url)
        self.app.push_screen(screen, self.thread_pane.open_link)

    async def action_resize_list(self, step: int) -> None:
        await list_width.resize(self.stories, self.gateway.settings, self.status, step)

    async def action_toggle_list(self) -> None:
        """Hide the story list for full-width reading, or show it again (remembered)."""
        panes = self.query_one("#panes")
        panes.toggle_class("-list-hidden")
        hidden = panes.has_class("-list-hidden")
        if hidden:
            self.thread_pane.view.focus()
        self.status.show("Story list hidden; w shows it" if hidden else "Story list shown")
        await self.gateway.settings.remember_list_hidden(hidden)

    def action_toggle_filters(self) -> None:
        """The config's [filters] off for the session, or on again: the list shows the
        stories they left out, the thread the comments they folded."""
        session = self.gateway.filtering
        if not session.filters:
            self.status.show("No filters set: [filters] in the config file sets them")
            return
        on = session.toggle()
        if self.thread is not None:
            reading.set_filter(self.thread, session.comment_test())
            self.thread_pane.view.rows_changed()
        self.stories.refilter()
        self.status.show("Filters on" if on else "Filters off for this session")

    def action_switch_pane(self) -> None:
        comments = self.thread_pane.view
        (comments if self.stories.has_focus else self.stories).focus()

    async def retry_network(self) -> None:
        """While the network is down, try it now and then; when it is back, say so and
        reload the list."""
        if self.gateway.offline or not self.gateway.network_down:
            return
        if await self.gateway.probe():
            self.notify("Back online")
            self.stories.show(self.stories.kind)
        self.thread_pane.show_network()
