"""The optimizers: each a small state and one update rule, vectorized over points.

Every rule works on an ``(N, d)`` batch (``d = 2`` on a surface; a network's parameter count when
training one, core/training.py): ``g`` is the gradient at the current
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
from dataclasses import replace

import numpy as np

from adamgui.core.params import HyperParam, ParamError, beta1, beta2, eps, lr, unknown_name, weight_decay

State = dict
Terms = dict
HParams = Mapping[str, float | bool]


def _average(avg: np.ndarray, value: np.ndarray, beta: float) -> None:
    """avg ← β·avg + (1 − β)·value, in place: an exponential moving average (momentum's m, RMSprop's and Adam's v)."""
    avg *= beta
    avg += (1 - beta) * value


def _unbiased(avg: np.ndarray, beta: float, t: int) -> np.ndarray:
    """avg / (1 − β^t): an average that started at zero, its bias toward zero undone (Adam's m̂ and v̂)."""
    return avg / (1 - beta**t)


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

    def init(self, n: int, d: int = 2) -> State:
        """Fresh state for ``n`` points of ``d`` coordinates (2 on a surface; a network's parameter count):
        ``t = 0`` and every moment at zero."""
        state: State = {"t": 0}
        for key in self.moments:
            state[key] = np.zeros((n, d))
        return state

    def update(self, g: np.ndarray, theta: np.ndarray, state: State, hp: HParams) -> tuple[np.ndarray, Terms]:
        raise NotImplementedError

    def latex_for(self, hp: HParams) -> tuple[str, ...]:
        """The rule as these hyperparameters make it (Adam without bias correction: m̂ = m, v̂ = v)."""
        return self.latex

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
        _average(m, g, hp["beta1"])
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
        _average(v, g**2, hp["alpha"])
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


UNCORRECTED_LATEX = r"\hat{m}_t = m_t \qquad \hat{v}_t = v_t \qquad \text{(bias correction off)}"

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
    _average(m, g, hp["beta1"])
    _average(v, g**2, hp["beta2"])
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

    def latex_for(self, hp):
        if hp.get("bias_correction", True):
            return self.latex
        return (self.latex[0], UNCORRECTED_LATEX, self.latex[2])

    def update(self, g, theta, state, hp):
        m, v, t = _adam_moments(g, state, hp)
        if hp["bias_correction"]:
            m_hat = _unbiased(m, hp["beta1"], t)
            v_hat = _unbiased(v, hp["beta2"], t)
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
        m_hat = _unbiased(m, hp["beta1"], t)
        v_hat = _unbiased(v, hp["beta2"], t)
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
        m_hat = _unbiased(m, hp["beta1"], t)
        v_hat = _unbiased(v_max, hp["beta2"], t)
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
        _average(m, g, hp["beta1"])
        u *= hp["beta2"]
        np.maximum(u, np.abs(g) + hp["eps"], out=u)
        m_hat = _unbiased(m, hp["beta1"], t)
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

    def init(self, n, d=2):
        state = super().init(n, d)
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
        v_hat = _unbiased(v, hp["beta2"], t)
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


class RAdam(Optimizer):
    """RAdam (Liu et al. 2020), as torch ``RAdam``: Adam whose adaptive step waits until v can be trusted.

        m_t, v_t as in Adam;   m̂_t = m_t / (1 − β₁^t)
        ρ_∞ = 2 / (1 − β₂) − 1,   ρ_t = ρ_∞ − 2 t β₂^t / (1 − β₂^t)
        if ρ_t > 5:  r_t = √((ρ_t − 4)(ρ_t − 2) ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2) ρ_t))
                     θ_t = θ_{t-1} − α r_t m̂_t √(1 − β₂^t) / (√v_t + ε)
        else:        θ_t = θ_{t-1} − α m̂_t          (momentum alone: too few gradients seen)

    ρ_t estimates how many gradients the average v_t stands for; with β₂ = 0.999 the adaptive step
    starts at step 6.
    """

    name = "radam"
    title = "RAdam"
    summary = "Adam that takes plain momentum steps until its gradient-size average is reliable"
    explain = (
        ADAM_ROWS[0],
        ADAM_ROWS[1],
        ADAM_ROWS[2],
        ("rho", "ρ_t", "ρ_∞ − 2t·β₂^t / (1 − β₂^t),  ρ_∞ = 2/(1 − β₂) − 1"),
        ("rect", "r_t", "√((ρ_t−4)(ρ_t−2)ρ_∞ / ((ρ_∞−4)(ρ_∞−2)ρ_t)) when ρ_t > 5, else 0 (no adaptive step)"),
        ("rate", "step size per coordinate", "α·r_t·√(1 − β₂^t) / (√v_t + ε), or α while ρ_t ≤ 5"),
    )
    step_rule = "rate·m̂_t"
    latex = (
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2",
        r"\hat{m}_t = \frac{m_t}{1-\beta_1^t} \qquad \rho_\infty = \frac{2}{1-\beta_2} - 1"
        r" \qquad \rho_t = \rho_\infty - \frac{2t\,\beta_2^t}{1-\beta_2^t}",
        r"r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\,\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\,\rho_t}}",
        r"\theta_t = \theta_{t-1} - \alpha\,r_t\,\hat{m}_t\,\frac{\sqrt{1-\beta_2^t}}{\sqrt{v_t}+\epsilon}"
        r" \quad \text{if } \rho_t > 5, \text{ else } \theta_{t-1} - \alpha\,\hat{m}_t",
    )
    params = (lr(0.1), beta1(), beta2(), eps())  # its first five steps are α·m̂: a smaller α than Adam's
    moments = ("m", "v")

    def update(self, g, theta, state, hp):
        m, v, t = _adam_moments(g, state, hp)
        b2 = hp["beta2"]
        m_hat = _unbiased(m, hp["beta1"], t)
        c2 = 1 - b2**t
        rho_inf = 2 / (1 - b2) - 1
        rho = rho_inf - 2 * t * b2**t / c2
        adaptive = rho > 5  # a number, or an (N, 1) column when β₂ is swept
        ratio = (rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho)
        rect = np.where(adaptive, np.sqrt(np.where(adaptive, ratio, 1.0)), 0.0)
        rate = np.where(adaptive, hp["lr"] * rect * np.sqrt(c2) / (np.sqrt(v) + hp["eps"]), hp["lr"] * np.ones_like(v))
        return rate * m_hat, {"m": m, "v": v, "m_hat": m_hat, "rho": _number(rho), "rect": _number(rect), "rate": rate}


def _number(value):
    """A float where ``value`` is one number (the inspector shows it once), else the array as it is."""
    return float(value) if np.ndim(value) == 0 else value


class Adadelta(Optimizer):
    """Adadelta (Zeiler 2012), as torch ``Adadelta``: a step measured in the units of past steps.

        v_t = ρ v_{t-1} + (1 − ρ) g_t²
        d_t = √(u_{t-1} + ε) / √(v_t + ε) · g_t
        u_t = ρ u_{t-1} + (1 − ρ) d_t²
        θ_t = θ_{t-1} − α d_t

    u averages the squared steps themselves, so the first steps are about √ε long and grow as the
    run moves: Adadelta needs no learning rate (torch's α = 1 multiplies the step).
    """

    name = "adadelta"
    title = "Adadelta"
    summary = "scales each step by the size of its recent steps over its recent gradients"
    explain = (
        ("v", "v_t", "ρ·v_{t−1} + (1 − ρ)·g_t²"),
        ("rate", "√(u_{t−1} + ε) / √(v_t + ε)", "(past step size over gradient size, per coordinate)"),
        ("d", "d_t", "rate·g_t"),
        ("u", "u_t", "ρ·u_{t−1} + (1 − ρ)·d_t²"),
    )
    step_rule = "α·d_t"
    latex = (
        r"v_t = \rho\,v_{t-1} + (1-\rho)\,g_t^2",
        r"d_t = \frac{\sqrt{u_{t-1}+\epsilon}}{\sqrt{v_t+\epsilon}}\,g_t \qquad u_t = \rho\,u_{t-1} + (1-\rho)\,d_t^2",
        r"\theta_t = \theta_{t-1} - \alpha\,d_t",
    )
    params = (
        lr(1.0),
        HyperParam("rho", 0.9, "decay of both averages: squared gradients and squared steps", "ρ", 0.0, 1.0),
        eps(1e-6),
    )
    moments = ("v", "u")

    def update(self, g, theta, state, hp):
        state["t"] += 1
        rho, v, u = hp["rho"], state["v"], state["u"]
        _average(v, g**2, rho)
        rate = np.sqrt(u + hp["eps"]) / np.sqrt(v + hp["eps"])
        d = rate * g
        _average(u, d**2, rho)
        return hp["lr"] * d, {"v": v, "rate": rate, "d": d, "u": u}


class Lion(Optimizer):
    """Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"), as pytorch_optimizer's ``Lion``.

        c_t = β₁ m_{t-1} + (1 − β₁) g_t
        θ_t = θ_{t-1} − α (sign(c_t) + λ θ_{t-1})
        m_t = β₂ m_{t-1} + (1 − β₂) g_t

    Every coordinate moves exactly α (plus the decay): only the sign of an interpolation between
    momentum and gradient is used. Its momentum m keeps a longer memory (β₂) than the direction
    it steps in (β₁).
    """

    name = "lion"
    title = "Lion"
    summary = "steps α along the sign of a blend of momentum and gradient: every step the same size"
    explain = (
        ("c", "c_t", "β₁·m_{t−1} + (1 − β₁)·g_t"),
        ("m", "m_t", "β₂·m_{t−1} + (1 − β₂)·g_t"),
        ("decay", "α·λ·θ_{t−1}", "(decoupled weight decay)"),
    )
    step_rule = "α·sign(c_t) + α·λ·θ_{t−1}"
    latex = (
        r"c_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t",
        r"\theta_t = \theta_{t-1} - \alpha\left(\mathrm{sign}(c_t) + \lambda\,\theta_{t-1}\right)",
        r"m_t = \beta_2 m_{t-1} + (1-\beta_2)\,g_t",
    )
    params = (
        lr(0.1),
        replace(beta1(0.9), meaning="the step direction's share of momentum (the rest is this gradient)"),
        replace(beta2(0.99), meaning="decay of the momentum average"),
        weight_decay(0.0),
    )
    moments = ("m",)

    def update(self, g, theta, state, hp):
        state["t"] += 1
        m = state["m"]
        c = hp["beta1"] * m + (1 - hp["beta1"]) * g
        _average(m, g, hp["beta2"])
        decay = hp["lr"] * hp["weight_decay"] * theta
        return hp["lr"] * np.sign(c) + decay, {"c": c, "m": m, "decay": decay}


class AdaBelief(Optimizer):
    """AdaBelief (Zhuang et al. 2020), as pytorch_optimizer's ``AdaBelief`` (not rectified).

        m_t = β₁ m_{t-1} + (1 − β₁) g_t
        s_t = β₂ s_{t-1} + (1 − β₂) (g_t − m_t)² + ε
        θ_t = θ_{t-1} − α λ θ_{t-1} − α (m_t / (1 − β₁^t)) / (√(s_t / (1 − β₂^t)) + ε)

    Where Adam divides by the size of the gradients, AdaBelief divides by how far they stray from
    their average (its "belief"): a steady slope, however steep, gets a large step.
    """

    name = "adabelief"
    title = "AdaBelief"
    summary = "Adam that divides by how much the gradient surprises it, not by its size"
    explain = (
        ADAM_ROWS[0],
        ("s", "s_t", "β₂·s_{t−1} + (1 − β₂)·(g_t − m_t)² + ε"),
        ADAM_ROWS[2],
        ("s_hat", "ŝ_t", "s_t / (1 − β₂^t)"),
        ("rate", "α / (√ŝ_t + ε)", "(effective step size per coordinate)"),
        ("decay", "α·λ·θ_{t−1}", "(decoupled weight decay)"),
    )
    step_rule = "α·λ·θ_{t−1} + α·m̂_t / (√ŝ_t + ε)"
    latex = (
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t",
        r"s_t = \beta_2 s_{t-1} + (1-\beta_2)\,(g_t - m_t)^2 + \epsilon",
        r"\theta_t = \theta_{t-1} - \alpha\lambda\,\theta_{t-1}"
        r" - \alpha\,\frac{m_t/(1-\beta_1^t)}{\sqrt{s_t/(1-\beta_2^t)}+\epsilon}",
    )
    params = (
        lr(0.3),
        beta1(),
        replace(beta2(), meaning="decay of the average squared gap between gradient and momentum"),
        eps(1e-16),
        weight_decay(0.0),
    )
    moments = ("m", "s")

    def update(self, g, theta, state, hp):
        state["t"] += 1
        t, m, s = state["t"], state["m"], state["s"]
        _average(m, g, hp["beta1"])
        _average(s, (g - m) ** 2, hp["beta2"])
        s += hp["eps"]
        m_hat = _unbiased(m, hp["beta1"], t)
        s_hat = _unbiased(s, hp["beta2"], t)
        rate = hp["lr"] / (np.sqrt(s_hat) + hp["eps"])
        decay = hp["lr"] * hp["weight_decay"] * theta
        step = decay + rate * m_hat
        return step, {"m": m, "s": s, "m_hat": m_hat, "s_hat": s_hat, "rate": rate, "decay": decay}


class ScheduleFreeAdamW(Optimizer):
    """Schedule-Free AdamW (Defazio et al. 2024), as the authors' reference ``AdamWScheduleFreeReference``.

    Three sequences: z takes AdamW-like steps, x is a weighted average of the z's (what one
    evaluates at the end), and y, between them, is where the gradient is taken and what is drawn.

        α_t = α · min(1, t / warmup)  (α without warm-up),   α_max = max(α_1 … α_t)
        w_t = t^r · α_max^p,   c_t = w_t / (w_1 + … + w_t)
        v_t = β₂ v_{t-1} + (1 − β₂) g_t²
        z_t = z_{t-1} − α_t λ y_{t-1} − α_t g_t / (√(v_t / (1 − β₂^t)) + ε)
        x_t = (1 − c_t) x_{t-1} + c_t z_t
        y_t = β₁ x_t + (1 − β₁) z_t          (x_0 = y_0 = z_0 = the start)

    (p is ``weight_lr_power``.) No learning-rate schedule is needed: the averaging does its work.
    """

    name = "schedulefree-adamw"
    title = "Schedule-Free AdamW"
    summary = "averages its own iterates instead of decaying the learning rate"
    explain = (
        ("v", "v_t", "β₂·v_{t−1} + (1 − β₂)·g_t²"),
        ("z", "z_t", "z_{t−1} − α_t·λ·y_{t−1} − α_t·g_t / (√(v_t / (1 − β₂^t)) + ε)"),
        ("c", "c_t", "w_t / Σ w,  w_t = t^r·α_max^p"),
        ("x", "x_t", "(1 − c_t)·x_{t−1} + c_t·z_t   (the average)"),
        ("y", "y_t", "β₁·x_t + (1 − β₁)·z_t   (where the next gradient is taken: the point drawn)"),
    )
    step_rule = "y_{t−1} − y_t"
    latex = (
        r"v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2",
        r"z_t = z_{t-1} - \alpha_t \lambda\,y_{t-1} - \alpha_t\,\frac{g_t}{\sqrt{v_t/(1-\beta_2^t)}+\epsilon}",
        r"c_t = \frac{t^r\,\alpha_{\max}^p}{\sum_{i \le t} i^r\,\alpha_{\max,i}^p}"
        r" \qquad x_t = (1-c_t)\,x_{t-1} + c_t\,z_t",
        r"y_t = \beta_1\,x_t + (1-\beta_1)\,z_t",
    )
    params = (
        lr(0.3),
        replace(beta1(), meaning="where y, the gradient's point, sits between the average x (1) and z (0)"),
        beta2(),
        eps(),
        weight_decay(0.0),
        HyperParam("warmup_steps", 0.0, "steps over which α rises linearly from α/warmup to α", "", 0.0, 1e9),
        HyperParam("r", 0.0, "weights later iterates more in the average x (w_t ∝ t^r)", "r", 0.0, 1e3),
        HyperParam(
            "weight_lr_power", 2.0, "weights each iterate in x by the largest α so far to this power", "p", 0.0, 1e3
        ),
    )
    moments = ("v", "z", "x")

    def init(self, n, d=2):
        state = super().init(n, d)
        state["lr_max"] = np.full((n, 1), -1.0)  # per point: a sweep gives each its own α
        state["weight_sum"] = np.zeros((n, 1))
        return state

    def update(self, g, theta, state, hp):
        if state["t"] == 0:
            state["z"][...] = theta
            state["x"][...] = theta
        state["t"] += 1
        t, v, z, x = state["t"], state["v"], state["z"], state["x"]
        warmup = hp["warmup_steps"]
        # the reference's "k < warmup_steps: sched = (k + 1) / warmup_steps" with k = t − 1
        lr_t = hp["lr"] * np.where(t - 1 < warmup, t / np.maximum(warmup, 1e-300), 1.0)
        np.maximum(state["lr_max"], lr_t, out=state["lr_max"])
        weight = t ** hp["r"] * state["lr_max"] ** hp["weight_lr_power"]
        state["weight_sum"] += weight
        with np.errstate(invalid="ignore", divide="ignore"):
            c = np.where(state["weight_sum"] > 0, weight / state["weight_sum"], 0.0)
        z -= lr_t * hp["weight_decay"] * theta
        _average(v, g**2, hp["beta2"])
        z -= lr_t * g / (np.sqrt(_unbiased(v, hp["beta2"], t)) + hp["eps"])
        x *= 1 - c
        x += c * z
        y = hp["beta1"] * x + (1 - hp["beta1"]) * z
        return theta - y, {"v": v, "z": z, "c": c[:, 0], "x": x, "y": y}


OPTIMIZERS: dict[str, Optimizer] = {
    opt.name: opt
    for opt in (
        GD(), Momentum(), Nesterov(), RMSprop(), Adagrad(), Adam(), AdamW(), AMSGrad(), Adamax(), NAdam(), RAdam(),
        Adadelta(), Lion(), AdaBelief(), ScheduleFreeAdamW(), Sign(), Newton(),
    )
}  # fmt: skip


def get_optimizer(name: str) -> Optimizer:
    """The optimizer called ``name``, or a ParamError suggesting the nearest name."""
    try:
        return OPTIMIZERS[name]
    except KeyError:
        raise ParamError(unknown_name("optimizer", name, OPTIMIZERS)) from None
