"""Fixture threads as Items, for tests of the pure layers."""

from __future__ import annotations

import json
from pathlib import Path

from hnterm.model.items import Item, parse_item

FIXTURES = Path(__file__).parent / "fixtures"
BIDEN = 25015967
IBM = 43727727
SPEED = 26312516
YC = 1


def fixture_raw(name: str) -> dict:
    """The fixture file as stored: ``{"source", "story", "items": {...}}``."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


def fixture_items(name: str) -> dict[int, Item]:
    """Every item of a fixture file, parsed."""
    items = {}
    for key, raw in fixture_raw(name)["items"].items():
        item = parse_item(raw, expected_id=int(key))
        if item is not None:
            items[item.id] = item
    return items


def subtree(items: dict[int, Item], item_id: int) -> set[int]:
    """``item_id`` and every reply below it in ``items`` (what one failed item costs a load)."""
    ids = {item_id}
    for kid in items[item_id].kids:
        ids |= subtree(items, kid)
    return ids
