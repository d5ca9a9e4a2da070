"""Optimizers and a surface that pass AdamGUI's load check and fail afterwards (for its tests)."""

import sys

import numpy as np

from adamgui.core.optimizers import Optimizer
from adamgui.core.params import lr
from adamgui.core.surfaces import surface_from_formula


class _Counting(Optimizer):
    params = (lr(0.1),)

    def init(self, n, d=2):
        return {"t": 0}


class RaisesLater(_Counting):
    name, title = "raises-later", "Raises at step 5"

    def update(self, g, theta, state, hp):
        state["t"] += 1
        if state["t"] >= 5:
            raise RuntimeError(f"boom from raises-later at step {state['t']}")
        return hp["lr"] * g, {}


class NaNLater(_Counting):
    name, title = "nan-later", "A NaN step from step 5"

    def update(self, g, theta, state, hp):
        state["t"] += 1
        return (np.full_like(g, np.nan) if state["t"] >= 5 else hp["lr"] * g), {}


class ExitsLater(_Counting):
    name, title = "exits-later", "sys.exit at step 5"

    def update(self, g, theta, state, hp):
        state["t"] += 1
        if state["t"] >= 5:
            sys.exit(7)
        return hp["lr"] * g, {}


class Scribbles(_Counting):
    name, title = "scribbles", "Writes into its inputs"

    def update(self, g, theta, state, hp):
        state["t"] += 1
        g *= 1000.0  # into the engine's gradient, if it could
        try:
            theta[...] = 99.0  # into the engine's positions, if it could
        except ValueError:
            pass
        return hp["lr"] * g / 1000.0, {}


class ShapeForMany(_Counting):
    name, title = "shape-for-many", "The wrong shape for more than three points"

    def update(self, g, theta, state, hp):
        step = hp["lr"] * g
        return (step[:, :1] if len(g) > 3 else step), {}


def _thorny():
    base = surface_from_formula("thorny", "Thorny", "x^2 + y^2", (-3.0, 3.0), (-3.0, 3.0), (2.5, 2.5))
    f, grad = base.f, base.grad

    def gradient(x, y):
        if np.any(np.asarray(x) < -1.5):
            raise ValueError("no gradient left of x = -1.5")
        return grad(x, y)

    from dataclasses import replace

    return replace(base, grad=gradient, f=f, description="A bowl whose gradient raises left of x = -1.5")


thorny = _thorny()


def _spiky():
    """A bowl whose f writes into its inputs (it cannot harm the engine) and whose gradient has the wrong shape
    right of x = 1."""
    base = surface_from_formula("spiky", "Spiky", "x^2 + y^2", (-3.0, 3.0), (-3.0, 3.0), (-2.5, 0.5))
    f, grad = base.f, base.grad

    def value(x, y):
        out = f(x, y)
        x[...] = 123.0  # into the caller's array, if it were the engine's
        return out

    def gradient(x, y):
        gx, gy = grad(x, y)
        if np.any(np.asarray(x) > 1.0):
            return gx[:1], gy  # one value for many points
        return gx, gy

    from dataclasses import replace

    return replace(base, f=value, grad=gradient, description="A bowl that writes into its inputs")


spiky = _spiky()


class SleepsLater(_Counting):
    name, title = "sleeps-later", "Sleeps in its fifth step (after the load check's three)"

    def update(self, g, theta, state, hp):
        import os
        import time

        state["t"] += 1
        if state["t"] == 5:
            time.sleep(float(os.environ.get("EVIL_PLUGIN_SLEEP", "10")))
        return hp["lr"] * g, {}
