"""Another hnterm process in the middle of a save, as the save-ownership tests need one: a real
process that claims the save of a thread on a cache (``Cache.claim_save``) and holds it until
it is told to finish it, its stdin closes, or it is killed (``kill -9``: a save interrupted)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
LESS_SLOW = 43727743  # a story with 96 items
LESS_SLOW_FIXTURE = "unlurker-43727743-less-slow-cpp"

# argv: cache folder, root, mode ("claim"; "resume"; "resume-on-go": say "ready", claim on a
# line of stdin), fixture. Says what the claim got (Claim, Busy or NoneType), then holds it;
# "finish" stores the fixture's thread, keeps it and ends the save, as a completed save would.
_HOLDER = """
import sys
from pathlib import Path
from hnterm.storage.cache import Cache
from tests.data import fixture_items

directory, root, mode, fixture = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
cache = Cache(directory)
if mode == "resume-on-go":
    print("ready", flush=True)
    sys.stdin.readline()
claim = cache.claim_save(root, resume=mode != "claim")
print(type(claim).__name__, flush=True)
for line in sys.stdin:
    if line.strip() == "finish":
        cache.put_items(fixture_items(fixture).values(), root)
        cache.set_thread_refreshed(root)
        cache.save_thread(root)
        cache.end_save(claim, done=True)
        print("finished", flush=True)
"""


class SaveHolder:
    """One such process."""

    def __init__(
        self, cache_dir: Path, root: int = LESS_SLOW, mode: str = "claim", fixture: str = ""
    ) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(cache_dir), str(root), mode, fixture],
            cwd=ROOT_DIR,
            env={**os.environ, "PYTHONPATH": str(ROOT_DIR)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    @classmethod
    def holding(cls, cache_dir: Path, root: int = LESS_SLOW) -> SaveHolder:
        """A live process that has claimed the save of ``root`` (of LESS_SLOW's fixture)."""
        holder = cls(cache_dir, root, fixture=LESS_SLOW_FIXTURE)
        assert holder.line() == "Claim"
        return holder

    @property
    def pid(self) -> int:
        return self.process.pid

    def line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def tell(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        """``kill -9``: the save is left pending, its lock dropped by the kernel."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        self.kill()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
