"""The supervisor's calendar connections page: what is connected, checking a
connection and syncing it now. Connecting and choosing calendars are in
``service.services.calendars.setup``."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from service.extensions import db
from service.models import CalendarConnection
from service.services.accounts.supervisors import own_supervisor_profile
from service.services.auth import Principal
from service.services.calendars.access import account_of, load_connection
from service.services.calendars.setup import own_profile
from service.services.calendars.sync import SyncReport, sync_connection
from service.services.transactions import end_read_transaction


def connections_of(principal: Principal) -> list[CalendarConnection]:
    profile = own_supervisor_profile(principal)
    return list(
        db.session.scalars(
            select(CalendarConnection)
            .where(CalendarConnection.supervisor_id == profile.id)
            .options(selectinload(CalendarConnection.calendars))
            .order_by(CalendarConnection.created_at)
        )
    )


def _own_connection(principal: Principal, connection_id: uuid.UUID) -> CalendarConnection:
    connection = load_connection(connection_id)
    own_profile(principal, connection.supervisor_id)
    return connection


def check_connection(principal: Principal, connection_id: uuid.UUID) -> int:
    """Ask the server for the account's calendars; how many it has. Raises
    ``CalendarError`` in plain words when the server cannot be used."""
    connection = _own_connection(principal, connection_id)
    account = account_of(connection, own_supervisor_profile(principal).timezone)
    end_read_transaction()
    return len(account.open().discover())


def sync_now(principal: Principal, connection_id: uuid.UUID, *, now: dt.datetime) -> SyncReport:
    """Sync the connection at once (the worker does it every few minutes anyway)."""
    _own_connection(principal, connection_id)
    end_read_transaction()
    return sync_connection(connection_id, now)
