"""Schedule versions: a number per supervisor and per organisation's rooms that every
write changing what could be offered renews, by database triggers in the same
transaction; and the shared store of computed offers kept under those numbers.

Revision ID: 0010_schedule
Revises: 0009_calendars
Create Date: 2026-12-06 04:00:00.000000

Triggers rather than calls in the code: every writer (use cases, the worker's syncs,
bulk statements, cascades, a fix made by hand in psql) renews the number, so no cached
offer outlives a change. The new number is random, not the next: offers computed inside
a transaction that is then rolled back carry a number no later change can give again.
PostgreSQL renews once per statement (transition tables: a sync inserting thousands of
busy rows renews once); SQLite has only row triggers.

On SQLite, a later migration that rebuilds one of these tables (batch mode, for a
constraint change) drops its triggers with it and must create them again;
tests/test_database.py checks that every trigger is there at the head.
"""

from alembic import op
import sqlalchemy as sa

revision = '0010_schedule'
down_revision = '0009_calendars'
branch_labels = None
depends_on = None

PROCESS_SUPERVISOR = "(SELECT p.supervisor_id FROM supervision_process p WHERE p.id = r.process_id)"
AGREEMENT_SUPERVISOR = (
    "(SELECT p.supervisor_id FROM supervision_process p"
    " JOIN agreement a ON a.process_id = p.id WHERE a.id = r.agreement_id)"
)
ROOM_ORGANISATION = "(SELECT m.organisation_id FROM room m WHERE m.id = r.room_id)"

# (table, the versioned table, the id of its row that a change of `r` concerns)
RAISERS = (
    ("supervisor_hold", "supervisor_profile", "r.supervisor_id"),
    ("busy_interval", "supervisor_profile", "r.supervisor_id"),
    ("working_hours", "supervisor_profile", "r.supervisor_id"),
    ("availability_override", "supervisor_profile", "r.supervisor_id"),
    ("travel_time", "supervisor_profile", "r.supervisor_id"),
    ("location", "supervisor_profile", "r.supervisor_id"),
    ("supervision_process", "supervisor_profile", "r.supervisor_id"),
    ("supervision_session", "supervisor_profile", PROCESS_SUPERVISOR),
    ("process_participant", "supervisor_profile", PROCESS_SUPERVISOR),
    ("agreement_version", "supervisor_profile", AGREEMENT_SUPERVISOR),
    ("location", "organisation", "r.organisation_id"),
    ("room", "organisation", "r.organisation_id"),
    ("room_reservation", "organisation", ROOM_ORGANISATION),
    ("room_busy_interval", "organisation", ROOM_ORGANISATION),
    ("room_closure", "organisation", ROOM_ORGANISATION),
)
VERSION = {"supervisor_profile": "schedule_version", "organisation": "rooms_version"}
# A supervisor's own settings that change what is offered.
PROFILE_RULES = (
    "timezone",
    "accepts_inquiries",
    "slot_step_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "default_travel_minutes",
    "min_notice_minutes",
    "max_advance_days",
    "max_sessions_per_day",
    "max_sessions_per_week",
)
EVENTS = ("INSERT", "UPDATE", "DELETE")


def _name(table: str, target: str) -> str:
    return f"raise_{VERSION[target]}_from_{table}"


# A random 63-bit number in each dialect.
RANDOM = {"sqlite": "(random() & 9223372036854775807)", "postgresql": "floor(random() * 9.2e18)::bigint"}


def _raise(target: str, ids: str, dialect: str) -> str:
    column = VERSION[target]
    return f"UPDATE {target} SET {column} = {RANDOM[dialect]} WHERE id IN ({ids})"


def _sqlite_triggers() -> list[str]:
    statements = []
    for table, target, concerned in RAISERS:
        for event in EVENTS:
            rows = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}[event]
            ids = ", ".join(concerned.replace("r.", f"{row}.") for row in rows)
            statements.append(
                f"CREATE TRIGGER {_name(table, target)}_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {_raise(target, ids, 'sqlite')}; END"
            )
    statements.append(
        f"CREATE TRIGGER raise_schedule_version_from_rules AFTER UPDATE OF "
        f"{', '.join(PROFILE_RULES)} ON supervisor_profile "
        f"BEGIN {_raise('supervisor_profile', 'NEW.id', 'sqlite')}; END"
    )
    return statements


def _postgresql_triggers() -> list[str]:
    statements = []
    for table, target, concerned in RAISERS:
        function = _name(table, target)
        statements.append(
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{_raise(target, f'SELECT {concerned} FROM changed_rows r', 'postgresql')}; "
            "RETURN NULL; END $$"
        )
        for event, transition in (
            ("INSERT", "NEW"),
            ("UPDATE", "NEW"),
            ("UPDATE", "OLD"),
            ("DELETE", "OLD"),
        ):
            statements.append(
                f"CREATE TRIGGER {function}_{event.lower()}_{transition.lower()} "
                f"AFTER {event} ON {table} REFERENCING {transition} TABLE AS changed_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in PROFILE_RULES)
    statements += [
        "CREATE FUNCTION raise_schedule_version_from_rules() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN NEW.schedule_version := {RANDOM['postgresql']}; RETURN NEW; END $$",
        "CREATE TRIGGER raise_schedule_version_from_rules BEFORE UPDATE ON supervisor_profile "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION raise_schedule_version_from_rules()",
    ]
    return statements


def upgrade():
    for table, column in VERSION.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(column, sa.BigInteger(), nullable=False, server_default="0")
            )
    op.create_table(
        "offer_cache",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("supervisor_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("schedule_version", sa.BigInteger(), nullable=False),
        sa.Column("rooms_version", sa.BigInteger(), nullable=True),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offers", sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["supervisor_profile.id"],
            name=op.f("fk_offer_cache_supervisor_id_supervisor_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_offer_cache_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_offer_cache")),
    )
    with op.batch_alter_table("offer_cache", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_offer_cache_supervisor_id"), ["supervisor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_offer_cache_organisation_id"), ["organisation_id"], unique=False
        )
    dialect = op.get_bind().dialect.name
    for statement in _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers():
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table, target, _ in RAISERS:
            op.execute(f"DROP FUNCTION {_name(table, target)}() CASCADE")
        op.execute("DROP FUNCTION raise_schedule_version_from_rules() CASCADE")
    else:
        for table, target, _ in RAISERS:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER {_name(table, target)}_{event.lower()}")
        op.execute("DROP TRIGGER raise_schedule_version_from_rules")
    op.drop_table("offer_cache")
    for table, column in VERSION.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
