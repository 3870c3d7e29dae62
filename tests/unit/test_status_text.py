"""The reading view's status texts and the open thread's changes, as pure functions: each
wording is checked alone, with counts that add up."""

from __future__ import annotations

from dataclasses import replace

from hnterm.model.items import Item
from hnterm.model.thread import Thread
from hnterm.services import status_text
from hnterm.services.reading import (
    add_reply,
    merge,
    merge_arrivals,
    set_saved,
    set_votes,
    settle_reply,
    show_reply,
)
from hnterm.services.source import ThreadUpdate


def story(descendants: int = 3, kids: tuple[int, ...] = (2, 3), kind: str = "story") -> Item:
    return Item(id=1, type=kind, title="s", by="op", kids=kids, descendants=descendants)


def comment(item_id: int, parent: int, kids: tuple[int, ...] = ()) -> Item:
    return Item(id=item_id, type="comment", parent=parent, kids=kids, text=f"c{item_id}")


def thread_of(*items: Item) -> Thread:
    thread = Thread(1)
    thread.add(list(items))
    return thread


def update(**fields: object) -> ThreadUpdate:
    return ThreadUpdate(fields.pop("items", []), from_cache=False, **fields)


def test_load_progress_counts_comments_and_items_fetched():
    thread = thread_of(story(), comment(2, 1), comment(3, 1))
    loading = status_text.load_progress(thread, update(fetched=2), 0.5, saving=True)
    assert loading == ("Loading from network: 2 / 3 comments · saving for offline", False)
    done = status_text.load_progress(thread, update(fetched=3, done=True), 1.234)
    assert done == ("2 comments · 3 items fetched (story included) in 1.23 s", False)
    cached = status_text.load_progress(thread, update(done=True), 0.01)
    assert cached == ("2 comments · from the cache in 0.01 s", False)
    failed = status_text.load_progress(thread, update(error="1 item(s) could not be loaded"), 1)
    assert failed == ("2 comments · 1 item(s) could not be loaded; r retries", True)


def test_comments_note_says_why_a_story_shows_none():
    assert status_text.comments_note(thread_of(story(0, ())), update(), offline=False) == (
        "No comments yet."
    )
    job = thread_of(story(0, (), kind="job"))
    assert status_text.comments_note(job, update(), offline=False) == "Job posts take no comments."
    missing = thread_of(story(5))
    assert status_text.comments_note(missing, update(), offline=False) == "Loading 5 comments…"
    assert status_text.comments_note(missing, update(done=True), offline=True) == (
        "5 comments not in the cache (offline): run hnterm without --offline to load them."
    )
    assert status_text.comments_note(missing, update(done=True, offline=True), offline=False) == (
        "5 comments not in the cache (network unreachable): r loads them when it is back."
    )
    assert status_text.comments_note(missing, update(done=True), offline=False) == (
        "5 comments could not be loaded: r retries."
    )
    shown = thread_of(story(), comment(2, 1))
    assert status_text.comments_note(shown, update(), offline=False) is None


def test_position_tells_where_the_cursor_is():
    thread = thread_of(story(), comment(2, 1, (4,)), comment(3, 1), comment(4, 2))
    thread.seen = frozenset({1, 2, 3})
    assert status_text.position(thread, 1, []) == "Story · 3 comments"
    assert status_text.position(thread, 2, [2, 3]) == (
        "Comment 1 of 3 shown · depth 1 · 1 direct reply · match 1 of 2"
    )
    assert status_text.position(thread, 4, [], "+1 new") == (
        "Comment 2 of 3 shown · depth 2 · 0 direct replies · new comment 1 of 1 · +1 new"
    )


def test_save_progress_and_the_network_title():
    assert status_text.save_progress(update(fetched=4)) == (
        "Saving for offline: 4 items fetched",
        False,
    )
    assert status_text.save_progress(update(fetched=4, done=True, saved=True)) == (
        "Saved for offline: 4 items · 7 lists the saved threads",
        False,
    )
    thread = thread_of(story(), comment(2, 1), comment(3, 1))
    assert status_text.save_progress(update(fetched=3, done=True, saved=True), thread) == (
        "Saved for offline: s (2 comments) · 7 lists the saved threads",
        False,
    )
    assert status_text.save_progress(update(done=True, error="not saved: x")) == (
        "not saved: x; s retries",
        True,
    )
    assert status_text.save_progress(update(done=True, error="x"), offline=True) == (
        "x; run hnterm without --offline to save it",
        True,
    )
    assert status_text.list_note(True, offline=True) == "cached copy (offline)"
    assert status_text.list_note(False, offline=False) == "nothing cached · r retries"
    assert status_text.network_title(offline=True, network_down=True).startswith("offline (")
    assert status_text.network_title(offline=False, network_down=True).startswith("offline:")
    assert status_text.network_title(offline=False, network_down=False) == "Hacker News"


def test_changes_say_what_they_touched():
    thread = thread_of(story(), comment(2, 1), comment(3, 1))
    change = merge(thread, update(items=[story(4, (2, 3, 5)), comment(5, 1)], refreshed=9.0))
    assert change.updated == {1} and change.replied_to == {1}
    assert thread.refreshed == 9.0 and 5 in thread
    assert set_saved(thread, True).replied_to == {1} and thread.saved
    assert set_saved(thread, True).replied_to == frozenset()  # no change: nothing redrawn
    assert set_votes(thread, {2, 3}).updated == {2, 3}
    assert set_votes(thread, {3}).updated == {2}
    mine = Item(id=9, type="comment", parent=2, by="me", text="hi")
    assert add_reply(thread, mine).replied_to == {2}
    assert thread.children(2) == [9] and thread.mine == {9}


def test_arrivals_on_a_first_visit_are_new_only_from_now():
    thread = thread_of(story(), comment(2, 1), comment(3, 1))
    assert thread.seen is None
    _, arrived = merge_arrivals(thread, update(items=[story(3, (2, 3, 6)), comment(6, 1)]))
    assert arrived == [6]
    assert thread.seen == {1, 2, 3} and thread.new_ids() == [6]


def test_your_reply_shows_at_once_takes_its_id_and_stays_until_the_api_lists_it():
    thread = thread_of(story(), comment(2, 1), comment(3, 1))
    sent = Item(id=0, type="comment", parent=2, by="me", text="hi")
    change, provisional = show_reply(thread, sent)
    assert provisional < 0 and change.replied_to == {2}
    assert thread.children(2) == [provisional] and thread.mine == {provisional}
    settled = settle_reply(thread, provisional, replace(sent, id=9))
    assert settled.moved == ((provisional, 9),) and provisional not in thread.items
    assert thread.children(2) == [9] and thread.mine == {9}
    merge(thread, update(items=[comment(2, 1)]))  # the API's copy does not list it yet
    assert thread.children(2) == [9]
    # No id from HN: the comment the API brings is the provisional row, one row.
    _, unknown = show_reply(thread, replace(sent, parent=3))
    arrived = [comment(3, 1, (10,)), replace(sent, id=10, parent=3)]
    assert merge(thread, update(items=arrived)).moved == ((unknown, 10),)
    assert thread.children(3) == [10] and thread.mine == {9, 10}
    # Refused: the row goes, a cursor on it goes to the parent.
    _, refused = show_reply(thread, sent)
    assert settle_reply(thread, refused, None).moved == ((refused, 2),)
    assert thread.children(2) == [9] and refused not in thread.items


def test_a_failed_open_says_why_and_what_to_do():
    missing = status_text.open_failed(7, kept=True, offline=False, update=update(done=True))
    assert missing == "Item 7 is not available: HN has no such item"
    offline = status_text.open_failed(7, kept=False, offline=True, update=update(done=True))
    assert offline == "Item 7 is not in the cache (offline): run hnterm online to fetch it"
    down = update(done=True, offline=True)
    assert status_text.open_failed(7, kept=True, offline=False, update=down) == (
        "Cannot open 7: network unreachable (the open thread stays; : tries again)"
    )
    assert status_text.open_failed(7, kept=False, offline=False, error="HTTP 500") == (
        "Cannot open 7: HTTP 500; r retries"
    )
