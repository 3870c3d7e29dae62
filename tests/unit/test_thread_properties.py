"""Property tests: the thread model over arbitrary (often broken) item graphs."""

from __future__ import annotations

from hnterm.model.items import Item, parse_item
from hnterm.model.thread import Thread
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = 1
ids = st.integers(min_value=1, max_value=40)

raw_items = st.fixed_dictionaries(
    {"id": ids},
    optional={
        "kids": st.one_of(
            st.lists(st.one_of(ids, st.text(max_size=3), st.none()), max_size=6),
            st.text(max_size=5),
            st.integers(),
        ),
        "parent": st.one_of(ids, st.text(max_size=3), st.none()),
        "type": st.sampled_from(["comment", "story", "job", "poll", "pollopt", "bogus", 7]),
        "deleted": st.booleans(),
        "dead": st.booleans(),
        "text": st.one_of(st.text(max_size=20), st.integers()),
    },
)


def build(raws: list[dict], chunk: int) -> Thread:
    thread = Thread(ROOT)
    items = [item for raw in raws if (item := parse_item(raw)) is not None]
    for start in range(0, len(items), max(1, chunk)):
        thread.add(items[start : start + chunk])
    return thread


def check_invariants(thread: Thread) -> None:
    rows = thread.rows()
    assert len(rows) == len(set(rows)), "a comment shows twice"
    if not rows:
        return
    assert rows[0] == ROOT
    seen = set()
    for item_id in rows:
        parent = thread.parent_of.get(item_id)
        if item_id != ROOT:
            assert parent in seen, "a reply shows before its parent"
            assert thread.depth_of[item_id] == thread.depth_of[parent] + 1
            assert item_id in thread.items[parent].kids
        seen.add(item_id)
    for item_id in thread.depth_of:
        size = thread.subtree_size(item_id)
        assert size == sum(thread.subtree_size(k) + 1 for k in thread.children(item_id))
    assert len(thread.order()) == len(thread.depth_of)


@settings(max_examples=300, deadline=None)
@given(st.lists(raw_items, max_size=40), st.integers(min_value=1, max_value=10))
def test_any_graph_gives_a_tree(raws, chunk):
    raws = [{"id": ROOT, "type": "story", "kids": [2, 3, 4]}, *raws]
    check_invariants(build(raws, chunk))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(raw_items, max_size=40),
    st.lists(st.tuples(ids, st.booleans()), max_size=20),
)
def test_collapse_and_moves_keep_the_tree_sound(raws, toggles):
    thread = build([{"id": ROOT, "type": "story", "kids": [2, 3, 4]}, *raws], 5)
    for item_id, collapsed in toggles:
        thread.set_collapsed(item_id, collapsed)
        check_invariants(thread)
        rows = thread.rows()
        for hidden in set(thread.order()) - set(rows):
            assert any(thread.is_collapsed(a) for a in thread.ancestors(hidden))
    for item_id in thread.order():
        for step in (1, -1):
            for target in (thread.sibling(item_id, step), thread.top_level(item_id, step)):
                assert target is None or target in thread
        assert thread.reveal(item_id) in (True, False)
        assert item_id in thread.rows()


@settings(max_examples=100, deadline=None)
@given(st.lists(raw_items, max_size=30), st.text(max_size=10))
def test_search_never_raises_and_returns_placed_comments(raws, query):
    thread = build([{"id": ROOT, "type": "story", "kids": [2, 3]}, *raws], 3)
    hits = thread.search(query, lambda item: item.text or "")
    assert set(hits) <= set(thread.depth_of) - {ROOT}


def test_self_cycle_through_kids_is_cut():
    thread = Thread(ROOT)
    thread.add([Item(id=ROOT, type="story", kids=(2,)), Item(id=2, parent=ROOT, kids=(ROOT, 2))])
    check_invariants(thread)
    assert thread.rows() == [ROOT, 2]
