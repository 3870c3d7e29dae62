"""A reader's library as one versioned JSON document (``hnterm library export`` / ``import``).

What a reader made on one machine and cannot fetch again: read marks (with the comments seen),
saved threads (their items too, with ``--with-items``), remembered preferences and unsent reply
drafts. Never the session cookie: it is not in the cache, and there is no field for it.

A library file may come from anywhere (a synced folder, a stranger), so ``parse_library``
checks every field of every entry: types, ranges, lengths, times not in the future; unknown
fields are refused (a later format is a later ``version``). What is wrong is a
``LibraryError`` naming the place ("read[3].seen[10]: not an item id"), never quoting the value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from hnterm.model.items import Item, is_item_id, item_to_json, parse_item
from hnterm.model.readstate import ReadState
from hnterm.model.users import is_username

FORMAT = "hnterm-library"
VERSION = 1
CLOCK_SKEW = 86400.0  # seconds a time may lie ahead of this machine's clock (another's)
MAX_TEXT = 100_000  # characters of a draft (HN's own limit is far below)
MAX_VALUE = 1_000  # characters of a preference's value or a draft's last error
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
T = TypeVar("T")


class LibraryError(ValueError):
    """A library file refused; the message says where and what, in one line."""


@dataclass(frozen=True)
class SavedThread:
    """A saved thread: when it was saved, last loaded whole, and (with items) its items."""

    root: int
    saved_at: float
    refreshed: float | None = None
    items: tuple[tuple[Item, float], ...] = ()  # (item, fetched)


@dataclass(frozen=True)
class Preference:
    key: str
    value: str
    updated: float  # 0: set before settings kept their time


@dataclass(frozen=True)
class DraftEntry:
    parent: int
    root: int
    text: str
    updated: float
    error: str | None = None
    account: str = ""  # '' : written before accounts were told apart


@dataclass(frozen=True)
class Library:
    exported_at: float
    read: tuple[ReadState, ...] = ()
    saved: tuple[SavedThread, ...] = ()
    preferences: tuple[Preference, ...] = ()
    drafts: tuple[DraftEntry, ...] = ()


@dataclass(frozen=True)
class Merged:
    """What an import did, counted."""

    read_new: int = 0
    read_updated: int = 0  # a newer visit, or comments seen elsewhere
    read_kept: int = 0  # nothing newer in the file
    saved_new: int = 0
    saved_kept: int = 0
    items: int = 0
    preferences_set: int = 0
    preferences_kept: int = 0  # newer here, or not known to this hnterm
    drafts_new: int = 0
    drafts_updated: int = 0
    drafts_kept: int = 0  # newer here, or the same

    def summary(self) -> str:
        """One line of counts."""
        return "; ".join(
            [
                f"read marks: {self.read_new} new, {self.read_updated} updated, "
                f"{self.read_kept} unchanged",
                f"saved threads: {self.saved_new} new, {self.saved_kept} already saved"
                + (f" ({self.items} items)" if self.items else ""),
                f"preferences: {self.preferences_set} set, {self.preferences_kept} kept",
                f"drafts: {self.drafts_new} new, {self.drafts_updated} updated, "
                f"{self.drafts_kept} kept",
            ]
        )


# -- writing ----------------------------------------------------------------------------------
def library_to_json(library: Library) -> dict[str, Any]:
    """The JSON document of ``library`` (``parse_library`` reads it back)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": library.exported_at,
        "read": [
            {
                "root": mark.root,
                "opened_at": mark.opened_at,
                "comments": mark.comment_count_then,
                "seen": sorted(mark.seen),
            }
            for mark in library.read
        ],
        "saved": [_saved_to_json(saved) for saved in library.saved],
        "preferences": [
            {"key": p.key, "value": p.value, "updated": p.updated} for p in library.preferences
        ],
        "drafts": [
            {
                "parent": d.parent,
                "root": d.root,
                "text": d.text,
                "updated": d.updated,
                "error": d.error,
                "account": d.account,
            }
            for d in library.drafts
        ],
    }


def _saved_to_json(saved: SavedThread) -> dict[str, Any]:
    out: dict[str, Any] = {
        "root": saved.root,
        "saved_at": saved.saved_at,
        "refreshed": saved.refreshed,
    }
    if saved.items:
        out["items"] = [
            {"fetched": fetched, "item": item_to_json(item)} for item, fetched in saved.items
        ]
    return out


# -- reading ----------------------------------------------------------------------------------
def parse_library(raw: Any, now: float) -> Library:
    """The library in a decoded JSON document, every field checked (``LibraryError``)."""
    top = _object(raw, "the file", {"format", "version", "exported_at"},
                  {"read", "saved", "preferences", "drafts"})  # fmt: skip
    if top["format"] != FORMAT:
        raise LibraryError(f"not an hnterm library (its format is not {FORMAT!r})")
    version = top["version"]
    if not _is_int(version) or version < 1:
        raise LibraryError("version: not a version number")
    if version > VERSION:
        raise LibraryError(
            f"made by a newer hnterm (library version {version}; this one reads {VERSION})"
        )
    return Library(
        exported_at=_time(top["exported_at"], "exported_at", now),
        read=_entries(top.get("read", []), "read", lambda v, w: _read_mark(v, w, now)),
        saved=_entries(top.get("saved", []), "saved", lambda v, w: _saved(v, w, now)),
        preferences=_entries(
            top.get("preferences", []), "preferences", lambda v, w: _preference(v, w, now)
        ),
        drafts=_entries(top.get("drafts", []), "drafts", lambda v, w: _draft(v, w, now)),
    )


def _entries(value: Any, where: str, parse: Callable[[Any, str], T]) -> tuple[T, ...]:
    if not isinstance(value, list):
        raise LibraryError(f"{where}: not a list")
    return tuple(parse(entry, f"{where}[{index}]") for index, entry in enumerate(value))


def _read_mark(value: Any, where: str, now: float) -> ReadState:
    entry = _object(value, where, {"root", "opened_at", "comments", "seen"})
    seen = entry["seen"]
    if not isinstance(seen, list):
        raise LibraryError(f"{where}.seen: not a list")
    ids = frozenset(_item_id(i, f"{where}.seen[{n}]") for n, i in enumerate(seen))
    comments = entry["comments"]
    if not _is_int(comments) or not 0 <= comments <= 10**9:
        raise LibraryError(f"{where}.comments: not a comment count")
    return ReadState(
        _item_id(entry["root"], f"{where}.root"),
        _time(entry["opened_at"], f"{where}.opened_at", now),
        comments,
        ids,
    )


def _saved(value: Any, where: str, now: float) -> SavedThread:
    entry = _object(value, where, {"root", "saved_at", "refreshed"}, {"items"})
    root = _item_id(entry["root"], f"{where}.root")
    refreshed = entry["refreshed"]
    items = _entries(entry.get("items", []), f"{where}.items", lambda v, w: _item(v, w, now))
    return SavedThread(
        root,
        _time(entry["saved_at"], f"{where}.saved_at", now),
        None if refreshed is None else _time(refreshed, f"{where}.refreshed", now),
        items,
    )


def _item(value: Any, where: str, now: float) -> tuple[Item, float]:
    entry = _object(value, where, {"fetched", "item"})
    raw = entry["item"]
    if not isinstance(raw, dict):
        raise LibraryError(f"{where}.item: not an item")
    item = parse_item(raw, expected_id=_item_id(raw.get("id"), f"{where}.item.id"))
    if item is None:
        raise LibraryError(f"{where}.item: not an item")
    return item, _time(entry["fetched"], f"{where}.fetched", now)


def _preference(value: Any, where: str, now: float) -> Preference:
    entry = _object(value, where, {"key", "value", "updated"})
    key = entry["key"]
    if not isinstance(key, str) or _KEY.fullmatch(key) is None:
        raise LibraryError(f"{where}.key: not a setting's name")
    return Preference(
        key,
        _string(entry["value"], f"{where}.value", MAX_VALUE),
        _time(entry["updated"], f"{where}.updated", now),
    )


def _draft(value: Any, where: str, now: float) -> DraftEntry:
    entry = _object(value, where, {"parent", "root", "text", "updated", "error", "account"})
    text = _string(entry["text"], f"{where}.text", MAX_TEXT)
    if not text.strip():
        raise LibraryError(f"{where}.text: empty")
    error = entry["error"]
    account = entry["account"]
    if not isinstance(account, str) or (account and not is_username(account)):
        raise LibraryError(f"{where}.account: not an HN user name")
    return DraftEntry(
        _item_id(entry["parent"], f"{where}.parent"),
        _item_id(entry["root"], f"{where}.root"),
        text,
        _time(entry["updated"], f"{where}.updated", now),
        None if error is None else _string(error, f"{where}.error", MAX_VALUE),
        account,
    )


# -- the checks every field goes through ------------------------------------------------------
def _object(
    value: Any, where: str, required: set[str], optional: Collection[str] = ()
) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise LibraryError(f"{where}: not an object")
    missing = sorted(required - value.keys())
    if missing:
        raise LibraryError(f"{where}: no {missing[0]!r}")
    unknown = [key for key in value if key not in required and key not in optional]
    if unknown:
        name = unknown[0] if _KEY.fullmatch(unknown[0]) else "a field"
        raise LibraryError(f"{where}: unknown field {name!r}")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _item_id(value: Any, where: str) -> int:
    if not _is_int(value) or not is_item_id(value):
        raise LibraryError(f"{where}: not an item id")
    return int(value)


def _time(value: Any, where: str, now: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LibraryError(f"{where}: not a time")
    if not math.isfinite(value) or value < 0:
        raise LibraryError(f"{where}: not a time")
    if value > now + CLOCK_SKEW:
        raise LibraryError(f"{where}: a time in the future")
    return float(value)


def _string(value: Any, where: str, limit: int) -> str:
    if not isinstance(value, str):
        raise LibraryError(f"{where}: not text")
    if len(value) > limit:
        raise LibraryError(f"{where}: longer than {limit:,} characters")
    return value
