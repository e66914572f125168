"""The development mailbox's pages (/dev/mailbox): the emails that would have been sent,
with their links and invitations, so a person on one machine can follow every emailed
step. Registered only while DEVELOPMENT_MAILBOX is set, which a production start refuses:
elsewhere these addresses do not exist."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template

from service.services.operations.mailbox import captured_mail, one_mail

bp = Blueprint("dev_mailbox", __name__, url_prefix="/dev/mailbox")


def _folder() -> str:
    return str(current_app.config["DEVELOPMENT_MAILBOX"])


@bp.get("")
def mailbox() -> str:
    return render_template("web/dev_mailbox.html", mails=captured_mail(_folder()))


@bp.get("/<mail_id>")
def mail(mail_id: str) -> str:
    return render_template("web/dev_mail.html", mail=one_mail(_folder(), mail_id))


@bp.get("/<mail_id>/invitation-<int:number>.ics")
def invitation(mail_id: str, number: int) -> Response:
    invitations = one_mail(_folder(), mail_id).invitations
    if not 1 <= number <= len(invitations):
        return Response(status=404)
    return Response(
        invitations[number - 1].body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="invitation-{number}.ics"'},
    )
