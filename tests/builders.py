"""Building blocks for tests: a supervisor with working hours, processes with accepted
agreements, organisations with rooms. Each builder commits: use cases start their own
transactions and see only committed data."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from service import clock
from service.domain.holidays_fi import first_working_day
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import (
    Agreement,
    AgreementVersion,
    BusyInterval,
    CalendarConnection,
    ConnectedCalendar,
    Location,
    Organisation,
    Person,
    ProcessMode,
    ProcessParticipant,
    ProcessStatus,
    RemoteObject,
    Room,
    SupervisionProcess,
    SupervisorProfile,
    VersionStatus,
    WorkingHours,
)
from service.services.auth import Principal
from service.services.calendars.busy_cache import busy_changed

# A Monday morning in Helsinki winter time (UTC+2); slots on the 3rd are beyond notice.
NOW = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
HELSINKI = ZoneInfo("Europe/Helsinki")
_counter = itertools.count(1)


def helsinki(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    local = dt.datetime(year, month, day, hour, minute, tzinfo=HELSINKI)
    return local.astimezone(dt.UTC)


def upcoming(weekday: int, hour: int, weeks: int = 2) -> dt.datetime:
    """A Helsinki hour, in UTC, on the first ``weekday`` at least ``weeks`` from the test's
    "now" that is a working day: never a holiday, whatever the date the test runs at."""
    today = clock.now().astimezone(HELSINKI).date()
    day = first_working_day(today + dt.timedelta(weeks=weeks), weekday)
    return helsinki(day.year, day.month, day.day, hour)


def person(name: str = "Testi Henkilö") -> Person:
    number = next(_counter)
    found = Person(name=f"{name} {number}", email=f"person{number}@example.test")
    db.session.add(found)
    db.session.commit()
    return found


def principal(of: Person) -> Principal:
    return Principal(person_id=of.id)


def supervisor(**rules: object) -> SupervisorProfile:
    owner = person("Työnohjaaja")
    settings: dict[str, object] = {
        "buffer_after_minutes": 15,
        "min_notice_minutes": 24 * 60,
        "max_advance_days": 365,
        **rules,
    }
    profile = SupervisorProfile(person=owner, slug=f"supervisor-{owner.id.hex[:8]}", **settings)
    for weekday in range(5):
        profile.working_hours.append(
            WorkingHours(weekday=weekday, starts=dt.time(8), ends=dt.time(16))
        )
    db.session.add(profile)
    db.session.commit()
    return profile


@dataclass
class OrganisationSetup:
    organisation: Organisation
    premises: Location
    rooms: list[Room] = field(default_factory=list)


def organisation(*capacities: int, room_system: str = "ohjaamo") -> OrganisationSetup:
    org = Organisation(name=f"Organisaatio {next(_counter)}", room_system=room_system)
    db.session.add(org)
    db.session.flush()
    premises = Location(organisation_id=org.id, name="Toimisto", street="Katu 1", city="Tampere")
    db.session.add(premises)
    db.session.flush()
    rooms = [
        Room(organisation=org, location_id=premises.id, name=f"Huone {c}", capacity=c)
        for c in capacities
    ]
    db.session.add_all(rooms)
    db.session.commit()
    return OrganisationSetup(org, premises, rooms)


def process(
    profile: SupervisorProfile,
    *,
    mode: ProcessMode = ProcessMode.INDIVIDUAL,
    participants: int = 1,
    place: PlaceKind = PlaceKind.REMOTE,
    org: OrganisationSetup | None = None,
    status: ProcessStatus = ProcessStatus.ACTIVE,
    **terms: object,
) -> SupervisionProcess:
    found = SupervisionProcess(
        code=f"TY-{next(_counter):04d}",
        mode=mode,
        status=status,
        supervisor=profile,
        orderer_organisation_id=org.organisation.id if org else None,
    )
    for index in range(participants):
        found.participants.append(
            ProcessParticipant(person=person("Ohjattava"), is_group_contact=index == 0)
        )
    db.session.add(found)
    db.session.flush()
    agreement = Agreement(process_id=found.id)
    db.session.add(agreement)
    today = clock.now().astimezone(HELSINKI).date()
    defaults: dict[str, object] = {
        "number": 1,
        "status": VersionStatus.ACCEPTED,
        "session_minutes": 90,
        "session_count": 20,
        "min_gap_days": 7,
        "max_gap_days": 60,
        # From the test's today for a year, as far as the supervisor takes bookings.
        "starts_on": today,
        "planned_end_on": today + dt.timedelta(days=365),
        "place_kind": place,
        "location_id": org.premises.id if org else None,
        "price_cents": 15000,
        "free_cancellation_hours": 48,
        "late_cancellation_charge_percent": 100,
        "sickness_exception": True,
    }
    defaults.update(terms)
    db.session.add(AgreementVersion(agreement=agreement, **defaults))
    db.session.commit()
    return found


def participant_principal(found: SupervisionProcess, index: int = 0) -> Principal:
    return Principal(person_id=found.participants[index].person_id)


def supervisor_principal(found: SupervisionProcess) -> Principal:
    return Principal(person_id=found.supervisor.person_id)


def busy(
    profile: SupervisorProfile, start: dt.datetime, end: dt.datetime, *, record: bool = True
) -> BusyInterval:
    """An event synced from the supervisor's calendar, recorded as the sync records it
    (``record=False``: written without telling the busy cache)."""
    connection = CalendarConnection(supervisor_id=profile.id, url="https://calendar.test/")
    calendar = ConnectedCalendar(url=f"https://calendar.test/{next(_counter)}/")
    connection.calendars.append(calendar)
    db.session.add(connection)
    db.session.flush()
    remote = RemoteObject(calendar_id=calendar.id, href="/event.ics", uid=str(next(_counter)))
    db.session.add(remote)
    db.session.flush()
    row = BusyInterval(
        supervisor_id=profile.id, remote_object_id=remote.id, starts_at=start, ends_at=end
    )
    db.session.add(row)
    if record:
        busy_changed(profile.id, [(start, end)])
    db.session.commit()
    return row
