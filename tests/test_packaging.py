"""The wheel carries every package of adamgui: pyproject.toml lists them by hand, so a new folder (gui/app,
gui/views, ...) left off the list would install an app that cannot import its window."""

from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]


def test_pyproject_lists_every_package_of_adamgui():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "adamgui").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found <= listed, f"not in pyproject.toml's packages: {sorted(found - listed)}"
    assert listed - found == {"adamgui._resources"}  # (resources/, mapped into the wheel)
