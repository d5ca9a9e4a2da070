"""The Parameters panel as a lecturer uses it (issue 34): Add run brings the new run into view; a refused α
schedule is said in red under its field, and the schedule in use stays."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QGroupBox, QLabel, QLineEdit, QPushButton, QWidget


def _in_sight(panel, widget) -> bool:
    viewport = panel.scroll.viewport()
    top = widget.mapTo(viewport, QPoint(0, 0)).y()
    return 0 <= top and top + min(widget.height(), viewport.height()) <= viewport.height() + 1


def test_add_run_brings_the_new_run_into_view(window, qtbot):
    window.resize(1300, 700)  # a laptop's room: the runs do not all fit
    panel = window.panel
    panel.show()
    panel.raise_()  # (in front of the Lesson tab, which an earlier test's saved layout may have left there)
    qtbot.waitUntil(panel.scroll.viewport().isVisible, timeout=3000)
    add = panel.findChild(QPushButton, "addRunButton")
    for n in range(3, 7):
        panel.add_optimizer.setCurrentIndex(n % panel.add_optimizer.count())
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=n: len(window.controller.scene.runs) == n, timeout=3000)
        box = panel.findChild(QGroupBox, f"run{n - 1}")
        qtbot.waitUntil(lambda box=box: _in_sight(panel, box), timeout=3000)
    bar = panel.scroll.verticalScrollBar()
    assert bar.maximum() == 0 or bar.value() > 0  # where the runs do not all fit, it scrolled down to them


def test_a_refused_schedule_is_said_under_its_field_in_red(window, qtbot):
    panel = window.panel
    before = window.controller.scene
    field = panel.findChild(QLineEdit, "run0_schedule")
    field.setFocus()
    QTest.keyClicks(field, "cosine:T_max=-3")
    QTest.keyClick(field, Qt.Key.Key_Return)
    label = panel.findChild(QLabel, "run0_schedule_error")
    qtbot.waitUntil(lambda: label is not None and label.isVisible(), timeout=3000)
    assert label.text().startswith("Not used: 'cosine:T_max=-3': ") and "T_max" in label.text()
    assert "color" in label.styleSheet()
    assert window.controller.scene == before  # nothing changed
    assert panel.findChild(QLineEdit, "run0_schedule").text() == ""  # the field shows the schedule in use


def test_picking_a_surface_gives_the_runs_rates_that_work_there(window, qtbot):
    """Himmelblau kept GD's α = 0.1 and it left the map at step 7 (issue 34.2); picked in the panel now, GD gets
    0.02 and both runs stay on the map for 200 steps."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox

    panel = window.panel
    selector = panel.findChild(QComboBox, "surfaceSelector")
    selector.setCurrentIndex(selector.findData("himmelblau"))
    c = window.controller
    assert c.scene.surface == "himmelblau"
    assert [r.spec.params["lr"] for r in c.scene.runs] == [0.02, 0.3]
    assert panel.findChild(QAbstractSpinBox, "run0_lr").value() == 0.02  # the field shows it
    c.advance_to(200)
    assert all(run.status_name() in ("running", "converged") for run in c.sim.runs)


def test_the_plots_tabs_write_their_subscripts(window):
    """A tab's text has no markup: "α_t" read "α t" (issue 34.13). Unicode subscripts, drawn by the font."""
    tabs = window.plots.tabs
    titles = [tabs.tabToolTip(i).split("\n")[0] for i in range(tabs.count())]  # each tab's full title
    assert "Learning rate αₜ" in titles[3] and "Sharpness λₘₐₓ" in titles[4]
    shown = [tabs.tabText(i) for i in range(tabs.count())]
    assert not any("_" in title for title in shown + titles)
    assert shown[3] in ("Learning rate αₜ", "αₜ") and shown[4] in ("Sharpness λₘₐₓ", "λₘₐₓ")


def test_a_model_s_parameters_and_the_user_s_data_are_named_alike_everywhere(window, tmp_path, monkeypatch):
    """After "Your data…" the surface box named the bundled data, and the panel said x and y where the views say
    w and b (issue 34.14): the box names the user's file, and every field names the model's parameters."""
    from PySide6.QtWidgets import QComboBox, QFileDialog

    panel = window.panel
    selector = panel.findChild(QComboBox, "surfaceSelector")
    selector.setCurrentIndex(selector.findData("linear-regression"))
    labels = [panel.findChild(QLabel, name).text() for name in ("xRangeLabel", "yRangeLabel", "startLabel")]
    assert labels == ["w from, to", "b from, to", "Start (w, b)"]
    assert selector.currentText() == "Linear regression (diabetes)"
    good = tmp_path / "mine.csv"
    good.write_text("x,y\n0,1\n1,3.1\n2,4.9\n3,7.2\n4,9.1\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    window.findChild(QPushButton, "dataLoad").click()
    assert selector.currentText() == "Linear regression (mine.csv)"
    assert "mine.csv" in panel.formula_edit.text() and "diabetes" not in panel.formula_edit.text()
    selector.setCurrentIndex(selector.findData("bowl"))  # a plain surface: x and y again, the titles as they were
    labels = [panel.findChild(QLabel, name).text() for name in ("xRangeLabel", "yRangeLabel", "startLabel")]
    assert labels == ["x from, to", "y from, to", "Start (x, y)"]
    assert selector.itemText(selector.findData("linear-regression")) == "Linear regression (diabetes)"


def test_the_runs_table_says_when_a_run_is_back_on_the_map(window, qtbot):
    """Nesterov at α = 0.6 on the bowl from (4, 0) is off the map at step 1 and back at step 2 (issue 34.4)."""
    from dataclasses import replace

    from adamgui.core.simulation import RunSpec

    c = window.controller
    scene = replace(c.scene.with_surface("bowl"), start=(4.0, 0.0))
    c.load_scene(replace(scene, runs=(replace(scene.runs[0], spec=RunSpec("nesterov", {"lr": 0.6})),)))

    def says(text):
        qtbot.waitUntil(lambda: window.run_table.item(0, 6).text() == text, timeout=3000)

    c.advance_to(1)
    says("left the domain at step 1")
    c.advance_to(3)
    says("left the domain at step 1; back inside")
    c.scrub(1)  # an earlier step shown: outside then
    says("left the domain at step 1")


def test_ten_runs_keep_a_legend_that_leaves_the_map_and_styles_that_tell_them_apart(window, qtbot):
    """With 10 runs the legend covered half the map and colours repeated (issue 34.12): the legend takes columns,
    and a run whose colour an earlier run has gets a dashed (then dotted) line and a square (then triangle) dot."""
    from dataclasses import replace

    from adamgui.core.scene import OPTIMIZER_COLORS, RunConfig
    from adamgui.core.simulation import RunSpec
    from adamgui.gui.views.contour_view import trail_styles

    c = window.controller
    names = ["gd", "momentum", "adam", "rmsprop", "nesterov", "adamw", "amsgrad", "newton", "gd", "adam"]
    runs = tuple(RunConfig(RunSpec(n, {"lr": 0.01}), OPTIMIZER_COLORS[n], key=k) for k, n in enumerate(names))
    c.load_scene(replace(c.scene.with_surface("bowl"), runs=runs))
    c.advance_to(3)
    view = window.contour_view
    qtbot.waitUntil(lambda: len(view.legend.items) == 10, timeout=3000)
    assert view.legend.columnCount == 2
    colors = [r.color for r in c.scene.runs]
    styles = [t.opts["pen"].style() for t in view.trails]
    assert styles == trail_styles(c.frame().runs)
    for k, color in enumerate(colors):  # the same colour twice: never the same style
        for j in range(k):
            if colors[j] == color:
                assert styles[j] != styles[k]
    assert view.markers.shapes[8] != 0 and view.markers.shapes[0] == 0  # the second gd: not a round dot
    rows = view.legend.layout.rowCount()
    assert rows <= 6


def test_an_alpha_that_will_diverge_is_said_under_its_field(window, qtbot):
    """Issue 34.2: a value that will blow up is said beside the field, with the α that suits the surface."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox

    from tests.gui.helpers import type_text

    panel = window.panel
    selector = panel.findChild(QComboBox, "surfaceSelector")
    selector.setCurrentIndex(selector.findData("himmelblau"))
    type_text(panel.findChild(QAbstractSpinBox, "run0_lr"), "0.1")  # typed, then Enter
    note = panel.findChild(QLabel, "run0_lr_note")
    qtbot.waitUntil(note.isVisible, timeout=3000)
    assert note.text() == "With α = 0.1 this run diverges at step 7; α = 0.02 suits this surface."
    assert window.controller.scene.runs[0].spec.params["lr"] == 0.1  # the user's value is used all the same
    type_text(panel.findChild(QAbstractSpinBox, "run0_lr"), "0.02")
    qtbot.waitUntil(lambda: not note.isVisible(), timeout=3000)


def test_a_start_on_a_plateau_is_said_where_the_start_is_chosen(window, qtbot):
    """Issue 34.14: a start where nothing will move is said under the start's fields."""
    from PySide6.QtWidgets import QComboBox

    panel = window.panel
    selector = panel.findChild(QComboBox, "surfaceSelector")
    selector.setCurrentIndex(selector.findData("plateau"))
    note = panel.findChild(QLabel, "startNote")
    assert not note.isVisible()  # its own start: on the slope
    window.controller.set_start(4.5, 4.5)  # far out: 1 − exp(−r²/2) is flat to 1e-8 there
    qtbot.waitUntil(note.isVisible, timeout=3000)
    assert note.text().startswith("At this start the slope is ") and "will not move the runs" in note.text()
    window.controller.set_start(1.0, 1.0)
    qtbot.waitUntil(lambda: not note.isVisible(), timeout=3000)


def test_zoom_grows_the_legend_and_the_3d_axis_names_too(window, qtbot):
    """Issue 34.13: View > Zoom enlarged the axes but not the contour legend or the 3D view's axis names."""
    from adamgui.gui.views.contour_view import LEGEND_PT
    from adamgui.gui.views.gl_surface import LABEL_PT

    legend = window.contour_view.legend
    window.set_zoom(1.5, remember=False)
    try:
        assert legend.opts["labelTextSize"] == f"{LEGEND_PT * 1.5:.1f}pt"
        assert all(label.opts["size"] == f"{LEGEND_PT * 1.5:.1f}pt" for _, label in legend.items)
        gl = window.surface_view.gl
        if gl is not None:
            assert all(label.font.pointSizeF() == LABEL_PT * 1.5 for label in gl.labels)
    finally:
        window.set_zoom(1.0, remember=False)
    assert legend.opts["labelTextSize"] == f"{LEGEND_PT:.1f}pt"


def test_zoom_grows_the_inspectors_table_its_rows_and_number_columns_with_it(window, qtbot):
    """Issue 34.13 (the rest): at zoom 150% the inspector's numbers and rules are drawn larger, and its rows and
    number columns grow to hold them (the rows had kept their height and clipped the text)."""
    from PySide6.QtGui import QFontMetrics

    c = window.controller
    c.load_scene(c.scene.with_surface("bowl"))
    c.advance_to(3)
    window.inspector.select_run(1)  # Adam: ten rows
    table = window.inspector.table
    qtbot.waitUntil(lambda: table.rowCount() > 5, timeout=5000)
    before = table.font().pointSizeF()

    def fits() -> bool:
        numbers = QFontMetrics(window.inspector.mono.resolve(table.font()))
        text = QFontMetrics(table.font())
        widest = max(numbers.horizontalAdvance(table.item(r, 1).text()) for r in range(table.rowCount()))
        # each row holds its text; the numbers' column is as wide as the widest number drawn (and a margin)
        return all(table.rowHeight(r) >= text.height() for r in range(table.rowCount())) and (
            table.columnWidth(1) == max(widest, 30) + 14
        )

    window.set_zoom(1.5, remember=False)
    try:
        qtbot.waitUntil(lambda: table.font().pointSizeF() == pytest.approx(1.5 * before), timeout=3000)
        qtbot.waitUntil(fits, timeout=3000)
    finally:
        window.set_zoom(1.0, remember=False)
    qtbot.waitUntil(lambda: table.font().pointSizeF() == pytest.approx(before), timeout=3000)
    qtbot.waitUntil(fits, timeout=3000)


def test_the_panel_shows_and_keeps_every_legal_value_the_core_holds(window, qtbot):
    """Extreme but legal hyperparameters (as a session or the command line may hold them) shown in the panel as they
    are, not clamped to a widget's own limits: lr 1e5 and 1e-200, β₂ = 0.9999999, a weight decay of 100; and a
    value typed there reaches the run unchanged."""
    from adamgui.core.optimizers import OPTIMIZERS
    from adamgui.core.scene import RunConfig, Scene
    from adamgui.core.simulation import RunSpec

    c = window.controller
    extremes = {
        "lr": 1e5,
        "beta2": 0.9999999,
        "eps": 1e-200,
        "weight_decay": 100.0,
    }
    for name, opt in OPTIMIZERS.items():
        params = {p.name: extremes[p.name] for p in opt.params if p.name in extremes and not p.is_bool}
        params = {k: opt.resolve({k: v})[k] for k, v in params.items()}  # (each legal for this optimizer)
        if not params:
            continue
        c.load_scene(Scene("bowl", (1.0, 1.0), (RunConfig(RunSpec(name, params), "#ffffff"),)))
        for key, value in params.items():
            box = window.panel.findChild(QWidget, f"run0_{key}")
            assert box.value() == value, f"{name}.{key}: shows {box.value()!r}, holds {value!r}"
            assert c.scene.runs[0].spec.resolved()[key] == value  # showing it changed nothing
    c.load_scene(Scene("bowl", (1.0, 1.0), (RunConfig(RunSpec("adam"), "#ffffff"),)))
    box = window.panel.findChild(QWidget, "run0_lr")
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "2.5e4")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert c.scene.runs[0].spec.params["lr"] == 2.5e4
