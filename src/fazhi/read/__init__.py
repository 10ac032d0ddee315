"""The read side: how cases look to a user (presenters, with personal data masked by role),
the case lists over indexed columns, one case with its clocks and units, and exports.

Reads never change a case; they sit above the actions (whose visibility rule they apply)
and below the API and the console, which both show cases through them."""
