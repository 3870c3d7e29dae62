"""Where hnterm keeps its files: platformdirs, overridable for tests and portable installs."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_path

CACHE_ENV = "HNTERM_CACHE_DIR"


def cache_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The cache folder: ``--cache-dir``, else ``$HNTERM_CACHE_DIR``, else the platform's."""
    chosen = override or os.environ.get(CACHE_ENV)
    return Path(chosen).expanduser() if chosen else user_cache_path("hnterm", appauthor=False)
