"""Where a process's sessions may be held: the supervisor's own places and the
orderer's premises, and no one else's."""

from __future__ import annotations

from sqlalchemy import or_, select

from service.extensions import db
from service.models import Location, SupervisionProcess


def places_for(process: SupervisionProcess) -> list[Location]:
    owners = [Location.supervisor_id == process.supervisor_id]
    if process.orderer_organisation_id is not None:
        owners.append(Location.organisation_id == process.orderer_organisation_id)
    return list(
        db.session.scalars(select(Location).where(or_(*owners)).order_by(Location.name)).all()
    )
