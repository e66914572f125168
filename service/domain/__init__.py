"""Pure rules: no Flask, no SQLAlchemy, `now` passed in."""
