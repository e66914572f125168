"""Realistic Finnish demo data, built only through the use cases the pages and the API
call, at the moments a practice would have taken each step: a rule that changes changes
the demo with it, and nothing here writes a row or a stored shape of its own.

One supervisor (also the practice admin), two client organisations with rooms, and the
three modes at different stages: an individual process under way (sessions held, one
cancelled late and charged, a scaling evaluation answered, so the orderer's report has
figures), a group whose agreement waits for its members' and orderer's acceptance, a
work community whose inquiry was accepted and whose initial assessment is booked, and a
new inquiry waiting for the supervisor's answer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select

from service import clock
from service.domain.agreements import ReportItem
from service.domain.cancellation import CancellationCategory
from service.domain.holidays_fi import first_working_day
from service.domain.inquiries import InquiryForm
from service.domain.processes import ProcessMode
from service.domain.rules import PlaceKind
from service.domain.working_hours import OverrideKind
from service.extensions import db
from service.models import (
    AttendanceStatus,
    GoalKind,
    Person,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.services.accounts.passwords import set_password_for
from service.services.accounts.supervisors import NewSupervisor, add_supervisor
from service.services.auth import Principal
from service.services.availability.settings import (
    DayHours,
    Limits,
    NewOverride,
    NewPlace,
    add_override,
    add_place,
    save_limits,
    save_week,
)
from service.services.booking.changes import cancel_session
from service.services.places import places_for
from service.services.processes.agreements import (
    AgreementDraft,
    GoalDraft,
    accept_agreement,
    latest_version,
    save_draft,
    send_agreement,
)
from service.services.processes.evaluations import answer_round, open_session_evaluation
from service.services.processes.inquiries import (
    accept_inquiry,
    confirm_inquiry,
    confirmation_token,
    submit_inquiry,
)
from service.services.processes.lifecycle import (
    NewParticipant,
    add_participant,
    mark_assessment_held,
)
from service.services.processes.parties import (
    OrdererChoice,
    name_orderer,
    set_participant_roles,
    start_process,
)
from service.services.processes.series import accept_series
from service.services.processes.session_records import record_attendance, write_content
from service.services.rooms.admin import add_room

ZONE = ZoneInfo("Europe/Helsinki")
DEMO_PASSWORD = "ohjaamo-demo-2026"  # noqa: S105  (printed to the person who loads the demo)
SUPERVISOR_EMAIL = "aino.virtanen@tyonohjaus.example"
SLUG = "aino-virtanen"
CONFIDENTIALITY = (
    "Työnohjaaja ja ohjattavat sitoutuvat vaitioloon. Tilaaja saa tiedon toteutuneista "
    "tapaamisista, osallistujamääristä ja kustannuksista, ei keskustelujen sisällöstä."
)
REPORTED = tuple(item for item in ReportItem if item is not ReportItem.GOAL_AVERAGES)


@dataclass
class DemoResult:
    created: bool
    sign_in: list[str] = field(default_factory=list)


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE).astimezone(dt.UTC)


def _person_id(email: str) -> Principal:
    person_id = db.session.scalar(select(Person.id).where(Person.email == email))
    assert person_id is not None, email
    return Principal(person_id=person_id)


def _process(process_id: uuid.UUID) -> SupervisionProcess:
    process = db.session.get(SupervisionProcess, process_id)
    assert process is not None, process_id
    return process


def _orderer_of(process_id: uuid.UUID) -> uuid.UUID:
    organisation_id = _process(process_id).orderer_organisation_id
    assert organisation_id is not None, process_id
    return organisation_id


def _sign_in_lines() -> list[str]:
    link = "ohjaamo sign-in-link"
    return [
        f"Työnohjaaja (ja ylläpitäjä): {SUPERVISOR_EMAIL} / {DEMO_PASSWORD} "
        "(kirjautuminen: /sign-in/password)",
        f"Ohjattava: laura.nieminen@esimerkkila.example (linkki: {link} "
        "laura.nieminen@esimerkkila.example, tai /sign-in ja /dev/mailbox)",
        f"Ryhmän yhteyshenkilö: jussi.makela@kide.example ({link} jussi.makela@kide.example)",
        f"Tilaajan yhteyshenkilö: mikko.laine@esimerkkila.example "
        f"({link} mikko.laine@esimerkkila.example)",
        f"Julkinen yhteydenottosivu: /s/{SLUG}",
    ]


def load_demo(now: dt.datetime | None = None) -> DemoResult:
    """Load the demo once; a second call changes nothing."""
    if db.session.scalar(select(Person.id).where(Person.email == SUPERVISOR_EMAIL)) is not None:
        return DemoResult(created=False, sign_in=_sign_in_lines())
    _Demo((now or clock.now()).astimezone(ZONE).date()).build()
    return DemoResult(created=True, sign_in=_sign_in_lines())


class _Demo:
    def __init__(self, today: dt.date) -> None:
        self.today = today

    def build(self) -> None:
        self._supervisor()
        self._individual_process()
        self._group_process()
        self._work_community_process()
        self._new_inquiry()

    # --- The practice -----------------------------------------------------------------

    def _supervisor(self) -> None:
        add_supervisor(
            NewSupervisor(
                name="Aino Virtanen",
                email=SUPERVISOR_EMAIL,
                slug=SLUG,
                practice_name="Työnohjaus Virtanen",
                practice_slug="virtanen",
                title="Työnohjaaja (STOry), ratkaisukeskeinen psykoterapeutti",
                introduction=(
                    "Ohjaan yksilöitä, ryhmiä ja työyhteisöjä sosiaali- ja terveysalalla sekä "
                    "asiantuntijatyössä. Työskentelen ratkaisukeskeisesti: etsimme yhdessä, "
                    "mikä jo toimii, ja pieniä askelia kohti tavoitteita."
                ),
                admin=True,
                session_price_cents=18000,
            )
        )
        set_password_for(SUPERVISOR_EMAIL, DEMO_PASSWORD)
        self.aino = _person_id(SUPERVISOR_EMAIL)
        save_limits(
            self.aino,
            Limits(
                slot_step_minutes=30,
                buffer_before_minutes=0,
                buffer_after_minutes=15,
                default_travel_minutes=30,
                min_notice_minutes=24 * 60,
                max_advance_days=180,
                max_sessions_per_day=4,
                max_sessions_per_week=14,
            ),
        )
        week = [DayHours(day, dt.time(8, 30), dt.time(16)) for day in range(4)]
        week += [DayHours(4, dt.time(8, 30), dt.time(14))]
        week += [DayHours(day, None, None) for day in (5, 6)]
        save_week(self.aino, week)
        add_override(
            self.aino,
            NewOverride(
                on_date=first_working_day(self.today + dt.timedelta(days=30), 2),
                kind=OverrideKind.OFF,
                starts=None,
                ends=None,
                label="Koulutuspäivä",
            ),
        )
        self.office = add_place(
            self.aino,
            NewPlace("Vastaanotto", "Hämeenkatu 12 B 14", "33100", "Tampere"),
        )

    def _rooms(
        self, contact: Principal, organisation_id: uuid.UUID, rooms: list[dict[str, str]]
    ) -> None:
        for room in rooms:
            add_room(contact, organisation_id, room)

    def _inquiry(
        self,
        form: InquiryForm,
        sent: dt.datetime,
        assessment: dt.datetime,
        place_kind: PlaceKind = PlaceKind.REMOTE,
        location_id: uuid.UUID | None = None,
    ) -> tuple[SupervisionProcess, Principal]:
        receipt = submit_inquiry(
            SLUG,
            form,
            now=sent,
            assessment_at=assessment,
            place_kind=place_kind,
            location_id=location_id,
        )
        confirmed = sent + dt.timedelta(minutes=7)
        confirm_inquiry(confirmation_token(receipt.inquiry_id, now=confirmed), now=confirmed)
        return _process(receipt.process_id), _person_id(form.email)

    # --- An individual process under way ---------------------------------------------

    def _individual_process(self) -> None:
        start = first_working_day(self.today - dt.timedelta(days=63), 1)
        sent = _local(start - dt.timedelta(days=24), 9)
        assessment = _local(first_working_day(start - dt.timedelta(days=20), 2), 10)
        process, laura = self._inquiry(
            InquiryForm(
                name="Laura Nieminen",
                email="laura.nieminen@esimerkkila.example",
                organisation="Esimerkkilän kaupunki, kotihoito",
                mode=ProcessMode.INDIVIDUAL,
                needs=["workload", "professional_growth"],
                group_size=None,
                privacy_consent=True,
            ),
            sent,
            assessment,
        )
        accept_inquiry(self.aino, process.id, now=sent + dt.timedelta(hours=3))
        after = assessment + dt.timedelta(hours=2)
        mark_assessment_held(self.aino, process.id, now=after)
        name_orderer(
            self.aino,
            process.id,
            OrdererChoice(
                organisation_name="Esimerkkilän kaupunki, kotihoito",
                business_id="0000000-1",
                premises_street="Kalevantie 5",
                premises_postal_code="33100",
                premises_city="Tampere",
                contact_name="Mikko Laine",
                contact_email="mikko.laine@esimerkkila.example",
            ),
        )
        self.city = _orderer_of(process.id)
        mikko = _person_id("mikko.laine@esimerkkila.example")
        self.mikko = mikko
        self._rooms(
            mikko,
            self.city,
            [
                {
                    "name": "Neuvotteluhuone Kuusi",
                    "capacity": "8",
                    "building": "Kalevantie 5",
                    "floor": "2",
                    "accessible": "y",
                    "equipment": "screen, whiteboard",
                    "bookable_from": "07:00",
                    "bookable_until": "18:00",
                },
                {
                    "name": "Neuvotteluhuone Koivu",
                    "capacity": "14",
                    "building": "Kalevantie 5",
                    "floor": "3",
                    "accessible": "y",
                    "equipment": "screen, video_conferencing",
                    "bookable_from": "07:00",
                    "bookable_until": "18:00",
                },
            ],
        )
        laura_id = laura.person_id
        save_draft(
            self.aino,
            process.id,
            AgreementDraft(
                starts_on=start,
                planned_end_on=start + dt.timedelta(days=365),
                session_count=16,
                session_minutes=90,
                min_gap_days=14,
                max_gap_days=28,
                preferred_weekday=1,
                preferred_start=dt.time(13),
                place_kind=PlaceKind.OFFICE,
                location_id=self.office,
                price_cents=18000,
                payer_description="Esimerkkilän kaupunki, kotihoito",
                report_items=REPORTED,
                methods="Ratkaisukeskeinen työnohjaus, asteikkokysymykset.",
                confidentiality_clause=CONFIDENTIALITY,
                goals=(
                    GoalDraft("Työn priorisointi kotihoidon muutostilanteessa"),
                    GoalDraft(
                        "Omien rajojen asettaminen ja palautuminen",
                        kind=GoalKind.PERSONAL,
                        owner_id=laura_id,
                    ),
                ),
            ),
        )
        sent_on = after + dt.timedelta(days=1)
        version = send_agreement(self.aino, process.id, now=sent_on)
        accept_agreement(laura, version, now=sent_on + dt.timedelta(days=1))
        accept_agreement(mikko, version, now=sent_on + dt.timedelta(days=2))
        bound = sent_on + dt.timedelta(days=2, hours=1)
        accept_agreement(self.aino, version, now=bound)
        # The supervisor books the series up to the coming weeks; later sessions stay
        # proposed, and the client books her next one herself.
        soon = _local(self.today + dt.timedelta(days=10), 0)
        first_ones = list(
            db.session.scalars(
                select(SupervisionSession.id).where(
                    SupervisionSession.process_id == process.id,
                    SupervisionSession.status == SessionStatus.PROPOSED,
                    SupervisionSession.starts_at < soon,
                )
            )
        )
        db.session.rollback()
        accept_series(
            self.aino, process.id, now=bound + dt.timedelta(minutes=5), session_ids=first_ones
        )
        self._individual_history(process.id, laura)

    def _individual_history(self, process_id: uuid.UUID, laura: Principal) -> None:
        """The sessions before today: held with notes, the second cancelled late."""
        now = clock.now()
        sessions = db.session.scalars(
            select(SupervisionSession)
            .where(
                SupervisionSession.process_id == process_id,
                SupervisionSession.status == SessionStatus.BOOKED,
                SupervisionSession.starts_at < now,
            )
            .order_by(SupervisionSession.starts_at)
        ).all()
        past = [(s.id, s.starts_at, s.ends_at) for s in sessions]
        participant = _process(process_id).participants[0].id
        version = latest_version(process_id)
        assert version is not None
        goals = {g["kind"]: g["goal_id"] for g in version.goals_snapshot}
        db.session.rollback()
        for index, (session_id, starts, ends) in enumerate(past):
            if index == 1:
                cancel_session(
                    laura,
                    session_id,
                    CancellationCategory.SCHEDULE_CONFLICT,
                    now=starts - dt.timedelta(hours=10),
                )
                continue
            if index == 2:
                evaluation = open_session_evaluation(
                    self.aino, session_id, now=starts - dt.timedelta(hours=2)
                )
                answer_round(
                    laura,
                    evaluation,
                    {
                        uuid.UUID(goals["organisation"]): (4, "Sanon ääneen, mitä en ehdi tehdä."),
                        uuid.UUID(goals["personal"]): (5, "Pidän iltapäivällä tauon."),
                    },
                    now=ends + dt.timedelta(hours=1),
                )
            record_attendance(
                self.aino,
                session_id,
                {participant: AttendanceStatus.PRESENT},
                now=ends + dt.timedelta(minutes=30),
            )
            write_content(
                self.aino,
                session_id,
                notes=f"Demomuistiinpano tapaamisesta {index + 1}.",
                next_step="Kokeilen viikon ajan kalenteriin merkittyä taukoa iltapäivällä.",
            )

    # --- A group whose agreement waits for acceptance --------------------------------

    def _group_process(self) -> None:
        formed = _local(self.today - dt.timedelta(days=12), 11)
        process_id = start_process(self.aino, ProcessMode.GROUP)
        mark_assessment_held(self.aino, process_id, now=formed)
        name_orderer(
            self.aino,
            process_id,
            OrdererChoice(
                organisation_name="Insinööritoimisto Kide Oy",
                business_id="0000000-2",
                premises_street="Hatanpään valtatie 26",
                premises_postal_code="33100",
                premises_city="Tampere",
                contact_name="Sari Koskinen",
                contact_email="sari.koskinen@kide.example",
            ),
        )
        kide = _orderer_of(process_id)
        sari = _person_id("sari.koskinen@kide.example")
        self._rooms(
            sari,
            kide,
            [
                {
                    "name": "Sali Aurora",
                    "capacity": "20",
                    "building": "A",
                    "floor": "5",
                    "accessible": "y",
                    "equipment": "screen, video_conferencing",
                },
                {"name": "Hiljainen huone", "capacity": "4", "building": "A", "floor": "4"},
            ],
        )
        members = [
            ("Jussi Mäkelä", "jussi.makela@kide.example", "fi"),
            ("Hanna Lehtonen", "hanna.lehtonen@kide.example", "fi"),
            ("Petra Salonen", "petra.salonen@kide.example", "sv"),
            ("Tomi Heikkinen", "tomi.heikkinen@kide.example", "en"),
        ]
        for position, (name, email, language) in enumerate(members):
            add_participant(
                self.aino,
                process_id,
                NewParticipant(
                    name,
                    email,
                    language=language,
                    is_group_contact=position == 0,
                    organisation_id=kide,
                ),
            )
        places = places_for(_process(process_id))
        premises = next(p.id for p in places if p.organisation_id == kide)
        start = first_working_day(self.today + dt.timedelta(days=21), 3)
        save_draft(
            self.aino,
            process_id,
            AgreementDraft(
                starts_on=start,
                planned_end_on=start + dt.timedelta(days=300),
                session_count=12,
                session_minutes=120,
                min_gap_days=21,
                max_gap_days=35,
                preferred_weekday=3,
                preferred_start=dt.time(9),
                place_kind=PlaceKind.CLIENT_PREMISES,
                location_id=premises,
                price_cents=26000,
                payer_description="Insinööritoimisto Kide Oy",
                report_items=REPORTED,
                confidentiality_clause=CONFIDENTIALITY,
                goals=(GoalDraft("Esihenkilöiden yhteinen tapa käsitellä kuormitusta"),),
            ),
        )
        sent = _local(self.today - dt.timedelta(days=2), 10)
        version = send_agreement(self.aino, process_id, now=sent)
        accept_agreement(self.aino, version, now=sent + dt.timedelta(minutes=5))

    # --- A work community with its initial assessment booked -------------------------

    def _work_community_process(self) -> None:
        sent = _local(self.today - dt.timedelta(days=6), 15)
        assessment = _local(first_working_day(self.today + dt.timedelta(days=7), 2), 10)
        process, _riikka = self._inquiry(
            InquiryForm(
                name="Riikka Aaltonen",
                email="riikka.aaltonen@esimerkkila.example",
                organisation="Esimerkkilän kaupunki, kotihoito",
                mode=ProcessMode.WORK_COMMUNITY,
                needs=["team_cooperation", "change_at_work", "workload"],
                group_size=9,
                privacy_consent=True,
            ),
            sent,
            assessment,
            place_kind=PlaceKind.OFFICE,
            location_id=self.office,
        )
        accept_inquiry(self.aino, process.id, now=sent + dt.timedelta(hours=20))
        name_orderer(
            self.aino,
            process.id,
            OrdererChoice(organisation_id=self.city, contact_id=self.mikko.person_id),
        )
        manager = process.participants[0].id
        set_participant_roles(
            self.aino, process.id, manager, is_manager=True, is_group_contact=True
        )
        for name, email, language in (
            ("Eero Kallio", "eero.kallio@esimerkkila.example", "fi"),
            ("Minna Järvinen", "minna.jarvinen@esimerkkila.example", "fi"),
            ("Oskari Wikström", "oskari.wikstrom@esimerkkila.example", "sv"),
        ):
            add_participant(
                self.aino,
                process.id,
                NewParticipant(name, email, language=language, organisation_id=self.city),
            )

    # --- A new inquiry waiting for the supervisor's answer ----------------------------

    def _new_inquiry(self) -> None:
        sent = _local(self.today - dt.timedelta(days=1), 18)
        assessment = _local(first_working_day(self.today + dt.timedelta(days=5), 0), 10)
        self._inquiry(
            InquiryForm(
                name="Elina Saarinen",
                email="elina.saarinen@posti.example",
                organisation="",
                mode=ProcessMode.INDIVIDUAL,
                needs=["career_direction", "wellbeing_at_work"],
                group_size=None,
                privacy_consent=True,
            ),
            sent,
            assessment,
        )
