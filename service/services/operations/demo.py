"""Realistic Finnish demo data: one supervisor, two client organisations, three processes.

The processes stand at different stages (an individual process under way, a group
awaiting acceptance of its agreement, a work community with its initial assessment
booked), so every page has something true to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from service import clock
from service.crypto import vault
from service.domain.holidays_fi import first_working_day
from service.domain.rules import PlaceKind, SessionKind
from service.domain.working_hours import OverrideKind
from service.extensions import db
from service.models import (
    AccountRole,
    Agreement,
    AgreementAcceptance,
    AgreementParty,
    AgreementVersion,
    Attendance,
    AttendanceStatus,
    AvailabilityOverride,
    EvaluationAnswer,
    EvaluationKind,
    EvaluationRound,
    Goal,
    GoalKind,
    Inquiry,
    InquiryStatus,
    Location,
    Organisation,
    OrganisationContact,
    Person,
    Practice,
    ProcessMode,
    ProcessParticipant,
    ProcessStatus,
    Role,
    Room,
    RoomReservation,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    SupervisorProfile,
    UserAccount,
    VersionStatus,
    WorkingHours,
)
from service.models.session import ReservationStatus
from service.services.accounts.passwords import hash_password
from service.services.availability.schedule import booking_rules
from service.services.booking.steps import add_hold

ZONE = ZoneInfo("Europe/Helsinki")
DEMO_PASSWORD = "ohjaamo-demo-2026"  # noqa: S105  (printed to the person who loads the demo)
SUPERVISOR_EMAIL = "aino.virtanen@tyonohjaus.example"
CONFIDENTIALITY = (
    "Työnohjaaja ja ohjattavat sitoutuvat vaitioloon. Tilaaja saa tiedon toteutuneista "
    "tapaamisista, osallistujamääristä ja kustannuksista, ei keskustelujen sisällöstä."
)


@dataclass
class DemoResult:
    created: bool
    sign_in: list[str] = field(default_factory=list)


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE).astimezone(dt.UTC)


def _person(name: str, email: str, language: str = "fi") -> Person:
    person = Person(name=name, email=email, language=language)
    db.session.add(person)
    return person


def _account(person: Person, *roles: Role) -> UserAccount:
    account = UserAccount(
        person=person,
        password_hash=hash_password(DEMO_PASSWORD),
        roles=[AccountRole(role=role) for role in roles],
    )
    db.session.add(account)
    return account


def _sign_in_lines(*people: tuple[str, Person]) -> list[str]:
    return [
        f"{label}: {person.email} / {DEMO_PASSWORD} (kirjautuminen: /sign-in/password)"
        for label, person in people
    ]


def load_demo(now: dt.datetime | None = None) -> DemoResult:
    """Load the demo once; a second call changes nothing."""
    existing = db.session.scalar(select(Person).where(Person.email == SUPERVISOR_EMAIL))
    if existing is not None:
        supervisor = existing
        others = db.session.scalars(
            select(Person).where(Person.email.like("%.example"), Person.id != existing.id)
        ).all()
        lines = _sign_in_lines(("Työnohjaaja", supervisor))
        lines += [
            f"Asiakas: {person.email} (linkki: ohjaamo sign-in-link {person.email})"
            for person in others[:3]
        ]
        return DemoResult(created=False, sign_in=lines)
    now = now or clock.now()
    today = now.astimezone(ZONE).date()
    builder = _DemoBuilder(today)
    builder.build()
    db.session.commit()
    return DemoResult(created=True, sign_in=builder.sign_in())


class _DemoBuilder:
    def __init__(self, today: dt.date) -> None:
        self.today = today

    def build(self) -> None:
        self._practice_and_supervisor()
        self._organisations()
        self._individual_process()
        self._group_process()
        self._work_community_process()

    def sign_in(self) -> list[str]:
        lines = _sign_in_lines(("Työnohjaaja (ja ylläpitäjä)", self.supervisor_person))
        lines += [
            f"Ohjattava: {self.laura.email} (linkki: ohjaamo sign-in-link {self.laura.email})",
            f"Tilaajan yhteyshenkilö: {self.mikko.email} "
            f"(linkki: ohjaamo sign-in-link {self.mikko.email})",
            "Julkinen yhteydenottosivu: /s/aino-virtanen",
        ]
        return lines

    def _practice_and_supervisor(self) -> None:
        practice = Practice(
            name="Työnohjaus Virtanen",
            slug="virtanen",
            email=SUPERVISOR_EMAIL,
            business_id="1234567-8",
        )
        self.supervisor_person = _person("Aino Virtanen", SUPERVISOR_EMAIL)
        _account(self.supervisor_person, Role.SUPERVISOR, Role.ADMIN)
        self.supervisor = SupervisorProfile(
            person=self.supervisor_person,
            practice=practice,
            slug="aino-virtanen",
            session_price_cents=18000,
            title="Työnohjaaja (STOry), ratkaisukeskeinen psykoterapeutti",
            introduction=(
                "Ohjaan yksilöitä, ryhmiä ja työyhteisöjä sosiaali- ja terveysalalla sekä "
                "asiantuntijatyössä. Työskentelen ratkaisukeskeisesti: etsimme yhdessä, mikä "
                "jo toimii, ja pieniä askelia kohti tavoitteita."
            ),
            buffer_after_minutes=15,
            default_travel_minutes=30,
            max_sessions_per_day=4,
            max_sessions_per_week=14,
        )
        db.session.add_all([practice, self.supervisor])
        for weekday in range(4):
            self.supervisor.working_hours.append(
                WorkingHours(weekday=weekday, starts=dt.time(8, 30), ends=dt.time(16))
            )
        self.supervisor.working_hours.append(
            WorkingHours(weekday=4, starts=dt.time(8, 30), ends=dt.time(14))
        )
        self.supervisor.overrides.append(
            AvailabilityOverride(
                on_date=first_working_day(self.today + dt.timedelta(days=30), 2),
                kind=OverrideKind.OFF,
                label="Koulutuspäivä",
            )
        )
        db.session.flush()
        self.office = Location(
            supervisor_id=self.supervisor.id,
            name="Vastaanotto",
            street="Hämeenkatu 12 B 14",
            postal_code="33100",
            city="Tampere",
        )
        db.session.add(self.office)
        db.session.flush()

    def _organisations(self) -> None:
        self.city = Organisation(
            name="Esimerkkilän kaupunki, kotihoito",
            business_id="0000000-1",
            invoicing_address="Esimerkkilän kaupunki, ostolaskut, PL 100, 33101 Tampere",
        )
        self.kide = Organisation(
            name="Insinööritoimisto Kide Oy",
            business_id="0000000-2",
            invoicing_address="Kide Oy, verkkolasku 003700000002",
        )
        db.session.add_all([self.city, self.kide])
        db.session.flush()
        self.city_premises = Location(
            organisation_id=self.city.id,
            name="Kotihoidon toimisto",
            street="Kalevantie 5",
            postal_code="33100",
            city="Tampere",
        )
        kide_premises = Location(
            organisation_id=self.kide.id,
            name="Kide Oy, pääkonttori",
            street="Hatanpään valtatie 26",
            postal_code="33100",
            city="Tampere",
        )
        db.session.add_all([self.city_premises, kide_premises])
        db.session.flush()
        self.room_kuusi = Room(
            organisation=self.city,
            location_id=self.city_premises.id,
            name="Neuvotteluhuone Kuusi",
            capacity=8,
            building="Kalevantie 5",
            floor="2",
            accessible=True,
            equipment=["screen", "whiteboard"],
            bookable_from=dt.time(7),
            bookable_until=dt.time(18),
        )
        room_koivu = Room(
            organisation=self.city,
            location_id=self.city_premises.id,
            name="Neuvotteluhuone Koivu",
            capacity=14,
            building="Kalevantie 5",
            floor="3",
            accessible=True,
            equipment=["screen", "video_conferencing"],
            bookable_from=dt.time(7),
            bookable_until=dt.time(18),
        )
        self.room_aurora = Room(
            organisation=self.kide,
            location_id=kide_premises.id,
            name="Sali Aurora",
            capacity=20,
            building="A",
            floor="5",
            accessible=True,
            equipment=["screen", "video_conferencing"],
        )
        hiljainen = Room(
            organisation=self.kide,
            location_id=kide_premises.id,
            name="Hiljainen huone",
            capacity=4,
            building="A",
            floor="4",
        )
        db.session.add_all([self.room_kuusi, room_koivu, self.room_aurora, hiljainen])
        self.mikko = _person("Mikko Laine", "mikko.laine@esimerkkila.example")
        self.sari = _person("Sari Koskinen", "sari.koskinen@kide.example")
        self.city.contacts.append(
            OrganisationContact(person=self.mikko, job_title="Kotihoidon päällikkö")
        )
        self.kide.contacts.append(OrganisationContact(person=self.sari, job_title="HR-päällikkö"))

    def _version(self, agreement: Agreement, **terms: object) -> AgreementVersion:
        defaults: dict[str, object] = {
            "number": 1,
            "session_minutes": 90,
            "session_count": 20,
            "min_gap_days": 14,
            "max_gap_days": 28,
            "starts_on": self.today,
            "place_kind": PlaceKind.CLIENT_PREMISES,
            "price_cents": 18000,
            "methods": "Ratkaisukeskeinen työnohjaus, asteikkokysymykset.",
            "invoicing_terms": "Lasku kuukausittain toteutuneista tapaamisista, 14 pv netto.",
            "free_cancellation_hours": 48,
            "late_cancellation_charge_percent": 100,
            "sickness_exception": True,
            "early_termination_terms": "Kumpikin osapuoli voi päättää sopimuksen kuukauden "
            "irtisanomisajalla; jo pidetyt tapaamiset laskutetaan.",
            "dissatisfaction_terms": "Tyytymättömyydestä keskustellaan ensin yhdessä; "
            "tarvittaessa prosessi päätetään ilman lisäkuluja.",
            "confidentiality_clause": CONFIDENTIALITY,
            "orderer_report_items": [
                "sessions_held",
                "attendance_counts",
                "sessions_cancelled",
                "invoicing",
            ],
            "break_from": "07-01",
            "break_until": "07-31",
        }
        defaults.update(terms)
        version = AgreementVersion(agreement=agreement, **defaults)
        db.session.add(version)
        return version

    def _session(
        self,
        process: SupervisionProcess,
        kind: SessionKind,
        starts: dt.datetime,
        minutes: int,
        status: SessionStatus,
        place: PlaceKind,
        location: Location | None,
        index: int | None = None,
    ) -> SupervisionSession:
        session = SupervisionSession(
            process=process,
            kind=kind,
            status=status,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=minutes),
            place_kind=place,
            location_id=location.id if location else None,
            series_index=index,
        )
        db.session.add(session)
        if status in (SessionStatus.BOOKED, SessionStatus.HELD):
            db.session.flush()
            add_hold(session, self.supervisor.id, booking_rules(self.supervisor))
        return session

    def _individual_process(self) -> None:
        self.laura = _person("Laura Nieminen", "laura.nieminen@esimerkkila.example")
        process = SupervisionProcess(
            code="TY-K7Q2",
            mode=ProcessMode.INDIVIDUAL,
            status=ProcessStatus.ACTIVE,
            supervisor=self.supervisor,
            orderer_organisation=self.city,
            orderer_contact=self.mikko,
        )
        participant = ProcessParticipant(person=self.laura, organisation_id=self.city.id)
        process.participants.append(participant)
        db.session.add(process)
        db.session.flush()
        org_goal = Goal(
            process_id=process.id,
            kind=GoalKind.ORGANISATION,
            position=0,
            title="Työn priorisointi kotihoidon muutostilanteessa",
        )
        own_goal = Goal(
            process_id=process.id,
            kind=GoalKind.PERSONAL,
            owner_id=self.laura.id,
            position=1,
            title="Omien rajojen asettaminen ja palautuminen",
        )
        db.session.add_all([org_goal, own_goal])
        start = self.today - dt.timedelta(days=9 * 7)
        agreement = Agreement(process_id=process.id)
        db.session.add(agreement)
        version = self._version(
            agreement,
            starts_on=start,
            planned_end_on=start + dt.timedelta(days=365),
            session_count=16,
            min_gap_days=14,
            max_gap_days=28,
            preferred_weekday=1,
            preferred_start=dt.time(13),
            place_kind=PlaceKind.OFFICE,
            location_id=self.office.id,
            status=VersionStatus.ACCEPTED,
            sent_at=_local(start - dt.timedelta(days=7), 9),
            accepted_at=_local(start - dt.timedelta(days=5), 12),
            goals_snapshot=[
                {
                    "goal_id": str(org_goal.id),
                    "kind": "organisation",
                    "title": org_goal.title,
                    "owner_id": None,
                },
                {
                    "goal_id": str(own_goal.id),
                    "kind": "personal",
                    "title": own_goal.title,
                    "owner_id": str(self.laura.id),
                },
            ],
        )
        for person, party in (
            (self.supervisor_person, AgreementParty.SUPERVISOR),
            (self.laura, AgreementParty.SUPERVISEE),
            (self.mikko, AgreementParty.ORDERER),
        ):
            version.acceptances.append(
                AgreementAcceptance(
                    person=person, party=party, accepted_at=_local(start - dt.timedelta(days=5), 12)
                )
            )
        first = first_working_day(start, 1)
        secret = vault()
        for index in range(6):
            day = first + dt.timedelta(days=21 * index)
            held = day < self.today
            status = (
                SessionStatus.HELD
                if held
                else (SessionStatus.BOOKED if index == 3 else SessionStatus.PROPOSED)
            )
            session = self._session(
                process,
                SessionKind.INDIVIDUAL,
                _local(day, 13),
                90,
                status,
                PlaceKind.OFFICE,
                self.office,
                index,
            )
            if held:
                db.session.flush()
                session.attendance.append(
                    Attendance(participant=participant, status=AttendanceStatus.PRESENT)
                )
                session.notes_encrypted = secret.encrypt(
                    f"Demomuistiinpano tapaamisesta {index + 1}."
                )
                session.next_step_encrypted = secret.encrypt(
                    "Kokeilen viikon ajan kalenteriin merkittyä taukoa iltapäivällä."
                )
        db.session.flush()
        interim = EvaluationRound(
            process_id=process.id,
            kind=EvaluationKind.SESSION,
            opens_at=_local(first + dt.timedelta(days=42), 13),
        )
        db.session.add(interim)
        db.session.flush()
        for goal, scale in ((org_goal, 4), (own_goal, 5)):
            db.session.add(
                EvaluationAnswer(
                    round_id=interim.id,
                    goal_id=goal.id,
                    person_id=self.laura.id,
                    scale_encrypted=secret.encrypt(str(scale)),
                    next_step_encrypted=secret.encrypt("Sanon ääneen, mitä en ehdi tehdä."),
                    answered_at=interim.opens_at,
                )
            )

    def _group_process(self) -> None:
        members = [
            _person("Jussi Mäkelä", "jussi.makela@kide.example"),
            _person("Hanna Lehtonen", "hanna.lehtonen@kide.example"),
            _person("Petra Salonen", "petra.salonen@kide.example", "sv"),
            _person("Tomi Heikkinen", "tomi.heikkinen@kide.example", "en"),
        ]
        process = SupervisionProcess(
            code="TY-R4M9",
            mode=ProcessMode.GROUP,
            status=ProcessStatus.AGREEMENT_SENT,
            supervisor=self.supervisor,
            orderer_organisation=self.kide,
            orderer_contact=self.sari,
        )
        for position, person in enumerate(members):
            process.participants.append(
                ProcessParticipant(
                    person=person, organisation_id=self.kide.id, is_group_contact=position == 0
                )
            )
        db.session.add(process)
        db.session.flush()
        db.session.add(
            Goal(
                process_id=process.id,
                kind=GoalKind.ORGANISATION,
                title="Esihenkilöiden yhteinen tapa käsitellä kuormitusta",
            )
        )
        agreement = Agreement(process_id=process.id)
        db.session.add(agreement)
        start = first_working_day(self.today + dt.timedelta(days=21), 3)
        version = self._version(
            agreement,
            session_count=12,
            min_gap_days=21,
            max_gap_days=35,
            starts_on=start,
            planned_end_on=start + dt.timedelta(days=300),
            session_minutes=120,
            preferred_weekday=3,
            preferred_start=dt.time(9),
            status=VersionStatus.SENT,
            sent_at=_local(self.today - dt.timedelta(days=2), 10),
            price_cents=26000,
            goals_snapshot=[
                {
                    "goal_id": None,
                    "kind": "organisation",
                    "title": "Esihenkilöiden yhteinen tapa käsitellä kuormitusta",
                    "owner_id": None,
                }
            ],
        )
        version.acceptances.append(
            AgreementAcceptance(
                person=self.supervisor_person,
                party=AgreementParty.SUPERVISOR,
                accepted_at=_local(self.today - dt.timedelta(days=2), 10),
            )
        )

    def _work_community_process(self) -> None:
        manager = _person("Riikka Aaltonen", "riikka.aaltonen@esimerkkila.example")
        team = [
            _person("Eero Kallio", "eero.kallio@esimerkkila.example"),
            _person("Minna Järvinen", "minna.jarvinen@esimerkkila.example"),
            _person("Oskari Wikström", "oskari.wikstrom@esimerkkila.example", "sv"),
        ]
        process = SupervisionProcess(
            code="TY-H3W8",
            mode=ProcessMode.WORK_COMMUNITY,
            status=ProcessStatus.ASSESSMENT_BOOKED,
            supervisor=self.supervisor,
            orderer_organisation=self.city,
            orderer_contact=self.mikko,
        )
        process.participants.append(
            ProcessParticipant(person=manager, organisation_id=self.city.id, is_manager=True)
        )
        for person in team:
            process.participants.append(
                ProcessParticipant(person=person, organisation_id=self.city.id)
            )
        db.session.add(process)
        db.session.flush()
        db.session.add(
            Inquiry(
                process_id=process.id,
                person_id=manager.id,
                organisation_name=self.city.name,
                mode_wished=ProcessMode.WORK_COMMUNITY,
                needs=["team_cooperation", "change_at_work", "workload"],
                group_size=9,
                privacy_consent_at=_local(self.today - dt.timedelta(days=6), 15),
                status=InquiryStatus.CONFIRMED,
                email_confirmed_at=_local(self.today - dt.timedelta(days=6), 15),
                expires_at=_local(self.today - dt.timedelta(days=5), 15),
            )
        )
        day = first_working_day(self.today + dt.timedelta(days=7), 2)
        assessment = self._session(
            process,
            SessionKind.INITIAL_ASSESSMENT,
            _local(day, 10),
            60,
            SessionStatus.BOOKED,
            PlaceKind.CLIENT_PREMISES,
            self.city_premises,
        )
        assessment.room_id = self.room_kuusi.id
        db.session.flush()
        setup = dt.timedelta(minutes=current_app.config["ROOM_SETUP_MINUTES"])
        db.session.add(
            RoomReservation(
                room_id=self.room_kuusi.id,
                session_id=assessment.id,
                starts_at=assessment.starts_at - setup,
                ends_at=assessment.ends_at + setup,
                status=ReservationStatus.CONFIRMED,
            )
        )
