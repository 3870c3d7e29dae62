"""hnterm without its UI, as the command-line tests drive it: a command run as a process of
its own (exit status, stdout and stderr are what is tested), a thread load in this process,
and a cache holding a real thread, closed or as a killed process leaves it."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import aclosing
from pathlib import Path
from typing import Any

from hnterm.net.client import HNClient
from hnterm.services.source import Source, ThreadUpdate
from hnterm.storage.cache import DB_NAME, Cache
from hnterm.storage.worker import CacheWorker

from tests.data import IBM, fixture_items
from tests.fakehn import FakeHN

ROOT_DIR = Path(__file__).resolve().parents[1]
IBM_ITEMS = fixture_items("unlurker-43727727-ibm-rto")


def hnterm(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """``python -m hnterm ARGS`` as a user runs it (no HNTERM_ variables unless given)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("HNTERM_")}
    return subprocess.run(
        [sys.executable, "-m", "hnterm", *args],
        cwd=ROOT_DIR,
        env={**base, "PYTHONPATH": str(ROOT_DIR), **(env or {})},
        capture_output="stdout" not in kw,
        stderr=subprocess.PIPE if "stdout" in kw else None,
        text=True,
        timeout=timeout,
        check=False,
        **kw,
    )


async def load(server: FakeHN, root: int, cache: Path, **client: Any) -> list[ThreadUpdate]:
    """Every update of a headless thread load (``Source.thread``, as the app and dump do)."""
    worker = CacheWorker(cache)
    source = Source(HNClient(server.url, **client), worker)
    try:
        async with aclosing(source.thread(root)) as updates:
            return [update async for update in updates]
    finally:
        assert source.client is not None
        await source.client.aclose()
        await worker.aclose()


KILLED_MID_WAL = """
import os, sys
from pathlib import Path
from hnterm.storage.cache import Cache
from tests.data import IBM, fixture_items
cache = Cache(Path(sys.argv[1]))
cache.db.execute("PRAGMA wal_autocheckpoint=0")
cache.put_items(fixture_items("unlurker-43727727-ibm-rto").values(), IBM)
os._exit(0)
"""


def cached_ibm(folder: Path, *, clean: bool = True) -> Path:
    """A cache in ``folder`` holding the IBM thread (353 items): closed, or as a killed
    process leaves it, with the thread only in the -wal file beside it."""
    if clean:
        cache = Cache(folder)
        cache.put_items(IBM_ITEMS.values(), IBM)
        cache.close()
    else:
        subprocess.run(
            [sys.executable, "-c", KILLED_MID_WAL, str(folder)], cwd=ROOT_DIR, check=True
        )
        assert (folder / f"{DB_NAME}-wal").stat().st_size > 100_000
    return folder
