"""Where hnterm keeps its files: platformdirs, overridable for tests and portable installs.

The cache holds unsent reply drafts and what was read, so what hnterm creates there is for
its user alone: folders 0700, files 0600, whatever the umask.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

from platformdirs import user_cache_path

CACHE_ENV = "HNTERM_CACHE_DIR"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def cache_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The cache folder: ``--cache-dir``, else ``$HNTERM_CACHE_DIR``, else the platform's."""
    chosen = override or os.environ.get(CACHE_ENV)
    return Path(chosen).expanduser() if chosen else user_cache_path("hnterm", appauthor=False)


def make_private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents as 0700 folders. ``mkdir -p`` gives parents
    the umask's mode and a umask can take bits from 0700, hence one level at a time and a
    ``chmod``; folders that exist already are left as their owner set them."""
    missing: list[Path] = []
    current = path
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:  # made meanwhile by another process (or not a folder:
            continue  # the next step, or the caller's open, says so)
        with suppress(OSError):  # a file system without modes: the folder is there
            os.chmod(folder, PRIVATE_DIR)
