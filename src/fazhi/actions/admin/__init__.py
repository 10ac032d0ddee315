"""系统管理: accounts, units, the duty list (default mapping and area rules), the gazetteer,
clock settings and the holiday calendar — one module per area, `common` for what they share.

Each change comes in two halves: `check_*` checks (the actor is an admin, the inputs, the
rules of the tree) and calls `do_*`, which writes inside the caller's transaction and
appends one row to `admin_log`. Caches that the change makes stale — the unit directory, the
case types' limits, the calendar, a user's remembered tokens — are dropped once the
transaction commits.
"""
