"""The worker's work for bookings: telling people of each change, and reminders."""

from __future__ import annotations

from service.services.booking.announce import (
    ANNOUNCE,
    CHANGE_KINDS,
    announce_booking_change,
    fan_out_booking_change,
)
from service.services.booking.mail import BOOKING_EMAIL, deliver_booking_email
from service.services.booking.reminders import enqueue_reminders
from service.services.outbox.work import PeriodicJob, Work

WORK = Work(
    handlers={
        **dict.fromkeys(CHANGE_KINDS, fan_out_booking_change),
        ANNOUNCE: announce_booking_change,
        BOOKING_EMAIL: deliver_booking_email,
    },
    jobs=(PeriodicJob("reminders", "REMINDERS_EVERY_SECONDS", enqueue_reminders),),
)
