"""The narrowing prompt (``&``): a query in the search grammar; the thread then shows only the
top-level comments it matches."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from hnterm.model.narrow import parse_narrowing
from hnterm.ui.screens import dialog_keys

PROMPT = "Narrow to the top-level comments that match (esc in the thread shows all again)"
HINT = 'words, "a phrase", word*, -word, by:name'


class NarrowScreen(ModalScreen[str | None]):
    """Returns the query to narrow by, or None when dismissed."""

    BINDINGS = [*dialog_keys.NARROW]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical(id="narrow-body"):
            yield Label(Text(PROMPT), id="narrow-title")
            yield Input(value=self.query_text, placeholder=HINT)
            yield Label("", id="narrow-error")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if parse_narrowing(event.value) is None:
            shown = event.value.strip()[:60]
            self.query_one("#narrow-error", Label).update(
                Text(f"Nothing to narrow by in {shown!r}: {HINT}")
            )
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
