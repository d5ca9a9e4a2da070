"""What the Network dock trains, as a scene and a session keep it: enough to train the same runs again, to the
same numbers (every part of a training is seeded), and to show them on the same plane."""

from __future__ import annotations

from dataclasses import dataclass

from adamgui.core.params import ParamError
from adamgui.core.simulation import spec_from_text
from adamgui.core.slices import PLANES
from adamgui.core.training import CENTERS, Training, make_task, parse_dataset, parse_model

MAX_TRAINED = 20_000  # steps a session may ask to train again when it opens (each keeps every parameter)
FIELDS = {"model": str, "dataset": str, "runs": list, "batch_size": int, "plane": str, "plane_seed": int, "steps": int}
OPTIONAL = {"center": str}  # (a session written before the plane had a choice of centre: the start)


@dataclass(frozen=True)
class NetworkSetup:
    """The network (``mlp:hidden=16,16,activation=tanh``), its data (``spirals:size=200,noise=0.1``), the runs
    (one optimizer spec each, as on the command line), the batch size (0: all rows), the plane shown and its
    seed, the steps trained so far, and the point the plane is centred on (``start`` or ``best``, the best run's
    end; see Training.center)."""

    model: str
    dataset: str
    runs: tuple[str, ...]
    batch_size: int = 0
    plane: str = "random"
    plane_seed: int = 0
    steps: int = 0
    center: str = "start"

    def check(self) -> NetworkSetup:
        """Itself, every part valid; ParamError naming the field that is not."""
        for name, part in (("model", self.model), ("dataset", self.dataset)):
            try:
                (parse_model if name == "model" else parse_dataset)(part)
            except ParamError as e:
                raise ParamError(f"network.{name}: {e}") from None
        if not self.runs:
            raise ParamError("network.runs: give at least one optimizer")
        for k, text in enumerate(self.runs):
            try:
                spec_from_text(text)
            except ParamError as e:
                raise ParamError(f"network.runs[{k}]: {e}") from None
        if self.plane not in PLANES:
            raise ParamError(f"network.plane: {self.plane!r} is not a plane (allowed: {', '.join(PLANES)})")
        if self.center not in CENTERS:
            raise ParamError(f"network.center: {self.center!r} is not a centre (allowed: {', '.join(CENTERS)})")
        for name, value, high in (
            ("batch_size", self.batch_size, 2000),
            ("plane_seed", self.plane_seed, 2**31 - 1),
            ("steps", self.steps, MAX_TRAINED),
        ):
            if not 0 <= value <= high:
                raise ParamError(f"network.{name}: {value} is out of range (allowed: 0 to {high:,})")
        return self

    def training(self) -> Training:
        """A fresh training of these runs, at step 0 (train it ``steps`` steps to be where the setup was)."""
        task = make_task(parse_model(self.model), self.dataset, 0, self.batch_size)
        return Training(task, [spec_from_text(text) for text in self.runs])

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "dataset": self.dataset,
            "runs": list(self.runs),
            "batch_size": self.batch_size,
            "plane": self.plane,
            "plane_seed": self.plane_seed,
            "steps": self.steps,
            "center": self.center,
        }

    @classmethod
    def from_dict(cls, d: dict) -> NetworkSetup:
        """From a session's ``network`` object (its fields' types checked by the session reader)."""
        if not all(isinstance(text, str) for text in d["runs"]):
            raise ParamError("network.runs: each run must be an optimizer spec, a string")
        return cls(
            d["model"],
            d["dataset"],
            tuple(d["runs"]),
            d["batch_size"],
            d["plane"],
            d["plane_seed"],
            d["steps"],
            d.get("center", "start"),
        ).check()
