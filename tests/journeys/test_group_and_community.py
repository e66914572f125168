"""A group and a work community as their people walk them, from an empty instance
through pages only, with aiosmtpd and Radicale.

The group: four members from two organisations, formed by the supervisor with an
orderer; everyone accepts the agreement; its contact books for the group (and is told
why not while the agreement waits); each member gets their own invitation, naming no
one else; one member reports absence; the orderer reads the report and its CSV.

The work community: its manager among the participants (the agreement is not sent
without), at the client's premises, where the orderer contact adds a room; the
supervisor books the agreement's series and each session reserves the room."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from service.extensions import db
from service.models import SessionStatus, SupervisionSession
from tests.journeys.site import Site, text_of

pytestmark = pytest.mark.sqlite_only
SUPERVISOR = "aino@tyonohjaus.test"


def supervisor_ready(site: Site) -> Page:
    site.add_supervisor(SUPERVISOR, "Aino Ohjaaja", "aino-ohjaaja")
    aino = site.person()
    site.sign_in_with_password(aino, SUPERVISOR)
    site.set_working_week(aino)
    site.connect_calendar(aino)
    return aino


def start_process(site: Site, aino: Page, mode: str) -> str:
    aino.goto(f"{site.base}/supervisor/processes")
    aino.locator("#start-mode").select_option(mode)
    aino.get_by_role("button", name=site.t("Start a process")).click()
    aino.get_by_role("button", name=site.t("Mark the initial assessment held")).click()
    expect(aino.get_by_role("status")).to_be_visible()
    return aino.url


def name_orderer(
    site: Site, aino: Page, organisation: str, contact: str, email: str, **premises: str
) -> None:
    t = site.t
    aino.get_by_label(t("New organisation's name")).fill(organisation)
    if premises:
        aino.get_by_label(t("Street address of its premises (optional)")).fill(premises["street"])
        aino.get_by_label(t("Postal code")).fill(premises["postal_code"])
        aino.get_by_label(t("City")).fill(premises["city"])
    aino.get_by_label(t("New contact's name")).fill(contact)
    aino.get_by_label(t("New contact's email")).fill(email)
    aino.get_by_role("button", name=t("Save the orderer")).click()
    expect(aino.get_by_role("status")).to_contain_text(t("The orderer is saved."))


def add_participant(
    site: Site, aino: Page, name: str, email: str, organisation: str | None = None, **roles: bool
) -> None:
    t = site.t
    aino.get_by_label(t("Name"), exact=True).fill(name)
    aino.get_by_label(t("Email"), exact=True).fill(email)
    if organisation:
        aino.get_by_label(t("Organisation"), exact=True).select_option(label=organisation)
    if roles.get("manager"):
        aino.get_by_label(t("Manager (esihenkilö)")).check()
    if roles.get("books"):
        aino.get_by_label(t("Books the sessions for the group")).check()
    aino.get_by_role("button", name=t("Add the participant")).click()
    expect(aino.get_by_role("status")).to_contain_text(name)


def draft_agreement(
    site: Site, aino: Page, sessions: int, *, send: bool = True, premises: str = ""
) -> None:
    t = site.t
    aino.get_by_role("link", name=t("Draft the agreement")).click()
    aino.locator("#starts_on").fill("2027-03-08")
    aino.locator("#planned_end_on").fill("2027-09-30")
    aino.locator("#session_count").fill(str(sessions))
    aino.locator("#min_gap_days").fill("7")
    if premises:
        aino.locator("#place_kind").select_option("client_premises")
        option = aino.locator("#location_id option", has_text=premises)
        aino.locator("#location_id").select_option(option.get_attribute("value"))
    else:
        aino.locator("#place_kind").select_option("remote")
        aino.locator("#location_id").select_option("")
    aino.locator("#price").fill("240")
    aino.locator("input[name='goals-0-title']").fill("Yhteinen tapa käsitellä kuormitusta")
    action = t("Save and send for acceptance") if send else t("Save the draft")
    aino.get_by_role("button", name=action).click()
    expect(aino.get_by_role("status")).to_be_visible()


def accepts(site: Site, page: Page, email: str) -> None:
    """A party opens the agreement from the mail, signs in and accepts it."""
    agreement = site.link_to(email, "/agreement/")
    site.sign_in_by_mail(page, email)
    page.goto(agreement)
    page.get_by_role("button", name=site.t("I accept the agreement")).click()
    expect(page.get_by_role("status")).to_be_visible()


def my_process(site: Site, page: Page) -> None:
    page.goto(f"{site.base}/my")
    page.locator("main a[href^='/my/processes/']").first.click()


def test_a_group_of_four_from_two_organisations(site: Site) -> None:
    t = site.t
    aino = supervisor_ready(site)
    process_url = start_process(site, aino, "group")
    name_orderer(site, aino, "Kide Oy", "Sari Tilaaja", "sari@kide.test")
    members = {
        "jussi@kide.test": ("Jussi Mäkelä", "Kide Oy", True),
        "hanna@kide.test": ("Hanna Lehtonen", "Kide Oy", False),
        "petra@toinen.test": ("Petra Salonen", None, False),
        "tomi@toinen.test": ("Tomi Heikkinen", None, False),
    }
    for email, (name, organisation, books) in members.items():
        add_participant(site, aino, name, email, organisation, books=books)
    site.step(aino, "group-01-formed")
    draft_agreement(site, aino, 4)
    site.deliver()

    # The group's contact accepts first: booking says what it still waits for.
    jussi = site.person()
    accepts(site, jussi, "jussi@kide.test")
    my_process(site, jussi)
    expect(jussi.locator(".blocker")).to_contain_text("5")
    jussi.goto(jussi.url + "/book")
    expect(jussi.locator("input[name=slot]")).to_have_count(0)
    site.step(jussi, "group-02-contact-waits")
    people = {"jussi@kide.test": jussi}
    for email in ["hanna@kide.test", "petra@toinen.test", "tomi@toinen.test", "sari@kide.test"]:
        people[email] = site.person()
        accepts(site, people[email], email)
    aino.goto(process_url)
    aino.get_by_role("link", name=t("Read and accept the agreement")).click()
    aino.get_by_role("button", name=t("I accept the agreement")).click()

    # The contact books two sessions for the group.
    my_process(site, jussi)
    for _ in range(2):
        jussi.get_by_role("link", name=t("Book the next session")).click()
        jussi.locator("input[name=slot]").first.check()
        jussi.get_by_role("button", name=t("Book this time")).click()
        expect(jussi.get_by_role("status")).to_be_visible()
    site.step(jussi, "group-03-contact-booked")
    site.deliver()

    # Each member's own invitation, to their address alone, naming no other member.
    for email in members:
        invitations = [
            m
            for m in site.mails_to(email)
            if any(p.get_content_type() == "text/calendar" for p in m.walk())
        ]
        assert len(invitations) == 2, email
        for message in invitations:
            assert message["To"].addresses[0].addr_spec == email
            others = [other for other in members if other != email]
            assert not any(other in message.as_string() for other in others)
            assert not any(name in text_of(message) for name, _o, _b in members.values())

    # One member cannot come to the second session and says so.
    hanna = people["hanna@kide.test"]
    my_process(site, hanna)
    hanna.get_by_role("button", name=t("Report absence")).last.click()
    expect(hanna.get_by_role("status")).to_be_visible()
    site.step(hanna, "group-04-absence-reported")

    # The first session is held; the orderer reads the report and the CSV.
    with site.app.app_context():
        first = db.session.scalars(
            select(SupervisionSession)
            .where(SupervisionSession.status == SessionStatus.BOOKED)
            .order_by(SupervisionSession.starts_at)
        ).first()
        first_id, first_end = first.id, first.ends_at
    site.travel(first_end + dt.timedelta(hours=1))
    aino.goto(f"{site.base}/supervisor/sessions/{first_id}")
    aino.get_by_role("button", name=t("Save attendance")).click()
    expect(aino.get_by_role("status")).to_be_visible()
    sari = people["sari@kide.test"]
    sari.goto(f"{site.base}/organisation")
    site.step(sari, "group-05-orderer-report")
    expect(sari.locator("main")).not_to_contain_text("Hanna")
    csv = sari.request.get(f"{site.base}/organisation/invoicing.csv")
    assert csv.status == 200 and "240" in csv.text(), csv.text()
    assert "Jussi" not in csv.text()


def test_a_work_community_with_its_manager_at_the_clients_premises(site: Site) -> None:
    t = site.t
    aino = supervisor_ready(site)
    process_url = start_process(site, aino, "work_community")
    name_orderer(
        site,
        aino,
        "Esimerkkilän kaupunki",
        "Mikko Tilaaja",
        "mikko@esimerkkila.test",
        street="Kalevantie 5",
        postal_code="33100",
        city="Tampere",
    )
    team = {
        "riikka@esimerkkila.test": "Riikka Aaltonen",
        "eero@esimerkkila.test": "Eero Kallio",
        "minna@esimerkkila.test": "Minna Järvinen",
    }
    for email, name in team.items():
        add_participant(site, aino, name, email, "Esimerkkilän kaupunki")

    # The orderer contact adds a room at the premises.
    mikko = site.person()
    site.sign_in_by_mail(mikko, "mikko@esimerkkila.test")
    mikko.goto(f"{site.base}/organisation/rooms")
    mikko.get_by_role("link", name=t("Add a room")).click()
    mikko.get_by_label(t("Name"), exact=True).fill("Neuvotteluhuone Kuusi")
    mikko.locator("#capacity").fill("8")
    mikko.get_by_role("button", name=t("Save the room")).click()
    site.step(mikko, "community-01-room-added")

    # Without the manager the draft cannot be sent: the page says so.
    draft_agreement(site, aino, 2, send=False, premises="Kalevantie")
    aino.goto(process_url)
    expect(aino.locator("main")).to_contain_text(
        t("Work-community supervision needs the manager among the participants.")
    )
    site.step(aino, "community-02-manager-missing")
    riikka = aino.locator("li", has_text="Riikka Aaltonen")
    riikka.get_by_label(t("Manager"), exact=True).check()
    riikka.get_by_role(
        "button", name=t("Save the roles of %(name)s", name="Riikka Aaltonen")
    ).click()
    expect(aino.get_by_role("status")).to_be_visible()
    aino.get_by_role("link", name=t("Check the draft and send it")).click()
    aino.get_by_role("button", name=t("Save and send for acceptance")).click()
    expect(aino.get_by_role("status")).to_be_visible()
    site.deliver()
    for email in [*team, "mikko@esimerkkila.test"]:
        page = mikko if email.startswith("mikko") else site.person()
        accepts(site, page, email)
    aino.goto(process_url)
    aino.get_by_role("link", name=t("Read and accept the agreement")).click()
    aino.get_by_role("button", name=t("I accept the agreement")).click()

    # The supervisor books the series; each session holds the room.
    aino.goto(process_url)
    aino.get_by_role("link", name=t("The agreement's series")).click()
    aino.get_by_role("button", name=t("Book all that fit")).click()
    site.step(aino, "community-03-series-booked")
    with site.app.app_context():
        booked = db.session.scalars(
            select(SupervisionSession).where(SupervisionSession.status == SessionStatus.BOOKED)
        ).all()
        assert len(booked) == 2 and all(s.room_id is not None for s in booked)
    mikko.goto(f"{site.base}/organisation/rooms")
    expect(mikko.locator("main")).to_contain_text("Neuvotteluhuone Kuusi")
    site.step(mikko, "community-04-reservations")
    aino.goto(process_url)
    site.step(aino, "community-05-process-page")
