"""Busy weeks: the version of a supervisor's busy time per week, so a search reads
again only the weeks a calendar sync changed; the per-supervisor busy version goes.
Busy rows longer than 28 days are cut into pieces of at most 28 days, so a range
query bounds a row's start from below (service.domain.intervals.LONGEST_STORED).

Revision ID: 0011_busy_weeks
Revises: 0010_schedule
Create Date: 2026-12-06 03:00:00.000000
"""

import datetime as dt
import uuid

from alembic import op
import sqlalchemy as sa

revision = '0011_busy_weeks'
down_revision = '0010_schedule'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "busy_week",
        sa.Column("supervisor_id", sa.Uuid(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("version", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["supervisor_profile.id"],
            name=op.f("fk_busy_week_supervisor_id_supervisor_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("supervisor_id", "week", name=op.f("pk_busy_week")),
    )
    op.drop_column("supervisor_profile", "busy_version")
    _cut_long_rows("busy_interval", "supervisor_id", "remote_object_id")
    _cut_long_rows("room_busy_interval", "room_id", "fetched_at")


# The rule as it stood when this migration was written (a migration never follows the code).
LONGEST = dt.timedelta(days=28)


def _cut_long_rows(name: str, *kept: str) -> None:
    table = sa.table(
        name,
        sa.column("id", sa.Uuid()),
        sa.column("starts_at", sa.DateTime(timezone=True)),
        sa.column("ends_at", sa.DateTime(timezone=True)),
        *(sa.column(column) for column in kept),
    )
    bind = op.get_bind()
    long_rows = [
        row
        for row in bind.execute(sa.select(table)).mappings()
        if row["ends_at"] - row["starts_at"] > LONGEST
    ]
    for row in long_rows:
        pieces, start = [], row["starts_at"]
        while start < row["ends_at"]:
            end = min(start + LONGEST, row["ends_at"])
            pieces.append({**row, "id": uuid.uuid4(), "starts_at": start, "ends_at": end})
            start = end
        bind.execute(sa.insert(table), pieces)
        bind.execute(sa.delete(table).where(table.c.id == row["id"]))


def downgrade():
    op.add_column("supervisor_profile", sa.Column("busy_version", sa.Uuid(), nullable=True))
    op.drop_table("busy_week")
