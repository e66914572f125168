"""Initial schema: the whole domain model.

The exclusion constraints that forbid overlapping active holds of one supervisor or
one room exist only on PostgreSQL and are written by hand at the end of upgrade().

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 05:38:53.585464

"""
from alembic import op
import sqlalchemy as sa

import service.models.base
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

NO_OVERLAP = (
    ("supervisor_hold", "supervisor_id", "ex_supervisor_hold_no_overlap"),
    ("room_reservation", "room_id", "ex_room_reservation_no_overlap"),
)


def upgrade():
    op.create_table('idempotency_record',
    sa.Column('principal', sa.String(length=100), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('resource_type', sa.String(length=64), nullable=False),
    sa.Column('resource_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('principal', 'key', name=op.f('pk_idempotency_record'))
    )
    op.create_table('organisation',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('business_id', sa.String(length=16), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('invoicing_address', sa.String(length=500), nullable=False),
    sa.Column('room_system', sa.String(length=64), nullable=False),
    sa.Column('room_system_settings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('room_system_secret_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('rooms_synced_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rooms_sync_error', sa.String(length=1000), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation'))
    )
    op.create_table('outbox_message',
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('state', sa.Enum('pending', 'leased', 'delivered', 'dead', name='outboxstate', native_enum=False, length=32), nullable=False),
    sa.Column('due_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('leased_until', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lease_owner', sa.String(length=100), nullable=True),
    sa.Column('delivered_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_message_idempotency_key'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_due', ['state', 'due_at'], unique=False)

    op.create_table('person',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('erased_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('email', name=op.f('uq_person_email'))
    )
    op.create_table('practice',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('business_id', sa.String(length=16), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice')),
    sa.UniqueConstraint('slug', name=op.f('uq_practice_slug'))
    )
    op.create_table('used_token',
    sa.Column('token_id', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('used_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token_id', name=op.f('pk_used_token'))
    )
    op.create_table('audit_event',
    sa.Column('at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=False),
    sa.Column('object_id', sa.Uuid(), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], name=op.f('fk_audit_event_actor_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_event_object', ['object_type', 'object_id'], unique=False)

    op.create_table('organisation_contact',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_contact_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_organisation_contact_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'person_id', name=op.f('pk_organisation_contact'))
    )
    op.create_table('supervisor_profile',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('practice_id', sa.Uuid(), nullable=True),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('offers_individual', sa.Boolean(), nullable=False),
    sa.Column('offers_group', sa.Boolean(), nullable=False),
    sa.Column('offers_work_community', sa.Boolean(), nullable=False),
    sa.Column('accepts_inquiries', sa.Boolean(), nullable=False),
    sa.Column('slot_step_minutes', sa.Integer(), nullable=False),
    sa.Column('buffer_before_minutes', sa.Integer(), nullable=False),
    sa.Column('buffer_after_minutes', sa.Integer(), nullable=False),
    sa.Column('default_travel_minutes', sa.Integer(), nullable=False),
    sa.Column('min_notice_minutes', sa.Integer(), nullable=False),
    sa.Column('max_advance_days', sa.Integer(), nullable=False),
    sa.Column('max_sessions_per_day', sa.Integer(), nullable=True),
    sa.Column('max_sessions_per_week', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('buffer_before_minutes >= 0 AND buffer_after_minutes >= 0', name=op.f('ck_supervisor_profile_buffers')),
    sa.CheckConstraint('max_advance_days > 0', name=op.f('ck_supervisor_profile_max_advance')),
    sa.CheckConstraint('min_notice_minutes >= 0', name=op.f('ck_supervisor_profile_min_notice')),
    sa.CheckConstraint('slot_step_minutes > 0', name=op.f('ck_supervisor_profile_slot_step_positive')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_supervisor_profile_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_supervisor_profile_practice_id_practice'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisor_profile')),
    sa.UniqueConstraint('person_id', name=op.f('uq_supervisor_profile_person_id')),
    sa.UniqueConstraint('slug', name=op.f('uq_supervisor_profile_slug'))
    )
    op.create_table('user_account',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('totp_secret_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_generation', sa.Integer(), nullable=False),
    sa.Column('last_sign_in_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_user_account_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('person_id', name=op.f('uq_user_account_person_id'))
    )
    op.create_table('account_role',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('admin', 'supervisor', name='role', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['user_account.id'], name=op.f('fk_account_role_account_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'role', name=op.f('pk_account_role'))
    )
    op.create_table('availability_override',
    sa.Column('supervisor_id', sa.Uuid(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('off', 'replace', 'extra', name='overridekind', native_enum=False, length=32), nullable=False),
    sa.Column('starts', sa.Time(), nullable=True),
    sa.Column('ends', sa.Time(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("(kind = 'off' AND starts IS NULL AND ends IS NULL) OR (kind <> 'off' AND starts < ends)", name=op.f('ck_availability_override_hours')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['supervisor_profile.id'], name=op.f('fk_availability_override_supervisor_id_supervisor_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_availability_override'))
    )
    with op.batch_alter_table('availability_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_availability_override_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('calendar_connection',
    sa.Column('supervisor_id', sa.Uuid(), nullable=False),
    sa.Column('backend', sa.String(length=64), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('username', sa.String(length=320), nullable=False),
    sa.Column('password_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.Enum('new', 'ok', 'failing', name='connectionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('last_sync_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supervisor_id'], ['supervisor_profile.id'], name=op.f('fk_calendar_connection_supervisor_id_supervisor_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_connection'))
    )
    with op.batch_alter_table('calendar_connection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_connection_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('location',
    sa.Column('supervisor_id', sa.Uuid(), nullable=True),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('postal_code', sa.String(length=10), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('directions', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('(supervisor_id IS NULL) <> (organisation_id IS NULL)', name=op.f('ck_location_one_owner')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_location_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['supervisor_profile.id'], name=op.f('fk_location_supervisor_id_supervisor_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_location'))
    )
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_location_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_location_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('supervision_process',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('mode', sa.Enum('individual', 'group', 'work_community', name='processmode', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('inquiry', 'assessment_booked', 'assessment_held', 'agreement_draft', 'agreement_sent', 'active', 'closed', 'declined', 'terminated', name='processstatus', native_enum=False, length=32), nullable=False),
    sa.Column('supervisor_id', sa.Uuid(), nullable=False),
    sa.Column('orderer_organisation_id', sa.Uuid(), nullable=True),
    sa.Column('orderer_contact_id', sa.Uuid(), nullable=True),
    sa.Column('private_payer_id', sa.Uuid(), nullable=True),
    sa.Column('closed_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.Enum('goals_reached', 'client_withdrew', 'organisation_change', 'funding_ended', 'not_a_fit', 'dissatisfied', 'supervisor_unavailable', 'other', name='endreason', native_enum=False, length=32), nullable=True),
    sa.Column('content_purged_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['orderer_contact_id'], ['person.id'], name=op.f('fk_supervision_process_orderer_contact_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['orderer_organisation_id'], ['organisation.id'], name=op.f('fk_supervision_process_orderer_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['private_payer_id'], ['person.id'], name=op.f('fk_supervision_process_private_payer_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['supervisor_profile.id'], name=op.f('fk_supervision_process_supervisor_id_supervisor_profile'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_process')),
    sa.UniqueConstraint('code', name=op.f('uq_supervision_process_code'))
    )
    with op.batch_alter_table('supervision_process', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_process_orderer_organisation_id'), ['orderer_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_process_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_process_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('working_hours',
    sa.Column('supervisor_id', sa.Uuid(), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('starts < ends', name=op.f('ck_working_hours_order')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_working_hours_weekday')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['supervisor_profile.id'], name=op.f('fk_working_hours_supervisor_id_supervisor_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_hours'))
    )
    with op.batch_alter_table('working_hours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_hours_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('agreement',
    sa.Column('process_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['supervision_process.id'], name=op.f('fk_agreement_process_id_supervision_process'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement')),
    sa.UniqueConstraint('process_id', name=op.f('uq_agreement_process_id'))
    )
    op.create_table('connected_calendar',
    sa.Column('connection_id', sa.Uuid(), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('blocks_time', sa.Boolean(), nullable=False),
    sa.Column('receives_sessions', sa.Boolean(), nullable=False),
    sa.Column('sync_token', sa.String(length=1000), nullable=True),
    sa.Column('synced_from', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('synced_until', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_synced_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['calendar_connection.id'], name=op.f('fk_connected_calendar_connection_id_calendar_connection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_connected_calendar')),
    sa.UniqueConstraint('connection_id', 'url', name=op.f('uq_connected_calendar_connection_id_url'))
    )
    with op.batch_alter_table('connected_calendar', schema=None) as batch_op:
        batch_op.create_index('uq_connected_calendar_receiver', ['connection_id'], unique=True, sqlite_where=sa.text('receives_sessions'), postgresql_where=sa.text('receives_sessions'))

    op.create_table('goal',
    sa.Column('process_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('organisation', 'personal', name='goalkind', native_enum=False, length=32), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'organisation' AND owner_id IS NULL) OR kind = 'personal'", name=op.f('ck_goal_owner')),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], name=op.f('fk_goal_owner_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['supervision_process.id'], name=op.f('fk_goal_process_id_supervision_process'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal'))
    )
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_process_id'), ['process_id'], unique=False)

    op.create_table('inquiry',
    sa.Column('process_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('mode_wished', sa.Enum('individual', 'group', 'work_community', name='processmode', native_enum=False, length=32), nullable=False),
    sa.Column('needs', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('group_size', sa.Integer(), nullable=True),
    sa.Column('privacy_consent_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('awaiting_confirmation', 'confirmed', 'expired', name='inquirystatus', native_enum=False, length=32), nullable=False),
    sa.Column('email_confirmed_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_inquiry_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['supervision_process.id'], name=op.f('fk_inquiry_process_id_supervision_process'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry')),
    sa.UniqueConstraint('process_id', name=op.f('uq_inquiry_process_id'))
    )
    op.create_table('process_participant',
    sa.Column('process_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('is_manager', sa.Boolean(), nullable=False),
    sa.Column('is_group_contact', sa.Boolean(), nullable=False),
    sa.Column('consents_to_share_averages', sa.Boolean(), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_process_participant_organisation_id_organisation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_process_participant_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['supervision_process.id'], name=op.f('fk_process_participant_process_id_supervision_process'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_participant')),
    sa.UniqueConstraint('process_id', 'person_id', name=op.f('uq_process_participant_process_id_person_id'))
    )
    with op.batch_alter_table('process_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_participant_person_id'), ['person_id'], unique=False)

    op.create_table('room',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=True),
    sa.Column('external_id', sa.String(length=255), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('building', sa.String(length=200), nullable=False),
    sa.Column('floor', sa.String(length=50), nullable=False),
    sa.Column('accessible', sa.Boolean(), nullable=False),
    sa.Column('equipment', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('bookable_from', sa.Time(), nullable=True),
    sa.Column('bookable_until', sa.Time(), nullable=True),
    sa.Column('max_advance_days', sa.Integer(), nullable=True),
    sa.Column('max_length_minutes', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('bookable_from IS NULL OR bookable_until IS NULL OR bookable_from < bookable_until', name=op.f('ck_room_bookable_hours')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_room_capacity')),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_room_location_id_location'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_room_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room')),
    sa.UniqueConstraint('organisation_id', 'external_id', name=op.f('uq_room_organisation_id_external_id'))
    )
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('travel_time',
    sa.Column('supervisor_id', sa.Uuid(), nullable=False),
    sa.Column('from_location_id', sa.Uuid(), nullable=False),
    sa.Column('to_location_id', sa.Uuid(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.CheckConstraint('minutes >= 0', name=op.f('ck_travel_time_minutes')),
    sa.ForeignKeyConstraint(['from_location_id'], ['location.id'], name=op.f('fk_travel_time_from_location_id_location'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['supervisor_profile.id'], name=op.f('fk_travel_time_supervisor_id_supervisor_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_location_id'], ['location.id'], name=op.f('fk_travel_time_to_location_id_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('supervisor_id', 'from_location_id', 'to_location_id', name=op.f('pk_travel_time'))
    )
    op.create_table('agreement_version',
    sa.Column('agreement_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'sent', 'accepted', 'superseded', name='versionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('sent_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('session_minutes', sa.Integer(), nullable=False),
    sa.Column('session_count', sa.Integer(), nullable=False),
    sa.Column('min_gap_days', sa.Integer(), nullable=False),
    sa.Column('max_gap_days', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('planned_end_on', sa.Date(), nullable=False),
    sa.Column('preferred_weekday', sa.Integer(), nullable=True),
    sa.Column('preferred_start', sa.Time(), nullable=True),
    sa.Column('break_from', sa.String(length=5), nullable=True),
    sa.Column('break_until', sa.String(length=5), nullable=True),
    sa.Column('place_kind', sa.Enum('office', 'client_premises', 'remote', name='placekind', native_enum=False, length=32), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=True),
    sa.Column('methods', sa.Text(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('payer_description', sa.String(length=500), nullable=False),
    sa.Column('invoicing_terms', sa.Text(), nullable=False),
    sa.Column('free_cancellation_hours', sa.Integer(), nullable=False),
    sa.Column('late_cancellation_charge_percent', sa.Integer(), nullable=False),
    sa.Column('sickness_exception', sa.Boolean(), nullable=False),
    sa.Column('early_termination_terms', sa.Text(), nullable=False),
    sa.Column('dissatisfaction_terms', sa.Text(), nullable=False),
    sa.Column('interim_evaluation_months', sa.Integer(), nullable=False),
    sa.Column('confidentiality_clause', sa.Text(), nullable=False),
    sa.Column('orderer_report_items', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('goals_snapshot', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('free_cancellation_hours >= 0', name=op.f('ck_agreement_version_free_cancellation')),
    sa.CheckConstraint('late_cancellation_charge_percent BETWEEN 0 AND 100', name=op.f('ck_agreement_version_late_charge')),
    sa.CheckConstraint('max_gap_days BETWEEN min_gap_days AND 60', name=op.f('ck_agreement_version_max_gap')),
    sa.CheckConstraint('min_gap_days BETWEEN 7 AND 60', name=op.f('ck_agreement_version_min_gap')),
    sa.CheckConstraint('planned_end_on > starts_on', name=op.f('ck_agreement_version_dates')),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_agreement_version_price')),
    sa.CheckConstraint('session_count > 0', name=op.f('ck_agreement_version_session_count')),
    sa.CheckConstraint('session_minutes > 0', name=op.f('ck_agreement_version_session_minutes')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_version_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_agreement_version_created_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_agreement_version_location_id_location'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_version')),
    sa.UniqueConstraint('agreement_id', 'number', name=op.f('uq_agreement_version_agreement_id_number'))
    )
    op.create_table('remote_object',
    sa.Column('calendar_id', sa.Uuid(), nullable=False),
    sa.Column('href', sa.String(length=1000), nullable=False),
    sa.Column('etag', sa.String(length=200), nullable=False),
    sa.Column('uid', sa.String(length=500), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['calendar_id'], ['connected_calendar.id'], name=op.f('fk_remote_object_calendar_id_connected_calendar'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remote_object')),
    sa.UniqueConstraint('calendar_id', 'href', name=op.f('uq_remote_object_calendar_id_href'))
    )
    op.create_table('room_busy_interval',
    sa.Column('room_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('fetched_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_room_busy_interval_order')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_room_busy_interval_room_id_room'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_busy_interval'))
    )
    with op.batch_alter_table('room_busy_interval', schema=None) as batch_op:
        batch_op.create_index('ix_room_busy_interval_room_window', ['room_id', 'starts_at', 'ends_at'], unique=False)

    op.create_table('room_closure',
    sa.Column('room_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_room_closure_order')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_room_closure_room_id_room'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_closure'))
    )
    op.create_table('supervision_session',
    sa.Column('process_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('initial_assessment', 'individual', 'group', 'work_community', name='sessionkind', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'awaiting_confirmation', 'waiting_for_room', 'booked', 'held', 'cancelled', 'no_show', name='sessionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('starts_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place_kind', sa.Enum('office', 'client_premises', 'remote', name='placekind', native_enum=False, length=32), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=True),
    sa.Column('room_id', sa.Uuid(), nullable=True),
    sa.Column('video_url', sa.String(length=500), nullable=False),
    sa.Column('series_index', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('booked_by_id', sa.Uuid(), nullable=True),
    sa.Column('cancelled_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancellation_reason', sa.Enum('sickness', 'schedule_conflict', 'work_situation', 'supervisor_cancelled', 'room_unavailable', 'process_ended', 'other', name='cancellationcategory', native_enum=False, length=32), nullable=True),
    sa.Column('charge_percent', sa.Integer(), nullable=True),
    sa.Column('scaling_requested', sa.Boolean(), nullable=False),
    sa.Column('notes_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('next_step_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('updated_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('charge_percent BETWEEN 0 AND 100', name=op.f('ck_supervision_session_charge')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_supervision_session_order')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['person.id'], name=op.f('fk_supervision_session_booked_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_supervision_session_location_id_location'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['process_id'], ['supervision_process.id'], name=op.f('fk_supervision_session_process_id_supervision_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_supervision_session_room_id_room'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_session'))
    )
    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.create_index('ix_supervision_session_process_start', ['process_id', 'starts_at'], unique=False)

    op.create_table('agreement_acceptance',
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('party', sa.Enum('supervisor', 'supervisee', 'manager', 'orderer', name='agreementparty', native_enum=False, length=32), nullable=False),
    sa.Column('accepted_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_agreement_acceptance_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_version.id'], name=op.f('fk_agreement_acceptance_version_id_agreement_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_acceptance')),
    sa.UniqueConstraint('version_id', 'person_id', name=op.f('uq_agreement_acceptance_version_id_person_id'))
    )
    op.create_table('attendance',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('present', 'absent', 'reported_absent', name='attendancestatus', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['process_participant.id'], name=op.f('fk_attendance_participant_id_process_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['supervision_session.id'], name=op.f('fk_attendance_session_id_supervision_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'participant_id', name=op.f('pk_attendance'))
    )
    op.create_table('busy_interval',
    sa.Column('supervisor_id', sa.Uuid(), nullable=False),
    sa.Column('remote_object_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_busy_interval_order')),
    sa.ForeignKeyConstraint(['remote_object_id'], ['remote_object.id'], name=op.f('fk_busy_interval_remote_object_id_remote_object'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['supervisor_profile.id'], name=op.f('fk_busy_interval_supervisor_id_supervisor_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_busy_interval'))
    )
    with op.batch_alter_table('busy_interval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_busy_interval_remote_object_id'), ['remote_object_id'], unique=False)
        batch_op.create_index('ix_busy_interval_supervisor_window', ['supervisor_id', 'starts_at', 'ends_at'], unique=False)

    op.create_table('evaluation_round',
    sa.Column('process_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('session', 'interim', 'final', name='evaluationkind', native_enum=False, length=32), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=True),
    sa.Column('opens_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['supervision_process.id'], name=op.f('fk_evaluation_round_process_id_supervision_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['supervision_session.id'], name=op.f('fk_evaluation_round_session_id_supervision_session'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_round'))
    )
    with op.batch_alter_table('evaluation_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_round_process_id'), ['process_id'], unique=False)

    op.create_table('room_reservation',
    sa.Column('room_id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'rejected', 'failed', 'released', name='reservationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('external_id', sa.String(length=255), nullable=True),
    sa.Column('last_error', sa.String(length=1000), nullable=True),
    sa.Column('updated_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_room_reservation_order')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_room_reservation_room_id_room'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['supervision_session.id'], name=op.f('fk_room_reservation_session_id_supervision_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_reservation'))
    )
    with op.batch_alter_table('room_reservation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_reservation_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_room_reservation_window', ['room_id', 'starts_at', 'ends_at'], unique=False)

    op.create_table('session_calendar_event',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('calendar_id', sa.Uuid(), nullable=False),
    sa.Column('href', sa.String(length=1000), nullable=False),
    sa.Column('uid', sa.String(length=500), nullable=False),
    sa.Column('etag', sa.String(length=200), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('in_sync', 'deleted_remotely', 'moved_remotely', name='pushedeventstate', native_enum=False, length=32), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['calendar_id'], ['connected_calendar.id'], name=op.f('fk_session_calendar_event_calendar_id_connected_calendar'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['supervision_session.id'], name=op.f('fk_session_calendar_event_session_id_supervision_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_calendar_event')),
    sa.UniqueConstraint('session_id', 'calendar_id', name=op.f('uq_session_calendar_event_session_id_calendar_id'))
    )
    op.create_table('supervisor_hold',
    sa.Column('supervisor_id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('expires_at', service.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_supervisor_hold_order')),
    sa.ForeignKeyConstraint(['session_id'], ['supervision_session.id'], name=op.f('fk_supervisor_hold_session_id_supervision_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['supervisor_profile.id'], name=op.f('fk_supervisor_hold_supervisor_id_supervisor_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisor_hold'))
    )
    with op.batch_alter_table('supervisor_hold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisor_hold_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_supervisor_hold_window', ['supervisor_id', 'starts_at', 'ends_at'], unique=False)

    op.create_table('evaluation_answer',
    sa.Column('round_id', sa.Uuid(), nullable=False),
    sa.Column('goal_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('scale_encrypted', sa.LargeBinary(), nullable=False),
    sa.Column('next_step_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('answered_at', service.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_evaluation_answer_goal_id_goal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_evaluation_answer_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['evaluation_round.id'], name=op.f('fk_evaluation_answer_round_id_evaluation_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answer')),
    sa.UniqueConstraint('round_id', 'goal_id', 'person_id', name=op.f('uq_evaluation_answer_round_id_goal_id_person_id'))
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for table, resource, name in NO_OVERLAP:
            op.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
                f"({resource} WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
                "WHERE (active)"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, _resource, name in NO_OVERLAP:
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    op.drop_table('evaluation_answer')
    with op.batch_alter_table('supervisor_hold', schema=None) as batch_op:
        batch_op.drop_index('ix_supervisor_hold_window')
        batch_op.drop_index(batch_op.f('ix_supervisor_hold_session_id'))

    op.drop_table('supervisor_hold')
    op.drop_table('session_calendar_event')
    with op.batch_alter_table('room_reservation', schema=None) as batch_op:
        batch_op.drop_index('ix_room_reservation_window')
        batch_op.drop_index(batch_op.f('ix_room_reservation_session_id'))

    op.drop_table('room_reservation')
    with op.batch_alter_table('evaluation_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_round_process_id'))

    op.drop_table('evaluation_round')
    with op.batch_alter_table('busy_interval', schema=None) as batch_op:
        batch_op.drop_index('ix_busy_interval_supervisor_window')
        batch_op.drop_index(batch_op.f('ix_busy_interval_remote_object_id'))

    op.drop_table('busy_interval')
    op.drop_table('attendance')
    op.drop_table('agreement_acceptance')
    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.drop_index('ix_supervision_session_process_start')

    op.drop_table('supervision_session')
    op.drop_table('room_closure')
    with op.batch_alter_table('room_busy_interval', schema=None) as batch_op:
        batch_op.drop_index('ix_room_busy_interval_room_window')

    op.drop_table('room_busy_interval')
    op.drop_table('remote_object')
    op.drop_table('agreement_version')
    op.drop_table('travel_time')
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_organisation_id'))

    op.drop_table('room')
    with op.batch_alter_table('process_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_participant_person_id'))

    op.drop_table('process_participant')
    op.drop_table('inquiry')
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_process_id'))

    op.drop_table('goal')
    with op.batch_alter_table('connected_calendar', schema=None) as batch_op:
        batch_op.drop_index('uq_connected_calendar_receiver', sqlite_where=sa.text('receives_sessions'), postgresql_where=sa.text('receives_sessions'))

    op.drop_table('connected_calendar')
    op.drop_table('agreement')
    with op.batch_alter_table('working_hours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_working_hours_supervisor_id'))

    op.drop_table('working_hours')
    with op.batch_alter_table('supervision_process', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_process_supervisor_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_process_status'))
        batch_op.drop_index(batch_op.f('ix_supervision_process_orderer_organisation_id'))

    op.drop_table('supervision_process')
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_location_supervisor_id'))
        batch_op.drop_index(batch_op.f('ix_location_organisation_id'))

    op.drop_table('location')
    with op.batch_alter_table('calendar_connection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_connection_supervisor_id'))

    op.drop_table('calendar_connection')
    with op.batch_alter_table('availability_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_availability_override_supervisor_id'))

    op.drop_table('availability_override')
    op.drop_table('account_role')
    op.drop_table('user_account')
    op.drop_table('supervisor_profile')
    op.drop_table('organisation_contact')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_object')
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))

    op.drop_table('audit_event')
    op.drop_table('used_token')
    op.drop_table('practice')
    op.drop_table('person')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_due')

    op.drop_table('outbox_message')
    op.drop_table('organisation')
    op.drop_table('idempotency_record')
