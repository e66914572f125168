"""The orderer contact's pages, my data and the language choice, with the Flask test
client: what they show, what they never show, and bad input answered without writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from flask import Flask
from sqlalchemy import func, select

from service.extensions import db
from service.models import ErasureRequest, Person, SessionStatus, SupervisionProcess
from tests.web import client_scenes
from tests.web.client_scenes import ClientScene
from tests.web.pages import csrf_token
from tests.web.test_supervisee_pages import EN, signed_in


@pytest.fixture
def scene(app: Flask) -> ClientScene:
    with app.app_context():
        scene = client_scenes.client_process(client_scenes.ProcessMode.GROUP, participants=3)
        held = SessionStatus.HELD
        client_scenes.session(scene.process_id, -dt.timedelta(days=40), held, present=3)
        client_scenes.session(scene.process_id, -dt.timedelta(days=10), held, present=2)
        client_scenes.session(scene.process_id, dt.timedelta(days=12))
        return scene


def names_in(app: Flask, scene: ClientScene) -> list[str]:
    with app.app_context():
        process = db.session.get(SupervisionProcess, scene.process_id)
        return [p.person.name for p in process.participants]


def test_the_orderer_sees_codes_counts_and_money_but_no_people(
    app: Flask, scene: ClientScene
) -> None:
    page = signed_in(app, scene.orderer.person_id).get("/organisation", headers=EN)
    assert page.status_code == 200
    assert "Hyvinvointialue" in page.text and "Group supervision" in page.text
    assert "Our organisation" in page.text  # in the navigation
    assert "<td>2 / 20</td>" in page.text  # held / agreed
    assert "<td>3</td><td>0</td>" in page.text and "<td>2</td><td>0</td>" in page.text
    assert "€150.00" in page.text and "Europe/Helsinki" not in page.text
    for name in names_in(app, scene):
        assert name not in page.text


def test_the_orderer_exports_the_invoicing_csv(app: Flask, scene: ClientScene) -> None:
    client = signed_in(app, scene.orderer.person_id)
    answer = client.get("/organisation/invoicing.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["process", "month", "sessions_charged", "net_eur", "vat_eur", "gross_eur"]
    assert sum(int(row[2]) for row in rows[1:]) == 2
    assert {row[3] for row in rows[1:]} <= {"150.00", "300.00"}
    month = rows[1][1]
    monthly = client.get(f"/organisation/invoicing.csv?month={month}")
    one = list(csv.reader(io.StringIO(monthly.text)))
    assert len(one) == 2 and one[1][1] == month
    bad = client.get("/organisation/invoicing.csv?month=2027-13", headers=EN)
    assert bad.status_code == 400 and "could not be understood" in bad.text


def test_only_contacts_reach_the_orderer_pages(app: Flask, scene: ClientScene) -> None:
    for who in (scene.client, scene.stranger):
        client = signed_in(app, who.person_id)
        assert client.get("/organisation", headers=EN).status_code == 403
        assert client.get("/organisation/invoicing.csv").status_code == 403
        assert "Our organisation" not in client.get("/my", headers=EN).text


def test_my_data_holds_my_own_data_only(app: Flask, scene: ClientScene) -> None:
    client = signed_in(app, scene.client.person_id)
    page = client.get("/my/data", headers=EN)
    assert page.status_code == 200 and "Download as CSV" in page.text
    data = json.loads(client.get("/my/data.json").text)
    with app.app_context():
        me = db.session.get(Person, scene.client.person_id)
    assert data["person"]["email"] == me.email
    [process] = data["processes"]
    assert len(process["sessions"]) == 3 and process["code"].startswith("TY-")
    others = [name for name in names_in(app, scene) if name != me.name]
    exported = client.get("/my/data.csv").text
    assert exported.startswith("section,process,when,item,value") and me.email in exported
    for name in others:
        assert name not in json.dumps(data) and name not in exported


def erasure_requests(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ErasureRequest))


def test_an_erasure_request_is_recorded_once(app: Flask, scene: ClientScene) -> None:
    client = signed_in(app, scene.client.person_id)
    page = client.get("/my/data", headers=EN)
    assert client.post("/my/data/erasure", data={}, headers=EN).status_code == 302
    assert erasure_requests(app) == 0  # no CSRF token: nothing written
    token = csrf_token(page.text)
    client.post("/my/data/erasure", data={"csrf_token": token}, headers=EN)
    client.post("/my/data/erasure", data={"csrf_token": token}, headers=EN)
    assert erasure_requests(app) == 1
    assert "You asked for erasure on" in client.get("/my/data", headers=EN).text
    with app.app_context():
        from service.services.privacy.personal_data import open_erasure_requests

        [(person, _when)] = open_erasure_requests(scene.supervisor.person_id)
        assert person.id == scene.client.person_id


def test_the_language_is_chosen_and_kept(app: Flask, scene: ClientScene) -> None:
    client = signed_in(app, scene.client.person_id, "fi")
    page = client.get("/my", headers={"Accept-Language": "en"})
    assert "Omat prosessit" in page.text  # the stored language, not the browser's
    token = csrf_token(page.text)
    answer = client.post("/language", data={"csrf_token": token, "language": "sv", "next": "/my"})
    assert answer.status_code == 302 and answer.location == "/my"
    assert "Mina processer" in client.get("/my", headers={"Accept-Language": "fi"}).text
    with app.app_context():
        assert db.session.get(Person, scene.client.person_id).language == "sv"
    bad = client.post("/language", data={"csrf_token": token, "language": "de", "next": "/my"})
    assert bad.status_code == 302
    after = client.get("/my")
    assert "Välj finska, svenska eller engelska" in after.text
    with app.app_context():
        assert db.session.get(Person, scene.client.person_id).language == "sv"
    away = client.post(
        "/language", data={"csrf_token": token, "language": "en", "next": "https://evil.test/"}
    )
    assert away.location == "/my"


def test_the_language_can_be_chosen_before_signing_in(client) -> None:
    page = client.get("/sign-in")
    client.post("/language", data={"csrf_token": csrf_token(page.text), "language": "en"})
    assert "Send the link" in client.get("/sign-in").text
