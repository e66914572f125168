"""The worker's work for privacy: purging the content of processes ended long ago."""

from __future__ import annotations

from service.services.outbox.work import PeriodicJob, Work
from service.services.privacy.retention import purge_closed_content

WORK = Work(
    jobs=(PeriodicJob("retention purge", "RETENTION_PURGE_EVERY_SECONDS", purge_closed_content),)
)
