"""The where-am-I texts of a subthread shown alone (issue 23, item 5), as pure functions: a
deep link's note, the context and focus titles, the status line's place in a subthread."""

from __future__ import annotations

from hnterm.model.items import Item
from hnterm.model.thread import Thread
from hnterm.services import status_text


def chain_thread() -> Thread:
    """story 1 > 2 > 3 > 4 (> 5 and 6, 6 > 7), and 8 a second top-level comment."""
    kids = {1: (2, 8), 2: (3,), 3: (4,), 4: (5, 6), 6: (7,)}
    thread = Thread(1)
    items = [Item(id=1, type="story", title="s", by="op", kids=kids[1], descendants=7)]
    for item_id, parent in [(2, 1), (3, 2), (4, 3), (5, 4), (6, 4), (7, 6), (8, 1)]:
        kid_ids = kids.get(item_id, ())
        items.append(
            Item(id=item_id, type="comment", parent=parent, kids=kid_ids, by=f"u{item_id}")
        )
    thread.add(items)
    return thread


def test_a_deep_links_note_counts_every_ancestor():
    thread = chain_thread()
    assert status_text.context_note(thread, 4) == "depth 3 of 5 · 2 ancestors above"
    assert status_text.context_note(thread, 2) == "depth 1 of 5 · 0 ancestors above"
    assert status_text.context_note(thread, 1) is None
    assert status_text.context_note(thread, 99) is None


def test_the_context_title_names_the_cursors_place_in_the_chain():
    thread = chain_thread()
    title = status_text.scope_title
    assert title(thread, 4, "context", 4, 3) == "In context: u4, depth 3 of 5 · u leaves"
    assert title(thread, 4, "context", 2, 3) == "In context: u2, depth 1 of 5 · u leaves"
    assert title(thread, 4, "context", 7, 3) == "In context: u7, depth 5 of 5 · u leaves"
    assert title(thread, 4, "context", 1, 3) == "In context: the story, depth 0 of 5 · u leaves"
    assert title(thread, 4, "context", None, 3).startswith("In context: u4, depth 3 of 5")


def test_the_focus_title_counts_the_comments_below_not_the_replies():
    thread = chain_thread()
    assert len(thread.children(4)) == 2 and thread.subtree_size(4) == 3
    assert status_text.scope_title(thread, 4, "focus", 4, 2) == (
        "Subthread of u4 · 3 comments below it · 2 ancestors above · u leaves"
    )
    assert status_text.scope_title(thread, 2, "focus", 2, 0) == (
        "Subthread of u2 · 5 comments below it · u leaves"
    )


def test_the_status_line_counts_the_subthread_in_a_focus():
    thread = chain_thread()
    assert status_text.position(thread, 4, []).startswith("Comment 3 of 7 shown · depth 3")
    place = status_text.position(thread, 4, [], scope=4)
    assert place == "Comment 1 of 4 in the subthread · depth 3 · 2 direct replies"
    assert status_text.position(thread, 7, [], scope=4).startswith("Comment 4 of 4 in the")
    assert status_text.position(thread, 2, [], scope=4).startswith("Above the subthread · ")
    thread.set_collapsed(6, True)
    assert status_text.position(thread, 6, [], scope=4).startswith("Comment 3 of 3 in the")
    assert status_text.position(thread, 8, [], scope=4).startswith("depth 1")  # not shown
