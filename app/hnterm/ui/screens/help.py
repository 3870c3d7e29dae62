"""The help screen: every key of every pane, gathered from the widgets' own BINDINGS."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

BindingGroups = list[tuple[str, list[Binding]]]


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close help")]

    def __init__(self, groups: BindingGroups) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self.key_table(), id="help-table")

    def key_table(self) -> Table:
        """Every key, grouped by where it works, as the keymap has it now."""
        table = Table(box=None, show_header=False, expand=True, padding=(0, 2))
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("what it does")
        for title, bindings in self.groups:
            table.add_row(Text(title, style="bold underline"), "")
            for binding in bindings:
                table.add_row(Text(key_label(binding)), Text(binding.description))
            table.add_row("", "")
        return table


def key_label(binding: Binding) -> str:
    """'j / down' from 'j,down'; keys shown as the user types them (':' for 'colon')."""
    names = [key.strip() for key in binding.key.split(",")]
    return " / ".join(_typed(name) for name in names)


def _typed(name: str) -> str:
    """The character a key name stands for when it is a printable one, else the name."""
    character = key_to_character(name)
    return character if character is not None and character.isprintable() else name
