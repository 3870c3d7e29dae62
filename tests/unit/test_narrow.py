"""The narrowing of a thread (``hnterm.model.narrow``), pure: which top-level comments a query
keeps, the rows shown, the copy ``dump --only`` writes, and its count."""

from __future__ import annotations

import pytest
from hnterm.model.items import Item
from hnterm.model.narrow import EmptyQuery, narrow, narrowed, rows
from hnterm.model.thread import Thread

ROOT = 1


def thread() -> Thread:
    """Five posts: 10 remote (with a reply), 20 onsite with a reply saying remote, 30
    'remotely', 40 deleted, 50 remote by alice."""
    made = Thread(ROOT)
    made.add(
        [
            Item(ROOT, type="story", title="Who is hiring?", kids=(10, 20, 30, 40, 50)),
            Item(10, by="bob", text="Acme | REMOTE | Rust developer", parent=ROOT, kids=(11,)),
            Item(11, by="carol", text="Which time zones?", parent=10),
            Item(20, by="dave", text="Initech | Berlin | onsite", parent=ROOT, kids=(21,)),
            Item(21, by="erin", text="Is remote possible?", parent=20),
            Item(30, by="frank", text="Hooli | remotely possible | Go", parent=ROOT),
            Item(40, deleted=True, text="remote", parent=ROOT),
            Item(50, by="Alice", text="Pied Piper | remote | Rust", parent=ROOT),
        ]
    )
    return made


def text(item: Item) -> str:
    return item.text or ""


def test_only_top_level_comments_are_tested_whole_words_and_no_deleted_ones():
    narrowing = narrow(thread(), "remote", text)
    assert narrowing.kept == (10, 50)  # not 20 (only its reply says it), 30, 40
    assert narrowing.count == "2 of 5 shown"
    assert narrowing.terms == ("remote",)


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("remote*", (10, 30, 50)),
        ('"rust developer"', (10,)),
        ("remote -rust", ()),
        ("rust -acme", (50,)),
        ("by:alice", (50,)),
        ("remote -by:alice", (10,)),
        ("BERLIN", (20,)),
        ("-remote", (20, 30)),  # exclusions alone: every post but those (deleted ones never)
        ("-by:bob -rust", (20, 30)),
    ],
)
def test_the_one_grammar(query: str, kept: tuple[int, ...]):
    assert narrow(thread(), query, text).kept == kept


def test_a_query_with_nothing_to_match_by_is_refused():
    with pytest.raises(EmptyQuery, match="nothing to narrow by in '- \"\"'"):
        narrow(thread(), ' - "" ', text)


def test_rows_keep_the_story_and_the_kept_posts_with_their_replies():
    made = thread()
    narrowing = narrow(made, "remote", text)
    assert rows(made, made.rows(), narrowing) == [ROOT, 10, 11, 50]
    made.set_collapsed(10, True)
    assert rows(made, made.rows(), narrowing) == [ROOT, 10, 50]


def test_the_narrowed_copy_lists_only_the_kept_posts():
    made = thread()
    made.seen = frozenset({ROOT, 10})
    copy = narrowed(made, narrow(made, "rust", text))
    assert copy.root is not None and copy.root.kids == (10, 50)
    assert copy.order() == [ROOT, 10, 11, 50]
    assert copy.missing_kids() == [] and copy.is_new(50) and not copy.is_new(10)
    assert made.root is not None and len(made.root.kids) == 5  # the thread itself unchanged
