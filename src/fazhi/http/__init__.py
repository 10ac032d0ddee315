"""Request plumbing shared by the JSON API and the console: the platform of the app, the
signed-in actor, one transaction per request, and SQLite's group commit for writes."""
