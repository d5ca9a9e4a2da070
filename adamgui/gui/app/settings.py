"""Where preferences live: QSettings, or a throwaway file when ``ADAMGUI_SETTINGS`` says so.

``ADAMGUI_SETTINGS=none`` (the tests) gives each process a fresh, empty settings file;
any other value is used as the path of an INI file.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile

from PySide6.QtCore import QByteArray, QSettings

_throwaway: str | None = None
_warned: set[str] = set()
MAX_RECENT = 8


def _usable(path: str) -> bool:
    """A settings file that is missing (it will be made) or regular; anything else is said once and ignored."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return True
    except OSError as e:
        problem = e.strerror
    else:
        if stat.S_ISREG(mode):
            return True
        problem = "it is not a regular file"
    if path not in _warned:
        _warned.add(path)
        print(f"adamgui: settings file {path} ignored: {problem}", file=sys.stderr)
    return False


def _throwaway_file() -> str:
    """One fresh, empty settings file for this process (made on first use)."""
    global _throwaway
    if _throwaway is None:
        _throwaway = os.path.join(tempfile.mkdtemp(prefix="adamgui-settings-"), "settings.ini")
    return _throwaway


def app_settings() -> QSettings:
    where = os.environ.get("ADAMGUI_SETTINGS")
    if where == "none":
        return QSettings(_throwaway_file(), QSettings.Format.IniFormat)
    if where:
        # a pipe or a device would hang or flood the start: this process uses fresh settings instead
        return QSettings(where if _usable(where) else _throwaway_file(), QSettings.Format.IniFormat)
    settings = QSettings("AdamGUI", "AdamGUI")
    return settings if _usable(settings.fileName()) else QSettings(_throwaway_file(), QSettings.Format.IniFormat)


def string_list(settings: QSettings, key: str, limit: int = MAX_RECENT) -> list[str]:
    """A stored list of text, checked on read: anything else gives an empty list; at most ``limit``."""
    value = settings.value(key, [])
    if isinstance(value, str):
        return [value] if value else []
    if not isinstance(value, list):
        return []
    return [v for v in value[:limit] if isinstance(v, str)]


def stored_blob(settings: QSettings, key: str) -> QByteArray | None:
    """A stored layout or geometry, only if it is bytes and its checksum matches (else None: dropped).

    Qt's restoreState trusts its input; a blob with a few bytes changed has crashed it, so a blob is
    handed to Qt only when it is exactly what this app wrote.
    """
    blob, digest = settings.value(key), settings.value(key + "_sha256")
    if not isinstance(blob, QByteArray | bytes) or not isinstance(digest, str):
        return None
    data = bytes(blob)
    return QByteArray(data) if hashlib.sha256(data).hexdigest() == digest else None


def store_blob(settings: QSettings, key: str, blob: QByteArray) -> None:
    settings.setValue(key, blob)
    settings.setValue(key + "_sha256", hashlib.sha256(bytes(blob)).hexdigest())
