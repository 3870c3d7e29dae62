"""Where the reader has been: the back and forward stacks of the comment pane, across threads.

Pure (no Textual): a ``Place`` is plain data, and ``History`` only decides which place comes
next, so the rules (a new jump forgets the forward stack; back and forward trade places; the
places in a thread are forgotten when another thread is shown, the threads left are not) are
tested without a screen. One history: a place in the thread shown, or a thread left for
another (``Place.thread``), which ``b`` reopens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# How a subthread is shown: "focus" (f: indented from its root, ancestors one line each) or
# "context" (a deep link: the tree's own indents, the story and every ancestor in full).
ScopeMode = Literal["focus", "context"]


@dataclass(frozen=True)
class Place:
    """One history entry: where the cursor was and what the pane showed, scroll included,
    so ``b`` puts the reader back exactly. The scroll is the row at the top of the view and
    how many lines into it, which stays right when rows above change height or arrive."""

    cursor: int
    scope: int | None = None
    mode: ScopeMode | None = None
    chain_open: frozenset[int] = frozenset()
    top: tuple[int, int] | None = None
    thread: int | None = None  # the story of a thread left for another; None: this thread


class History:
    """Back and forward stacks, as in a browser."""

    def __init__(self) -> None:
        self._back: list[Place] = []
        self._forward: list[Place] = []

    def remember(self, here: Place) -> None:
        """A jump away from ``here``: it can be gone back to; what was ahead is forgotten."""
        self._back.append(here)
        self._forward.clear()

    def back(self, here: Place | None) -> Place | None:
        """The place before ``here`` (which becomes the way forward, if there is one), or
        None at the start."""
        if not self._back:
            return None
        if here is not None:
            self._forward.append(here)
        return self._back.pop()

    def forward(self, here: Place) -> Place | None:
        """The place ``back`` left (``here`` becomes the way back), or None at the end."""
        if not self._forward:
            return None
        self._back.append(here)
        return self._forward.pop()

    def leave_thread(self) -> None:
        """Another thread is shown: the places in the one before go, the threads left stay
        (``b`` reopens them)."""
        self._back = [place for place in self._back if place.thread is not None]
        self._forward.clear()

    def clear(self) -> None:
        self._back.clear()
        self._forward.clear()
