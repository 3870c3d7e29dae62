"""The cache is its user's alone (issue 21, defect 10): it holds unsent reply drafts and what
was read, so the folders hnterm creates are 0700 and the database, its -wal and -shm 0600,
whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hnterm.model.items import Item
from hnterm.storage.cache import DB_NAME, Cache

from tests.saveholder import SaveHolder


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o002, 0o000, 0o277])
def umask(request, tmp_path) -> Iterator[int]:
    """The umask for the test (set once pytest has made ``tmp_path``)."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_new_folders_are_0700_and_the_database_files_0600(tmp_path, umask):
    cache_dir = tmp_path / "home" / ".cache" / "hnterm"  # three folders to make
    cache = Cache(cache_dir)
    cache.put_items([Item(id=1, type="story", title="x")], None)
    files = [cache_dir / name for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm")]
    assert [mode(path) for path in files] == [0o600] * 3
    cache.close()
    made = (cache_dir, cache_dir.parent, cache_dir.parent.parent)
    assert [mode(folder) for folder in made] == [0o700] * 3


def test_the_lock_of_a_save_in_progress_is_private_too(tmp_path, umask):
    holder = SaveHolder.holding(tmp_path / "cache")  # (the process inherits the umask)
    try:
        assert mode(tmp_path / "cache" / "saving") == 0o700
        assert [mode(lock) for lock in (tmp_path / "cache" / "saving").iterdir()] == [0o600]
    finally:
        holder.stop()


def test_a_database_an_older_hnterm_left_readable_is_made_private(tmp_path):
    cache = Cache(tmp_path)
    cache.close()
    (tmp_path / DB_NAME).chmod(0o644)
    tmp_path.chmod(0o755)
    Cache(tmp_path).close()
    assert mode(tmp_path / DB_NAME) == 0o600
    assert mode(tmp_path) == 0o755  # not made by this hnterm: its owner's choice
