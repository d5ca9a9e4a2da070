"""Broken and hostile adamgui: links, each with the words its refusal must hold: used by the tests
(tests/core/test_links.py) and timed by ``main.py bench`` (each refused within 1 s and 100 MB)."""

from __future__ import annotations

import base64
import json
import zlib

from adamgui.core.links import MAX_LINK_CHARS, to_link
from adamgui.core.presets import PRESETS
from adamgui.core.scene import scene_from_preset
from adamgui.core.session import scene_to_dict


def _pack(doc, version=1) -> str:
    text = json.dumps(doc, separators=(",", ":")).encode()
    return f"adamgui:{version}." + base64.urlsafe_b64encode(zlib.compress(text, 9)).decode().rstrip("=")


def _bomb() -> str:
    """100 MB of zeros, compressed and cut to the link's length limit: a few kilobytes that would unpack to far more
    than a session may be."""
    packer, zeros = zlib.compressobj(9), b"\0" * 1_000_000
    data = b"".join(packer.compress(zeros) for _ in range(100)) + packer.flush()
    return "adamgui:1." + base64.urlsafe_b64encode(data).decode().rstrip("=")[: MAX_LINK_CHARS - 20]


GOOD = to_link(scene_from_preset(PRESETS["ravine"]))
DOC = scene_to_dict(scene_from_preset(PRESETS["ravine"]))
HOSTILE = {
    "empty": ("", "is not an AdamGUI link"),
    "another scheme": ("https://example.org/scene", "is not an AdamGUI link"),
    "a session path": ("/home/me/scene.adamgui.json", "is not an AdamGUI link"),
    "scheme only": ("adamgui:", "no version"),
    "no dot": ("adamgui:1", "no version"),
    "letters for a version": ("adamgui:v1.abc", "no version"),
    "a huge version number": ("adamgui:99999999999.abc", "no version"),
    "newer version": ("adamgui:2." + GOOD.split(".", 1)[1], "newer AdamGUI"),
    "version zero": ("adamgui:0." + GOOD.split(".", 1)[1], "not a link version"),
    "truncated by half": (GOOD[: len(GOOD) // 2], "cut short"),
    "truncated by one": (GOOD[:-1], "cut short"),
    "a mistyped character": (GOOD[:30] + "*" + GOOD[31:], "holds '*'"),
    "a space inside": (GOOD[:30] + " " + GOOD[30:], "holds ' '"),
    "not base64 length": ("adamgui:1.A", "cut short or mistyped"),
    "base64 of garbage": ("adamgui:1." + base64.urlsafe_b64encode(b"hello world!").decode(), "do not unpack"),
    "too long": ("adamgui:1." + "A" * MAX_LINK_CHARS, "at most 16,000"),
    "a compression bomb": (_bomb(), "more than"),
    "not UTF-8 inside": ("adamgui:1." + base64.urlsafe_b64encode(zlib.compress(b"\xff\xfe\x00")).decode(), "not text"),
    "not JSON inside": ("adamgui:1." + base64.urlsafe_b64encode(zlib.compress(b"scene!")).decode(), "JSON error"),
    "JSON but a list": (_pack([1, 2, 3]), "must be an object"),
    "a foreign format": (_pack({**DOC, "format": "other"}), "not an AdamGUI session"),
    "a newer session": (_pack({**DOC, "version": 99}), "newer AdamGUI"),
    "an unknown field": (_pack({**DOC, "evil": 1}), "unknown field"),
    "an unknown surface": (_pack({**DOC, "surface": {"name": "nowhere"}}), "surface"),
    "a bad start": (_pack({**DOC, "start": ["x", 1]}), "start: must be two numbers"),
    "no runs": (_pack({**DOC, "runs": []}), "at least one run"),
    "an unknown optimizer": (
        _pack({**DOC, "runs": [{**DOC["runs"][0], "optimizer": "rm -rf"}]}),
        "optimizer",
    ),
    "a negative rate": (
        _pack({**DOC, "runs": [{**DOC["runs"][0], "params": {"lr": -1}}]}),
        "lr",
    ),
    "an endless formula": (
        _pack({**DOC, "surface": {"name": "formula", "formula": "x" + "+x" * 5000}}),
        "surface.formula",
    ),
    "a data file elsewhere": (
        _pack({**DOC, "surface": {"name": "linear-regression", "data": "/etc/shadow"}}),
        "surface.data",
    ),
    "deep nesting": (_pack({**DOC, "title": [[[[[[[[[[[]]]]]]]]]]]}), "title"),
}
