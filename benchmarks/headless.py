"""One headless thread load in a fresh process: ``python -m benchmarks.headless MODE URL ROOT``.

MODE ``loader`` times ``stream_items`` + ``HNClient`` alone (what the network side can do);
``source`` times ``Source.thread``, the app's own path: client, parsing and the cache (a fresh
SQLite file, written on the cache's thread). A fresh process, so TLS trust comes from the
environment (``SSL_CERT_FILE``) exactly as for a user. Prints one JSON line: wall seconds, CPU
seconds (the whole process, all threads) and items fetched.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from contextlib import aclosing
from pathlib import Path

from hnterm.net.client import HNClient
from hnterm.net.loader import stream_items
from hnterm.services.source import Source
from hnterm.storage.worker import CacheWorker


async def loader(url: str, root: int) -> int:
    async with HNClient(url) as client:
        fetched = 0
        async for batch in stream_items(client.item, [root]):
            if batch.failed:
                raise RuntimeError(f"failed: {batch.failed}")
            fetched = batch.fetched
        return fetched


async def source(url: str, root: int) -> int:
    with tempfile.TemporaryDirectory(prefix="hnterm-headless-") as folder:
        cache = CacheWorker(Path(folder))
        try:
            async with HNClient(url) as client:
                fetched = 0
                async with aclosing(Source(client, cache).thread(root)) as updates:
                    async for update in updates:
                        if update.error:
                            raise RuntimeError(update.error)
                        fetched = update.fetched
                return fetched
        finally:
            await cache.aclose()


MODES = {"loader": loader, "source": source}


def main(argv: list[str]) -> int:
    mode, url, root = argv[0], argv[1], int(argv[2])
    started, cpu = time.perf_counter(), time.process_time()
    fetched = asyncio.run(MODES[mode](url, root))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"wall_s": round(wall, 4), "cpu_s": round(cpu, 4), "items": fetched}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
