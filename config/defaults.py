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
# Supervisors whose merged busy time each process keeps between slot searches (about
# 1 MB per 10,000 busy intervals); a change of busy time is seen by the next search.
BUSY_CACHE_SUPERVISORS = 256
