"""What the signed-in person is, for the menu on every page: a supervisor, an orderer
contact, a practice admin. One query answers all three, as `supervisor_profile_of`,
`is_orderer_contact` and `is_admin` would each answer one; the pages ask it in the same
query that checks the sign-in (`role_columns`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Exists, select

from service.extensions import db
from service.models import AccountRole, Role, SupervisorProfile, UserAccount
from service.services.access import contact_organisations
from service.services.auth import Principal


@dataclass(frozen=True)
class ReaderRoles:
    supervisor: bool
    orderer: bool
    admin: bool


def role_columns(person_id: uuid.UUID) -> tuple[Exists, Exists, Exists]:
    """Whether the person is a supervisor, an orderer contact and an admin, as three
    columns, for a query that also loads the person (the pages' sign-in check)."""
    supervisor = select(SupervisorProfile.id).where(SupervisorProfile.person_id == person_id)
    admin = (
        select(AccountRole.role)
        .join(UserAccount, UserAccount.id == AccountRole.account_id)
        .where(UserAccount.person_id == person_id, AccountRole.role == Role.ADMIN)
    )
    orderer = contact_organisations(Principal(person_id=person_id))
    return supervisor.exists(), orderer.exists(), admin.exists()


def roles_of(row: Sequence[bool]) -> ReaderRoles:
    supervisor, orderer, admin = row
    return ReaderRoles(supervisor=bool(supervisor), orderer=bool(orderer), admin=bool(admin))


def reader_roles(principal: Principal) -> ReaderRoles:
    if principal.organisation_id is not None:
        orderer = db.session.scalar(select(contact_organisations(principal).exists()))
        return ReaderRoles(supervisor=False, orderer=bool(orderer), admin=False)
    return roles_of(db.session.execute(select(*role_columns(principal.person_id))).one())
