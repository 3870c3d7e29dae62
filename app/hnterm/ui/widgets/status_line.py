"""One line at the bottom: what is loading, how far it got, and what went wrong."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from hnterm.render.text import sanitize


class StatusLine(Static):
    """Shows progress and errors; errors get the ``-error`` class so CSS can colour them."""

    message: reactive[str] = reactive("", layout=False)
    error: reactive[bool] = reactive(False)

    def show(self, message: str, *, error: bool = False) -> None:
        self.message = message
        self.error = error

    def watch_message(self, message: str) -> None:
        # Plain, sanitised Text, never markup: messages quote server errors and ids. A line
        # of fixed height (the main screen's) changes without a layout, which would redraw
        # the whole screen on every cursor move; one of auto height (the reader's) wraps.
        height = self.styles.height
        self.update(Text(sanitize(message)), layout=height is None or height.is_auto)

    def watch_error(self, error: bool) -> None:
        self.set_class(error, "-error")
