"""The public page's price of a session and the supervisor's photo.

Revision ID: 0007_public_profile
Revises: 0006_supervisor
Create Date: 2026-12-06 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0007_public_profile'
down_revision = '0006_supervisor'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('supervisor_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_price_cents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('photo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('photo_type', sa.String(length=16), nullable=True))
        batch_op.create_check_constraint(op.f('ck_supervisor_profile_session_price'), 'session_price_cents >= 0')


def downgrade():
    with op.batch_alter_table('supervisor_profile', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_supervisor_profile_session_price'), type_='check')
        batch_op.drop_column('photo_type')
        batch_op.drop_column('photo')
        batch_op.drop_column('session_price_cents')
