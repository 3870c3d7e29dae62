"""The comment layout while a load feeds it: each batch gives its parents new reply counts,
and a relayout must not build the text of rows nobody has measured yet to count lines that
were only estimated before."""

from __future__ import annotations

from hnterm.model.thread import Thread
from hnterm.render.comment_layout import CommentLayout
from rich.style import Style

from tests.data import BIDEN, fixture_items

BIDEN_ITEMS = fixture_items("circumflex-25015967-biden-wins-white-house")


def test_a_new_reply_count_measures_again_only_rows_measured_before():
    thread = Thread(BIDEN)
    thread.add(BIDEN_ITEMS.values())
    layout = CommentLayout(lambda name: Style())
    layout.show(thread)
    layout.relayout(80)
    layout.measure_window(0, 40)
    drawn = layout.rows[1]  # in the window: measured
    far = layout.rows[-1]  # far below: an estimate
    assert drawn in layout._heights and far not in layout._heights
    for item_id in (drawn, far):
        layout.forget_head(item_id)
    layout.relayout(80)
    assert layout.height(drawn) == len(layout.head_lines(drawn)) + len(layout.body_lines(drawn)) + 1
    assert far not in layout._heights  # still an estimate: nothing was built to count it
    assert far not in layout._body_heights and far not in layout._head_texts
