"""Forms of the supervisor's process page. The rules are the use cases'; a form only
parses. Forms that repeat for each participant or session are written out in the
template with ids of their own, and read from the request here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

# The WTForms stubs predate SelectChoice (WTForms 3.3).
from wtforms import (  # type: ignore[attr-defined]
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
)

from service.domain.processes import EndReason

END_REASON_LABELS = {
    EndReason.GOALS_REACHED: _l("The goals were reached"),
    EndReason.CLIENT_WITHDREW: _l("The client withdrew"),
    EndReason.ORGANISATION_CHANGE: _l("A change in the organisation"),
    EndReason.FUNDING_ENDED: _l("The funding ended"),
    EndReason.NOT_A_FIT: _l("Not a fit for this supervision"),
    EndReason.DISSATISFIED: _l("Dissatisfaction"),
    EndReason.SUPERVISOR_UNAVAILABLE: _l("The supervisor is not available"),
    EndReason.OTHER: _l("Other reason"),
}
LANGUAGE_CHOICES = [
    SelectChoice("fi", "Suomi"),
    SelectChoice("sv", "Svenska"),
    SelectChoice("en", "English"),
]


class StartForm(FlaskForm):
    mode = SelectField(_l("Kind of supervision"))


class ParticipantForm(FlaskForm):
    name = StringField(_l("Name"))
    email = EmailField(_l("Email"))
    language = SelectField(_l("Language of emails"), choices=LANGUAGE_CHOICES)
    organisation = SelectField(_l("Organisation"))
    is_manager = BooleanField(_l("Manager (esihenkilö)"))
    is_group_contact = BooleanField(_l("Books the sessions for the group"))


class OrdererForm(FlaskForm):
    existing = SelectField(_l("Orderer"))
    organisation_name = StringField(_l("New organisation's name"))
    business_id = StringField(_l("Business ID (optional)"))
    premises_street = StringField(_l("Street address of its premises (optional)"))
    premises_postal_code = StringField(_l("Postal code"))
    premises_city = StringField(_l("City"))
    contact_name = StringField(_l("New contact's name"))
    contact_email = EmailField(_l("New contact's email"))


class EndForm(FlaskForm):
    reason = SelectField(
        _l("Reason"),
        choices=[SelectChoice(str(reason), label) for reason, label in END_REASON_LABELS.items()],
    )
