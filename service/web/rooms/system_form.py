"""The room system settings form read into the settings each built-in system takes
(``plugins/rooms_http``: ``base_url``; ``plugins/rooms_caldav``: ``url``, ``username``,
``calendar_urls``), and the stored settings shown back. Settings the page does not show
(retries, capacities) are kept while the system stays the same."""

from __future__ import annotations

from typing import Any

from service.domain.errors import InvalidFields
from service.models import Organisation
from service.models.organisation import LOCAL_ROOM_SYSTEM
from service.web.rooms.forms import ROOM_SYSTEM_LABELS, RoomSystemForm

URL_KEY = {"http": "base_url", "caldav": "url"}
URL_LENGTH = 500


def fill_system_form(form: RoomSystemForm, organisation: Organisation) -> None:
    stored = organisation.room_system_settings or {}
    form.system.data = organisation.room_system
    form.url.data = stored.get(URL_KEY.get(organisation.room_system, ""), "")
    form.username.data = stored.get("username", "")
    form.calendar_urls.data = "\n".join(stored.get("calendar_urls") or ())


def system_settings(
    form: RoomSystemForm, organisation: Organisation
) -> tuple[str, dict[str, Any], str | None]:
    """(system, settings, secret); the secret None keeps the stored one, and rooms kept
    in Ohjaamo drop it. Raises `InvalidFields` for a missing address or unknown system."""
    system = form.system.data or ""
    if system not in ROOM_SYSTEM_LABELS:
        raise InvalidFields({"system": "unknown_room_system"})
    if system == LOCAL_ROOM_SYSTEM:
        return system, {}, ""
    url = (form.url.data or "").strip()
    if not url.startswith(("https://", "http://")) or len(url) > URL_LENGTH:
        raise InvalidFields({"url": "url_required"})
    kept = dict(organisation.room_system_settings or {})
    settings = kept if organisation.room_system == system else {}
    settings[URL_KEY[system]] = url
    if system == "caldav":
        settings["username"] = (form.username.data or "").strip()
        calendars = [line.strip() for line in (form.calendar_urls.data or "").splitlines()]
        settings["calendar_urls"] = [line for line in calendars if line]
    return system, settings, form.secret.data or None
