"""A training's runs written out (``main.py run --model ...``): each step's training and test loss, and its
parameters, or, with a plane (core/slices.py), their coordinates on it and their distance off it."""

from __future__ import annotations

import csv
import json
from typing import TextIO

import numpy as np

from adamgui.core.slices import Plane
from adamgui.core.training import Training


def _columns(training: Training, k: int, plane: Plane | None) -> tuple[np.ndarray, np.ndarray | None]:
    path = training.path(k)
    if plane is None:
        return path, None
    return plane.coordinates(path), plane.distance(path)


def write_csv(training: Training, out: TextIO, plane: Plane | None = None) -> None:
    writer = csv.writer(out, lineterminator="\n")
    where = ["a", "b", "distance"] if plane is not None else [f"theta_{i}" for i in range(training.d)]
    writer.writerow(["run", "optimizer", "step", "train_loss", "test_loss", *where])
    for k, label in enumerate(training.labels):
        train, test = training.losses(k), training.losses(k, training.task.test)
        coords, distance = _columns(training, k, plane)
        name = training.specs[k].optimizer
        for t in range(len(train)):
            tail = [*map(repr, coords[t].tolist())] + ([repr(float(distance[t]))] if distance is not None else [])
            writer.writerow([label, name, t, repr(float(train[t])), repr(float(test[t])), *tail])


def write_json(
    training: Training, out: TextIO, plane: Plane | None = None, plane_seed: int = 0, center: str = "start"
) -> None:
    task = training.task
    head = {
        "model": {
            "hidden": list(task.model.hidden),
            "activation": task.model.activation,
            "task": task.model.task,
            "parameters": task.model.size,
            "init_seed": task.init_seed,
        },
        "dataset": {"source": task.train.source, "train_rows": len(task.train.y), "test_rows": len(task.test.y)},
        "batch_size": task.batch_size or None,
        "steps": training.t,
        "plane": None
        if plane is None
        else {
            "kind": plane.kind,
            "explained": list(plane.explained) if plane.explained else None,
            "seed": plane_seed,
            "center": center,
        },
        "runs": [],
    }
    for k, label in enumerate(training.labels):
        coords, distance = _columns(training, k, plane)
        spec = training.specs[k]
        run = {
            "label": label,
            "optimizer": spec.optimizer,
            "params": dict(training.hps[k]),
            "schedule": spec.schedule.text() if spec.schedule is not None else None,
            "status": training.status_text(k),
            "train_loss": training.losses(k).tolist(),
            "test_loss": training.losses(k, task.test).tolist(),
            "path": coords.tolist(),
        }
        if distance is not None:
            run["distance"] = distance.tolist()
        head["runs"].append(run)
    out.write(json.dumps(head, indent=1, allow_nan=True) + "\n")
