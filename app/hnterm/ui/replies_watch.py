"""Replies to you while the app is open: checked at start, then at the live-poll pace.

Each tick asks the gateway's replies feed (``hnterm.services.replies.RepliesFeed``), which
costs one request (``updates.json``) unless one of your watched items changed. Replies that
arrived and the Replies list (``9``) has not shown are counted in the app's title; the list,
when it is on screen, shows them as they come.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from hnterm.model.errors import CacheError, HNError
from hnterm.services.gateway import Gateway
from hnterm.services.replies import Replies


class RepliesWatch:
    """Checks the logged-in user's replies for ``app``; ``shown`` gets each new result."""

    def __init__(
        self,
        app: App[None],
        gateway: Gateway,
        count: Callable[[int], None],
        shown: Callable[[Replies], None],
    ) -> None:
        self.app = app
        self.gateway = gateway
        self.count = count  # the title's count of new replies
        self.shown = shown  # the Replies list, if it is on screen
        self.busy = False
        config = gateway.settings.config
        app.run_worker(self.check(first=True), group="replies", exclusive=True)
        if config.live and not gateway.offline:
            app.set_interval(config.live_interval, self.tick)

    def tick(self) -> None:
        if not self.busy:
            self.app.run_worker(self.check(first=False), group="replies", exclusive=True)

    async def check(self, *, first: bool) -> None:
        account, feed = self.gateway.account, self.gateway.replies_feed
        self.busy = True
        try:
            if account.cookie is None and first:
                await account.sign_in()
            name = account.user
            if name is None:
                return
            result = await (feed.refresh(name) if first else feed.poll(name))
        except (HNError, CacheError):
            return  # the next tick tries again; the Replies list says what failed
        finally:
            self.busy = False
        if result is not None:
            self.shown(result)
        self.count(len(feed.unseen))
