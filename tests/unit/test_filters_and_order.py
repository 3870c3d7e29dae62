"""The config's [filters] (model.filters, config, services.filtering) and the orders a thread
reads in (model.thread.ordered, Thread.set_order), on the IBM fixture thread."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hnterm.config import Config, load_file
from hnterm.model.filters import Filters, check_domains, reasons
from hnterm.model.items import Item
from hnterm.model.readstate import ReadMark
from hnterm.model.thread import ORDERS, Thread, ordered
from hnterm.services.filtering import Filtering, fold_filtered, shown_ids, title_note

from tests.data import IBM, fixture_items


def ibm() -> Thread:
    thread = Thread(IBM)
    thread.add(fixture_items("unlurker-43727727-ibm-rto").values())
    return thread


def story(item_id: int, url: str | None = None, title: str = "", by: str = "pg") -> Item:
    return Item(item_id, type="story", url=url, title=title, by=by)


# -- matching ----------------------------------------------------------------------------
def test_domains_match_the_host_and_its_subdomains_only():
    test, _ = reasons(Filters(domains=check_domains(["*.Example.com", "medium.com."])))
    assert test(story(1, "https://example.com/a"), "") == "from example.com"
    assert test(story(2, "https://blog.example.com/a"), "") == "from example.com"
    assert test(story(3, "https://notexample.com/a"), "") is None
    assert test(story(4, "https://example.com.evil.org/"), "") is None
    assert test(story(5, "https://x.medium.com/"), "") == "from medium.com"
    assert test(story(6, None, "Ask HN: example.com?"), "") is None  # a title is not a link


def test_words_use_the_search_grammar_and_users_ignore_case():
    filters = Filters(words=("crypto*", '"return to office"'), users=("Rayiner",))
    story_test, comment_test = reasons(filters)
    assert story_test(story(1, title="Cryptocurrency falls"), "") == "matches crypto*"
    assert story_test(story(2, title="Cryptic crosswords"), "") is None
    assert comment_test(Item(3, by="x"), "They ordered a return  to office.") == (
        'matches "return to office"'
    )
    assert comment_test(Item(4, by="x"), "return to the office") is None
    assert comment_test(Item(5, by="rayiner"), "anything") == "by user Rayiner"
    assert comment_test(Item(6, by="rayiner", deleted=True), "") is None


def test_the_filters_table_is_read_and_a_bad_list_is_a_one_line_problem(tmp_path: Path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[filters]\nwords = ["crypto", "\\"a b\\""]\ndomains = ["bad domain!"]\n'
        'users = ["rayiner"]\ncolour = ["x"]\n',
        encoding="utf-8",
    )
    config = Config.build(file=load_file(path), env={})
    assert config.filters == Filters(words=("crypto", '"a b"'), users=("rayiner",))
    assert len(config.problems) == 2
    assert "line 3, filters.domains: 'bad domain!' is not a domain name" in config.problems[0]
    assert "line 5, filters.colour: unknown filter; ignored" in config.problems[1]


def test_story_lists_leave_out_filtered_and_read_stories_and_count_them():
    items = {
        1: story(1, "https://example.com/"),
        2: story(2, title="Fine"),
        3: story(3, title="Read one"),
    }
    marks = {3: ReadMark(3, 0.0, 0)}
    session = Filtering(Filters(domains=("example.com",)))
    assert shown_ids([1, 2, 3, 4], items, marks, session) == ([2, 3, 4], 1, 0)
    assert shown_ids([1, 2, 3, 4], items, marks, session, filtered=False) == ([1, 2, 3, 4], 0, 0)
    session.hide_read = True
    assert shown_ids([1, 2, 3, 4], items, marks, session) == ([2, 4], 1, 1)
    assert shown_ids([1, 2, 3, 4], items, marks, session, keep=3) == ([2, 3, 4], 1, 0)
    session.toggle()  # filters off: only "hide read" is left
    assert shown_ids([1, 2, 3, 4], items, marks, session) == ([1, 2, 4], 0, 1)
    assert title_note(3, 0) == " · 3 filtered" and title_note(0, 0) == ""


def test_a_filtered_comment_folds_until_opened_and_keeps_its_replies():
    thread = ibm()
    thread.filter = Filtering(Filters(users=("rayiner",))).comment_test()
    theirs = [i for i in thread.order() if thread.items[i].by == "rayiner"]
    assert len(theirs) == 17 and all(thread.is_filtered(i) for i in theirs)
    assert thread.filter_reason(theirs[0]) == "by user rayiner"
    with_replies = next(i for i in theirs if thread.children(i))
    rows = thread.rows()
    assert all(kid in rows for kid in thread.children(with_replies))  # replies kept
    assert thread.set_opened(with_replies, True) and not thread.is_filtered(with_replies)
    assert thread.set_opened(with_replies, False) and thread.is_filtered(with_replies)
    assert not thread.set_opened(thread.children(IBM)[0], True)  # not a filtered one


def test_dump_filtered_keeps_the_place_and_replies_but_not_the_text():
    thread = ibm()
    test = Filtering(Filters(users=("rayiner",))).comment_test()
    assert test is not None
    before = thread.order()
    assert fold_filtered(thread, test) == 17
    assert thread.order() == before
    folded = [
        thread.items[i]
        for i in before
        if thread.items[i].text == ("<i>[filtered: by user rayiner]</i>")
    ]
    assert len(folded) == 17 and all(item.by is None for item in folded)


# -- order -------------------------------------------------------------------------------
def test_ordered_is_stable_and_puts_items_without_a_time_last():
    items = {1: Item(1, time=30), 2: Item(2, time=10), 3: Item(3), 4: Item(4, time=30)}
    sizes = {1: 0, 2: 5, 3: 5, 4: 1}
    kids = [1, 2, 3, 4]
    assert ordered(kids, items, "rank", sizes.__getitem__) == [1, 2, 3, 4]
    assert ordered(kids, items, "newest", sizes.__getitem__) == [1, 4, 2, 3]
    assert ordered(kids, items, "oldest", sizes.__getitem__) == [2, 1, 4, 3]
    assert ordered(kids, items, "replies", sizes.__getitem__) == [2, 3, 4, 1]


@pytest.mark.parametrize("order", ORDERS)
def test_every_order_keeps_the_tree_and_sorts_each_level(order: str):
    thread = ibm()
    rank = {i: thread.children(i) for i in thread.order()}
    everything = sorted(thread.order())
    assert thread.set_order(order) == (order != "rank")
    assert sorted(thread.order()) == everything  # nothing lost, nothing twice
    for item_id, kids in rank.items():
        now = thread.children(item_id)
        assert sorted(now) == sorted(kids)
        times = [thread.items[k].time or 0 for k in now]
        if order == "newest":
            assert times == sorted(times, reverse=True)
        elif order == "oldest":
            assert times == sorted(times)
        elif order == "replies":
            sizes = [thread.subtree_size(k) for k in now]
            assert sizes == sorted(sizes, reverse=True)
        else:
            assert now == kids
    tops = thread.children(IBM)
    assert thread.top_level(tops[0], 1) == tops[1]  # ] follows the order too


def test_order_follows_a_reply_arriving_and_folds_survive_a_reorder():
    thread = ibm()
    thread.set_order("replies")
    last = thread.children(IBM)[-1]
    assert thread.subtree_size(last) == 0
    folded = thread.children(IBM)[0]
    assert thread.set_collapsed(folded, True)
    most = thread.subtree_size(folded)
    replies = [Item(-10 - n, by="me", parent=last, time=1) for n in range(most + 1)]
    parent = replace(thread.items[last], kids=tuple(r.id for r in replies))
    thread.add([parent, *replies])
    assert thread.children(IBM)[0] == last  # now the most replied-to
    thread.set_order("newest")
    assert thread.is_collapsed(folded)
    assert not set(thread.order()[1:]) - set(thread.items)
    hidden = set(thread.order()) - set(thread.rows())
    assert hidden and all(folded in thread.ancestors(i) for i in hidden)
    with pytest.raises(ValueError):
        thread.set_order("random")
