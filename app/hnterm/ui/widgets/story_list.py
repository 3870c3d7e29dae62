"""The story list pane: one story list (top, new, ...), filled a page at a time.

The pane owns its loads, as the thread pane does: the list's ids, its pages as the cursor
nears the end (exclusive workers: a newer list replaces the one loading), the refresh of what
it shows (live updates) and forgetting a story was read. What it is doing shows on its border,
so it never hides the status of the open thread.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import aclosing

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from hnterm.model.errors import CacheError
from hnterm.model.format import domain, plural, short_age
from hnterm.model.items import Item
from hnterm.model.readstate import ReadMark
from hnterm.render.text import sanitize
from hnterm.services import filtering, status_text
from hnterm.services.gateway import Gateway
from hnterm.services.replies import Replies, Reply, replies_note, reply_lines
from hnterm.services.source import PAGE_SIZE, StoryIds
from hnterm.ui.widgets.status_line import StatusLine

LIST_TITLES = {
    "top": "Top",
    "new": "New",
    "best": "Best",
    "ask": "Ask HN",
    "show": "Show HN",
    "job": "Jobs",
    "saved": "Saved",
    "faves": "HN favourites",
    "replies": "Replies",
}
MORE_THRESHOLD = 5
StyleOf = Callable[[str], Style]
EMPTY_HINTS = {
    "saved": "Nothing saved yet. In a thread, s keeps it for offline reading.",
    "faves": "No HN favourites yet: m on a story or comment adds one.",  # logged in, none
    "replies": "No replies to your latest stories and comments yet.",
}
EMPTY_HINT = "No stories in this list right now; r reloads it."
OWN_LISTS = ("saved", "faves")  # lists you made: the filters leave nothing out of them


def failure_line(title: str, reason: str, *, can_retry: bool) -> str:
    """What an empty list whose load failed says in place of its stories."""
    return f"Could not load {title}: {reason}" + ("; r retries" if can_retry else "")


class StoryList(OptionList):
    """Stories with their whole titles; asks for the next page as the cursor nears the end.
    With no thread open (class ``-alone``) the list takes the room the thread pane would."""

    COMPONENT_CLASSES = {
        "story-list--title",
        "story-list--meta",
        "story-list--new",
        "story-list--gone",
        "story-list--read",
        "story-list--open",
        "story-list--failed",
    }

    BINDINGS = [
        Binding("enter", "select", "Open", id="list.select"),
        Binding(
            "slash", "app.search_cache", "Search cache", key_display="/", id="list.search_cache"
        ),
        Binding("U", "mark_unread", "Mark unread", show=False, id="list.mark_unread"),
        Binding(
            "minus",
            "hide_read",
            "Hide/show read",
            key_display="-",
            tooltip="the stories you have read leave the list, or come back",
            id="list.hide_read",
        ),
        Binding("j", "cursor_down", "Next story", show=False, id="list.cursor_down"),
        Binding("k", "cursor_up", "Previous story", show=False, id="list.cursor_up"),
        *(
            Binding(
                str(n),
                f"app.show_list('{kind}')",
                f"{title} list",
                show=False,
                id=f"list.{kind}",
            )
            for n, (kind, title) in enumerate(LIST_TITLES.items(), start=1)
        ),
    ]

    class NeedMore(Message):
        """The cursor is near the last loaded story and more ids are waiting."""

    class RepliesSeen(Message):
        """The Replies list was opened: the title's count of new replies goes."""

    def __init__(self, gateway: Gateway | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="-alone")
        self.gateway = gateway  # None: a list fed by hand (``set_ids``, ``add_items``)
        self.kind = "top"
        self.ids: list[int] = []
        self.items: dict[int, Item] = {}
        self.marks: dict[int, ReadMark] = {}
        self.asked_more = False
        self.open_id: int | None = None  # the story open in the thread pane, marked
        self.failure: str | None = None  # why the list's load failed: an empty list says it
        self.replies: dict[int, Reply] = {}  # the Replies list (9): each entry's reply
        # Every id of the list; ``ids`` leaves out the stories the filters or "hide read"
        # leave out (``filtered``, ``read_hidden``: how many, said in the title).
        self.listed: list[int] = []
        self.filtered = self.read_hidden = 0
        self.first_load = True  # the session's first list: its cached copy is painted first

    def set_ids(self, kind: str, ids: list[int]) -> None:
        """Start showing a new list; entries appear as ``add_items`` brings them."""
        self.kind = kind
        self.ids = self.listed = ids
        self.filtered = self.read_hidden = 0
        self.items = {}
        self.marks = {}
        self.asked_more = True  # the first page is on its way
        self._show_title()
        self.clear_options()

    def add_items(self, items: list[Item], marks: dict[int, ReadMark] | None = None) -> None:
        """Show (or update) stories and their read marks, in the list's order."""
        updated = {item.id for item in items} | set(marks or ())
        self.marks.update(marks or {})
        for item in items:
            self.items[item.id] = item
        self._leave_out()
        shown = self.option_count
        ready = 0
        while ready < len(self.ids) and self.ids[ready] in self.items:
            ready += 1
        for index in range(min(shown, ready)):
            story = self.items[self.ids[index]]
            if story.id in updated:
                self.replace_option_prompt_at_index(index, self._prompt(index, story))
        new = [
            Option(self._prompt(index, self.items[i]), id=str(i))
            for index, i in enumerate(self.ids[shown:ready], start=shown)
        ]
        if new:
            self.add_options(new)
            if self.highlighted is None:
                self.highlighted = 0

    # -- loading -------------------------------------------------------------------------
    def show(self, kind: str) -> None:
        """Show the list ``kind`` (top, new, ..., saved, faves), loading it."""
        self.load_list(kind)

    @work(exclusive=True, group="list")
    async def load_list(self, kind: str) -> None:
        """Fetch a story list and its first page; at start, the cached copy first."""
        assert self.gateway is not None
        first, self.first_load = self.first_load, False
        self.border_subtitle = "loading…"
        if kind == "replies":  # replies to your items, from the API (services.replies)
            await self._load_replies()
            return
        cache_first = first and kind not in ("faves", "saved") and not self.gateway.offline
        if cache_first and await self._show_cached(kind):
            await self._refresh_cached(kind)
            return
        if kind == "faves":  # from HN's web pages (your account), not the API
            ids, error = await self.gateway.account.favourites()
            result = StoryIds(ids, from_cache=False, error=error)
        else:
            result = await self.gateway.story_ids(kind)
        self.set_ids(kind, result.ids)
        self.failure = self._failure(kind, result.error)
        if result.error:
            self._say_failure(kind, result.error)
        await self._load_stories(self.wanted[:PAGE_SIZE])
        if not result.error:
            self.border_subtitle = ""
        self._show_network()

    def _say_failure(self, kind: str, error: str) -> None:
        """A list whose fetch failed says so on its border (what it shows instead), and in a
        notice unless offline (the header says that: no toast over the thread's text)."""
        assert self.gateway is not None
        offline = self.gateway.offline
        self.border_subtitle = status_text.list_note(bool(self.ids), offline=offline)
        if not offline:
            self.notify(f"{LIST_TITLES[kind]}: {error}", severity="warning", markup=False)

    def _show_network(self) -> None:
        assert self.gateway is not None
        offline, down = self.gateway.offline, self.gateway.network_down
        self.app.sub_title = status_text.network_title(offline=offline, network_down=down)

    async def _show_cached(self, kind: str) -> bool:
        """The list as last fetched and its first page, from the cache alone: on screen
        before the network side has even imported its HTTP stack. False when the cache
        holds too little of it to show a story."""
        assert self.gateway is not None
        cached = await self.gateway.cached_list(kind)
        if cached is None:
            return False
        self.set_ids(kind, cached.ids)  # (asks for no more pages until the fresh copy is in)
        self.add_items(cached.page.items, cached.page.marks)
        if not self.option_count:
            return False
        self.border_subtitle = "cached copy · refreshing…"
        return True

    async def _refresh_cached(self, kind: str) -> None:
        """The cached copy on screen fetched afresh, list and first page, and put in its
        place in one step: the cursor stays on its story and nothing blinks empty. When the
        fetch fails, the cached copy stays and says so."""
        assert self.gateway is not None
        await self.wait_for_refresh()  # the HTTP stack's import waits for the cached paint
        result = await self.gateway.story_ids(kind)
        if result.error:  # (the network side fell back on the same cached copy)
            self._say_failure(kind, result.error)
            self.page_done([])
            self._show_network()
            return
        asked = result.ids[:PAGE_SIZE]
        items: list[Item] = []
        marks: dict[int, ReadMark] = {}
        async with aclosing(self.gateway.stories(asked)) as pages:
            async for page in pages:
                items += page.items
                marks.update(page.marks)
        self._replace(result.ids, items, marks)
        self.page_done(asked)
        self.show_empty()
        self.border_subtitle = ""
        self._show_network()

    def _replace(self, ids: list[int], items: list[Item], marks: dict[int, ReadMark]) -> None:
        """Show ``ids`` in place of the list shown, in one step (one frame, no empty list
        between): the cursor stays on its story, else on its row, and the view where it was."""
        option = self.highlighted_option
        at, row, scrolled = (option.id if option else None), self.highlighted, self.scroll_y
        self.set_ids(self.kind, ids)
        self.add_items(items, marks)
        shown = [str(i) for i in self.ids[: self.option_count]]
        if at in shown:
            self.highlighted = shown.index(at)
        elif row is not None and shown:
            self.highlighted = min(row, len(shown) - 1)
        self.scroll_to(y=scrolled, animate=False)

    async def _load_replies(self) -> None:
        """The replies to the logged-in user: the session's last check, else one now; once
        shown, they are no longer counted as new in the title."""
        assert self.gateway is not None
        feed, name = self.gateway.replies_feed, self.gateway.account.user
        if name is None:
            self.set_ids("replies", [])
            self.failure = "Log in (hnterm login) to see the replies to you."
            self.page_done([])
            self.show_empty()
            self.border_subtitle = ""
            return
        latest = feed.latest if feed.latest is not None and feed.latest.name == name else None
        self.show_replies(latest or await feed.refresh(name))
        feed.looked()
        self.app.post_message(self.RepliesSeen())

    def show_replies(self, result: Replies) -> None:
        """Show a check's replies, newest first; the cursor stays on the reply it was on."""
        option = self.highlighted_option if self.kind == "replies" else None
        was_on = option.id if option is not None else None
        self.replies = {reply.item.id: reply for reply in result.replies}
        self.set_ids("replies", list(self.replies))
        self.failure = None if result.found else f"Could not check replies: {result.note}"
        self.add_items([reply.item for reply in result.replies])
        self.page_done([])
        self.show_empty()
        self.border_subtitle = replies_note(result)
        if was_on is not None and int(was_on) in self.replies:
            self.highlighted = self.get_option_index(was_on)

    def _failure(self, kind: str, error: str | None) -> str | None:
        """What the list says when it is empty because ``error`` stopped its load: a
        refusal (no login, offline) as it is, since it names the next step; a failure with
        its reason and the retry."""
        if error is None or self.gateway is None:
            return None
        title = LIST_TITLES[kind]
        if kind == "faves" and self.gateway.account.refusal(title) is not None:
            return sanitize(error)
        return failure_line(title, sanitize(error), can_retry=not self.gateway.offline)

    @on(NeedMore)
    def more_stories(self) -> None:
        self.load_page()

    @work(exclusive=True, group="page")
    async def load_page(self) -> None:
        await self._load_stories(self.wanted[:PAGE_SIZE])

    async def _load_stories(self, ids: list[int]) -> None:
        assert self.gateway is not None
        async with aclosing(self.gateway.stories(ids)) as pages:
            async for page in pages:
                self.add_items(page.items, page.marks)
        self.page_done(ids)
        self.show_empty()

    @work(exclusive=True, group="list-refresh")
    async def refresh_stories(self) -> None:
        """The stories the list shows, fetched again: their scores and comment counts (live
        updates); a list still loading is left to its own load."""
        shown = self.ids[: self.option_count]
        if self.gateway is None or not shown or self.kind == "saved" or self.asked_more:
            return
        async with aclosing(self.gateway.refreshed_stories(shown)) as pages:
            async for items in pages:
                self.add_items(items)

    async def action_mark_unread(self) -> None:
        """Forget that the highlighted story was read (no dimming, no "new" marks)."""
        option = self.highlighted_option
        if self.gateway is None or option is None or option.id is None:
            return
        status = self.screen.query_one(StatusLine)
        try:
            await self.gateway.mark_unread(int(option.id))
        except CacheError as exc:
            status.show(f"Not marked unread: {exc}", error=True)
            return
        self.forget_mark(int(option.id))
        status.show("Marked unread")

    def highlighted_story(self) -> Item | None:
        """The story under the list's cursor (what ``p`` and ``A`` act on from the list)."""
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self.items.get(int(option.id)) if option.id else None

    def _prompt(self, index: int, story: Item) -> StoryEntry:
        if self.kind == "replies" and story.id in self.replies:
            return reply_prompt(self.replies[story.id], self._style)
        return story_prompt(
            index + 1,
            story,
            self._style,
            self.marks.get(story.id),
            is_open=story.id == self.open_id,
        )

    def _style(self, name: str) -> Style:
        """A theme colour; none yet before the stylesheet reaches the widget (entries are
        rebuilt then, in ``notify_style_update``)."""
        try:
            return self.get_component_rich_style(f"story-list--{name}", partial=True)
        except KeyError:
            return Style.null()

    def notify_style_update(self) -> None:
        """The theme changed: entries built with the old colours are built again."""
        super().notify_style_update()
        for index, item_id in enumerate(self.ids[: self.option_count]):
            if item_id in self.items:
                self.replace_option_prompt_at_index(index, self._prompt(index, self.items[item_id]))

    def mark_open(self, story_id: int | None) -> None:
        """Mark the story shown in the thread pane (and unmark the one before)."""
        previous, self.open_id = self.open_id, story_id
        self.set_class(story_id is None, "-alone")
        for index, item_id in enumerate(self.ids[: self.option_count]):
            if item_id in (previous, story_id) and item_id in self.items:
                self.replace_option_prompt_at_index(index, self._prompt(index, self.items[item_id]))

    def show_empty(self) -> None:
        """An empty list says why, instead of a blank pane: the failure that emptied it, or
        else what would fill it (never "nothing here" when its load failed)."""
        if self.ids or self.option_count:
            return
        if self.failure is not None:
            line = Text(self.failure, self._style("failed"))
        else:
            line = Text(EMPTY_HINTS.get(self.kind, EMPTY_HINT), self._style("gone"))
        self.add_option(Option(line, disabled=True))

    def forget_mark(self, story_id: int) -> None:
        """Show a story as never read."""
        if self.marks.pop(story_id, None) is not None:
            self.add_items([self.items[story_id]])

    def _show_title(self) -> None:
        left_out = filtering.title_note(self.filtered, self.read_hidden)
        self.border_title = (
            f"{LIST_TITLES.get(self.kind, self.kind)} · {len(self.ids)}{left_out} · 1-9 switch"
        )

    def _leave_out(self) -> None:
        """Take the stories the filters and "hide read" leave out from the shown ids (the
        entries are built again when one already shown goes or comes back)."""
        if self.gateway is None:
            return
        ids, self.filtered, self.read_hidden = filtering.shown_ids(
            self.listed,
            self.items,
            self.marks,
            self.gateway.filtering,
            keep=self.open_id,
            filtered=self.kind not in OWN_LISTS,
        )
        if ids == self.ids:
            return
        shown = self.option_count
        unchanged = ids[:shown] == self.ids[:shown] and len(ids) >= shown
        self.ids = ids
        self._show_title()
        if not unchanged:
            self._rebuild()

    def _rebuild(self) -> None:
        """Entries built again from ``ids`` (the cursor stays on its story if it shows)."""
        option = self.highlighted_option
        at = option.id if option is not None else None
        self.clear_options()
        self.add_items([])
        if at is not None and at.isdecimal() and int(at) in self.ids[: self.option_count]:
            self.highlighted = self.ids.index(int(at))

    def refilter(self) -> None:
        """The filters went off or on: the list shows what they now leave out."""
        self.add_items([])
        self._show_title()

    def action_hide_read(self) -> None:
        """Read stories left out of the lists, or shown again (for the session)."""
        if self.gateway is None:
            return
        session = self.gateway.filtering
        session.hide_read = not session.hide_read
        self.refilter()
        hidden = session.hide_read
        self.screen.query_one(StatusLine).show(
            "Read stories hidden" if hidden else "Read stories shown again"
        )

    def page_done(self, asked: list[int]) -> None:
        """A page load ended: forget ids that were asked for and did not come (deleted,
        null, not cached), so one missing story never stalls the list, and allow the next."""
        self.asked_more = False
        missing = {i for i in asked if i not in self.items}
        if missing and not self.items and self.failure is None and self.gateway is not None:
            reason = f"none of its {plural(len(missing), 'story', 'stories')} arrived"
            self.failure = failure_line(
                LIST_TITLES.get(self.kind, self.kind), reason, can_retry=not self.gateway.offline
            )
        if missing:
            self.listed = [i for i in self.listed if i not in missing]
            self.ids = [i for i in self.ids if i not in missing]
            self._show_title()
            self.add_items([])
        if self.highlighted is not None:
            self._maybe_more(self.highlighted)

    @property
    def wanted(self) -> list[int]:
        """Ids whose items have not arrived, in list order."""
        return [i for i in self.ids if i not in self.items]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._maybe_more(event.option_index)

    def _maybe_more(self, index: int) -> None:
        if (
            not self.asked_more
            and index >= self.option_count - MORE_THRESHOLD
            and self.option_count < len(self.ids)
        ):
            self.asked_more = True
            self.post_message(self.NeedMore())


class StoryEntry(Group):
    """A story's entry: its whole title wrapped to the list's width, then one line of details
    cut with an ellipsis (two Rich texts, so each keeps its own wrapping). ``plain`` and
    ``str`` give the text, as a ``Text`` prompt's do."""

    def __init__(self, title: Text, details: Text) -> None:
        super().__init__(title, details)
        self.title, self.details = title, details

    @property
    def plain(self) -> str:
        return f"{self.title.plain}\n{self.details.plain}"

    def __str__(self) -> str:
        return self.plain


def story_prompt(
    rank: int,
    story: Item,
    style: StyleOf,
    mark: ReadMark | None = None,
    *,
    is_open: bool = False,
) -> StoryEntry:
    """The title (with domain), whole, over as many lines as the width needs; then one line
    of rank, score, comments, age and author. A story read before is dimmed and says how
    many comments arrived since ("+3 new", before the author so a narrow pane keeps it);
    the story open in the thread pane is marked. Colours come from ``style`` (the theme)."""
    dimmed = style("read") if mark is not None else ""
    title = Text(style=dimmed, overflow="fold")  # a word longer than the line is folded
    if is_open:
        title.append("▶ ", style("open"))
    if story.deleted or story.dead:
        title.append("[deleted] " if story.deleted else "[dead] ", style("gone"))
    title.append(sanitize(story.title or f"item {story.id}"), style("title"))
    site = domain(story.url)
    if site:
        title.append(f" ({sanitize(site)})", style("meta"))
    details = Text(style=dimmed, no_wrap=True, overflow="ellipsis")
    meta = [f"#{rank}"]
    if story.type != "job":
        meta += [f"{story.score or 0} pts", plural(story.descendants or 0, "comment")]
    details.append(" · ".join(meta), style("meta"))
    new = mark.new_since(story.descendants) if mark is not None else 0
    if new:
        details.append(f" +{new} new", style("new"))
    rest = [short_age(story.time), *([sanitize(story.by)] if story.by else [])]
    details.append(" · " + " · ".join(rest), style("meta"))
    return StoryEntry(title, details)


def reply_prompt(reply: Reply, style: StyleOf) -> StoryEntry:
    """A reply's entry: its first line (marked new if it arrived since the last look), then
    who, when, and what of yours it answers."""
    text, on = reply_lines(reply)
    title = Text(overflow="fold")
    if reply.new:
        title.append("new ", style("new"))
    title.append(text or "(no text)", style("title"))
    details = Text(no_wrap=True, overflow="ellipsis")
    who = sanitize(reply.item.by or "[deleted]")
    details.append(f"{who} · {short_age(reply.item.time)} · {on}", style("meta"))
    return StoryEntry(title, details)
