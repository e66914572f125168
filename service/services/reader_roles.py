"""What the signed-in person is, for the menu on every page: a supervisor, an orderer
contact, a practice admin. One query answers all three, as `supervisor_profile_of`,
`is_orderer_contact` and `is_admin` would each answer one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, select

from service.extensions import db
from service.models import AccountRole, Role, SupervisorProfile, UserAccount
from service.services.access import contact_organisations
from service.services.auth import Principal


@dataclass(frozen=True)
class ReaderRoles:
    supervisor: bool
    orderer: bool
    admin: bool


def reader_roles(principal: Principal) -> ReaderRoles:
    as_person = principal.organisation_id is None
    supervisor = (
        select(SupervisorProfile.id)
        .where(SupervisorProfile.person_id == principal.person_id)
        .exists()
    )
    admin = (
        select(AccountRole.role)
        .join(UserAccount, UserAccount.id == AccountRole.account_id)
        .where(UserAccount.person_id == principal.person_id, AccountRole.role == Role.ADMIN)
        .exists()
    )
    row = db.session.execute(
        select(
            supervisor if as_person else false(),
            contact_organisations(principal).exists(),
            admin if as_person else false(),
        )
    ).one()
    return ReaderRoles(supervisor=row[0], orderer=row[1], admin=row[2])
