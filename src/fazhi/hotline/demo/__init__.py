"""Synthetic 12345 orders for the demo deployment (all data synthetic)."""
