"""``hnterm`` and ``python -m hnterm``: see ``hnterm.cli.main``."""

from __future__ import annotations

import sys

from hnterm.cli.main import run


def main(argv: list[str] | None = None) -> int:
    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
