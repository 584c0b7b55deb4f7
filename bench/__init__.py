"""Benchmarks (``python -m bench``); not part of the installed app."""
