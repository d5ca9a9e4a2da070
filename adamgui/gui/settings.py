"""Where preferences live: QSettings, or a throwaway file when ``ADAMGUI_SETTINGS`` says so.

``ADAMGUI_SETTINGS=none`` (the tests) gives each process a fresh, empty settings file;
any other value is used as the path of an INI file.
"""

from __future__ import annotations

import os
import tempfile

from PySide6.QtCore import QSettings

_throwaway: str | None = None


def app_settings() -> QSettings:
    global _throwaway
    where = os.environ.get("ADAMGUI_SETTINGS")
    if where == "none":
        if _throwaway is None:
            _throwaway = os.path.join(tempfile.mkdtemp(prefix="adamgui-settings-"), "settings.ini")
        return QSettings(_throwaway, QSettings.Format.IniFormat)
    if where:
        return QSettings(where, QSettings.Format.IniFormat)
    return QSettings("AdamGUI", "AdamGUI")


def string_list(settings: QSettings, key: str) -> list[str]:
    value = settings.value(key, [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in (value or [])]
