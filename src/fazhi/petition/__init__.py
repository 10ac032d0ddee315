"""Petitions (信访) and the disclosure requests\x27 yearly report: the type package."""
