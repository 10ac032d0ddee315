"""Indicators, imported figures and evaluation schemes as data (pure: no I/O)."""
