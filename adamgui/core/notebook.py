"""A scene as a Jupyter notebook (nbformat 4): rebuilt through the library face, run, and drawn with matplotlib.

The notebook holds the scene as its session JSON, so it needs nothing but an installed ``adamgui`` (and
matplotlib) to run again; it prints each run's final position (the numbers a test compares with the app's) and
draws the paths over the contours of the surface and each run's loss against the step. Its first cell says what
the scene shows: the chapter's or preset's text when there is one, else the surface's description.
"""

from __future__ import annotations

import json

from adamgui.core.scene import Scene
from adamgui.core.session import scene_to_dict

NBFORMAT, NBFORMAT_MINOR = 4, 5


def _cell(kind: str, text: str, n: int) -> dict:
    cell = {"cell_type": kind, "id": f"cell-{n}", "metadata": {}, "source": text.splitlines(keepends=True)}
    if kind == "code":
        cell |= {"execution_count": None, "outputs": []}
    return cell


def _about(scene: Scene) -> str:
    surface = scene.surface_obj
    lines = [f"# {scene.title or surface.title}", ""]
    lines.append(scene.watch or surface.description or f"f(x, y) = {surface.formula}")
    runs = ", ".join(scene.labels())
    lines += [
        "",
        f"Surface: **{surface.title}**, f(x, y) = `{surface.formula}`; start ({scene.start[0]:g}, {scene.start[1]:g}); "
        f"runs: {runs}.",
        "",
        "Made by AdamGUI's *Export > Notebook*: the cells below rebuild the scene with the `adamgui` library, run it "
        "and draw what the window shows. Change the scene's JSON or the steps and run them again.",
    ]
    return "\n".join(lines)


def notebook(scene: Scene, steps: int) -> dict:
    """The notebook of ``scene`` run ``steps`` steps, as a JSON-ready dict."""
    session = json.dumps(scene_to_dict(scene), indent=1, ensure_ascii=False)
    build = (
        "import adamgui\n"
        "\n"
        f"SCENE = r'''{session}'''\n"
        f"STEPS = {int(steps)}\n"
        "\n"
        "scene = adamgui.scene_from_json(SCENE)\n"
        "result = adamgui.run(scene, STEPS)\n"
        "for label, (x, y) in result.final_positions().items():\n"
        "    print(f'{label}: {x!r} {y!r}  ({result.statuses[label]})')\n"
    )
    paths = (
        "import matplotlib.pyplot as plt\n"
        "import numpy as np\n"
        "\n"
        "xs, ys, z = adamgui.surface_grid(scene, 200)\n"
        "shade = adamgui.surface_shading(z)  # f on the window's scale: log(f - f_min) where f spans decades\n"
        "fig, ax = plt.subplots(figsize=(7, 5))\n"
        "ax.contourf(xs, ys, shade.T, levels=40, cmap='viridis')\n"
        "ax.contour(xs, ys, shade.T, levels=20, colors='white', linewidths=0.4, alpha=0.5)\n"
        "for label, color in zip(result.labels, adamgui.colors(scene)):\n"
        "    path = result.paths[label]\n"
        "    ax.plot(path[:, 0], path[:, 1], color=color, lw=2, label=label)\n"
        "    ax.plot(*path[-1], 'o', color=color, mec='white')\n"
        "ax.set_xlim(xs[0], xs[-1]); ax.set_ylim(ys[0], ys[-1])\n"
        "ax.set_xlabel(scene.surface_obj.axes[0]); ax.set_ylabel(scene.surface_obj.axes[1])\n"
        "ax.legend(); ax.set_title(f'{STEPS} steps')\n"
        "plt.show()\n"
    )
    losses = (
        "fig, ax = plt.subplots(figsize=(7, 3.5))\n"
        "for label, color in zip(result.labels, adamgui.colors(scene)):\n"
        "    ax.plot(result.losses[label], color=color, lw=2, label=label)\n"
        "low = min(float(np.nanmin(v)) for v in result.losses.values())\n"
        "ax.set_yscale('log' if low > 0 else 'symlog')\n"
        "ax.set_xlabel('step'); ax.set_ylabel('loss'); ax.legend()\n"
        "plt.show()\n"
    )
    cells = [
        _cell("markdown", _about(scene), 0),
        _cell("code", build, 1),
        _cell("markdown", "The paths over the surface's contours (each run's end marked):", 2),
        _cell("code", paths, 3),
        _cell("markdown", "Each run's loss at every step:", 4),
        _cell("code", losses, 5),
    ]
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": NBFORMAT,
        "nbformat_minor": NBFORMAT_MINOR,
    }


def notebook_text(scene: Scene, steps: int) -> str:
    return json.dumps(notebook(scene, steps), indent=1, ensure_ascii=False) + "\n"
