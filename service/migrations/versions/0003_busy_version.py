"""Busy version: a token the calendar sync renews so slot search can cache busy time.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('supervisor_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('busy_version', sa.Uuid(), nullable=True))


def downgrade():
    with op.batch_alter_table('supervisor_profile', schema=None) as batch_op:
        batch_op.drop_column('busy_version')
