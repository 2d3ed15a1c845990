"""Subcommands of `python -m newscrawl`."""
