"""What makes a password acceptable, and one-time codes (TOTP, RFC 6238) with replay
protection. Pure: the time is passed in."""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp

MAX_PASSWORD_LENGTH = 1024
TOTP_STEP_SECONDS = 30

# What a sign-in proved, kept with the signed-in session.
EMAIL_LINK = "email"
PASSWORD = "password"  # noqa: S105 (the name of a factor, not a password)
ONE_TIME_CODE = "code"


def factors_required(*, has_password: bool, has_second_factor: bool) -> frozenset[str]:
    """What every way into an account must prove: its strongest factors. An account
    with a password is never entered by an emailed link alone, and one with one-time
    codes turned on never without a code; an account with neither signs in by link."""
    required = set()
    if has_password or has_second_factor:
        required.add(PASSWORD)
    if has_second_factor:
        required.add(ONE_TIME_CODE)
    return frozenset(required)


def password_problem(password: str, *, email: str, min_length: int) -> str | None:
    """The code of what is wrong with a new password, or None. Length is what counts
    (NIST SP 800-63B): no composition rules, but not the person's own address."""
    if len(password) < min_length:
        return "password_too_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "too_long"
    if password.strip().casefold() == email.strip().casefold():
        return "password_is_email"
    return None


def totp_step(now: dt.datetime) -> int:
    return int(now.timestamp()) // TOTP_STEP_SECONDS


def matching_step(
    secret: str, code: str, *, now: dt.datetime, window: int, after_step: int | None
) -> int | None:
    """The time step whose code this is, within ``window`` steps of now; None when the
    code is wrong or its step is not later than ``after_step`` (a code works once)."""
    digits = "".join(code.split())
    if not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp_step(now)
    for step in range(current - window, current + window + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None
