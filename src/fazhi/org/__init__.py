"""The organisation held in memory: units with their duty rules and place names
(`directory`), addresses to places (`gazetteer`) and coordinates to grids (`locate`).

Read on every request and reloaded together when an admin changes any of them; every case
type uses them (placing a case on its grid, choosing a lead unit), so they sit below the
actions."""
