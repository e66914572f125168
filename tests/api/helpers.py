"""Builders shared by the API tests."""

from __future__ import annotations

from service.extensions import db
from service.models import Organisation, OrganisationContact, Person, SupervisorProfile
from service.services.accounts.tokens import create_token


def make_person(email: str = "sanna.laine@example.test", name: str = "Sanna Laine") -> Person:
    person = Person(name=name, email=email, language="sv")
    db.session.add(person)
    db.session.commit()
    return person


def make_supervisor(slug: str = "aino-virtanen", **profile: object) -> SupervisorProfile:
    person = Person(name="Aino Virtanen", email=f"{slug}@example.test")
    supervisor = SupervisorProfile(
        person=person,
        slug=slug,
        title="Työnohjaaja (STOry)",
        introduction="Ratkaisukeskeistä työnohjausta.",
        **profile,
    )
    db.session.add(supervisor)
    db.session.commit()
    return supervisor


def make_contact(person: Person, name: str = "Esimerkkilän kaupunki") -> Organisation:
    organisation = Organisation(name=name)
    db.session.add(organisation)
    db.session.flush()
    db.session.add(OrganisationContact(organisation_id=organisation.id, person_id=person.id))
    db.session.commit()
    return organisation


def token_for(person: Person, *scopes: str, organisation: Organisation | None = None) -> str:
    """A fresh token's plaintext."""
    _, plaintext = create_token(person, "test", scopes or ("read",), organisation)
    return plaintext


def bearer(plaintext: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plaintext}"}
