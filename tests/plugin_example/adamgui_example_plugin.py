"""An AdamGUI plugin: an optimizer and a surface, written against the interface the built-ins use."""

from adamgui.core.optimizers import Optimizer
from adamgui.core.params import HyperParam, lr
from adamgui.core.surfaces import surface_from_formula


class HeavyBall(Optimizer):
    """Polyak's heavy ball: the velocity sums the gradients, each older one μ times less.

    v_t = μ v_{t-1} + g_t
    θ_t = θ_{t-1} − α v_t
    """

    name = "polyak"
    title = "Heavy ball (Polyak)"
    summary = "a velocity that keeps μ of itself and adds the whole gradient"
    explain = (("v", "v_t", "μ·v_{t−1} + g_t"),)
    step_rule = "α·v_t"
    latex = (r"v_t = \mu\,v_{t-1} + g_t", r"\theta_t = \theta_{t-1} - \alpha\,v_t")
    params = (lr(0.02), HyperParam("mu", 0.8, "how much of the velocity is kept", "μ", 0.0, 1.0, high_open=True))
    moments = ("v",)

    def update(self, g, theta, state, hp):
        state["t"] += 1
        v = state["v"]
        v *= hp["mu"]
        v += g
        return hp["lr"] * v, {"v": v}


def tilted_ring():
    return surface_from_formula(
        "tilted-ring",
        "Tilted ring",
        "(x^2 + y^2 - 4)^2 / 8 + 0.3*x",
        (-3.5, 3.5),
        (-3.5, 3.5),
        (2.5, 1.5),
        description="A circular valley of radius 2, tilted so its lowest point is on the left.",
    )
