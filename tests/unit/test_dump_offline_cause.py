"""An offline dump says why it cannot read the cache (issue 21, defect 10): under a file size
limit (``ulimit -f``, SIGXFSZ ignored, so writes fail with EFBIG) the cache is read and the
limit named; a cache that cannot be opened at all is not called "not in the cache"."""

from __future__ import annotations

import os
import resource
import signal

from hnterm.model.items import Item
from hnterm.storage.cache import DB_NAME, Cache

from tests.headless import hnterm


def dump_offline(cache_dir, item: str, **kw):
    isolated = {"HNTERM_CONFIG_DIR": os.environ["HNTERM_CONFIG_DIR"]}  # (conftest)
    return hnterm("dump", "--offline", "--cache-dir", str(cache_dir), item, env=isolated, **kw)


def _size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_an_offline_dump_under_a_file_size_limit_reads_the_cache_and_says_why_not_writable(
    tmp_path,
):
    cache = Cache(tmp_path)
    cache.put_items([Item(id=5, type="story", title="kept")], None)
    cache.close()
    # SQLite's index file (-shm) needs 32 KiB: at 1,000 bytes nothing can be written.
    done = dump_offline(tmp_path, "5", preexec_fn=_size_limit(1000))
    assert done.returncode == 0, done.stderr
    assert '"title": "kept"' in done.stdout
    assert "not in the cache" not in done.stderr
    assert done.stderr.strip() == (
        f"hnterm dump: cache: the cache at {tmp_path / DB_NAME} cannot be written "
        "(disk I/O error; the file size limit (ulimit -f) of 1000 bytes is the likely cause): "
        "reading it, but nothing new will be kept"
    )


def test_an_offline_dump_from_a_cache_that_cannot_be_opened_says_so(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = dump_offline(blocker / "cache", "5")
    assert done.returncode == 1
    cache_line, last = done.stderr.strip().splitlines()
    assert cache_line.startswith("hnterm dump: cache: cache unavailable (")
    assert last == "hnterm dump: item 5 could not be read: the cache is unavailable"
