"""The errors every layer may meet, each message written for the user.

They live in the model so the layers above the network and the cache (the services, the UI)
can catch them without importing either: ``hnterm.net`` and ``hnterm.storage`` raise them.
"""

from __future__ import annotations


class HNError(Exception):
    """A request that failed for good; the message is written for the user."""


class NetworkError(HNError):
    """The API could not be reached at all (offline, DNS, refused)."""


class WebError(HNError):
    """An action on HN that did not happen; the message is one sentence for the user."""


class CacheError(Exception):
    """A cache write that did not happen; the message is the reason, for the user."""
