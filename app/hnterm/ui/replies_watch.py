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

START_LOOK = 0.1  # seconds between looks for the signed-in user at start
START_LOOKS = 100  # then only the live polls look (a login later in the session)


class RepliesWatch:
    """Checks the logged-in user's replies for ``app``: once the session's user is known
    (the reading screen signs in), then every live-poll interval. ``count`` gets the number
    of new replies, ``shown`` each new result."""

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
        self.starting = app.set_interval(START_LOOK, self.start, repeat=START_LOOKS)
        config = gateway.settings.config
        if config.live and not gateway.offline:
            app.set_interval(config.live_interval, self.tick)

    def start(self) -> None:
        """The check at start, as soon as the sign-in has named the user."""
        if self.gateway.account.user is not None:
            self.starting.stop()
            self.tick()

    def tick(self) -> None:
        if not self.busy and self.gateway.account.user is not None:
            self.busy = True
            self.app.run_worker(self.check(), group="replies", exclusive=True)

    async def check(self) -> None:
        """One poll of the feed (a whole check when it has none yet for this user)."""
        feed, name = self.gateway.replies_feed, self.gateway.account.user
        try:
            result = await feed.poll(name) if name is not None else None
        except (HNError, CacheError):
            return  # the next tick tries again; the Replies list says what failed
        finally:
            self.busy = False
        if result is not None:
            self.shown(result)
        self.count(len(feed.unseen))
