"""``hnterm dump`` as a user runs it (a subprocess against the fake API), and the exporter."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hnterm.model.items import parse_item
from hnterm.model.thread import Thread
from hnterm.render.export import escape, text_blocks, to_markdown
from hnterm.render.text import html_to_plain

from tests.data import BIDEN, IBM, fixture_items
from tests.fakehn import FakeHN, generate_thread

ROOT = Path(__file__).resolve().parents[2]
IBM_REPLY = 43729143  # a reply three levels down in the IBM thread
IBM_REPLY_TEXT = "a pretty solid letter given the 1953 date"


def dump(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HNTERM_")}
    return subprocess.run(
        [sys.executable, "-m", "hnterm", "dump", *args, "--cache-dir", str(cache)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def reachable(items: dict[int, object], root: int) -> set[int]:
    """Ids reachable from ``root`` through kids (what a complete dump must hold)."""
    seen, stack = set(), [root]
    while stack:
        item_id = stack.pop()
        if item_id in seen or item_id not in items:
            continue
        seen.add(item_id)
        stack.extend(items[item_id].kids)  # type: ignore[attr-defined]
    return seen


def test_json_dump_holds_every_comment_as_the_api_sent_it(fake_hn: FakeHN, tmp_path: Path):
    done = dump(str(BIDEN), "--api-url", fake_hn.url, cache=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    expected = fixture_items("circumflex-25015967-biden-wins-white-house")
    assert data["root"] == BIDEN
    assert data["complete"] is True and data["missing"] == []
    assert {int(key) for key in data["items"]} == reachable(expected, BIDEN)
    assert data["comments"] == len(expected) - 1 == 2170
    for key, raw in data["items"].items():
        assert parse_item(raw, expected_id=int(key)) == expected[int(key)]
    # The tree names every comment once, under its parent.
    seen, stack = [], [(data["tree"], None)]
    while stack:
        node, parent = stack.pop()
        seen.append(node["id"])
        assert expected[node["id"]].parent == parent or node["id"] == BIDEN
        stack.extend((child, node["id"]) for child in node["replies"])
    assert sorted(seen) == sorted(int(key) for key in data["items"])


def test_markdown_dump_nests_replies_with_their_text(fake_hn: FakeHN, tmp_path: Path):
    out = tmp_path / "ibm.md"
    done = dump(
        str(IBM), "--api-url", fake_hn.url, "-f", "markdown", "-o", str(out), cache=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    text = out.read_text(encoding="utf-8")
    items = fixture_items("unlurker-43727727-ibm-rto")
    assert text.startswith("# IBM orders US sales to locate near customers")
    assert "<https://www.theregister.com/2025/04/18/ibm_orders_us_sales_staff/>" in text
    lines = text.splitlines()
    reply = next(n for n, line in enumerate(lines) if IBM_REPLY_TEXT in line)
    byline = next(n for n in range(reply, -1, -1) if lines[n].lstrip().startswith("- **"))
    assert "**maerF0x0**" in lines[byline]
    # Three levels below the story: the byline is indented by 2 spaces per level.
    assert lines[byline].startswith("    - **")
    assert lines[reply].startswith("      That's")
    # Every comment with text shows up (by a phrase of its own; emphasis marks aside).
    unstyled = re.sub(r"(?<!\\)\*", "", text)
    for item in items.values():
        plain = html_to_plain(item.text)
        words = re.findall(r"[A-Za-z]{4,}(?: [A-Za-z]{4,}){2}", plain)
        if item.id != IBM and words and not item.deleted:
            assert words[0] in unstyled, item.id


def test_a_comment_id_dumps_its_story(fake_hn: FakeHN, tmp_path: Path):
    done = dump(str(IBM_REPLY), "--api-url", fake_hn.url, cache=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["root"] == IBM and data["requested"] == IBM_REPLY
    assert str(IBM_REPLY) in data["items"]


def test_offline_dump_uses_what_was_read_before(fake_hn: FakeHN, tmp_path: Path):
    assert dump(str(IBM), "--api-url", fake_hn.url, cache=tmp_path).returncode == 0
    requests = fake_hn.requests
    done = dump(f"https://news.ycombinator.com/item?id={IBM}", "--offline", cache=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["items"]) == 353
    assert fake_hn.requests == requests


def test_unknown_item_is_a_one_line_error(fake_hn: FakeHN, tmp_path: Path):
    done = dump("1999999999", "--api-url", fake_hn.url, cache=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == "hnterm dump: item 1999999999 does not exist\n"


def test_network_down_with_nothing_cached_is_a_one_line_error(fake_hn: FakeHN, tmp_path: Path):
    url = fake_hn.url
    fake_hn.stop()
    done = dump(str(IBM), "--api-url", url, cache=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"hnterm dump: cannot load item {IBM}: cannot reach")


def test_offline_with_nothing_cached_is_an_error(tmp_path: Path):
    done = dump(str(IBM), "--offline", cache=tmp_path)
    assert done.returncode == 1
    assert done.stderr == f"hnterm dump: item {IBM} is not in the cache (offline mode)\n"


def test_bad_arguments_are_usage_errors(tmp_path: Path):
    assert dump("not-an-item", cache=tmp_path).returncode == 2
    assert dump(str(IBM), "--format", "xml", cache=tmp_path).returncode == 2


def test_hostile_text_stays_inert_in_markdown(tmp_path: Path):
    story = {
        "id": 1,
        "type": "story",
        "title": "# [click](javascript:x) \x1b]0;pwn\x07",
        "kids": [2],
    }
    comment = {
        "id": 2,
        "type": "comment",
        "by": "eve_<b>",
        "parent": 1,
        "text": "&lt;script&gt;alert(1)&lt;/script&gt; \x1b[31mred\x1b[0m\u202e *x* [a](b)"
        '<p>- not a list<p>1. nor this<p><a href="javascript:alert(1)">js</a>',
    }
    with FakeHN({1: story, 2: comment}) as server:
        done = dump("1", "--api-url", server.url, "-f", "markdown", cache=tmp_path)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text)
    assert "<script>" not in text and "javascript:" not in text.replace("javascript:x", "")
    assert "\\<script\\>" in text
    assert "\\- not a list" in text and "1\\. nor this" in text
    assert "\\*x\\* \\[a\\](b)" in text
    assert "**eve\\_\\<b\\>**" in text


# -- the exporter on its own ----------------------------------------------------------------


def test_code_blocks_are_fenced_and_quotes_quoted():
    html = (
        '&gt; quoted <i>words</i><p>Plain with <a href="https://x.com/a_b">'
        "https://x.com/a_b</a><p><pre><code>  x = `a`\n  y = ```b```\n</code></pre>"
    )
    blocks = text_blocks(html)
    assert blocks[0] == "> quoted *words*"
    assert blocks[1] == "Plain with <https://x.com/a_b>"
    assert blocks[2] == "````\n  x = `a`\n  y = ```b```\n````"


def test_escape_keeps_plain_text_plain():
    assert escape("a_b *c* <d> [e](f) #g") == "a\\_b \\*c\\* \\<d\\> \\[e\\](f) \\#g"
    assert escape("- item\n2) two\n+ three") == "\\- item\n2\\) two\n\\+ three"


def test_markdown_of_a_deep_thread_nests_every_level():
    raw = generate_thread(500, comments=60, depth=25)
    thread = Thread(500)
    thread.add(item for key, value in raw.items() if (item := parse_item(value, key)))
    text = to_markdown(thread, now=1_745_020_800)
    bylines = [line for line in text.splitlines() if line.lstrip().startswith("- **")]
    deepest = max(len(line) - len(line.lstrip()) for line in bylines)
    assert deepest == 2 * 24  # top-level comments are not indented
    assert text.count("[link](https://news.ycombinator.com/item?id=") + text.count(
        "\\[deleted\\]"
    ) == len(thread)


@pytest.mark.parametrize("missing", [True, False])
def test_json_says_when_replies_are_missing(missing: bool):
    items = fixture_items("unlurker-43727727-ibm-rto")
    thread = Thread(IBM)
    lost = items[IBM].kids[0]
    thread.add(item for item in items.values() if not (missing and item.id == lost))
    from hnterm.render.export import thread_to_dict

    data = thread_to_dict(thread)
    assert data["complete"] is not missing
    assert data["missing"] == ([lost] if missing else [])


LESS_SLOW = 43727743  # 88 comments


def test_an_incomplete_thread_offline_is_partial_and_says_so(fake_hn: FakeHN, tmp_path: Path):
    """The story is cached (a list page fetched it) but none of its comments are: the dump
    is written, with the count missing on stderr and a non-zero exit unless --partial."""
    from hnterm.model.items import parse_item as parse
    from hnterm.storage.cache import Cache

    cache = Cache(tmp_path)
    cache.put_items([parse(fake_hn.items[LESS_SLOW], LESS_SLOW)], None)
    cache.close()
    kids = len(fake_hn.items[LESS_SLOW]["kids"])

    done = dump(str(LESS_SLOW), "--offline", "-f", "markdown", cache=tmp_path)
    assert done.returncode == 3
    assert f"{kids} replies of {LESS_SLOW} not loaded" in done.stderr
    assert "--partial" in done.stderr
    assert f"*{kids} replies could not be loaded.*" in done.stdout  # Markdown says so too
    assert "0 comments" in done.stdout

    partial = dump(str(LESS_SLOW), "--offline", "--partial", cache=tmp_path)
    assert partial.returncode == 0
    assert json.loads(partial.stdout)["complete"] is False
