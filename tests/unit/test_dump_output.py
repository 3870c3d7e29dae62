"""Where ``hnterm dump`` writes: a full disk, a closed pipe, an output file replaced whole
or left whole when the write fails, a missing folder; one line each, never a traceback."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.data import IBM
from tests.headless import ROOT_DIR, cached_ibm, hnterm
from tests.hostile import (
    FULL_DISK,
)


@pytest.mark.skipif(not FULL_DISK.exists(), reason="no /dev/full")
@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_dump_to_a_full_disk_is_one_line_and_exit_1(tmp_path: Path, fmt: str) -> None:
    """``> /dev/full``: every write fails with ENOSPC (before: a traceback)."""
    cached_ibm(tmp_path)
    with FULL_DISK.open("w") as full:
        done = hnterm(
            "dump", "--offline", str(IBM), "-f", fmt, "--cache-dir", str(tmp_path), stdout=full
        )
    assert done.returncode == 1
    assert done.stderr == "hnterm dump: cannot write to stdout: No space left on device\n"


@pytest.mark.skipif(not FULL_DISK.exists(), reason="no /dev/full")
def test_dump_output_file_on_a_full_disk(tmp_path: Path) -> None:
    """``-o /dev/full``: a device is written in place (never renamed over), and fails."""
    cached_ibm(tmp_path)
    done = hnterm("dump", "--offline", str(IBM), "-o", str(FULL_DISK), "--cache-dir", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr == "hnterm dump: cannot write /dev/full: No space left on device\n"
    assert FULL_DISK.is_char_device()


def test_dump_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """``hnterm dump ... | head -c 100``: the reader leaves early; no traceback, exit 0."""
    cached_ibm(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HNTERM_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hnterm",
            "dump",
            "--offline",
            str(IBM),
            "--cache-dir",
            str(tmp_path),
        ],
        cwd=ROOT_DIR,
        env={**env, "PYTHONPATH": str(ROOT_DIR)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(b"{")
    process.stdout.close()  # the 250 KB dump is far bigger than the pipe's buffer
    err = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert err == b""


def test_dump_to_dev_stdout_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """``hnterm dump ... -o /dev/stdout | head -c 100``: as without ``-o`` (before: "cannot
    write /dev/stdout: Broken pipe", exit 1)."""
    cached_ibm(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HNTERM_")}
    reader, writer = os.pipe()
    with os.fdopen(reader, "rb") as pipe_out, os.fdopen(writer, "wb") as pipe_in:
        process = subprocess.Popen(
            [sys.executable, "-m", "hnterm", "dump", "--offline", str(IBM), "-o", "/dev/stdout",
             "--cache-dir", str(tmp_path)],
            cwd=ROOT_DIR,
            env={**env, "PYTHONPATH": str(ROOT_DIR)},
            stdout=pipe_in,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        pipe_in.close()  # the child holds the only writer
        assert pipe_out.read(100).startswith(b"{")
    # the reader is gone; the 250 KB dump is far bigger than the pipe's buffer
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (0, b"")


def test_dump_output_file_is_replaced_whole(tmp_path: Path) -> None:
    """``-o FILE`` over an old dump: the new one, the old file's mode, no temporary left."""
    cached_ibm(tmp_path / "cache")
    out = tmp_path / "out" / "ibm.json"
    out.parent.mkdir()
    out.write_text("old dump\n")
    out.chmod(0o640)
    done = hnterm(
        "dump", "--offline", str(IBM), "-o", str(out), "--cache-dir", str(tmp_path / "cache")
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["root"] == IBM
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in out.parent.iterdir()] == ["ibm.json"]


def _file_size_limit(limit: int) -> None:
    """In the child: files may not grow past ``limit`` bytes (EFBIG, as on a full disk);
    SIGXFSZ ignored so the write fails instead of killing the process. Applies to root."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_failed_output_write_leaves_the_old_file_whole(tmp_path: Path) -> None:
    """The write dies at 64 KB of the 250 KB dump (a file size limit, which binds root too,
    unlike permissions; the cache only reads, its 32 KB WAL index fits): the old dump is
    untouched, no temporary is left, and one line says why (before: the old file was emptied
    first and left cut off)."""
    cached_ibm(tmp_path / "cache")
    out = tmp_path / "out" / "ibm.json"
    out.parent.mkdir()
    old = '{"root": 1, "the": "previous, good dump"}\n' * 200
    out.write_text(old)
    done = hnterm(
        "dump", "--offline", str(IBM), "-o", str(out), "--cache-dir", str(tmp_path / "cache"),
        preexec_fn=lambda: _file_size_limit(64 * 1024),
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == (
        f"hnterm dump: cannot write {out}: File too large; the old file is unchanged\n"
    )
    assert out.read_text() == old
    assert [p.name for p in out.parent.iterdir()] == ["ibm.json"]


def test_dump_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    cached_ibm(tmp_path / "cache")
    out = tmp_path / "missing" / "ibm.json"
    done = hnterm(
        "dump", "--offline", str(IBM), "-o", str(out), "--cache-dir", str(tmp_path / "cache")
    )
    assert done.returncode == 1
    assert done.stderr == f"hnterm dump: cannot write {out}: No such file or directory\n"
