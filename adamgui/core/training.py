"""Training a small network (core/mlp.py) with the app's optimizers: several runs, one first set of weights.

A run here is what a run is on a surface, in d coordinates instead of two: an optimizer with its
hyperparameters and optional learning-rate schedule, stepping θ (d,) against the gradient of the
training loss, on the whole training set or on minibatches of its own (seeded, as torch's shuffled
DataLoader). Every rule is applied exactly as on a surface: the optimizers work element by element on
any number of coordinates (Newton, which needs a 2 x 2 Hessian, is refused with a sentence).

A run stops when its weights or its loss stop being finite ("diverged at step k"); the others go on.
Each run's whole path of parameter vectors is kept, so any plane through parameter space
(core/slices.py) can show it afterwards.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from adamgui.core.datasets import (
    FILE,
    GENERATORS,
    MAX_NOISE,
    MAX_SIZE,
    MIN_SIZE,
    NAMES,
    DataChoice,
    load_data,
    split,
)
from adamgui.core.engine_spec import DIVERGED, RUNNING, STATUS_TEXTS
from adamgui.core.history import grow
from adamgui.core.mlp import ACTIVATIONS, MAX_LAYERS, MAX_UNITS, MLP
from adamgui.core.models import Dataset, Minibatches
from adamgui.core.optimizers import get_optimizer
from adamgui.core.params import ParamError, unknown_name
from adamgui.core.simulation import RunSpec, unique_labels

MAX_STEPS = 100_000
MEMORY_BUDGET = 2_000_000_000  # bytes: a training keeps every run's every weight at every step, within this


@dataclass(frozen=True)
class Task:
    """What is trained: a network, its training and test data, the seed of its first weights, the batch size
    (0: the whole training set every step)."""

    model: MLP
    train: Dataset
    test: Dataset
    init_seed: int = 0
    batch_size: int = 0

    @property
    def theta0(self) -> np.ndarray:
        return self.model.init(self.init_seed)


def _options(text: str, what: str) -> tuple[str, dict[str, list[str]]]:
    """'name:key=a,b,key2=c' -> ('name', {'key': ['a', 'b'], 'key2': ['c']}): a bare item adds to the key before."""
    name, _, rest = text.partition(":")
    options: dict[str, list[str]] = {}
    key = None
    for item in (part.strip() for part in rest.split(",")) if rest.strip() else ():
        if "=" in item:
            key, _, value = item.partition("=")
            key = key.strip()
            if key in options:
                raise ParamError(f"{key!r} is given twice in the {what} {text!r}")
            options[key] = [value.strip()]
        elif key is not None and item:
            options[key].append(item)
        else:
            raise ParamError(f"Malformed {what} {text!r} (write NAME:key=value,key=value)")
    return name.strip(), options


def _one(options: dict, key: str, text: str, what: str) -> str:
    values = options.pop(key)
    if len(values) != 1:
        raise ParamError(f"{key!r} takes one value in the {what} {text!r}, not {len(values)}")
    return values[0]


def _int(value: str, key: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ParamError(f"Invalid {key}: {value!r} (a whole number from {low} to {high:,})") from None
    if not low <= number <= high:
        raise ParamError(f"Invalid {key}: {number} (allowed: {low} to {high:,})")
    return number


def parse_model(text: str) -> MLP:
    """'mlp:hidden=16,16,activation=relu' (task and inputs come from the data) -> MLP, or ParamError naming
    the fault. Hidden defaults to one layer of 8 units, the activation to tanh."""
    name, options = _options(text, "model")
    if name != "mlp":
        raise ParamError(unknown_name("model", name, ("mlp",)))
    hidden = (8,)
    if "hidden" in options:
        hidden = tuple(_int(v, "hidden layer size", 1, MAX_UNITS) for v in options.pop("hidden"))
        if not 1 <= len(hidden) <= MAX_LAYERS:
            raise ParamError(f"Invalid hidden layers: {len(hidden)} (allowed: 1 to {MAX_LAYERS})")
    activation = _one(options, "activation", text, "model") if "activation" in options else "tanh"
    if activation not in ACTIVATIONS:
        raise ParamError(unknown_name("activation", activation, ACTIVATIONS))
    if options:
        raise ParamError(f"Unknown model option {next(iter(options))!r} in {text!r} (allowed: hidden, activation)")
    return MLP(hidden, activation)


def parse_dataset(text: str) -> DataChoice:
    """'spirals:size=300,noise=0.2,seed=1', 'iris', 'diabetes:seed=2' or 'file:PATH.csv' -> DataChoice, or
    ParamError naming the fault (a file is read only when the task is made)."""
    if text.startswith(FILE + ":"):
        path = text[len(FILE) + 1 :].strip()
        if not path or "\0" in path or len(path) > 4096:
            raise ParamError(f"Invalid data file name {path[:80]!r} (write file:PATH.csv)")
        return DataChoice(FILE, path=path)
    name, options = _options(text, "dataset")
    if name not in NAMES or name == FILE:
        raise ParamError(unknown_name("dataset", name, NAMES))
    made = name in GENERATORS
    allowed = "size, noise, seed" if made else "seed"
    for option in options:
        if option not in allowed.split(", "):
            raise ParamError(f"Unknown dataset option {option!r} in {text!r} (allowed: {allowed})")
    size = _int(_one(options, "size", text, "dataset"), "size", MIN_SIZE, MAX_SIZE) if "size" in options else 200
    noise = 0.1
    if "noise" in options:
        value = _one(options, "noise", text, "dataset")
        try:
            noise = float(value)
        except ValueError:
            raise ParamError(f"Invalid noise: {value!r} (a number from 0 to {MAX_NOISE:g})") from None
        if not (math.isfinite(noise) and 0 <= noise <= MAX_NOISE):
            raise ParamError(f"Invalid noise: {value} (allowed: 0 to {MAX_NOISE:g})")
    seed = _int(_one(options, "seed", text, "dataset"), "seed", 0, 2**31 - 1) if "seed" in options else 0
    return DataChoice(name, size, noise, seed)


def make_task(model: MLP, dataset: str, init_seed: int = 0, batch_size: int = 0) -> Task:
    """The task of training ``model`` on ``dataset`` (parse_dataset's text), split three to one into train and test.
    The data decide the network's inputs and its task (classification or regression)."""
    choice = parse_dataset(dataset)
    data, kind = load_data(choice)
    model = replace(model, task=kind, inputs=data.X.shape[1])
    train, test = split(data, 0.25, choice.seed)
    if batch_size and not 1 <= batch_size <= len(train.y):
        raise ParamError(f"Invalid batch size: {batch_size} (allowed: 1 to {len(train.y)}, the training rows)")
    return Task(model, train, test, init_seed, batch_size)


CENTERS = ("start", "best")  # what a plane through the weights is centred on (Training.center)


class Training:
    """Runs of ``specs`` training copies of ``task``'s network from the same first weights."""

    def __init__(self, task: Task, specs: Sequence[RunSpec], seed: int = 0):
        if not specs:
            raise ParamError("Give at least one optimizer to train with")
        self.task = task
        self.specs = list(specs)
        self.labels = unique_labels(self.specs)
        d = task.model.size
        self.optimizers = [get_optimizer(spec.optimizer) for spec in self.specs]
        for opt in self.optimizers:
            if opt.needs_hessian:
                raise ParamError(
                    f"{opt.name} needs the exact Hessian of a two-parameter surface; a network's "
                    f"{d} parameters have none here (choose another optimizer)"
                )
        self.hps = [spec.resolved() for spec in self.specs]
        try:
            self.states = [opt.init(1, d) for opt in self.optimizers]
        except TypeError:
            raise ParamError("A plugin optimizer here knows only two parameters (its init takes no d)") from None
        self.t = 0
        self.theta = np.tile(task.theta0, (len(self.specs), 1))
        self.status = np.full(len(self.specs), RUNNING)
        self.status_step = np.zeros(len(self.specs), dtype=np.int64)
        self.positions = np.empty((64, len(self.specs), d))
        self.positions[0] = self.theta
        self._losses: dict[tuple, np.ndarray] = {}  # (run, "train"/"test", "loss"/"accuracy") -> it at each step so far
        self.batches = (
            [Minibatches(len(task.train.y), task.batch_size, [seed, k, 53]) for k in range(len(self.specs))]
            if task.batch_size
            else None
        )

    @property
    def d(self) -> int:
        return self.task.model.size

    @property
    def max_steps(self) -> int:
        """The steps this training can keep: MAX_STEPS, or fewer where its runs' weights at every step would
        pass MEMORY_BUDGET (eight runs of the largest network: 13,944; three of 2-16-16-1: all 100,000)."""
        return int(min(MAX_STEPS, MEMORY_BUDGET // (8 * len(self.specs) * self.d)))

    def step(self, n: int = 1) -> None:
        """``n`` steps of every running run (no further than ``max_steps``): the training loss's gradient at θ (one
        call for all runs on the whole set; a call a run on minibatches), each run's rule, θ ← θ − step."""
        model, data = self.task.model, self.task.train
        for _ in range(min(n, self.max_steps - self.t)):
            self.t += 1
            if self.batches is None:
                with np.errstate(all="ignore"):
                    _, grads = model.loss_and_gradient(self.theta, data.X, data.y)
            else:
                grads = np.empty_like(self.theta)
                for k, batches in enumerate(self.batches):
                    rows = batches.next()
                    with np.errstate(all="ignore"):
                        grads[k] = model.loss_and_gradient(self.theta[k : k + 1], data.X[rows], data.y[rows])[1][0]
            for k, opt in enumerate(self.optimizers):
                if self.status[k] != RUNNING:
                    continue
                spec = self.specs[k]
                hp = self.hps[k] if spec.schedule is None else spec.schedule.scheduled(self.hps[k], self.t)
                with np.errstate(all="ignore"):
                    step, _ = opt.update(grads[k : k + 1].copy(), self.theta[k : k + 1].copy(), self.states[k], hp)
                    new = self.theta[k] - np.asarray(step, dtype=float).reshape(-1)
                if not (np.isfinite(new).all() and np.isfinite(grads[k]).all()):
                    self.status[k], self.status_step[k] = DIVERGED, self.t
                    continue
                self.theta[k] = new
            self._record()

    def _record(self) -> None:
        if self.t == len(self.positions):
            self.positions = grow(self.positions, self.t)
        self.positions[self.t] = self.theta

    def path(self, k: int) -> np.ndarray:
        """Run ``k``'s parameter vectors at steps 0..t, (t + 1, d) (a diverged run's last finite one repeats)."""
        return self.positions[: self.t + 1, k]

    def losses(self, k: int, data: Dataset | None = None) -> np.ndarray:
        """Run ``k``'s mean loss on ``data`` (default: the training set) at every step, (t + 1,).

        A recorded step's parameters never change, so each step's loss is computed once and kept: a window
        asking every frame pays for the new steps only, not for the whole history again."""
        return self._per_step(k, data, "loss")

    def accuracies(self, k: int, data: Dataset | None = None) -> np.ndarray:
        """Run ``k``'s share of ``data``'s rows classified right at every step, (t + 1,), kept as the losses are
        (classification only: a regression has no share right, and gets NaN)."""
        if self.task.model.task != "classification":
            return np.full(self.t + 1, np.nan)
        return self._per_step(k, data, "accuracy")

    def _per_step(self, k: int, data: Dataset | None, measure: str) -> np.ndarray:
        data = data or self.task.train
        path = self.path(k)
        # the task's own sets are kept; other data is computed each time
        named = "train" if data is self.task.train else "test" if data is self.task.test else None
        key = (k, named, measure)
        kept = self._losses.get(key, np.empty(0)) if named else np.empty(0)
        if len(kept) < len(path):
            out = np.empty(len(path))
            out[: len(kept)] = kept
            compute = getattr(self.task.model, measure)
            for first in range(len(kept), len(path), 256):  # a few hundred networks at a time: bounded memory
                with np.errstate(all="ignore"):
                    out[first : first + 256] = compute(path[first : first + 256], data.X, data.y)
            out.flags.writeable = False  # (handed out as it is kept)
            kept = out
            if named is not None:
                self._losses[key] = out
        return kept[: len(path)]

    def accuracy(self, k: int, data: Dataset | None = None) -> float:
        """The share of ``data``'s rows (default: the training set) run ``k``'s network classifies right now."""
        data = data or self.task.train
        with np.errstate(all="ignore"):
            return float(self.task.model.accuracy(self.theta[k : k + 1], data.X, data.y)[0])

    def score_text(self, k: int) -> str:
        """How run ``k``'s network does now: the share classified right, train and test; for regression the mean
        squared error ½(ŷ − y)² on each."""
        test = self.task.test
        if self.task.model.task == "classification":
            return f"right {self.accuracy(k):.0%} train, {self.accuracy(k, test):.0%} test"
        return f"loss {self.losses(k)[-1]:.3g} train, {self.losses(k, test)[-1]:.3g} test"

    def best(self) -> int | None:
        """The run whose training loss is now the least (a diverged run's last finite point counts too); None
        when no run has a finite loss."""
        last = np.array([self.losses(k)[-1] for k in range(len(self.labels))])
        if not np.isfinite(last).any():
            return None
        return int(np.argmin(np.where(np.isfinite(last), last, np.inf)))

    def center(self, which: str) -> np.ndarray:
        """The point a plane is centred on: ``start``, the first weights every run shares, or ``best``, the end of
        the best run (see ``best``; with none, the start)."""
        if which not in CENTERS:
            raise ParamError(f"Unknown centre {which!r} (allowed: {', '.join(CENTERS)})")
        best = self.best() if which == "best" else None
        return self.task.theta0 if best is None else self.path(best)[-1].copy()

    def status_text(self, k: int) -> str:
        if self.status[k] == RUNNING:
            return "running"
        return STATUS_TEXTS[int(self.status[k])].format(int(self.status_step[k]))
