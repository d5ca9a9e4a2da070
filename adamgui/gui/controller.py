"""The controller owns time (a QTimer) and the simulation, and emits one Frame per tick."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from adamgui.core import compiled
from adamgui.core.engine_spec import RUNNING
from adamgui.core.expression import FormulaError
from adamgui.core.files import FileProblem
from adamgui.core.follow import follow_scale, scaled
from adamgui.core.geometry import DRAWN, Drawn, TrailClipper
from adamgui.core.pace import Pace
from adamgui.core.params import ParamError
from adamgui.core.scene import Scene, replace_run
from adamgui.core.schedules import parse_schedule
from adamgui.core.simulation import Run, RunSpec, Simulation
from adamgui.core.step_detail import StepDetail, inspect_step
from adamgui.core.surface_rates import with_sensible_rates
from adamgui.gui.frame import Frame, RunFrame, ViewSettings

# Steps per second on the speed slider. Up to 60 a frame shows each step; past it (fast-forward)
# a frame shows several steps, and trails, plots and the table still hold every one.
SPEEDS = (1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 1000, 3000, 10_000)
FRAME_MS = 16  # one frame of fast-forward (about 60 a second; the display shows no more)
SLOW_STEP_S = 0.2  # a tick's steps took longer (a plugin's rule): input is handled before the next such tick
WARM_ENGINE_AT = 300  # steps a second from which the compiled engine is loaded (core/compiled.py)
DEFAULT_SPEED = 10


class Controller(QObject):
    """Play/pause/step/reset and every change to the scene go through here.

    ``scene_changed`` is emitted when the surface or the set of runs changed (views
    rebuild their items), ``frame_ready`` after every change of step or state.
    """

    frame_ready = Signal(object)
    scene_changed = Signal(object)
    playing_changed = Signal(bool)
    message = Signal(str)
    scene_refused = Signal(str)  # a formula or domain that was refused; the scene is unchanged
    scene_edited = Signal(object)  # any change to the scene at all (a document's modified mark follows it)
    view_domain_changed = Signal(object)  # the surface the views draw widened or narrowed (Follow the runs)
    speed_reached = Signal(object)  # fast-forward's steps a second over the last second (None: not measured)

    def __init__(self, scene: Scene, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_tick)
        self.speed = DEFAULT_SPEED
        self.clock = time.perf_counter  # fast-forward's clock (tests give one they move)
        self.pace: Pace | None = None  # how many steps a frame of fast-forward takes
        self._said_reached = 0.0  # when the speed reached was last said
        self._scene = scene
        self.view_step: int | None = None  # a past step being looked at, or None for the newest
        self._details: dict = {}
        self.view = ViewSettings()  # how the views show the scene: carried on every frame
        self._in_tick = False
        self._slow_step = False  # the last tick's steps took more than SLOW_STEP_S
        self._new_simulation()

    @property
    def scene(self) -> Scene:
        return self._scene

    @scene.setter
    def scene(self, scene: Scene) -> None:
        changed = scene != self._scene
        self._scene = scene
        if changed:
            self.scene_edited.emit(scene)

    def _new_simulation(self, sim: Simulation | None = None) -> None:
        self.sim = self.scene.simulation() if sim is None else sim
        self._clipper: TrailClipper | None = None  # the shown trails cut to the drawn domain, kept between frames
        self._statuses: dict = {}  # run serial -> (what its status text depends on, status name, status text)
        self._lr_logs: dict = {}  # run serial -> (its last hp_log entry, its α log)
        self.view_surface = self.sim.surface  # what the views draw: the scene's domain, or wider when following
        self._view_scale = 1.0
        self.view_step = None
        self._details = {}

    # --- time -------------------------------------------------------------
    @property
    def step(self) -> int:
        return self.sim.t

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def shown_step(self) -> int:
        return self.sim.t if self.view_step is None else self.view_step

    def scrub(self, step: int) -> None:
        """Show a past step in every view; playing or stepping goes on from the newest."""
        self.pause()
        step = max(0, min(int(step), self.sim.t))
        self.view_step = None if step == self.sim.t else step
        self.emit_frame()

    def play(self) -> None:
        if self.playing:
            return
        if self.view_step is not None:  # leave the past: show the newest step at once
            self.view_step = None
            self.emit_frame()
        if self.sim.t >= self.scene.step_limit:
            self.message.emit(f"The step limit ({self.scene.step_limit}) is reached: raise it, or reset.")
            self.playing_changed.emit(False)
            return
        self._new_pace()
        self._timer.start(self._interval())
        self.playing_changed.emit(True)

    def pause(self) -> None:
        was_playing = self.playing
        if was_playing:
            self._timer.stop()
        self.playing_changed.emit(False)
        if was_playing:
            self.emit_frame()  # views that skipped frames while playing catch up

    def set_playing(self, playing: bool) -> None:
        self.play() if playing else self.pause()

    def step_once(self) -> None:
        """Advance exactly one step (pausing first), unless at the step limit."""
        self.pause()
        self.view_step = None
        if self.sim.t >= self.scene.step_limit:
            self.message.emit(f"The step limit ({self.scene.step_limit}) is reached: raise it, or reset.")
            self.emit_frame()
            return
        self.sim.step()
        self.emit_frame()

    def step_back(self) -> None:
        """Show the step before the shown one (pausing first); nothing is recomputed."""
        self.scrub(self.shown_step - 1)

    def step_forward(self) -> None:
        """Through the past one step at a time; at the newest step, compute a new one."""
        if self.view_step is None:
            self.step_once()
        else:
            self.scrub(self.view_step + 1)

    def go_first(self) -> None:
        self.scrub(0)

    def go_newest(self) -> None:
        self.scrub(self.sim.t)

    def reset(self) -> None:
        """Back to step 0 with the current scene (hyperparameters as edited)."""
        self.pause()
        self._new_simulation()
        self.emit_frame()

    def advance_to(self, step: int, keep_going: Callable[[int, int], bool] | None = None) -> bool:
        """Step every run until ``step``, asking ``keep_going(done, total)`` by the clock (False: stop there)."""
        self.pause()
        self.view_step = None
        done = self.sim.advance(min(step, self.scene.step_limit), keep_going)
        self.emit_frame()
        return done

    def set_speed(self, steps_per_second: int) -> None:
        """Steps per second; 0 is one step per frame, as fast as the display allows (the benchmark's)."""
        self.speed = steps_per_second
        if steps_per_second == 0 or steps_per_second >= WARM_ENGINE_AT:
            compiled.warm_up()  # fast-forward: the compiled engine loads on a thread; numpy steps meanwhile
        self._new_pace()
        if self.playing:
            self._timer.setInterval(self._interval())

    def _interval(self) -> int:
        if self.speed == 0:
            return 0
        return FRAME_MS if self.speed > 1000 / FRAME_MS else round(1000 / self.speed)

    def _new_pace(self) -> None:
        """Fast-forward (past a step a frame) starts measuring afresh; slower speeds take one step a tick."""
        fast = self.speed > 1000 / FRAME_MS
        self.pace = Pace(self.speed, self.clock) if fast else None
        self.speed_reached.emit(None)

    def _on_tick(self) -> None:
        if self._in_tick:  # (the events handled below may let the timer fire inside this very tick)
            return
        if self._slow_step:  # the last step took long (a plugin's rule): Pause, Close or Ctrl+C pressed meanwhile
            self._in_tick = True  # are honoured before another such step starts
            try:
                QApplication.processEvents()
            finally:
                self._in_tick = False
            if not self.playing:
                return
        pace = self.pace
        if pace is not None:
            pace.runs = len(self.sim.runs)
        due = 1 if pace is None else pace.due()
        n = min(due, self.scene.step_limit - self.sim.t)
        plugin = any(run.plugin_rule for run in self.sim.runs)
        if plugin:  # a third party's rule may take long: the busy cursor says so while it does
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        began = time.perf_counter()
        try:
            self.sim.step(n)
        finally:
            if plugin:
                QApplication.restoreOverrideCursor()
        self._slow_step = time.perf_counter() - began > SLOW_STEP_S
        if pace is not None:
            pace.stepped(n)
            now = self.clock()
            if now - self._said_reached >= 0.5:
                self._said_reached = now
                self.speed_reached.emit(pace.reached())
        if self.sim.t >= self.scene.step_limit or not self._any_running():
            self.pause()  # emits the final frame
        else:
            self.emit_frame()

    def _any_running(self) -> bool:
        return any((run.status == RUNNING).any() for run in self.sim.runs)

    # --- the scene --------------------------------------------------------
    def load_scene(self, scene: Scene, sim: Simulation | None = None) -> None:
        """Replace the whole scene (a preset, a file) and restart from step 0, or from ``sim``: the
        scene's simulation already stepped (a session replayed to where it was saved)."""
        self.pause()
        self.scene = scene
        self._new_simulation(sim)
        self.scene_changed.emit(scene)
        self.emit_frame()

    def set_surface(self, name: str) -> None:
        """The surface the user picked, from its start, each run's α one that suits it (core/surface_rates.py)."""
        self.load_scene(with_sensible_rates(self.scene.with_surface(name)))

    def set_formula(self, text: str) -> None:
        """Compile ``text`` and restart on it; if it is refused (or a run cannot work on it), say why and change
        nothing."""
        try:
            scene = self.scene.with_formula(text)
            sim = scene.simulation()
        except (FormulaError, ParamError) as e:
            self.scene_refused.emit(f"Formula not used: {e}")
            return
        self.load_scene(scene, sim)

    def set_domain(self, x0: float, x1: float, y0: float, y1: float) -> None:
        """Plot the surface over a new domain (restarting the runs), or say why not."""
        try:
            scene = self.scene.with_domain((x0, x1), (y0, y1))
        except (FormulaError, ParamError) as e:
            self.scene_refused.emit(f"Domain not used: {e}")
            return
        self.load_scene(scene)

    def set_start(self, x: float, y: float) -> None:
        """A new start point (panel or click): every run restarts from there."""
        self.load_scene(replace(self.scene, start=(float(x), float(y))))

    def set_noise(self, sigma: float, seed: int) -> None:
        """Gaussian noise of std. dev. ``sigma`` on every gradient, drawn from ``seed``; restarts the runs."""
        self.load_scene(replace(self.scene, noise=float(sigma), seed=int(seed)))

    def set_data(self, path: str) -> None:
        """A model's loss on the user's CSV ``path`` ('' for the bundled data); the runs restart from the
        start that fits it. A file that cannot be used is said, and nothing changes."""
        try:
            scene = self.scene.with_data(path)
        except (FileProblem, ParamError) as e:
            self.scene_refused.emit(f"Data not used: {e}")
            return
        self.load_scene(scene)

    def set_batch(self, size: int, seed: int, ordered: bool | None = None) -> None:
        """Minibatches of ``size`` rows (0: the full batch) drawn from ``seed``, or taken in order (``ordered``;
        None: as they were); the runs restart."""
        ordered = self.scene.batch_ordered if ordered is None else bool(ordered)
        if (size, seed, ordered) != (self.scene.batch_size, self.scene.batch_seed, self.scene.batch_ordered):
            self.load_scene(replace(self.scene, batch_size=int(size), batch_seed=int(seed), batch_ordered=ordered))

    def set_step_limit(self, limit: int) -> None:
        self.scene = replace(self.scene, step_limit=int(limit))
        if self.sim.t >= limit:
            self.pause()
        self.emit_frame()

    def set_run_params(self, index: int, params: dict) -> None:
        """New hyperparameters for one run, used from its next step on: the scene first, then the runs."""
        try:
            scene = self.scene.with_run_params(index, params)
        except ParamError as e:
            self.message.emit(str(e))
            return
        self.scene = scene
        self.sim.set_params(index, scene.runs[index].spec.params)

    def replay_with_params(self, key: int, params: dict) -> None:
        """Run ``key`` with these hyperparameters, the scene replayed from step 0 (a sweep cell's values)."""
        try:
            scene = self.scene.with_run_params(self.scene.index_of(key), params)
        except ParamError as e:
            self.message.emit(f"Not applied: {e}")
            return
        self.load_scene(scene)

    def set_run_schedule(self, index: int, text: str) -> str | None:
        """A learning-rate schedule for one run ('cosine:T_max=100'; '' or 'constant' for none): the
        runs restart from step 0 with it. A bad one changes nothing: the sentence saying why is returned
        (None when it was taken)."""
        try:
            schedule = parse_schedule(text.strip() or "constant")
        except ParamError as e:
            self.message.emit(f"Schedule not used: {e}")
            return str(e)
        spec = self.scene.runs[index].spec
        schedule = None if schedule.name == "constant" else schedule
        if schedule != spec.schedule:
            self.load_scene(replace_run(self.scene, index, spec=replace(spec, schedule=schedule)))
        return None

    def set_run_visible(self, index: int, visible: bool) -> None:
        self.scene = replace_run(self.scene, index, visible=visible)
        self.emit_frame()

    def add_run(self, optimizer: str) -> None:
        """A new run of ``optimizer`` with its defaults, caught up to the current step."""
        try:
            scene = self.scene.with_run(RunSpec(optimizer))
        except ParamError as e:
            self.message.emit(f"No run added: {e}")
            return
        config = scene.runs[-1]
        try:
            self.sim.add_run(config.spec, config.key)
        except ParamError as e:  # a rule the surface cannot serve (Newton, a formula too large to differentiate twice)
            self.message.emit(f"No run added: {e}")
            return
        self._details = {}
        self.scene = scene
        self.scene_changed.emit(scene)
        self.emit_frame()

    def remove_run(self, index: int) -> None:
        try:
            scene = self.scene.without_run(index)
        except ParamError as e:
            self.message.emit(f"Not removed: {e}")
            return
        self.sim.remove_run(index)
        self._details = {}
        self.scene = scene
        self.scene_changed.emit(scene)
        self.emit_frame()

    def replay(self, steps: int) -> Iterator[int]:
        """Show the scene at steps 0, 1, ... ``steps`` from a fresh start, yielding after each frame.

        For exports: whatever the caller does with each frame, the scene and step the window had
        are back when the loop ends, is left early or raises.
        """
        scene, sim, view_step = self.scene, self.sim, self.view_step
        self.load_scene(scene)
        try:
            for k in range(steps + 1):
                if k:
                    self.sim.step()
                    self.emit_frame()
                yield k
        finally:
            self.load_scene(scene, sim)  # the very simulation it had: nothing is recomputed
            self.view_step = view_step
            self.emit_frame()

    # --- frames -----------------------------------------------------------
    def set_view(self, **changes) -> None:
        """Change how the views show the scene (fields of ViewSettings); the next frame carries it."""
        view = replace(self.view, **changes)
        if view != self.view:
            self.view = view
            self.emit_frame()

    @property
    def follow(self) -> bool:
        return self.view.follow

    def frame(self) -> Frame:
        """The snapshot at the shown step: paths up to it, each shown trail clipped to the drawn domain
        (once, for every view), and the detail of the last move of the focused run(s)."""
        shown = self.shown_step
        paths, ends, lasts = [], [], []
        for run in self.sim.runs:
            lasts.append(run.end_step())
            ends.append(min(lasts[-1], shown))
            path = run.history.positions[: ends[-1] + 1, 0]
            path.flags.writeable = False
            paths.append(path)
        drawn = self._clip(paths)
        runs = []
        for i, (run, config) in enumerate(zip(self.sim.runs, self.scene.runs, strict=True)):
            path, end = paths[i], ends[i]
            loss = float(run.loss[0]) if end == lasts[i] else float(self.sim.surface.value(path[-1:])[0])
            wanted = self.view.arrows_for_all or config.key == self.view.inspected
            name, text = self._status(run, shown)
            runs.append(
                RunFrame(
                    i,
                    run.serial,
                    config.key,
                    run.label,
                    run.optimizer.name,
                    config.color,
                    config.visible,
                    path,
                    loss,
                    name,
                    text,
                    self._detail(run, end) if wanted else None,
                    run.schedule,
                    self._lr_log(run),
                    drawn.get(i),
                )
            )
        return Frame(
            shown,
            self.sim.t,
            self.scene.step_limit,
            self.view_surface,
            self.scene.start,
            tuple(runs),
            self.sim.noise,
            self.playing,
            self.view,
        )

    def _clip(self, paths: list[np.ndarray]) -> dict[int, Drawn]:
        """The trails of the shown runs, decimated and cut to the drawn domain, by run index."""
        surface = self.view_surface
        ranges = (surface.x_range, surface.y_range)
        if self._clipper is None or self._clipper.ranges != ranges:
            self._clipper = TrailClipper(*ranges, DRAWN)
        shown = [i for i, config in enumerate(self.scene.runs) if config.visible]
        trails = self._clipper.trails([(i, self.sim.runs[i].serial, paths[i]) for i in shown])
        return dict(zip(shown, trails, strict=True))

    def _status(self, run: Run, shown: int) -> tuple[str, str]:
        """The run's status name and text at the shown step; at the step limit a running run says it
        stopped there. Kept per run and status: most frames ask for the one they asked for last."""
        code, left = run.status_at(0, shown)
        limit = self.scene.step_limit
        back = left and code == RUNNING and run.inside_at(0, shown)  # (the text says when it came back inside)
        key = (code, left, back, limit if shown >= limit else None)
        if self._statuses.get(run.serial, (None,))[0] != key:
            name, text = run.status_name(at=shown), run.status_text(at=shown)
            if key[3] is not None and name in ("running", "left"):
                stop = f"stopped at the step limit ({limit})"
                text = stop if text == "running" else f"{text}; {stop}"
            self._statuses[run.serial] = (key, name, text)
        return self._statuses[run.serial][1:]

    def _lr_log(self, run: Run) -> tuple[tuple[int, float], ...]:
        """(first step, base α) of each of the run's hyperparameter changes, kept until the next change."""
        cached = self._lr_logs.get(run.serial)
        if cached is None or cached[0] is not run.hp_log[-1]:
            log = tuple((first, float(hp["lr"])) for first, hp in run.hp_log if "lr" in hp)
            self._lr_logs[run.serial] = cached = (run.hp_log[-1], log)
        return cached[1]

    def _detail(self, run: Run, step: int) -> StepDetail | None:
        if step == run.t:
            return inspect_step(run, step)  # the live step: no replay needed
        key = (run.serial, step)
        if key not in self._details:
            if len(self._details) > 256:
                self._details.clear()
            self._details[key] = inspect_step(run, step)
        return self._details[key]

    def set_follow(self, on: bool) -> None:
        """Follow the runs (on): widen the drawn domain when a shown run leaves it; off: the scene's domain."""
        self.set_view(follow=bool(on))

    def _follow_runs(self) -> None:
        surface = self.sim.surface
        scale = 1.0
        if self.follow:
            shown = self.shown_step
            points = [
                run.history.positions[min(shown, run.end_step()), 0]
                for run, config in zip(self.sim.runs, self.scene.runs, strict=True)
                if config.visible
            ]
            scale = follow_scale(surface.x_range, surface.y_range, np.array(points), self._view_scale)
        if scale != self._view_scale:
            self._view_scale = scale
            if scale == 1.0:
                self.view_surface = surface
            else:
                x_range, y_range = scaled(surface.x_range, surface.y_range, scale)
                self.view_surface = replace(surface, x_range=x_range, y_range=y_range)
            self.view_domain_changed.emit(self.view_surface)

    def emit_frame(self) -> None:
        self._follow_runs()
        self.frame_ready.emit(self.frame())
