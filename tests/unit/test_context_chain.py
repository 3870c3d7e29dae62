"""The pure parts of reading reply chains (issue 14): the chain and depth in the model, and the
lines that show them (``{3}``, ``#id``, ``replies(N): >>id``), on the real IBM thread."""

from __future__ import annotations

from itertools import pairwise

from hnterm.model.items import Item
from hnterm.model.thread import Thread
from hnterm.render.comment_text import (
    Highlight,
    chain_header,
    chain_line,
    comment_header,
    depth_marker,
    replies_line,
)
from rich.style import Style

from tests.data import IBM, fixture_items

DEEPEST = 43732616  # depth 17


def style(name: str) -> Style:
    """A distinct style per part, so tests can tell which part a span is."""
    return Style(link=f"style:{name}")


def ibm() -> Thread:
    thread = Thread(IBM)
    thread.add(fixture_items("unlurker-43727727-ibm-rto").values())
    return thread


def test_chain_runs_from_the_story_to_the_comment():
    thread = ibm()
    chain = thread.chain(DEEPEST)
    assert chain[0] == IBM and chain[-1] == DEEPEST and len(chain) == 18
    for parent, child in pairwise(chain):
        assert thread.parent_of[child] == parent
    assert thread.chain(IBM) == [IBM]
    assert thread.chain(999) == []  # not placed


def test_deepest_below_is_how_deep_the_replies_go():
    thread = ibm()
    assert thread.deepest_below(DEEPEST) == 17  # a leaf: its own depth
    top = thread.chain(DEEPEST)[1]
    assert thread.deepest_below(top) == 17
    assert thread.deepest_below(IBM) == 17
    leaf_top = next(t for t in thread.children(IBM) if not thread.children(t))
    assert thread.deepest_below(leaf_top) == 1
    assert thread.deepest_below(999) == 0


def test_replies_line_lists_every_reply_in_display_order():
    thread = ibm()
    parent = next(i for i in thread.order() if len(thread.children(i)) >= 3 and i != IBM)
    line = replies_line(thread, parent, style)
    assert line is not None
    replies = thread.children(parent)
    assert line.plain == f"replies({len(replies)}): " + " ".join(f">>{r}" for r in replies)
    links = [line.plain[s.start : s.end] for s in line.spans if s.style == style("reply-link")]
    assert links == [f">>{r}" for r in replies]
    assert replies_line(thread, DEEPEST, style) is None


def test_headers_show_depth_and_id_when_asked():
    thread = ibm()
    item = thread.items[DEEPEST]
    plain = comment_header(thread, item, style, Highlight()).plain
    assert "L17" in plain and "#" not in plain
    with_ids = comment_header(thread, item, style, Highlight(), ids=True).plain
    assert f"{depth_marker(17)} #{DEEPEST}" in with_ids and "L17" not in with_ids
    header = chain_header(thread, item, style, chosen=True).plain
    assert header.startswith("{17} wredcoll") and f"#{DEEPEST}" in header
    assert "◆ this comment" in header
    assert "◆" not in chain_header(thread, item, style, chosen=False).plain


def test_a_folded_ancestor_is_one_line_of_plain_text():
    thread = ibm()
    parent = thread.parent_of[DEEPEST]
    line = chain_line(thread, thread.items[parent], style)
    assert "\n" not in line.plain and line.no_wrap
    assert line.plain.startswith("▸ {16} ")
    assert chain_line(thread, thread.items[IBM], style).plain.startswith("▸ IBM")
    hostile = Item(id=7, type="comment", by="x\x1b[2Jy", text="[b]no[/b] \u202eevil", parent=IBM)
    thread.add([hostile])
    text = chain_line(thread, hostile, style).plain
    assert "\x1b" not in text and "\u202e" not in text and "[b]no[/b]" in text
