"""line_count must agree with rich's wrap exactly, or rows would be drawn at wrong offsets."""

from __future__ import annotations

from hnterm.render.measure import line_count
from hnterm.render.text import html_to_plain, sanitize
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from tests.data import fixture_items

CONSOLE = Console(width=300)


def rich_count(text: str, width: int) -> int:
    return len(Text(text).wrap(CONSOLE, width))


def test_every_fixture_comment_at_many_widths():
    texts = [
        html_to_plain(item.text)
        for name in ("circumflex-25015967-biden-wins-white-house", "unlurker-43727727-ibm-rto")
        for item in fixture_items(name).values()
        if item.text
    ]
    assert len(texts) > 2000
    for width in (10, 23, 40, 57, 80, 131):
        for text in texts:
            assert line_count(text, width) == rich_count(text, width), (width, text[:80])


@settings(max_examples=1500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab cdefgh  \n\t-.x\u00a0\u2019\u2014"), max_size=300),
    st.integers(min_value=1, max_value=60),
)
def test_ascii_text_with_odd_spacing(text, width):
    assert line_count(text, width) == rich_count(text, width)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200).map(sanitize), st.integers(min_value=2, max_value=50))
def test_any_unicode_text(text, width):
    """Any text the comment pane can be given: it only ever measures sanitised text (control
    characters next to tabs are counted differently by rich, and never reach it)."""
    assert line_count(text, width) == rich_count(text, width)


def test_wide_characters():
    text = "日本語のコメント 😀👍🏽 مرحبا עברית " * 5
    for width in (5, 11, 30):
        assert line_count(text, width) == rich_count(text, width)


def test_long_words_and_runs_of_spaces():
    samples = [
        "x" * 250,
        "   leading spaces then words",
        "word " + "y" * 97 + "   z " + "q" * 13,
        "a  " * 50,
        "https://example.com/" + "path/" * 40 + " after",
    ]
    for text in samples:
        for width in range(1, 40):
            assert line_count(text, width) == rich_count(text, width), (text[:30], width)


def test_a_100kb_line():
    text = "word " * 20_000 + "z" * 5000
    assert line_count(text, 80) == rich_count(text, 80)
