"""Busy weeks: the version of a supervisor's busy time per week, so a search reads
again only the weeks a calendar sync changed; the per-supervisor busy version goes.

Revision ID: 0008_busy_weeks
Revises: 0007_schedule
Create Date: 2026-12-06 03:00:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = "0008_busy_weeks"
down_revision = "0007_schedule"
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


def downgrade():
    op.add_column("supervisor_profile", sa.Column("busy_version", sa.Uuid(), nullable=True))
    op.drop_table("busy_week")
