"""Every Ohjaamo setting, its default and what it is for.

Order of precedence (later wins): this file, the instance file
(`<instance folder>/ohjaamo.cfg`), then `OHJAAMO_<NAME>` environment variables
(values are parsed as JSON where they parse, so `OHJAAMO_TESTING=true` is a bool).
"""

# --- Security -------------------------------------------------------------------------
# Signs sessions and links. The default is refused by a production start.
SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 (refused in production)
# Fernet keys for notes, answers and stored secrets; the first encrypts, all decrypt.
ENCRYPTION_KEYS: list[str] = []
# Cookies only over HTTPS; set to false only for plain-HTTP development.
SESSION_COOKIE_SECURE = True
# Session cookies are never readable by scripts.
SESSION_COOKIE_HTTPONLY = True
# Session cookies are not sent on cross-site requests.
SESSION_COOKIE_SAMESITE = "Lax"
# Seconds a signed-in session lasts without signing in again (12 hours).
PERMANENT_SESSION_LIFETIME = 12 * 60 * 60
# Shortest password accepted (length is what makes a password strong; no other rules).
PASSWORD_MIN_LENGTH = 12
# Name shown for Ohjaamo in authenticator apps.
TOTP_ISSUER = "Ohjaamo"
# One-time codes accepted this many 30-second steps early or late (clock drift).
TOTP_VALID_WINDOW = 1
# Minutes between a correct password and the one-time code before starting over.
SECOND_FACTOR_MINUTES = 5

# --- Mode -----------------------------------------------------------------------------
# Test mode: relaxes the production safety checks.
TESTING = False
# Debug mode: relaxes the production safety checks; never in production.
DEBUG = False

# --- Database -------------------------------------------------------------------------
# SQLAlchemy URL; empty means SQLite in the instance folder (postgresql+psycopg://... for PG).
DATABASE_URL = ""
# Seconds an SQLite writer waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_SECONDS = 30
# Connections kept per process in the PostgreSQL pool.
DATABASE_POOL_SIZE = 5
# Extra connections a PostgreSQL pool may open under load.
DATABASE_MAX_OVERFLOW = 5

# --- Locale and time ------------------------------------------------------------------
# IANA zone for new supervisors and organisations.
DEFAULT_TIMEZONE = "Europe/Helsinki"
# Language for people who have not chosen one.
DEFAULT_LANGUAGE = "fi"
# Languages offered, in the order shown.
LANGUAGES = ["fi", "sv", "en"]

# --- Money ----------------------------------------------------------------------------
# VAT rate in percent, as a decimal string (Finland's general rate).
VAT_RATE_PERCENT = "25.5"

# --- Plugins --------------------------------------------------------------------------
# Plugin names (built-in module names or entry-point names) that are not loaded.
PLUGINS_BLOCKED: list[str] = []

# --- REST API -------------------------------------------------------------------------
# Title of the OpenAPI document and of the API documentation page.
API_TITLE = "Ohjaamo API"
# Version of the API, as the OpenAPI document states it.
API_VERSION = "v1"
# OpenAPI version the document is written in.
OPENAPI_VERSION = "3.1.0"
# Path under which the OpenAPI document is served, beside the API it describes.
OPENAPI_URL_PREFIX = "/api/v1"
# File name of the OpenAPI document under OPENAPI_URL_PREFIX.
OPENAPI_JSON_PATH = "openapi.json"

# --- Public address -------------------------------------------------------------------
# The address people reach the service at; used in emails and calendar links.
PUBLIC_BASE_URL = "http://127.0.0.1:8000"

# --- Email (built-in SMTP plugin) -----------------------------------------------------
# SMTP server host name.
SMTP_HOST = "localhost"
# SMTP server port.
SMTP_PORT = 25
# "starttls", "tls" (implicit TLS) or "none".
SMTP_SECURITY = "none"
# SMTP user name; empty means no authentication.
SMTP_USERNAME = ""
# SMTP password.
SMTP_PASSWORD = ""
# Seconds to wait for the SMTP server.
SMTP_TIMEOUT_SECONDS = 10
# From address of every email.
MAIL_SENDER = "Ohjaamo <noreply@localhost>"
# Reply-To address; empty means none.
MAIL_REPLY_TO = ""

# --- Outbox and worker (`ohjaamo worker`) ---------------------------------------------
# Messages one worker claims at a time.
OUTBOX_BATCH_SIZE = 20
# Seconds a claimed batch stays leased; a killed worker's batch is taken over after
# this. Must exceed the time a whole batch can take (SMTP_TIMEOUT_SECONDS x batch size).
OUTBOX_LEASE_SECONDS = 300
# Attempts before a message is dead (kept for `ohjaamo outbox retry`).
OUTBOX_MAX_ATTEMPTS = 8
# Wait after the first failure; doubles with each further failure, with jitter.
OUTBOX_RETRY_BASE_SECONDS = 30
# Longest wait between two attempts.
OUTBOX_RETRY_MAX_SECONDS = 6 * 3600
# Days delivered messages are kept before the periodic purge deletes them.
OUTBOX_KEEP_DELIVERED_DAYS = 30
# Seconds an idle worker waits before looking for due messages again.
WORKER_POLL_SECONDS = 2
# Seconds the worker waits before trying again when the database does not answer.
WORKER_DATABASE_RETRY_SECONDS = 5
# Log level of the worker (ids and kinds only, never names or addresses).
WORKER_LOG_LEVEL = "INFO"
# Periodic jobs: seconds between runs; 0 turns a job off.
REMINDERS_EVERY_SECONDS = 300
LAPSED_HOLDS_EVERY_SECONDS = 60
OUTBOX_PURGE_EVERY_SECONDS = 24 * 3600
# Calendar connections are looked at this often; each is synced when it has not been
# for CALDAV_SYNC_INTERVAL_MINUTES.
CALENDAR_SYNC_EVERY_SECONDS = 60
EXPIRED_INQUIRIES_EVERY_SECONDS = 300
RETENTION_PURGE_EVERY_SECONDS = 24 * 3600
# Hours before a session its reminder is sent.
REMINDER_HOURS_BEFORE = 24

# --- Privacy --------------------------------------------------------------------------
# Title of calendar events and room reservations; {code} is the process's short code.
NEUTRAL_TITLE_TEMPLATE = "Työnohjaus {code}"

# --- Booking --------------------------------------------------------------------------
# Christmas Eve is a day off (no slots offered).
HOLIDAYS_CHRISTMAS_EVE_OFF = True
# Midsummer Eve is a day off (no slots offered).
HOLIDAYS_MIDSUMMER_EVE_OFF = True
# Minutes a room is held before and after a session for setting up and clearing.
ROOM_SETUP_MINUTES = 10
# Seconds the booking waits for the live free/busy answer of an external calendar.
LIVE_CHECK_TIMEOUT_SECONDS = 3
# How many next free slots a conflict answer offers instead.
CONFLICT_ALTERNATIVES = 3

# --- Processes ------------------------------------------------------------------------
# Minutes an initial-assessment slot is held while the inquirer confirms their email;
# unconfirmed inquiries are then deleted with everything they held.
INQUIRY_CONFIRMATION_MINUTES = 120
# Days an evaluation stays open for answers after it opens.
EVALUATION_ANSWER_DAYS = 21
# Months after a process closes before its notes and evaluation answers are purged
# (the figures for invoicing and reports are kept).
RETENTION_MONTHS = 24

# --- Pages ----------------------------------------------------------------------------
# Minutes a sign-in link sent by email stays valid (it works once).
SIGN_IN_LINK_MINUTES = 30
# Where rate-limit counters live: "memory://" for one process; a shared store such as
# "redis://host:6379" when several gunicorn workers or machines serve the pages.
RATELIMIT_STORAGE_URI = "memory://"
# Posts of a public form (inquiry, sign-in link) one address may make.
RATE_LIMIT_PUBLIC_FORMS = "5 per minute;30 per hour"
# Password and one-time code tries one address may make.
RATE_LIMIT_SIGN_IN = "10 per minute;60 per hour"
# Password and one-time code tries against one account, from any address.
RATE_LIMIT_SIGN_IN_ACCOUNT = "5 per minute;30 per hour"

# --- Calendars (CalDAV built in) ------------------------------------------------------
# Days of the past the busy cache keeps from a supervisor's calendars.
CALDAV_SYNC_DAYS_BACK = 30
# Days ahead the busy cache covers (about 18 months: a whole supervision process).
CALDAV_SYNC_DAYS_AHEAD = 548
# Days the sync window may slide before the window is read afresh (new occurrences of
# recurring events enter at its far end); between those reads, syncs are incremental.
CALDAV_WINDOW_REFRESH_DAYS = 7
# Minutes between background syncs of one calendar connection.
CALDAV_SYNC_INTERVAL_MINUTES = 10
# Seconds the worker and the connect page wait for a calendar server.
CALDAV_TIMEOUT_SECONDS = 20
# Supervisors whose merged busy time each process keeps between slot searches (about
# 1 MB per 10,000 busy intervals); a change of busy time is seen by the next search.
BUSY_CACHE_SUPERVISORS = 256
