"""A fake Hacker News Firebase API server (real HTTP) and a synthetic thread generator."""

from tests.fakehn.generate import generate_thread, thread_stats
from tests.fakehn.server import FIXTURES_DIR, FakeHN, Fault, derive_lists, fixture_names

__all__ = [
    "FIXTURES_DIR",
    "FakeHN",
    "Fault",
    "derive_lists",
    "fixture_names",
    "generate_thread",
    "thread_stats",
]
