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

import numpy as np

from adamgui.core.engine_spec import (
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
from adamgui.core.history import CHECKPOINT_EVERY, Checkpoints, History
from adamgui.core.models import Minibatches, batch_gradient
from adamgui.core.optimizers import State, get_optimizer
from adamgui.core.params import ParamError
from adamgui.core.run_spec import RunSpec
from adamgui.core.surfaces import Surface

_SERIALS = itertools.count(1)


def next_serial() -> int:
    """A number no run's history has had: views cache what they drew per serial."""
    return next(_SERIALS)


CHUNK = 65_536  # points stepped at once in a large batch: a chunk per core at a time, big enough that numpy's
# work (done without the interpreter lock) outweighs its per-call cost, small enough that two cores' temporaries
# (a dozen 1 MB arrays each) stay in a shared processor cache: Adam's rule alone ran 1.8x faster on two threads
# than on one at this size, 1.5x at twice it
_POOL: ThreadPoolExecutor | None = None


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


class PluginFault(Exception):
    """What a plugin's rule did wrong without raising (a step of another shape)."""


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
