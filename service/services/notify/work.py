"""The worker's work for notices to other systems: webhook deliveries and their log."""

from __future__ import annotations

from service.services.notify.webhook_delivery import deliver_webhook
from service.services.notify.webhooks import WEBHOOK, purge_delivery_log
from service.services.outbox.work import PeriodicJob, Work

WORK = Work(
    handlers={WEBHOOK: deliver_webhook},
    jobs=(PeriodicJob("webhook log purge", "WEBHOOK_LOG_PURGE_EVERY_SECONDS", purge_delivery_log),),
)
