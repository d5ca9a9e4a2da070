"""A scene as a link: ``adamgui:1.`` and the session, as compact JSON, compressed and written in URL-safe base64.

A link is a session file in a form that fits on a slide, a chat line or a web page's address: the same fields,
read back by the same careful reader (core/session.py), so a broken or hostile link is refused with one sentence
and nothing in it runs. Its limits: at most :data:`MAX_LINK_CHARS` characters, unpacked to at most the session
file's own limit (a bomb of compressed data stops there), a version this app reads.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import urllib.parse
import zlib

from adamgui.core.scene import Scene
from adamgui.core.session import MAX_SESSION_BYTES, SessionError, from_text, scene_to_dict

SCHEME = "adamgui"
VERSION = 1  # the link's own format (the session inside carries its version too)
MAX_LINK_CHARS = 16_000
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class LinkError(SessionError):
    """A link that cannot be opened: the message is one sentence saying why."""


def to_link(scene: Scene) -> str:
    """``adamgui:1.…``: ``scene`` at step 0, compact and URL-safe (no padding, nothing a URL must escape)."""
    text = json.dumps(scene_to_dict(scene), separators=(",", ":"), ensure_ascii=False)
    packed = zlib.compress(text.encode("utf-8"), 9)
    return f"{SCHEME}:{VERSION}." + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def is_link(text: str) -> bool:
    """Whether ``text`` claims to be an AdamGUI link (its scheme), valid or not."""
    return text.strip().lower().startswith(SCHEME + ":")


def from_link(text: str) -> Scene:
    """The scene a link holds; LinkError with a sentence for a link that is foreign, cut short, mistyped, too
    large, of a newer version, or whose scene the session reader refuses."""
    text = text.strip()
    if len(text) > MAX_LINK_CHARS:
        raise LinkError(f"The link is {len(text):,} characters long; an AdamGUI link is at most {MAX_LINK_CHARS:,}")
    if not is_link(text):
        shown = text[:40] + ("…" if len(text) > 40 else "")
        raise LinkError(f"{shown!r} is not an AdamGUI link (a link starts with {SCHEME}:)")
    body = urllib.parse.unquote(text[len(SCHEME) + 1 :]).lstrip("/")  # (a browser may escape it, or add //)
    version, dot, payload = body.partition(".")
    payload = payload.rstrip("=")  # (padding, which links leave off, is allowed)
    if not dot or not version.isdigit() or len(version) > 6:
        raise LinkError("The link is broken: it has no version after adamgui: (it may have been cut short)")
    if int(version) > VERSION:
        raise LinkError(
            f"The link was made by a newer AdamGUI (link version {int(version)}; this one reads version {VERSION})"
        )
    if int(version) < 1:
        raise LinkError(f"The link's version {int(version)} is not a link version")
    if not _BASE64URL.fullmatch(payload):
        bad = next(c for c in payload if not _BASE64URL.fullmatch(c))
        raise LinkError(f"The link is broken: it holds {bad!r}, which no AdamGUI link has (it may have been mistyped)")
    try:
        packed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        raise LinkError("The link is broken: it was cut short or mistyped") from None
    unpack = zlib.decompressobj()
    try:
        data = unpack.decompress(packed, MAX_SESSION_BYTES + 1)
    except zlib.error:
        raise LinkError("The link is broken: its data do not unpack (it was cut short or mistyped)") from None
    if len(data) > MAX_SESSION_BYTES or unpack.unconsumed_tail:
        raise LinkError(f"The link unpacks to more than {MAX_SESSION_BYTES:,} bytes: that is no scene")
    if not unpack.eof:
        raise LinkError("The link is cut short: its data end too soon")
    try:
        session = data.decode("utf-8")
    except UnicodeDecodeError:
        raise LinkError("The link is broken: what it holds is not text") from None
    try:
        scene, _step, _speed = from_text(session, "the link")
    except SessionError as e:
        raise LinkError(f"The link's scene cannot be used: {e}") from None
    return scene
