"""Exports (JSON and Markdown, in process and from ``hnterm dump``): no depth limit and no
raw control character, whatever the thread holds (issue 12)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hnterm.model.items import item_to_json, parse_item
from hnterm.model.thread import Thread
from hnterm.render.export import encode, json_string, thread_to_dict, to_json, to_markdown
from hnterm.render.text import sanitize

from tests.data import BIDEN, IBM, fixture_items
from tests.fakehn import FakeHN
from tests.headless import hnterm
from tests.hostile import (
    CONTROL_ROOT,
    CONTROL_TEXT,
    DEEP_ROOT,
    UNSAFE,
    control_text_thread,
    deep_chain,
    hostile_thread,
)


def thread_of(items: dict[int, dict], root: int) -> Thread:
    thread = Thread(root)
    thread.add(item for key, raw in items.items() if (item := parse_item(raw, key)))
    return thread


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Python's own json parser recurses once per level; reading a 1,000-deep export back
    (2,000 nested containers) needs more than the default limit of 1,000."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10_000)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def tree_depth(tree: dict[str, Any]) -> int:
    depth, node = 0, tree
    while node["replies"]:
        assert len(node["replies"]) == 1
        node, depth = node["replies"][0], depth + 1
    return depth


def test_json_export_of_a_1000_deep_chain() -> None:
    thread = thread_of(deep_chain(1000), DEEP_ROOT)
    text = to_json(thread)
    with deep_recursion():
        data = json.loads(text)
    assert data["comments"] == 1000 and data["complete"] is True
    assert tree_depth(data["tree"]) == 1000
    markdown = to_markdown(thread, now=1_745_020_800)
    assert "reply at depth 1000" in markdown
    assert markdown.count("- **level") == 1000


def test_dump_json_of_a_1000_deep_chain_over_http(tmp_path: Path) -> None:
    """Fetched level by level from the fake API, cached, and written whole (before: a
    RecursionError past 496 levels, after the thread was fetched)."""
    with FakeHN(deep_chain(1000)) as server:
        done = hnterm("dump", str(DEEP_ROOT), "--api-url", server.url, "--cache-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    with deep_recursion():
        data = json.loads(done.stdout)
    assert tree_depth(data["tree"]) == 1000 and len(data["items"]) == 1001


def test_the_json_writer_keeps_the_format_of_json_dumps() -> None:
    """Ordinary threads come out exactly as ``json.dumps(indent=1)`` wrote them before."""
    for name, root in (
        ("unlurker-43727727-ibm-rto", IBM),
        ("circumflex-25015967-biden-wins-white-house", BIDEN),
    ):
        thread = Thread(root)
        thread.add(fixture_items(name).values())
        data = thread_to_dict(thread)
        assert encode(data) == json.dumps(data, ensure_ascii=False, indent=1)
    odd = {"a": [], "b": {}, "c": [None, True, False, 1.5, -3, "x"], "d": {"e": [[]]}}
    assert encode(odd) == json.dumps(odd, ensure_ascii=False, indent=1)


def test_json_export_is_the_text_json_dumps_writes_at_any_depth() -> None:
    """orjson writes the export where it can; the text is ``json.dumps(indent=2)``'s, each
    unsafe character then escaped, also where orjson refuses: a lone surrogate, 300 levels
    (orjson stops at 254), 1,000 levels (too deep for json.dumps too: ``encode``)."""
    surrogate = Thread(1)
    surrogate.add([parse_item({"id": 1, "type": "story", "title": "half \ud800 pair"}, 1)])
    threads = [thread_of(hostile_thread(), min(hostile_thread())), surrogate]
    for name, root in (
        ("unlurker-43727727-ibm-rto", IBM),
        ("circumflex-25015967-biden-wins-white-house", BIDEN),
    ):
        threads.append(thread_of(fixture_items(name), root))
    threads += [thread_of(deep_chain(depth), DEEP_ROOT) for depth in (300, 1000)]
    for thread in threads:
        data = thread_to_dict(thread)
        with deep_recursion():
            plain = json.dumps(data, ensure_ascii=False, indent=2)
        expected = UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", plain)
        assert to_json(thread) == expected, thread.root_id


def test_json_escapes_every_character_sanitize_removes() -> None:
    """The JSON writer and the screen's filter agree: whatever ``sanitize`` would remove is
    written as a \\uXXXX escape (checked for every BMP code point), the rest stays as is."""
    for code in range(0x10000):
        char = chr(code)
        literal = json_string(char)
        assert json.loads(literal) == char
        if sanitize(char) != char:
            assert literal.isascii(), hex(code)
            assert not UNSAFE.search(literal)
        elif char not in '"\\\n':
            assert literal == f'"{char}"', hex(code)


@pytest.mark.parametrize("items", [control_text_thread(), hostile_thread()], ids=["c1", "all"])
def test_exports_hold_no_raw_control_and_json_keeps_the_data(items: dict[int, dict]) -> None:
    root = min(items)
    thread = thread_of(items, root)
    text = to_json(thread)
    assert not UNSAFE.search(text)
    data = json.loads(text)
    for item_id, raw in data["items"].items():  # every character kept, escaped
        assert raw == item_to_json(thread.items[int(item_id)])
    markdown = to_markdown(thread, now=1_745_020_800)
    assert not UNSAFE.search(markdown)


def test_a_lone_surrogate_is_escaped_not_fatal() -> None:
    """JSON allows "\\ud800"; written raw it cannot even be encoded as UTF-8 (a traceback
    on stdout before)."""
    thread = Thread(1)
    thread.add([parse_item({"id": 1, "type": "story", "title": "half \ud800 pair"}, 1)])
    text = to_json(thread)
    text.encode("utf-8")
    assert "\\ud800" in text and json.loads(text)["items"]["1"]["title"] == "half \ud800 pair"


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_dump_writes_no_c1_byte(tmp_path: Path, fmt: str) -> None:
    """U+009B is a one-byte CSI to many terminals: it must not reach stdout raw (before:
    the JSON dump wrote C1 controls and bidi overrides as they came)."""
    with FakeHN(control_text_thread()) as server:
        done = hnterm(
            "dump", str(CONTROL_ROOT), "-f", fmt, "--api-url", server.url,
            "--cache-dir", str(tmp_path),
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not UNSAFE.search(done.stdout)
    if fmt == "json":
        assert json.loads(done.stdout)["items"][str(CONTROL_ROOT + 1)]["text"].startswith(
            "<p>" + CONTROL_TEXT
        )
