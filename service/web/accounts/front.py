"""The front page: a signed-in person goes on to their own landing page; anyone else
reads what Ohjaamo is, how to sign in, and where the practice's public pages are."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template
from werkzeug.wrappers import Response

from service.services.accounts.profiles import public_profiles
from service.web.forms import MODE_LABELS
from service.web.signed_in import current_principal, landing

bp = Blueprint("front", __name__)


@bp.get("/")
def front() -> str | Response:
    principal = current_principal()
    if principal is not None:
        return redirect(landing(principal.person_id))
    return render_template("web/front.html", supervisors=public_profiles(), modes=MODE_LABELS)
