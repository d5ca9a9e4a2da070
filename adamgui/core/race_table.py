"""A race's results table, one row a run: kept with the scene, written to and read from a session.

A row is plain, frozen data (the scene that holds it stays comparable and hashable). Read from a file,
every field is checked and a bad one is refused with a sentence naming it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from adamgui.core.limits import MAX_RUNS
from adamgui.core.optimizers import get_optimizer
from adamgui.core.params import ParamError

MAX_TEXT = 500  # characters of a label or a fairness statement


@dataclass(frozen=True)
class RaceRow:
    """A raced run: its label and optimizer, the tuned values, the objective (mean and spread over seeds;
    None: it diverged), the step its loss reached ``tol`` (None: never), and how it was tuned."""

    run: str
    optimizer: str
    tuned: tuple[tuple[str, float], ...]
    objective: float | None
    spread: float | None
    steps_to_tol: int | None
    tol: float
    trials: int
    seeds: int
    fairness: str

    def to_dict(self) -> dict:
        return {
            "run": self.run,
            "optimizer": self.optimizer,
            "tuned": dict(self.tuned),
            "objective": self.objective,
            "spread": self.spread,
            "steps_to_tol": self.steps_to_tol,
            "tol": self.tol,
            "trials": self.trials,
            "seeds": self.seeds,
            "fairness": self.fairness,
        }


def _number(value, where: str, none: bool = False) -> float | None:
    if value is None and none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ParamError(f"{where}: must be a finite number{' or null' if none else ''}")
    return float(value)


def _count(value, where: str, low: int, high: int, none: bool = False) -> int | None:
    if value is None and none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ParamError(f"{where}: must be a whole number from {low:,} to {high:,}{' or null' if none else ''}")
    return value


def _text(value, where: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT or any(ord(c) < 32 for c in value):
        raise ParamError(f"{where}: must be text of at most {MAX_TEXT} characters on one line")
    return value


FIELDS = ("run", "optimizer", "tuned", "objective", "spread", "steps_to_tol", "tol", "trials", "seeds", "fairness")


def rows_from_json(raw, where: str = "race") -> tuple[RaceRow, ...]:
    """The rows of a parsed JSON list, every field checked; ParamError naming the first that is wrong."""
    if not isinstance(raw, list):
        raise ParamError(f"{where}: must be a list of rows")
    if len(raw) > MAX_RUNS:
        raise ParamError(f"{where}: {len(raw)} rows (at most {MAX_RUNS}, one a run)")
    rows = []
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(item, dict):
            raise ParamError(f"{at}: must be an object")
        unknown = sorted(set(item) - set(FIELDS))
        missing = [f for f in FIELDS if f not in item]
        if unknown or missing:
            what = f"unknown field {unknown[0]!r}" if unknown else f"missing field {missing[0]!r}"
            raise ParamError(f"{at}: {what}")
        try:
            optimizer = get_optimizer(item["optimizer"] if isinstance(item["optimizer"], str) else "")
        except ParamError as e:
            raise ParamError(f"{at}.optimizer: {e}") from None
        tuned = item["tuned"]
        if not isinstance(tuned, dict) or not 1 <= len(tuned) <= 2:
            raise ParamError(f"{at}.tuned: must hold one or two hyperparameters and their values")
        values = []
        for name, value in tuned.items():
            try:
                optimizer.param(name).validate(_number(value, f"{at}.tuned.{name}"))
            except ParamError as e:
                raise ParamError(f"{at}.tuned.{name}: {e}") from None
            values.append((name, float(value)))
        rows.append(
            RaceRow(
                _text(item["run"], f"{at}.run"),
                optimizer.name,
                tuple(values),
                _number(item["objective"], f"{at}.objective", none=True),
                _number(item["spread"], f"{at}.spread", none=True),
                _count(item["steps_to_tol"], f"{at}.steps_to_tol", 0, 10**9, none=True),
                _number(item["tol"], f"{at}.tol"),
                _count(item["trials"], f"{at}.trials", 1, 10**6),
                _count(item["seeds"], f"{at}.seeds", 1, 10**3),
                _text(item["fairness"], f"{at}.fairness"),
            )
        )
    return tuple(rows)
