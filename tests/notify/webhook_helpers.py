"""A group process at the orderer's premises, with a subscription of the orderer and
one of the supervisor pointed at a loopback receiver."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from service import clock
from service.domain.processes import ProcessMode
from service.domain.rules import PlaceKind
from service.domain.webhooks import EVENTS, SIGNATURE_HEADER, verify_signature
from service.extensions import db
from service.models import OrganisationContact, SupervisionProcess
from service.services.auth import Principal
from service.services.notify import webhooks
from tests import builders
from tests.fixtures.webhook_receiver import Received

TOLERANCE = dt.timedelta(minutes=5)


@dataclass
class Subscribed:
    process: SupervisionProcess
    orderer: Principal
    orderer_secret: str
    supervisor_secret: str


def subscribed_process(url: str, events: tuple[str, ...] = EVENTS) -> Subscribed:
    org = builders.organisation(8)
    contact = builders.person("Tilaaja")
    db.session.add(OrganisationContact(organisation_id=org.organisation.id, person_id=contact.id))
    db.session.commit()
    process = builders.process(
        builders.supervisor(),
        mode=ProcessMode.GROUP,
        participants=3,
        place=PlaceKind.CLIENT_PREMISES,
        org=org,
    )
    orderer = Principal(person_id=contact.id, organisation_id=org.organisation.id)
    _, orderer_secret = webhooks.create_subscription(orderer, url, events)
    supervisor = builders.supervisor_principal(process)
    _, supervisor_secret = webhooks.create_subscription(supervisor, url, events)
    return Subscribed(process, orderer, orderer_secret, supervisor_secret)


def verified(received: Received, secret: str) -> dict[str, Any]:
    """The body, after checking its signature as a receiver would."""
    header = received.headers[SIGNATURE_HEADER]
    now = clock.now()
    assert verify_signature(secret, header, received.body, now=now, tolerance=TOLERANCE)
    return json.loads(received.body)


def signed_with(received: Received, secret: str) -> bool:
    header = received.headers[SIGNATURE_HEADER]
    now = clock.now()
    return verify_signature(secret, header, received.body, now=now, tolerance=TOLERANCE)


def opened(received: Received, setup: Subscribed) -> dict[str, Any]:
    """The body of a delivery signed with either subscription's secret."""
    secret = next(
        s for s in (setup.orderer_secret, setup.supervisor_secret) if signed_with(received, s)
    )
    return verified(received, secret)
