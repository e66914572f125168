"""The worker's work for availability: freeing holds whose confirmation lapsed."""

from __future__ import annotations

from service.services.availability.holds import release_lapsed_holds
from service.services.outbox.work import PeriodicJob, Work

WORK = Work(jobs=(PeriodicJob("lapsed holds", "LAPSED_HOLDS_EVERY_SECONDS", release_lapsed_holds),))
