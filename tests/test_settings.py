"""Settings precedence and the refusal of an unsafe production start."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet

from service import create_app, settings
from service.cli import cli
from service.settings import UnsafeConfigurationError

GOOD_SECRET = "s" * 40


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OHJAAMO_INSTANCE_PATH", str(tmp_path))
    for name in ("OHJAAMO_TESTING", "OHJAAMO_SECRET_KEY", "OHJAAMO_ENCRYPTION_KEYS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def production(**overrides: object) -> dict[str, object]:
    return {"DATABASE_URL": "sqlite://", **overrides}


def test_defaults_then_instance_file_then_environment_then_arguments(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (instance / "ohjaamo.cfg").write_text(
        "DEFAULT_LANGUAGE = 'sv'\nPUBLIC_BASE_URL = 'https://from-file.example'\nSMTP_PORT = 2525\n"
    )
    monkeypatch.setenv("OHJAAMO_PUBLIC_BASE_URL", "https://from-env.example")
    monkeypatch.setenv("OHJAAMO_SMTP_PORT", "587")
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SMTP_PORT": 465})
    assert app.config["DEFAULT_TIMEZONE"] == "Europe/Helsinki"  # default
    assert app.config["DEFAULT_LANGUAGE"] == "sv"  # instance file
    assert app.config["PUBLIC_BASE_URL"] == "https://from-env.example"  # environment
    assert app.config["SMTP_PORT"] == 465  # argument wins


def test_environment_values_are_parsed_as_json(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OHJAAMO_TESTING", "true")
    monkeypatch.setenv("OHJAAMO_PLUGINS_BLOCKED", '["plugins.email_smtp"]')
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert app.config["TESTING"] is True
    assert app.config["PLUGINS_BLOCKED"] == ["plugins.email_smtp"]


def test_sqlite_in_the_instance_folder_by_default(instance: Path) -> None:
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'ohjaamo.sqlite3'}"


def test_production_start_refuses_the_default_secret_key(instance: Path) -> None:
    with pytest.raises(UnsafeConfigurationError, match="OHJAAMO_SECRET_KEY"):
        create_app(production(ENCRYPTION_KEYS=[Fernet.generate_key().decode()]))


def test_production_start_refuses_a_short_secret_key(instance: Path) -> None:
    with pytest.raises(UnsafeConfigurationError, match="OHJAAMO_SECRET_KEY"):
        create_app(production(SECRET_KEY="short", ENCRYPTION_KEYS=[Fernet.generate_key().decode()]))


def test_production_start_refuses_missing_encryption_key(instance: Path) -> None:
    with pytest.raises(UnsafeConfigurationError, match="OHJAAMO_ENCRYPTION_KEYS"):
        create_app(production(SECRET_KEY=GOOD_SECRET))


def test_production_start_refuses_a_malformed_encryption_key(instance: Path) -> None:
    with pytest.raises(UnsafeConfigurationError, match="OHJAAMO_ENCRYPTION_KEYS"):
        create_app(production(SECRET_KEY=GOOD_SECRET, ENCRYPTION_KEYS=["not-a-key"]))


def test_production_start_with_safe_settings_succeeds(instance: Path) -> None:
    app = create_app(
        production(SECRET_KEY=GOOD_SECRET, ENCRYPTION_KEYS=[Fernet.generate_key().decode()])
    )
    assert not app.testing


def test_init_writes_secrets_once_and_they_pass_the_production_check(instance: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["init"])
    assert first.exit_code == 0, first.output
    written = (instance / settings.INSTANCE_FILE).read_text()
    assert (instance / settings.INSTANCE_FILE).stat().st_mode & 0o077 == 0
    second = runner.invoke(cli, ["init"])
    assert "left as it is" in second.output
    assert (instance / settings.INSTANCE_FILE).read_text() == written
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert len(app.config["SECRET_KEY"]) >= 32
    assert app.config["ENCRYPTION_KEYS"]


def test_production_start_refuses_the_development_mailbox(instance: Path) -> None:
    with pytest.raises(UnsafeConfigurationError, match="OHJAAMO_DEVELOPMENT_MAILBOX"):
        create_app(
            production(
                SECRET_KEY=GOOD_SECRET,
                ENCRYPTION_KEYS=[Fernet.generate_key().decode()],
                DEVELOPMENT_MAILBOX=str(instance / "mailbox"),
            )
        )


def test_a_production_start_from_the_environment_refuses_the_mailbox_too(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make run`'s variable left in a production environment (no DEBUG) stops the start."""
    monkeypatch.setenv("OHJAAMO_DEVELOPMENT_MAILBOX", str(instance / "mailbox"))
    monkeypatch.delenv("OHJAAMO_DEBUG", raising=False)
    with pytest.raises(UnsafeConfigurationError, match="development"):
        create_app(
            production(SECRET_KEY=GOOD_SECRET, ENCRYPTION_KEYS=[Fernet.generate_key().decode()])
        )
    monkeypatch.setenv("OHJAAMO_DEBUG", "true")
    app = create_app(
        production(SECRET_KEY=GOOD_SECRET, ENCRYPTION_KEYS=[Fernet.generate_key().decode()])
    )
    assert app.config["DEVELOPMENT_MAILBOX"] == str(instance / "mailbox")
