"""The command line: item ids and URLs, help text, bad input."""

import argparse
import subprocess
import sys

import pytest
from hnterm.cli.common import parse_item
from hnterm.cli.main import build_parser, config_of, with_command


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


def parse(argv: list[str]):
    argv, chosen = with_command(argv)
    return build_parser(chosen).parse_args(argv)


def test_options_parse():
    args = parse(["1", "--offline", "--api-url", "http://x/", "--cache-dir", "c"])
    assert (args.item, args.offline, args.api_url, args.cache_dir) == (1, True, "http://x/", "c")


@pytest.mark.parametrize(
    "argv",
    [
        ["--api-url", "http://x/v0/", "--offline", "dump", "7"],
        ["dump", "7", "--api-url", "http://x/v0/", "--offline"],
        ["--offline", "dump", "--api-url", "http://x/v0/", "7"],
    ],
)
def test_global_options_go_before_or_after_the_subcommand(argv):
    args = parse(argv)
    config = config_of(args)
    assert args.command == "dump" and args.item == 7
    assert config.api_url == "http://x/v0/" and config.offline


def test_no_subcommand_opens_the_reader():
    assert parse(["--offline", "42"]).command == "open"
    assert parse([]).command == "open" and parse([]).item is None


def test_version():
    out = subprocess.run(
        [sys.executable, "-m", "hnterm", "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("hnterm ")


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
