"""Headless subcommands of ``hnterm``: each module has ``main(argv) -> int``."""
