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
# Content-Security-Policy of every answer: scripts, styles and images from this site only,
# never inline; no plugins, no <base>, forms post only here, and no site may frame a page.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Referrer-Policy: addresses (a sign-in link's token, a process id) never leave the site.
REFERRER_POLICY = "same-origin"
# Permissions-Policy: pages use no camera, microphone, location, payment or USB.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Outward requests (webhooks, calendar servers, room systems: every URL a person gives)
# never go to loopback, private, link-local, multicast or reserved addresses, checked on
# each connection. Hosts on the practice's own network that may be reached all the same
# (an on-premises room system): host names, IP addresses or networks ("10.20.0.0/16").
# Plain http:// webhooks are accepted only to these hosts.
OUTWARD_ALLOWED_HOSTS: list[str] = []

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
# Extra connections a PostgreSQL pool may open under load. Each gunicorn worker process
# and each `ohjaamo worker` has its own pool: keep (gunicorn workers x nodes + workers) x
# (DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW) under PostgreSQL's max_connections.
DATABASE_MAX_OVERFLOW = 5
# Seconds a request waits for a free pooled connection before failing.
DATABASE_POOL_TIMEOUT_SECONDS = 10
# Seconds after which a pooled PostgreSQL connection is replaced (firewalls drop idle ones).
DATABASE_POOL_RECYCLE_SECONDS = 1800
# Seconds to wait for PostgreSQL to accept a new connection (libpq connect_timeout).
DATABASE_CONNECT_TIMEOUT_SECONDS = 5

# --- Behind a proxy -------------------------------------------------------------------
# Proxies in front of the app (nginx: 1) whose X-Forwarded-For, -Proto, -Host and -Port
# headers are believed; 0 ignores them. Set it only when every request comes through
# them, or clients could forge their address (and dodge the rate limits).
TRUSTED_PROXY_HOPS = 0

# --- Logs, metrics and readiness (docs/operations.md) -----------------------------------
# Log lines: "json" (one JSON object a line, with the request id) or "text".
LOG_FORMAT = "json"
# Lowest level written by the web processes (the worker uses WORKER_LOG_LEVEL).
LOG_LEVEL = "INFO"
# Bearer token a Prometheus scrape of /metrics must carry; empty means /metrics answers
# only direct requests from the machine itself (loopback, not through a proxy).
METRICS_TOKEN = ""
# /readyz reports the outbox as "behind" when its oldest due message has waited longer
# than this many seconds (reported only: a slow worker does not take nodes out of service).
READYZ_OUTBOX_BEHIND_SECONDS = 600

# --- Locale and time ------------------------------------------------------------------
# IANA zone for new supervisors and organisations.
DEFAULT_TIMEZONE = "Europe/Helsinki"
# Language for people who have not chosen one.
DEFAULT_LANGUAGE = "fi"
# Languages offered, in the order shown.
LANGUAGES = ["fi", "sv", "en"]
# WTForms' own messages stay unused: the pages say what is wrong in their own words
# (service/web/messages.py), and Flask-WTF would read WTForms' catalogue from disk
# on every request.
WTF_I18N_ENABLED = False

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
# Messages sent over one SMTP connection before it is closed and a new one opened.
SMTP_MESSAGES_PER_CONNECTION = 100
# Seconds an open SMTP connection may stay unused and still be used again; an older one
# is closed and a new one opened (servers drop idle clients after a few minutes).
SMTP_IDLE_SECONDS = 30
# From address of every email.
MAIL_SENDER = "Ohjaamo <noreply@localhost>"
# Reply-To address; empty means none.
MAIL_REPLY_TO = ""
# Development only: a folder where every email is written as a file instead of being
# sent, listed with its links and invitations at /dev/mailbox (`make run` sets it). A
# production start (no TESTING, no DEBUG) refuses to run with it set.
DEVELOPMENT_MAILBOX = ""

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

# --- Webhooks and calendar feeds -------------------------------------------------------
# Seconds a webhook delivery waits to connect and for each part of the answer.
WEBHOOK_TIMEOUT_SECONDS = 10
# Days the webhook delivery log (status codes and times, no bodies) is kept.
WEBHOOK_LOG_DAYS = 90
# Seconds between runs of the job that deletes older webhook delivery log rows.
WEBHOOK_LOG_PURGE_EVERY_SECONDS = 24 * 3600
# Days of past sessions a calendar feed still lists (every future session is listed).
FEED_DAYS_BACK = 90
# Seconds calendar apps are told they may keep a feed before asking again.
FEED_MAX_AGE_SECONDS = 900

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
# Seconds a booking waits for the live free/busy answer of the supervisor's calendars:
# one deadline for the whole check, however many calendars and requests it takes; a
# calendar that has not answered by then is left to the busy cache.
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
# Where rate-limit counters live: "memory://" counts in each process apart, so it serves
# only one gunicorn process (`make run`: one worker with threads); "redis://host:6379/0"
# shares the counts between every gunicorn worker of every node (install the `redis`
# extra: pip install 'ohjaamo[redis]'). config/gunicorn.conf.py refuses to start several
# workers with "memory://".
RATELIMIT_STORAGE_URI = "memory://"
# Posts of a public form (inquiry, sign-in link) one address may make.
RATE_LIMIT_PUBLIC_FORMS = "5 per minute;30 per hour"
# Password and one-time code tries one address may make.
RATE_LIMIT_SIGN_IN = "10 per minute;60 per hour"
# Password and one-time code tries against one account, from any address.
RATE_LIMIT_SIGN_IN_ACCOUNT = "5 per minute;30 per hour"
# Whether rate limits apply at all (Flask-Limiter's switch; kept on outside tests of load).
RATELIMIT_ENABLED = True
# Send the X-RateLimit-* and Retry-After headers with limited answers.
RATELIMIT_HEADERS_ENABLED = True
# Requests one API token may make (those without a token: one client address). All API
# routes share the budget; an exceeded limit answers 429 with Retry-After.
RATE_LIMIT_API = "120 per minute;3000 per hour"

# --- Room systems (rooms kept in Ohjaamo, CalDAV resource calendars, HTTP room API) ---
# Seconds the worker waits for an organisation's room system.
ROOM_SYSTEM_TIMEOUT_SECONDS = 15
# Seconds a connection test (saving the settings, `ohjaamo rooms test`) waits.
ROOM_SYSTEM_TEST_TIMEOUT_SECONDS = 5
# Days ahead the rooms' busy cache covers, and in which reservations are refreshed.
ROOM_SYNC_DAYS_AHEAD = 548
# Seconds between refreshes of external rooms, their busy time and reservations (0: off).
ROOM_SYNC_EVERY_SECONDS = 600
# Tries of a room reservation before the session is cancelled and everyone is told.
ROOM_RESERVE_MAX_ATTEMPTS = 4

# --- Calendars (CalDAV and .ics addresses built in) -----------------------------------
# Days of the past the busy cache keeps from a supervisor's calendars.
CALDAV_SYNC_DAYS_BACK = 30
# Days ahead the busy cache covers (about 18 months: a whole supervision process).
CALDAV_SYNC_DAYS_AHEAD = 548
# Days the sync window may slide before the window is read afresh (new occurrences of
# recurring events enter at its far end); between those reads, syncs are incremental.
CALDAV_WINDOW_REFRESH_DAYS = 7
# Minutes between background syncs of one calendar connection.
CALDAV_SYNC_INTERVAL_MINUTES = 10
# Seconds the worker waits for each request to a calendar server.
CALDAV_TIMEOUT_SECONDS = 20
# Seconds the calendar connections page waits for a calendar server (connecting,
# checking a connection, reading it now) before it answers without it.
CALENDAR_PAGE_DEADLINE_SECONDS = 5
# Supervisors whose merged busy time each process keeps between slot searches (about
# 1 MB per 10,000 busy intervals); a change of busy time is seen by the next search.
BUSY_CACHE_WEEKS = 8192
# Offers a slot search computed are kept in the database under the schedule versions they
# were computed at (service/services/availability/offers.py), and answered again until a
# change raises a version or the clock changes them by itself (notice, a lapsing hold,
# the horizon); this caps how long in any case, in seconds.
OFFERS_KEPT_SECONDS = 900
