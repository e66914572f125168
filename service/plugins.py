"""Building the plugin manager, and reading the backend tables out of it.

A manager is built for each app by `build_plugin_manager` and kept in
`app.extensions["ohjaamo.plugins"]`; there is no global one, so every app (and every
test) starts from a clean set of plugins.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import Any

import pluggy

from service import hookspecs
from service.backends import BookingProposal

ENTRY_POINT_GROUP = "ohjaamo"

BUILTIN_PLUGINS: tuple[str, ...] = (
    "plugins.email_mailbox",
    "plugins.email_smtp",
    "plugins.caldav_calendar",
    "plugins.ics_calendar",
    "plugins.rooms_local",
    "plugins.rooms_caldav",
    "plugins.rooms_http",
)


class PluginConfigurationError(RuntimeError):
    """Plugins that cannot work together, such as two backends with the same name."""


def build_plugin_manager(config: Mapping[str, Any]) -> pluggy.PluginManager:
    """A fresh manager with the built-in and installed plugins, minus blocked ones.

    Names are blocked before anything is registered, so a blocked plugin's module is
    never even imported. `check_pending` then rejects any implementation of a hook
    that does not exist, which is usually a misspelt hook name, and the backend
    tables are read once so that a clash between plugins stops the start.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    for name in _blocked_names(config.get("PLUGINS_BLOCKED")):
        pm.set_blocked(name)
    for module_name in BUILTIN_PLUGINS:
        if not pm.is_blocked(module_name):
            pm.register(importlib.import_module(module_name), name=module_name)
    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    pm.check_pending()
    calendar_backends(pm)
    room_systems(pm)
    return pm


def _blocked_names(setting: str | Iterable[str] | None) -> list[str]:
    if not setting:
        return []
    if isinstance(setting, str):
        return [setting]
    return list(setting)


def describe_plugins(pm: pluggy.PluginManager) -> list[dict[str, Any]]:
    """Each registered plugin's name, version (installed ones) and hooks, sorted by name."""
    versions = {pm.get_name(plugin): dist.version for plugin, dist in pm.list_plugin_distinfo()}
    described = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        described.append(
            {
                "name": name,
                "version": versions.get(name),
                "hooks": sorted(caller.name for caller in pm.get_hookcallers(plugin) or ()),
            }
        )
    return sorted(described, key=lambda entry: entry["name"])


def calendar_backends(pm: pluggy.PluginManager) -> dict[str, type]:
    """Calendar backend classes by name, from `ohjaamo_register_calendar_backends`."""
    return _classes_by_name(pm, "ohjaamo_register_calendar_backends", "calendar backend")


def room_systems(pm: pluggy.PluginManager) -> dict[str, type]:
    """Room-system classes by name, from `ohjaamo_register_room_systems`."""
    return _classes_by_name(pm, "ohjaamo_register_room_systems", "room system")


def booking_problems(pm: pluggy.PluginManager, proposal: BookingProposal) -> list[str]:
    """Every plugin's objections to `proposal`, from `ohjaamo_validate_booking`."""
    problems: list[str] = []
    for result in pm.hook.ohjaamo_validate_booking(proposal=proposal):
        problems.extend(result or ())
    return problems


def _classes_by_name(pm: pluggy.PluginManager, hook_name: str, kind: str) -> dict[str, type]:
    """Flatten a register hook into name -> class, refusing a name offered twice.

    Each implementation is called on its own, rather than through the hook caller,
    so that an error can name the plugins involved.
    """
    found: dict[str, tuple[type, str]] = {}
    for impl in reversed(getattr(pm.hook, hook_name).get_hookimpls()):
        if impl.wrapper or impl.hookwrapper:
            continue
        for cls in impl.function() or ():
            name = getattr(cls, "name", None)
            if not isinstance(cls, type) or not isinstance(name, str) or not name:
                raise PluginConfigurationError(
                    f"plugin {impl.plugin_name!r} offered {cls!r} as a {kind}; "
                    "expected a class with a non-empty string `name`"
                )
            if name in found:
                raise PluginConfigurationError(
                    f"{kind} name {name!r} is offered by both plugin {found[name][1]!r} "
                    f"and plugin {impl.plugin_name!r}; block one with PLUGINS_BLOCKED"
                )
            found[name] = (cls, impl.plugin_name)
    return {name: cls for name, (cls, _plugin) in found.items()}
