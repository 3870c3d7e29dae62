from tests.fakeweb.server import FakeWeb

__all__ = ["FakeWeb"]
