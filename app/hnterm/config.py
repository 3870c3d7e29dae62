"""Run-time settings, from the command line and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hnterm.hn.client import DEFAULT_API_URL
from hnterm.storage.paths import cache_dir

API_ENV = "HNTERM_API_URL"
CACHE_MAX_ENV = "HNTERM_CACHE_MAX_MB"
DEADLINE_ENV = "HNTERM_REQUEST_DEADLINE"
DEFAULT_DEADLINE = 30.0  # seconds one request may take in all (connect, headers, body)
DEFAULT_CACHE_MAX_MB = 500  # pruned to on startup; 0 turns the cap off; saved threads stay


@dataclass(frozen=True)
class Config:
    """What the app needs to know before it starts."""

    api_url: str = DEFAULT_API_URL
    cache_dir: Path | None = None
    offline: bool = False
    item: int | None = None
    cache_max_mb: int = DEFAULT_CACHE_MAX_MB
    deadline: float = DEFAULT_DEADLINE

    @property
    def cache_max_bytes(self) -> int | None:
        """The cache size cap in bytes, or None when there is none (``0``)."""
        return self.cache_max_mb * 1024 * 1024 if self.cache_max_mb > 0 else None

    @classmethod
    def build(
        cls,
        *,
        api_url: str | None = None,
        cache: str | None = None,
        offline: bool = False,
        item: int | None = None,
        cache_max_mb: int | None = None,
    ) -> Config:
        """Flags win over environment variables, which win over defaults."""
        return cls(
            api_url=api_url or os.environ.get(API_ENV) or DEFAULT_API_URL,
            cache_dir=cache_dir(cache),
            offline=offline,
            item=item,
            cache_max_mb=cache_max_mb if cache_max_mb is not None else env_cache_max_mb(),
            deadline=env_deadline(),
        )


def env_cache_max_mb() -> int:
    """``$HNTERM_CACHE_MAX_MB`` (a whole number of MiB; 0 = no cap), else the default.

    A value that is not a number is ignored rather than stopping the app.
    """
    value = os.environ.get(CACHE_MAX_ENV, "").strip()
    return int(value) if value.isdigit() else DEFAULT_CACHE_MAX_MB


def env_deadline() -> float:
    """``$HNTERM_REQUEST_DEADLINE`` (seconds, > 0), else the default; nonsense is ignored."""
    try:
        value = float(os.environ.get(DEADLINE_ENV, ""))
    except ValueError:
        return DEFAULT_DEADLINE
    return value if 0 < value < 3600 else DEFAULT_DEADLINE
