"""``hnterm drafts``: the replies written but not (yet) taken by HN, kept in the cache."""

from __future__ import annotations

import argparse
import time

from hnterm.config import Config
from hnterm.model.format import age
from hnterm.render.text import sanitize
from hnterm.storage.cache import DB_NAME, Cache


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "List reply drafts. Each is offered again when that comment's reply is opened (e)."
    )


def run(args: argparse.Namespace, config: Config) -> int:
    directory = config.cache_dir
    if directory is None or not (directory / DB_NAME).exists():
        print("No drafts")
        return 0
    cache = Cache(directory)
    try:
        drafts = cache.drafts()
    finally:
        cache.close()
    if not drafts:
        print("No drafts")
        return 0
    now = time.time()
    several = len({draft.account for draft in drafts}) > 1  # then each says whose it is
    for draft in drafts:
        first = " ".join(sanitize(draft.text).split())
        first = first if len(first) <= 60 else first[:59] + "…"
        note = f"  (last try: {sanitize(draft.error)})" if draft.error else ""
        by = f" as {draft.account or '(no account)'}" if several else ""
        print(
            f"reply to {draft.parent} in {draft.root}{by} · {age(int(draft.updated), now)}: "
            f"{first}{note}"
        )
    return 0
