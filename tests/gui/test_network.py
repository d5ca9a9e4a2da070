"""The Network dock through its widgets: spirals and a 2-16-16-1 network, GD, momentum and Adam training live;
their paths on one shared random plane with each one's distance off it; the decision boundary moving; the
PCA plane with its explained variance; a bad value refused with a sentence, the training kept."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from adamgui.core.slices import make_plane


@pytest.fixture
def dock(window, qtbot):
    dock = window.network
    toggle = window.findChild(QAction, "networkToggle")  # the toolbar's Network
    if not toggle.isChecked():  # (a layout saved by an earlier test may have it open already)
        toggle.trigger()
    qtbot.waitUntil(dock.isVisible, timeout=5000)
    yield dock
    dock.pause()
    dock.cancel()
    dock.wait()
    dock.hide()


def _train(dock, qtbot, steps: int) -> None:
    qtbot.mouseClick(dock.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.training is not None and dock.training.t >= steps, timeout=30_000)
    qtbot.mouseClick(dock.train_button, Qt.MouseButton.LeftButton)  # Pause
    assert not dock.timer.isActive()


def test_three_optimizers_train_live_on_one_shared_plane(dock, qtbot):
    dock.dataset.setCurrentText("spirals")
    dock.hidden.setText("16,16")
    dock.runs.setPlainText("gd:lr=0.5\nmomentum:lr=0.5\nadam:lr=0.01")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    t = dock.training
    assert t.task.model.size == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1 and t.labels == ["gd", "momentum", "adam"]
    boundary_before = dock.boundary_picture().copy()
    _train(dock, qtbot, 30)
    qtbot.waitUntil(lambda: dock.grid_key is not None and dock.thread is None, timeout=30_000)

    plane = make_plane("random", t.task.model, t.task.theta0, seed=0)  # the same plane for every run
    np.testing.assert_array_equal(dock.plane.u, plane.u)
    for k in range(3):
        x, y = dock.path_items[k].getData()
        np.testing.assert_allclose(np.column_stack([x, y]), plane.coordinates(t.path(k)), rtol=1e-12, atol=1e-15)
        _, distance = dock.distance_items[k].getData()
        np.testing.assert_allclose(distance, plane.distance(t.path(k)), rtol=1e-12, atol=1e-15)
        assert len(distance) == t.t + 1 and distance[0] == 0 and distance[-1] > 0
        _, train_loss = dock.loss_items[k][0].getData()
        np.testing.assert_allclose(train_loss, np.log10(t.losses(k)))  # (drawn on a log axis)
        _, test_share = dock.accuracy_items[k][1].getData()
        np.testing.assert_array_equal(test_share, t.accuracies(k, t.task.test))
        assert f"{plane.distance(t.path(k))[-1]:.3g} off the plane" in dock.status.text()
    assert dock.slice_image.image is not None and np.isfinite(dock.slice_image.image).all()
    assert not np.array_equal(dock.boundary_picture(), boundary_before)  # the boundary moved as gd trained
    dock.boundary_run.setCurrentIndex(2)  # Adam's
    adam = dock.boundary_picture().copy()
    dock.boundary_run.setCurrentIndex(0)
    assert not np.array_equal(dock.boundary_picture(), adam)
    dock.boundary_run.setCurrentIndex(3)  # every run's boundary, a line each in its colour, where p = ½
    assert dock.boundary_run.currentText() == "Every run's boundary (p = ½)" and not dock.boundary_image.isVisible()
    model = t.task.model
    for k in range(3):
        xs, ys = dock.boundary_line(k)
        points = np.column_stack([xs, ys])[np.isfinite(xs)]
        assert len(points) > 10
        z = model.outputs(t.theta[k : k + 1], points)[0]  # on the line the network's logit is 0: p = ½
        assert np.abs(z).max() < 0.25 * np.abs(model.outputs(t.theta[k : k + 1], t.task.train.X)[0]).max()
    assert not np.array_equal(dock.boundary_line(0)[0], dock.boundary_line(2)[0])
    dock.boundary_run.setCurrentIndex(0)
    assert dock.boundary_line(0) is None and dock.boundary_image.isVisible()

    dock.plane_kind.setCurrentIndex(dock.plane_kind.findData("pca"))
    pca = make_plane("pca", t.task.model, t.task.theta0, [t.path(k) for k in range(3)])
    a, b = pca.explained
    assert dock.plane_note.text() == f"a explains {a:.1%} and b {b:.1%} of the paths' variance"
    assert dock.slice_view.plotItem.titleLabel.text == "Slice (PCA plane)"
    qtbot.waitUntil(lambda: dock.grid_key is not None and dock.grid_key[0] is dock.plane, timeout=30_000)


def test_a_bad_value_is_said_and_the_training_is_kept(dock, qtbot):
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    _train(dock, qtbot, 4)
    kept, steps = dock.training, dock.training.t
    for field, value, says in (
        (dock.hidden, "16,40", "Invalid hidden layer size: 40"),
        (dock.hidden, "", "Invalid hidden layer size: ''"),
    ):
        field.setText(value)
        qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
        assert says in dock.status.text()
        assert dock.training is kept and kept.t == steps
    dock.hidden.setText("8")
    dock.runs.setPlainText("adam:lr=0.01\nnewton")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    assert "newton needs the exact Hessian" in dock.status.text() and dock.training is kept
    dock.runs.setPlainText("adam:lr=-1")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    assert dock.status.text().startswith("Run 'adam:lr=-1'") and dock.training is kept


def test_a_saved_session_trains_the_same_runs_again_on_the_same_plane(dock, window, qtbot, tmp_path):
    """Save with a network trained 25 steps (PCA plane, a data seed, minibatches); open it in the same window
    after a reset and elsewhere: the dock trains the runs again to step 25, the same paths to the bit."""
    dock.dataset.setCurrentText("moons")
    dock.data_seed.setValue(3)
    dock.hidden.setText("8,4")
    dock.batch.setValue(20)
    dock.runs.setPlainText("momentum:lr=0.3\nadam:lr=0.02")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    _train(dock, qtbot, 25)
    dock.plane_kind.setCurrentIndex(dock.plane_kind.findData("pca"))
    dock.center.setCurrentIndex(dock.center.findData("best"))
    steps = dock.training.t
    paths = [dock.training.path(k).copy() for k in range(2)]
    center = dock.plane.center.copy()
    assert window.controller.scene.network == dock.setup() and dock.setup().steps == steps
    path = tmp_path / "network.adamgui.json"
    assert window.documents.save_to(path)

    dock.hidden.setText("3")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)  # something else trained meanwhile
    assert dock.training.task.model.hidden == (3,)
    assert window.documents.open_path(path)
    t = dock.training
    assert t.t == steps and t.task.model.hidden == (8, 4) and t.task.batch_size == 20
    assert dock.data_seed.value() == 3 and dock.plane_kind.currentData() == "pca"
    assert dock.center.currentData() == "best"
    np.testing.assert_array_equal(dock.plane.center, center)
    for k in range(2):
        np.testing.assert_array_equal(t.path(k), paths[k])
    assert dock.isVisible() and "Trained again to step" in dock.status.text()


def test_the_lesson_s_network_chapter_opens_the_dock_trained_as_the_chapter_says(window, qtbot):
    from PySide6.QtCore import QPoint

    from adamgui.core.lesson import KEYS, SLICE_NETWORK, network_facts

    window.findChild(QAction, "lessonAction").trigger()
    chapters = window.lesson.chapters
    index = KEYS.index("network-slice")
    chapters.setCurrentIndex(index)
    chapters.activated.emit(index)  # the chapter picked from the list
    dock = window.network
    try:
        qtbot.waitUntil(lambda: dock.training is not None and dock.training.t == SLICE_NETWORK.steps, timeout=30_000)
        assert dock.isVisible() and window.controller.scene.chapter == "network-slice"
        qtbot.waitUntil(dock.isFloating, timeout=5000)  # a window of its own, right of the chapter's text
        lesson = window.lesson
        assert dock.frameGeometry().left() >= lesson.mapToGlobal(QPoint(lesson.width(), 0)).x()
        assert window.screen().availableGeometry().contains(dock.frameGeometry())
        assert dock.training.labels == ["gd", "momentum", "adam"] and dock.plane_kind.currentData() == "random"
        t = dock.training
        assert [round(float(t.losses(k)[-1]), 2) for k in range(3)] == [round(x, 2) for x in network_facts()["loss"]]
        _, distance = dock.distance_items[2].getData()
        assert distance[-1] == pytest.approx(network_facts()["random"]["distance"][2], rel=1e-9)
    finally:
        dock.cancel()
        dock.wait()
        dock.hide()
        window.lesson.hide()


def test_a_new_training_replaces_the_pictures_curves_and_legend(dock, qtbot):
    """Reset thrice: each picture holds the present runs' curves only, and the legend names each run once."""
    for hidden in ("16,16", "8", "4"):
        dock.hidden.setText(hidden)
        qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    runs = len(dock.training.labels)
    assert len(dock.distance_view.getPlotItem().legend.items) == runs
    assert len(dock.distance_view.listDataItems()) == runs
    assert len(dock.loss_view.listDataItems()) == 2 * runs
    assert len(dock.slice_view.listDataItems()) == runs


def _pick(dock, name: str) -> None:
    dock.dataset.setCurrentIndex(dock.dataset.findData(name))


def test_the_bundled_diabetes_data_fit_a_curve_live_and_reopen_from_a_session(dock, window, qtbot, tmp_path):
    """diabetes: a curve to fit. Size and noise are greyed; the picture shows the data and the run's ŷ(x),
    which moves as it trains; the status gives losses, not a share right; a session brings it back."""
    _pick(dock, "diabetes")
    assert not dock.points.isEnabled() and not dock.noise.isEnabled() and dock.data_seed.isEnabled()
    dock.hidden.setText("8")
    dock.runs.setPlainText("adam:lr=0.02\ngd:lr=0.1")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    t = dock.training
    assert (t.task.model.task, t.task.model.inputs) == ("regression", 1)
    assert dock.boundary_view.plotItem.titleLabel.text == "Fitted curve" and not dock.boundary_image.isVisible()
    xs, before = dock.fitted_curve()
    before = before.copy()
    _train(dock, qtbot, 20)
    xs, after = dock.fitted_curve()
    expected = t.task.model.outputs(t.theta[0:1], xs[:, None])[0]
    np.testing.assert_allclose(after, expected, rtol=1e-12)
    assert not np.array_equal(after, before)
    assert "loss " in dock.status.text() and "right" not in dock.status.text()
    assert not dock.curves.isTabEnabled(1)  # no share right for a curve
    dock.boundary_run.setCurrentIndex(2)  # every run's curve, each in its colour
    assert dock.boundary_run.currentText() == "Every run's fitted curve" and dock.fitted_curve() is None
    for k in range(2):
        xs, ys = dock.boundary_line(k)
        np.testing.assert_allclose(ys, t.task.model.outputs(t.theta[k : k + 1], xs[:, None])[0], rtol=1e-12)
    path = tmp_path / "fit.adamgui.json"
    assert window.documents.save_to(path)
    _pick(dock, "spirals")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    assert window.documents.open_path(path)
    assert dock.dataset.currentData() == "diabetes" and dock.training.task.model.task == "regression"


def test_a_csv_file_trains_and_a_bad_one_is_said_with_the_training_kept(dock, qtbot, tmp_path):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((80, 2))
    good = tmp_path / "mine.csv"
    good.write_text("x1,x2,label\n" + "".join(f"{a:.4f},{b:.4f},{int(a * b > 0)}\n" for a, b in X))
    _pick(dock, "file")
    assert dock.file_box.isVisible() and not dock.data_seed.isEnabled()
    dock.data_file.setText(str(good))
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    kept = dock.training
    assert kept is not None and len(kept.task.train.y) + len(kept.task.test.y) == 80
    np.testing.assert_allclose(
        np.sort(np.concatenate([kept.task.train.X, kept.task.test.X]), axis=0), np.sort(np.round(X, 4), axis=0)
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,0\n3,4,7\n")
    dock.data_file.setText(str(bad))
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    assert dock.status.text() == "bad.csv, row 3, column label: 7 is not 0 or 1" and dock.training is kept


def test_the_slice_shows_in_the_main_3d_and_contour_views_and_the_scene_comes_back(dock, window, qtbot):
    """Check 'Show the slice': both main views draw the dock's slice, the contour view each run's shadow on the
    plane; a click on the map moves no start; unchecked, the scene is drawn again; playing the scene ends it."""
    scene_surface = window.contour_view.surface
    start = window.controller.scene.start
    _pick(dock, "spirals")
    dock.hidden.setText("16,16")
    dock.runs.setPlainText("gd:lr=0.5\nmomentum:lr=0.5\nadam:lr=0.01")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    _train(dock, qtbot, 20)
    dock.on_main.setChecked(True)
    qtbot.waitUntil(lambda: window._slice is not None and dock.surface is not None, timeout=30_000)
    qtbot.waitUntil(lambda: window.contour_view.surface is dock.surface, timeout=30_000)
    assert window.surface_view._given["surface"] is dock.surface
    assert window.contour_view.surface.axes == ("a", "b") and not window.controller.playing
    t = dock.training
    for k, trail in enumerate(window.contour_view.trails):
        np.testing.assert_allclose(trail.source, dock.plane.coordinates(t.path(k)), rtol=1e-12, atol=1e-15)
    frame = window._slice
    assert [run.label for run in frame.runs] == t.labels
    assert [run.loss for run in frame.runs] == [float(t.losses(k)[-1]) for k in range(3)]  # the true losses

    _train(dock, qtbot, 30)  # the views follow the training
    qtbot.waitUntil(lambda: len(window.contour_view.trails[0].source) == dock.training.t + 1, timeout=30_000)
    center = window.contour_view.data_to_widget(0.05, 0.05)
    qtbot.mouseClick(window.contour_view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert window.controller.scene.start == start and "not starts" in window.statusBar().currentMessage()

    dock.on_main.setChecked(False)
    assert window._slice is None and window.contour_view.surface is scene_surface
    assert window.surface_view._given["surface"] is scene_surface
    dock.on_main.setChecked(True)
    qtbot.waitUntil(lambda: window.contour_view.surface is dock.surface, timeout=30_000)
    window.controller.play()
    assert not dock.on_main.isChecked() and window.contour_view.surface is scene_surface
    window.controller.pause()


@pytest.mark.parametrize("name", ["race"])
def test_the_toolbar_brings_its_dock_to_the_front_of_the_tabs(window, qtbot, name):
    """Race from the toolbar, tabbed behind Runs: the tab comes to the front (shown, not merely listed). (Network,
    like Maps, opens as a window of its own: the next test.)"""
    dock = getattr(window, name)
    for each in (dock, window.runs_dock):  # (a layout an earlier test saved may have them elsewhere)
        each.setFloating(False)
    window.runs_dock.show()
    dock.hide()
    window.tabifyDockWidget(window.runs_dock, dock)
    window.runs_dock.raise_()
    qtbot.waitUntil(lambda: not window.runs_dock.visibleRegion().isEmpty(), timeout=5000)
    window.findChild(QAction, f"{name}Toggle").trigger()
    try:
        qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty(), timeout=3000)
        assert window.runs_dock.visibleRegion().isEmpty()
    finally:
        dock.hide()


def test_the_network_opens_as_a_window_of_its_own_beside_the_lesson_and_closes_with_the_window(window, qtbot):
    """Docked below the views its four pictures were 290 px tall at 1366 x 768: from the toolbar it is a window of
    its own, on the screen, right of the Parameters and Lesson panel (a chapter's text stays in sight), its
    pictures roomy. Closing the main window takes it along (it is not left on the screen alone)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    dock = window.network
    dock.hide()
    dock.setFloating(False)  # (a layout an earlier test saved may have it floating already)
    window._given_room.discard(dock)
    window.findChild(QAction, "networkToggle").trigger()
    qtbot.waitUntil(dock.isVisible, timeout=5000)
    assert dock.isFloating()
    screen = window.screen().availableGeometry()
    assert screen.contains(dock.frameGeometry())
    assert dock.frameGeometry().left() >= window.panel.mapToGlobal(QPoint(window.panel.width(), 0)).x()
    qtbot.waitUntil(lambda: dock.slice_view.height() >= 250 and dock.boundary_view.height() >= 200, timeout=3000)
    scroll = dock.widget()  # its four pictures and controls fit it: nothing to scroll (pyqtgraph's 640 x 480 asked
    assert scroll.widget().height() <= scroll.viewport().height()  # for twice a laptop screen's height)
    dock.on_main.setChecked(True)
    dock.setFloating(False)  # docked back (hidden a moment as it moves): still open, so the slice stays asked for
    for _ in range(3):
        QApplication.processEvents()
    assert dock.on_main.isChecked() and not dock.isHidden()
    dock.setFloating(True)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert not dock.isVisible()
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_the_plane_is_centred_on_the_best_runs_end_and_the_inspector_says_how_far_off_it_each_run_is(
    dock, window, qtbot
):
    """Centred on the best run's end, the plane puts that run's shadow at (0, 0), at distance 0, and says whose
    point it is; moved again when training pauses. With the slice in the main views, the step inspector lists each
    network run's losses, its shadow and its distance off the plane, and goes back to the scene's rule after."""
    from adamgui.gui.widgets.numbers import fmt

    _pick(dock, "moons")
    dock.hidden.setText("8")
    dock.runs.setPlainText("gd:lr=0.5\nadam:lr=0.02")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    _train(dock, qtbot, 15)
    t = dock.training
    start_plane = dock.plane
    dock.center.setCurrentIndex(dock.center.findData("best"))
    best = int(np.argmin([t.losses(k)[-1] for k in range(2)]))
    np.testing.assert_array_equal(dock.plane.center, t.path(best)[-1])
    x, y = dock.path_items[best].getData()
    assert (x[-1], y[-1]) == (0.0, 0.0) and dock.distance_items[best].getData()[1][-1] == 0.0
    assert f"(0, 0) is {t.labels[best]}'s point at step {t.t}" in dock.plane_note.text()
    assert dock.plane is not start_plane
    _train(dock, qtbot, 30)  # paused again: the plane moves to where the best run is now
    best = int(np.argmin([t.losses(k)[-1] for k in range(2)]))
    np.testing.assert_array_equal(dock.plane.center, t.path(best)[-1])

    dock.on_main.setChecked(True)
    qtbot.waitUntil(lambda: window._slice is not None, timeout=30_000)
    window.inspector.select_run(1)
    table = window.inspector.table
    qtbot.waitUntil(lambda: table.rowCount() > 0 and table.item(0, 0).text() == "training loss", timeout=5000)
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["distance off the plane"] == fmt(dock.plane.distance(t.path(1)[-1:])[0])
    assert rows["training loss"] == fmt(t.losses(1)[-1])
    assert "adam" in window.inspector.heading.text() and "slice" in window.inspector.heading.text()
    dock.on_main.setChecked(False)
    qtbot.waitUntil(lambda: table.rowCount() == 0 or table.item(0, 0).text() != "training loss", timeout=5000)


def test_a_long_training_is_drawn_at_screen_resolution_not_point_by_point(dock, qtbot):
    """A frame's drawing does not grow with the steps trained (the dock's frame took 37 ms at step 100 and 202 ms
    at step 10,000): past PATH_POINTS a path on the slice is drawn through every k-th point and its last, and a
    curve against the step through the lowest and highest value of each of STEP_BINS bins (no spike lost)."""
    from adamgui.gui.docks.network import PATH_POINTS, STEP_BINS

    _pick(dock, "moons")
    dock.hidden.setText("4")
    dock.runs.setPlainText("gd:lr=0.3\nadam:lr=0.01")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    t = dock.training
    t.step(10 * PATH_POINTS)
    dock._draw()
    qtbot.waitUntil(lambda: dock.thread is None, timeout=30_000)
    for k in range(2):
        x, y = dock.path_items[k].getData()
        ab = dock.plane.coordinates(t.path(k))
        assert len(x) <= PATH_POINTS and (x[0], y[0]) == tuple(ab[0]) and (x[-1], y[-1]) == tuple(ab[-1])
        distance = dock.plane.distance(t.path(k))
        for item, whole in ((dock.distance_items[k], distance), (dock.loss_items[k][0], t.losses(k))):
            steps, drawn = item.getOriginalDataset()
            assert len(drawn) == 2 * STEP_BINS and steps[0] == 0 and steps[-1] <= t.t
            np.testing.assert_allclose([drawn.min(), drawn.max()], [whole.min(), whole.max()], rtol=1e-12)


def test_training_stops_when_the_memory_kept_for_it_is_full_and_says_so(dock, qtbot, monkeypatch):
    """Left training, the dock would keep every weight of every step until memory ran out: it pauses at the
    training's max_steps and says why (here a budget of 40 steps of these runs)."""
    from adamgui.core import training as training_module

    _pick(dock, "moons")
    dock.hidden.setText("4")
    dock.runs.setPlainText("gd:lr=0.3\nadam:lr=0.01")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    monkeypatch.setattr(training_module, "MEMORY_BUDGET", 8 * 2 * dock.training.d * 40)
    dock.speed.setValue(7)
    qtbot.mouseClick(dock.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dock.timer.isActive(), timeout=30_000)
    assert dock.training.t == 40 and not dock.train_button.isChecked()
    assert "Stopped at step 40: every weight of every step is kept" in dock.status.text()


def test_showing_the_slice_docks_the_network_window_that_covered_the_views_and_unchecking_floats_it(
    dock, window, qtbot
):
    """At 1366 x 768 the Network window covers the 3D and contour views, so checking 'Show the slice' changed
    nothing a user could see: the click docks it below the views; the user's uncheck gives it its window again.
    Play puts the slice away and leaves the dock where it is (the scene is wanted then)."""
    from PySide6.QtCore import QPoint, QRect

    def covers_views() -> bool:
        central = window.centralWidget()
        views = QRect(central.mapToGlobal(QPoint(0, 0)), central.size())
        return dock.isFloating() and dock.frameGeometry().intersects(views)

    _pick(dock, "moons")
    dock.hidden.setText("4")
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    if not dock.isFloating():
        window._given_room.discard(dock)
        window.give_room(dock)
    qtbot.waitUntil(covers_views, timeout=5000)
    qtbot.mouseClick(dock.on_main, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dock.isFloating() and not dock.isHidden(), timeout=5000)
    assert dock.on_main.isChecked() and not covers_views()
    qtbot.waitUntil(lambda: window.contour_view.surface is dock.surface, timeout=30_000)
    qtbot.mouseClick(dock.on_main, Qt.MouseButton.LeftButton)  # unchecked by the user: its window again
    qtbot.waitUntil(dock.isFloating, timeout=5000)
    qtbot.mouseClick(dock.on_main, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dock.isFloating(), timeout=5000)
    window.controller.play()  # the slice put away by Play: the dock stays docked
    window.controller.pause()
    assert not dock.on_main.isChecked() and not dock.isFloating()
