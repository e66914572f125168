"""The outbox worker: claim a batch, deliver each message outside any transaction,
record the outcome; schedule the periodic jobs; survive the database going away.

Run by ``ohjaamo worker``. SIGTERM or SIGINT stops it after the message in hand; the
rest of its batch is given back at once. A worker killed outright leaves its batch
leased; another worker (or this one, restarted) takes it when the lease runs out.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import threading
import time
import uuid
from typing import Any

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from service import clock, metrics, request_ids
from service.extensions import db
from service.services.outbox import leases as outbox_leases
from service.services.outbox.leases import LeaseSettings
from service.services.outbox.queue import Delivery, enqueue_once
from service.services.outbox.work import Work
from service.services.transactions import write_transaction
from service.services.worker.dispatch import PERIODIC, dispatch, periodic_key

log = logging.getLogger("ohjaamo.worker")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


WORK_EXTENSION = "ohjaamo.work"


class Worker:
    """Delivers with the work the app was given (``app.extensions["ohjaamo.work"]``)."""

    def __init__(self, app: Flask, *, name: str | None = None) -> None:
        self.app = app
        self.work: Work = app.extensions[WORK_EXTENSION]
        self.name = name or worker_name()
        self.settings = LeaseSettings.from_config(app.config)
        self.stopping = threading.Event()
        self.random = random.Random()  # noqa: S311 (jitter, not secrets)
        self._scheduled: dict[str, str] = {}
        self._lost_batch = False

    def stop(self, *_signal: Any) -> None:
        self.stopping.set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def run(self, *, once: bool = False) -> None:
        """Work until stopped (``once``: until nothing is due)."""
        poll = float(self.app.config["WORKER_POLL_SECONDS"])
        pause = float(self.app.config["WORKER_DATABASE_RETRY_SECONDS"])
        log.info("worker %s started", self.name)
        with self.app.app_context():
            while not self.stopping.is_set():
                try:
                    if self._lost_batch:
                        outbox_leases.release_all(self.name)
                        self._lost_batch = False
                    self.schedule_periodic_jobs()
                    claimed = self.run_batch()
                except SQLAlchemyError as error:
                    log.warning(
                        "worker %s: database unavailable (%s)", self.name, type(error).__name__
                    )
                    db.session.rollback()
                    db.session.remove()
                    self._lost_batch = True
                    self.stopping.wait(pause)
                    continue
                if once and not claimed:
                    break
                if not claimed:
                    self.stopping.wait(poll)
            db.session.remove()
        log.info("worker %s stopped", self.name)

    def run_batch(self) -> int:
        """Claim and deliver one batch; returns how many messages were claimed."""
        batch = outbox_leases.claim(self.name, clock.now(), self.settings)
        for index, delivery in enumerate(batch):
            if self.stopping.is_set():
                outbox_leases.release(batch[index:], self.name)
                break
            self.deliver(delivery)
        return len(batch)

    def deliver(self, delivery: Delivery) -> None:
        """Deliver under the request id of the message, so its log lines, and the messages
        its handler writes, carry the id of the request that caused it."""
        with request_ids.bound(delivery.request_id):
            self._deliver(delivery)

    def _deliver(self, delivery: Delivery) -> None:
        fields = {"message_id": str(delivery.id), "kind": delivery.kind}
        started = time.perf_counter()
        try:
            dispatch(self.work, delivery)
        except Exception as error:  # any failure is retried later
            db.session.rollback()
            state = outbox_leases.fail(
                delivery, self.name, clock.now(), error, self.settings, self.random.random
            )
            metrics.delivered(delivery.kind, "failed", time.perf_counter() - started)
            log.warning(
                "message %s (%s) attempt %d failed with %s; now %s",
                delivery.id,
                delivery.kind,
                delivery.attempts,
                type(error).__name__,
                state,
                extra={**fields, "attempt": delivery.attempts, "error": type(error).__name__},
            )
            return
        finally:
            db.session.remove()
        if outbox_leases.complete(delivery, self.name, clock.now()):
            metrics.delivered(delivery.kind, "delivered", time.perf_counter() - started)
            log.info("message %s (%s) delivered", delivery.id, delivery.kind, extra=fields)
        else:
            log.warning("message %s: lease lost before completion", delivery.id, extra=fields)

    def schedule_periodic_jobs(self) -> None:
        """Write each job's message for the current interval, once per interval."""
        now = clock.now()
        for job in self.work.jobs:
            every = float(self.app.config[job.every_setting])
            if every <= 0:
                continue
            key = periodic_key(job, now, every)
            if self._scheduled.get(job.name) == key:
                continue
            with write_transaction():
                enqueue_once(PERIODIC, {"job": job.name}, key, due_at=now)
            self._scheduled[job.name] = key
