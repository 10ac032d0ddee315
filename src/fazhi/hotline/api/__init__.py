"""The hotline's HTTP endpoints: Open311 GeoReport v2, transfers, grid-worker reports,
similar orders and merging, the dispatch suggestion, 难点."""
