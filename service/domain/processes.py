"""What a supervision process is: its modes, who takes part, and how it may end."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum


class ProcessMode(StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"
    WORK_COMMUNITY = "work_community"


class EndReason(StrEnum):
    """Why a process was declined or ended early: a category, never free text."""

    GOALS_REACHED = "goals_reached"
    CLIENT_WITHDREW = "client_withdrew"
    ORGANISATION_CHANGE = "organisation_change"
    FUNDING_ENDED = "funding_ended"
    NOT_A_FIT = "not_a_fit"
    DISSATISFIED = "dissatisfied"
    SUPERVISOR_UNAVAILABLE = "supervisor_unavailable"
    OTHER = "other"


@dataclass(frozen=True)
class ParticipantLimits:
    minimum: int
    maximum: int


# A work community is a whole team: no fixed upper bound beyond a sane one.
PARTICIPANT_LIMITS: dict[ProcessMode, ParticipantLimits] = {
    ProcessMode.INDIVIDUAL: ParticipantLimits(1, 1),
    ProcessMode.GROUP: ParticipantLimits(2, 12),
    ProcessMode.WORK_COMMUNITY: ParticipantLimits(2, 60),
}

# Letters and digits that cannot be mistaken for one another when read aloud or printed.
_CODE_ALPHABET = "ACDEFHJKLMNPQRTUVWXY34679"


def new_process_code(prefix: str = "TY") -> str:
    """A short code for neutral titles ("Työnohjaus TY-K7Q2"): it names no one."""
    return prefix + "-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4))
