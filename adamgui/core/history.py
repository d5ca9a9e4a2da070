"""A run's record: the positions of its points at every step (and the gradients used, where noisy), and
checkpoints of its optimizer state to replay any past step."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from adamgui.core.optimizers import State

CHECKPOINT_EVERY = 128  # optimizer state is kept every this many steps, to replay any past step


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
