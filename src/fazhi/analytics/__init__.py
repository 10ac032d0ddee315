"""Read-only figures over the case tables: rollups, KPIs, hotspots and trends."""
