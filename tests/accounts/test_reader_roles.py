"""The menu's roles in one query agree with the three questions they replace."""

from __future__ import annotations

from flask import Flask

from service.extensions import db
from service.models import OrganisationContact, Role
from service.services.accounts.reader_roles import ReaderRoles, reader_roles
from service.services.accounts.supervisors import is_admin, supervisor_profile_of
from service.services.auth import Principal
from service.services.orderer.overview import is_orderer_contact
from tests import builders
from tests.web.pages import with_password


def answered_one_by_one(principal: Principal) -> ReaderRoles:
    return ReaderRoles(
        supervisor=supervisor_profile_of(principal) is not None,
        orderer=is_orderer_contact(principal),
        admin=is_admin(principal),
    )


def test_each_role_is_read_in_one_query(app: Flask) -> None:
    with app.app_context():
        profile = builders.supervisor()
        with_password(profile.person_id, Role.SUPERVISOR, Role.ADMIN)
        org = builders.organisation(6)
        contact = builders.person("Tilaaja")
        db.session.add(OrganisationContact(organisation_id=org.organisation.id, person=contact))
        db.session.commit()
        client = builders.process(profile).participants[0].person_id
        cases = {
            profile.person_id: ReaderRoles(supervisor=True, orderer=False, admin=True),
            contact.id: ReaderRoles(supervisor=False, orderer=True, admin=False),
            client: ReaderRoles(supervisor=False, orderer=False, admin=False),
        }
        for person_id, expected in cases.items():
            principal = Principal(person_id=person_id)
            assert reader_roles(principal) == expected == answered_one_by_one(principal)
        token = Principal(person_id=contact.id, organisation_id=org.organisation.id)
        assert reader_roles(token) == ReaderRoles(supervisor=False, orderer=True, admin=False)
        assert reader_roles(token) == answered_one_by_one(token)
