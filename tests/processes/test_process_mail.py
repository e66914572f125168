"""The process emails as people receive them, through the worker and a real SMTP
server: the inquiry's confirmation link works once, the agreement reaches every party
in their language, a sign-in link signs in, and none carries another person's name or
any content."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from service.extensions import db
from service.models import Inquiry, InquiryStatus, Person, SupervisionProcess
from service.services.accounts.sign_in import request_sign_in_link
from service.services.processes import agreements
from service.services.processes.inquiries import submit_inquiry
from tests.builders import NOW, helsinki
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.outbox.helpers import deliver_all, mail_settings
from tests.processes import people
from tests.web.pages import csrf_token
from tests.web.scenes import group_with_answers


@pytest.fixture
def mailing(app: Flask, smtp_server: SMTPServer) -> Flask:
    app.config.update(mail_settings(smtp_server, PUBLIC_BASE_URL="http://ohjaamo.test"))
    return app


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message, path: str) -> str:
    found = re.search(rf"http://ohjaamo\.test({path}/[^\s\"<]+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def test_the_inquiry_is_confirmed_from_its_email(mailing: Flask, smtp_server: SMTPServer) -> None:
    with mailing.app_context():
        profile, _ = people.supervisor()
        submit_inquiry(
            profile.slug, people.inquiry_form(), now=NOW, assessment_at=helsinki(2027, 3, 3, 10)
        )
        deliver_all(mailing)
        [received] = smtp_server.messages
        assert received.rcpt_tos == ["iida@example.test"]
        assert (
            "Vahvista" in received.message["Subject"]
            or "alkukartoitus" in received.message["Subject"]
        )
    path = link_in(received.message, "/inquiry/confirm")
    client = mailing.test_client()
    page = client.get(path)
    assert client.post(path, data={"csrf_token": csrf_token(page.text)}).status_code == 200
    with mailing.app_context():
        assert db.session.scalar(select(Inquiry.status)) is InquiryStatus.CONFIRMED
        deliver_all(mailing)
        # The confirmed booking's own notices follow: the inquirer and the supervisor.
        assert len(smtp_server.messages) == 3


def test_the_agreement_reaches_every_party_alone(mailing: Flask, smtp_server: SMTPServer) -> None:
    with mailing.app_context():
        scene = group_with_answers()
        deliver_all(mailing)
        sent = [m for m in smtp_server.messages if "sopimus" in m.message["Subject"].lower()]
        people_ids = agreements.required_people(scene_process(scene))
        assert len(sent) == len(people_ids) == 6
        assert all(len(m.rcpt_tos) == 1 for m in sent)
        names = [db.session.get(Person, p).name for p in people_ids]
        for message in sent:
            others = [n for n in names if n not in message.message["To"]]
            body = text_of(message.message)
            assert not any(name in body for name in others)


def scene_process(scene):
    return db.session.get(SupervisionProcess, scene.process_id)


def test_a_sign_in_link_signs_in_once(mailing: Flask, smtp_server: SMTPServer) -> None:
    with mailing.app_context():
        scene = group_with_answers()
        person = db.session.get(Person, scene.participants[0].person_id)
        deliver_all(mailing)
        smtp_server.messages.clear()
        request_sign_in_link(person.email, now=NOW)
        request_sign_in_link("nobody@example.test", now=NOW)
        deliver_all(mailing)
        [received] = [m for m in smtp_server.messages if m.rcpt_tos == [person.email]]
    path = link_in(received.message, "/sign-in")
    client = mailing.test_client()
    page = client.get(path)
    assert client.post(path, data={"csrf_token": csrf_token(page.text)}).status_code == 302
    assert client.get(f"/processes/{scene.process_id}/goals").status_code == 200
    again = mailing.test_client()
    page = again.get(path)
    assert again.post(path, data={"csrf_token": csrf_token(page.text)}).status_code == 410
