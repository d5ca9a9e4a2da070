"""Fast-forward as a person sees it: per view, the frames a second that show a step that view had not
shown, second by second, at each speed of the slider, in two scenes and after long histories.

A view's frame counts when it is presented (the 3D view's buffer swap, the contour view's paint) and
shows a newer step than its last counted frame, once a 60 Hz refresh at most: what a display can show.
The figure for a speed is the worst second of the run (the smallest count), so a slideshow that sets in
after a few seconds, or grows with the history, shows.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace

import numpy as np

REFRESH_S = 1 / 60  # one refresh of a 60 Hz display: at most one new frame counts in it
SPEEDS_MEASURED = (30, 300, 1000, 10_000)  # 10,000 is the slider's top speed
# The targets of issue 28, said beside each figure
TARGET_VIEW_FPS = 30  # each view's worst second, at every speed (at 30 steps/s: every step)
TARGET_US_PER_RUN_STEP = 5.0  # the engine at fast-forward, 20 runs
BEFORE_NOISY_BOWL_STEPS_PER_CPU_S = 1 / 120e-6  # the noisy bowl's engine before (0.12 ms a step, 3 runs)
TARGET_FRAME_COST_RATIO = 1.2  # a frame's cost after 10^6 steps over its cost after 10^3


class ViewCounter:
    """Times at which one view presented a step it had not shown before (once a refresh at most)."""

    def __init__(self, controller):
        self.controller = controller
        self.stamps: list[float] = []
        self._last_step = -1
        self._last_refresh = -1

    def presented(self) -> None:
        now = time.perf_counter()
        step = self.controller.shown_step
        refresh = int(now / REFRESH_S)
        if step != self._last_step and refresh != self._last_refresh:
            self._last_step, self._last_refresh = step, refresh
            self.stamps.append(now)

    def per_second(self, t0: float, seconds: int) -> list[int]:
        """New-step frames in each whole second after ``t0``."""
        counts = [0] * seconds
        for t in self.stamps:
            k = int(t - t0)
            if 0 <= k < seconds:
                counts[k] += 1
        return counts


def attach(window) -> dict[str, ViewCounter]:
    """A counter on each view of the window: the 3D view (where there is OpenGL) and the contour view."""
    from PySide6.QtCore import QEvent, QObject

    counters: dict[str, ViewCounter] = {}
    if window.surface_view.gl is not None:
        counters["surface"] = ViewCounter(window.controller)
        window.surface_view.gl.frameSwapped.connect(counters["surface"].presented)
    counters["contour"] = ViewCounter(window.controller)

    class Paints(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                counters["contour"].presented()
            return False

    window._bench_paints = Paints()  # kept alive with the window
    window.contour_view.viewport().installEventFilter(window._bench_paints)
    return counters


def play_at(window, app, counters: dict[str, ViewCounter], speed: int, seconds: int) -> dict:
    """Play at ``speed`` steps a second (the slider's nearest) for ``seconds`` s: per view the new-step
    frames of each second and the worst second, and the steps a second reached."""
    from adamgui.gui.controller import SPEEDS

    c = window.controller
    window.speed_slider.setValue(SPEEDS.index(speed))
    for counter in counters.values():
        counter.stamps.clear()
    step0 = c.sim.t
    t0 = time.perf_counter()
    c.play()
    while time.perf_counter() - t0 < seconds and c.playing:
        app.processEvents()
        time.sleep(0.0005)  # an idle event loop waits; this one must not spin the processor away from the app
    elapsed = time.perf_counter() - t0
    c.pause()
    result: dict = {"speed": speed, "steps_per_s": (c.sim.t - step0) / elapsed, "history_steps": c.sim.t}
    for name, counter in counters.items():
        per_second = counter.per_second(t0, seconds)
        result[name] = {"per_second": per_second, "min": min(per_second), "median": float(np.median(per_second))}
    return result


def noisy_bowl():
    from adamgui.core.presets import get_preset
    from adamgui.core.scene import scene_from_preset

    return replace(scene_from_preset(get_preset("noisy-bowl")), step_limit=10**7)


def twenty_noisy_runs():
    """Twenty runs of the app's optimizers (in turn) in the noisy bowl: trails that stay on the map and move
    every step, however long it plays."""
    from adamgui.core.optimizers import OPTIMIZERS
    from adamgui.core.scene import PALETTE, RunConfig
    from adamgui.core.simulation import RunSpec

    names = list(OPTIMIZERS)
    runs = tuple(RunConfig(RunSpec(names[i % len(names)]), PALETTE[i % len(PALETTE)], key=i) for i in range(20))
    return replace(noisy_bowl(), runs=runs, title="", watch="")


def bench_speeds(window, app, scenes: dict, seconds: int = 10, speeds=SPEEDS_MEASURED, say=None) -> dict:
    """Every scene of ``scenes`` (name -> scene) at every speed, each from step 0."""
    say = say or (lambda text: None)
    counters = attach(window)
    out: dict = {}
    for name, scene in scenes.items():
        for speed in speeds:
            say(f"{name} at {speed:,} steps/s for {seconds} s")
            window.controller.load_scene(replace(scene, step_limit=10**7))
            out[f"{name}_{speed}"] = play_at(window, app, counters, speed, seconds)
    return out


def bench_history(window, app, scene, histories=(100_000, 1_000_000), seconds: int = 10, say=None) -> dict:
    """The top speed after ``histories`` steps already recorded: a cost that grows with history shows here."""
    from adamgui.gui.controller import SPEEDS

    say = say or (lambda text: None)
    counters = attach(window)
    out: dict = {}
    c = window.controller
    for steps in histories:
        say(f"recording {steps:,} steps, then the top speed for {seconds} s")
        c.load_scene(replace(scene, step_limit=10**7))
        t0 = time.perf_counter()
        c.advance_to(steps)
        recorded = time.perf_counter() - t0
        app.processEvents()
        result = play_at(window, app, counters, SPEEDS[-1], seconds)
        result["record_s"] = recorded
        out[f"history_{steps}"] = result
    return out


def bench_engine_steps(scenes: dict, steps: int = 5000) -> dict:
    """The engine at fast-forward, no window: microseconds per run-step (all runs of a scene stepped ``steps``
    steps in one call, histories kept, as the window steps them) and steps a processor-second; with the
    compiled kernel (loaded first, not timed) and, for comparison, in numpy alone."""
    from adamgui.core import compiled

    out = {}
    had = os.environ.get(compiled.ENGINE_ENV)
    for name, scene in scenes.items():
        for engine in ("compiled", "numpy"):
            os.environ[compiled.ENGINE_ENV] = engine
            if engine == "compiled" and compiled.kernel() is None:
                continue  # numba is missing: numpy alone
            sim = scene.simulation()
            sim.step(10)
            cpu0, t0 = time.process_time(), time.perf_counter()
            sim.step(steps)
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - t0
            out[name if engine == "compiled" else f"{name} in numpy"] = {
                "runs": len(sim.runs),
                "us_per_run_step": wall / steps / len(sim.runs) * 1e6,
                "steps_per_cpu_s": steps / max(cpu, 1e-9),
            }
    if had is None:
        os.environ.pop(compiled.ENGINE_ENV, None)
    else:
        os.environ[compiled.ENGINE_ENV] = had
    return out


def bench_frame_cost(window, app, scene, histories=(1000, 1_000_000), frames: int = 60, steps: int = 160) -> dict:
    """Milliseconds a frame of the top speed costs (``steps`` steps, the frame, both views painted), median of
    ``frames``, after each of ``histories`` steps: a frame's cost should not grow with the history."""
    c = window.controller
    gl = window.surface_view.gl
    out = {}
    for history in histories:
        c.load_scene(replace(scene, step_limit=10**8))
        c.advance_to(history)
        app.processEvents()
        costs = []
        for _ in range(frames):
            t0 = time.perf_counter()
            c.sim.step(steps)
            c.emit_frame()
            window.contour_view.viewport().repaint()
            if gl is not None:
                gl.update()
            app.processEvents()
            costs.append((time.perf_counter() - t0) * 1000)
        out[str(history)] = float(np.median(costs))
    first, last = str(histories[0]), str(histories[-1])
    out["ratio"] = out[last] / out[first]
    return out


def matplotlib_play(scene, frames: int, steps: int = 1) -> dict | None:
    """What a user would otherwise write: ``scene`` in matplotlib (QtAgg; a 3D surface and a filled contour map,
    every run's trail in both), ``steps`` steps and one full redraw a frame, for ``frames`` frames: frames and
    steps a second (None without matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("QtAgg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    surface = scene.surface_obj
    sim = scene.simulation()
    xs, ys, z = surface.grid(80)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    fig = plt.figure(figsize=(16, 9.4), dpi=100)
    ax3 = fig.add_subplot(1, 2, 1, projection="3d")
    ax2 = fig.add_subplot(1, 2, 2)
    ax3.plot_surface(gx, gy, z, cmap="viridis", linewidth=0)
    ax2.contourf(gx, gy, z, levels=20, cmap="viridis")
    lines2 = [ax2.plot([], [], color=r.color)[0] for r in scene.runs]
    lines3 = [ax3.plot([], [], [], color=r.color)[0] for r in scene.runs]
    fig.show()
    plt.pause(0.05)
    t0 = time.perf_counter()
    for _ in range(frames):
        sim.step(steps)
        for run, line2, line3 in zip(sim.runs, lines2, lines3, strict=True):
            path = run.path()
            line2.set_data(path[:, 0], path[:, 1])
            line3.set_data_3d(path[:, 0], path[:, 1], run.losses())
        fig.canvas.draw()
        fig.canvas.flush_events()
    elapsed = time.perf_counter() - t0
    plt.close(fig)
    return {"frames_per_s": frames / elapsed, "steps_per_s": frames * steps / elapsed}


def bench_matplotlib_speeds(frames: int = 60, steps_per_frame=(1, 160)) -> dict:
    """The noisy bowl in matplotlib, at one step a frame and at the top speed's 160 (:func:`matplotlib_play`)."""
    out: dict = {"available": True}
    for k in steps_per_frame:
        played = matplotlib_play(noisy_bowl(), frames, k)
        if played is None:
            return {"available": False}
        out[f"steps_{k}"] = played
    return out


def report(result: dict) -> str:
    lines = []
    for key, r in result.get("speeds", {}).items():
        views = "; ".join(
            f"{view} min {r[view]['min']} median {r[view]['median']:.0f} [{', '.join(map(str, r[view]['per_second']))}]"
            for view in ("surface", "contour")
            if view in r
        )
        target = min(TARGET_VIEW_FPS, r["speed"])
        lines.append(
            f"fast-forward    {key:24} {r['steps_per_s']:9,.0f} steps/s; new-step frames/s (worst second; "
            f"target >= {target}) {views}"
        )
    for name, e in result.get("engine_steps", {}).items():
        before = e["steps_per_cpu_s"] / BEFORE_NOISY_BOWL_STEPS_PER_CPU_S
        lines.append(
            f"engine steps    {name}: {e['us_per_run_step']:.2f} us per run-step ({e['runs']} runs; target <= "
            f"{TARGET_US_PER_RUN_STEP:g} for 20), {e['steps_per_cpu_s']:,.0f} steps a processor-second"
            + (f" ({before:.1f}x the 0.12 ms a step before; target 20x)" if name.startswith("noisy_bowl") else "")
        )
    cost = result.get("frame_cost_ms")
    if cost:
        histories = [k for k in cost if k != "ratio"]
        lines.append(
            "frame cost      top speed, 160 steps + frame + both views: "
            + ", ".join(f"{cost[k]:.1f} ms after {int(k):,} steps" for k in histories)
            + f" (ratio {cost['ratio']:.2f}; target <= {TARGET_FRAME_COST_RATIO})"
        )
    m = result.get("matplotlib_speeds")
    if m and m.get("available"):
        lines.append(
            "matplotlib      the noisy bowl, a redraw a frame: "
            + ", ".join(
                f"{k.split('_')[1]} step(s) a frame {v['frames_per_s']:.1f} frames/s ({v['steps_per_s']:,.0f} steps/s)"
                for k, v in m.items()
                if k.startswith("steps_")
            )
        )
    return "\n".join(lines) + "\n"
