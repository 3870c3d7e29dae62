"""The help screen: every key of every pane, gathered from the widgets' own BINDINGS.

Bindings of one ``Binding.Group`` (the numbers 1-9 after ``>``) share a row, as Textual's
footer shows them.
"""

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
            for keys, description in rows(bindings):
                table.add_row(Text(keys), Text(description))
            table.add_row("", "")
        return table


def rows(bindings: list[Binding]) -> list[tuple[str, str]]:
    """(keys, what they do): a row a binding, and one a group, where the group's first
    binding stands."""
    keys_of: dict[Binding.Group, list[str]] = {}
    order: list[Binding] = []
    for binding in bindings:
        if binding.group is None:
            order.append(binding)
        elif binding.group not in keys_of:
            keys_of[binding.group] = [key_label(binding)]
            order.append(binding)
        else:
            keys_of[binding.group].append(key_label(binding))
    return [
        (key_label(b), described(b))
        if b.group is None
        else (joined(keys_of[b.group]), b.group.description)
        for b in order
    ]


def described(binding: Binding) -> str:
    """What a key does, and its tooltip when it has one (how it behaves in a special case:
    j in an item taller than the pane)."""
    return f"{binding.description}: {binding.tooltip}" if binding.tooltip else binding.description


def joined(labels: list[str]) -> str:
    """'1-9' for the digits in order, else the keys one after another ('& é " ...')."""
    digits = [str(n) for n in range(1, len(labels) + 1)]
    if len(labels) > 2 and labels == digits:
        return f"1-{len(labels)}"
    return " ".join(labels)


def key_label(binding: Binding) -> str:
    """'j / down' from 'j,down'; keys shown as the user types them (':' for 'colon')."""
    names = [key.strip() for key in binding.key.split(",")]
    return " / ".join(_typed(name) for name in names)


def _typed(name: str) -> str:
    """The character a key name stands for when it is a visible one, else the name (so
    "space" stays "space")."""
    character = key_to_character(name)
    if character is None or not character.isprintable() or character.isspace():
        return name
    return character
