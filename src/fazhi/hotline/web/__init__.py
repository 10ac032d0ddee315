"""The hotline's console pages (intake, dispatch form helpers, similar orders and merging,
grid-worker reports, supervision board, statistics, map, 难点) with their templates and
static files."""
