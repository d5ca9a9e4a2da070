"""Trajectories as CSV or JSON: the format of ``main.py run`` and of the window's data export.

Both are written in chunks of :data:`ROWS` steps to any text stream, so a long path never becomes
one string in memory. :func:`write_streamed` goes further for the command line: it computes one run
at a time and writes it out before the next is computed, so at most one run's record is held.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import TextIO

from adamgui.core.simulation import Run, Simulation

ROWS = 16_384  # steps formatted at a time


def _csv_rows(run: Run, label: str, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    name = run.optimizer.name
    path, losses = run.path(), run.losses()
    for first in range(0, len(path), ROWS):
        part, loss = path[first : first + ROWS].tolist(), losses[first : first + ROWS].tolist()
        rows = enumerate(zip(part, loss, strict=True), start=first)
        writer.writerows([label, name, t, repr(x), repr(y), repr(f)] for t, ((x, y), f) in rows)


CSV_HEADER = "run,optimizer,step,x,y,loss\n"


def _json_head(sim: Simulation, steps: int) -> str:
    s = sim.surface
    head = {
        "surface": {
            "name": s.name,
            "formula": s.formula,
            "x_range": list(s.x_range),
            "y_range": list(s.y_range),
            "minima": [list(m) for m in s.minima],
            "start": sim.start.tolist(),
        },
        "steps": steps,
        "noise": sim.noise,
        "seed": sim.seed,
    }
    return json.dumps(head, indent=1)[:-2] + ',\n "runs": ['


def _json_array(values, out: TextIO) -> None:
    out.write("[")
    for first in range(0, len(values), ROWS):
        if first:
            out.write(", ")
        out.write(json.dumps(values[first : first + ROWS].tolist())[1:-1])
    out.write("]")


def _json_run(run: Run, label: str, out: TextIO) -> None:
    about = {
        "label": label,
        "optimizer": run.optimizer.name,
        "params": dict(run.hp),
        "status": run.status_name(),
        "status_step": int(run.status_step[0]) if run.status_step[0] >= 0 else None,
        "left_step": int(run.left_step[0]) if run.left_step[0] >= 0 else None,
    }
    if run.schedule is not None:  # the learning rate each step used: steps 1, 2, ... to its last
        about["schedule"] = run.schedule.text()
        about["lr"] = run.learning_rates().tolist()
    out.write("\n  " + json.dumps(about)[:-1] + ', "path": ')
    _json_array(run.path(), out)
    out.write(', "loss": ')
    _json_array(run.losses(), out)
    out.write("}")


def write_csv(sim: Simulation, out: TextIO) -> None:
    """Header ``run,optimizer,step,x,y,loss``; one row per run per step, step 0 the start."""
    out.write(CSV_HEADER)
    for run in sim.runs:
        _csv_rows(run, run.label, out)


def write_json(sim: Simulation, out: TextIO) -> None:
    """The surface and every run's resolved hyperparameters, status, path and losses."""
    out.write(_json_head(sim, sim.t))
    for k, run in enumerate(sim.runs):
        out.write("," if k else "")
        _json_run(run, run.label, out)
    out.write("\n ]\n}\n")


def write_streamed(
    sim: Simulation, steps: int, fmt: str, out: TextIO, each_step: Callable[[], None] | None = None
) -> list[str]:
    """``sim`` (at step 0) run ``steps`` steps, one run at a time, written as ``fmt`` ('csv' or 'json').

    Runs never interact (each has its own noise stream), so computing them one after another gives
    the same numbers as stepping them together; each run is written and let go before the next.
    ``each_step`` is called after every step (to check for an interruption). Returns a sentence for each run
    a plugin's rule stopped (its path is written up to where it stopped).
    """
    failed = []
    if fmt == "csv":
        out.write(CSV_HEADER)
    else:
        out.write(_json_head(sim, steps))
    for k, label in enumerate(sim.labels()):
        run = sim.solo(k)
        for _ in range(steps):
            run.step()
            if each_step is not None:
                each_step()
        if fmt == "csv":
            _csv_rows(run, label, out)
        else:
            out.write("," if k else "")
            _json_run(run, label, out)
        if run.status_name() == "failed":
            failed.append(f"run {label!r} {run.status_text()}")
        del run
    if fmt == "json":
        out.write("\n ]\n}\n")
    return failed


def to_csv(sim: Simulation) -> str:
    buf = io.StringIO()
    write_csv(sim, buf)
    return buf.getvalue()


def to_json(sim: Simulation) -> str:
    buf = io.StringIO()
    write_json(sim, buf)
    return buf.getvalue()
