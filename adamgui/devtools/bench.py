"""``python main.py bench``: the app's speed as a user feels it, in numbers.

Figures (see the README for what they were on the reference machine):

- ``startup_ms``: process start to the first painted frame of the main window, median of fresh
  processes; ``startup_3d_ms``, to its 3D view's first frame (the view is made once the window painted);
- ``play``: per scene (2 runs; 3 runs in the Rosenbrock valley; 20 runs of 17 optimizers; 20 Adam runs,
  α from 0.001 to 0.3; 20 runs after 100,000 steps), ``new_step_fps`` (new steps shown, once a 60 Hz
  refresh at most), ``fps`` (the 3D view's frames) and
  frame time (median, p95) while playing as fast as the display allows,
  ``frame_cpu_ms`` (stepping plus updating the views, median and p95), and
  ``repaint_fps``, the same window repainting as fast as it can without stepping;
- ``engine``: point-steps per second of the core, by optimizer and batch size;
- ``memory_mb``: resident memory once 20 runs have recorded 100,000 steps each.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.scene import PALETTE, RunConfig, default_scene
from adamgui.core.simulation import Run, RunSpec
from adamgui.core.surfaces import get_surface

ROOT = Path(__file__).resolve().parents[2]


def _pct(values, q) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


def bench_engine(sizes=(1, 1000, 1_000_000), names=("gd", "adam"), budget_s: float = 1.0) -> dict:
    """Point-steps per second on Rosenbrock, a batch of ``size`` random starts, no history kept: the
    median of five windows of a fifth of ``budget_s`` each (a shared machine's hiccups move a single
    window by 15% or more)."""
    surface = get_surface("rosenbrock")
    out: dict = {}
    for name in names:
        for size in sizes:
            rng = np.random.default_rng(0)
            starts = np.column_stack([rng.uniform(-2, 2, size), rng.uniform(-1, 3, size)])
            run = Run(RunSpec(name, {"lr": 1e-4}), surface, starts, record=False)
            run.step()
            rates = []
            for _ in range(5):
                steps, t0 = 0, time.perf_counter()
                while time.perf_counter() - t0 < budget_s / 5 or steps < 3:
                    run.step()
                    steps += 1
                rates.append(size * steps / (time.perf_counter() - t0))
            out[f"{name}_{size}"] = statistics.median(rates)
    return out


def bench_basin_map(resolution: int = 256, steps: int = 500) -> float:
    """Seconds for a basin map of adam on Rosenbrock (targets: 3 s for 256 x 256 and 500 steps, 5 s for
    512 x 512 and 1,000)."""
    from adamgui.core.maps import basin_map

    t0 = time.perf_counter()
    basin_map(get_surface("rosenbrock"), RunSpec("adam", {"lr": 0.01}), resolution, steps)
    return time.perf_counter() - t0


def bench_responsiveness(app, window, seconds: float, resolution: int) -> dict:
    """Longest gap between 10 ms timer ticks of the window while the Maps dock computes a big map."""
    from PySide6.QtCore import QTimer

    stamps: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: stamps.append(time.perf_counter()))
    timer.start(10)
    window.maps.resolution.setValue(resolution)
    window.maps.basin_steps.setValue(100_000)
    window.maps.compute_basins()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
    window.maps.cancel()
    window.maps.wait()
    timer.stop()
    gaps = np.diff(stamps) * 1000
    return {
        "ticks": len(stamps),
        "gap_ms_median": _pct(gaps, 50),
        "gap_ms_max": float(gaps.max()) if len(gaps) else 0.0,
    }


def bench_tune(trials: int = 64, steps: int = 1000) -> float:
    """Seconds to tune GD, momentum and Adam on the ravine, ``trials`` each of ``steps`` steps (objective: steps
    to loss 1e-8; target 2 s for 64 x 1,000)."""
    from adamgui.core import race
    from adamgui.core.presets import get_preset
    from adamgui.core.scene import scene_from_preset
    from adamgui.core.tuning import Objective

    scene = scene_from_preset(get_preset("ravine"))
    t0 = time.perf_counter()
    race.race(scene, range(len(scene.runs)), race.RaceSettings(trials, Objective("steps-to", 1e-8), steps))
    return time.perf_counter() - t0


def bench_mlp_step(repeats: int = 500) -> float:
    """Milliseconds for one training step of eight runs of a 2-16-16-1 network on 200 spiral points (150 of
    them the training split): every run's loss and gradient, its rule's update and the step recorded, as the
    Network dock steps them (issue 30's small networks; target 1 ms)."""
    from adamgui.core.simulation import spec_from_text
    from adamgui.core.training import Training, make_task, parse_model

    task = make_task(parse_model("mlp:hidden=16,16"), "spirals:size=200")
    rules = ("gd:lr=0.5", "momentum:lr=0.5", "nesterov:lr=0.3", "adagrad:lr=0.1", "rmsprop:lr=0.01")
    rules += ("adam:lr=0.01", "adamw:lr=0.01", "gd:lr=0.1")
    training = Training(task, [spec_from_text(text) for text in rules])
    training.step(5)
    t0 = time.perf_counter()
    training.step(repeats)
    return (time.perf_counter() - t0) / repeats * 1000


def bench_landscape_grid(n: int = 64) -> float:
    """Seconds for the training loss of a 2-16-16-1 network on 200 spiral points over an n x n grid of a random
    filter-normalized plane (issue 30's landscape of a network; target 1 s for 64 x 64)."""
    from adamgui.core.mlp import MLP
    from adamgui.core.slices import loss_grid, random_plane
    from adamgui.core.training import make_task

    task = make_task(MLP((16, 16)), "spirals")
    plane = random_plane(task.model, task.theta0)
    a, b = np.meshgrid(np.linspace(-1, 1, n), np.linspace(-1, 1, n))
    t0 = time.perf_counter()
    loss_grid(task.model, task.train, plane, a, b)
    return time.perf_counter() - t0


def bench_hostile_links() -> dict:
    """Each broken or hostile link of devtools/hostile_links.py refused: the slowest refusal in seconds and the
    largest peak of memory it took in MB, with the link that took them (issue 32: within 1 s and 100 MB)."""
    import tracemalloc

    from adamgui.core.links import LinkError, from_link
    from adamgui.devtools.hostile_links import HOSTILE

    slowest, largest = (0.0, ""), (0.0, "")
    for name, (link, _) in HOSTILE.items():
        tracemalloc.start()
        t0 = time.perf_counter()
        try:
            from_link(link)
        except LinkError:
            pass
        seconds = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        slowest, largest = max(slowest, (seconds, name)), max(largest, (peak, name))
    return {"links": len(HOSTILE), "slowest_s": slowest[0], "slowest": slowest[1], "peak_mb": largest[0],
            "largest": largest[1]}  # fmt: skip


def bench_startup(repeats: int = 5) -> list[tuple[float, float]]:
    """Milliseconds from spawning ``python main.py`` to its first painted frame, and to its 3D view's first
    frame (made once the window has painted), per fresh process.

    Measured as every start after the first one is: with the app's bytecode compiled, which Python
    does itself on the first start (unless PYTHONDONTWRITEBYTECODE is set, as on some build machines;
    compiling from source then adds about 0.1 s to every start)."""
    import compileall

    compileall.compile_dir(str(ROOT / "adamgui"), quiet=1)
    compileall.compile_file(str(ROOT / "main.py"), quiet=1)
    times = []
    from adamgui.devtools.first_paint import FIRST_PAINT_ENV

    env = {**os.environ, FIRST_PAINT_ENV: "1"}
    for _ in range(repeats):
        t0 = time.monotonic()
        proc = subprocess.run(
            [sys.executable, str(ROOT / "main.py")], env=env, capture_output=True, text=True, timeout=120
        )
        stamps = dict(line.split()[:2] for line in proc.stdout.splitlines() if line.startswith("FIRST_"))
        if proc.returncode != 0 or "FIRST_PAINT" not in stamps or "FIRST_3D" not in stamps:
            raise RuntimeError(f"the app did not report its first paint: {proc.stderr.strip()[-300:]}")
        times.append(((float(stamps["FIRST_PAINT"]) - t0) * 1000, (float(stamps["FIRST_3D"]) - t0) * 1000))
    return times


def twenty_runs():
    scene = default_scene()
    names = list(OPTIMIZERS)
    runs = tuple(RunConfig(RunSpec(names[i % len(names)]), PALETTE[i % len(PALETTE)], key=i) for i in range(20))
    return replace(scene, runs=runs, step_limit=10**6, title="", watch="")


def valley_runs():
    """GD, momentum and Adam inching along the Rosenbrock valley: trails that stay on the map and grow
    every frame (the notebook's runs leave the map by step 11, and a trail off the map is not redrawn)."""
    from adamgui.core.presets import get_preset
    from adamgui.core.scene import scene_from_preset

    return replace(scene_from_preset(get_preset("rosenbrock-valley")), step_limit=10**6)


def twenty_adam_runs():
    """Twenty runs of one optimizer, α from 0.001 to 0.3: a learning-rate comparison, stepped as one batch."""
    scene = default_scene()
    rates = np.geomspace(1e-3, 0.3, 20)
    runs = tuple(
        RunConfig(RunSpec("adam", {"lr": float(lr)}), PALETTE[i % len(PALETTE)], key=i) for i, lr in enumerate(rates)
    )
    return replace(scene, runs=runs, step_limit=10**6, title="", watch="")


REFRESH_S = 1 / 60  # a 60 Hz display's refresh: the most frames a person can see in a second is 60


class _FrameCounter:
    """Timestamps of frames presented: the GL view's buffer swaps (or, without OpenGL, the contour view's
    paints), and which presentations showed a step not shown before, by any view: the 3D view, or the
    window's widgets flushing their repaint (the contour view, the step label, the table). A trail that
    only moved outside the domain redraws no view, but the step label still shows the new step. A
    display shows one frame a refresh, the newest: new steps shown within one refresh count once."""

    def __init__(self, window):
        from PySide6.QtCore import QEvent, QObject

        self.stamps: list[float] = []  # every frame of the counted view
        self.new_stamps: list[float] = []  # frames that show a step not shown before: what a person sees move
        self._last_step = self._last_refresh = -1
        controller = window.controller

        def shown() -> None:
            now = time.perf_counter()
            refresh = int(now / REFRESH_S)  # the display's refresh this falls in
            if controller.sim.t != self._last_step and refresh != self._last_refresh:
                self._last_step, self._last_refresh = controller.sim.t, refresh
                self.new_stamps.append(now)

        def presented() -> None:
            self.stamps.append(time.perf_counter())
            shown()

        class Filter(QObject):
            def __init__(self, kind, then):
                super().__init__()
                self.kind, self.then = kind, then

            def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
                if event.type() == self.kind:
                    self.then()
                return False

        self._flushes = Filter(QEvent.Type.UpdateRequest, shown)  # the window paints its dirty widgets
        window.installEventFilter(self._flushes)
        gl = window.surface_view.gl
        if gl is not None:
            gl.frameSwapped.connect(presented)
            self.source = "3D view buffer swaps"
        else:
            self._filter = Filter(QEvent.Type.Paint, presented)
            window.contour_view.viewport().installEventFilter(self._filter)
            self.source = "contour view paints"
        self.source += " (new steps: shown by any view or the window, once a 60 Hz refresh)"

    def rate(self, since: float, new_only: bool = False) -> tuple[float, list[float]]:
        stamps = [t for t in (self.new_stamps if new_only else self.stamps) if t >= since]
        if len(stamps) < 2:
            return float("nan"), []
        gaps = list(np.diff(stamps) * 1000)
        if new_only:  # refreshes that showed a new step, over the refreshes between the first and the last
            refreshes = int(stamps[-1] / REFRESH_S) - int(stamps[0] / REFRESH_S)
            return (len(stamps) - 1) / (refreshes * REFRESH_S), gaps
        return (len(stamps) - 1) / (stamps[-1] - stamps[0]), gaps


def _drive(app, frames: int, tick) -> list[float]:
    """Call ``tick`` from a zero-interval timer ``frames`` times; the milliseconds each call took."""
    from PySide6.QtCore import QEventLoop, QTimer

    cpu: list[float] = []
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(0)

    def on_timeout():
        t0 = time.perf_counter()
        tick()
        cpu.append((time.perf_counter() - t0) * 1000)
        if len(cpu) >= frames:
            timer.stop()
            loop.quit()

    timer.timeout.connect(on_timeout)
    timer.start()
    loop.exec()
    app.processEvents()
    return cpu


def _play(app, controller, frames: int) -> list[float]:
    """Press play at full speed for ``frames`` ticks of the controller's own timer; each tick's milliseconds."""
    from PySide6.QtCore import QEventLoop

    cpu: list[float] = []
    loop = QEventLoop()
    timer = controller._timer

    def timed_tick():
        t0 = time.perf_counter()
        controller._on_tick()
        cpu.append((time.perf_counter() - t0) * 1000)
        if len(cpu) >= frames or not controller.playing:
            controller.pause()
            loop.quit()

    timer.timeout.disconnect()
    timer.timeout.connect(timed_tick)
    controller.set_speed(0)
    controller.play()
    loop.exec()
    timer.timeout.disconnect()
    timer.timeout.connect(controller._on_tick)
    app.processEvents()
    return cpu


def bench_play(window, app, frames: int) -> dict:
    """Play as fast as the display allows for ``frames`` ticks; then repaint as fast without stepping."""
    c = window.controller
    counter = window._bench_counter
    t0 = time.perf_counter()
    cpu = _play(app, c, frames)
    fps, _ = counter.rate(t0)
    new_fps, gaps = counter.rate(t0, new_only=True)

    def repaint():
        if window.surface_view.gl is not None:
            window.surface_view.gl.update()
        window.contour_view.viewport().update()

    t1 = time.perf_counter()
    _drive(app, frames, repaint)
    repaint_fps, _ = counter.rate(t1)
    return {
        "runs": len(c.sim.runs),
        "history_steps": c.sim.t,
        "new_step_fps": new_fps,
        "fps": fps,
        "frame_ms_median": _pct(gaps, 50),
        "frame_ms_p95": _pct(gaps, 95),
        "frame_cpu_ms_median": _pct(cpu, 50),
        "frame_cpu_ms_p95": _pct(cpu, 95),
        "repaint_fps": repaint_fps,
        "fps_ratio": new_fps / repaint_fps if repaint_fps else float("nan"),
    }


def bench_top_speed(window, app, seconds: float) -> dict:
    """Steps per second the window advances at the slider's top speed (fast-forward), 2 runs."""
    from adamgui.gui.controller import SPEEDS

    c = window.controller
    c.load_scene(replace(default_scene(), step_limit=10**6))
    window.speed_slider.setValue(len(SPEEDS) - 1)
    counter = window._bench_counter
    t0, step0 = time.perf_counter(), c.sim.t
    c.play()
    while time.perf_counter() - t0 < seconds and c.playing:
        app.processEvents()
    c.pause()
    elapsed = time.perf_counter() - t0
    new_fps, _ = counter.rate(t0, new_only=True)
    return {"speed": SPEEDS[-1], "steps_per_s": (c.sim.t - step0) / elapsed, "new_step_fps": new_fps}


def bench_matplotlib(frames: int) -> dict:
    """What a user would otherwise write: the same scene in matplotlib (QtAgg), one full redraw per step."""
    from adamgui.devtools.bench_speeds import matplotlib_play

    played = matplotlib_play(default_scene(), frames)
    if played is None:
        return {"available": False}
    return {"available": True, "new_step_fps": played["frames_per_s"]}


def resident_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bench_network_frames(window, app, histories=(100, 10_000), frames: int = 30) -> dict:
    """The Network dock's frame (a tick of its training, its four pictures painted), median milliseconds after a
    short and a long training (issue 30; a cost that grew with the steps trained shows only after many)."""
    dock = window.network
    dock.show()
    window.give_room(dock)
    dock.reset(announce=False)
    out = {}
    for history in histories:
        dock.training.step(history - dock.training.t)
        dock._draw()
        while dock.thread is not None:  # (the slice's grid, off the GUI thread)
            app.processEvents()
            time.sleep(0.01)
        app.processEvents()
        took = []
        for _ in range(frames):
            t0 = time.perf_counter()
            dock._tick()
            for view in (dock.slice_view, dock.distance_view, dock.loss_view, dock.boundary_view):
                view.viewport().repaint()  # (painted now, not when the event loop gets to it)
            took.append((time.perf_counter() - t0) * 1000)
        out[str(history)] = statistics.median(took)
    dock.pause()
    dock.hide()
    return out


def _open_window(scene):
    """The real main window on ``scene``, shown, with a frame counter attached."""
    from adamgui.gui.app.qapplication import application

    app = application()
    from adamgui.gui.main_window import MainWindow

    window = MainWindow(scene)
    window.show()
    window.resize(1600, 940)  # the reference size the README's figures are for
    window._bench_counter = _FrameCounter(window)
    for _ in range(20):
        app.processEvents()
    return app, window


def run_bench(quick: bool = False, progress=None, compare_matplotlib: bool = False) -> dict:
    """Every figure; ``quick`` uses tiny sizes (a smoke test, not a measurement)."""
    say = progress or (lambda text: None)
    frames = 12 if quick else 300
    long_steps = 300 if quick else 100_000
    say("engine")
    result: dict = {"quick": quick}
    result["engine"] = bench_engine((1, 100) if quick else (1, 1000, 1_000_000), budget_s=0.05 if quick else 1.0)
    say("basin map")
    result["basin_map_256_adam_500_s"] = bench_basin_map(32 if quick else 256, 20 if quick else 500)
    result["basin_map_512_adam_1000_s"] = bench_basin_map(32 if quick else 512, 20 if quick else 1000)
    say("tuning")
    result["tune_ravine_s"] = bench_tune(16 if quick else 64, 100 if quick else 1000)
    result["mlp_step_ms"] = bench_mlp_step(20 if quick else 500)
    result["landscape_grid_64_s"] = bench_landscape_grid(8 if quick else 64)
    result["hostile_links"] = bench_hostile_links()
    say("startup")
    startup = bench_startup(1 if quick else 5)
    result["startup_ms"] = {"median": statistics.median(t for t, _ in startup), "all": [t for t, _ in startup]}
    result["startup_3d_ms"] = {"median": statistics.median(t for _, t in startup), "all": [t for _, t in startup]}

    app, window = _open_window(replace(default_scene(), step_limit=10**6))
    result["display"] = {
        "platform": app.platformName(),
        "opengl": window.surface_view.gl is not None,
        "frames_counted": window._bench_counter.source,
        "window": [window.width(), window.height()],
    }
    say("playing 2 runs")
    result["play_2_runs"] = bench_play(window, app, frames)
    window.controller.load_scene(valley_runs())
    say("playing 3 runs in the Rosenbrock valley")
    result["play_3_valley_runs"] = bench_play(window, app, frames)
    window.controller.load_scene(twenty_runs())
    say("playing 20 runs")
    result["play_20_runs"] = bench_play(window, app, frames)
    window.controller.load_scene(twenty_adam_runs())
    say("playing 20 runs of Adam")
    result["play_20_adam_runs"] = bench_play(window, app, frames)
    window.controller.load_scene(twenty_runs())
    say(f"recording {long_steps:,} steps of 20 runs")
    window.controller.sim.step(long_steps - window.controller.sim.t)
    window.controller.emit_frame()
    result["memory_mb"] = resident_mb()
    say("playing 20 runs with long trails")
    result["play_20_runs_long"] = bench_play(window, app, frames)
    say("top speed (fast-forward)")
    result["top_speed"] = bench_top_speed(window, app, 0.3 if quick else 3.0)
    say("the Network dock's frame after a short and a long training")
    result["network_frame_ms"] = bench_network_frames(window, app, (20, 200) if quick else (100, 10_000))
    if compare_matplotlib:
        say("the same scene in matplotlib")
        result["matplotlib"] = bench_matplotlib(10 if quick else 100)
        if result["matplotlib"].get("available"):
            result["matplotlib"]["ratio"] = result["play_2_runs"]["new_step_fps"] / result["matplotlib"]["new_step_fps"]
    from adamgui.devtools import bench_speeds

    fast = {"noisy_bowl": bench_speeds.noisy_bowl(), "20_noisy_runs": bench_speeds.twenty_noisy_runs()}
    say("the engine at fast-forward")
    result["engine_steps"] = bench_speeds.bench_engine_steps(fast, 200 if quick else 5000)
    result["speeds"] = bench_speeds.bench_speeds(
        window,
        app,
        fast,
        seconds=1 if quick else 10,
        speeds=(300, 10_000) if quick else bench_speeds.SPEEDS_MEASURED,
        say=say,
    )
    result["speeds"].update(
        bench_speeds.bench_history(
            window, app, fast["noisy_bowl"], (1000, 2000) if quick else (100_000, 1_000_000), 1 if quick else 10, say
        )
    )
    say("a frame's cost after a short and a long history")
    result["frame_cost_ms"] = bench_speeds.bench_frame_cost(
        window, app, fast["noisy_bowl"], (1000, 5000) if quick else (1000, 1_000_000), 5 if quick else 60
    )
    if compare_matplotlib:
        say("the noisy bowl in matplotlib")
        result["matplotlib_speeds"] = bench_speeds.bench_matplotlib_speeds(3 if quick else 60)
    say("window while a map computes")
    result["responsiveness_during_map"] = bench_responsiveness(
        app, window, 0.3 if quick else 3.0, 128 if quick else 512
    )
    window.force_close()  # a measurement, not a document: close without asking
    return result


def report(result: dict) -> str:
    e = result["engine"]
    lines = [
        f"startup_ms      median {result['startup_ms']['median']:.0f} "
        f"(runs: {', '.join(f'{t:.0f}' for t in result['startup_ms']['all'])}; target <= 1000); the 3D view's "
        f"first frame, made once the window has painted: median {result['startup_3d_ms']['median']:.0f} "
        f"(runs: {', '.join(f'{t:.0f}' for t in result['startup_3d_ms']['all'])})",
        f"display         {result['display']['platform']}, OpenGL {'yes' if result['display']['opengl'] else 'no'}, "
        f"frames counted from {result['display']['frames_counted']}, window {result['display']['window']}",
    ]
    for key, title in (
        ("play_2_runs", "2 runs"),
        ("play_3_valley_runs", "3 valley runs"),
        ("play_20_runs", "20 runs"),
        ("play_20_adam_runs", "20 Adam runs"),
        ("play_20_runs_long", "20 runs long"),
    ):
        p = result[key]
        lines.append(
            f"{title:15} new-step frames/s {p['new_step_fps']:.1f} (all frames {p['fps']:.1f}; repaint-only "
            f"{p['repaint_fps']:.1f}, ratio {p['fps_ratio']:.2f}); "
            f"frame ms median {p['frame_ms_median']:.1f} p95 {p['frame_ms_p95']:.1f}; "
            f"frame_cpu_ms median {p['frame_cpu_ms_median']:.2f} p95 {p['frame_cpu_ms_p95']:.2f} "
            f"(history {p['history_steps']:,} steps)"
        )
    n = result["network_frame_ms"]
    (short, a), (long, b) = n.items()
    lines.append(
        f"network frame   the Network dock's tick and four pictures: {a:.1f} ms after {int(short):,} steps, {b:.1f} ms "
        f"after {int(long):,} ({b / a:.2f}x; target: flat)"
    )
    t = result["top_speed"]
    lines.append(
        f"top speed       {t['steps_per_s']:,.0f} steps/s at the slider's {t['speed']:,} "
        f"({t['new_step_fps']:.1f} new-step frames/s)"
    )
    m = result.get("matplotlib")
    if m and m.get("available"):
        lines.append(
            f"matplotlib      the same scene, one redraw per step: {m['new_step_fps']:.1f} frames/s; "
            f"AdamGUI shows {m['ratio']:.1f}x as many new steps a second"
        )
    for key, value in e.items():
        name, size = key.split("_")
        lines.append(f"engine          {name:5} batch {int(size):>9,}: {value / 1e6:8.2f} M point-steps/s")
    seconds = result["basin_map_256_adam_500_s"]
    lines.append(f"basin map       256 x 256, adam, 500 steps on Rosenbrock: {seconds:.2f} s")
    seconds = result["basin_map_512_adam_1000_s"]
    lines.append(f"basin map       512 x 512, adam, 1,000 steps on Rosenbrock: {seconds:.2f} s")
    lines.append(
        f"tuning          gd, momentum and adam on the ravine, 64 trials x 1,000 steps each: "
        f"{result['tune_ravine_s']:.2f} s (target <= 2 s)"
    )
    lines.append(
        f"small network   eight runs of a 2-16-16-1 network, 200 points: {result['mlp_step_ms']:.2f} ms a training "
        "step (target <= 1 ms)"
    )
    lines.append(
        f"network slice   loss of a 2-16-16-1 network over a 64 x 64 grid of a random plane: "
        f"{result['landscape_grid_64_s']:.2f} s (target <= 1 s)"
    )
    h = result["hostile_links"]
    lines.append(
        f"hostile links   {h['links']} broken or hostile links refused: slowest {h['slowest_s'] * 1000:.0f} ms "
        f"({h['slowest']}), largest peak {h['peak_mb']:.1f} MB ({h['largest']}) (target <= 1 s, <= 100 MB)"
    )
    r = result["responsiveness_during_map"]
    lines.append(
        f"responsiveness  10 ms ticks while the Maps dock computes: gap median {r['gap_ms_median']:.1f} ms, "
        f"longest {r['gap_ms_max']:.1f} ms"
    )
    lines.append(
        f"memory_mb       {result['memory_mb']:.0f} (20 runs x {result['play_20_runs_long']['history_steps']:,} steps)"
    )
    from adamgui.devtools import bench_speeds

    return "\n".join(lines) + "\n" + bench_speeds.report(result)


def main(as_json: bool, quick: bool, compare_matplotlib: bool = False) -> int:
    result = run_bench(quick, lambda text: print(f"bench: {text}...", file=sys.stderr, flush=True), compare_matplotlib)
    sys.stdout.write(json.dumps(result, indent=1) + "\n" if as_json else report(result))
    return 0
