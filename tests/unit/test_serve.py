"""``hnterm serve``'s arguments: what each tab's reader is started with, and what it refuses
(the browser test, tests/ui/test_serve_browser.py, runs the server itself)."""

from __future__ import annotations

import shlex
import socket
import sys

import pytest
from hnterm.cli.main import build_parser, run, with_command
from hnterm.cli.serve import allowed_origins, is_loopback, reader_command


def parsed(*argv: str):
    read, chosen = with_command(list(argv))
    return build_parser(chosen).parse_args(read)


def test_each_tab_runs_the_reader_with_every_global_option_serve_was_given():
    args = parsed(
        "--offline", "serve", "--api-url", "http://127.0.0.1:9/v0/", "--cache-dir", "a dir",
        "--cache-max-mb", "5", "--port", "9000", "--host", "127.0.0.1",
    )  # fmt: skip
    assert shlex.split(reader_command(args)) == [
        sys.executable, "-m", "hnterm", "--offline", "--api-url", "http://127.0.0.1:9/v0/",
        "--cache-dir", "a dir", "--cache-max-mb", "5", "open",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "argv",
    [["--port", "0"], ["--port", "70000"], ["--port", "http"], ["--public-url", "ftp://x"]],
)
def test_a_bad_port_or_public_url_is_a_usage_error(argv, capsys):
    assert run(["serve", *argv]) == 2
    assert "hnterm serve: error: argument" in capsys.readouterr().err


def test_loopback_and_the_pages_that_may_drive_the_app():
    assert all(map(is_loopback, ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"]))
    assert not any(map(is_loopback, ["0.0.0.0", "192.168.1.2", "example.com", "::"]))
    assert allowed_origins("http://127.0.0.1:8000", 8000) == {
        "http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000",
    }  # fmt: skip
    assert allowed_origins("https://hn.example", 8000) == {"https://hn.example"}


def test_a_port_in_use_is_one_line_and_no_start_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run(["serve", "--port", str(port)]) == 1
    said = capsys.readouterr()
    assert said.out == ""  # no "serving on" for a server that never listened
    assert said.err.startswith(f"hnterm serve: cannot listen on 127.0.0.1:{port}: Address")
    assert said.err.count("\n") == 1
