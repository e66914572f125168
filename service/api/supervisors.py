"""Supervisors as the public sees them."""

from __future__ import annotations

from service.api import API_PREFIX
from service.api.bodies import Blueprint
from service.api.errors import abort
from service.api.ratelimit import rate_limited
from service.api.schemas import PublicProfileSchema
from service.services.accounts.profiles import PublicProfile, public_profile

bp = rate_limited(
    Blueprint(
        "supervisors",
        __name__,
        url_prefix=f"{API_PREFIX}/supervisors",
        description="Supervisors' public profiles.",
    )
)


@bp.get(
    "/<slug>",
    parameters=[{"in": "path", "name": "slug", "description": "The supervisor's address."}],
)
@bp.response(200, PublicProfileSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_supervisor(slug: str) -> PublicProfile:
    """A supervisor's public profile

    Name, title, introduction, time zone, the kinds of supervision offered and
    whether new inquiries are welcome. No token is needed.
    """
    profile = public_profile(slug)
    if profile is None:
        abort(404, message="There is no supervisor at this address.")
    return profile
