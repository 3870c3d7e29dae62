"""What the reader has seen of a story: when it was opened, and which comments were on screen.

Values only: the cache stores them (``hnterm.storage.readstate`` encodes the seen ids), the
story list dims and counts with them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadMark:
    """The light part of a story's read state, for dimming and '+N new' in the story list."""

    root: int
    opened_at: float
    comment_count_then: int

    def new_since(self, descendants: int | None) -> int:
        """Comments added since the story was last opened (never negative: HN deletes)."""
        return max(0, (descendants or 0) - self.comment_count_then)


@dataclass(frozen=True)
class ReadState(ReadMark):
    """A story's full read state, with every comment id seen so far."""

    seen: frozenset[int] = frozenset()
