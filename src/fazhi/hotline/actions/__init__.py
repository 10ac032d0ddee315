"""The hotline's changes, each through the engine's one door: merging duplicates (并单),
transfers from other platforms, imports of work orders, grid-worker reports."""
