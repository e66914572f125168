"""Calendars: what could not be read in them, which can receive sessions, and which are
asked for their changes rather than a time range at booking time.

Revision ID: 0009_calendars
Revises: 0008_inquiry_accepted
Create Date: 2026-12-06 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0009_calendars'
down_revision = '0008_inquiry_accepted'
branch_labels = None
depends_on = None

REASONS = (
    'bad_date', 'bad_duration', 'bad_rule', 'too_frequent', 'no_start', 'not_icalendar', 'other'
)


def upgrade():
    with op.batch_alter_table('connected_calendar', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('writable', sa.Boolean(), server_default=sa.text('true'), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                'live_from_changes', sa.Boolean(), server_default=sa.text('false'), nullable=False
            )
        )
    with op.batch_alter_table('remote_object', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'unreadable',
                sa.Enum(*REASONS, name='unreadablereason', native_enum=False, length=32),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column('summary_encrypted', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('remote_object', schema=None) as batch_op:
        batch_op.drop_column('summary_encrypted')
        batch_op.drop_column('unreadable')
    with op.batch_alter_table('connected_calendar', schema=None) as batch_op:
        batch_op.drop_column('live_from_changes')
        batch_op.drop_column('writable')
