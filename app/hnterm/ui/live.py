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

from collections.abc import Callable
from typing import Protocol

from textual.widget import Widget

from hnterm.model.errors import CacheError, HNError
from hnterm.model.thread import Thread
from hnterm.services.gateway import Gateway
from hnterm.services.reading import Change, merge_arrivals


class LivePane(Protocol):
    """What live updates need of the thread pane (``hnterm.ui.thread_pane``)."""

    @property
    def thread(self) -> Thread | None: ...

    @property
    def thread_loading(self) -> bool: ...

    def show_change(self, change: Change) -> None: ...

    def show_status(self, text: str, error: bool = False) -> None: ...

    async def remember_read(self, thread: Thread) -> None: ...


class LiveThread:
    """Polls the open thread of ``pane`` every ``interval`` seconds; ``host`` runs the
    timer and the polls (the pane itself)."""

    def __init__(
        self,
        host: Widget,
        pane: LivePane,
        gateway: Gateway,
        interval: float,
        refresh_list: Callable[[], object],
    ) -> None:
        self.host = host
        self.pane = pane
        self.gateway = gateway
        self.refresh_list = refresh_list
        self.root: int | None = None  # the thread the count is about
        self.new_count = 0  # comments that arrived while it was open
        self.busy = False
        self.failing = False  # the last poll failed: the next that works says so
        self.interval = interval
        self.timer = host.set_interval(interval, self.tick)

    def tick(self) -> None:
        self.refresh_list()  # scores and comment counts of the list on screen
        pane = self.pane
        thread = pane.thread
        if thread is None or thread.root is None or pane.thread_loading or self.busy:
            return
        if thread.root_id != self.root:
            self.root, self.new_count = thread.root_id, 0
        self.busy = True
        self.host.run_worker(self.poll(thread), group="live", exclusive=True)

    async def poll(self, thread: Thread) -> None:
        pane = self.pane
        try:
            update = await self.gateway.poll(thread)
        except (HNError, CacheError) as exc:
            self.report(str(exc))
            return
        finally:
            self.busy = False
        self.report(update.error)
        if pane.thread is not thread or not update.items or pane.thread_loading:
            return
        change, arrived = merge_arrivals(thread, update)
        pane.show_change(change)
        if not arrived:
            return
        self.new_count += len(arrived)
        pane.show_status(f"{self.summary()} · . jumps to them")
        await pane.remember_read(thread)

    def report(self, problem: str | None) -> None:
        """Say once that polls fail (the next ticks keep trying quietly), once that they work."""
        if problem and not self.failing:
            again = f"trying again every {self.interval:g} s"
            self.pane.show_status(f"Live updates failed: {problem}; {again}", error=True)
        elif not problem and self.failing:
            self.pane.show_status("Live updates work again")
        self.failing = bool(problem)

    def summary(self, root: int | None = None) -> str:
        """'+3 new' for the status line: comments that arrived while reading (``root``)."""
        if not self.new_count or (root is not None and root != self.root):
            return ""
        return f"+{self.new_count} new"


def start(
    host: Widget, pane: LivePane, gateway: Gateway, refresh_list: Callable[[], object]
) -> LiveThread | None:
    """Live updates of ``pane``'s thread if the config wants them and there is a network."""
    config = gateway.settings.config
    if not config.live or gateway.offline:
        return None
    return LiveThread(host, pane, gateway, config.live_interval, refresh_list)
