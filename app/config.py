"""Run-time settings, from the command line and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.hn.client import DEFAULT_API_URL
from app.storage.paths import cache_dir

API_ENV = "HNTERM_API_URL"


@dataclass(frozen=True)
class Config:
    """What the app needs to know before it starts."""

    api_url: str = DEFAULT_API_URL
    cache_dir: Path | None = None
    offline: bool = False
    item: int | None = None

    @classmethod
    def build(
        cls,
        *,
        api_url: str | None = None,
        cache: str | None = None,
        offline: bool = False,
        item: int | None = None,
    ) -> Config:
        """Flags win over environment variables, which win over defaults."""
        return cls(
            api_url=api_url or os.environ.get(API_ENV) or DEFAULT_API_URL,
            cache_dir=cache_dir(cache),
            offline=offline,
            item=item,
        )
