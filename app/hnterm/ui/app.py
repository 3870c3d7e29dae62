"""HNApp: owns the gateway to the data (``hnterm.services.gateway``), the app-wide keys and
commands."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Iterable
from contextlib import suppress
from functools import partial
from pathlib import Path

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen

from hnterm.config import Config
from hnterm.model.errors import CacheError
from hnterm.render.text import one_line, sanitize
from hnterm.services.gateway import Gateway
from hnterm.services.replies import Replies, new_replies_title
from hnterm.ui.replies_watch import RepliesWatch
from hnterm.ui.screens import dialog_keys
from hnterm.ui.screens.context import ContextScreen
from hnterm.ui.screens.main import MainScreen
from hnterm.ui.screens.pick import PickScreen
from hnterm.ui.thread_pane import ThreadPane
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.story_list import LIST_TITLES, StoryList


def styles_dir() -> Path:
    """``hnterm/styles`` in an installed wheel, ``styles/`` beside ``app/`` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "styles"
    return installed if installed.is_dir() else package.parent.parent / "styles"


IDLE_BEFORE_COLLECT_S = 1.0  # no input for this long: a full garbage collection may run
# Young objects are collected after this many allocations (Python's default is 700). A frame
# builds thousands of short-lived strips: at 700, ~8 passes a key press each promoted what was
# alive then, so the old generation filled and a full pass (5-70 ms on a busy machine) hit
# about one key in 17 while a key was held; at 7,000 they die first (navigation benchmark).
GC_YOUNG_THRESHOLD = 7000
# The cache's size cap is enforced this long after start: its check opens a second connection
# to the file, which at start competed with the first list's reads and frames.
CAP_AFTER_S = 2.0


def key_actions() -> type[Provider]:
    """The palette's provider of what the keys do, imported when the palette first opens
    (Textual takes a callable for that): dialogs and the palette are not needed to start."""
    from hnterm.ui.commands import KeyActions

    return KeyActions


def bindings_of(owner: type[DOMNode]) -> list[Binding]:
    """A class's own ``BINDINGS`` as ``Binding`` objects (ours are all written as such)."""
    return [binding for binding in owner.BINDINGS if isinstance(binding, Binding)]


class HNApp(App[None]):
    """The hnterm application."""

    TITLE = "hnterm"
    SUB_TITLE = "Hacker News"
    CSS_PATH = [styles_dir() / "app.tcss", styles_dir() / "high-contrast.tcss"]
    COMMANDS = App.COMMANDS | {key_actions}  # the palette: what the keys do here, and more
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("F", "search_hn", "Search all of HN", show=False, id="app.search_hn"),
        Binding("ctrl+z", "suspend_process", "Suspend to the shell", show=False, id="app.suspend"),
    ]

    def __init__(self, config: Config, *, gateway: Gateway | None = None) -> None:
        super().__init__()
        from hnterm.ui.preferences import THEMES  # kept here: app.py is shared

        for theme in THEMES:  # hnterm's own, beside Textual's
            self.register_theme(theme)
        if config.theme in self.available_themes:  # the first frame is drawn in it
            self.theme = config.theme
        self.config = config
        self.gateway = gateway if gateway is not None else Gateway(config)
        self.gateway.report_problems(self.cache_problem)
        self.unfinished_saves: list[int] = []  # at exit: saves that resume at the next start
        self._ui_loop: asyncio.AbstractEventLoop | None = None
        self.last_input = 0.0  # monotonic time of the last key or mouse input
        self.replies_suffix = ""  # the title's count of new replies (show_new_replies)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.last_input = time.monotonic()
        await super().on_event(event)

    @on(events.AppFocus)
    def focus_when_nothing_has(self) -> None:
        """A browser tab (``hnterm serve``) starts unfocused: Textual's web driver says so
        before the first screen has chosen what to focus, and then it chooses nothing, so
        keys did nothing until a click. The first focus chooses now."""
        if self.screen.focused is None:
            self.screen.focus_next()

    @on(CommentView.Measured)
    def collect_when_idle(self) -> None:
        """Once a thread is built (every row measured), collect what the previous one left
        in reference cycles and freeze everything alive out of the garbage collector's
        passes, so later passes see only new objects: 2-9 ms, where full passes over the
        whole heap (40-100 ms in a 3,000-comment thread) stalled key presses. That one full
        pass (~45 ms) waits until no key or mouse input came for a moment."""
        if time.monotonic() - self.last_input < IDLE_BEFORE_COLLECT_S:
            self.set_timer(IDLE_BEFORE_COLLECT_S, self.collect_when_idle)
            return
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    async def on_load(self) -> None:
        """Before the first screen is built. With the start list cached, the screen paints
        it first and the network side starts after (``Gateway.prepare_start``). Else the
        list's fetch goes out now, and the UI waits until the network side has imported its
        HTTP stack (~120 ms of CPU): both threads share one interpreter lock, and side by
        side that import and the UI's first frames each ran at half speed, with the list's
        two round trips after both; in turn, the round trips overlap the UI's start
        (measured: the startup benchmark). What is alive now (the modules) is frozen out of
        the collector's passes first: a full pass over them during that import cost 20-40 ms."""
        gc.freeze()
        # Problems the early fetch meets (an unusable cache) are told on this loop.
        self._ui_loop = asyncio.get_running_loop()
        await self.gateway.prepare_start(MainScreen.START_LIST)

    def get_default_screen(self) -> Screen:
        return MainScreen(self.gateway, self.config.item)

    def on_mount(self) -> None:
        # What is alive now (modules, Textual, the first screen) lives as long as the app:
        # out of the collector's passes, which then scan only what reading builds.
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        if self.config.cache_max_bytes:
            cap = partial(self.enforce_cache_cap, self.config.cache_max_bytes)
            self.set_timer(CAP_AFTER_S, cap)
        self.apply_preferences()
        RepliesWatch(self, self.gateway, self.show_new_replies, self.replies_arrived)

    def show_new_replies(self, count: int) -> None:
        """The title counts the replies to you that arrived and the Replies list has not
        shown (``ui.replies_watch``)."""
        base = self.title.removesuffix(self.replies_suffix)  # the account's user stays
        self.replies_suffix = new_replies_title(count)
        self.title = base + self.replies_suffix

    def replies_arrived(self, result: Replies) -> None:
        """A new check of your replies: the Replies list shows it if it is on screen."""
        screen = self.screen
        if isinstance(screen, MainScreen) and screen.stories.kind == "replies":
            screen.stories.show_replies(result)

    @on(StoryList.RepliesSeen)
    def replies_seen(self) -> None:
        self.show_new_replies(0)

    @work(group="preferences")
    async def apply_preferences(self) -> None:
        """The config's keys and themes, the theme last chosen; what was wrong, said."""
        from hnterm.ui import preferences  # kept here: app.py is shared

        groups = {title.lower(): bindings for title, bindings in self.binding_groups()}
        problems = [*self.config.problems, *preferences.apply(self, self.config, groups)]
        for problem in problems:
            self.notify(problem, title="Config", severity="warning", markup=False, timeout=15)
        await preferences.restore_theme(self, self.gateway.settings)

    @classmethod
    def binding_groups(cls) -> list[tuple[str, list[Binding]]]:
        """Every place's keys, as the help screen lists them (before any remapping); a class
        method, so that ``hnterm config`` checks the config's keys without an app."""
        return [
            ("Everywhere", bindings_of(cls)),
            ("Reading view", bindings_of(MainScreen)),
            ("Story list", bindings_of(StoryList)),
            ("Comments", [*bindings_of(CommentView), *bindings_of(ThreadPane)]),
            ("Context view", bindings_of(ContextScreen)),
            ("Pick lists", bindings_of(PickScreen)),
            *dialog_keys.GROUPS,  # the dialogs and the article reader
        ]

    # The one way out to the screen's edges: notices and titles quote servers, config keys and
    # file names, so each passes the terminal-safety filter here, whoever raised it.
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        super().notify(
            sanitize(message), title=one_line(title), severity=severity, timeout=timeout,
            markup=markup,
        )  # fmt: skip

    def validate_title(self, title: object) -> str:
        return one_line(str(title))

    def validate_sub_title(self, sub_title: object) -> str:
        return one_line(str(sub_title))

    def cache_problem(self, problem: str) -> None:
        """A cache problem, said once when it first appears (the reader goes on). Called
        from the UI or the network loop, so the notice is handed to the UI's loop."""
        notice = partial(
            self.notify, problem, title="Cache", severity="warning", markup=False, timeout=8
        )
        loop = self._ui_loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            notice()
        else:
            loop.call_soon_threadsafe(notice)

    @work(thread=True, exclusive=True, group="cache-cap")
    def enforce_cache_cap(self, max_bytes: int) -> None:
        """Prune the cache to its size cap off the UI thread (it can take a second or two)."""
        removed = self.gateway.prune_to_cap(max_bytes)
        if removed:
            self.call_from_thread(
                self.notify, f"Cache over its size cap: pruned {removed} items", markup=False
            )

    async def on_unmount(self) -> None:
        with suppress(CacheError):
            self.unfinished_saves = await self.gateway.pending_saves()
        await self.gateway.aclose()

    def action_suspend_process(self) -> None:
        """``ctrl+z``: back to the shell (``fg`` returns here); a browser tab has no shell."""
        if self.is_web:
            self.notify("No shell to return to in a browser tab", markup=False)
            return
        self.app_resume_signal.subscribe(self, self.redraw_all)
        super().action_suspend_process()

    def redraw_all(self, app: App[None]) -> None:
        """Back from ``ctrl+z``: the shell had the screen meanwhile, and Textual draws anew
        only what changed (the header and footer stayed blank), so every widget is drawn."""
        self.app_resume_signal.unsubscribe(self)
        for screen in self.screen_stack:  # a dialog's screen shows the one below it
            for widget in screen.query("*"):
                widget.refresh()

    def action_show_list(self, kind: str) -> None:
        screen = self.screen
        if isinstance(screen, MainScreen) and kind in LIST_TITLES:
            screen.show_list(kind)
            screen.query_one(StoryList).focus()

    def action_help(self) -> None:
        from hnterm.ui.preferences import remapped
        from hnterm.ui.screens.help import HelpScreen

        keymap = self.config.keys
        groups = [(title, remapped(keys, keymap)) for title, keys in self.binding_groups()]
        self.push_screen(HelpScreen(groups))

    def action_search_cache(self) -> None:
        """Search everything cached; the chosen item opens in its thread."""
        from hnterm.ui.screens.cache_search import CacheSearchScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return

        def chosen(item_id: int | None) -> None:
            if item_id is not None:
                screen.open_item(item_id)
                screen.query_one(CommentView).focus()

        self.push_screen(CacheSearchScreen(self.gateway.search_cache), chosen)

    def action_search_hn(self) -> None:
        """Search all of HN (Algolia); the chosen item opens here, and ``b`` comes back."""
        from hnterm.ui.screens.hn_search import HNSearchScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return

        def chosen(item_id: int | None) -> None:
            if item_id is not None:
                screen.open_item(item_id, remember=True)
                screen.query_one(CommentView).focus()

        self.push_screen(HNSearchScreen(self.gateway.online_search()), chosen)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """What the palette offers beyond the keys of ``screen`` (``KeyActions`` lists
        those): the story lists and the cache search from anywhere, and Textual's own, each
        left out where a key of the screen does the same (nothing twice)."""
        from hnterm.ui.commands import bound_actions

        bound = {action.title for action in bound_actions(screen)}
        for command in self._system_commands(screen):
            if command.title not in bound:
                yield command

    def _system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from hnterm.ui.hiring import hiring_command

        # Textual's "Keys" panel would sit beside our own help, and its "Screenshot" writes
        # into whatever folder hnterm was started from, failing silently where it cannot.
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Screenshot"):
                yield command
        if not isinstance(screen, MainScreen):
            return
        for kind, title in LIST_TITLES.items():
            yield SystemCommand(
                f"{title} list", f"Show the {title} list", partial(self.action_show_list, kind)
            )
        yield SystemCommand(
            "Search cache", "Full-text search of everything read", self.action_search_cache
        )
        for name in screen.account.account.others():  # your other HN accounts
            yield SystemCommand(
                f"Switch HN account to {name}",
                f"Vote, favourite and reply as {name} (kept for the next start)",
                partial(screen.account.switch, name),
            )
        yield hiring_command(self)
