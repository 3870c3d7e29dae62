"""The wheel, built once per test run and installed into a fresh virtualenv, as pipx and
``uv tool install`` do: every worker of the run shares that one install (a file lock in the
run's shared temporary folder), so four workers do not build it four times."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL_LIMIT = 240  # seconds for building and installing (a cold pip cache downloads ~130 MB)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "wheel: builds and installs the wheel (~20-40 s once per run); runs by default"
    )


@dataclass(frozen=True)
class Installed:
    """The built wheel and the virtualenv it was installed into (nothing of the checkout)."""

    wheel: Path
    venv: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def hnterm(self) -> Path:
        return self.venv / "bin" / "hnterm"


def outside_env(home: Path) -> dict[str, str]:
    """The environment with nothing that points into the checkout or its virtualenv, and
    ``home`` for the home and config folders (no test reads the developer's own)."""
    dropped = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP")
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("HNTERM_")}
    return {**env, "HOME": str(home), "HNTERM_CONFIG_DIR": str(home / "config")}


def pip(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],
        capture_output=True,
        text=True,
        timeout=INSTALL_LIMIT,
        check=False,
    )
    assert done.returncode == 0, f"pip {' '.join(args)}:\n{done.stdout}\n{done.stderr}"


@contextmanager
def locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def build_and_install(folder: Path) -> Installed:
    """``pip wheel .`` (the [build-system] backend, in pip's isolated build env), then a
    fresh venv and ``pip install`` of the wheel with its declared dependencies from the index."""
    dist = folder / "dist"
    pip("wheel", "--no-deps", "--wheel-dir", str(dist), str(ROOT))
    (wheel,) = dist.glob("hnterm-*.whl")
    venv = folder / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60
    )
    pip("--python", str(venv / "bin" / "python"), "install", str(wheel))
    return Installed(wheel, venv)


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Installed:
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent  # one folder per run, all workers
    folder = shared / "wheel-install"
    with locked(shared / "wheel-install.lock"):
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed try left
            folder.mkdir()
            result = build_and_install(folder)
            (folder / "done").write_text(str(result.wheel))
    return Installed(Path((folder / "done").read_text()), folder / "venv")
