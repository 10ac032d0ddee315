"""Legality review (合法性审查), major administrative decisions (重大行政决策) and rule-of-law
inspections (法治督查): three case types that are data (catalog/case_types/), the numbered
records their type files cannot keep (hooks.py), and the read side the annual report cites."""
