"""The command line: ``run`` and ``list`` work without a display and never import Qt.

Every bad value ends with exit status 2 and one line on stderr that names it.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import json
import math
import os
import re
import signal
import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

from adamgui import EXIT_INTERRUPTED, __version__
from adamgui.core.expression import FormulaError
from adamgui.core.files import FileProblem, atomic_output, check_writable
from adamgui.core.lesson import CHAPTERS, chapter
from adamgui.core.limits import MAP_MAX_RESOLUTION, MAP_MIN_RESOLUTION, MAX_CLI_STEPS, MAX_NOISE, MAX_RUNS, MAX_SEED
from adamgui.core.models import MAX_ROWS, Batching
from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.params import ParamError, parse_number
from adamgui.core.presets import PRESETS, get_preset
from adamgui.core.schedules import NAMES as SCHEDULES
from adamgui.core.schedules import PARAMS as SCHEDULE_PARAMS
from adamgui.core.schedules import parse_schedule
from adamgui.core.simulation import RunSpec, spec_from_text
from adamgui.core.surfaces import (
    SURFACES,
    check_box,
    check_range,
    get_surface,
    model_surface_from_csv,
    resolve_surface,
    with_box,
)
from adamgui.core.tuning import DEFAULT_TRIALS, MAX_SEEDS, MAX_TRIALS, MIN_TRIALS, Objective, parse_objective

MAX_NETWORK_STEPS = 20_000  # a network's steps in one command (each keeps every parameter of every run)
COMMANDS = ("run", "list", "bench", "soak", "render", "install-desktop", "map", "sweep", "tune", "export-notebook")


class CliError(Exception):
    """A bad command-line value; the message is the whole line the user sees."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's usage dump becomes one line
        raise CliError(message)


def number_arg(text: str) -> float:
    """A number as every option writes one: ASCII digits, a point, an exponent (core/params.py's grammar)."""
    try:
        return parse_number(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number {text!r}") from None


def parse_start(text: str) -> tuple[float, float]:
    """'X,Y' -> (x, y), both finite numbers."""
    parts = text.split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        x, y = parse_number(parts[0]), parse_number(parts[1])
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid start {text!r} (expected X,Y such as -4,0.4)") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise argparse.ArgumentTypeError(f"invalid start {text!r} (both coordinates must be finite)")
    return x, y


def parse_domain(text: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """'X0,X1,Y0,Y1' -> ((x0, x1), (y0, y1)), each range finite and increasing."""
    try:
        x0, x1, y0, y1 = (parse_number(p) for p in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid domain {text!r} (expected X0,X1,Y0,Y1 such as -2,2,-1,3)") from None
    try:
        return check_range("x", (x0, x1)), check_range("y", (y0, y1))
    except ParamError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def parse_box(text: str):
    """'X0,X1,Y0,Y1' -> the feasible box every step is projected onto."""
    try:
        return check_box(text.split(","))
    except ParamError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


WHOLE = re.compile(r"[0-9]{1,20}")  # ASCII digits only: no sign, no underscore, no other script


def whole_number(text: str, what: str, low: int, high: int) -> int:
    """``text`` as a count from ``low`` to ``high``, written in plain ASCII digits; else a one-line error."""
    if re.fullmatch(r"-[0-9]{1,20}", text):  # a sign, even on zero, is out of range for a count
        raise argparse.ArgumentTypeError(f"invalid {what} {text} (allowed: {low:,} to {high:,})")
    if not WHOLE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"invalid {what} {text!r} (expected a whole number in digits 0-9)")
    n = int(text)
    if not low <= n <= high:
        raise argparse.ArgumentTypeError(f"invalid {what} {n} (allowed: {low:,} to {high:,})")
    return n


def parse_steps(text: str) -> int:
    return whole_number(text, "step count", 0, MAX_CLI_STEPS)


def parse_seed(text: str) -> int:
    return whole_number(text, "seed", 0, MAX_SEED)


def parse_spec(text: str) -> RunSpec:
    """'adam:lr=0.3,beta1=0.9' -> RunSpec('adam', {'lr': 0.3, 'beta1': 0.9}), validated."""
    try:
        return spec_from_text(text)
    except ParamError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def schedule_arg(text: str):
    """``--schedule`` of map and sweep (one optimizer): a Schedule, or argparse's error naming the fault."""
    try:
        return parse_schedule(text)
    except ParamError as e:
        raise argparse.ArgumentTypeError(f"invalid schedule {text!r}: {e}") from None


class ScheduleFor(argparse.Action):
    """``--schedule`` gives the run of the ``--optimizer`` just before it a learning-rate schedule."""

    def __call__(self, parser, namespace, values, option_string=None):
        specs = getattr(namespace, "optimizer", None)
        if not specs:
            raise CliError("--schedule must follow the --optimizer it applies to")
        specs[-1] = dataclasses.replace(specs[-1], schedule=values)  # parsed by schedule_arg


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """``--batch-size`` and ``--batch-seed``, as ``run``, ``map`` and ``sweep`` take them."""
    parser.add_argument(
        "--batch-size",
        type=lambda t: whole_number(t, "batch size", 1, MAX_ROWS),
        metavar="N",
        help="a model's loss: rows per gradient, drawn without replacement each epoch (default: all of them)",
    )
    parser.add_argument(
        "--batch-seed", type=parse_seed, metavar="S", help=f"which minibatches (0 to {MAX_SEED}; default 0)"
    )
    parser.add_argument(
        "--batch-order",
        choices=("shuffled", "ordered"),
        help="a model's loss: the rows shuffled anew each epoch (default), or taken in their order, as an online "
        "sequence is fed",
    )


def batch_from_args(args: argparse.Namespace, surface, preset=None) -> Batching:
    """The minibatches ``--batch-size/--batch-seed/--batch-order`` ask for (else the preset's, on its surface),
    refused unless the surface is a model's loss."""
    given = [args.batch_size, args.batch_seed, getattr(args, "batch_order", None)]
    if any(value is not None for value in given) and surface.model is None:
        models = ", ".join(name for name, s in SURFACES.items() if s.model is not None)
        raise CliError(f"--batch-size, --batch-seed and --batch-order need a model's loss as the surface ({models})")
    own = preset if preset is not None and preset.surface == surface.name else None
    size = args.batch_size if args.batch_size is not None else (own.batch_size if own else 0)
    order = getattr(args, "batch_order", None)
    ordered = order == "ordered" if order is not None else bool(own and own.batch_ordered)
    return Batching(size, args.batch_seed or 0, ordered)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="adamgui",
        description="Watch gradient descent, Adam and their relatives.",
        epilog=f"Without a command it opens the window: {WINDOW_USAGE} (adamgui FILE --help for its options).",
    )
    parser.add_argument("--version", action="version", version=f"adamgui {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    sub.add_parser("list", help="surfaces, optimizers with their hyperparameters, presets")

    run = sub.add_parser("run", help="run optimizers without a window and print their paths")
    run.add_argument("--preset", help="a named scenario (see 'list')")
    run.add_argument("--session", metavar="FILE", help="replay a saved session (default: to the step it was saved at)")
    run.add_argument("--surface", help="a loss surface (see 'list')")
    run.add_argument("--formula", metavar="TEXT", help="your own f(x, y), e.g. 'sin(3*x)*cos(2*y) + 0.1*(x^2 + y^2)'")
    run.add_argument(
        "--domain", type=parse_domain, metavar="X0,X1,Y0,Y1", help="plotting domain, e.g. --domain=-2,2,-1,3"
    )
    run.add_argument(
        "--data",
        metavar="FILE.csv",
        help="your data for a model's loss (linear-regression and neuron: columns x,y; logistic-regression: "
        "x1,x2,label with labels 0/1; a header row)",
    )
    run.add_argument("--start", type=parse_start, metavar="X,Y", help="start point, e.g. --start=-4,0.4")
    run.add_argument(
        "--box",
        type=parse_box,
        metavar="X0,X1,Y0,Y1",
        help="a feasible box: every step is projected onto it (projected methods), e.g. --box=-1,1,-1,1",
    )
    run.add_argument(
        "--optimizer",
        type=parse_spec,
        action="append",
        metavar="SPEC",
        help="NAME[:key=value,...], repeatable, e.g. adam:lr=0.3,beta1=0.9",
    )
    run.add_argument(
        "--schedule",
        action=ScheduleFor,
        type=schedule_arg,
        metavar="NAME[:k=v,...]",
        help=f"learning-rate schedule of the --optimizer before it ({', '.join(SCHEDULES)}), "
        "e.g. --optimizer adam:lr=0.1 --schedule cosine:T_max=200",
    )
    run.add_argument("--steps", type=parse_steps, help="number of steps (default 50, or the preset's)")
    run.add_argument("--noise", type=number_arg, default=None, help="std. dev. of Gaussian noise added to gradients")
    run.add_argument("--seed", type=parse_seed, default=None, help=f"seed of the gradient noise (0 to {MAX_SEED})")
    add_batch_arguments(run)
    run.add_argument(
        "--model",
        metavar="mlp[:hidden=H,H,activation=tanh|relu]",
        help="train a small network instead of stepping on a surface, e.g. --model mlp:hidden=16,16 "
        "(with --dataset; each run trains its own copy from the same first weights)",
    )
    run.add_argument(
        "--dataset",
        metavar="NAME[:size=N,noise=S,seed=K]",
        help="the network's data, split 3:1 into train and test: circles, moons, spirals, xor or blobs (made from "
        "the seed), iris or diabetes (bundled; diabetes is a curve to fit), or file:PATH.csv with the columns "
        "x1,x2,label or x,y (default spirals)",
    )
    run.add_argument("--init-seed", type=parse_seed, metavar="S", help="the network's first weights (default 0)")
    run.add_argument(
        "--project",
        choices=("none", "random", "pca"),
        default="none",
        help="with --model: each step's coordinates on a plane through the first weights (a random "
        "filter-normalized one, or the paths' PCA) and its distance off it, instead of every parameter",
    )
    run.add_argument("--plane-seed", type=parse_seed, metavar="S", help="the random plane's directions (default 0)")
    run.add_argument(
        "--center",
        choices=("start", "best"),
        help="with --project: the plane goes through the first weights (start, the default) or through the end "
        "of the run with the least training loss (best)",
    )
    run.add_argument("--format", choices=("csv", "json"), default="csv")
    run.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    tune = sub.add_parser(
        "tune", help="tune each optimizer with the same budget of trials, then compare them (a fair race)"
    )
    tune.add_argument("--preset", help="a named scenario (see 'list')")
    tune.add_argument("--surface", help="a loss surface (see 'list')")
    tune.add_argument("--formula", metavar="TEXT", help="your own f(x, y)")
    tune.add_argument("--domain", type=parse_domain, metavar="X0,X1,Y0,Y1", help="plotting domain")
    tune.add_argument("--start", type=parse_start, metavar="X,Y", help="start point")
    tune.add_argument(
        "--optimizer", type=parse_spec, action="append", metavar="SPEC", help="repeatable (default: the preset's runs)"
    )
    tune.add_argument(
        "--trials",
        type=lambda t: whole_number(t, "trials", MIN_TRIALS, MAX_TRIALS),
        default=DEFAULT_TRIALS,
        help=f"trials per optimizer, the same for each ({MIN_TRIALS} to {MAX_TRIALS}; default {DEFAULT_TRIALS})",
    )
    tune.add_argument(
        "--objective",
        type=objective_arg,
        default=Objective(),
        metavar="final|mean|steps-to:TOL",
        help="final loss after the steps (default), mean loss over them, or steps to a loss at or below TOL",
    )
    tune.add_argument(
        "--steps", type=parse_steps, help="steps of every trial (default: the preset's, or 200; 1,000 for steps-to)"
    )
    tune.add_argument(
        "--seeds",
        type=lambda t: whole_number(t, "seeds", 1, MAX_SEEDS),
        default=1,
        help=f"with noise, seeds each trial is averaged over (1 to {MAX_SEEDS})",
    )
    tune.add_argument("--noise", type=number_arg, default=None, help="std. dev. of Gaussian noise added to gradients")
    tune.add_argument("--seed", type=parse_seed, default=None, help="seed of the gradient noise")
    tune.add_argument(
        "--second", action="store_true", help="tune a second hyperparameter beside α (β₁, μ, ...) where there is one"
    )
    tune.add_argument("--format", choices=("table", "csv", "json"), default="table")
    bench = sub.add_parser("bench", help="measure start-up, frame rate, frame cost, engine speed and memory")
    bench.add_argument("--json", action="store_true", help="machine-readable output")
    bench.add_argument("--quick", action="store_true", help="tiny sizes: checks that it runs, measures nothing")
    bench.add_argument(
        "--compare-matplotlib",
        action="store_true",
        help="also play the same scene in matplotlib (needs the dev extra) and report the ratio",
    )
    render = sub.add_parser("render", help="draw a scene to PNG, GIF or MP4 without anyone at the window")
    source = render.add_mutually_exclusive_group()
    source.add_argument("--preset", help="a named scenario (default: the notebook's)")
    source.add_argument("--session", metavar="FILE", help="a saved session file")
    source.add_argument(
        "--lesson", metavar="CHAPTER", help="a chapter of the lesson, its title and rule drawn above (see 'list')"
    )
    render.add_argument("--steps", type=parse_steps, help="steps to run (default: the preset's, or the session's step)")
    render.add_argument("--output", required=True, metavar="FILE", help="where: .png, .gif or .mp4")
    render.add_argument("--view", choices=("window", "surface", "contour"), default="window")
    render.add_argument(
        "--size",
        type=parse_size,
        metavar="WxH",
        help="the picture's size, e.g. 1920x1080: the window's, or with --view surface or contour the view's",
    )
    render.add_argument(
        "--fps",
        type=lambda t: whole_number(t, "fps", 1, 60),
        default=20,
        help="frames per second of an animation (1 to 60, default 20)",
    )

    for name, text in (
        ("map", "where each start of a grid over the domain leads (basin map)"),
        ("sweep", "final loss for every pair of values of two hyperparameters"),
    ):
        m = sub.add_parser(name, help=text)
        m.add_argument("--surface", help="a loss surface (see 'list'; default saddle)")
        m.add_argument("--formula", metavar="TEXT", help="your own f(x, y)")
        m.add_argument("--domain", type=parse_domain, metavar="X0,X1,Y0,Y1", help="plotting domain")
        m.add_argument(
            "--box", type=parse_box, metavar="X0,X1,Y0,Y1", help="a feasible box every step is projected onto"
        )
        m.add_argument("--optimizer", type=parse_spec, default=RunSpec("adam"), metavar="SPEC", help="NAME[:k=v,...]")
        m.add_argument(
            "--schedule",
            type=schedule_arg,
            metavar="NAME[:k=v,...]",
            help="learning-rate schedule of the optimizer, e.g. cosine:T_max=200",
        )
        m.add_argument("--steps", type=parse_steps, default=500 if name == "map" else 200)
        m.add_argument("--tol", type=number_arg, default=1e-2, help="distance to a minimum that counts as reached")
        add_batch_arguments(m)
        m.add_argument("--output", required=True, metavar="FILE", help=".npy, .csv or .png")
        if name == "map":
            m.add_argument(
                "--resolution",
                type=lambda t: whole_number(t, "resolution", MAP_MIN_RESOLUTION, MAP_MAX_RESOLUTION),
                default=128,
                help=f"grid points per side ({MAP_MIN_RESOLUTION} to {MAP_MAX_RESOLUTION})",
            )
        else:
            m.add_argument("--start", type=parse_start, metavar="X,Y", help="start point (default: the surface's)")
            m.add_argument(
                "--x", type=parse_axis, required=True, metavar="NAME:LOW:HIGH:N[:log]", help="e.g. lr:1e-4:1:16:log"
            )
            m.add_argument(
                "--y", type=parse_axis, required=True, metavar="NAME:LOW:HIGH:N[:log]", help="e.g. beta1:0.5:0.99:12"
            )

    sub.add_parser("install-desktop", help="add AdamGUI to this user's desktop menu (Linux)")

    book = sub.add_parser(
        "export-notebook",
        help="a scene as a Jupyter notebook that rebuilds it with the adamgui library, runs it and plots it",
    )
    book.add_argument("source", metavar="SESSION|LINK", help="a session file or an adamgui: link")
    book.add_argument("-o", "--output", required=True, metavar="FILE.ipynb", help="the notebook to write")
    book.add_argument(
        "--steps",
        type=lambda t: whole_number(t, "step count", 1, 10**7),
        metavar="N",
        help="steps the notebook runs (default: the session's step, or its step limit at step 0)",
    )

    soak = sub.add_parser("soak", help="play 20 runs at full speed for a while; report exceptions, memory, frames")
    soak.add_argument("--minutes", type=parse_minutes, default=10.0, help="how long (default 10)")
    soak.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def parse_axis(text: str) -> tuple[str, float, float, int, bool]:
    """'lr:1e-4:1:16:log' -> ('lr', 1e-4, 1.0, 16, True)."""
    parts = text.split(":")
    try:
        if len(parts) not in (4, 5) or (len(parts) == 5 and parts[4] not in ("log", "lin")):
            raise ValueError
        name, low, high, n = parts[0], float(parts[1]), float(parts[2]), int(parts[3])
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid axis {text!r} (expected NAME:LOW:HIGH:N[:log], e.g. lr:1e-4:1:16:log)"
        ) from None
    if not 2 <= n <= 256 or not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise argparse.ArgumentTypeError(f"invalid axis {text!r} (need LOW < HIGH and N from 2 to 256)")
    return name, low, high, n, len(parts) == 5 and parts[4] == "log"


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid size {text!r} (expected WxH such as 1280x800)") from None
    if not (320 <= w <= 8000 and 240 <= h <= 8000):
        raise argparse.ArgumentTypeError(f"invalid size {text!r} (from 320x240 to 8000x8000)")
    return w, h


def parse_minutes(text: str) -> float:
    try:
        minutes = parse_number(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid minutes {text!r} (expected a number)") from None
    if not 0 < minutes <= 24 * 60:
        raise argparse.ArgumentTypeError(f"invalid minutes {minutes:g} (allowed: more than 0, at most 1440)")
    return minutes


def main(argv: Sequence[str]) -> int:
    """Run a subcommand; return its exit status (2 for a bad value, with one line on stderr)."""
    command = argv[0] if argv else "command"
    try:
        args = build_parser().parse_args(list(argv))
        if args.command == "list":
            sys.stdout.write(list_text())
            return 0
        if args.command == "bench":
            from adamgui.devtools import bench  # imports Qt when it opens the window

            return bench.main(args.json, args.quick, args.compare_matplotlib)
        if args.command == "install-desktop":
            from adamgui.desktop import install

            return install()
        if args.command == "soak":
            from adamgui.devtools import soak

            return soak.soak_main(args.minutes, args.json)
        if args.command == "export-notebook":
            return command_export_notebook(args)
        if args.command == "render":
            return command_render(args)  # it watches for signals itself, between frames
        if args.command == "tune":
            with terminate_as_interrupt():
                return command_tune(args)
        if args.command in ("run", "map", "sweep"):
            with terminate_as_interrupt():
                return command_run(args) if args.command == "run" else command_map(args)
        raise CliError(f"unknown command (allowed: {', '.join(COMMANDS)})")
    except CliError as e:
        print(f"adamgui: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\nadamgui: {command} interrupted; no file was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemExit as e:  # --help and --version
        return int(e.code or 0)


@contextlib.contextmanager
def terminate_as_interrupt():
    """SIGTERM stops a command the way Ctrl+C does: KeyboardInterrupt, so its partial output is removed."""

    def stop(*_):
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


WINDOW_USAGE = (
    "adamgui [FILE.adamgui.json ... | 'adamgui:LINK'] [--preset NAME] [--surface NAME] [--start=X,Y] "
    "[--lesson [CHAPTER]]\n       adamgui open 'adamgui:LINK' | FILE.adamgui.json"
)


def parse_gui_args(argv: Sequence[str]) -> argparse.Namespace:
    """Options of the window itself: ``[FILE ...] [--preset NAME] [--surface NAME] [--start=X,Y] [--lesson [CHAPTER]]``.
    A session file (the first of several) opens in the window; a file that cannot be opened is said here, before
    any window."""
    parser = _Parser(prog="adamgui", usage=WINDOW_USAGE, description="Open the AdamGUI window.")
    parser.add_argument(
        "sessions",
        nargs="*",
        metavar="FILE",
        help="a saved session to open (double-click opens one this way), or a shared adamgui: link",
    )
    parser.add_argument(
        "--lesson",
        nargs="?",
        const="gradient",
        metavar="CHAPTER",
        help="open on the lesson, at its first chapter or at CHAPTER (see 'list')",
    )
    parser.add_argument("--preset", help="open with a named scenario (see 'list')")
    parser.add_argument("--surface", help="open on this surface (see 'list')")
    parser.add_argument("--start", type=parse_start, metavar="X,Y", help="start point, e.g. --start=-4,0.4")
    args = parser.parse_args(list(argv))
    try:
        if args.preset:
            get_preset(args.preset)
        if args.surface:
            get_surface(args.surface)
        if args.lesson is not None:
            if args.preset or args.surface or args.start:
                raise ParamError("--lesson loads its own scene; it cannot go with --preset, --surface or --start")
            chapter(args.lesson)
        if args.sessions:
            if args.preset or args.surface or args.start or args.lesson is not None:
                raise ParamError(
                    "a session file brings its own scene; it cannot go with --preset, --surface, --start or --lesson"
                )
            from adamgui.core.links import LinkError, from_link, is_link
            from adamgui.core.session import SessionError, load

            first = args.sessions[0]
            if first.startswith("file://"):  # a desktop's %u hands a file over as a URL
                first = args.sessions[0] = urllib.parse.unquote(urllib.parse.urlparse(first).path)
            if is_link(first):
                try:
                    from_link(first)  # (read again when the window opens it)
                except LinkError as e:
                    raise ParamError(f"cannot open the link: {e}") from None
                return args
            if not Path(first).exists() and not any(mark in first for mark in "./\\"):
                raise ParamError(f"unknown command or file {first!r} (commands: {', '.join(COMMANDS)})")
            try:
                load(args.sessions[0])
            except SessionError as e:
                raise ParamError(f"cannot open {args.sessions[0]!r}: {e}") from None
    except ParamError as e:
        raise CliError(str(e)) from None
    return args


def surface_from_args(args: argparse.Namespace, default: str = "saddle"):
    """The surface that ``--surface`` or ``--formula``, and ``--domain``, describe."""
    if args.formula is not None and args.surface:
        raise CliError("use either --surface or --formula, not both")
    x_range, y_range = args.domain if args.domain else (None, None)
    try:
        if args.formula is not None:
            return resolve_surface("formula", args.formula.strip(), x_range, y_range)
        return resolve_surface(args.surface or default, "", x_range, y_range)
    except FormulaError as e:
        raise CliError(f"invalid formula {args.formula!r}: {e}") from None
    except ParamError as e:
        raise CliError(str(e)) from None


def output_path(text: str, suffixes: tuple[str, ...] | None = None):
    """``--output`` as a Path (with one of ``suffixes``, if given) in a folder that exists and can be written."""
    from pathlib import Path

    out = Path(text)
    if suffixes is not None and out.suffix.lower() not in suffixes:
        allowed = ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else suffixes[0]
        raise CliError(f"invalid output {text!r} (allowed: a {allowed} file)")
    try:
        check_writable(out)  # a bad place is said before any work
    except FileProblem as e:
        raise CliError(f"cannot write output file {text!r}: {e.why}") from None
    return out


def scene_from_args(args: argparse.Namespace):
    """The scene and step count that ``run``'s options describe (a session's, or built from the options), each value
    checked with the sentence the command line says."""
    from adamgui.core.scene import PALETTE, RunConfig, Scene

    if args.session is not None:
        return scene_from_session(args)
    try:
        preset = get_preset(args.preset) if args.preset else None
    except ParamError as e:
        raise CliError(str(e)) from None
    surface = surface_from_args(args, preset.surface if preset else "saddle")
    if args.data is not None:
        try:
            surface = model_surface_from_csv(surface.name, args.data)
        except (FileProblem, ParamError) as e:
            raise CliError(f"invalid data file {args.data!r}: {e}") from None
    if args.start is not None:
        start = args.start
    elif preset is not None and preset.surface == surface.name:
        start = preset.start
    else:
        start = surface.start
    specs = args.optimizer or (list(preset.runs) if preset else [RunSpec("gd"), RunSpec("adam")])
    if len(specs) > MAX_RUNS:
        raise CliError(f"too many runs: {len(specs)} --optimizer (at most {MAX_RUNS}, as in a session)")
    steps = args.steps if args.steps is not None else (preset.steps if preset else 50)
    noise = args.noise if args.noise is not None else (preset.noise if preset else 0.0)
    if not (math.isfinite(noise) and 0 <= noise <= MAX_NOISE):
        raise CliError(f"invalid noise {noise} (allowed: 0 to {MAX_NOISE:g})")
    seed = args.seed if args.seed is not None else (preset.seed if preset else 0)  # --seed: parse_seed checked it
    batch = batch_from_args(args, surface, preset)
    x_range, y_range = args.domain if args.domain else (None, None)
    scene = Scene(
        "formula" if args.formula is not None else surface.name,
        (float(start[0]), float(start[1])),
        tuple(RunConfig(spec, PALETTE[i % len(PALETTE)], key=i) for i, spec in enumerate(specs)),
        max(steps, 1),
        noise,
        seed,
        formula=args.formula.strip() if args.formula is not None else "",
        x_range=x_range,
        y_range=y_range,
        batch_size=batch.size,
        batch_seed=batch.seed,
        data=args.data or "",
        batch_ordered=batch.ordered,
        box=args.box,
    )
    try:
        scene.simulation()  # an unknown optimizer, a bad value, a rule the surface cannot serve: said before any work
    except ParamError as e:
        raise CliError(str(e)) from None
    return scene, steps


SCENE_OPTIONS = (
    "preset", "surface", "formula", "domain", "start", "optimizer", "noise", "seed", "batch_size", "batch_seed",
    "batch_order", "data", "box",
)  # fmt: skip


def scene_from_session(args: argparse.Namespace):
    """A saved session replayed as the window would: same runs, keys, noise; to its saved step by default."""
    from adamgui.core.session import SessionError, load

    given = ["--" + name.replace("_", "-") for name in SCENE_OPTIONS if getattr(args, name) is not None]
    if given:
        raise CliError(f"--session describes the whole scene; it cannot be combined with {given[0]}")
    try:
        scene, step, _ = load(args.session)
    except SessionError as e:
        raise CliError(str(e)) from None
    return scene, args.steps if args.steps is not None else step


def progress_printer(command: str):
    """``progress(done, total)`` for a long command: a line on a terminal, updated in place (carriage returns)
    and ended when done; nothing where standard error is a file or a pipe (a log of run-together updates helps
    no one)."""
    terminal = sys.stderr.isatty()

    def progress(done: int, total: int) -> bool:
        if terminal:
            end = "" if done < total else "\n"
            print(f"\r{command}: step {done:,} of {total:,}", end=end, file=sys.stderr, flush=True)
        return True

    return progress


def command_map(args: argparse.Namespace) -> int:
    """``map`` and ``sweep``: compute with progress on stderr, then write the numbers or the picture."""
    from adamgui.core import map_files, maps

    out = output_path(args.output, (".npy", ".csv", ".png"))
    if not (math.isfinite(args.tol) and args.tol > 0):
        raise CliError(f"invalid tol {args.tol} (allowed: a number above 0)")
    surface = surface_from_args(args)

    progress = progress_printer(args.command)

    batch = batch_from_args(args, surface)
    if args.box is not None:
        surface = with_box(surface, args.box)
    spec = args.optimizer if args.schedule is None else dataclasses.replace(args.optimizer, schedule=args.schedule)
    try:
        spec.resolved()
        if args.command == "map":
            result = maps.basin_map(surface, spec, args.resolution, args.steps, args.tol, progress, batch=batch)
            map_files.save_basin(result, out)
        else:
            axes = []
            for name, low, high, n, log in (args.x, args.y):
                axes += [name, maps.log_or_linear(low, high, n, log)]
            start = args.start or surface.start
            result = maps.sweep(
                surface, start, spec, *axes, steps=args.steps, tol=args.tol, progress=progress, batch=batch
            )
            map_files.save_sweep(result, out)
    except (ParamError, FileProblem) as e:
        raise CliError(str(e)) from None
    return 0


def objective_arg(text: str):
    try:
        return parse_objective(text)
    except ParamError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def command_tune(args: argparse.Namespace) -> int:
    """``tune``: every optimizer tuned with the same budget, progress on stderr, the results table on stdout."""
    from adamgui.core import race
    from adamgui.core.scene import PALETTE, RunConfig, default_scene, scene_from_preset

    try:
        preset = get_preset(args.preset) if args.preset else None
        scene = scene_from_preset(preset) if preset else default_scene()
        if args.surface:
            scene = scene.with_surface(args.surface)
        if args.formula:
            scene = scene.with_formula(args.formula)
        if args.domain:
            scene = scene.with_domain(*args.domain)
        if args.start:
            scene = dataclasses.replace(scene, start=args.start)
        if args.optimizer:
            if len(args.optimizer) > MAX_RUNS:
                raise CliError(f"too many optimizers: {len(args.optimizer)} (at most {MAX_RUNS})")
            runs = tuple(RunConfig(spec, PALETTE[i % len(PALETTE)], key=i) for i, spec in enumerate(args.optimizer))
            scene = dataclasses.replace(scene, runs=runs)
        noise = args.noise if args.noise is not None else scene.noise
        if not (math.isfinite(noise) and 0 <= noise <= MAX_NOISE):
            raise CliError(f"invalid noise {noise} (allowed: 0 to {MAX_NOISE:g})")
        scene = dataclasses.replace(scene, noise=noise, seed=args.seed if args.seed is not None else scene.seed)
        scene.surface_obj  # noqa: B018 (a formula or domain that cannot be used is refused here)
    except (FormulaError, ParamError) as e:
        raise CliError(str(e)) from None
    if args.steps is not None:
        steps = args.steps
    else:  # reaching a loss may take longer than a scene shows
        steps = 1000 if args.objective.kind == "steps-to" else (preset.steps if preset else 200)
    if steps < 1:
        raise CliError("invalid step count 0 (a trial needs at least 1 step)")
    settings = race.RaceSettings(args.trials, args.objective, steps, args.seeds, args.second)
    try:
        results = race.race(scene, range(len(scene.runs)), settings, progress_printer("tune"))
    except ParamError as e:
        raise CliError(str(e)) from None
    rows = [row.to_dict() for row in race.table(results)]
    if args.format == "json":
        sys.stdout.write(json.dumps({"fairness": [r["fairness"] for r in rows], "results": rows}, indent=1) + "\n")
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["run", "optimizer", "tuned", "objective", "spread", "steps_to_tol", "trials", "seeds"])
        for r in rows:
            tuned = ";".join(f"{k}={v:.6g}" for k, v in r["tuned"].items())
            writer.writerow([r["run"], r["optimizer"], tuned, r["objective"], r["spread"], r["steps_to_tol"],
                             r["trials"], r["seeds"]])  # fmt: skip
    else:
        for r in rows:
            tuned = ", ".join(f"{k}={v:.4g}" for k, v in r["tuned"].items())
            value = "diverged" if r["objective"] is None else f"{r['objective']:.6g}"
            spread = f" ± {r['spread']:.3g}" if r["seeds"] > 1 and r["spread"] is not None else ""
            reach = f"; loss ≤ {r['tol']:g} at step {r['steps_to_tol']}" if r["steps_to_tol"] is not None else ""
            print(f"{r['run']:>12}: {tuned}; objective {value}{spread}{reach}")
        print(f"Fair: {rows[0]['fairness']} (the same for every optimizer; the space is each one's own)")
    return 0


def command_render(args: argparse.Namespace) -> int:
    """Check every value first (one line and status 2 if bad), then open the window and draw."""
    from adamgui.core.session import SessionError, load

    out = output_path(args.output, (".png", ".gif", ".mp4"))
    try:
        if args.session:
            scene, step, _ = load(args.session)
        elif args.lesson:
            scene = chapter(args.lesson).scene()
            step = scene.step_limit
        else:
            preset = get_preset(args.preset or "seed-notebook")
            from adamgui.core.scene import scene_from_preset

            scene, step = scene_from_preset(preset), preset.steps
    except (SessionError, ParamError) as e:
        raise CliError(str(e)) from None
    steps = args.steps if args.steps is not None else step
    from adamgui.gui.render import render

    return render(scene, steps, out, args.view, args.size, args.fps, with_chapter=bool(args.lesson))


NETWORK_ONLY = ("dataset", "init_seed", "plane_seed", "center")
SURFACE_ONLY = (
    "preset",
    "session",
    "surface",
    "formula",
    "domain",
    "data",
    "start",
    "noise",
    "seed",
    "box",
    "batch_order",
)


def command_train(args: argparse.Namespace) -> int:
    """``run --model``: train the network, then write each run's losses and parameters (or plane coordinates)."""
    from adamgui.core import training_output
    from adamgui.core.slices import make_plane
    from adamgui.core.training import Training, make_task, parse_model

    given = [name for name in SURFACE_ONLY if getattr(args, name) is not None]
    if given:
        option = "--" + given[0].replace("_", "-")
        raise CliError(f"{option} belongs to a loss surface; --model trains a network on --dataset instead")
    try:
        model = parse_model(args.model)
        task = make_task(model, args.dataset or "spirals", args.init_seed or 0, args.batch_size or 0)
        training = Training(task, args.optimizer or [RunSpec("gd"), RunSpec("adam")], seed=args.batch_seed or 0)
        if (args.steps or 50) > MAX_NETWORK_STEPS:
            raise ParamError(f"Invalid steps: {args.steps:,} (a network trains at most {MAX_NETWORK_STEPS:,} here)")
        training.step(args.steps or 50)
        plane = None
        if args.center is not None and args.project == "none":
            raise ParamError("--center places a plane: give --project random or --project pca too")
        if args.project != "none":
            paths = [training.path(k) for k in range(len(training.labels))]
            center = training.center(args.center or "start")
            plane = make_plane(args.project, model, center, paths, args.plane_seed or 0)
    except ParamError as e:
        raise CliError(str(e)) from None

    def write(f) -> None:
        if args.format == "csv":
            training_output.write_csv(training, f, plane)
        else:
            training_output.write_json(training, f, plane, args.plane_seed or 0, args.center or "start")

    write_output(args.output, write)
    return 0


def write_output(output: str | None, write, refuse=None) -> None:
    """``write(f)`` into standard output, or into the file ``output`` all or nothing (it appears when complete; an
    old one stays whole on failure or interruption). ``refuse(result, streamed)``, given what ``write`` returned,
    may say why the output is not whole: streamed, what was written stays and the sentence is said; into a
    file, nothing is written."""
    if not output:
        result = None
        try:
            result = write(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:  # `run ... | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        problem = refuse(result, True) if refuse is not None else None
        if problem:
            raise CliError(problem)
        return
    out = output_path(output)  # a bad place is said before any work the writing does
    try:
        with atomic_output(out) as partial:
            with open(partial, "w", encoding="utf-8", newline="") as f:
                result = write(f)
                problem = refuse(result, False) if refuse is not None else None
                if problem:
                    raise CliError(problem)
                f.flush()
                os.fsync(f.fileno())
    except FileProblem as e:
        raise CliError(f"cannot write output file {output!r}: {e.why}") from None


def command_run(args: argparse.Namespace) -> int:
    """Paths as CSV or JSON, written as each run is computed: on stdout, or into ``--output`` all or
    nothing (the file appears when complete; an old one stays whole on failure or interruption)."""
    if args.model is not None:
        return command_train(args)
    given = [name for name in NETWORK_ONLY if getattr(args, name) is not None] + (
        ["project"] if args.project != "none" else []
    )
    if given:
        raise CliError(f"--{given[0].replace('_', '-')} is for a network: give --model too")
    scene, steps = scene_from_args(args)

    def stopped(failed: list[str], streamed: bool) -> str | None:
        """Runs a plugin's rule stopped: said, and the status says so (streamed, their paths up to there)."""
        if not failed:
            return None
        return "; ".join(failed) + (
            " (its path was written up to there)" if streamed else f"; {args.output} was not written"
        )

    from adamgui.api import write

    write_output(args.output, lambda f: write(scene, steps, args.format, f), stopped)
    return 0


def command_export_notebook(args: argparse.Namespace) -> int:
    """``export-notebook SESSION|LINK -o scene.ipynb``: the notebook, all or nothing."""
    from adamgui.core.links import LinkError, from_link, is_link
    from adamgui.core.notebook import notebook_text
    from adamgui.core.session import SessionError, load

    output_path(args.output, (".ipynb",))  # a bad place is said before any work
    try:
        if is_link(args.source):
            scene, step = from_link(args.source), 0
        else:
            scene, step, _ = load(args.source)
    except LinkError as e:
        raise CliError(f"cannot open the link: {e}") from None
    except SessionError as e:
        raise CliError(f"cannot open {args.source!r}: {e}") from None
    steps = args.steps or step or scene.step_limit
    write_output(args.output, lambda f: f.write(notebook_text(scene, steps)))
    print(f"adamgui: wrote {args.output}: {len(scene.runs)} runs, {steps:,} steps", file=sys.stderr)
    return 0


def list_text() -> str:
    lines = ["Surfaces:"]
    w = max(map(len, SURFACES))  # names in one column, however long the longest
    for s in SURFACES.values():
        (x0, x1), (y0, y1) = s.x_range, s.y_range
        minima = ", ".join(f"({x:g}, {y:g})" for x, y in s.minima) or "none"
        lines.append(f"  {s.name:{w}} f = {s.formula}")
        lines.append(
            f"  {'':{w}} domain x [{x0:g}, {x1:g}], y [{y0:g}, {y1:g}]; start ({s.start[0]:g}, {s.start[1]:g}); "
            f"minima {minima}"
        )
    lines += ["", "Optimizers (hyperparameter = default, valid range: meaning):"]
    w = max(map(len, OPTIMIZERS))
    for opt in OPTIMIZERS.values():
        lines.append(f"  {opt.name:{w}} {opt.title}: {opt.summary}")
        for p in opt.params:
            default = str(p.default).lower() if p.is_bool else f"{p.default:g}"
            lines.append(f"  {'':{w}}   {p.name} = {default}, {p.range_text()}: {p.meaning}")
    lines += ["", "Learning-rate schedules (--schedule NAME:k=v after an --optimizer; k = default, or required):"]
    for name, params in SCHEDULE_PARAMS.items():
        given = ", ".join(f"{k} = {'required' if d is None else f'{d:g}'}" for k, (d, *_rest) in params.items())
        lines.append(f"  {name:14} {given or 'no parameters'}")
    lines += [
        "",
        "Constraints and data order (run, map, sweep):",
        "  --box X0,X1,Y0,Y1       every step projected onto the box (projected methods); online-linear has [-1, 1]²",
        "  --batch-order ordered   a model's rows in their own order every epoch, as an online sequence is fed",
    ]
    lines += ["", "Presets:"]
    w = max(map(len, PRESETS))
    for p in PRESETS.values():
        lines.append(f"  {p.name:{w}} {p.title}: {p.watch}")
    lines += ["", "Lesson chapters (main.py --lesson CHAPTER):"]
    for n, c in enumerate(CHAPTERS, start=1):
        lines.append(f"  {c.key:18} {n}. {c.title}")
    return "\n".join(lines) + "\n"
