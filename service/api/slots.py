"""Free times to book, in the asker's own zone."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import request

from service import clock
from service.api import API_PREFIX
from service.api.auth import optional_principal
from service.api.bodies import Blueprint
from service.api.errors import abort
from service.api.ratelimit import rate_limited
from service.api.schemas import SlotQuerySchema, SlotSchema
from service.domain.intervals import Interval
from service.domain.slots import to_zone
from service.services.booking.slots import SlotQuery, search_slots

bp = rate_limited(
    Blueprint("slots", __name__, url_prefix=API_PREFIX, description="Free times to book.")
)


@bp.get("/slots")
@bp.arguments(SlotQuerySchema, location="query", as_kwargs=True)
@bp.response(200, SlotSchema(many=True))
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def list_slots(
    start: Any,
    end: Any,
    zone: str,
    supervisor: str | None = None,
    process: Any = None,
    place: Any = None,
) -> list[dict[str, Any]]:
    """Free slots in a window

    With `supervisor`: initial-assessment times anyone may book. With `process`: the
    process's next sessions within its agreement's cadence (needs a token of someone
    who books for the process). Times are UTC, with local times in `zone`.
    """
    query = SlotQuery(
        window=Interval(start, end),
        process_id=process,
        supervisor_slug=supervisor,
        place_kind=place,
    )
    principal = optional_principal() if request.authorization else None
    if process is not None and principal is None:
        abort(401, message="A process's times need an API token: send `Authorization: Bearer`.")
    tz = ZoneInfo(zone)
    result = []
    for slot in search_slots(principal, query, clock.now()):
        local = to_zone(slot, tz)
        result.append(
            {
                "start": slot.start,
                "end": slot.end,
                "zone": zone,
                "local_start": local.start.isoformat(),
                "local_end": local.end.isoformat(),
            }
        )
    return result
