"""AdamGUI: watch gradient descent, Adam and their relatives move across a loss surface.

As a library (no Qt imported): ``adamgui.preset``, ``adamgui.chapter``, ``adamgui.make_scene``,
``adamgui.load_session``, ``adamgui.run`` and its ``Result``; see :mod:`adamgui.api` and docs/api.md.
"""

__version__ = "0.1.0"

EXIT_INTERRUPTED = 130  # exit status of a command stopped by Ctrl+C or SIGTERM (the shell's convention)

_API = (
    "Result",
    "RunSpec",
    "Scene",
    "chapter",
    "colors",
    "link",
    "load_session",
    "make_scene",
    "open_link",
    "preset",
    "run",
    "save_session",
    "scene_from_json",
    "scene_json",
    "surface_grid",
    "surface_shading",
    "write",
)


def __getattr__(name: str):
    """The library face, imported when first asked for (the window's start does not pay for it)."""
    if name in _API:
        from adamgui import api

        return getattr(api, name)
    raise AttributeError(f"module 'adamgui' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_API])
