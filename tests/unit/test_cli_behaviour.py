"""The command line behaves like a well-made Unix tool (issue 23): one query grammar for every
way of typing it, quiet on a closed pipe, every option and variable in --help, global options
truly global, mistyped commands named, ``hnterm config`` showing and checking what the app
uses, item links only from HN, and ``cache clear --all`` asking first."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hnterm.cli.common import parse_item
from hnterm.cli.main import build_parser, config_of, run, with_command
from hnterm.storage.cache import Cache

from tests.data import BIDEN, IBM, fixture_items
from tests.fakesearch import FakeSearch

ROOT = Path(__file__).resolve().parents[2]
IBM_ITEMS = fixture_items("unlurker-43727727-ibm-rto")
BIDEN_ITEMS = fixture_items("circumflex-25015967-biden-wins-white-house")
TIMEOUT = 30  # seconds for one command; each takes well under one


def hnterm(*args: str, **options) -> subprocess.CompletedProcess[str]:
    """The real command in a process of its own (stdout and stderr read, unless given)."""
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run(
        [sys.executable, "-m", "hnterm", *args], cwd=ROOT, text=True, timeout=TIMEOUT, **options
    )


@pytest.fixture
def cached(tmp_path) -> Path:
    """A cache holding the IBM thread (saved) and the Biden thread (read)."""
    cache = Cache(tmp_path)
    cache.put_items(IBM_ITEMS.values(), IBM)
    cache.put_items(BIDEN_ITEMS.values(), BIDEN)
    cache.save_thread(IBM)
    cache.mark_story_read(BIDEN, 2170, [])
    cache.close()
    return tmp_path


def hit_ids(capsys) -> list[int]:
    return [hit["item_id"] for hit in json.loads(capsys.readouterr().out)]


# -- 3: the arguments are one query text in the one grammar --------------------------------
def test_one_argument_with_a_filter_and_words_is_the_query_the_app_reads(cached, capsys):
    base = ["search", "--json", "--cache-dir", str(cached)]
    assert run([*base, "by:rayiner superficial"]) == 0
    together = hit_ids(capsys)
    assert run([*base, "superficial", "by:rayiner"]) == 0
    assert together == hit_ids(capsys) and len(together) >= 2
    assert all(IBM_ITEMS[item_id].by == "rayiner" for item_id in together)
    # A phrase is quoted inside the argument, as in the app.
    assert run([*base, '"superficial characteristic"']) == 0
    assert hit_ids(capsys)
    assert run([*base, '"characteristic superficial"']) == 0  # the words, not in this order
    assert hit_ids(capsys) == []


def test_online_query_text_with_a_filter_in_one_argument_and_its_cache_fallback(cached, capsys):
    base = ["search", "--online", "--json", "--cache-dir", str(cached)]
    with FakeSearch() as fake:
        assert run([*base, "--search-url", fake.url, "superficial by:rayiner"]) == 0
        online = hit_ids(capsys)
        assert online and fake.queries[-1]["tags"] == "author_rayiner"
    assert run([*base, "--offline", "superficial by:rayiner"]) == 0
    offline = capsys.readouterr()
    assert "local cache only" in offline.err
    hits = json.loads(offline.out)
    assert hits and {hit["by"] for hit in hits} == {"rayiner"}


# -- 7: quiet on a closed pipe ------------------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [["search", "the*"], ["search", "--online", "--offline", "the*"], ["cache"], ["config"]],
    ids=["search", "search-online", "cache", "config"],
)
def test_every_command_is_quiet_on_a_closed_pipe(cached, argv):
    """As ``hnterm search 'the*' | head -1`` once head has gone: the pipe's reading end is
    closed before the command writes, so its first write meets EPIPE, every time."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        done = hnterm(*argv, "--cache-dir", str(cached), stdout=writing)
    finally:
        os.close(writing)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
    assert done.stderr == "" or done.stderr.startswith("hnterm search: offline mode")
    assert done.returncode == 1  # the Python docs' recipe: EPIPE exits 1


# -- 11: --help is whole, the global options are global -----------------------------------
def environment_variables() -> set[str]:
    """Every HNTERM_ variable the code reads, but the test-only ones."""
    names = set()
    for path in (ROOT / "app" / "hnterm").rglob("*.py"):
        names |= set(re.findall(r'"(HNTERM_[A-Z_]+)"', path.read_text(encoding="utf-8")))
    return {name for name in names if "TEST_ONLY" not in name}


def test_help_shows_item_in_its_usage_and_every_variable_and_global_option():
    done = hnterm("--help")
    assert done.returncode == 0
    usage = done.stdout.split("\n\n", 1)[0]
    assert "[ITEM]" in usage and "COMMAND" in usage
    variables = environment_variables()
    assert {"HNTERM_WEB_URL", "HNTERM_CONFIG_DIR", "HNTERM_THEME"} <= variables
    missing = {name for name in variables if name not in done.stdout}
    assert missing == set()
    global_section = done.stdout.split("global options:", 1)[1]
    for option in ("--offline", "--api-url", "--web-url", "--search-url", "--cache-dir"):
        assert option in global_section


def parse(argv: list[str]):
    argv, chosen = with_command(argv)
    return build_parser(chosen).parse_args(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["--web-url", "http://127.0.0.1:9", "--search-url", "http://127.0.0.1:8", "43730545"],
        ["43730545", "--search-url", "http://127.0.0.1:8", "--web-url", "http://127.0.0.1:9"],
        ["--web-url", "http://127.0.0.1:9", "--search-url", "http://127.0.0.1:8", "whoami"],
        ["search", "x", "--web-url", "http://127.0.0.1:9", "--search-url", "http://127.0.0.1:8"],
        ["--search-url", "http://127.0.0.1:8", "sync", "--web-url", "http://127.0.0.1:9"],
    ],
)
def test_web_and_search_urls_are_global_options(argv):
    config = config_of(parse(argv))
    assert config.web_url == "http://127.0.0.1:9"
    assert config.search_url == "http://127.0.0.1:8" and config.origins["search_url"] == "flag"


def test_a_web_url_the_cookie_must_not_go_to_is_a_usage_error(capsys):
    assert run(["--web-url", "http://evil.example", "whoami"]) == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert error.startswith("hnterm: error: argument --web-url: web URL 'http://evil.example'")


# -- 12: a mistyped command is named, with the nearest one --------------------------------
def test_a_mistyped_command_is_named_with_the_nearest_one(capsys):
    assert run(["serach", "foo"]) == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert error == "hnterm: error: unknown command 'serach' (did you mean search?)"
    assert run(["--offline", "dumpp", "1"]) == 2
    assert "(did you mean dump?)" in capsys.readouterr().err
    assert run(["zzzzqqq"]) == 2  # like no command: a bad item, as before
    assert "not an HN item id or URL" in capsys.readouterr().err


# -- 13: hnterm config shows and checks what the app uses ---------------------------------
def test_config_shows_the_theme_and_list_width_the_app_remembered(tmp_path, capsys):
    cache = Cache(tmp_path)
    cache.set_setting("theme", "nord")
    cache.set_setting("list_width", "55")
    cache.close()
    assert run(["config", "--cache-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    by_key = {line.split()[0]: line for line in out.splitlines() if " = " in line}
    assert by_key["theme"].startswith('theme = "nord"') and by_key["theme"].endswith("remembered")
    assert by_key["list_width"].startswith("list_width = 55 ")
    assert run(["config", "--json", "--cache-dir", str(tmp_path)]) == 0
    theme = json.loads(capsys.readouterr().out)["settings"]["theme"]
    assert theme == {"value": "nord", "origin": "remembered"}
    # Where there is no cache, nothing is remembered and no cache is made.
    assert run(["config", "--cache-dir", str(tmp_path / "none")]) == 0
    assert "# theme (unset)" in capsys.readouterr().out
    assert not (tmp_path / "none").exists()


def test_config_checks_keys_and_themes_as_the_app_does(tmp_path, monkeypatch, capsys):
    path = tmp_path / "config.toml"
    path.write_text(
        'theme = "no-such-theme"\n[keys]\n"app.help" = "q"\n"no.such.binding" = "x"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HNTERM_CONFIG", str(path))
    assert run(["config", "--cache-dir", str(tmp_path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert any("no.such.binding: no key has this id" in line for line in err)
    assert any("app.quit and app.help are both on 'q'" in line for line in err)
    assert any("theme 'no-such-theme' is not one of:" in line for line in err)
    assert all(line.startswith("hnterm: ") for line in err)


def test_a_config_file_named_but_not_there_is_said(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HNTERM_CONFIG", "/nonexistent/x.toml")
    assert run(["config", "--cache-dir", str(tmp_path)]) == 0
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        "hnterm: config file /nonexistent/x.toml ($HNTERM_CONFIG) is not there; using defaults"
    )


# -- 15: item links only from HN; a bad API URL in one line; clear --all asks -------------
@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/x?id=42131164",
        "https://evil.example/item?id=42131164",
        "https://news.ycombinator.com.evil.example/item?id=42131164",
        "https://news.ycombinator.com/user?id=42131164",
    ],
)
def test_item_links_to_other_sites_are_refused(link, capsys):
    assert run(["dump", link]) == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert "not an HN item id or URL" in error and link in error


def test_item_links_from_hn_and_the_configured_web_site(monkeypatch):
    assert parse_item("https://news.ycombinator.com/item?id=42131164") == 42131164
    assert parse_item("item?id=42131164") == parse_item("42131164") == 42131164
    with pytest.raises(Exception, match="not an HN item"):
        parse_item("http://127.0.0.1:8080/item?id=5")
    monkeypatch.setenv("HNTERM_WEB_URL", "http://127.0.0.1:8080")
    assert parse_item("http://127.0.0.1:8080/item?id=5") == 5


@pytest.mark.parametrize("url", ["ftp://x/v0/", "http:///v0/", "file:///etc/passwd"])
def test_a_non_http_api_url_is_one_line(url, tmp_path, capsys):
    assert run(["--api-url", url, "dump", "1", "--cache-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "ClientError" not in err and "Traceback" not in err
    assert err.splitlines()[-1].startswith("hnterm: error: argument --api-url: must be an http")


def test_clear_all_without_a_terminal_says_what_goes_and_needs_yes(cached):
    refused = hnterm(
        "cache", "clear", "--all", "--cache-dir", str(cached), stdin=subprocess.DEVNULL
    )
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("hnterm cache clear --all drops 1 saved thread and the ")
    assert "--yes" in refused.stderr
    cache = Cache(cached)
    assert [root for root, _ in cache.saved_threads()] == [IBM]
    cache.close()
    done = hnterm(
        "cache", "clear", "--all", "--yes", "--cache-dir", str(cached), stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0 and done.stdout.startswith("removed ")
    cache = Cache(cached)
    assert cache.saved_threads() == [] and cache.stats().items == 0
    cache.close()


@pytest.mark.parametrize(("answer", "kept"), [("n\n", True), ("y\n", False)])
def test_clear_all_at_a_terminal_asks_first(cached, answer, kept):
    """stdin a pseudo-terminal, as when a person types the command."""
    leader, follower = pty.openpty()
    try:
        with subprocess.Popen(
            [sys.executable, "-m", "hnterm", "cache", "clear", "--all", "--cache-dir", str(cached)],
            cwd=ROOT,
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            os.write(leader, answer.encode())
            _, err = process.communicate(timeout=TIMEOUT)
    finally:
        os.close(follower)
        os.close(leader)
    assert "drops 1 saved thread" in err and "Go on? [y/N]" in err
    assert process.returncode == (1 if kept else 0)
    cache = Cache(cached)
    assert bool(cache.saved_threads()) is kept
    cache.close()
