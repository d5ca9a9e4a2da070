"""Runs of optimizers stepped in lockstep over a surface, each over a batch of points.

A :class:`Run` is one optimizer with its hyperparameters moving an ``(N, 2)``
batch of points (N = 1 for a path on screen, N = 65,536 for a basin map). A
:class:`Simulation` steps several runs together and keeps their history.

Per point, a run is *running*, *converged* (gradient and step both vanished; it
stops there), *diverged* (a position, loss or gradient overflowed; it stops at
its last finite position) or *undefined* (it stepped where f or its gradient is
not defined, such as the log of a negative number; it stops at its last
position where f was defined). Leaving the plotted domain is not an end: the
step at which a point first left is recorded and it goes on.
"""

from __future__ import annotations

import itertools
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from adamgui.core.engine_spec import (  # noqa: F401 (the status names, read from here too)
    CONVERGED,
    DIVERGED,
    FAILED,
    GRAD_TOL,
    HUGE,
    RUNNING,
    STATUS_NAMES,
    STATUS_TEXTS,
    STEP_TOL,
    UNDEFINED,
)
from adamgui.core.models import Minibatches, batch_gradient
from adamgui.core.optimizers import State, get_optimizer
from adamgui.core.params import ParamError
from adamgui.core.schedules import Schedule
from adamgui.core.surfaces import Surface

_SERIALS = itertools.count(1)


def next_serial() -> int:
    """A number no run's history has had: views cache what they drew per serial."""
    return next(_SERIALS)


CHECKPOINT_EVERY = 128  # optimizer state is kept every this many steps, to replay any past step
CHUNK = 65_536  # points stepped at once in a large batch: a chunk per core at a time, big enough that numpy's
# work (done without the interpreter lock) outweighs its per-call cost, small enough that two cores' temporaries
# (a dozen 1 MB arrays each) stay in a shared processor cache: Adam's rule alone ran 1.8x faster on two threads
# than on one at this size, 1.5x at twice it
_POOL: ThreadPoolExecutor | None = None
BLOCK_BYTES = 4 * 2**20  # a stack records this much of its positions at a time (Together.step)


def _pool() -> ThreadPoolExecutor:
    """Threads for the chunks of a big batch: numpy lets go of the interpreter while it computes."""
    global _POOL
    if _POOL is None:
        _keep_freed_memory()
        _POOL = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="adamgui-engine")
    return _POOL


def _moves_on(g: np.ndarray, step: np.ndarray, new_theta: np.ndarray, loss: np.ndarray) -> bool:
    """For one point, what Run._advance's array checks decide: everything finite, and not at rest
    (gradient and step both vanished). The same double arithmetic on plain floats, a few microseconds
    cheaper than a dozen numpy calls on one-element arrays; anything else takes the general path."""
    (gx, gy), (nx, ny), f = g[0].tolist(), new_theta[0].tolist(), float(np.reshape(loss, -1)[0])
    if not (math.isfinite(f) and math.isfinite(nx + ny) and math.isfinite(gx + gy)):
        return False
    if gx * gx + gy * gy <= GRAD_TOL**2:
        sx, sy = step[0].tolist()
        return not sx * sx + sy * sy <= STEP_TOL**2
    return True


def _keep_freed_memory() -> None:
    """Ask glibc's malloc to keep the chunks' megabyte temporaries for reuse instead of handing each
    back to the system and faulting it in again on the next step (with two threads that cost a 512x512
    map 2.6 times its time: 7.3 s against 2.7 s for 300 Adam steps). Elsewhere: nothing to do."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # from glibc's malloc.h
    mallopt(m_mmap_threshold, 32 * 2**20)  # arrays up to 32 MB come from the heap, not a fresh mapping each
    mallopt(m_trim_threshold, 64 * 2**20)  # and up to 64 MB freed at its top stay for the next step


@dataclass(frozen=True)
class RunSpec:
    """What to run: an optimizer, its hyperparameters (defaults fill the rest), a label."""

    optimizer: str
    params: Mapping[str, float | bool] = field(default_factory=dict)
    label: str = ""
    schedule: Schedule | None = None  # how the learning rate changes with the step (None: constant)

    def resolved(self) -> dict[str, float | bool]:
        """Every hyperparameter of the optimizer, validated; raises ParamError."""
        return get_optimizer(self.optimizer).resolve(self.params)


def spec_from_text(text: str) -> RunSpec:
    """'adam:lr=0.3,beta1=0.9' -> RunSpec('adam', {'lr': 0.3, 'beta1': 0.9}), each value validated; ParamError
    naming the fault."""
    name, _, rest = text.partition(":")
    optimizer = get_optimizer(name.strip())
    params: dict[str, float | bool] = {}
    for item in [s.strip() for s in rest.split(",")] if rest.strip() else []:
        if not item:
            raise ParamError(f"Empty hyperparameter in {text!r} (write NAME:key=value,key=value)")
        key, eq, value = item.partition("=")
        if not eq:
            raise ParamError(f"Malformed hyperparameter {item!r} in {text!r} (expected key=value)")
        if key.strip() in params:
            raise ParamError(f"{key.strip()!r} is given twice in {text!r}")
        params[key.strip()] = optimizer.param(key.strip()).parse(value)
    return RunSpec(optimizer.name, params)


def unique_labels(specs: Sequence[RunSpec]) -> list[str]:
    """Each spec's label, or its optimizer's name suffixed ``-2``, ``-3``... when repeated."""
    labels: list[str] = []
    for spec in specs:
        labels.append(fresh_label(spec.label or spec.optimizer, labels))
    return labels


def fresh_label(base: str, taken: Sequence[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken yet."""
    label, k = base, 1
    while label in taken:
        k += 1
        label = f"{base}-{k}"
    return label


class PluginFault(Exception):
    """What a plugin's rule did wrong without raising (a step of another shape)."""


class History:
    """Growable per-step record of the positions of N points, and of the gradients used where noisy.

    Losses are not kept: f at a recorded position gives them back exactly. Without noise the
    gradients are not kept either, for the same reason; with noise they are the only record of it.
    """

    def __init__(self, n: int, keep_grads: bool, capacity: int = 256):
        self.length = 0
        self.positions = np.empty((capacity, n, 2))
        self.grads = np.empty((capacity, n, 2)) if keep_grads else None  # grads[t]: gradient used at θ_t

    def append(self, positions: np.ndarray) -> None:
        if self.length == len(self.positions):
            self.positions = grow(self.positions, self.length)
            if self.grads is not None:
                self.grads = grow(self.grads, self.length)
        self.positions[self.length] = positions
        self.length += 1

    def extend(self, positions: np.ndarray, grads: np.ndarray | None = None) -> None:
        """Record k steps at once: ``positions`` (k, N, 2) after each, ``grads`` (k, N, 2) used by each."""
        k = len(positions)
        while self.length + k > len(self.positions):
            self.positions = grow(self.positions, self.length)
            if self.grads is not None:
                self.grads = grow(self.grads, self.length)
        if self.grads is not None:
            self.grads[self.length - 1 : self.length - 1 + k] = grads
        self.positions[self.length : self.length + k] = positions
        self.length += k


class Checkpoints(Mapping):
    """The optimizer state every :data:`CHECKPOINT_EVERY` steps, to replay any past step: a mapping
    from step to a fresh copy of the state then.

    All checkpoints' arrays are kept as rows of one growing array, their scalars (the step count,
    NAdam's μ product) as a tuple a row: a dict of small arrays each cost about 500 bytes a
    checkpoint for a one-point run, more than the positions recorded in between.
    """

    def __init__(self):
        self.steps: dict[int, int] = {}  # step -> row
        self.layout: tuple | None = None  # (key, shape, dtype) of each array, in the state's order
        self.keys: tuple = ()  # every key of the state, in its order
        self.scalars: list[tuple] = []
        self.rows = np.empty((0, 0))

    def add(self, step: int, state: State) -> None:
        if self.layout is None:
            self.keys = tuple(state)
            self.layout = tuple((k, v.shape, v.dtype) for k, v in state.items() if isinstance(v, np.ndarray))
            self.rows = np.empty((4, sum(int(np.prod(shape)) for _, shape, _ in self.layout)))
        row = len(self.scalars)  # (a run's steps only go forward: each is added once)
        if row == len(self.rows):
            self.rows = grow(self.rows, row)
        arrays = [state[k] for k, _, _ in self.layout]
        self.rows[row] = np.concatenate([a.ravel() for a in arrays]) if arrays else ()
        self.scalars.append(tuple(state[k] for k in self.keys if not isinstance(state[k], np.ndarray)))
        self.steps[step] = row

    def __getitem__(self, step: int) -> State:
        row = self.steps[step]
        scalars = iter(self.scalars[row])
        arrays, at = {}, 0
        for key, shape, dtype in self.layout:
            size = int(np.prod(shape))
            arrays[key] = self.rows[row, at : at + size].reshape(shape).astype(dtype)
            at += size
        return {k: arrays[k] if k in arrays else next(scalars) for k in self.keys}

    def __iter__(self):
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)


def grow(a: np.ndarray, used: int) -> np.ndarray:
    """Twice the room; only the used part is copied, so the rest costs no memory until written."""
    bigger = np.empty((2 * len(a),) + a.shape[1:])
    bigger[:used] = a[:used]
    return bigger


class Run:
    """One optimizer moving a batch of points; ``step()`` advances every live point once."""

    def __init__(
        self,
        spec: RunSpec,
        surface: Surface,
        starts: np.ndarray,
        *,
        label: str | None = None,
        key: int = 0,
        record: bool = True,
        noise: float = 0.0,
        seed: int | Sequence[int] = 0,
        batch_size: int = 0,
        batch_seed: int | Sequence[int] = 0,
        batch_ordered: bool = False,
    ):
        self.serial = next(_SERIALS)  # tells runs apart for views that cache per run
        self.key = key  # the run's identity in its scene (its noise stream, its color)
        self.spec = spec
        self.label = label or spec.label or spec.optimizer
        self.optimizer = get_optimizer(spec.optimizer)
        # a third party's rule (not core/optimizers.py): contained when it fails, never compiled, maybe slow
        self.plugin_rule = type(self.optimizer).__module__ != "adamgui.core.optimizers"
        if self.optimizer.needs_hessian and surface.model is None and surface.hess is None:
            from adamgui.core.expression import FormulaError, build_hessian, formula_hessian

            try:  # built here, whoever builds the views' curvature: the run cannot take a step without it
                build_hessian(surface.formula)  # (built once, and kept)
                formula_hessian(surface.formula)  # (refused, if too large)
            except FormulaError as e:
                raise ParamError(str(e)) from None
        self.hp = spec.resolved()
        self.schedule = spec.schedule if spec.schedule is not None and spec.schedule.name != "constant" else None
        self.surface = surface
        self.theta = np.array(starts, dtype=float).reshape(-1, 2)
        n = len(self.theta)
        self.state = self.optimizer.init(n)
        self.t = 0
        self.status = np.zeros(n, dtype=np.int8)
        self.status_step = np.full(n, -1)
        self.left_step = np.full(n, -1)
        self.failure = ""  # how a plugin's rule failed, for a run marked FAILED
        self.noise = float(noise)
        self.rng = np.random.default_rng(seed)
        self.last_terms: dict = {}
        self._rows = None  # the minibatch of the step being taken (None: the full gradient)
        from adamgui.core.plugins import is_plugin_surface

        self._plugin_surface = is_plugin_surface(surface)  # its f and gradient can fail: contained, said
        with np.errstate(all="ignore"):
            loss = self.surface.value(self.theta)
        if self._plugin_surface:
            from adamgui.core.plugins import take_fault

            fault = take_fault(surface)
            if fault is not None:  # it fails at the start already
                self._fail(fault, 0, surface=True)
        bad = ~(np.isfinite(loss) & np.isfinite(self.theta).all(axis=1)) & (self.status == RUNNING)
        self.status[bad] = np.where(np.isnan(loss[bad]), UNDEFINED, DIVERGED)
        self.status_step[bad] = 0
        self._mark_left()
        model = surface.model
        rows = len(model.y) if model is not None else 0
        # a minibatch smaller than the data: each step's gradient from some rows (all rows: the full gradient)
        self.batches = Minibatches(rows, batch_size, batch_seed, batch_ordered) if 0 < batch_size < rows else None
        self.history = History(n, keep_grads=self.noise != 0 or self.batches is not None) if record else None
        self.hp_log: list[tuple[int, dict]] = [(1, dict(self.hp))]  # (first step using it, hp)
        self.checkpoints = Checkpoints()
        if self.history is not None:
            self.history.append(self.theta)
            self.checkpoints.add(0, self.state)
        self.loss = np.array(loss, dtype=float)

    def set_params(self, params: Mapping[str, float | bool]) -> None:
        """New hyperparameters, validated, used from the next step on; the state is kept."""
        self.hp = self.optimizer.resolve({**self.hp, **params})
        self.spec = RunSpec(self.spec.optimizer, dict(self.hp), self.spec.label, self.spec.schedule)
        if self.hp_log[-1][0] == self.t + 1:
            self.hp_log[-1] = (self.t + 1, dict(self.hp))
        else:
            self.hp_log.append((self.t + 1, dict(self.hp)))

    def path(self, i: int = 0, end: int | None = None) -> np.ndarray:
        """Recorded positions of point ``i`` from the start up to step ``end`` (default: its last)."""
        last = self.end_step(i) if end is None else end
        return self.history.positions[: last + 1, i]

    def losses(self, i: int = 0, end: int | None = None) -> np.ndarray:
        """f along :meth:`path`, recomputed exactly from the positions."""
        with np.errstate(all="ignore"):
            return self.surface.value(self.path(i, end))

    def grad_used(self, step: int) -> np.ndarray:
        """The gradients used by step ``step`` (at θ_{step−1}), noise included."""
        h = self.history
        if h.grads is not None:
            return h.grads[step - 1]
        with np.errstate(all="ignore"):
            return self.surface.gradient(h.positions[step - 1])

    def set_point_params(self, name: str, values: np.ndarray) -> None:
        """A different value of hyperparameter ``name`` for each point (a sweep), each one validated.

        The update rules are written with numpy broadcasting, so an (N, 1) column of values works
        wherever a single value does. Switches (bias correction) cannot vary per point.
        """
        p = self.optimizer.param(name)
        if p.is_bool:
            raise ParamError(f"{name} is a switch; it cannot be swept")
        values = np.asarray(values, dtype=float).reshape(-1)
        for v in np.unique(values):
            p.validate(float(v))
        self.hp = {**self.hp, name: values.reshape(-1, 1)}

    def scheduled(self, hp: dict, step: int) -> dict:
        """``hp`` as step ``step`` uses it under the run's schedule: α_t (and a one-cycle's momentum)."""
        if self.schedule is None:
            return hp
        return self.schedule.scheduled(hp, step)

    def hp_used(self, step: int) -> dict:
        """The hyperparameters step ``step`` used, its scheduled learning rate included."""
        return self.scheduled(self.hp_at(step), step)

    def learning_rates(self) -> np.ndarray:
        """α_t of each step t = 1… the path has taken, as used (schedule included; NaN for a rule without α)."""
        return np.array([self.hp_used(t).get("lr", np.nan) for t in range(1, len(self.path()))], dtype=float)

    def hp_at(self, step: int) -> dict:
        """The hyperparameters that step ``step`` used (they can change between steps)."""
        current = self.hp_log[0][1]
        for first, hp in self.hp_log:
            if first > step:
                break
            current = hp
        return current

    def step(self, then: Callable[[slice], None] | None = None) -> None:
        """θ ← θ − step for every running point, then mark what converged, diverged or left.

        A large batch is stepped in chunks of :data:`CHUNK` points, so that numpy's
        temporaries stay in the processor's cache; each point's arithmetic is the same.
        ``then(part)``, if given, is called for each chunk's points once they moved, on the
        chunk's thread (a map's own per-step bookkeeping, done in parallel too).
        """
        self.t += 1
        n = len(self.theta)
        hp = self.scheduled(self.hp, self.t)
        self._rows = self.batches.next() if self.batches is not None else None  # this step's minibatch
        with np.errstate(all="ignore"):
            if n <= CHUNK:
                g, self.last_terms = self._advance(slice(0, n), self.state, hp)
            else:
                g = np.empty_like(self.theta) if self.history is not None else None
                parts = [slice(first, min(first + CHUNK, n)) for first in range(0, n, CHUNK)]
                if self.noise == 0 and len(parts) > 1:  # chunks are independent: every core takes some
                    states = list(_pool().map(lambda part: self._chunk(part, g, hp, then), parts))
                else:  # noise is drawn in order, so the same seed gives the same numbers
                    states = []
                    for part in parts:
                        states.append(self._chunk(part, g, hp, then))
                        time.sleep(0)  # hand the interpreter to other threads (a window) between chunks
                # shared scalars (the step count, NAdam's μ product) advanced alike in every chunk
                self.state.update({k: v for k, v in states[-1].items() if not isinstance(v, np.ndarray)})
                self.last_terms = {}
        if n <= CHUNK:  # (a big batch's chunks each marked their own, on their threads)
            self._mark_left()
            if then is not None:
                then(slice(0, n))
        self._record(g)

    def _record(self, g: np.ndarray | None) -> None:
        """Keep the step just taken: the positions (and the gradient used, where noisy), a checkpoint now and then."""
        if self.history is not None:
            if self.history.grads is not None:
                self.history.grads[self.history.length - 1] = g
            self.history.append(self.theta)
            if self.t % CHECKPOINT_EVERY == 0:
                self.checkpoints.add(self.t, self.state)

    def _chunk(self, part: slice, g: np.ndarray | None, hp: dict, then: Callable[[slice], None] | None) -> State:
        """One step of the points in ``part`` (on any thread): their own views of the state and hyperparameters."""
        chunk_state = {k: v[part] if isinstance(v, np.ndarray) else v for k, v in self.state.items()}
        chunk_hp = {k: v[part] if isinstance(v, np.ndarray) else v for k, v in hp.items()}
        with np.errstate(all="ignore"):  # the error state is per thread
            g_part, _ = self._advance(part, chunk_state, chunk_hp)
            self._mark_left(part)
            if then is not None:
                then(part)
        if g is not None:
            g[part] = g_part
        return chunk_state

    def _advance(self, part: slice, state: State, hp) -> tuple[np.ndarray, dict]:
        """One step of the points in ``part``, in place; returns the gradient used and the rule's terms. A plugin's
        surface that fails (raises, exits) stops this run's points there, said, as a plugin's rule does."""
        if not self._plugin_surface:
            return self._advance_points(part, state, hp)
        from adamgui.core.plugins import take_fault

        before = self.theta[part].copy()
        g, terms = self._advance_points(part, state, hp)
        fault = take_fault(self.surface)
        if fault is not None:  # its f or gradient failed at some point of this step: the run stops where it was
            self.theta[part] = before
            self._fail(fault, self.t, surface=True)
        return g, terms

    def _advance_points(self, part: slice, state: State, hp) -> tuple[np.ndarray, dict]:
        theta = self.theta[part]
        if self._rows is not None:
            gx, gy = batch_gradient(self.surface.model, theta[:, 0], theta[:, 1], self._rows)
            g = np.column_stack([gx, gy])
        else:
            g = self.surface.gradient(theta)
        if self.noise:
            g += self.noise * self.rng.standard_normal(g.shape)
        step, terms = self.apply_rule(g, theta, state, hp)
        new_theta = theta - step
        rest = g  # what must vanish, with the step, for a point to be at rest
        if self.surface.box is not None:  # a projected method: the step lands on the nearest feasible point
            new_theta = self.surface.project(new_theta)
            step = theta - new_theta
            rest = self.surface.feasible_gradient(theta, g)  # at a wall, the push into it is no reason to go on
        loss = self.surface.value(new_theta)
        if len(theta) == 1 and self.status[part][0] == RUNNING and _moves_on(rest, step, new_theta, loss):
            theta[...] = new_theta  # one point going on, the window's usual case: the checks below, in floats
            self.loss[part] = loss
            return g, terms
        live = self.status[part] == RUNNING
        finite = np.isfinite(loss) & np.isfinite(new_theta[:, 0] + new_theta[:, 1]) & np.isfinite(g[:, 0] + g[:, 1])
        stationary = rest[:, 0] * rest[:, 0] + rest[:, 1] * rest[:, 1] <= GRAD_TOL**2
        if stationary.any():
            stationary &= step[:, 0] * step[:, 0] + step[:, 1] * step[:, 1] <= STEP_TOL**2
        moving = live & finite & ~stationary
        if moving.all():
            theta[...] = new_theta
            self.loss[part] = loss
            return g, terms
        stopped = live & ~moving
        if stopped.any():
            idx = np.flatnonzero(stopped)
            at = idx + (part.start or 0)
            nonfinite = ~finite[idx]
            # NaN at a sensible position: a gap in f (undefined); anything else non-finite: overflow
            gap = (np.isnan(loss[idx]) | np.isnan(g[idx]).any(axis=1)) & (np.abs(new_theta[idx]) < HUGE).all(axis=1)
            codes = np.where(nonfinite, np.where(gap, UNDEFINED, DIVERGED), CONVERGED)
            self.status[at] = codes
            self.status_step[at] = np.where(codes == CONVERGED, self.t - 1, self.t)
        theta[moving] = new_theta[moving]
        self.loss[part] = np.where(moving, loss, self.loss[part])
        return g, terms

    def apply_rule(
        self, g: np.ndarray, theta: np.ndarray, state: State, hp, step: int | None = None
    ) -> tuple[np.ndarray, dict]:
        """The optimizer's update at ``theta`` with gradient ``g``: (step, terms). A rule that needs the
        curvature (Newton) is given the surface's exact Hessians there. The inspector replays steps with it.

        A plugin's rule (not one of core/optimizers.py) is given copies of ``g`` and a read-only ``theta``, so
        it cannot change the engine's numbers; if it raises, exits or returns a step of another shape, this
        run's points stop there, marked *failed* with a sentence naming the plugin (``failure``), and a zero
        step is returned: the other runs go on. ``step`` is the step being taken (default: the run's)."""
        opt = self.optimizer
        if not self.plugin_rule:
            if opt.needs_hessian:
                return opt.update(g, theta, state, hp, hessian=self.surface.hessian(theta))
            return opt.update(g, theta, state, hp)
        view = theta.copy()
        view.flags.writeable = False
        try:
            extra = {"hessian": self.surface.hessian(theta)} if opt.needs_hessian else {}
            moved, terms = opt.update(g.copy(), view, state, hp, **extra)
            moved = np.asarray(moved, dtype=float)
            if moved.shape != theta.shape:
                raise PluginFault(f"returned a step of shape {moved.shape} for {theta.shape[0]} point(s)")
            return moved, dict(terms)
        except (Exception, SystemExit) as e:  # noqa: BLE001 (a plugin can fail in any way: contained, said)
            self._fail(e, self.t if step is None else step)
            return np.zeros_like(theta), {}

    def _fail(self, error: BaseException, step: int, surface: bool = False) -> None:
        """Stop this run's running points at ``step``: its plugin's rule (or its plugin surface) failed."""
        from adamgui.core.plugins import PluginError, source_of

        if isinstance(error, PluginFault | PluginError):  # (said in words already)
            what = str(error)
        elif isinstance(error, SystemExit):
            what = f"called sys.exit({error.code!r})"
        else:
            what = f"raised {type(error).__name__}" + (f": {str(error)[:200]}" if str(error) else "")
        name = self.surface.name if surface else self.optimizer.name
        kind = "surface plugin" if surface else "plugin"
        if not self.failure:  # the first fault is the one to say (a stopped rule may be called again)
            self.failure = f"the {kind} '{name}' from {source_of(name)} {what}"
        # the running points, and those this very step stopped (a failed surface's NaN looked undefined)
        stopping = (self.status == RUNNING) | ((self.status_step == step) & (self.status != FAILED))
        self.status_step[stopping] = step
        self.status[stopping] = FAILED

    def _mark_left(self, part: slice = slice(None)) -> None:
        """Record the step at which points (of ``part``) first stood outside the plotted domain."""
        left = self.left_step[part]
        newly = (left < 0) & ~self.surface.contains(self.theta[part]) & (self.status[part] < DIVERGED)
        np.putmask(left, newly, self.t)

    def end_step(self, i: int = 0) -> int:
        """The last step at which point ``i`` had a meaningful (finite, moving) position."""
        if self.status[i] in (DIVERGED, UNDEFINED, FAILED):
            return max(self.status_step[i] - 1, 0)
        if self.status[i] == CONVERGED:
            return self.status_step[i]
        return self.t

    def status_at(self, i: int, at: int | None) -> tuple[int, bool]:
        """(status code, has left the domain) as they were at step ``at`` (default: now)."""
        at = self.t if at is None else at
        code = int(self.status[i])
        if code != RUNNING and self.status_step[i] > at:
            code = RUNNING  # it ended later than the step looked at
        left = 0 <= self.left_step[i] <= at
        return code, left

    def status_text(self, i: int = 0, at: int | None = None) -> str:
        """'running', 'converged at step 41', 'diverged at step 7', 'left the domain at step 9' (with '; back
        inside' when it has come back onto the map by step ``at``), 'stopped at step 5: the plugin ...', as at
        step ``at``."""
        code, left = self.status_at(i, at)
        if code == FAILED:
            return f"{STATUS_TEXTS[code].format(self.status_step[i])}: {self.failure}"
        if code != RUNNING:
            return STATUS_TEXTS[code].format(self.status_step[i])
        if left:
            back = "; back inside" if self.inside_at(i, at) else ""
            return f"left the domain at step {self.left_step[i]}{back}"
        return "running"

    def inside_at(self, i: int = 0, at: int | None = None) -> bool:
        """Whether point ``i`` stood on the plotted domain at step ``at`` (default: now)."""
        at = self.t if at is None else at
        if self.history is not None and 0 <= at < self.history.length:
            point = self.history.positions[at, i]
        else:
            point = self.theta[i]
        return bool(self.surface.contains(np.asarray(point)[None])[0])

    def status_name(self, i: int = 0, at: int | None = None) -> str:
        """'running', 'converged', 'diverged', 'undefined' or 'left' (left the plotted domain, still going)."""
        code, left = self.status_at(i, at)
        if code == RUNNING and left:
            return "left"
        return STATUS_NAMES[code]


class Together:
    """Runs on one surface at one step, stepped as one stack of points.

    Twenty one-point runs stepped one by one cost twenty rounds of numpy's per-call overhead for
    the gradient, the loss and the checks. Stacked, the gradient, the loss and the checks are one
    call each for all of them, and only the update rules are applied run by run: each run's rule
    to its own rows, with its own state. Runs of one optimizer that differ only in their learning
    rate share even that call (α as a per-point column; their state stacked too). Each run's
    positions, status and loss are views into the stack's rows, so nothing is gathered or handed
    back; each run records its step as it would have alone. Every operation is element by element,
    and α enters every rule as a factor, so every number is the same as stepping each run alone
    (tests/core/test_together.py).

    Runs with minibatches step alone (each draws its own rows of the data).
    """

    def __init__(self, runs: list[Run]):
        rules: dict[tuple, list[Run]] = {}
        for run in runs:
            rules.setdefault(self.rule_kind(run), []).append(run)
        self.runs = [run for members in rules.values() for run in members]  # the stack's order: rule by rule
        sizes = np.cumsum([0] + [len(r.theta) for r in self.runs])
        self.rows = {id(r): slice(sizes[i], sizes[i + 1]) for i, r in enumerate(self.runs)}
        self.carrier = _Stack(self)
        self.rules = [_Rule(members, self.rows) for members in rules.values()]
        from adamgui.core import compiled

        self.compilable = all(compiled.supports(run) for run in self.runs)
        self._layout: tuple | None = None  # the kernel's view of the rules (codes, hyperparameters, noisy rows)
        self._dense: tuple | None = None  # (a block's noise, its draws laid out on every row)

    @staticmethod
    def kind(run: Run) -> tuple | None:
        """What runs must share to be stacked (None: this one steps alone)."""
        if run.batches is not None or run.history is None or run._plugin_surface:  # (a plugin surface's faults
            return None  # are each run's to say: such runs step alone)
        from adamgui.core import compiled

        return (id(run.surface), run.t, compiled.supports(run))  # (a stack the kernel steps: even of one run)

    @staticmethod
    def rule_kind(run: Run) -> tuple:
        """What runs must share for one call of their rule: all but α (scheduled runs: their own). Noise is
        added to the stack's gradient before any rule (each run's own draws on its rows)."""
        if run.schedule is not None:
            return (id(run),)
        scalars = tuple((k, v) for k, v in run.state.items() if not isinstance(v, np.ndarray))
        others = tuple((k, v) for k, v in run.hp.items() if k != "lr")
        return (run.spec.optimizer, others, scalars)

    def step(self, n: int = 1) -> None:
        """``n`` steps of every run, in blocks: per step, the stack's few numpy calls and nothing per run
        (or, where :mod:`adamgui.core.compiled` can, one compiled call for all but the last step of a
        stretch, to the same numbers).

        Each run's noise for a block is drawn in one call from its own stream (the same numbers as a
        draw a step), the positions (and noisy gradients) of a block are written to one array and
        handed to each run's history once, and the runs' step counts, terms and shared scalars are
        handed back at the block's end and at each checkpoint.
        """
        c = self.carrier
        c.t = self.runs[0].t
        rows = len(c.theta)
        block = max(1, min(n, BLOCK_BYTES // (16 * rows)))
        keep_grads = any(run.history.grads is not None for run in self.runs)
        while n > 0:
            k = min(n, block)
            c.noise_block = self._noise(k)
            positions = np.empty((k, rows, 2))
            grads = np.empty((k, rows, 2)) if keep_grads else None
            j = 0
            while j < k:
                stretch = min(k - j, CHECKPOINT_EVERY - c.t % CHECKPOINT_EVERY)  # up to the next checkpoint
                if stretch > 1 and self._compiled(stretch - 1, j, positions, grads, n):
                    j += stretch - 1
                c.j = j  # the stretch's last step in numpy: the rules' terms of the last step, for the inspector
                c.step()
                positions[j] = c.theta
                if grads is not None:
                    grads[j] = c.g
                j += 1
                if c.t % CHECKPOINT_EVERY == 0:
                    self._hand_back()
                    for run in self.runs:
                        run.checkpoints.add(c.t, run.state)
            c.noise_block = None
            self._mark_left(positions, c.t - k + 1)
            self._hand_back()
            for run in self.runs:
                part = self.rows[id(run)]
                run.history.extend(positions[:, part], grads[:, part] if run.history.grads is not None else None)
            n -= k

    def _compiled(self, steps: int, j: int, positions: np.ndarray, grads: np.ndarray | None, asked: int) -> bool:
        """``steps`` steps from step ``j`` of the block in one compiled call, if the kernel is ready (or worth
        building for the ``asked`` steps) and knows every run of the stack (else False, and nothing done)."""
        from adamgui.core import compiled

        if not self.compilable:
            return False
        kernel = compiled.kernel(asked)
        if kernel is None:
            return False
        c = self.carrier
        if self._layout is None:
            noisy = np.zeros(len(c.theta), dtype=bool)
            for run in self.runs:
                noisy[self.rows[id(run)]] = bool(run.noise)
            self._layout = (*compiled.layout(self.rules), noisy)
        codes, hp, noisy = self._layout
        noise = np.zeros((1, 1, 2))  # (unread without noise)
        if c.noise_block is not None:
            if len(c.noise_block) == 1 and c.noise_block[0][0] == slice(None):
                noise = c.noise_block[0][1]
            else:  # some runs noisy: their draws in their rows, once a block
                if self._dense is None or self._dense[0] is not c.noise_block:
                    dense = np.zeros((len(positions), len(c.theta), 2))
                    for rows, draws in c.noise_block:
                        dense[:, rows] = draws
                    self._dense = (c.noise_block, dense)
                noise = self._dense[1]
        moments, counts, products = compiled.gather(self.rules, len(c.theta))
        kernel(
            compiled.SURFACES[c.surface.name], codes, hp, moments, counts, products, c.theta, c.status,
            c.status_step, c.loss, c.t, steps, noise[j:] if c.noise_block is not None else noise, noisy,
            positions[j:], grads[j:] if grads is not None else positions[j:], grads is not None,
        )  # fmt: skip
        compiled.scatter(self.rules, moments, counts, products)
        c.t += steps
        return True

    def _mark_left(self, positions: np.ndarray, first: int) -> None:
        """What each step's ``Run._mark_left`` would have marked, for a block at once: the first step at which
        a point stood outside the domain, unless it had diverged or stepped out of f's domain by then."""
        c = self.carrier
        fresh = c.left_step < 0
        if not fresh.any():
            return
        outside = ~c.surface.contains(positions[:, fresh])  # (k, points not marked yet)
        if not outside.any():
            return
        steps = np.arange(first, first + len(positions))[:, None]
        ended = (c.status[fresh] >= DIVERGED) & (steps >= c.status_step[fresh])
        eligible = outside & ~ended
        marked = eligible.any(axis=0)
        rows = np.flatnonzero(fresh)[marked]
        c.left_step[rows] = steps[eligible[:, marked].argmax(axis=0), 0]

    def _hand_back(self) -> None:
        for rule in self.rules:
            rule.hand_back()
        for run in self.runs:
            run.t = self.carrier.t

    def _noise(self, k: int) -> list | None:
        """The noise of the next ``k`` steps, each run's drawn from its own stream: [(rows, (k, n, 2) draws)],
        or one entry for the whole stack when every run is noisy."""
        parts = [
            (self.rows[id(run)], run.noise * run.rng.standard_normal((k, len(run.theta), 2)))
            for run in self.runs
            if run.noise
        ]
        if not parts:
            return None
        if len(parts) == len(self.runs):
            return [(slice(None), np.concatenate([draws for _, draws in parts], axis=1))]
        return parts


class _Rule:
    """Runs of a stack that take their step with one call of their rule: one run, or runs differing only in α."""

    def __init__(self, members: list[Run], rows: dict[int, slice]):
        self.members = members
        first, last = rows[id(members[0])], rows[id(members[-1])]
        self.rows = slice(first.start, last.stop)
        self.run = members[0]
        if len(members) == 1:
            self.state = self.run.state
        else:  # one state for all, each run's arrays views of its rows
            self.parts = [(r, slice(rows[id(r)].start - first.start, rows[id(r)].stop - first.start)) for r in members]
            self.state = {}
            for key, value in self.run.state.items():
                if isinstance(value, np.ndarray):
                    self.state[key] = np.concatenate([r.state[key] for r in members])
                    for r, part in self.parts:
                        r.state[key] = self.state[key][part]
                else:
                    self.state[key] = value
            column = np.concatenate([np.full(len(r.theta), float(r.hp["lr"])) for r in members]).reshape(-1, 1)
            self.hp = {**self.run.hp, "lr": column}
            self.scalars = [key for key, value in self.state.items() if not isinstance(value, np.ndarray)]
        self.terms: dict = {}

    def apply(self, g: np.ndarray, theta: np.ndarray, t: int) -> np.ndarray:
        """This rule's step for its rows of the stack's gradient ``g`` at ``theta``, step ``t``."""
        run, rows = self.run, self.rows
        if len(self.members) == 1:
            step, self.terms = run.apply_rule(g[rows], theta[rows], self.state, run.scheduled(run.hp, t), t)
        else:
            step, self.terms = run.apply_rule(g[rows], theta[rows], self.state, self.hp, t)
        return step

    def hand_back(self) -> None:
        """Each member's rule terms, and the shared scalars of the state (the step count, NAdam's μ product)."""
        if len(self.members) == 1:
            self.run.last_terms = self.terms
            return
        n = self.rows.stop - self.rows.start
        for run, part in self.parts:
            run.last_terms = _RowsOf(self.terms, part, n)
            for key in self.scalars:
                run.state[key] = self.state[key]


class _RowsOf(Mapping):
    """One run's rows of the terms of a rule applied to several runs at once, cut when asked for (the
    inspector asks for one run's terms, now and then; cutting every run's every step would cost more)."""

    __slots__ = ("terms", "part", "n")

    def __init__(self, terms: dict, part: slice, n: int):
        self.terms, self.part, self.n = terms, part, n

    def __getitem__(self, key: str):
        value = self.terms[key]
        return value[self.part] if isinstance(value, np.ndarray) and value.ndim and len(value) == self.n else value

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)


class _Stack(Run):
    """The stacked points of a :class:`Together`: its positions, status and loss, each run's rows its own
    arrays' (views); stepped as one run whose update applies each run's rule to its rows."""

    def __init__(self, together: Together):
        runs = together.runs
        super().__init__(runs[0].spec, runs[0].surface, np.concatenate([r.theta for r in runs]), record=False)
        self.together = together
        self.g = np.empty_like(self.theta)
        self.noise_block: list | None = None  # the noise of the block being stepped (Together._noise)
        self.j = 0  # the step within it
        for name in ("status", "status_step", "left_step", "loss"):
            np.concatenate([getattr(r, name) for r in runs], out=getattr(self, name))
        for run in runs:
            rows = together.rows[id(run)]
            run.theta, run.status, run.status_step = self.theta[rows], self.status[rows], self.status_step[rows]
            run.left_step, run.loss = self.left_step[rows], self.loss[rows]

    def _mark_left(self, part: slice = slice(None)) -> None:
        """Nothing a step: :meth:`Together._mark_left` marks a whole block from its positions."""

    def apply_rule(self, g: np.ndarray, theta: np.ndarray, state, hp, step: int | None = None) -> tuple:
        if self.noise_block is not None:  # each run's own draw for this step, as it would be added alone
            for rows, draws in self.noise_block:
                g[rows] += draws[self.j]
        step = np.empty_like(theta)
        for rule in self.together.rules:
            step[rule.rows] = rule.apply(g, theta, self.t)
        self.g = g
        return step, {}


class Simulation:
    """Several runs from one start on one surface, stepped together; the run set is edited here.

    Each run has a stable ``key``: its noise is drawn from the stream ``[seed, key]``, so adding,
    removing or reordering other runs never changes the gradients a run sees. Without keys given,
    runs are keyed 0, 1, 2... in order (what sessions written before keys existed meant).
    """

    def __init__(
        self,
        surface: Surface,
        start: Sequence[float] | np.ndarray,
        specs: Sequence[RunSpec],
        *,
        keys: Sequence[int] | None = None,
        noise: float = 0.0,
        seed: int = 0,
        record: bool = True,
        batch_size: int = 0,
        batch_seed: int = 0,
        batch_ordered: bool = False,
    ):
        self.surface = surface
        self.batch_size, self.batch_seed, self.batch_ordered = batch_size, batch_seed, batch_ordered
        self.start = np.array(start, dtype=float)
        self.noise = noise
        self.seed = seed
        self.record = record
        self.t = 0
        keys = range(len(specs)) if keys is None else keys
        self.runs = [self._new_run(spec, key) for spec, key in zip(specs, keys, strict=True)]
        self._grouped: tuple[list, list] | None = None  # (each run's serial and hp, the groups made of them)
        self._relabel()

    def _new_run(self, spec: RunSpec, key: int) -> Run:
        return Run(
            spec,
            self.surface,
            self.start,
            key=key,
            record=self.record,
            noise=self.noise,
            seed=[self.seed, key],
            batch_size=self.batch_size,
            batch_seed=[self.batch_seed, key],  # each run its own batches, the same after Reset or a reopen
            batch_ordered=self.batch_ordered,
        )

    def _relabel(self) -> None:
        for run, label in zip(self.runs, unique_labels([r.spec for r in self.runs]), strict=True):
            run.label = label

    def add_run(self, spec: RunSpec, key: int) -> Run:
        """A new run of ``spec``, caught up to the current step (its own noise stream, ``key``)."""
        if any(run.key == key for run in self.runs):
            raise ParamError(f"A run with key {key} exists already")
        run = self._new_run(spec, key)
        for _ in range(self.t):
            run.step()
        self.runs.append(run)
        self._relabel()
        return run

    def labels(self) -> list[str]:
        return [run.label for run in self.runs]

    def solo(self, index: int) -> Run:
        """A new run like run ``index`` at step 0, alone: same optimizer, hyperparameters, key and noise."""
        run = self.runs[index]
        alone = self._new_run(run.spec, run.key)
        alone.label = run.label
        return alone

    def remove_run(self, index: int) -> None:
        del self.runs[index]
        self._relabel()

    def set_params(self, index: int, params: Mapping[str, float | bool]) -> None:
        """New hyperparameters for one run from its next step on; ParamError leaves it as it was."""
        self.runs[index].set_params(params)

    def advance(self, target: int, keep_going: Callable[[int, int], bool] | None = None, every: float = 0.1) -> bool:
        """Step until step ``target``, asking ``keep_going(t, target)`` at least every ``every`` seconds
        (by the clock, however slow a step is); False, at whatever step it had reached, if it said stop."""
        from adamgui.core import compiled

        if target - self.t >= compiled.COMPILE_FOR:
            compiled.warm_up()  # a long way: the compiled engine loads on a thread and takes over when ready
        last = time.monotonic()
        while self.t < target:
            self.step(min(target - self.t, 64))
            if keep_going is not None and time.monotonic() - last >= every:
                last = time.monotonic()
                if not keep_going(self.t, target):
                    return False
        return True

    def step(self, n: int = 1) -> None:
        """Advance every run ``n`` steps in lockstep. Runs that can share a stack (see :class:`Together`)
        are stepped as one; the others one by one. Either way each run's numbers are the same."""
        for group in self._groups():
            if isinstance(group, Together):
                group.step(n)
            else:
                for _ in range(n):
                    group.step()
        self.t += n

    def _groups(self) -> list:
        """The runs as they are stepped: a :class:`Together` of two or more, or a single run (minibatches)."""
        # Regrouped when runs are added or removed or given new values (a run's hp dict is replaced, never
        # changed). The dicts themselves are kept and compared by identity: an id alone could be reused by
        # a later dict once the old one is freed, and the batch would go on with an old α.
        key = [(run.serial, run.hp) for run in self.runs]
        cached = self._grouped
        if (
            cached is None
            or len(cached[0]) != len(key)
            or any(
                serial != was_serial or hp is not was_hp
                for (serial, hp), (was_serial, was_hp) in zip(key, cached[0], strict=True)
            )
        ):
            together: dict[tuple, list[Run]] = {}
            for run in self.runs:
                together.setdefault(Together.kind(run), []).append(run)
            groups = []
            for kind, runs in together.items():
                if kind is not None and sum(len(r.theta) for r in runs) <= CHUNK and (len(runs) > 1 or kind[-1]):
                    groups.append(Together(runs))
                else:
                    groups.extend(runs)
            self._grouped = (key, groups)
        return self._grouped[1]
