"""The thread model: placement in any order, cycles, collapse, rows and counts."""

import random

from hnterm.model.items import Item
from hnterm.model.thread import Thread

from tests.data import BIDEN, IBM, fixture_items


def story(item_id=1, kids=()):
    return Item(id=item_id, type="story", title="s", by="op", kids=tuple(kids))


def comment(item_id, parent, kids=(), **kw):
    return Item(id=item_id, type="comment", parent=parent, kids=tuple(kids), **kw)


def test_rows_follow_kids_order_depth_first():
    thread = Thread(1)
    thread.add([story(1, [2, 3]), comment(2, 1, [4]), comment(3, 1), comment(4, 2)])
    assert thread.rows() == [1, 2, 4, 3]
    assert thread.depth_of == {1: 0, 2: 1, 4: 2, 3: 1}
    assert len(thread) == 3


def test_items_arriving_before_their_parent_are_placed_when_it_comes():
    thread = Thread(1)
    thread.add([comment(4, 2), comment(3, 1)])
    assert thread.rows() == []
    thread.add([story(1, [2, 3])])
    assert thread.rows() == [1, 3]
    thread.add([comment(2, 1, [4])])
    assert thread.rows() == [1, 2, 4, 3]


def test_any_arrival_order_gives_the_same_tree():
    items = fixture_items("unlurker-43727727-ibm-rto")
    ordered = Thread(IBM)
    ordered.add(items.values())
    shuffled_items = list(items.values())
    random.Random(7).shuffle(shuffled_items)
    shuffled = Thread(IBM)
    for start in range(0, len(shuffled_items), 17):
        shuffled.add(shuffled_items[start : start + 17])
    assert shuffled.rows() == ordered.rows()
    assert max(ordered.depth_of.values()) == 17


def test_cycles_and_double_parents_never_loop_or_duplicate():
    thread = Thread(1)
    thread.add(
        [
            story(1, [2]),
            comment(2, 1, [3, 1]),
            comment(3, 2, [2, 4]),
            comment(4, 3, [2]),
            comment(5, 1, [4]),
        ]
    )
    rows = thread.rows()
    assert rows == [1, 2, 3, 4]
    assert len(rows) == len(set(rows))
    assert thread.ancestors(4) == [1, 2, 3]


def test_collapse_hides_the_subtree_and_counts_it():
    thread = Thread(1)
    thread.add(
        [story(1, [2, 5]), comment(2, 1, [3]), comment(3, 2, [4]), comment(4, 3), comment(5, 1)]
    )
    assert thread.set_collapsed(2, True)
    assert thread.rows() == [1, 2, 5]
    assert thread.subtree_size(2) == 2
    assert thread.set_collapsed(2, False)
    assert thread.rows() == [1, 2, 3, 4, 5]


def test_leaves_and_the_root_are_not_collapsible():
    thread = Thread(1)
    thread.add([story(1, [2]), comment(2, 1)])
    assert not thread.set_collapsed(2, True)
    assert not thread.set_collapsed(1, True)
    assert thread.rows() == [1, 2]


def test_reveal_expands_collapsed_ancestors():
    thread = Thread(1)
    thread.add([story(1, [2]), comment(2, 1, [3]), comment(3, 2, [4]), comment(4, 3)])
    thread.set_collapsed(2, True)
    thread.set_collapsed(3, True)
    assert 4 not in thread.rows()
    assert thread.reveal(4)
    assert thread.rows() == [1, 2, 3, 4]


def test_refresh_updates_an_item_and_places_new_replies():
    thread = Thread(1)
    thread.add([story(1, [2]), comment(2, 1, text="old")])
    thread.add([comment(2, 1, kids=[3], text="edited"), comment(3, 2)])
    assert thread.items[2].text == "edited"
    assert thread.rows() == [1, 2, 3]


def test_big_fixture_counts_every_reachable_comment():
    thread = Thread(BIDEN)
    thread.add(fixture_items("circumflex-25015967-biden-wins-white-house").values())
    assert len(thread) == 2170
    assert len(thread.children(BIDEN)) == 237
    assert thread.subtree_size(BIDEN) == 2170
    assert thread.missing_kids() == []
