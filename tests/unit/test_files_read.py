"""Files hnterm reads and makes (issue 21): the config, theme files and the session are read
only if they are regular files under a size cap (a FIFO, a device, a folder or a 30 MB file
is refused in one line, at once), the session only if it is the user's alone; what hnterm
creates for the session is 0700 and 0600 whatever the umask. Commands run as processes with
a short timeout, so a read that blocks fails the test instead of hanging it.
"""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hnterm.storage.cache import Cache
from hnterm.storage.files import FileRefused, read_text
from hnterm.storage.session import SessionStore

from tests.data import IBM, fixture_items

ROOT = Path(__file__).resolve().parents[2]
PROMPT = 10  # seconds: a command that reads a refused file ends in about one
COOKIE = "alice&0123456789abcdef"
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def hnterm(*args: str, env: dict[str, str], **kw: Any) -> subprocess.CompletedProcess[str]:
    """``python -m hnterm ARGS`` with no HNTERM_ variables but those given."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("HNTERM_")}
    return subprocess.run(
        [sys.executable, "-m", "hnterm", *args],
        cwd=ROOT,
        env={**base, "PYTHONPATH": str(ROOT), **env},
        stdout=kw.pop("stdout", subprocess.PIPE),
        stderr=subprocess.PIPE,
        text=True,
        timeout=PROMPT,
        check=False,
        **kw,
    )


def config_with_theme(tmp_path: Path, theme_file: Path | str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[themes.mine]\nfile = "{theme_file}"\n', encoding="utf-8")
    return path


def _memory_cap() -> None:
    """In the child: 1 GB of address space, so a read without a cap fails instead of taking
    all of the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_a_fifo_config_is_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    done = hnterm("config", env={"HNTERM_CONFIG": str(fifo)})
    assert done.returncode == 0
    assert done.stderr == (
        f"hnterm: config file {fifo} is a FIFO, not a regular file; using defaults\n"
    )
    assert "a FIFO, not a regular file: every setting has its default" in done.stdout


def test_a_fifo_session_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "session")
    done = hnterm("whoami", "--offline", env={"HNTERM_CONFIG_DIR": str(tmp_path), **NO_KEYRING})
    assert done.returncode == 1
    assert f"session file {tmp_path / 'session'} is a FIFO, not a regular file" in done.stderr


def test_a_dev_zero_theme_is_refused_not_read(tmp_path):
    config = config_with_theme(tmp_path, "/dev/zero")
    done = hnterm("config", env={"HNTERM_CONFIG": str(config)}, preexec_fn=_memory_cap)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        f"hnterm: config file {config}: line 1, themes.mine: theme file /dev/zero is a "
        "character device, not a regular file; ignored\n"
    )


def test_a_30_mb_theme_is_refused_by_its_size(tmp_path):
    big = tmp_path / "big-theme.toml"
    with big.open("wb") as handle:  # sparse: 30 MB to stat, nothing on the disk
        handle.truncate(30 * 1024 * 1024)
    config = config_with_theme(tmp_path, big.name)  # relative to the config file
    done = hnterm("config", env={"HNTERM_CONFIG": str(config)}, preexec_fn=_memory_cap)
    assert done.returncode == 0, done.stderr
    assert f"theme file {big} is larger than 1 MB (30 MB); ignored" in done.stderr


def test_a_folder_as_config_path_is_called_a_folder(tmp_path):
    folder = tmp_path / "conf.d"
    folder.mkdir()
    done = hnterm("config", env={"HNTERM_CONFIG": str(folder)})
    assert done.returncode == 0
    assert done.stderr == (
        f"hnterm: config file {folder} is a folder, not a regular file; using defaults\n"
    )
    first = done.stdout.splitlines()[0]
    assert first == (
        f"# config file: {folder}  (is a folder, not a regular file: every setting has its default)"
    )


def test_reading_stops_at_the_cap(tmp_path):
    """A file that passes the size check but is read past the cap (it grew) is refused: no
    more than cap + 1 bytes are ever taken; a file within the cap reads whole."""
    path = tmp_path / "small.toml"
    path.write_text("x = 1\n", encoding="utf-8")
    assert read_text(path, limit=6) == "x = 1\n"
    with pytest.raises(FileRefused, match="is larger than 5 bytes"):
        read_text(path, limit=5)
    with pytest.raises(FileNotFoundError):
        read_text(tmp_path / "absent.toml")


def test_the_session_is_kept_in_a_0700_folder_and_a_0600_file_under_umask_022(tmp_path):
    folder = tmp_path / "new" / "hnterm"
    script = (
        "import os, sys; from pathlib import Path; os.umask(0o022);"
        "from hnterm.storage.session import SessionStore;"
        "print(SessionStore(Path(sys.argv[1])).save(sys.argv[2]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder), COOKIE],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **NO_KEYRING},
        capture_output=True,
        text=True,
        timeout=PROMPT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700  # made by hnterm too
    assert stat.S_IMODE((folder / "session").stat().st_mode) == 0o600


def test_a_session_file_open_to_others_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", NO_KEYRING["PYTHON_KEYRING_BACKEND"])
    path = tmp_path / "session"
    path.write_text(COOKIE, encoding="utf-8")
    path.chmod(0o644)
    store = SessionStore(tmp_path)
    assert store.load() is None
    assert store.problem == (
        f"session file {path} is open to other users (mode 0644); not used: chmod 600 it"
    )
    path.chmod(0o600)
    assert store.load() == COOKIE and store.problem is None


def test_a_session_file_that_is_a_symlink_is_not_followed(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", NO_KEYRING["PYTHON_KEYRING_BACKEND"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text(COOKIE, encoding="utf-8")
    elsewhere.chmod(0o600)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "session").symlink_to(elsewhere)
    store = SessionStore(tmp_path / "config")
    assert store.load() is None
    assert store.problem is not None and "is a symbolic link; not followed" in store.problem


def test_dump_to_dev_stdout_into_a_pipe(tmp_path):
    """``hnterm dump ID -o /dev/stdout | jq``: the pipe is written, not replaced (before: a
    temporary file beside /proc/self/fd/pipe:[N] could not be made)."""
    cache = Cache(tmp_path / "cache")
    cache.put_items(fixture_items("unlurker-43727727-ibm-rto").values(), IBM)
    cache.close()
    done = hnterm(
        "dump", "--offline", str(IBM), "-o", "/dev/stdout", "--cache-dir", str(tmp_path / "cache"),
        env={},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["root"] == IBM
