"""An individual process as its people walk it, from an empty instance through pages
only: the supervisor (added by the operator) sets their week and connects their
calendar; a client asks for supervision on the public page and confirms from the mail;
the supervisor accepts the inquiry and, after the assessment, drafts and sends the
agreement; client and supervisor accept; the client books three sessions, moves one and
cancels one late (charged); the interim evaluation is answered; the process is closed.
The sessions reach the supervisor's Radicale calendar under the neutral title."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from service.extensions import db
from service.models import SessionStatus, SupervisionSession
from tests.builders import helsinki
from tests.journeys.site import Site

pytestmark = pytest.mark.sqlite_only
SUPERVISOR = "aino@tyonohjaus.test"
CLIENT = "laura@asiakas.test"


def first_upcoming_booked(site: Site) -> SupervisionSession:
    with site.app.app_context():
        return db.session.scalars(
            select(SupervisionSession)
            .where(SupervisionSession.status == SessionStatus.BOOKED)
            .where(SupervisionSession.kind != "initial_assessment")
            .order_by(SupervisionSession.starts_at)
        ).first()


def test_an_individual_process_from_the_public_page_to_its_close(site: Site) -> None:
    t = site.t
    site.add_supervisor(SUPERVISOR, "Aino Ohjaaja", "aino-ohjaaja")
    aino = site.person()
    site.sign_in_with_password(aino, SUPERVISOR)
    site.set_working_week(aino)
    site.connect_calendar(aino)
    site.step(aino, "individual-01-calendar-connected")

    # The client finds the supervisor on the front page and asks for supervision.
    laura = site.person()
    laura.goto(f"{site.base}/")
    site.step(laura, "individual-02-front-page")
    laura.get_by_role("link", name="Aino Ohjaaja").click()
    laura.get_by_label(t("Your name")).fill("Laura Asiakas")
    laura.get_by_label(t("Email")).fill(CLIENT)
    laura.get_by_label(t("Workload and coping")).check()
    laura.locator("input[name=slot]").first.check()
    laura.get_by_label(t("I have read the privacy notice and agree to it.")).check()
    site.step(laura, "individual-03-inquiry")
    laura.get_by_role("button", name=t("Send the inquiry")).click()
    site.deliver()
    laura.goto(site.link_to(CLIENT, "/inquiry/confirm/"))
    laura.get_by_role("button", name=t("Confirm")).click()
    site.step(laura, "individual-04-inquiry-confirmed")
    site.deliver()

    # The supervisor accepts the inquiry; after the assessment, marks it held.
    aino.goto(f"{site.base}/supervisor/processes")
    aino.locator("table a").first.click()
    site.step(aino, "individual-05-inquiry-to-answer")
    aino.get_by_role("button", name=t("Accept the inquiry")).click()
    expect(aino.get_by_role("status")).to_contain_text(
        t("The inquiry is accepted and the inquirer told.")
    )
    process_url = aino.url
    site.travel(helsinki(2027, 3, 4, 9))
    aino.goto(process_url)
    aino.get_by_role("button", name=t("Mark the initial assessment held")).click()
    site.step(aino, "individual-06-assessment-held")

    # The agreement: three sessions, remote, an interim evaluation after a month.
    aino.get_by_role("link", name=t("Draft the agreement")).click()
    aino.locator("#starts_on").fill("2027-03-08")
    aino.locator("#planned_end_on").fill("2027-05-10")
    aino.locator("#session_count").fill("3")
    aino.locator("#min_gap_days").fill("7")
    aino.locator("#place_kind").select_option("remote")
    aino.locator("#location_id").select_option("")
    aino.locator("#price").fill("120")
    aino.locator("#interim_evaluation_months").fill("1")
    aino.locator("input[name='goals-0-title']").fill("Oma jaksaminen ja rajat")
    site.step(aino, "individual-07-agreement-draft")
    aino.get_by_role("button", name=t("Save and send for acceptance")).click()
    expect(aino.get_by_role("status")).to_be_visible()
    site.deliver()

    # The client accepts from the mail, then the supervisor.
    agreement = site.link_to(CLIENT, "/agreement/")
    site.sign_in_by_mail(laura, CLIENT)
    laura.goto(agreement)
    site.step(laura, "individual-08-agreement-to-accept")
    laura.get_by_role("button", name=t("I accept the agreement")).click()
    aino.goto(process_url)
    expect(aino.get_by_text(t("The agreement waits for your own acceptance too."))).to_be_visible()
    aino.get_by_role("link", name=t("Read and accept the agreement")).click()
    aino.get_by_role("button", name=t("I accept the agreement")).click()
    aino.goto(process_url)
    site.step(aino, "individual-09-agreement-in-force")

    # The client books three sessions within the agreement's rhythm.
    laura.goto(f"{site.base}/my")
    laura.locator("main a[href^='/my/processes/']").first.click()
    my_process = laura.url
    for number in range(3):
        laura.get_by_role("link", name=t("Book the next session")).click()
        laura.locator("input[name=slot]").first.check()
        if number == 0:
            site.step(laura, "individual-10-booking")
        laura.get_by_role("button", name=t("Book this time")).click()
        expect(laura.get_by_role("status")).to_be_visible()
    site.step(laura, "individual-11-three-booked")

    # One moved, one cancelled late: charged under the agreement.
    laura.get_by_role("link", name=t("Move")).last.click()
    laura.locator("input[name=slot]").last.check()
    laura.get_by_role("button", name=t("Move to this time")).click()
    expect(laura.get_by_role("status")).to_be_visible()
    first = first_upcoming_booked(site)
    site.travel(first.starts_at - dt.timedelta(hours=10))
    laura.goto(my_process)
    laura.get_by_role("link", name=t("Cancel"), exact=True).first.click()
    laura.get_by_label(t("A schedule conflict")).check()
    site.step(laura, "individual-12-late-cancellation")
    laura.get_by_role("button", name=t("Cancel the session")).click()
    expect(laura.get_by_role("status")).to_contain_text("100")
    site.deliver()

    # The interim evaluation, a month in.
    site.travel(helsinki(2027, 4, 8, 12))
    laura.goto(my_process)
    laura.get_by_role("link", name=t("Answer the evaluation")).click()
    for scale in laura.locator("input[name^='scale-'][value='6']").all():
        scale.check()
    site.step(laura, "individual-13-interim-evaluation")
    laura.get_by_role("button", name=t("Save my answers")).click()
    expect(laura.get_by_role("status")).to_be_visible()

    # Closing waits for the final evaluation, then closes.
    aino.goto(process_url)
    expect(aino.get_by_role("button", name=t("Close the process"))).to_have_count(0)
    site.travel(helsinki(2027, 5, 10, 12))
    aino.goto(process_url)
    aino.get_by_role("button", name=t("Close the process")).click()
    expect(aino.get_by_role("status")).to_contain_text(t("The process is closed."))
    site.step(aino, "individual-14-closed")

    # The supervisor's calendar holds the sessions, titled neutrally.
    site.deliver()
    assert site.calendar is not None
    calendars = site.calendar.client().principal().calendars()
    summaries = [str(e.icalendar_component["SUMMARY"]) for c in calendars for e in c.events()]
    assert summaries and all(s.startswith("Työnohjaus") for s in summaries), summaries
    assert not any("Laura" in s for s in summaries)
