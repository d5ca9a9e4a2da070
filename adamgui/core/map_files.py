"""Basin maps and sweeps written out: numbers as .npy or .csv, pictures as .png (no Qt needed)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np

from adamgui.core.files import atomic_output
from adamgui.core.maps import DIVERGED, LEFT, NO_MINIMUM, BasinMap, Sweep

# outcome colors: one per minimum (up to eight), then the three other outcomes; every one stands out
# from the plots' dark background and from the others (a test measures it)
MINIMUM_COLORS = ("#56b4e9", "#e69f00", "#009e73", "#cc79a7", "#f0e442", "#0072b2", "#ff9da7", "#9c755f")
OTHER_COLORS = {NO_MINIMUM: "#6e7480", DIVERGED: "#c0392b", LEFT: "#e8e8e8"}


def rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))


def basin_colors(outcome: np.ndarray) -> np.ndarray:
    """(h, w, 3) uint8 picture of an outcome grid; row 0 is the lowest y."""
    image = np.zeros(outcome.shape + (3,), dtype=np.uint8)
    for code, color in OTHER_COLORS.items():
        image[outcome == code] = rgb(color)
    for k, color in enumerate(MINIMUM_COLORS):
        image[outcome == k] = rgb(color)
    return image


def heat_colors(values: np.ndarray, log: bool = True, missing: str = OTHER_COLORS[DIVERGED]) -> np.ndarray:
    """Viridis-like colors of a value grid (log scale by default); NaN cells in the ``missing`` color."""
    from adamgui.core.scale import ValueScale

    finite = np.isfinite(values)
    scale = ValueScale.fit(values) if not log else None
    with np.errstate(all="ignore"):
        u = np.log10(np.maximum(values, 1e-300)) if log else scale.normalize(values)
    if log and finite.any():
        lo, hi = np.nanmin(u[finite]), np.nanmax(u[finite])
        u = (u - lo) / (hi - lo) if hi > lo else np.zeros_like(u)
    stops = np.array([rgb(c) for c in ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")], dtype=float)
    u = np.clip(np.nan_to_num(u, nan=0.0), 0, 1) * (len(stops) - 1)
    low = np.floor(u).astype(int).clip(0, len(stops) - 2)
    frac = (u - low)[..., None]
    image = (stops[low] * (1 - frac) + stops[low + 1] * frac).astype(np.uint8)
    image[~finite] = rgb(missing)
    return image


def steps_colors(steps: np.ndarray) -> np.ndarray:
    """Colors of steps-to-converge (few: purple, many: yellow); starts that never got there grey."""
    return heat_colors(np.where(steps >= 0, steps, np.nan).astype(float), log=False, missing=OTHER_COLORS[NO_MINIMUM])


def _suffix(path: Path, what: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".npy", ".csv", ".png"):
        raise ValueError(f"{path.name}: {what} is saved as .npy, .csv or .png")
    return suffix


def save_basin(result: BasinMap, path: str | Path) -> None:
    """The map's outcomes and steps as .npy or .csv, or its picture as .png; all or nothing (FileProblem)."""
    path = Path(path)
    suffix = _suffix(path, "a map")
    with atomic_output(path) as partial:
        if suffix == ".npy":
            np.save(partial, np.stack([result.outcome, result.steps]))
        elif suffix == ".csv":
            with partial.open("w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["x", "y", "outcome", "steps"])
                for j, y in enumerate(result.ys):
                    for i, x in enumerate(result.xs):
                        w.writerow([repr(float(x)), repr(float(y)), int(result.outcome[j, i]), int(result.steps[j, i])])
        else:
            _png(partial, basin_colors(result.outcome))


def save_sweep(result: Sweep, path: str | Path) -> None:
    """The sweep's final losses and steps as .npy or .csv, or its heatmap as .png; all or nothing."""
    path = Path(path)
    suffix = _suffix(path, "a sweep")
    with atomic_output(path) as partial:
        if suffix == ".npy":
            np.save(partial, np.stack([result.loss, result.steps.astype(float)]))
        elif suffix == ".csv":
            with partial.open("w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow([result.x_param, result.y_param, "final_loss", "steps"])
                for j, yv in enumerate(result.y_values):
                    for i, xv in enumerate(result.x_values):
                        loss, steps = repr(float(result.loss[j, i])), int(result.steps[j, i])
                        w.writerow([repr(float(xv)), repr(float(yv)), loss, steps])
        else:
            _png(partial, heat_colors(result.loss))


def _png(path: Path, image: np.ndarray) -> None:
    import imageio.v3 as iio

    big = np.repeat(
        np.repeat(image[::-1], max(1, 512 // image.shape[0]), axis=0), max(1, 512 // image.shape[1]), axis=1
    )
    data = iio.imwrite("<bytes>", big, extension=".png")  # encoded in memory: a failed write is one OSError of
    with open(path, "wb") as f:  # ours (a full disk), not a writer object's complaint when it is collected later
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
