"""The printable agreement (page and PDF) and the goal charts, behind sign-in and the
use cases' rules."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.pages import sign_in
from tests.web.scenes import Scene, group_with_answers

EN = {"Accept-Language": "en"}


@pytest.fixture
def scene(app: Flask) -> Scene:
    with app.app_context():
        return group_with_answers()


def test_pages_ask_to_sign_in_first(client: FlaskClient, scene: Scene) -> None:
    answer = client.get(f"/processes/{scene.process_id}/agreement/1")
    assert answer.status_code == 302 and "/sign-in" in answer.location


def test_the_agreement_reads_as_a_whole(client: FlaskClient, scene: Scene) -> None:
    sign_in(client, scene.orderer.person_id, language="en")
    page = client.get(f"/processes/{scene.process_id}/agreement/1", headers=EN)
    assert page.status_code == 200
    for text in (
        "Supervision agreement",
        "Perustehtävän kirkastaminen",
        "€180.00",
        "In force",
        "Helena Virtanen",
    ):
        assert text in page.text
    pdf = client.get(f"/processes/{scene.process_id}/agreement/1.pdf", headers=EN)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF") and b"Supervision agreement" in pdf.data


def test_charts_show_the_readers_own_line(client: FlaskClient, scene: Scene) -> None:
    sign_in(client, scene.participants[1].person_id, language="en")
    page = client.get(f"/processes/{scene.process_id}/goals", headers=EN)
    assert page.status_code == 200
    assert page.text.count("<svg") == 2 and "<polyline" in page.text
    assert "<td>4.0</td>" in page.text and "<td>9.0</td>" in page.text  # their own: 4, 6, 7, 9


def test_the_orderer_sees_no_answers_and_a_stranger_no_process(app: Flask, scene: Scene) -> None:
    orderer, stranger = app.test_client(), app.test_client()
    sign_in(orderer, scene.orderer.person_id, language="en")
    assert orderer.get(f"/processes/{scene.process_id}/goals", headers=EN).status_code == 403
    sign_in(stranger, scene.stranger.person_id, language="en")
    for path in ("agreement/1", "agreement/1.pdf", "goals"):
        answer = stranger.get(f"/processes/{scene.process_id}/{path}", headers=EN)
        assert answer.status_code == 404 and "Page not found" in answer.text
