"""The optimizers: each a small state and one update rule, vectorized over points.

Every rule works on an ``(N, 2)`` batch: ``g`` is the gradient at the current
points ``theta``, ``state`` holds the rule's running quantities (``t`` counts
steps, shared by the batch). ``update`` advances the state in place and returns
``(step, terms)``: the engine then does ``theta <- theta - step`` (the minus sign
lives there, once), and ``terms`` names the intermediate quantities of the rule
(for the step inspector). Each class docstring states its rule; where PyTorch
has the same optimizer, the rule and every default but the learning rate are
``torch.optim``'s.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from adamgui.core.params import HyperParam, ParamError, beta1, beta2, eps, lr, unknown_name, weight_decay

State = dict
Terms = dict
HParams = Mapping[str, float | bool]


class Optimizer:
    """Base class: a name, its hyperparameters, a state and an update rule."""

    name: str = ""
    title: str = ""
    summary: str = ""
    params: tuple[HyperParam, ...] = ()
    moments: tuple[str, ...] = ()
    # For the step inspector: the rule's quantities as (term key, symbol, how it is computed),
    # in the order the rule computes them, and the step θ_{t-1} − θ_t the rule takes.
    explain: tuple[tuple[str, str, str], ...] = ()
    step_rule: str = ""
    latex: tuple[str, ...] = ()  # the update rule as LaTeX lines, for typesetting
    needs_hessian: bool = False  # update() is given the surface's exact Hessians (N, 2, 2) as ``hessian``

    def init(self, n: int) -> State:
        """Fresh state for ``n`` points: ``t = 0`` and every moment at zero."""
        state: State = {"t": 0}
        for key in self.moments:
            state[key] = np.zeros((n, 2))
        return state

    def update(self, g: np.ndarray, theta: np.ndarray, state: State, hp: HParams) -> tuple[np.ndarray, Terms]:
        raise NotImplementedError

    def param(self, name: str) -> HyperParam:
        for p in self.params:
            if p.name == name:
                return p
        allowed = ", ".join(p.name for p in self.params)
        raise ParamError(f"Unknown hyperparameter {name!r} for {self.name} (allowed: {allowed})")

    def defaults(self) -> dict[str, float | bool]:
        return {p.name: p.default for p in self.params}

    def resolve(self, overrides: Mapping[str, float | bool] | None = None) -> dict[str, float | bool]:
        """Defaults updated with ``overrides``, every value validated."""
        resolved = self.defaults()
        for key, value in (overrides or {}).items():
            resolved[key] = self.param(key).validate(value)
        return resolved


class GD(Optimizer):
    """Gradient descent (torch ``SGD`` with no momentum).

    θ_t = θ_{t-1} − α g_t
    """

    name = "gd"
    title = "Gradient descent"
    summary = "steps straight down the slope, as far as the slope is steep"
    explain = ()
    step_rule = "α·g_t"
    latex = (  # the rule as LaTeX, one line each: typeset by the inspector and the lesson
        r"\theta_t = \theta_{t-1} - \alpha\,g_t",
    )
    params = (lr(0.1),)

    def update(self, g, theta, state, hp):
        state["t"] += 1
        step = hp["lr"] * g
        return step, {}


class Momentum(Optimizer):
    """Momentum as the notebook writes it: an exponential average of gradients.

    m_t = β₁ m_{t-1} + (1 − β₁) g_t
    θ_t = θ_{t-1} − α m_t
    """

    name = "momentum"
    title = "Momentum"
    summary = "follows a running average of gradients, like a heavy ball"
    explain = (("m", "m_t", "β₁·m_{t−1} + (1 − β₁)·g_t"),)
    step_rule = "α·m_t"
    latex = (  # the rule as LaTeX, one line each: typeset by the inspector and the lesson
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t",
        r"\theta_t = \theta_{t-1} - \alpha\,m_t",
    )
    params = (lr(0.1), beta1(0.9))
    moments = ("m",)

    def update(self, g, theta, state, hp):
        state["t"] += 1
        m = state["m"]
        m *= hp["beta1"]
        m += (1 - hp["beta1"]) * g
        return hp["lr"] * m, {"m": m}


class Nesterov(Optimizer):
    """Nesterov momentum, as torch ``SGD(momentum=μ, nesterov=True)``.

    b_1 = g_1,   b_t = μ b_{t-1} + g_t
    θ_t = θ_{t-1} − α (g_t + μ b_t)
    """

    name = "nesterov"
    title = "Nesterov momentum"
    summary = "momentum that looks one step ahead before it commits"
    explain = (("b", "b_t", "μ·b_{t−1} + g_t   (b_1 = g_1)"), ("direction", "g_t + μ·b_t", "(the Nesterov direction)"))
    step_rule = "α·(g_t + μ·b_t)"
    latex = (  # the rule as LaTeX, one line each: typeset by the inspector and the lesson
        r"b_t = \mu\,b_{t-1} + g_t \quad (b_1 = g_1)",
        r"\theta_t = \theta_{t-1} - \alpha\,(g_t + \mu\,b_t)",
    )
    params = (
        lr(0.02),
        HyperParam(
            "momentum",
            0.9,
            "momentum factor: how much of the last velocity is kept",
            "μ",
            0.0,
            1.0,
            low_open=True,
            high_open=True,
        ),
    )
    moments = ("b",)

    def update(self, g, theta, state, hp):
        state["t"] += 1
        mu = hp["momentum"]
        b = state["b"]
        if state["t"] == 1:
            b[...] = g
        else:
            b *= mu
            b += g
        direction = g + mu * b
        return hp["lr"] * direction, {"b": b, "direction": direction}


class RMSprop(Optimizer):
    """RMSprop (Hinton 2012), as the notebook and torch ``RMSprop`` write it.

        v_t = α_v v_{t-1} + (1 − α_v) g_t²
        θ_t = θ_{t-1} − α g_t / (√v_t + ε)

    (α_v is torch's ``alpha``, the decay of the squared-gradient average.)
    """

    name = "rmsprop"
    title = "RMSprop"
    summary = "divides each coordinate's step by its recent gradient size"
    explain = (
        ("v", "v_t", "α_v·v_{t−1} + (1 − α_v)·g_t²"),
        ("rate", "α / (√v_t + ε)", "(effective step size per coordinate)"),
    )
    step_rule = "α·g_t / (√v_t + ε)"
    latex = (  # the rule as LaTeX, one line each: typeset by the inspector and the lesson
        r"v_t = \alpha_v\,v_{t-1} + (1-\alpha_v)\,g_t^2",
        r"\theta_t = \theta_{t-1} - \frac{\alpha\,g_t}{\sqrt{v_t}+\epsilon}",
    )
    params = (
        lr(0.01),
        HyperParam("alpha", 0.99, "decay of the squared-gradient average", "α_v", 0.0, 1.0, high_open=True),
        eps(1e-8),
    )
    moments = ("v",)

    def update(self, g, theta, state, hp):
        state["t"] += 1
        v = state["v"]
        v *= hp["alpha"]
        v += (1 - hp["alpha"]) * g**2
        denom = np.sqrt(v) + hp["eps"]
        rate = hp["lr"] / denom
        return rate * g, {"v": v, "rate": rate}


class Adagrad(Optimizer):
    """Adagrad (Duchi et al. 2011), as torch ``Adagrad`` (accumulator starts at 0).

    s_t = s_{t-1} + g_t²
    θ_t = θ_{t-1} − α g_t / (√s_t + ε)
    """

    name = "adagrad"
    title = "Adagrad"
    summary = "divides each coordinate's step by all its past gradient sizes"
    explain = (("s", "s_t", "s_{t−1} + g_t²"), ("rate", "α / (√s_t + ε)", "(effective step size per coordinate)"))
    step_rule = "α·g_t / (√s_t + ε)"
    latex = (  # the rule as LaTeX, one line each: typeset by the inspector and the lesson
        r"s_t = s_{t-1} + g_t^2",
        r"\theta_t = \theta_{t-1} - \frac{\alpha\,g_t}{\sqrt{s_t}+\epsilon}",
    )
    params = (lr(0.3), eps(1e-10))
    moments = ("s",)

    def update(self, g, theta, state, hp):
        state["t"] += 1
        s = state["s"]
        s += g**2
        rate = hp["lr"] / (np.sqrt(s) + hp["eps"])
        return rate * g, {"s": s, "rate": rate}


ADAM_ROWS = (
    ("m", "m_t", "β₁·m_{t−1} + (1 − β₁)·g_t"),
    ("v", "v_t", "β₂·v_{t−1} + (1 − β₂)·g_t²"),
    ("m_hat", "m̂_t", "m_t / (1 − β₁^t)"),
    ("v_hat", "v̂_t", "v_t / (1 − β₂^t)"),
    ("rate", "α / (√v̂_t + ε)", "(effective step size per coordinate)"),
)


def _adam_moments(g: np.ndarray, state: State, hp: HParams) -> tuple[np.ndarray, np.ndarray, int]:
    """Advance Adam's two moment averages in place; return (m_t, v_t, t)."""
    state["t"] += 1
    m, v = state["m"], state["v"]
    m *= hp["beta1"]
    m += (1 - hp["beta1"]) * g
    v *= hp["beta2"]
    v += (1 - hp["beta2"]) * g**2
    return m, v, state["t"]


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015): the notebook's five steps, as torch ``Adam``.

        m_t = β₁ m_{t-1} + (1 − β₁) g_t
        v_t = β₂ v_{t-1} + (1 − β₂) g_t²
        m̂_t = m_t / (1 − β₁^t),   v̂_t = v_t / (1 − β₂^t)
        θ_t = θ_{t-1} − α m̂_t / (√v̂_t + ε)

    With ``bias_correction`` off, m̂_t = m_t and v̂_t = v_t.
    """

    name = "adam"
    title = "Adam"
    summary = "momentum divided by the recent gradient size, bias-corrected"
    explain = ADAM_ROWS
    step_rule = "α·m̂_t / (√v̂_t + ε)"
    latex = (  # the rule as LaTeX, one line each: typeset by the inspector and the lesson
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2",
        r"\hat{m}_t = \frac{m_t}{1-\beta_1^t} \qquad \hat{v}_t = \frac{v_t}{1-\beta_2^t}",
        r"\theta_t = \theta_{t-1} - \alpha\,\frac{\hat{m}_t}{\sqrt{\hat{v}_t}+\epsilon}",
    )
    params = (
        lr(0.3),
        beta1(),
        beta2(),
        eps(),
        HyperParam(
            "bias_correction",
            True,
            "divide m and v by (1 − β^t) to undo their start at zero",
            is_bool=True,
        ),
    )
    moments = ("m", "v")

    def update(self, g, theta, state, hp):
        m, v, t = _adam_moments(g, state, hp)
        if hp["bias_correction"]:
            m_hat = m / (1 - hp["beta1"] ** t)
            v_hat = v / (1 - hp["beta2"] ** t)
        else:
            m_hat, v_hat = m, v
        denom = np.sqrt(v_hat) + hp["eps"]
        step = hp["lr"] * m_hat / denom  # the notebook's order of operations, to the last bit
        return step, {"m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat, "rate": hp["lr"] / denom}


class AdamW(Optimizer):
    """AdamW (Loshchilov & Hutter 2019), as torch ``AdamW``: decay decoupled from g.

    m_t, v_t, m̂_t, v̂_t as in Adam
    θ_t = θ_{t-1} − α λ θ_{t-1} − α m̂_t / (√v̂_t + ε)
    """

    name = "adamw"
    title = "AdamW"
    summary = "Adam that also shrinks the weights toward zero, apart from the gradient"
    explain = ADAM_ROWS + (("decay", "α·λ·θ_{t−1}", "(decoupled weight decay)"),)
    step_rule = "α·λ·θ_{t−1} + α·m̂_t / (√v̂_t + ε)"
    latex = (  # the rule as LaTeX, one line each: typeset by the inspector and the lesson
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2",
        r"\hat{m}_t = \frac{m_t}{1-\beta_1^t} \qquad \hat{v}_t = \frac{v_t}{1-\beta_2^t}",
        r"\theta_t = \theta_{t-1} - \alpha\lambda\,\theta_{t-1} - \alpha\,\frac{\hat{m}_t}{\sqrt{\hat{v}_t}+\epsilon}",
    )
    params = (lr(0.3), beta1(), beta2(), eps(), weight_decay(1e-2))
    moments = ("m", "v")

    def update(self, g, theta, state, hp):
        m, v, t = _adam_moments(g, state, hp)
        m_hat = m / (1 - hp["beta1"] ** t)
        v_hat = v / (1 - hp["beta2"] ** t)
        rate = hp["lr"] / (np.sqrt(v_hat) + hp["eps"])
        decay = hp["lr"] * hp["weight_decay"] * theta
        step = decay + rate * m_hat
        return step, {"m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat, "rate": rate, "decay": decay}


class AMSGrad(Optimizer):
    """AMSGrad (Reddi et al. 2018), as torch ``Adam(amsgrad=True)``.

    m_t, v_t as in Adam;   v_t^max = max(v_{t-1}^max, v_t)
    θ_t = θ_{t-1} − α (m_t / (1 − β₁^t)) / (√(v_t^max / (1 − β₂^t)) + ε)
    """

    name = "amsgrad"
    title = "AMSGrad"
    summary = "Adam whose step size never grows back once the gradients were large"
    explain = (
        ADAM_ROWS[0],
        ADAM_ROWS[1],
        ("v_max", "v_t^max", "max(v_{t−1}^max, v_t)"),
        ADAM_ROWS[2],
        ("v_hat", "v̂_t", "v_t^max / (1 − β₂^t)"),
        ADAM_ROWS[4],
    )
    step_rule = "α·m̂_t / (√v̂_t + ε)"
    latex = (  # the rule as LaTeX, one line each: typeset by the inspector and the lesson
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2",
        r"v^{\max}_t = \max(v^{\max}_{t-1},\ v_t)",
        r"\theta_t = \theta_{t-1} - \alpha\,\frac{m_t/(1-\beta_1^t)}{\sqrt{v^{\max}_t/(1-\beta_2^t)}+\epsilon}",
    )
    params = (lr(0.3), beta1(), beta2(), eps())
    moments = ("m", "v", "v_max")

    def update(self, g, theta, state, hp):
        m, v, t = _adam_moments(g, state, hp)
        v_max = state["v_max"]
        np.maximum(v_max, v, out=v_max)
        m_hat = m / (1 - hp["beta1"] ** t)
        v_hat = v_max / (1 - hp["beta2"] ** t)
        rate = hp["lr"] / (np.sqrt(v_hat) + hp["eps"])
        return rate * m_hat, {"m": m, "v": v, "v_max": v_max, "m_hat": m_hat, "v_hat": v_hat, "rate": rate}


class Adamax(Optimizer):
    """Adamax (Kingma & Ba 2015, §7), as torch ``Adamax``.

    m_t = β₁ m_{t-1} + (1 − β₁) g_t
    u_t = max(β₂ u_{t-1}, |g_t| + ε)
    θ_t = θ_{t-1} − α m_t / ((1 − β₁^t) u_t)
    """

    name = "adamax"
    title = "Adamax"
    summary = "Adam with the largest recent gradient in place of the average size"
    explain = (
        ADAM_ROWS[0],
        ("u", "u_t", "max(β₂·u_{t−1}, |g_t| + ε)"),
        ADAM_ROWS[2],
        ("rate", "α / u_t", "(effective step size per coordinate)"),
    )
    step_rule = "α·m̂_t / u_t"
    latex = (  # the rule as LaTeX, one line each: typeset by the inspector and the lesson
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t",
        r"u_t = \max(\beta_2\,u_{t-1},\ |g_t| + \epsilon)",
        r"\theta_t = \theta_{t-1} - \frac{\alpha\,m_t}{(1-\beta_1^t)\,u_t}",
    )
    params = (lr(0.3), beta1(), beta2(), eps())
    moments = ("m", "u")

    def update(self, g, theta, state, hp):
        state["t"] += 1
        t, m, u = state["t"], state["m"], state["u"]
        m *= hp["beta1"]
        m += (1 - hp["beta1"]) * g
        u *= hp["beta2"]
        np.maximum(u, np.abs(g) + hp["eps"], out=u)
        m_hat = m / (1 - hp["beta1"] ** t)
        rate = hp["lr"] / u
        return rate * m_hat, {"m": m, "u": u, "m_hat": m_hat, "rate": rate}


class NAdam(Optimizer):
    """NAdam (Dozat 2016), as torch ``NAdam`` with its momentum decay ψ.

    μ_t = β₁ (1 − ½ · 0.96^(t ψ)),   Π_t = μ_1 ⋯ μ_t
    m_t, v_t as in Adam;   v̂_t = v_t / (1 − β₂^t)
    m̂_t = μ_{t+1} m_t / (1 − Π_t μ_{t+1}) + (1 − μ_t) g_t / (1 − Π_t)
    θ_t = θ_{t-1} − α m̂_t / (√v̂_t + ε)
    """

    name = "nadam"
    title = "NAdam"
    summary = "Adam with Nesterov's look-ahead on the momentum"
    explain = (
        ADAM_ROWS[0],
        ADAM_ROWS[1],
        ("mu", "μ_t", "β₁·(1 − ½·0.96^(t·ψ))"),
        ("m_hat", "m̂_t", "μ_{t+1}·m_t / (1 − Π_{t+1}) + (1 − μ_t)·g_t / (1 − Π_t)"),
        ADAM_ROWS[3],
        ADAM_ROWS[4],
    )
    step_rule = "α·m̂_t / (√v̂_t + ε)"
    latex = (  # the rule as LaTeX, one line each: typeset by the inspector and the lesson
        r"\mu_t = \beta_1\left(1 - \tfrac{1}{2}\,0.96^{t\psi}\right) \qquad \Pi_t = \mu_1 \cdots \mu_t",
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2",
        r"\hat{m}_t = \frac{\mu_{t+1} m_t}{1-\Pi_t\,\mu_{t+1}} + \frac{(1-\mu_t)\,g_t}{1-\Pi_t}",
        r"\hat{v}_t = \frac{v_t}{1-\beta_2^t}",
        r"\theta_t = \theta_{t-1} - \alpha\,\frac{\hat{m}_t}{\sqrt{\hat{v}_t}+\epsilon}",
    )
    params = (
        lr(0.3),
        beta1(),
        beta2(),
        eps(),
        HyperParam(
            "momentum_decay",
            4e-3,
            "how fast the momentum factor μ_t warms up to β₁",
            "ψ",
            0.0,
            float("inf"),
        ),
    )
    moments = ("m", "v")

    def init(self, n):
        state = super().init(n)
        state["mu_product"] = 1.0
        return state

    def update(self, g, theta, state, hp):
        m, v, t = _adam_moments(g, state, hp)
        b1, psi = hp["beta1"], hp["momentum_decay"]
        mu = b1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        state["mu_product"] *= mu
        prod = state["mu_product"]
        m_hat = mu_next * m / (1 - prod * mu_next) + (1 - mu) * g / (1 - prod)
        v_hat = v / (1 - hp["beta2"] ** t)
        rate = hp["lr"] / (np.sqrt(v_hat) + hp["eps"])
        return rate * m_hat, {"m": m, "v": v, "mu": mu, "m_hat": m_hat, "v_hat": v_hat, "rate": rate}


class Sign(Optimizer):
    """Sign descent: every coordinate moves α against the sign of its gradient, whatever the slope.

    θ_t = θ_{t-1} − α·sign(g_t)

    It is where Adam starts: with bias correction, Adam's first step is m̂₁/(√v̂₁ + ε) = g/(|g| + ε),
    this rule but for ε; and with β₁ = β₂ = 0 (no averages), Adam is this rule at every step.
    """

    name = "sign"
    title = "Sign descent"
    summary = "moves every coordinate by α downhill, whatever the slope: where Adam starts"
    explain = ()
    step_rule = "α·sign(g_t)"
    latex = (r"\theta_t = \theta_{t-1} - \alpha\,\mathrm{sign}(g_t)",)
    params = (lr(0.1),)

    def update(self, g, theta, state, hp):
        state["t"] += 1
        return hp["lr"] * np.sign(g), {}


class Newton(Optimizer):
    """Damped Newton's method with the surface's exact Hessian H (its second derivatives).

    d_t = (H(θ_{t-1}) + λI)⁻¹ g_t
    θ_t = θ_{t-1} − α d_t

    With α = 1 and λ = 0 it lands on a quadratic's stationary point in one step: its minimum, or its
    saddle point (Newton's method seeks where the gradient vanishes, not where f is lowest).
    Where H + λI is singular the step is infinite and the run is marked diverged.
    """

    name = "newton"
    title = "Newton's method"
    summary = "divides the gradient by the curvature: one step to a quadratic's centre"
    explain = (("direction", "d_t", "(H(θ_{t−1}) + λI)⁻¹·g_t"),)
    step_rule = "α·d_t"
    latex = (
        r"d_t = \left(H(\theta_{t-1}) + \lambda I\right)^{-1} g_t",
        r"\theta_t = \theta_{t-1} - \alpha\,d_t",
    )
    params = (
        lr(1.0),
        HyperParam("damping", 0.0, "added to the Hessian's diagonal: smaller, safer steps", "λ", 0.0, 1e6),
    )
    needs_hessian = True

    def update(self, g, theta, state, hp, hessian=None):
        state["t"] += 1
        lam = hp["damping"]
        a, b, d = hessian[:, 0, 0] + lam, hessian[:, 0, 1], hessian[:, 1, 1] + lam
        det = a * d - b * b
        direction = np.column_stack([(d * g[:, 0] - b * g[:, 1]) / det, (a * g[:, 1] - b * g[:, 0]) / det])
        return hp["lr"] * direction, {"direction": direction}


OPTIMIZERS: dict[str, Optimizer] = {
    opt.name: opt
    for opt in (
        GD(), Momentum(), Nesterov(), RMSprop(), Adagrad(), Adam(), AdamW(), AMSGrad(), Adamax(), NAdam(), Sign(),
        Newton(),
    )
}  # fmt: skip


def get_optimizer(name: str) -> Optimizer:
    """The optimizer called ``name``, or a ParamError suggesting the nearest name."""
    try:
        return OPTIMIZERS[name]
    except KeyError:
        raise ParamError(unknown_name("optimizer", name, OPTIMIZERS)) from None
