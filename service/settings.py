"""Loading settings in order (defaults, instance file, environment) and checking them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from flask import Flask

from config import defaults

ENV_PREFIX = "OHJAAMO"
INSTANCE_FILE = "ohjaamo.cfg"
MIN_SECRET_KEY_LENGTH = 32


class UnsafeConfigurationError(RuntimeError):
    """A production start with a setting that would put people's data at risk."""


def instance_path() -> Path:
    """The instance folder: `OHJAAMO_INSTANCE_PATH`, or `instance/` beside the code."""
    configured = os.environ.get(f"{ENV_PREFIX}_INSTANCE_PATH")
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parent.parent / "instance"


def load(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill `app.config`: defaults, the instance file, environment, then `overrides`."""
    app.config.from_object(defaults)
    app.config.from_pyfile(INSTANCE_FILE, silent=True)
    app.config.from_prefixed_env(ENV_PREFIX)
    if overrides:
        app.config.update(overrides)
    if not app.config["DATABASE_URL"]:
        database_file = Path(app.instance_path) / "ohjaamo.sqlite3"
        app.config["DATABASE_URL"] = f"sqlite:///{database_file}"
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]


def check_production_safety(config: Mapping[str, Any]) -> None:
    """Refuse a production start with an unsafe setting, naming the setting to fix."""
    if config.get("TESTING") or config.get("DEBUG"):
        return
    if config.get("DEVELOPMENT_MAILBOX"):
        raise UnsafeConfigurationError(
            f"{ENV_PREFIX}_DEVELOPMENT_MAILBOX keeps every email on this machine and shows "
            "them to anyone at /dev/mailbox: it is for development (DEBUG) only. Unset it "
            "and set the SMTP_* settings."
        )
    secret = config.get("SECRET_KEY") or ""
    if secret == defaults.SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH:
        raise UnsafeConfigurationError(
            f"Set {ENV_PREFIX}_SECRET_KEY (or SECRET_KEY in the instance file) to a random "
            f"value of at least {MIN_SECRET_KEY_LENGTH} characters; "
            "`ohjaamo init` writes one."
        )
    keys = config.get("ENCRYPTION_KEYS") or []
    if not keys:
        raise UnsafeConfigurationError(
            f"Set {ENV_PREFIX}_ENCRYPTION_KEYS (or ENCRYPTION_KEYS in the instance file) "
            "to a list of Fernet keys; `ohjaamo init` writes one."
        )
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError) as error:
            raise UnsafeConfigurationError(
                f"{ENV_PREFIX}_ENCRYPTION_KEYS holds a value that is not a Fernet key."
            ) from error


# Rate-limit stores whose counts live in one process (Flask-Limiter's `limits` schemes).
PER_PROCESS_STORES = frozenset({"memory"})


def settings_in_force() -> Mapping[str, Any]:
    """The settings a start would use (defaults, instance file, environment), without
    building the app: for checks made before it exists (gunicorn's master)."""
    app = Flask("ohjaamo", instance_path=str(instance_path()), instance_relative_config=True)
    load(app, None)
    return app.config


def check_rate_limit_store(config: Mapping[str, Any], processes: int) -> None:
    """Refuse to serve from several processes with a store each counts in apart: every
    limit would let through that many times its figure (RATE_LIMIT_SIGN_IN and the rest
    would mean nothing). One process (threads share its memory) needs no shared store."""
    if config.get("TESTING") or config.get("DEBUG") or processes <= 1:
        return
    if not config.get("RATELIMIT_ENABLED", True):
        return
    uri = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if uri.split(":", 1)[0].lower() in PER_PROCESS_STORES:
        raise UnsafeConfigurationError(
            f"{processes} gunicorn workers would each count the rate limits apart with "
            f"RATELIMIT_STORAGE_URI = {uri!r}. Set {ENV_PREFIX}_RATELIMIT_STORAGE_URI (or "
            "RATELIMIT_STORAGE_URI in the instance file) to a store every worker and node "
            "shares, such as 'redis://127.0.0.1:6379/0' (pip install 'ohjaamo[redis]'), or "
            "serve from one process: --workers 1 (its threads share the counts)."
        )


def write_instance_file(folder: Path) -> Path | None:
    """Create the instance file with fresh secrets; leave an existing one untouched."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / INSTANCE_FILE
    if target.exists():
        return None
    secret = os.urandom(32).hex()
    key = Fernet.generate_key().decode()
    target.write_text(
        "# Written by `ohjaamo init`. Keep this file secret; back it up with the database.\n"
        f"SECRET_KEY = {secret!r}\n"
        f"ENCRYPTION_KEYS = [{key!r}]\n",
        encoding="utf-8",
    )
    target.chmod(0o600)
    return target
