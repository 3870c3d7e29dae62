"""The "open item" prompt (``:``): an id or a news.ycombinator.com link, story or comment."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from hnterm.model.format import item_id_of
from hnterm.model.items import is_item_id
from hnterm.ui.screens import dialog_keys

PROMPT = "Open an item: its id, or its news.ycombinator.com link"


class OpenItemScreen(ModalScreen[int | None]):
    """Returns the id to open, or None when dismissed."""

    BINDINGS = [*dialog_keys.OPEN_ITEM]

    def compose(self) -> ComposeResult:
        with Vertical(id="open-item-body"):
            yield Label(Text(PROMPT), id="open-item-title")
            yield Input(placeholder="43727727 or https://news.ycombinator.com/item?id=…")
            yield Label("", id="open-item-error")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        item_id = item_id_of(event.value)
        if item_id is None or not is_item_id(item_id):
            shown = event.value.strip()[:60]
            error = self.query_one("#open-item-error", Label)
            error.update(Text(f"Not an HN item id or link: {shown!r}"))
            return
        self.dismiss(item_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
