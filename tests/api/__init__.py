"""The REST API under /api/v1, run against SQLite and PostgreSQL."""
