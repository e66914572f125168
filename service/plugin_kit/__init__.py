"""What plugins share: the one module besides `service.backends` and `service.hookspecs`
a plugin imports from the core (an import-linter contract in `make test` keeps it so).

- `calendar_objects`: reading the busy time a calendar object covers (recurrences,
  all-day and floating times, free and cancelled events), and the object Ohjaamo
  writes for a session (the same VEVENT its invitations and feeds carry).
- `caldav`: a CalDAV client that connects only where the outward policy allows, and
  the WebDAV requests the caldav library has no call for.
- `caldav_errors`: the caldav library's failures told in plain words.
"""
