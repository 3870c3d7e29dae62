"""A small dialog to pick one of a list: an ancestor (context), a reply, or a link.

Numbers pick directly (bindings ``pick.number_1`` … ``pick.number_9``), so "o 2" opens the
second link and "R 1" jumps to the first reply.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from hnterm.ui.number_keys import NUMBER_ACTION, number_bindings


class PickScreen(ModalScreen[str | None]):
    """Returns the chosen value, or None when dismissed."""

    BINDINGS = [
        Binding("escape,q", "cancel", "Close", id="pick.cancel"),
        *number_bindings("pick", "Pick entry n"),
    ]

    def __init__(self, title: str, choices: list[tuple[str, Text]], *, start: int = 0) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-body"):
            yield Label(Text(self.title_text), id="pick-title")
            options = []
            for number, (value, label) in enumerate(self.choices, start=1):
                prompt = Text(no_wrap=True, overflow="ellipsis")
                prompt.append(f"{number:>2}  " if number <= 9 else "    ", style="bold")
                prompt.append_text(label)
                options.append(Option(prompt, id=value))
            yield OptionList(*options, id="pick-list")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.highlighted = min(self.start, len(self.choices) - 1)
        option_list.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A number is live when the list has that many entries (else the key goes on)."""
        if action == NUMBER_ACTION:
            return parameters[0] in range(1, len(self.choices) + 1)
        return True

    def action_number(self, number: int) -> None:
        self.dismiss(self.choices[number - 1][0])

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
