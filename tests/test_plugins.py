"""The plugin manager and every hook, exercised the way the core calls them.

Each hook has a test whose name contains the hook's name; `tests/test_docs.py`
checks that this stays so.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any, ClassVar

import click
import pluggy
import pytest
from flask import Blueprint, Flask

import plugins.email_smtp
import service
from service import create_app
from service.backends import (
    BookingChange,
    BookingProposal,
    CalendarBackend,
    CalendarEvent,
    OutwardPolicy,
    RemoteCalendar,
    RemoteObject,
    ReservationRequest,
    ReservationResult,
    ReservationStatus,
    RoomInfo,
    RoomSystem,
    SyncResult,
    SyncState,
    TimeRange,
)
from service.hookspecs import hookimpl
from service.plugins import (
    BUILTIN_PLUGINS,
    PluginConfigurationError,
    booking_problems,
    build_plugin_manager,
    calendar_backends,
    describe_plugins,
    room_systems,
)
from tests.fixtures.smtp import (  # noqa: F401
    SMTP_TEST_PASSWORD,
    Certificate,
    SMTPServer,
    fixture_loopback_certificate,
    fixture_smtp_server,
    fixture_smtp_starttls_server,
    fixture_smtp_tls_server,
)

BASE_CONFIG: dict[str, Any] = {"TESTING": True, "DATABASE_URL": "sqlite://"}
BUILTIN_SMTP = "plugins.email_smtp"
START = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)
END = START + timedelta(minutes=90)

AppFactory = Callable[..., Flask]


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch) -> AppFactory:
    """Build an app whose plugin manager also holds the given plugin objects.

    Hooks that `create_app` itself calls (blueprints, commands, startup) need the
    plugin present while the app is built, so the manager builder is wrapped.
    """

    def make(*extra_plugins: object, **config: Any) -> Flask:
        def build(app_config: Mapping[str, Any]) -> pluggy.PluginManager:
            pm = build_plugin_manager(app_config)
            for plugin in extra_plugins:
                pm.register(plugin)
            pm.check_pending()
            return pm

        monkeypatch.setattr(service, "build_plugin_manager", build)
        return create_app({**BASE_CONFIG, **config})

    return make


@pytest.fixture
def forget_modules() -> Iterator[list[str]]:
    """Module names a test imports from a throwaway path, dropped from sys.modules after."""
    names: list[str] = []
    yield names
    for name in names:
        sys.modules.pop(name, None)


def manager(app: Flask) -> pluggy.PluginManager:
    return app.extensions["ohjaamo.plugins"]


def smtp_settings(server: SMTPServer, **overrides: Any) -> dict[str, Any]:
    return {
        "SMTP_HOST": server.host,
        "SMTP_PORT": server.port,
        "SMTP_SECURITY": "none",
        "SMTP_USERNAME": "",
        "SMTP_PASSWORD": "",
        "SMTP_TIMEOUT_SECONDS": 5,
        "SMTP_MESSAGES_PER_CONNECTION": 100,
        "SMTP_IDLE_SECONDS": 30,
        "MAIL_SENDER": "Ohjaamo <noreply@ohjaamo.test>",
        "MAIL_REPLY_TO": "Työnohjaus Virtanen <office@ohjaamo.test>",
        **overrides,
    }


def make_message(to: str = "asiakas@example.org") -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = "Työnohjaus AB12"
    message["Message-ID"] = "<session-1.created@ohjaamo.test>"
    message.set_content("Tapaaminen on varattu.")
    return message


# --- Backend registration -------------------------------------------------------------


class ProbeCalendar:
    name: ClassVar[str] = "probe-calendar"

    def __init__(
        self,
        *,
        url: str,
        username: str,
        password: str,
        timeout: float,
        outward: OutwardPolicy,
        timezone: str = "UTC",
    ) -> None:
        self.url = url

    def discover(self) -> list[RemoteCalendar]:
        return [RemoteCalendar(self.url, "Työ", supports_sync_token=True)]

    def sync(self, calendar_url: str, state: SyncState, window: TimeRange) -> SyncResult:
        return SyncResult(changed={}, deleted_hrefs=(), sync_token=state.sync_token, etags={})

    def free_busy(self, calendar_urls: Sequence[str], window: TimeRange) -> list[TimeRange]:
        return []

    def changes(self, calendar_url: str, state: SyncState, window: TimeRange) -> SyncResult:
        return SyncResult(changed={}, deleted_hrefs=(), sync_token=state.sync_token, etags={})

    def put_event(self, calendar_url: str, event: CalendarEvent, etag: str | None) -> RemoteObject:
        return RemoteObject(f"{calendar_url}{event.uid}.ics", '"1"')

    def delete_event(self, calendar_url: str, href: str, etag: str | None) -> None:
        return None


class ProbeRooms:
    name: ClassVar[str] = "probe-rooms"

    def __init__(
        self, *, settings: Mapping[str, Any], timeout: float, outward: OutwardPolicy
    ) -> None:
        self.settings = settings

    def list_rooms(self) -> list[RoomInfo]:
        return [RoomInfo("r1", "Neuvotteluhuone Kuusi", capacity=8)]

    def busy(
        self, room_external_ids: Sequence[str], window: TimeRange
    ) -> Mapping[str, list[TimeRange]]:
        return {room: [] for room in room_external_ids}

    def check_policy(self, room_external_id: str, window: TimeRange, now: datetime) -> list[str]:
        return []

    def reserve(self, request: ReservationRequest) -> ReservationResult:
        return ReservationResult(ReservationStatus.CONFIRMED, "x1")

    def update(self, external_id: str, request: ReservationRequest) -> ReservationResult:
        return ReservationResult(ReservationStatus.CONFIRMED, external_id)

    def release(self, external_id: str) -> None:
        return None

    def refresh(self, external_id: str) -> ReservationResult:
        return ReservationResult(ReservationStatus.CONFIRMED, external_id)


class RegistersBackends:
    def __init__(self, calendars: list[type], rooms: list[type]) -> None:
        self.calendars = calendars
        self.rooms = rooms
        self.calls: list[str] = []

    @hookimpl
    def ohjaamo_register_calendar_backends(self) -> list[type]:
        self.calls.append("calendars")
        return self.calendars

    @hookimpl
    def ohjaamo_register_room_systems(self) -> list[type]:
        self.calls.append("rooms")
        return self.rooms


def test_hook_ohjaamo_register_calendar_backends_keys_classes_by_name(
    make_app: AppFactory,
) -> None:
    plugin = RegistersBackends(calendars=[ProbeCalendar], rooms=[])
    app = make_app(plugin)

    backends = calendar_backends(manager(app))

    assert plugin.calls == ["calendars"]
    assert backends["probe-calendar"] is ProbeCalendar
    backend = backends["probe-calendar"](
        url="http://cal.test/",
        username="u",
        password="p",
        timeout=2,
        timezone="Europe/Helsinki",
        outward=OutwardPolicy(),
    )
    assert isinstance(backend, CalendarBackend)


def test_hook_ohjaamo_register_room_systems_keys_classes_by_name(make_app: AppFactory) -> None:
    plugin = RegistersBackends(calendars=[], rooms=[ProbeRooms])
    app = make_app(plugin)

    systems = room_systems(manager(app))

    assert plugin.calls == ["rooms"]
    assert systems["probe-rooms"] is ProbeRooms
    probe = systems["probe-rooms"](settings={}, timeout=2, outward=OutwardPolicy())
    assert isinstance(probe, RoomSystem)


def test_duplicate_backend_name_is_an_error_naming_both_plugins(make_app: AppFactory) -> None:
    class SameName(ProbeCalendar):
        pass

    app = make_app()
    pm = manager(app)
    pm.register(RegistersBackends([ProbeCalendar], []), name="first-plugin")
    pm.register(RegistersBackends([SameName], []), name="second-plugin")

    with pytest.raises(PluginConfigurationError, match="probe-calendar") as raised:
        calendar_backends(pm)
    assert "first-plugin" in str(raised.value)
    assert "second-plugin" in str(raised.value)


def test_backend_without_a_name_is_an_error_naming_the_plugin(make_app: AppFactory) -> None:
    class Nameless:
        pass

    pm = manager(make_app())
    pm.register(RegistersBackends([], [Nameless]), name="nameless-plugin")

    with pytest.raises(PluginConfigurationError, match="nameless-plugin"):
        room_systems(pm)


# --- Email ----------------------------------------------------------------------------


class Transport:
    """A third-party email transport that records what it was asked."""

    def __init__(self, answer: bool | None) -> None:
        self.answer = answer
        self.received: list[tuple[EmailMessage, Mapping[str, Any]]] = []

    @hookimpl
    def ohjaamo_send_email(self, message: EmailMessage, settings: Mapping[str, Any]) -> bool | None:
        self.received.append((message, settings))
        return self.answer


def _register_builtin_last(pm: pluggy.PluginManager) -> None:
    """Register the built-in after the third-party plugin, so only `trylast` puts it last."""
    pm.unregister(name=BUILTIN_SMTP)
    pm.register(plugins.email_smtp, name=BUILTIN_SMTP)


def test_hook_ohjaamo_send_email_asks_third_party_first_and_skips_builtin(
    make_app: AppFactory, smtp_server: SMTPServer
) -> None:
    transport = Transport(True)
    app = make_app(transport)
    app.config.update(smtp_settings(smtp_server))
    _register_builtin_last(manager(app))
    message = make_message()

    taken = manager(app).hook.ohjaamo_send_email(message=message, settings=app.config)

    assert taken is True
    assert transport.received == [(message, app.config)]
    assert smtp_server.messages == []


def test_hook_ohjaamo_send_email_falls_back_to_builtin_when_third_party_declines(
    make_app: AppFactory, smtp_server: SMTPServer
) -> None:
    transport = Transport(None)
    app = make_app(transport)
    app.config.update(smtp_settings(smtp_server))
    _register_builtin_last(manager(app))
    message = make_message()

    taken = manager(app).hook.ohjaamo_send_email(message=message, settings=app.config)

    assert taken is True
    assert transport.received == [(message, app.config)]
    assert [received.message["Subject"] for received in smtp_server.messages] == ["Työnohjaus AB12"]


def test_hook_ohjaamo_send_email_builtin_smtp_delivers_with_sender_and_reply_to(
    make_app: AppFactory, smtp_server: SMTPServer
) -> None:
    app = make_app()
    app.config.update(smtp_settings(smtp_server))

    taken = manager(app).hook.ohjaamo_send_email(message=make_message(), settings=app.config)

    assert taken is True
    (received,) = smtp_server.messages
    assert received.mail_from == "noreply@ohjaamo.test"
    assert received.rcpt_tos == ["asiakas@example.org"]
    assert received.message["From"] == "Ohjaamo <noreply@ohjaamo.test>"
    assert parseaddr(received.message["Reply-To"])[1] == "office@ohjaamo.test"
    assert received.message["Message-ID"] == "<session-1.created@ohjaamo.test>"
    assert received.message.get_content().strip() == "Tapaaminen on varattu."


def test_hook_ohjaamo_send_email_builtin_keeps_sender_and_reply_to_of_the_message(
    smtp_server: SMTPServer,
) -> None:
    message = make_message()
    message["From"] = "Maija Ohjaaja <maija@ohjaamo.test>"
    message["Reply-To"] = "maija@ohjaamo.test"

    plugins.email_smtp.ohjaamo_send_email(message=message, settings=smtp_settings(smtp_server))

    (received,) = smtp_server.messages
    assert received.message.get_all("From") == ["Maija Ohjaaja <maija@ohjaamo.test>"]
    assert received.message.get_all("Reply-To") == ["maija@ohjaamo.test"]


def test_hook_ohjaamo_send_email_builtin_omits_reply_to_when_not_configured(
    smtp_server: SMTPServer,
) -> None:
    settings = smtp_settings(smtp_server, MAIL_REPLY_TO="")

    plugins.email_smtp.ohjaamo_send_email(message=make_message(), settings=settings)

    (received,) = smtp_server.messages
    assert received.message["Reply-To"] is None


def test_builtin_smtp_sends_consecutive_messages_over_one_connection(
    smtp_server: SMTPServer,
) -> None:
    settings = smtp_settings(smtp_server, SMTP_MESSAGES_PER_CONNECTION=2)

    for _ in range(5):
        plugins.email_smtp.ohjaamo_send_email(message=make_message(), settings=settings)

    assert len(smtp_server.messages) == 5
    assert smtp_server.greetings == 3  # two, two and one message per connection


def test_builtin_smtp_opens_a_new_connection_after_the_idle_time(
    smtp_server: SMTPServer,
) -> None:
    settings = smtp_settings(smtp_server, SMTP_IDLE_SECONDS=0)

    for _ in range(2):
        plugins.email_smtp.ohjaamo_send_email(message=make_message(), settings=settings)

    assert (len(smtp_server.messages), smtp_server.greetings) == (2, 2)


def test_builtin_smtp_resends_once_when_the_server_dropped_the_kept_connection(
    smtp_server: SMTPServer,
) -> None:
    settings = smtp_settings(smtp_server)
    plugins.email_smtp.ohjaamo_send_email(message=make_message(), settings=settings)
    smtp_server.stop()
    smtp_server.start_again()

    plugins.email_smtp.ohjaamo_send_email(message=make_message(), settings=settings)

    assert (len(smtp_server.messages), smtp_server.greetings) == (2, 2)


def test_hook_ohjaamo_send_email_builtin_raises_when_server_is_down(
    make_app: AppFactory, smtp_server: SMTPServer
) -> None:
    app = make_app()
    app.config.update(smtp_settings(smtp_server))
    smtp_server.stop()

    with pytest.raises(ConnectionRefusedError):
        manager(app).hook.ohjaamo_send_email(message=make_message(), settings=app.config)


def test_hook_ohjaamo_send_email_builtin_starttls_with_login(
    smtp_starttls_server: SMTPServer,
    loopback_certificate: Certificate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(loopback_certificate.cert_path))
    settings = smtp_settings(
        smtp_starttls_server,
        SMTP_SECURITY="starttls",
        SMTP_USERNAME="ohjaamo",
        SMTP_PASSWORD=SMTP_TEST_PASSWORD,
    )

    assert plugins.email_smtp.ohjaamo_send_email(message=make_message(), settings=settings)

    assert smtp_starttls_server.logins == [("ohjaamo", SMTP_TEST_PASSWORD)]
    assert len(smtp_starttls_server.messages) == 1


def test_hook_ohjaamo_send_email_builtin_starttls_verifies_the_certificate(
    smtp_starttls_server: SMTPServer,
) -> None:
    settings = smtp_settings(smtp_starttls_server, SMTP_SECURITY="starttls")

    with pytest.raises(OSError, match="CERTIFICATE_VERIFY_FAILED"):
        plugins.email_smtp.ohjaamo_send_email(message=make_message(), settings=settings)
    assert smtp_starttls_server.messages == []


def test_hook_ohjaamo_send_email_builtin_implicit_tls(
    smtp_tls_server: SMTPServer,
    loopback_certificate: Certificate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(loopback_certificate.cert_path))
    settings = smtp_settings(smtp_tls_server, SMTP_SECURITY="tls")

    assert plugins.email_smtp.ohjaamo_send_email(message=make_message(), settings=settings)

    assert len(smtp_tls_server.messages) == 1


def test_hook_ohjaamo_send_email_builtin_refuses_unknown_security_mode(
    smtp_server: SMTPServer,
) -> None:
    settings = smtp_settings(smtp_server, SMTP_SECURITY="ssl")

    with pytest.raises(ValueError, match="SMTP_SECURITY"):
        plugins.email_smtp.ohjaamo_send_email(message=make_message(), settings=settings)
    assert smtp_server.messages == []


# --- Bookings -------------------------------------------------------------------------


class BookingRules:
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self.proposals: list[BookingProposal] = []

    @hookimpl
    def ohjaamo_validate_booking(self, proposal: BookingProposal) -> list[str]:
        self.proposals.append(proposal)
        return self.problems


def make_proposal(**overrides: Any) -> BookingProposal:
    values: dict[str, Any] = {
        "supervisor_id": uuid.uuid4(),
        "process_id": uuid.uuid4(),
        "kind": "session",
        "start": START,
        "end": END,
        "place_kind": "client_premises",
        "room_id": None,
        "participant_count": 6,
    }
    return BookingProposal(**(values | overrides))


def test_hook_ohjaamo_validate_booking_collects_every_plugins_problems(
    make_app: AppFactory,
) -> None:
    strict = BookingRules(["Ei varauksia heinäkuussa.", "Ryhmässä enintään 5 henkeä."])
    content = BookingRules([])
    also = BookingRules(["Ei perjantaisin."])
    pm = manager(make_app(strict, content, also))
    proposal = make_proposal()

    problems = booking_problems(pm, proposal)

    assert sorted(problems) == sorted(
        ["Ei varauksia heinäkuussa.", "Ryhmässä enintään 5 henkeä.", "Ei perjantaisin."]
    )
    assert strict.proposals == content.proposals == also.proposals == [proposal]


def test_hook_ohjaamo_validate_booking_without_objections_is_fine(make_app: AppFactory) -> None:
    assert booking_problems(manager(make_app(BookingRules([]))), make_proposal()) == []
    assert booking_problems(manager(make_app()), make_proposal()) == []


class BookingListener:
    def __init__(self) -> None:
        self.changes: list[BookingChange] = []

    @hookimpl
    def ohjaamo_booking_changed(self, change: BookingChange) -> None:
        self.changes.append(change)


def test_hook_ohjaamo_booking_changed_tells_every_listener(make_app: AppFactory) -> None:
    first, second = BookingListener(), BookingListener()
    pm = manager(make_app(first, second))
    change = BookingChange(
        event="moved",
        session_id=uuid.uuid4(),
        process_code="AB12",
        start=START + timedelta(days=14),
        end=END + timedelta(days=14),
        previous_start=START,
    )

    pm.hook.ohjaamo_booking_changed(change=change)

    assert first.changes == second.changes == [change]


def test_hook_ohjaamo_booking_changed_payload_carries_nothing_confidential() -> None:
    assert {f.name for f in dataclasses.fields(BookingChange)} == {
        "event",
        "session_id",
        "process_code",
        "start",
        "end",
        "previous_start",
    }
    with pytest.raises(ValueError, match="unknown booking event"):
        BookingChange("renamed", uuid.uuid4(), "AB12", START, END)


# --- App integration ------------------------------------------------------------------


class WebPlugin:
    def __init__(self) -> None:
        self.apps: list[Flask] = []
        self.blueprint = Blueprint("probe_plugin", __name__, url_prefix="/probe-plugin")
        self.blueprint.add_url_rule("/", "index", lambda: "hei pluginilta")

    @hookimpl
    def ohjaamo_register_blueprints(self, app: Flask) -> list[Blueprint]:
        self.apps.append(app)
        return [self.blueprint]


def test_hook_ohjaamo_register_blueprints_serves_the_plugins_pages(
    make_app: AppFactory,
) -> None:
    plugin = WebPlugin()
    app = make_app(plugin)

    response = app.test_client().get("/probe-plugin/")

    assert plugin.apps == [app]
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "hei pluginilta"


class CommandPlugin:
    def __init__(self) -> None:
        self.groups: list[click.Group] = []

    @hookimpl
    def ohjaamo_register_commands(self, cli: click.Group) -> None:
        self.groups.append(cli)

        @cli.command("probe-hello")
        @click.argument("who")
        def probe_hello(who: str) -> None:
            """Greet someone."""
            click.echo(f"Hei, {who}!")


def test_hook_ohjaamo_register_commands_adds_a_working_command(make_app: AppFactory) -> None:
    plugin = CommandPlugin()
    app = make_app(plugin)

    result = app.test_cli_runner().invoke(args=["probe-hello", "Maija"])

    assert plugin.groups == [app.cli]
    assert result.exit_code == 0, result.output
    assert result.output == "Hei, Maija!\n"


class StartupPlugin:
    def __init__(self) -> None:
        self.seen: list[tuple[Flask, bool, bool]] = []

    @hookimpl
    def ohjaamo_startup(self, app: Flask) -> None:
        self.seen.append(
            (app, "ohjaamo.plugins" in app.extensions, "probe_plugin" in app.blueprints)
        )


def test_hook_ohjaamo_startup_runs_once_when_the_app_is_complete(make_app: AppFactory) -> None:
    plugin = StartupPlugin()
    app = make_app(WebPlugin(), plugin)

    assert plugin.seen == [(app, True, True)]


# --- The manager ----------------------------------------------------------------------


def test_manager_is_fresh_for_every_app(make_app: AppFactory) -> None:
    listener = BookingListener()
    first, second = make_app(), make_app()
    manager(first).register(listener)

    assert manager(first) is not manager(second)
    assert manager(second).get_plugin(manager(first).get_name(listener)) is None
    assert build_plugin_manager({}) is not build_plugin_manager({})


def test_builtin_plugins_are_registered_by_module_name(make_app: AppFactory) -> None:
    pm = manager(make_app())

    for module_name in BUILTIN_PLUGINS:
        assert pm.get_plugin(module_name) is sys.modules[module_name]
    assert {"name": BUILTIN_SMTP, "version": None, "hooks": ["ohjaamo_send_email"]} in (
        describe_plugins(pm)
    )


def test_plugins_blocked_keeps_a_builtin_out(make_app: AppFactory) -> None:
    app = make_app(PLUGINS_BLOCKED=[BUILTIN_SMTP])
    pm = manager(app)

    assert pm.is_blocked(BUILTIN_SMTP)
    assert pm.get_plugin(BUILTIN_SMTP) is None
    assert BUILTIN_SMTP not in {entry["name"] for entry in describe_plugins(pm)}
    assert pm.hook.ohjaamo_send_email(message=make_message(), settings=app.config) is None


@pytest.fixture
def builtin_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forget_modules: list[str]
) -> Callable[[dict[str, str]], None]:
    """Write modules and add them to `BUILTIN_PLUGINS`, to test the manager as it is built."""

    def add(sources: dict[str, str]) -> None:
        for module_name, source in sources.items():
            (tmp_path / f"{module_name}.py").write_text(textwrap.dedent(source), "utf-8")
            forget_modules.append(module_name)
        monkeypatch.syspath_prepend(str(tmp_path))
        monkeypatch.setattr("service.plugins.BUILTIN_PLUGINS", (*BUILTIN_PLUGINS, *sources))

    return add


def test_check_pending_rejects_an_implementation_of_an_unknown_hook(
    builtin_modules: Callable[[dict[str, str]], None],
) -> None:
    builtin_modules(
        {
            "ohjaamo_probe_misspelt": """
                from service.hookspecs import hookimpl


                @hookimpl
                def ohjaamo_no_such_hook():
                    return None
            """
        }
    )

    with pytest.raises(pluggy.PluginValidationError, match="ohjaamo_no_such_hook"):
        build_plugin_manager({})


def test_duplicate_backend_name_stops_the_start(
    builtin_modules: Callable[[dict[str, str]], None],
) -> None:
    source = """
        from service.hookspecs import hookimpl


        class Rooms:
            name = "shared-name"


        @hookimpl
        def ohjaamo_register_room_systems():
            return [Rooms]
    """
    builtin_modules({"ohjaamo_probe_rooms_a": source, "ohjaamo_probe_rooms_b": source})

    with pytest.raises(PluginConfigurationError, match="ohjaamo_probe_rooms_a"):
        create_app(BASE_CONFIG)
    assert build_plugin_manager({"PLUGINS_BLOCKED": ["ohjaamo_probe_rooms_b"]})


# --- A third-party plugin installed through a real entry point ------------------------

PROBE_DISTRIBUTION = "ohjaamo-probe-plugin"
PROBE_MODULE = "ohjaamo_probe_plugin"
PROBE_ENTRY_POINT = "probe"


@pytest.fixture(scope="module")
def installed_probe_plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a wheel of a tiny plugin distribution and install it into a private folder."""
    source = tmp_path_factory.mktemp("probe-source")
    (source / f"{PROBE_MODULE}.py").write_text(
        textwrap.dedent(
            """
            from service.hookspecs import hookimpl


            @hookimpl
            def ohjaamo_startup(app):
                app.extensions.setdefault("ohjaamo_probe_plugin.started", []).append(app)
            """
        ),
        encoding="utf-8",
    )
    (source / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
        encoding="utf-8",
    )
    (source / "setup.cfg").write_text(
        textwrap.dedent(
            f"""
            [metadata]
            name = {PROBE_DISTRIBUTION}
            version = 0.1

            [options]
            py_modules = {PROBE_MODULE}

            [options.entry_points]
            ohjaamo =
                {PROBE_ENTRY_POINT} = {PROBE_MODULE}
            """
        ),
        encoding="utf-8",
    )
    wheels = tmp_path_factory.mktemp("probe-wheels")
    site = tmp_path_factory.mktemp("probe-site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", wheels, source],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", site, wheel],
        check=True,
        capture_output=True,
    )
    return site


def test_third_party_plugin_is_loaded_from_its_entry_point(
    installed_probe_plugin: Path,
    monkeypatch: pytest.MonkeyPatch,
    forget_modules: list[str],
) -> None:
    monkeypatch.syspath_prepend(str(installed_probe_plugin))
    forget_modules.append(PROBE_MODULE)

    app = create_app(BASE_CONFIG)
    pm = manager(app)

    assert dict(pm.list_name_plugin())[PROBE_ENTRY_POINT] is sys.modules[PROBE_MODULE]
    assert app.extensions["ohjaamo_probe_plugin.started"] == [app]
    assert {
        "name": PROBE_ENTRY_POINT,
        "version": "0.1",
        "hooks": ["ohjaamo_startup"],
    } in describe_plugins(pm)


def test_third_party_plugin_blocked_by_entry_point_name_stays_out(
    installed_probe_plugin: Path,
    monkeypatch: pytest.MonkeyPatch,
    forget_modules: list[str],
) -> None:
    monkeypatch.syspath_prepend(str(installed_probe_plugin))
    forget_modules.append(PROBE_MODULE)

    app = create_app({**BASE_CONFIG, "PLUGINS_BLOCKED": [PROBE_ENTRY_POINT]})
    pm = manager(app)

    assert pm.is_blocked(PROBE_ENTRY_POINT)
    assert pm.get_plugin(PROBE_ENTRY_POINT) is None
    assert "ohjaamo_probe_plugin.started" not in app.extensions
