"""What the load path's cheaper steps must keep: the same plain text for search, the same rows.

The cache writes every fetched comment with its plain text for search; these pin what the
cheaper ways of doing that (text without a Rich Text, paragraph text that needs no collapsing
skipped by the collapse, rows written by orjson) must still give, on a real SQLite file.
"""

from __future__ import annotations

import json
import sqlite3

from hnterm.model.items import Item
from hnterm.render.text import html_to_plain, render_html, sanitize
from hnterm.storage.cache import DB_NAME, Cache
from hnterm.storage.records import dump_item
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = 100

# Words, every kind of whitespace HTML collapses, and characters sanitize drops or turns into
# a space (none of which str.split() treats differently from what the renderer does).
PARAGRAPH = st.lists(
    st.sampled_from(
        [
            "word",
            "x",
            "é",
            "日本",
            " ",
            "  ",
            "\t",
            "\n",
            "\r",
            "\f",
            " \n ",
            "\u200b",
            "\x00",
            "\x07",
            "\u202e",
            "\u2028",
            "\ufeff",
            "\ud800",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(PARAGRAPH)
def test_paragraph_whitespace_collapses_and_unsafe_characters_go_as_html_does(text: str) -> None:
    # HTML collapses "\r" and "\f" with the rest of the whitespace (sanitize alone drops "\r")
    expected = " ".join(sanitize(text.replace("\r", " ").replace("\f", " ")).split())
    assert html_to_plain(text) == expected
    assert html_to_plain(f"<p>{text} <i>{text}</i>") == (f"{expected} {expected}").strip()
    assert render_html(text).text.plain == expected


def test_plain_text_is_the_rendered_texts_across_blocks_links_and_code() -> None:
    html = (
        "first  para<p>second\t<i>italic</i>\n<b>bold</b>"
        '<p>see <a href="https:&#x2F;&#x2F;example.com&#x2F;a" rel="nofollow">this one</a> '
        "<pre><code>  code\n\tindented\n</code></pre>"
        "<p>&gt; quoted &amp; done\x1b[31m red"
    )
    plain = html_to_plain(html)
    assert plain == render_html(html).text.plain
    assert plain.split("\n\n")[:2] == ["first para", "second italic bold"]
    assert "this one (https://example.com/a)" in plain
    assert "  code\n    indented" in plain
    assert "\x1b" not in plain and plain.endswith("> quoted & done red")
    assert html_to_plain("") == html_to_plain(None) == ""


def stored_json(cache: Cache, item_id: int) -> str:
    assert cache.path is not None
    with sqlite3.connect(cache.path) as db:
        return db.execute("SELECT json FROM items WHERE id = ?", (item_id,)).fetchone()[0]


def test_items_orjson_cannot_write_are_written_by_json_and_read_back_whole(tmp_path) -> None:
    odd = [
        Item(id=ROOT, type="story", title="Ünïcode \u2028 story", by="a", kids=(101, 102)),
        Item(id=101, parent=ROOT, text="lone \ud800 surrogate searchable", by="b"),
        Item(id=102, parent=ROOT, text="huge numbers everywhere", time=2**70, score=-(2**65)),
    ]
    cache = Cache(tmp_path)
    try:
        cache.put_items(odd, ROOT)
        for item in odd:
            cached = cache.get(item.id)
            assert cached is not None and cached.item == item
            assert json.loads(stored_json(cache, item.id)) == json.loads(dump_item(item))
        assert [hit.item_id for hit in cache.search("surrogate")] == [101]
        assert [hit.item_id for hit in cache.search("huge numbers")] == [102]
        assert [hit.item_id for hit in cache.search("Ünïcode")] == [ROOT]
    finally:
        cache.close()


def test_a_row_an_earlier_version_wrote_is_replaced_without_indexing_it_twice(tmp_path) -> None:
    """Rows written by ``json`` (non-ASCII escaped) differ in text from orjson's, not in
    words: storing the same item again replaces the row and leaves one index entry."""
    story = Item(id=ROOT, type="story", title="Café story", by="a", kids=(101,))
    comment = Item(id=101, parent=ROOT, text="naïve résumé words", by="b")
    cache = Cache(tmp_path)
    try:
        cache.put_items([story, comment], ROOT)
        escaped = json.dumps(json.loads(stored_json(cache, 101)), separators=(",", ":"))
        assert "\\u" in escaped  # what an earlier version stored
        with sqlite3.connect(tmp_path / DB_NAME) as db:
            db.execute("UPDATE items SET json = ? WHERE id = 101", (escaped,))
        cache.put_items([comment], ROOT)
        assert stored_json(cache, 101) == dump_item(comment) != escaped
        assert [hit.item_id for hit in cache.search("résumé")] == [101]
        with sqlite3.connect(tmp_path / DB_NAME) as db:
            entries = db.execute("SELECT count(*) FROM search_text WHERE rowid = 101").fetchone()
        assert entries == (1,)
    finally:
        cache.close()


def test_a_batch_out_of_order_with_an_id_twice_keeps_the_last_copy_and_its_words(
    tmp_path,
) -> None:
    """Rows are written in id order, not as given; of an id given twice the later copy is
    kept with its words (the index refused a second entry: the whole write failed)."""
    story = Item(id=ROOT, type="story", title="Ordering story", by="a", kids=(105, 103, 101))
    first = Item(id=105, parent=ROOT, text="earlier draft wording", by="b")
    later = Item(id=105, parent=ROOT, text="final corrected wording", by="b")
    batch = [first, Item(id=103, parent=ROOT, text="middle", by="c"), story, later]
    batch.append(Item(id=101, parent=ROOT, text="lowest id last", by="d"))
    cache = Cache(tmp_path)
    try:
        cache.put_items(batch, ROOT)
        cached = cache.get(105)
        assert cached is not None and cached.item == later
        assert [hit.item_id for hit in cache.search("corrected")] == [105]
        assert cache.search("draft") == []
        assert sorted(entry.item.id for entry in cache.thread(ROOT)) == [ROOT, 101, 103, 105]
        assert [hit.item_id for hit in cache.search("lowest")] == [101]
    finally:
        cache.close()
