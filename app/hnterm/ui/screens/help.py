"""The help screen: every key of every pane and dialog, gathered from their own BINDINGS.

Bindings of one ``Binding.Group`` (the numbers 1-9 after ``>``) share a row, as Textual's
footer shows them. Keys are written as the footer writes them (Textual's
``App.get_key_display``: ``space``, ``/``, ``esc``, ``^o``); the bottom border says which keys
close the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from hnterm.ui.screens import dialog_keys

BindingGroups = list[tuple[str, list[Binding]]]


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys; any of escape, q or ? closes it."""

    BINDINGS = [*dialog_keys.HELP]

    def __init__(self, groups: BindingGroups) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        body = VerticalScroll(id="help-body")
        body.border_title = "Every key"
        with body:
            yield Static(self.key_table(), id="help-table")

    def on_mount(self) -> None:
        """The bottom border says which keys close help, as the keymap has them."""
        self.query_one("#help-body").border_subtitle = f"{keys_for(self, 'dismiss')} closes"

    def key_table(self) -> Table:
        """Every key, grouped by where it works, as the keymap has it now."""
        table = Table(box=None, show_header=False, expand=True, padding=(0, 2))
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("what it does")
        for title, bindings in self.groups:
            table.add_row(Text.assemble((title, "bold underline")), "")  # not its padding
            for keys, description in rows(self.app, bindings):
                table.add_row(Text(keys), Text(description))
            table.add_row("", "")
        return table


def rows(app: App[Any], bindings: list[Binding]) -> list[tuple[str, str]]:
    """(keys, what they do): a row a binding, and one a group, where the group's first
    binding stands."""
    keys_of: dict[Binding.Group, list[str]] = {}
    order: list[Binding] = []
    for binding in bindings:
        if binding.group is None:
            order.append(binding)
        elif binding.group not in keys_of:
            keys_of[binding.group] = [key_label(app, binding)]
            order.append(binding)
        else:
            keys_of[binding.group].append(key_label(app, binding))
    return [
        (key_label(app, b), described(b))
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


def key_label(app: App[Any], binding: Binding) -> str:
    """'j / ↓' from 'j,down', each key as the footer shows it (``App.get_key_display``)."""
    return shown_keys(app, list(Binding.make_bindings([binding])))


def keys_for(screen: Screen[Any], action: str, *, first: bool = False) -> str:
    """The keys that run ``action`` on ``screen`` now (the keymap applied), as the footer
    shows them, for a hint that names them ('^s send'); ``first``: only the first key."""
    bindings = [
        active.binding
        for active in screen.active_bindings.values()
        if active.binding.action == action
    ]
    return shown_keys(screen.app, bindings[:1] if first else bindings)


def shown_keys(app: App[Any], bindings: Sequence[Binding]) -> str:
    """The keys of one action, each bound alone ('k', 'up'), as the footer shows them: the
    binding's own ``key_display`` when it has a single key (it names that key), Textual's
    display of each key when it has several ('k / ↑')."""
    if len(bindings) == 1:
        return app.get_key_display(bindings[0])
    shown = (app.get_key_display(replace(b, key_display=None)) for b in bindings)
    return " / ".join(dict.fromkeys(shown))
