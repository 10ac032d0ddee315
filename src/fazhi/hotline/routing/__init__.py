"""Routing intelligence for hotline orders: the dispatch suggestion model (text → ranked
categories), its use with the duty list and the gazetteer, and the scoring of repeat calls
and likely duplicates (pure)."""
