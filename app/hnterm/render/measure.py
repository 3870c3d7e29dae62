"""How many lines rich's word wrap makes of a text, without building the lines.

Laying out a thread needs every comment's height, but only the comments on screen need their
lines built. ``Text.wrap`` costs ~0.1 ms a comment (it builds styled Text objects for every
line); counting the same breaks on the plain string is ~25x cheaper when every character is
one cell wide, which is nearly all of HN (curly quotes and dashes included). Other text (wide
characters, joiners) is wrapped by rich itself, ``Text.wrap``, so the count is exact either
way; tests hold it equal to ``len(Text.wrap(...))``.
"""

from __future__ import annotations

from functools import cache
from io import StringIO

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.control import strip_control_codes
from rich.text import Text


def line_count(text: str, width: int) -> int:
    """Lines ``Text(text).wrap(console, width)`` would give (overflow "fold")."""
    width = max(width, 1)
    text = strip_control_codes(text)  # as Text() does
    fast = _single_cells(text)
    total = 0
    for line in text.split("\n"):
        if "\t" in line:
            line = line.expandtabs(8)
        if fast:
            total += 1 + _ascii_breaks(line, width)
        else:
            total += len(Text(line).wrap(_console(), width, overflow="fold"))
    return total


@cache
def _console() -> Console:
    """What ``Text.wrap`` takes (left-justified wrapping reads nothing of it)."""
    return Console(file=StringIO(), width=80, color_system=None)


def _single_cells(text: str) -> bool:
    """Every character (newlines aside) is exactly one terminal cell wide."""
    if "\u200d" in text or "\ufe0f" in text:
        return False
    return all(get_character_cell_size(c) == 1 for c in set(text) - {"\n", "\t"})


def _ascii_breaks(line: str, width: int) -> int:
    """The line breaks rich's word wrap makes in ``line`` when every character is one cell.

    Rich puts a word on the line while the word's end (trailing spaces aside) is within
    ``width`` of where the line started, so instead of visiting every word this jumps to the
    word that crosses the limit: one step per line, not per word.
    """
    n = len(line)
    end = len(line.rstrip())
    first = n - len(line.lstrip())  # the first word owns the spaces before it
    breaks = 0
    start = 0  # where the current line starts (virtual after a fold: see below)
    pos = 0  # where the next word starts
    while end > start + width:
        limit = start + width
        if line[limit].isspace():
            s = limit
            while line[s].isspace():
                s += 1
        else:
            s = limit
            while s > pos and not line[s - 1].isspace():
                s -= 1
        word_start = 0 if s == first else s
        run_end = s
        while run_end < n and not line[run_end].isspace():
            run_end += 1
        if run_end - word_start <= width:
            breaks += 1
            start = pos = word_start
            continue
        # Longer than a line: folded into chunks of ``width`` (trailing spaces included);
        # the line then continues after the last chunk.
        word_end = run_end
        while word_end < n and line[word_end].isspace():
            word_end += 1
        length = word_end - word_start
        pieces = -(-length // width)
        breaks += pieces if word_start else pieces - 1
        start = word_end - (length - (pieces - 1) * width)
        pos = word_end
    return breaks
