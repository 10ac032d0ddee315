"""Fazhi (法治): the operations platform of a district government's rule-of-law work."""

__version__ = "0.1.0"
