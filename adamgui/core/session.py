"""A whole scene as a versioned JSON file, and its strict, safe reading.

Reading never evaluates anything: every field is checked against the schema
below (unknown fields, wrong types, values out of range and newer versions are
refused with a sentence that names the field), a formula goes through the safe
parser, and a file that fails any check changes nothing.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from adamgui.core.expression import FormulaError
from adamgui.core.files import FileProblem, read_text, write_text
from adamgui.core.lesson import KEYS
from adamgui.core.limits import MAX_NOISE, MAX_RUNS, MAX_SEED, MAX_SESSION_BYTES, MAX_SPEED, MAX_STEP
from adamgui.core.models import MAX_ROWS
from adamgui.core.network_setup import FIELDS as NETWORK_FIELDS
from adamgui.core.network_setup import OPTIONAL as NETWORK_OPTIONAL
from adamgui.core.network_setup import NetworkSetup
from adamgui.core.optimizers import get_optimizer
from adamgui.core.params import ParamError
from adamgui.core.race_table import rows_from_json
from adamgui.core.scene import PALETTE, RunConfig, Scene
from adamgui.core.schedules import make_schedule
from adamgui.core.simulation import RunSpec
from adamgui.core.surfaces import check_box, resolve_surface

FORMAT = "adamgui-session"
VERSION = 4  # 2 adds the lesson's chapter, 3 a race's results, 4 a network; a file without them: the oldest
# version that reads it, for older readers
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class SessionError(ValueError):
    """A session file that cannot be used; the message names the field and what is wrong."""


def scene_to_dict(scene: Scene, step: int = 0, speed: int = 10) -> dict:
    surface: dict = {"name": scene.surface}
    if scene.surface == "formula":
        surface["formula"] = scene.formula
    if scene.x_range is not None:
        surface["x_range"] = list(scene.x_range)
    if scene.y_range is not None:
        surface["y_range"] = list(scene.y_range)
    if scene.data:
        surface["data"] = scene.data
    doc = {
        "format": FORMAT,
        "version": 4 if scene.network else 3 if scene.race else 2 if scene.chapter else 1,
        "title": scene.title,
        "watch": scene.watch,
        "surface": surface,
        "start": list(scene.start),
        "runs": [
            {
                "optimizer": r.spec.optimizer,
                "label": r.spec.label,
                "params": get_optimizer(r.spec.optimizer).resolve(r.spec.params),
                "color": r.color,
                "visible": r.visible,
                "key": r.key,
                **(
                    {"schedule": {"name": r.spec.schedule.name, "params": dict(r.spec.schedule.params)}}
                    if r.spec.schedule is not None and r.spec.schedule.name != "constant"
                    else {}
                ),
            }
            for r in scene.runs
        ],
        "noise": {"sigma": scene.noise, "seed": scene.seed},
        "speed": speed,
        "step_limit": scene.step_limit,
        "step": step,
    }
    if scene.chapter:
        doc["chapter"] = scene.chapter
    if scene.batch_size:
        doc["batch"] = {"size": scene.batch_size, "seed": scene.batch_seed}
        if scene.batch_ordered:
            doc["batch"]["ordered"] = True
    if scene.box is not None:
        doc["surface"]["box"] = [*scene.box[0], *scene.box[1]]
    if scene.race:
        doc["race"] = [row.to_dict() for row in scene.race]
    if scene.network is not None:
        doc["network"] = scene.network.to_dict()
    return doc


def save(path: str | Path, scene: Scene, step: int = 0, speed: int = 10) -> None:
    """Write the scene, all or nothing (FileProblem, a ValueError, says why it could not)."""
    write_text(path, json.dumps(scene_to_dict(scene, step, speed), indent=1) + "\n")


def load(path: str | Path) -> tuple[Scene, int, int]:
    """(scene, step, speed) from a session file, or SessionError naming what is wrong; never hangs."""
    path = Path(path)
    try:
        text = read_text(path, MAX_SESSION_BYTES, "session file")
    except FileProblem as e:
        raise SessionError(str(e)) from None
    return from_text(text, path.name, path.resolve().parent)


def _number(text: str) -> int | float:
    """A JSON integer: a whole number, or (past 30 digits) a float that a range check then refuses."""
    return int(text) if len(text) <= 30 else float(text)


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list) -> dict:
    """A JSON object whose keys are all different (json keeps the last of a repeated key, silently)."""
    out = dict(pairs)
    if len(out) < len(pairs):
        seen = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise _Duplicate(f"the field {twice!r} appears twice in one object")
    return out


def from_text(text: str, name: str = "the file", base: Path | None = None) -> tuple[Scene, int, int]:
    """A session's text, read as :func:`load` reads a file; ``base``: the folder a relative data path is in."""
    try:
        doc = json.loads(text, parse_int=_number, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as e:
        raise SessionError(
            f"{name} is not a complete session file (JSON error at line {e.lineno}, column {e.colno}: {e.msg})"
        ) from None
    except RecursionError:
        raise SessionError(f"{name} nests too deeply to be a session file") from None
    except _Duplicate as e:
        raise SessionError(f"{name} is not a usable session file: {e}") from None
    except ValueError as e:  # numbers Python will not read
        raise SessionError(f"{name} is not a usable session file ({e})") from None
    return from_dict(doc, base)


def _fields(obj, where: str, required: dict, optional: dict) -> dict:
    """``obj`` as a dict with exactly the known fields, each of its expected type."""
    if not isinstance(obj, dict):
        raise SessionError(f"{where or 'the file'} must be an object, not {type(obj).__name__}")
    unknown = sorted(set(obj) - set(required) - set(optional))
    if unknown:
        raise SessionError(f"{_at(where, unknown[0])}: unknown field (allowed: {', '.join([*required, *optional])})")
    for key in required:
        if key not in obj:
            raise SessionError(f"{_at(where, key)}: missing")
    for key, kind in {**required, **optional}.items():
        if key in obj and not _is(obj[key], kind):
            raise SessionError(f"{_at(where, key)}: must be {_kind_name(kind)}, not {_json_type(obj[key])}")
    return obj


MAX_LABEL, MAX_TITLE, MAX_WATCH = 60, 200, 4000  # characters: a run's label, a scene's title, its text to watch
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _text(value: str, where: str, limit: int, lines: bool) -> str:
    """A label, title or text as a session may hold it: at most ``limit`` characters, no control characters (line
    breaks only where ``lines``); else SessionError naming the field."""
    if len(value) > limit:
        raise SessionError(f"{where}: {len(value):,} characters (at most {limit:,})")
    bad = _CONTROL.search(value) or (None if lines else re.search(r"[\n\r\t]", value))
    if bad:
        raise SessionError(f"{where}: holds a control character ({bad.group()!r}), which no {where.split('.')[-1]} has")
    return value


def _at(where: str, key) -> str:
    return f"{where}.{key}" if where else str(key)


def _is(value, kind) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _kind_name(kind) -> str:
    return {
        float: "a number",
        int: "a whole number",
        str: "text",
        bool: "true or false",
        list: "a list",
        dict: "an object",
    }[kind]


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return {int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}.get(type(value), "?")


def _pair(value, where: str) -> tuple[float, float]:
    if not (isinstance(value, list) and len(value) == 2 and all(_is(v, float) for v in value)):
        raise SessionError(f"{where}: must be two numbers")
    if not all(math.isfinite(v) for v in value):
        raise SessionError(f"{where}: must be finite numbers")
    return float(value[0]), float(value[1])


def from_dict(doc, base: Path | None = None) -> tuple[Scene, int, int]:
    """Check every field of a parsed session and build the scene; SessionError names the first problem."""
    if isinstance(doc, dict) and doc.get("format") == FORMAT and _is(doc.get("version"), int):
        if doc["version"] > VERSION:
            raise SessionError(
                f"version: the file was written by a newer AdamGUI (session version {doc['version']}; "
                f"this one reads version {VERSION} and older)"
            )
        if doc["version"] < 1:
            raise SessionError(f"version: {doc['version']} is not a session version")
    top = _fields(
        doc,
        "",
        {"format": str, "version": int, "surface": dict, "start": list, "runs": list},
        {
            "title": str,
            "watch": str,
            "noise": dict,
            "speed": int,
            "step_limit": int,
            "step": int,
            "chapter": str,
            "batch": dict,
            "race": list,
            "network": dict,
        },
    )
    if top["format"] != FORMAT:
        raise SessionError(f"format: {top['format']!r} is not {FORMAT!r}: this is not an AdamGUI session")
    surface = _fields(
        top["surface"],
        "surface",
        {"name": str},
        {"formula": str, "x_range": list, "y_range": list, "data": str, "box": list},
    )
    box = None
    if "box" in surface:
        try:
            box = check_box(surface["box"])
        except ParamError as e:
            raise SessionError(f"surface.box: {e}") from None
    data = surface.get("data", "")
    if data and base is not None and not Path(data).is_absolute():  # beside the session, wherever it is opened from
        data = str(base / data)
    x_range = _pair(surface["x_range"], "surface.x_range") if "x_range" in surface else None
    y_range = _pair(surface["y_range"], "surface.y_range") if "y_range" in surface else None
    formula = surface.get("formula", "")
    if surface["name"] == "formula" and not formula:
        raise SessionError("surface.formula: missing (the surface is a formula)")
    if surface["name"] != "formula" and "formula" in surface:
        raise SessionError("surface.formula: only a surface named 'formula' has one")
    try:
        resolved = resolve_surface(surface["name"], formula, x_range, y_range, data)
    except FormulaError as e:
        raise SessionError(f"surface.formula: {e}") from None
    except FileProblem as e:
        raise SessionError(f"surface.data: {e}") from None
    except ParamError as e:
        raise SessionError(f"surface: {e}") from None
    start = _pair(top["start"], "start")

    if not top["runs"]:
        raise SessionError("runs: there must be at least one run")
    if len(top["runs"]) > MAX_RUNS:
        raise SessionError(f"runs: {len(top['runs'])} runs (at most {MAX_RUNS})")
    runs, keys = [], set()
    for i, raw in enumerate(top["runs"]):
        where = f"runs[{i}]"
        r = _fields(
            raw,
            where,
            {"optimizer": str},
            {"label": str, "params": dict, "color": str, "visible": bool, "key": int, "schedule": dict},
        )
        try:
            optimizer = get_optimizer(r["optimizer"])
        except ParamError as e:
            raise SessionError(f"{where}.optimizer: {e}") from None
        params = r.get("params", {})
        checked = {}
        for key, value in params.items():
            try:
                p = optimizer.param(key)
            except ParamError as e:
                raise SessionError(f"{where}.params.{key}: {e}") from None
            if p.is_bool != isinstance(value, bool) or not (p.is_bool or _is(value, float)):
                raise SessionError(f"{where}.params.{key}: must be {'true or false' if p.is_bool else 'a number'}")
            try:
                checked[key] = p.validate(value)
            except ParamError as e:
                raise SessionError(f"{where}.params.{key}: {e}") from None
        color = r.get("color", PALETTE[i % len(PALETTE)])
        if not COLOR.fullmatch(color):
            raise SessionError(f"{where}.color: {color!r} is not a color like #ff4b3e")
        key = r.get("key", i)  # files from before keys: a run's noise stream was its position
        if not 0 <= key < 2**31 or key in keys:
            raise SessionError(f"{where}.key: {key} is {'taken by another run' if key in keys else 'out of range'}")
        keys.add(key)
        schedule = None
        if "schedule" in r:
            raw_schedule = _fields(r["schedule"], f"{where}.schedule", {"name": str}, {"params": dict})
            params = raw_schedule.get("params", {})
            bad = [k for k, v in params.items() if not _is(v, float)]
            if bad:
                raise SessionError(f"{where}.schedule.params.{bad[0]}: must be a number")
            try:
                schedule = make_schedule(raw_schedule["name"], params)
            except ParamError as e:
                raise SessionError(f"{where}.schedule: {e}") from None
        label = _text(r.get("label", ""), f"{where}.label", MAX_LABEL, lines=False)
        spec = RunSpec(optimizer.name, checked, label, schedule)
        runs.append(RunConfig(spec, color, r.get("visible", True), key))

    noise = _fields(top.get("noise", {}), "noise", {}, {"sigma": float, "seed": int})
    sigma, seed = float(noise.get("sigma", 0.0)), int(noise.get("seed", 0))
    if not (math.isfinite(sigma) and 0 <= sigma <= MAX_NOISE):
        raise SessionError(f"noise.sigma: {sigma:g} is out of range (allowed: 0 to {MAX_NOISE:g})")
    if not 0 <= seed <= MAX_SEED:
        raise SessionError(f"noise.seed: {seed} is out of range (allowed: 0 to {MAX_SEED})")
    limits = {"speed": (0, MAX_SPEED), "step_limit": (1, MAX_STEP), "step": (0, MAX_STEP)}
    values = {"speed": 10, "step_limit": 500, "step": 0}
    for key, (lo, hi) in limits.items():
        if key in top:
            if not lo <= top[key] <= hi:
                raise SessionError(f"{key}: {top[key]} is out of range (allowed: {lo} to {hi:,})")
            values[key] = top[key]
    if values["step"] > values["step_limit"]:
        raise SessionError(f"step: {values['step']} is past the step limit ({values['step_limit']})")
    chapter = top.get("chapter", "")
    if chapter and top["version"] < 2:
        raise SessionError("chapter: a lesson's chapter needs session version 2")
    if chapter:
        if chapter not in KEYS:
            raise SessionError(f"chapter: {chapter!r} is not a chapter of the lesson (allowed: {', '.join(KEYS)})")
    batch = _fields(top.get("batch", {}), "batch", {}, {"size": int, "seed": int, "ordered": bool})
    batch_size, batch_seed = int(batch.get("size", 0)), int(batch.get("seed", 0))
    if batch and resolved.model is None:
        raise SessionError("batch: minibatches need a model's loss as the surface, and this one is not")
    if not 0 <= batch_size <= MAX_ROWS:
        raise SessionError(f"batch.size: {batch_size} is out of range (allowed: 0, the full batch, to {MAX_ROWS:,})")
    if not 0 <= batch_seed <= MAX_SEED:
        raise SessionError(f"batch.seed: {batch_seed} is out of range (allowed: 0 to {MAX_SEED})")
    try:
        race = rows_from_json(top.get("race", []))
    except ParamError as e:
        raise SessionError(str(e)) from None
    if race and top["version"] < 3:
        raise SessionError("race: a race's results need session version 3")
    network = None
    if "network" in top:
        if top["version"] < 4:
            raise SessionError("network: a network needs session version 4")
        fields = _fields(top["network"], "network", NETWORK_FIELDS, NETWORK_OPTIONAL)
        try:
            network = NetworkSetup.from_dict(fields)
        except ParamError as e:
            raise SessionError(str(e)) from None
    scene = Scene(
        surface["name"],
        start,
        tuple(runs),
        values["step_limit"],
        sigma,
        seed,
        _text(top.get("title", ""), "title", MAX_TITLE, lines=False),
        _text(top.get("watch", ""), "watch", MAX_WATCH, lines=True),
        formula,
        x_range,
        y_range,
        chapter,
        batch_size,
        batch_seed,
        data,
        race,
        network,
        bool(batch.get("ordered", False)),
        box,
    )
    return scene, values["step"], values["speed"]
