"""The window's remembered state (QSettings, per STYLE.md), kept in one place.

Every part of the app reads and writes through :func:`app_settings`, so the organisation
and application names are written once, and values whose type QSettings loses on the way
back are read through the helpers here (a one-item list comes back from the INI backend
as a plain string, which iterated would give its characters).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from core.paths import APP_NAME

__all__ = ["RECENT_KEPT", "app_settings", "filter_state", "forget_recent", "recent_files", "remember_recent",
           "save_filter_state", "string_list"]

RECENT_KEPT = 8
"""Files listed under File > Open Recent."""


def app_settings() -> QSettings:
    """The app's settings store (per user; tests point it at a temporary folder)."""
    return QSettings(APP_NAME, APP_NAME)


def string_list(value: object) -> list[str]:
    """A stored list of strings as a list, whatever form QSettings gave it back in."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    try:
        return [str(item) for item in value if item]  # type: ignore[union-attr]
    except TypeError:
        return [str(value)]


def recent_files() -> list[str]:
    """Videos and projects opened or saved lately, newest first."""
    return string_list(app_settings().value("recent"))[:RECENT_KEPT]


def remember_recent(path: str) -> None:
    """Put ``path`` at the top of File > Open Recent."""
    kept = [p for p in recent_files() if p != path]
    app_settings().setValue("recent", [path, *kept][:RECENT_KEPT])


def forget_recent(path: str) -> None:
    """Take ``path`` off the list (it failed to open)."""
    kept = recent_files()
    if path in kept:
        app_settings().setValue("recent", [p for p in kept if p != path])


def filter_state() -> dict:
    """The filter bar's settings of the last session ({} when none or damaged)."""
    import json

    text = app_settings().value("filters/last")
    try:
        state = json.loads(text) if text else {}
    except (TypeError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def save_filter_state(state: dict) -> None:
    """Remember the filter bar's settings (:meth:`~musicmatch_gui.widgets.filter_bar.FilterBar.state`)."""
    import json

    app_settings().setValue("filters/last", json.dumps(state))
