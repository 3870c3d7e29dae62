"""``hnterm hiring QUERY`` in the reader: the app opening on the thread the command found,
narrowed to QUERY once it is loaded whole."""

from __future__ import annotations

from dataclasses import dataclass

from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.screens.main import MainScreen


@dataclass(frozen=True)
class HiringStart:
    """The thread to open at start, and what to narrow it to (None: every post)."""

    story: int
    query: str | None


class HiringApp(HNApp):
    """The reader, opening on a "Who is hiring?" thread narrowed to a query."""

    def __init__(self, config: Config, start: HiringStart) -> None:
        super().__init__(config)
        self.start = start

    def on_mount(self) -> None:  # (HNApp's on_mount runs too: Textual calls both)
        self.call_after_refresh(self._open_start)

    def _open_start(self) -> None:
        screen = self.screen
        if isinstance(screen, MainScreen):
            screen.thread_pane.open_narrowed(self.start.story, self.start.query)
            screen.thread_pane.view.focus()
