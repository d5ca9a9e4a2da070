"""Optimizers and surfaces from other packages, through entry points, checked before they are let in.

A package adds to AdamGUI by declaring entry points in its ``pyproject.toml``:

    [project.entry-points."adamgui.optimizers"]
    heavy-ball = "my_package:HeavyBall"          # an Optimizer subclass (or instance)

    [project.entry-points."adamgui.surfaces"]
    ring = "my_package:ring"                      # a Surface (or a function returning one)

They use the interface the built-ins use (docs/plugins.md): an :class:`~adamgui.core.optimizers.Optimizer`
with a name, hyperparameters and a vectorized ``update``; a :class:`~adamgui.core.surfaces.Surface`,
most simply made by :func:`~adamgui.core.surfaces.surface_from_formula`. Each is tried before it is
added (its update rule stepped on a few points, its surface evaluated at its start); one that fails
to import, fails a check or takes a name already used is skipped, and said once, in a sentence that
names the package and what is wrong. Nothing a plugin does stops the app.
"""

from __future__ import annotations

import re
from importlib import metadata

import numpy as np

from adamgui.core.optimizers import OPTIMIZERS, Optimizer
from adamgui.core.params import HyperParam, ParamError
from adamgui.core.surfaces import SURFACES, Surface, check_range

OPTIMIZER_GROUP = "adamgui.optimizers"
SURFACE_GROUP = "adamgui.surfaces"
NAME = re.compile(r"[a-z][a-z0-9-]{0,39}")  # as the built-ins are named, and as a command line takes them

_loaded = False
_SOURCES: dict[str, str] = {}  # an optimizer's or surface's name -> the package it came from


class _Guard:
    """A plugin surface's f or gradient, safe to call from anywhere (a view's grid, a map's thread, the engine): where
    it raises or exits, the answer is NaN, and the fault is kept for the engine to say (``take_fault``)."""

    def __init__(self, fn, pair: bool):
        self.fn, self.pair, self.fault = fn, pair, None

    def __call__(self, x, y):
        shape = np.broadcast(np.asarray(x), np.asarray(y)).shape
        try:  # copies in (it cannot write into the engine's positions), checked out
            out = self.fn(np.array(x, dtype=float), np.array(y, dtype=float))
            parts = [np.asarray(part, float) for part in (out if self.pair else (out,))]
            if len(parts) != (2 if self.pair else 1) or any(np.shape(p) not in ((), shape) for p in parts):
                raise PluginError(f"returned values of another shape than the {shape} points it was given")
            full = [np.broadcast_to(p, shape) for p in parts]  # (one number: the same at every point)
            return (full[0], full[1]) if self.pair else full[0]
        except (Exception, SystemExit) as e:  # a plugin can fail in any way: contained, kept to be said
            self.fault = e
            nan = np.full(shape, np.nan)
            return (nan, nan.copy()) if self.pair else nan


def guarded(surface):
    """``surface`` with its f and gradient behind guards (core/simulation.py says a fault as the run's failure)."""
    from dataclasses import replace

    return replace(surface, f=_Guard(surface.f, False), grad=_Guard(surface.grad, True))


def take_fault(surface) -> BaseException | None:
    """The fault a plugin surface's f or gradient hit since last asked (None: none, or not a plugin's)."""
    for fn in (surface.f, surface.grad):
        if isinstance(fn, _Guard) and fn.fault is not None:
            fault, fn.fault = fn.fault, None
            return fault
    return None


def is_plugin_surface(surface) -> bool:
    """Whether ``surface`` is the one a plugin added (its f and gradient are a third party's code)."""

    return isinstance(surface.f, _Guard)


def source_of(name: str) -> str:
    """The package a plugin's optimizer or surface came from, as a sentence says it."""
    return _SOURCES.get(name, "a package not known here")


class PluginError(Exception):
    """Why a plugin was not let in."""


def load_plugins(entry_points=None) -> list[str]:
    """Add every installed plugin's optimizers and surfaces; return one sentence per plugin skipped.

    Runs once per process: later calls add nothing and return nothing (a problem is said once).
    ``entry_points`` (for tests) replaces the installed ones: (group, entry point) pairs.
    """
    global _loaded
    if _loaded and entry_points is None:
        return []
    _loaded = True
    if entry_points is None:
        entry_points = _installed()
    problems = []
    for group, ep in entry_points:
        where = f"{ep.name} = {ep.value}"
        package = getattr(getattr(ep, "dist", None), "name", None) or ep.value.split(":")[0]
        try:
            checked = _load_and_check(group, ep)
            if group == OPTIMIZER_GROUP:
                OPTIMIZERS[checked.name] = checked
                _SOURCES[checked.name] = package
            else:
                SURFACES[checked.name] = guarded(checked)
                _SOURCES[checked.name] = package
        except PluginError as e:
            kind = "optimizer" if group == OPTIMIZER_GROUP else "surface"
            problems.append(f"The {kind} plugin {where!r} from {package} was skipped: {e}.")
    return problems


CHECK_SECONDS = 2.0  # a plugin's three-step trial, at most (a built-in's takes microseconds)


def _load_and_check(group: str, ep):
    """Import the entry point (as long as its imports take), then try it (check_optimizer / check_surface) on a
    thread of its own for at most :data:`CHECK_SECONDS`: a plugin whose steps hang or sleep cannot hold up the app's
    start; one that exits is caught."""
    import threading

    try:
        obj = ep.load()
    except Exception as e:  # a plugin's import can fail in any way: it is said, not raised
        raise PluginError(f"it could not be imported ({type(e).__name__}: {e})") from None
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["value"] = check_optimizer(obj) if group == OPTIMIZER_GROUP else check_surface(obj)
        except PluginError as e:
            outcome["error"] = e
        except BaseException as e:  # SystemExit and the like: said, and the app goes on
            outcome["error"] = PluginError(f"trying it raised {type(e).__name__}: {e}")

    thread = threading.Thread(target=work, name="adamgui-plugin-check", daemon=True)
    thread.start()
    thread.join(CHECK_SECONDS)
    if thread.is_alive():
        raise PluginError(f"trying it for three steps took more than {CHECK_SECONDS:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _installed() -> list:
    """(group, entry point) of both groups, from one scan of the installed packages (at every start)."""
    try:
        found = metadata.entry_points()
        return [(group, ep) for group in (OPTIMIZER_GROUP, SURFACE_GROUP) for ep in found.select(group=group)]
    except Exception:  # a broken distribution's metadata must not stop the app either
        return []


def check_optimizer(obj) -> Optimizer:
    """The optimizer ``obj`` stands for, tried on three points for three steps; PluginError says what fails."""
    try:
        opt = obj() if isinstance(obj, type) else obj
    except Exception as e:
        raise PluginError(f"making it raised {type(e).__name__}: {e}") from None
    if not isinstance(opt, Optimizer):
        raise PluginError("it is not an Optimizer (subclass adamgui.core.optimizers.Optimizer)")
    _check_name(opt.name, OPTIMIZERS, "optimizer")
    if not all(isinstance(p, HyperParam) for p in opt.params):
        raise PluginError("its params must all be HyperParam")
    names = [p.name for p in opt.params]
    if len(set(names)) < len(names):
        raise PluginError("two of its hyperparameters share a name")
    if not all(isinstance(line, str) for line in opt.latex):
        raise PluginError("its latex must be a tuple of strings")
    try:
        hp = opt.resolve()
        theta = np.array([[1.0, -2.0], [0.5, 0.25], [-3.0, 4.0]])
        state = opt.init(3)
        for _ in range(3):
            g = 2 * theta  # a bowl's gradient
            if opt.needs_hessian:
                step, terms = opt.update(g, theta, state, hp, hessian=np.broadcast_to(2 * np.eye(2), (3, 2, 2)))
            else:
                step, terms = opt.update(g, theta, state, hp)
            step = np.asarray(step, dtype=float)
            if step.shape != (3, 2) or not np.isfinite(step).all():
                raise PluginError(f"its update gave a step of shape {step.shape}, not finite (N, 2) values")
            missing = [key for key, _, _ in opt.explain if key not in terms]
            if missing:
                raise PluginError(f"its explain rows name terms its update does not give: {', '.join(missing)}")
            theta = theta - step
    except PluginError:
        raise
    except Exception as e:
        raise PluginError(f"its update rule failed on a bowl ({type(e).__name__}: {e})") from None
    return opt


def check_surface(obj) -> Surface:
    """The surface ``obj`` stands for, evaluated at its start; PluginError says what fails."""
    try:
        surface = obj() if callable(obj) and not isinstance(obj, Surface) else obj
    except Exception as e:
        raise PluginError(f"making it raised {type(e).__name__}: {e}") from None
    if not isinstance(surface, Surface):
        raise PluginError("it is not a Surface (see adamgui.core.surfaces.surface_from_formula)")
    _check_name(surface.name, SURFACES, "surface")
    try:
        check_range("x", tuple(surface.x_range))
        check_range("y", tuple(surface.y_range))
        start = np.array([surface.start], dtype=float)
        if not surface.contains(start).all():
            raise PluginError(f"its start {surface.start} is outside its domain")
        with np.errstate(all="ignore"):
            value, grad, hessian = surface.value(start), surface.gradient(start), surface.hessian(start)
        for what, got, shape in (("f", value, (1,)), ("gradient", grad, (1, 2)), ("Hessian", hessian, (1, 2, 2))):
            got = np.asarray(got, dtype=float)
            if got.shape != shape or not np.isfinite(got).all():
                raise PluginError(f"its {what} at the start is not {shape} finite values")
    except PluginError:
        raise
    except ParamError as e:
        raise PluginError(str(e)) from None
    except Exception as e:
        raise PluginError(f"it failed at its start ({type(e).__name__}: {e})") from None
    return surface


def _check_name(name, taken, kind: str) -> None:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise PluginError(f"its name {name!r} is not a lowercase name (a letter, then letters, digits or '-')")
    if name in taken or name == "formula":
        article = "an" if kind[0] in "aeiou" else "a"
        raise PluginError(f"its name {name!r} is taken by {article} {kind} already there")
