"""Mapped classes, one module per aggregate; importing this package registers them all."""

from service.models.agreement import (
    Agreement,
    AgreementAcceptance,
    AgreementParty,
    AgreementVersion,
    Goal,
    GoalKind,
    VersionStatus,
)
from service.models.audit import AuditEvent
from service.models.base import Base
from service.models.calendar import (
    BusyInterval,
    BusyWeek,
    CalendarConnection,
    ConnectedCalendar,
    ConnectionStatus,
    PushedEventState,
    RemoteObject,
    SessionCalendarEvent,
)
from service.models.evaluation import EvaluationAnswer, EvaluationKind, EvaluationRound
from service.models.feeds import CalendarFeed, FeedKind
from service.models.offers import OfferCache
from service.models.organisation import (
    Organisation,
    OrganisationContact,
    Room,
    RoomBusyInterval,
    RoomClosure,
)
from service.models.outbox import OutboxMessage, OutboxState
from service.models.people import AccountRole, ErasureRequest, Person, Role, UserAccount
from service.models.practice import (
    AvailabilityOverride,
    Location,
    Practice,
    SupervisorProfile,
    TravelTime,
    WorkingHours,
)
from service.models.process import (
    EndReason,
    Inquiry,
    InquiryStatus,
    ProcessMode,
    ProcessParticipant,
    ProcessStatus,
    SupervisionProcess,
)
from service.models.requests import IdempotencyRecord, UsedToken
from service.models.session import (
    Attendance,
    AttendanceStatus,
    ReservationStatus,
    RoomReservation,
    SessionStatus,
    SupervisionSession,
    SupervisorHold,
)
from service.models.tokens import ApiToken
from service.models.webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "AccountRole",
    "Agreement",
    "AgreementAcceptance",
    "AgreementParty",
    "AgreementVersion",
    "ApiToken",
    "Attendance",
    "AttendanceStatus",
    "AuditEvent",
    "AvailabilityOverride",
    "Base",
    "BusyInterval",
    "BusyWeek",
    "CalendarConnection",
    "CalendarFeed",
    "ConnectedCalendar",
    "ConnectionStatus",
    "EndReason",
    "ErasureRequest",
    "EvaluationAnswer",
    "EvaluationKind",
    "EvaluationRound",
    "FeedKind",
    "Goal",
    "GoalKind",
    "IdempotencyRecord",
    "Inquiry",
    "InquiryStatus",
    "Location",
    "OfferCache",
    "Organisation",
    "OrganisationContact",
    "OutboxMessage",
    "OutboxState",
    "Person",
    "Practice",
    "ProcessMode",
    "ProcessParticipant",
    "ProcessStatus",
    "PushedEventState",
    "RemoteObject",
    "ReservationStatus",
    "Role",
    "Room",
    "RoomBusyInterval",
    "RoomClosure",
    "RoomReservation",
    "SessionCalendarEvent",
    "SessionStatus",
    "SupervisionProcess",
    "SupervisionSession",
    "SupervisorHold",
    "SupervisorProfile",
    "TravelTime",
    "UsedToken",
    "UserAccount",
    "VersionStatus",
    "WebhookDelivery",
    "WebhookSubscription",
    "WorkingHours",
]
