"""How the cache keeps the comments a reader has seen (the values: ``hnterm.model.readstate``).

Seen ids are kept as one compact blob per story (sorted, delta-encoded, zlib-compressed: a
3,000-comment thread is a few kilobytes), so reading or writing a story's state is one row,
not thousands.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from collections.abc import Iterable
from itertools import accumulate

_FORMAT = b"\x01"  # blob format version, so the encoding can change without a migration


def encode_ids(ids: Iterable[int]) -> bytes:
    """A compact blob of distinct positive ids (order is not kept)."""
    ordered = sorted({i for i in ids if i > 0})
    deltas = array("Q", (b - a for a, b in zip([0, *ordered], ordered, strict=False)))
    if sys.byteorder == "big":
        deltas.byteswap()
    return _FORMAT + zlib.compress(deltas.tobytes(), 6)


def decode_ids(blob: bytes | None) -> frozenset[int]:
    """The ids of a blob from encode_ids; anything unreadable decodes to no ids, not an error."""
    if not blob or blob[:1] != _FORMAT:
        return frozenset()
    try:
        raw = zlib.decompress(blob[1:])
    except zlib.error:
        return frozenset()
    deltas = array("Q")
    deltas.frombytes(raw[: len(raw) - len(raw) % deltas.itemsize])
    if sys.byteorder == "big":
        deltas.byteswap()
    return frozenset(accumulate(deltas))
