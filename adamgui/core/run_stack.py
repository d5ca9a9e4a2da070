"""Runs on one surface at one step, stepped as one stack of points (see :class:`RunStack`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from adamgui.core.engine_spec import (
    DIVERGED,
)
from adamgui.core.history import CHECKPOINT_EVERY
from adamgui.core.run import Run

BLOCK_BYTES = 4 * 2**20  # a stack records this much of its positions at a time (RunStack.step)


class RunStack:
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
    """The stacked points of a :class:`RunStack`: its positions, status and loss, each run's rows its own
    arrays' (views); stepped as one run whose update applies each run's rule to its rows."""

    def __init__(self, together: RunStack):
        runs = together.runs
        super().__init__(runs[0].spec, runs[0].surface, np.concatenate([r.theta for r in runs]), record=False)
        self.together = together
        self.g = np.empty_like(self.theta)
        self.noise_block: list | None = None  # the noise of the block being stepped (RunStack._noise)
        self.j = 0  # the step within it
        for name in ("status", "status_step", "left_step", "loss"):
            np.concatenate([getattr(r, name) for r in runs], out=getattr(self, name))
        for run in runs:
            rows = together.rows[id(run)]
            run.theta, run.status, run.status_step = self.theta[rows], self.status[rows], self.status_step[rows]
            run.left_step, run.loss = self.left_step[rows], self.loss[rows]

    def _mark_left(self, part: slice = slice(None)) -> None:
        """Nothing a step: :meth:`RunStack._mark_left` marks a whole block from its positions."""

    def apply_rule(self, g: np.ndarray, theta: np.ndarray, state, hp, step: int | None = None) -> tuple:
        if self.noise_block is not None:  # each run's own draw for this step, as it would be added alone
            for rows, draws in self.noise_block:
                g[rows] += draws[self.j]
        step = np.empty_like(theta)
        for rule in self.together.rules:
            step[rule.rows] = rule.apply(g, theta, self.t)
        self.g = g
        return step, {}
