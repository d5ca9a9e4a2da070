"""Several runs from one start on one surface, stepped together; the run set is edited here.

The parts: :mod:`run_spec` (what to run), :mod:`run` (one optimizer moving a batch of points),
:mod:`history` (what a run keeps), :mod:`run_stack` (runs stepped as one stack).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from adamgui.core import run as run_module
from adamgui.core.params import ParamError
from adamgui.core.run import Run
from adamgui.core.run_spec import RunSpec, spec_from_text, unique_labels  # noqa: F401 (read from here too)
from adamgui.core.run_stack import RunStack
from adamgui.core.surfaces import Surface


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
        """Advance every run ``n`` steps in lockstep. Runs that can share a stack (see :class:`RunStack`)
        are stepped as one; the others one by one. Either way each run's numbers are the same."""
        for group in self._groups():
            if isinstance(group, RunStack):
                group.step(n)
            else:
                for _ in range(n):
                    group.step()
        self.t += n

    def _groups(self) -> list:
        """The runs as they are stepped: a :class:`RunStack` of two or more, or a single run (minibatches)."""
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
                together.setdefault(RunStack.kind(run), []).append(run)
            groups = []
            for kind, runs in together.items():
                if (
                    kind is not None
                    and sum(len(r.theta) for r in runs) <= run_module.CHUNK
                    and (len(runs) > 1 or kind[-1])
                ):
                    groups.append(RunStack(runs))
                else:
                    groups.extend(runs)
            self._grouped = (key, groups)
        return self._grouped[1]
