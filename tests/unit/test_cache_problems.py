"""A cache that cannot be written or is damaged: a read-only folder is read and refuses
writes, a damaged file is moved aside, and each command says so once (issue 12)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hnterm.__main__ import main as hnterm_main
from hnterm.storage.cache import DB_NAME, Cache

from tests.data import IBM
from tests.headless import IBM_ITEMS, ROOT_DIR, cached_ibm
from tests.hostile import (
    can_mount_read_only,
    read_only_command,
)

needs_namespaces = pytest.mark.skipif(
    not can_mount_read_only(), reason="needs unshare and user namespaces for a read-only mount"
)


OPEN_READ_ONLY = """
import json, sys
from pathlib import Path
from hnterm.storage.cache import Cache, CacheError
cache = Cache(Path(sys.argv[1]))
out = {"problem": cache.problem, "read_only": cache.read_only, "path": str(cache.path)}
out["thread"] = len(cache.thread(int(sys.argv[2])))
out["hits"] = len(cache.search("mainframe"))
try:
    cache.put_list("top", [1])
    out["write"] = "done"
except CacheError as exc:
    out["write"] = str(exc)
cache.close()
print(json.dumps(out))
"""


@needs_namespaces
@pytest.mark.parametrize("clean", [True, False], ids=["closed", "mid-wal"])
def test_a_read_only_cache_is_read_and_refuses_writes(tmp_path: Path, clean: bool) -> None:
    """In a read-only folder (a read-only mount: root cannot write it either) the cache is
    opened read-only: the thread and search work, a write raises CacheError with the reason,
    and ``problem`` says writes are off (before: 'cache unavailable', an empty cache)."""
    folder = cached_ibm(tmp_path / "cache", clean=clean)
    done = subprocess.run(
        read_only_command(folder, [sys.executable, "-c", OPEN_READ_ONLY, str(folder), str(IBM)]),
        cwd=ROOT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["read_only"] is True and out["path"] == str(folder / DB_NAME)
    assert out["thread"] == len(IBM_ITEMS) and out["hits"] > 0
    assert out["write"] == "the cache is read-only"
    assert "read-only" in out["problem"] and "\n" not in out["problem"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_folder_by_permissions(tmp_path: Path) -> None:
    folder = cached_ibm(tmp_path / "cache")
    (folder / DB_NAME).chmod(0o444)
    folder.chmod(0o555)
    try:
        cache = Cache(folder)
        try:
            assert cache.read_only and cache.problem and "read-only" in cache.problem
            assert len(cache.thread(IBM)) == len(IBM_ITEMS)
        finally:
            cache.close()
    finally:
        folder.chmod(0o755)


@needs_namespaces
def test_commands_on_a_read_only_folder(tmp_path: Path) -> None:
    """``dump --offline`` prints the cached thread, ``search`` finds, ``cache`` counts, and
    ``cache clear`` is refused; each says once that the cache is read-only."""
    folder = cached_ibm(tmp_path / "cache")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "hnterm", *args, "--cache-dir", str(folder)]
        return subprocess.run(
            read_only_command(folder, argv),
            cwd=ROOT_DIR,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    dump = run("dump", "--offline", str(IBM))
    assert dump.returncode == 0, dump.stderr
    assert len(json.loads(dump.stdout)["items"]) == len(IBM_ITEMS)
    search = run("search", "mainframe")
    assert search.returncode == 0 and search.stdout.strip() and search.stdout != "no matches\n"
    stats = run("cache")
    assert stats.returncode == 0 and f"items    {len(IBM_ITEMS)}" in stats.stdout
    clear = run("cache", "clear")
    assert clear.returncode == 1
    assert "hnterm cache clear: not done: the cache is read-only" in clear.stderr
    for done in (dump, search, stats, clear):
        assert done.stderr.count("is read-only: reading it") == 1, done.stderr
        assert "Traceback" not in done.stderr
    cache = Cache(folder)  # nothing was lost
    try:
        assert len(cache.thread(IBM)) == len(IBM_ITEMS)
    finally:
        cache.close()


# -- 6b. every cache problem said once -------------------------------------------------------


@pytest.mark.parametrize("command", ["search", "cache"])
def test_a_damaged_cache_is_reported_once(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database, just garbage " * 200)
    if command == "search":
        code = hnterm_main(["search", "anything", "--cache-dir", str(tmp_path)])
    else:
        code = hnterm_main(["cache", "--cache-dir", str(tmp_path)])
    assert code == 0
    err = capsys.readouterr().err
    assert err.count("the cache file was damaged") == 1
    assert err.startswith(f"hnterm {command}: the cache file was damaged; it was moved to ")
    assert err.count("\n") == 1
    assert list(tmp_path.glob(f"{DB_NAME}.corrupt-*"))
