"""Lists of processes and sessions a principal may see, a page at a time.

The filter is `access.visible_processes_clause`, the list form of the rule that
`visible_process` applies to one process, so a list never shows what a read refuses.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from service.domain.intervals import Interval
from service.models import ProcessStatus, SupervisionProcess, SupervisionSession
from service.services.access import visible_process, visible_processes_clause
from service.services.auth import Principal
from service.services.listing import After, Page, keyset_page


def visible_processes(
    principal: Principal,
    *,
    status: ProcessStatus | None = None,
    after: After | None = None,
    limit: int,
) -> Page[SupervisionProcess]:
    """The processes the principal takes part in, supervises or orders, oldest first."""
    statement = select(SupervisionProcess).where(visible_processes_clause(principal))
    if status is not None:
        statement = statement.where(SupervisionProcess.status == status)
    return keyset_page(
        statement,
        SupervisionProcess.created_at,
        SupervisionProcess.id,
        after=after,
        limit=limit,
        at_of=lambda process: process.created_at,
    )


def visible_sessions(
    principal: Principal,
    window: Interval,
    *,
    process_id: uuid.UUID | None = None,
    after: After | None = None,
    limit: int,
) -> Page[SupervisionSession]:
    """Sessions overlapping the window, in time order: of one process (which must be
    visible), or of every process the principal may see."""
    if process_id is not None:
        visible_process(principal, process_id)
        processes = select(SupervisionProcess.id).where(SupervisionProcess.id == process_id)
    else:
        processes = select(SupervisionProcess.id).where(visible_processes_clause(principal))
    statement = select(SupervisionSession).where(
        SupervisionSession.process_id.in_(processes),
        SupervisionSession.overlapping(window.start, window.end),
    )
    return keyset_page(
        statement,
        SupervisionSession.starts_at,
        SupervisionSession.id,
        after=after,
        limit=limit,
        at_of=lambda session: session.starts_at,
    )
