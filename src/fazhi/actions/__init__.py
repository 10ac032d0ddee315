"""Every change to the platform's records: check, then do, in one transaction (DESIGN.md §2)."""
