"""Trajectories as CSV or JSON: the format of ``main.py run`` and of the window's data export."""

from __future__ import annotations

import csv
import io
import json

from adamgui.core.simulation import Simulation


def to_csv(sim: Simulation) -> str:
    """Header ``run,optimizer,step,x,y,loss``; one row per run per step, step 0 the start."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["run", "optimizer", "step", "x", "y", "loss"])
    for run in sim.runs:
        for t, ((x, y), loss) in enumerate(zip(run.path(), run.losses(), strict=True)):
            writer.writerow([run.label, run.optimizer.name, t, repr(float(x)), repr(float(y)), repr(float(loss))])
    return buf.getvalue()


def to_json(sim: Simulation) -> str:
    """The surface and every run's resolved hyperparameters, status, path and losses."""
    s = sim.surface
    doc = {
        "surface": {
            "name": s.name,
            "formula": s.formula,
            "x_range": list(s.x_range),
            "y_range": list(s.y_range),
            "minima": [list(m) for m in s.minima],
            "start": sim.start.tolist(),
        },
        "steps": sim.t,
        "noise": sim.noise,
        "seed": sim.seed,
        "runs": [],
    }
    for run in sim.runs:
        doc["runs"].append(
            {
                "label": run.label,
                "optimizer": run.optimizer.name,
                "params": dict(run.hp),
                "status": run.status_name(),
                "status_step": int(run.status_step[0]) if run.status_step[0] >= 0 else None,
                "left_step": int(run.left_step[0]) if run.left_step[0] >= 0 else None,
                "path": run.path().tolist(),
                "loss": run.losses().tolist(),
            }
        )
    return json.dumps(doc, indent=1) + "\n"
