"""Parsing Firebase JSON into Items: the API's looseness and hostile shapes."""

from hnterm.model.items import Item, item_to_json, parse_item


def test_parses_a_real_comment():
    raw = {
        "by": "norvig",
        "id": 2921983,
        "kids": [2922097, 2922429],
        "parent": 2921506,
        "text": "Aw shucks",
        "time": 1314211127,
        "type": "comment",
    }
    item = parse_item(raw)
    assert item == Item(
        id=2921983,
        type="comment",
        by="norvig",
        time=1314211127,
        text="Aw shucks",
        parent=2921506,
        kids=(2922097, 2922429),
    )


def test_null_and_non_objects_are_no_item():
    assert parse_item(None) is None
    assert parse_item([1, 2]) is None
    assert parse_item("item") is None


def test_wrong_types_become_absent_not_errors():
    item = parse_item({"id": "42", "kids": "1,2", "time": "soon", "by": 7, "score": True})
    assert item is not None
    assert item.id == 42 and item.kids == () and item.time is None
    assert item.by is None and item.score is None


def test_bad_kid_entries_are_dropped_and_self_references_removed():
    item = parse_item({"id": 5, "kids": [6, "7", None, 5, 6, -1, {"x": 1}], "parent": 5})
    assert item is not None
    assert item.kids == (6, 7)
    assert item.parent is None


def test_answer_about_another_id_is_refused():
    assert parse_item({"id": 9, "type": "comment"}, expected_id=8) is None
    assert parse_item({"type": "comment", "parent": 1}, expected_id=8).id == 8


def test_deleted_comment_keeps_its_place():
    item = parse_item({"deleted": True, "id": 3, "parent": 1, "time": 5, "type": "comment"})
    assert item.deleted and item.by is None and item.parent == 1


def test_round_trip_through_json_form():
    raw = {
        "id": 126809,
        "type": "poll",
        "by": "pg",
        "parts": [126810, 126811],
        "score": 46,
        "title": "Poll",
        "time": 1204403652,
        "descendants": 54,
    }
    item = parse_item(raw)
    assert parse_item(item_to_json(item)) == item
    assert item_to_json(item)["parts"] == [126810, 126811]
