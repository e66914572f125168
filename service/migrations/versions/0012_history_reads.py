"""Reads that do not grow with history: an index on a calendar's unreadable objects
(counted on the supervisor's pages, a handful among thousands of objects), and one on
the unconfirmed holds by when they lapse (looked for at every booking and search).

Revision ID: 0012_history_reads
Revises: 0011_busy_weeks
Create Date: 2026-12-06 07:10:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0012_history_reads'
down_revision = '0011_busy_weeks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_remote_object_unreadable",
        "remote_object",
        ["calendar_id"],
        unique=False,
        sqlite_where=sa.text("unreadable IS NOT NULL"),
        postgresql_where=sa.text("unreadable IS NOT NULL"),
    )
    op.create_index(
        "ix_supervisor_hold_expiring",
        "supervisor_hold",
        ["supervisor_id", "expires_at"],
        unique=False,
        sqlite_where=sa.text("expires_at IS NOT NULL"),
        postgresql_where=sa.text("expires_at IS NOT NULL"),
    )


def downgrade():
    op.drop_index("ix_supervisor_hold_expiring", table_name="supervisor_hold")
    op.drop_index("ix_remote_object_unreadable", table_name="remote_object")
