"""Erasure requests: a person asks for their data to be erased; one open request each.

Revision ID: 0005_client
Revises: 0004_hooks
Create Date: 2026-11-21 07:47:37.181235

"""
from alembic import op
import sqlalchemy as sa

import service.models.base


# revision identifiers, used by Alembic.
revision = '0005_client'
down_revision = '0004_hooks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('erasure_request',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('requested_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('handled_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_erasure_request_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_request'))
    )
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.create_index('ux_erasure_request_open', ['person_id'], unique=True, sqlite_where=sa.text('handled_at IS NULL'), postgresql_where=sa.text('handled_at IS NULL'))



def downgrade():
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.drop_index('ux_erasure_request_open', sqlite_where=sa.text('handled_at IS NULL'), postgresql_where=sa.text('handled_at IS NULL'))

    op.drop_table('erasure_request')
