"""Headless subcommands of ``hnterm``: each module has ``main(argv) -> int``."""

from __future__ import annotations

import argparse


def parse_args(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | int:
    """Parsed arguments, or the exit code argparse wanted (0 after --help, 2 on a usage
    error): subcommands return their code to ``hnterm`` instead of exiting under it."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
