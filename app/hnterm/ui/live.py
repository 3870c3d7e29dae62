"""Live threads: the open thread is polled while it is read, and what arrives is merged in;
the story list's scores and comment counts are fetched again at the same pace.

Each tick asks the gateway (``Gateway.poll``) for what changed since the items on screen; the
answer is merged as a reload's is (``hnterm.services.reading``), so the reader's place stays
put. Comments that arrive are marked new (like those that arrived since
the last visit), counted in the status line ("+3 new"), and ``.`` walks to them. A tick is a
short worker of its own, so nothing runs between polls. A poll that fails is said once in the
status line (the next ticks keep trying), and so is the first one that works again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hnterm.model.errors import CacheError, HNError
from hnterm.model.thread import Thread
from hnterm.services.reading import merge_arrivals

if TYPE_CHECKING:
    from hnterm.ui.screens.main import MainScreen


class LiveThread:
    """Polls the open thread of ``screen`` every ``interval`` seconds."""

    def __init__(self, screen: MainScreen, interval: float) -> None:
        self.screen = screen
        self.root: int | None = None  # the thread the count is about
        self.new_count = 0  # comments that arrived while it was open
        self.busy = False
        self.failing = False  # the last poll failed: the next that works says so
        self.interval = interval
        self.timer = screen.set_interval(interval, self.tick)

    def tick(self) -> None:
        screen = self.screen
        screen.refresh_stories()  # scores and comment counts of the list on screen
        thread = screen.thread
        if thread is None or thread.root is None or screen.thread_loading or self.busy:
            return
        if thread.root_id != self.root:
            self.root, self.new_count = thread.root_id, 0
        self.busy = True
        screen.run_worker(self.poll(thread), group="live", exclusive=True)

    async def poll(self, thread: Thread) -> None:
        screen = self.screen
        try:
            update = await screen.gateway.poll(thread)
        except (HNError, CacheError) as exc:
            self.report(str(exc))
            return
        finally:
            self.busy = False
        self.report(update.error)
        if screen.thread is not thread or not update.items or screen.thread_loading:
            return
        change, arrived = merge_arrivals(thread, update)
        screen.show_change(change)
        if not arrived:
            return
        self.new_count += len(arrived)
        screen.status.show(f"{self.summary()} · . jumps to them")
        await screen._remember_read(thread)

    def report(self, problem: str | None) -> None:
        """Say once that polls fail (the next ticks keep trying quietly), once that they work."""
        if problem and not self.failing:
            again = f"trying again every {self.interval:g} s"
            self.screen.status.show(f"Live updates failed: {problem}; {again}", error=True)
        elif not problem and self.failing:
            self.screen.status.show("Live updates work again")
        self.failing = bool(problem)

    def summary(self, root: int | None = None) -> str:
        """'+3 new' for the status line: comments that arrived while reading (``root``)."""
        if not self.new_count or (root is not None and root != self.root):
            return ""
        return f"+{self.new_count} new"


def start(screen: MainScreen) -> LiveThread | None:
    """Live updates for ``screen`` if the config wants them and there is a network."""
    config = screen.gateway.settings.config
    if not config.live or screen.gateway.offline:
        return None
    return LiveThread(screen, config.live_interval)
