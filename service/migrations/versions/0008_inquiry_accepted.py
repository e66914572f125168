"""When the supervisor accepted an inquiry (declining ends the process instead).

Revision ID: 0008_inquiry_accepted
Revises: 0007_public_profile
Create Date: 2026-12-06 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import service.models.base

# revision identifiers, used by Alembic.
revision = '0008_inquiry_accepted'
down_revision = '0007_public_profile'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('accepted_at', service.models.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.drop_column('accepted_at')
