"""Numbers typed to choose: ``>`` then 2 follows the second reply, 2 in a pick list picks it.

One binding per number (ids ``PLACE.number_1`` … ``PLACE.number_9``), so the keymap can move
each (an AZERTY reader may want ``&`` for 1) and the help screen lists them, as one row, under
their ``Binding.Group``. Each place decides when its numbers are live through ``check_action``:
a pick list always, the comment pane and the context view only for the key right after
``>`` (``NextKey``). When a place's numbers are not live, the key goes on to the next place's
bindings, as if they did not exist.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

NUMBERS = range(1, 10)
NUMBER_ACTION = "number"  # each binding runs action_number(n)


def number_bindings(place: str, description: str) -> list[Binding]:
    """The bindings 1-9 of ``place`` (an id prefix), listed in help as one ``description``."""
    group = Binding.Group(description)
    return [
        Binding(
            str(n),
            f"{NUMBER_ACTION}({n})",
            description,
            show=False,
            group=group,
            id=f"{place}.number_{n}",
        )
        for n in NUMBERS
    ]


class NextKey:
    """Arms the number bindings for the one key after ``>``.

    A key reaches the focused widget (and bubbles through its screen, where ``on_key``
    handlers run) before the bindings of those places are checked: ``seen()`` in ``on_key``
    hands the armed state to the key being handled, so a number binding that runs for it
    knows the key came right after ``>``, and any other key ends the wait.
    """

    def __init__(self) -> None:
        self.armed = False  # ``>`` was the last key: the next one may be a number
        self.current = False  # the key being handled came right after ``>``

    def arm(self) -> None:
        self.armed = True

    def seen(self) -> None:
        """A key arrived (call from ``on_key``)."""
        self.current, self.armed = self.armed, False

    @property
    def live(self) -> bool:
        return self.armed or self.current


def numbers_hint(app: App[object], node: DOMNode, count: int) -> str:
    """How to type numbers 1 to ``count`` on ``node`` with the keys as mapped now: "1-3",
    or the remapped keys ("& é \\"")."""
    keys = {
        active.binding.action: app.get_key_display(active.binding)
        for active in app.active_bindings.values()
        if active.node is node and active.binding.action.startswith(f"{NUMBER_ACTION}(")
    }
    shown = [keys.get(f"{NUMBER_ACTION}({n})", str(n)) for n in range(1, min(count, 9) + 1)]
    if shown == [str(n) for n in range(1, len(shown) + 1)]:
        return shown[0] if len(shown) == 1 else f"1-{len(shown)}"
    return " ".join(shown)
