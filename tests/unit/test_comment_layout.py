"""The comment pane's layout, without a screen: rows, heights, offsets, indents and lines.

The invariant everything else leans on: once a row is measured, its height is exactly the
lines drawn for it (header, body, the gap below), so offsets never disagree with what is
drawn. Estimates may be off, but only until measured, and measuring never moves the row a
reader is looking at.
"""

from __future__ import annotations

import pytest
from hnterm.model.thread import Thread
from hnterm.render.comment_layout import MARKER_WIDTH, CommentLayout
from rich.cells import cell_len
from rich.style import Style

from tests.data import BIDEN, IBM, fixture_items

IBM_ITEMS = fixture_items("unlurker-43727727-ibm-rto")
BIDEN_ITEMS = fixture_items("circumflex-25015967-biden-wins-white-house")
DEEPEST = 43732616  # depth 17 in the IBM thread
BRANCHY = 43730561  # depth 6, with 18 replies below it


def style(name: str) -> Style:
    return Style(bold=name in ("author", "title"))


def layout_of(items, root: int, width: int = 100) -> CommentLayout:
    thread = Thread(root)
    thread.add(items.values())
    layout = CommentLayout(style)
    layout.show(thread)
    layout.relayout(width)
    return layout


def drawn_lines(layout: CommentLayout, item_id: int) -> int:
    """Lines the row really draws: wrapped header and body, and the blank gap below."""
    if layout.folded_chain(item_id):
        return 1
    return len(layout.head_lines(item_id)) + len(layout.body_lines(item_id)) + 1


def measure_all(layout: CommentLayout) -> None:
    layout.measure(60.0)
    assert layout.exact


def test_a_fresh_layout_estimates_and_measuring_makes_every_height_exact():
    layout = layout_of(BIDEN_ITEMS, BIDEN)
    assert len(layout.rows) == len(BIDEN_ITEMS)
    assert not layout.exact  # 2,000 rows are estimated, not wrapped
    measure_all(layout)
    for item_id in layout.rows:
        assert layout.height(item_id) == drawn_lines(layout, item_id), item_id
    assert layout.total == sum(layout.height(i) for i in layout.rows)


@pytest.mark.parametrize("width", [30, 80, 200])
def test_offsets_and_row_at_agree_at_any_width(width):
    layout = layout_of(IBM_ITEMS, IBM, width)
    measure_all(layout)
    y = 0
    for n, item_id in enumerate(layout.rows):
        assert layout.top(item_id) == y
        assert layout.row_at(y) == n
        assert layout.row_at(y + layout.height(item_id) - 1) == n
        y += layout.height(item_id)
    assert y == layout.total


def test_measuring_the_window_keeps_the_row_at_its_top_in_place():
    layout = layout_of(BIDEN_ITEMS, BIDEN, 80)
    line = layout.total // 2
    row, _ = layout.anchor(line)
    top = layout.top(row)
    layout.measure_window(line, 40)
    assert layout.top(row) == top  # rows below it may have grown or shrunk
    first = layout.index(row)
    for item_id in layout.rows[first : first + 5]:
        assert layout.height(item_id) == drawn_lines(layout, item_id)
    assert not layout.exact  # only the window was wrapped


def test_a_collapse_is_measured_at_once_and_hides_the_replies():
    layout = layout_of(IBM_ITEMS, IBM)
    measure_all(layout)
    thread = layout.thread
    top = thread.children(IBM)[0]
    hidden = thread.subtree_size(top)
    assert hidden > 0
    thread.set_collapsed(top, True)
    layout.forget_head(top)
    layout.relayout(layout.width)
    assert layout.exact  # one row changed: measured now, not estimated
    assert layout.height(top) == len(layout.head_lines(top)) + 1  # header and gap only
    assert "+" in layout.header_text(top).plain
    assert all(kid not in layout for kid in thread.children(top))
    assert len(layout.rows) == len(IBM_ITEMS) - hidden


def test_a_focused_subthread_shows_its_ancestors_one_line_each():
    layout = layout_of(IBM_ITEMS, IBM)
    thread = layout.thread
    layout.scope, layout.scope_mode = DEEPEST, "focus"
    layout.forget()
    layout.relayout(layout.width)
    ancestors = thread.ancestors(DEEPEST)[1:]  # the story is not part of a focus
    assert layout.rows[: len(ancestors)] == ancestors
    assert layout.rows[len(ancestors)] == DEEPEST
    assert all(layout.height(a) == 1 and layout.folded_chain(a) for a in ancestors)
    assert layout.levels(DEEPEST) == 0  # the focus starts at the left edge
    layout.chain_open.add(ancestors[-1])  # space on an ancestor shows it in full
    layout.forget(ancestors[-1])
    layout.relayout(layout.width)
    parent = ancestors[-1]
    assert not layout.folded_chain(parent)
    assert layout.height(parent) == drawn_lines(layout, parent) > 1


def test_deep_comments_trade_guides_for_a_depth_number_on_a_narrow_pane():
    layout = layout_of(IBM_ITEMS, IBM, 60)
    guides = layout.guides(DEEPEST)
    assert guides.endswith("17▸")
    assert cell_len(guides) == layout.indent(DEEPEST)
    assert layout.text_width(DEEPEST) == 60 - layout.indent(DEEPEST) - MARKER_WIDTH
    wide = layout_of(IBM_ITEMS, IBM, 400)
    assert wide.guides(DEEPEST).endswith("17▸")  # twelve guides at most, then the number
    fifth = next(i for i, depth in wide.thread.depth_of.items() if depth == 5)
    assert wide.guides(fifth) == "│ " * 4  # levels below the top-level comments


def test_every_drawn_line_fits_its_text_width():
    layout = layout_of(IBM_ITEMS, IBM, 50)
    measure_all(layout)
    for item_id in layout.rows:
        for offset in range(layout.height(item_id) - 1):
            line = layout.line(item_id, offset)
            assert line is not None
            rule = item_id == IBM and offset == len(layout.head_lines(IBM)) - 1
            limit = layout.width - MARKER_WIDTH if rule else layout.text_width(item_id)
            assert line.cell_len <= limit
        assert layout.line(item_id, layout.height(item_id) - 1) is None  # the gap


def test_wrap_width_caps_the_text_and_inline_replies_add_their_line():
    layout = layout_of(IBM_ITEMS, IBM, 200)
    top = layout.thread.children(IBM)[0]
    layout.wrap_width = 60
    layout.forget()
    layout.relayout(200)
    measure_all(layout)
    assert max(line.cell_len for line in layout.body_lines(top)) <= 60
    before = layout.height(top)
    layout.inline_replies = True
    layout.forget()
    layout.relayout(200)
    measure_all(layout)
    replies = layout.thread.children(top)
    words = " ".join(line.plain for line in layout.body_lines(top)).split()
    assert words[-len(replies) - 1 :] == [f"replies({len(replies)}):"] + [f">>{r}" for r in replies]
    assert layout.height(top) > before
    assert f"#{top}" in layout.header_text(top).plain


def test_a_rows_drawn_version_changes_only_when_its_lines_may_have():
    layout = layout_of(IBM_ITEMS, IBM)
    first, second = layout.rows[1], layout.rows[2]
    before = layout.drawn_version(first), layout.drawn_version(second)
    layout.relayout(layout.width)  # rows may move; their lines stay
    assert (layout.drawn_version(first), layout.drawn_version(second)) == before
    layout.forget_head(first)
    assert layout.drawn_version(first) != before[0]
    assert layout.drawn_version(second) == before[1]
    changed = layout.drawn_version(first)
    layout.relayout(layout.width + 1)  # a new width changes every row's lines
    assert layout.drawn_version(first) != changed
    assert layout.drawn_version(second) != before[1]


def test_no_width_yet_means_no_lines_and_no_crash():
    layout = layout_of(IBM_ITEMS, IBM, 0)
    assert layout.total == 0 and len(layout.rows) == len(IBM_ITEMS)
    assert not layout.measure_window(0, 120)
    layout.relayout(90)
    assert layout.total > 0


def test_scrolling_within_a_tall_row_stops_at_its_edges():
    """A pager's move through one row (issue 23, item 1): a step at a time, never past the
    row's last line of text going down or its first going up; None once that edge shows."""
    layout = layout_of(BIDEN_ITEMS, BIDEN, 80)
    longest = max(layout.rows[1:], key=lambda i: len(BIDEN_ITEMS[i].text or ""))
    layout.measure_rows([longest])
    first, end = layout.span(longest)
    assert first == layout.top(longest)
    assert end == first + drawn_lines(layout, longest) - 1  # the gap below is not drawn text
    assert layout.line(longest, end - first - 1) is not None
    view = 20
    assert end - first > 3 * view
    y, seen = first, set()
    while (step := layout.scroll_within(longest, y, view, 3)) is not None:
        assert y < step <= y + 3
        y = step
        seen.update(range(y, y + view))
    assert y == end - view  # its last line at the bottom of the view, not beyond
    assert set(range(first, end)) <= seen | set(range(first, first + view))
    while (step := layout.scroll_within(longest, y, view, -view)) is not None:
        assert y - view <= step < y
        y = step
    assert y == first  # its first line at the top of the view
    # A row that fits, or one not in view, leaves the move to the cursor.
    short = next(i for i in layout.rows[1:] if layout.height(i) < view)
    assert layout.scroll_within(short, layout.top(short), view, 3) is None
    assert layout.scroll_within(short, layout.top(short), view, -3) is None
    assert layout.scroll_within(longest, end + 5, view, -3) is None
    assert layout.scroll_within(longest, first - view - 1, view, 3) is None


def test_a_folded_ancestor_line_is_its_whole_span():
    layout = layout_of(IBM_ITEMS, IBM)
    layout.scope, layout.scope_mode = DEEPEST, "focus"
    layout.forget()
    layout.relayout(layout.width)
    ancestor = layout.rows[0]
    top = layout.top(ancestor)
    assert layout.span(ancestor) == (top, top + 1)


@pytest.mark.parametrize("width", [30, 80, 200])
@pytest.mark.parametrize("view", ["whole", "focus", "context", "folded", "inline", "filtered"])
def test_estimates_are_exact_where_nothing_wraps_and_close_where_text_does(width, view):
    """A relayout guesses the height of every row it has not measured: the header as one
    line, the text from its raw HTML. So rows whose text is not shown or does not wrap (the
    story, folded ancestors, collapsed and filtered comments, short ones, a replies line)
    are guessed exactly but for a header that wraps, and rows whose text wraps are guessed
    from its length: only their sum is close."""
    layout = layout_of(IBM_ITEMS, IBM, width)
    thread = layout.thread
    assert thread is not None
    if view in ("focus", "context"):
        layout.scope, layout.scope_mode = BRANCHY, view
        layout.chain_open = set(thread.ancestors(BRANCHY)[:3]) if view == "context" else set()
    elif view == "folded":
        thread.collapse_depth(3)
    elif view == "inline":
        layout.inline_replies, layout.wrap_width = True, 60
    elif view == "filtered":
        thread.filter = lambda item: "short" if len(item.text or "") < 200 else None
        thread.set_opened(next(i for i in thread.rows() if thread.is_filtered(i)), True)
    layout.forget()
    layout.relayout(width)
    assert not layout.exact
    guessed = {item_id: layout.height(item_id) for item_id in layout.rows}
    measure_all(layout)

    def unwrapped(item_id: int) -> bool:
        body = layout.body_text(item_id)
        if body is None:
            return True
        short = len(thread.items[item_id].text or "") < layout.text_width(item_id)
        return short and len(layout.body_lines(item_id)) == len(body.plain.split("\n"))

    def but_the_header(item_id: int) -> int:
        return drawn_lines(layout, item_id) - (len(layout.head_lines(item_id)) - 1)

    at_once = [i for i in layout.rows if i == IBM or layout.folded_chain(i)]  # measured
    assert [guessed[i] for i in at_once] == [drawn_lines(layout, i) for i in at_once]
    comments = [i for i in layout.rows if i not in at_once]
    simple = [i for i in comments if unwrapped(i)]
    wrapped = [i for i in comments if not unwrapped(i)]
    assert len(simple) >= 3 and len(wrapped) >= 10
    assert [guessed[i] for i in simple] == [but_the_header(i) for i in simple]
    measured = sum(drawn_lines(layout, i) for i in wrapped)
    assert 0.85 * measured <= sum(guessed[i] for i in wrapped) <= 1.25 * measured


def test_rows_about_to_be_drawn_keep_the_text_measured_and_a_new_width_rewraps_it():
    """What is measured to be drawn at once keeps its Text for the drawing, and a new width
    wraps the Text again without building it again (only lines and heights depend on it)."""
    layout = layout_of(BIDEN_ITEMS, BIDEN, 60)
    layout.measure_window(0, 120)
    window = layout.rows[1 : layout.row_at(119) + 1]  # (the story is measured as laid out)
    texts = {i: layout._head_texts[i] for i in window}
    bodies = {i: layout._body_texts[i] for i in window}
    assert len(window) > 3 and bodies
    layout.relayout(90)
    assert not layout.exact and layout.width == 90
    assert all(layout.header_text(i) is texts[i] for i in window)
    assert all(layout.body_text(i) is bodies[i] for i in bodies)
    layout.measure_window(0, 120)
    for item_id in layout.rows[: layout.row_at(119) + 1]:
        assert layout.height(item_id) == drawn_lines(layout, item_id), item_id
        assert all(
            cell_len(line.plain) <= layout.text_width(item_id)
            for line in layout.body_lines(item_id)
        )
