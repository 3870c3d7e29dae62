"""The command line: item ids and URLs, help text, bad input."""

import argparse
import subprocess
import sys

import pytest

from hnterm.__main__ import build_parser, parse_item


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("43727727", 43727727),
        ("https://news.ycombinator.com/item?id=43727727", 43727727),
        ("news.ycombinator.com/item?id=1&p=2", 1),
        ("item?id=8863", 8863),
        (" 42 ", 42),
    ],
)
def test_item_ids_and_urls(value, expected):
    assert parse_item(value) == expected


@pytest.mark.parametrize("value", ["", "abc", "¹²", "https://example.com/", "item?id=x", "-5"])
def test_junk_is_refused_with_a_message(value):
    with pytest.raises(argparse.ArgumentTypeError, match="not an HN item"):
        parse_item(value)


def test_options_parse():
    args = build_parser().parse_args(
        ["1", "--offline", "--api-url", "http://x/", "--cache-dir", "c"]
    )
    assert (args.item, args.offline, args.api_url, args.cache_dir) == (1, True, "http://x/", "c")


def test_help_documents_everything():
    out = subprocess.run(
        [sys.executable, "-m", "hnterm", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for needle in (
        "--offline",
        "--api-url",
        "--cache-dir",
        "HNTERM_API_URL",
        "HNTERM_CACHE_DIR",
        "ITEM",
        "dump",
        "search",
        "cache",
    ):
        assert needle in out


def test_bad_item_exits_2_with_a_clear_message():
    result = subprocess.run(
        [sys.executable, "-m", "hnterm", "not-an-item"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "not an HN item id or URL" in result.stderr
