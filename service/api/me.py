"""The holder of the token."""

from __future__ import annotations

from service.api import API_PREFIX
from service.api.auth import current_principal, token_required
from service.api.bodies import Blueprint
from service.api.errors import abort
from service.api.ratelimit import rate_limited
from service.api.schemas import MeSchema
from service.services.accounts import profiles
from service.services.accounts.tokens import READ

bp = rate_limited(
    Blueprint("me", __name__, url_prefix=API_PREFIX, description="The token's own person.")
)


@bp.get("/me")
@token_required(READ)
@bp.response(200, MeSchema)
def get_me() -> profiles.Me:
    """The token's person and scopes

    Who the token acts as (id, name, email, language), the organisation it is
    limited to if it is an organisation token, and its scopes.
    """
    me = profiles.me(current_principal())
    if me is None:
        abort(401, message="The API token's person no longer exists.")
    return me
