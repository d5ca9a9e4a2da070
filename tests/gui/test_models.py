"""Model losses through the window: pick one, the Data panel shows its data and each run's model move."""

import numpy as np
import pytest
from PySide6.QtWidgets import QComboBox, QDockWidget

from adamgui.gui.data_panel import model_lines


@pytest.mark.parametrize("name", ["linear-regression", "logistic-regression", "neuron"])
def test_picking_a_model_shows_its_data_and_the_fit_follows_the_shown_step(window, name):
    selector = window.findChild(QComboBox, "surfaceSelector")
    selector.setCurrentIndex(selector.findData(name))
    c = window.controller
    assert c.scene.surface == name
    panel = window.findChild(QDockWidget, "dataPanel")
    assert panel.isVisible()
    model = c.sim.surface.model
    shown = sum(len(p.data) for p in panel.points)
    assert shown == len(model.y)  # every data point, once
    assert window.contour_view.getPlotItem().getAxis("bottom").labelText == c.sim.surface.axes[0]

    def drawn(i):
        return [np.asarray(a) for a in panel.fits[i].getData()]

    c.advance_to(5)
    at_5 = drawn(1)
    np.testing.assert_allclose(at_5, model_lines(model, c.sim.runs[1].path()[5], panel._range))
    c.advance_to(20)
    assert not np.allclose(drawn(1)[1], at_5[1], equal_nan=True)  # the fit moved as the run played
    c.scrub(5)  # the timeline takes it back
    np.testing.assert_allclose(drawn(1), at_5)


def test_a_plain_surface_says_what_the_data_panel_is_for(window):
    window.data_panel.show()
    c = window.controller
    assert c.sim.surface.model is None
    assert "Choose a model" in window.data_panel.note.text() and not window.data_panel.plot.isVisible()
