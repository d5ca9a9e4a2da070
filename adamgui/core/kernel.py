"""The compiled engine's kernel, in numba (imported only by :func:`adamgui.core.compiled.kernel`, which
says when and why it is used). Functions at module level, so that numba keeps them compiled on disk.

Each line of ``rule_step`` is its optimizer's ``update`` (core/optimizers.py) written for one number,
operation for operation in numpy's order; the surfaces' own functions (core/surfaces.py) are compiled
as they are. ``tests/core/test_compiled.py`` holds both to the same bits.
"""

from __future__ import annotations

import math

import numba

from adamgui.core import surface_functions as s
from adamgui.core.engine_spec import CONVERGED, DIVERGED, GRAD_TOL, HUGE, RUNNING, STEP_TOL, SURFACES, UNDEFINED

jit = numba.njit(cache=True, nogil=True)
# each surface's f, gradient and Hessian, compiled from surface_functions.py, in the order of SURFACES' codes
_fields = [[jit(getattr(s, f"{name}{part}")) for part in ("", "_grad", "_hess")] for name in SURFACES]
(f0, g0, h0), (f1, g1, h1), (f2, g2, h2), (f3, g3, h3), (f4, g4, h4), (f5, g5, h5) = _fields
GRAD_TOL2, STEP_TOL2 = GRAD_TOL**2, STEP_TOL**2  # as Run._advance squares them


@numba.njit(cache=True, nogil=True, inline="always")
def gradient(surface, x, y):
    if surface == 0:
        return g0(x, y)
    if surface == 1:
        return g1(x, y)
    if surface == 2:
        return g2(x, y)
    if surface == 3:
        return g3(x, y)
    if surface == 4:
        return g4(x, y)
    return g5(x, y)


@numba.njit(cache=True, nogil=True, inline="always")
def hessian(surface, x, y):
    if surface == 0:
        return h0(x, y)
    if surface == 1:
        return h1(x, y)
    if surface == 2:
        return h2(x, y)
    if surface == 3:
        return h3(x, y)
    if surface == 4:
        return h4(x, y)
    return h5(x, y)


@numba.njit(cache=True, nogil=True, inline="always")
def value(surface, x, y):
    if surface == 0:
        return f0(x, y)
    if surface == 1:
        return f1(x, y)
    if surface == 2:
        return f2(x, y)
    if surface == 3:
        return f3(x, y)
    if surface == 4:
        return f4(x, y)
    return f5(x, y)


@numba.njit(cache=True, nogil=True, inline="always")
def sign(a):  # numpy's: 0 for ±0, NaN for NaN
    if a > 0:
        return 1.0
    if a < 0:
        return -1.0
    if a == 0:
        return 0.0
    return a


@numba.njit(cache=True, nogil=True, inline="always")
def maximum(a, b):  # numpy's: NaN if either is NaN
    if a != a:
        return a
    if b != b:
        return b
    return a if a >= b else b


@numba.njit(cache=True, nogil=True)
def rule_step(code, p, c, g, th, t, hp, mo, prod_mu, mu, mu_next):
    """The step (θ_{t-1} − θ_t) of coordinate ``c`` of row ``p``; its rule's moments advance in place.
    Each line is its class's ``update`` in numpy, written for one number, operation by operation."""
    lr = hp[p, 0]
    if code == 0:  # gd
        return lr * g
    if code == 1:  # momentum
        b1 = hp[p, 1]
        m = mo[p, 0, c] * b1 + (1 - b1) * g
        mo[p, 0, c] = m
        return lr * m
    if code == 2:  # nesterov
        mom = hp[p, 1]
        b = g if t == 1 else mo[p, 0, c] * mom + g
        mo[p, 0, c] = b
        return lr * (g + mom * b)
    if code == 3:  # rmsprop
        alpha, eps = hp[p, 1], hp[p, 2]
        v = mo[p, 0, c] * alpha + (1 - alpha) * (g * g)
        mo[p, 0, c] = v
        return (lr / (math.sqrt(v) + eps)) * g
    if code == 4:  # adagrad
        s_ = mo[p, 0, c] + g * g
        mo[p, 0, c] = s_
        return (lr / (math.sqrt(s_) + hp[p, 1])) * g
    if code == 14:  # sign
        return lr * sign(g)
    b1, b2 = hp[p, 1], hp[p, 2]
    if code == 11:  # adadelta: rho, eps
        rho, eps = b1, b2
        v = mo[p, 0, c] * rho + (1 - rho) * (g * g)
        mo[p, 0, c] = v
        d = (math.sqrt(mo[p, 1, c] + eps) / math.sqrt(v + eps)) * g
        mo[p, 1, c] = mo[p, 1, c] * rho + (1 - rho) * (d * d)
        return lr * d
    if code == 12:  # lion: beta1, beta2, weight_decay
        m = mo[p, 0, c]
        direction = b1 * m + (1 - b1) * g
        mo[p, 0, c] = m * b2 + (1 - b2) * g
        return lr * sign(direction) + lr * hp[p, 3] * th
    if code == 13:  # adabelief
        eps = hp[p, 3]
        m = mo[p, 0, c] * b1 + (1 - b1) * g
        gap = g - m
        s_ = mo[p, 1, c] * b2 + (1 - b2) * (gap * gap)
        s_ = s_ + eps
        mo[p, 0, c], mo[p, 1, c] = m, s_
        m_hat = m / (1 - math.pow(b1, float(t)))
        s_hat = s_ / (1 - math.pow(b2, float(t)))
        return lr * hp[p, 4] * th + (lr / (math.sqrt(s_hat) + eps)) * m_hat
    # the Adam family: both moments first, as _adam_moments does (Adamax keeps u, not v)
    eps = hp[p, 3]
    m = mo[p, 0, c] * b1 + (1 - b1) * g
    mo[p, 0, c] = m
    if code == 8:  # adamax
        u = maximum(mo[p, 1, c] * b2, abs(g) + eps)
        mo[p, 1, c] = u
        return (lr / u) * (m / (1 - math.pow(b1, float(t))))
    v = mo[p, 1, c] * b2 + (1 - b2) * (g * g)
    mo[p, 1, c] = v
    if code == 5:  # adam
        if hp[p, 4] != 0:
            m_hat, v_hat = m / (1 - math.pow(b1, float(t))), v / (1 - math.pow(b2, float(t)))
        else:
            m_hat, v_hat = m, v
        return lr * m_hat / (math.sqrt(v_hat) + eps)
    if code == 6:  # adamw
        m_hat, v_hat = m / (1 - math.pow(b1, float(t))), v / (1 - math.pow(b2, float(t)))
        return lr * hp[p, 4] * th + (lr / (math.sqrt(v_hat) + eps)) * m_hat
    if code == 7:  # amsgrad
        v_max = maximum(mo[p, 2, c], v)
        mo[p, 2, c] = v_max
        m_hat, v_hat = m / (1 - math.pow(b1, float(t))), v_max / (1 - math.pow(b2, float(t)))
        return (lr / (math.sqrt(v_hat) + eps)) * m_hat
    if code == 9:  # nadam (μ_t, μ_{t+1} and the product Π_t worked out per row by the caller)
        m_hat = mu_next * m / (1 - prod_mu * mu_next) + (1 - mu) * g / (1 - prod_mu)
        v_hat = v / (1 - math.pow(b2, float(t)))
        return (lr / (math.sqrt(v_hat) + eps)) * m_hat
    # radam
    m_hat = m / (1 - math.pow(b1, float(t)))
    c2 = 1 - math.pow(b2, float(t))
    rho_inf = 2 / (1 - b2) - 1
    rho = rho_inf - 2 * t * math.pow(b2, float(t)) / c2
    if rho > 5:
        ratio = (rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho)
        return (lr * math.sqrt(ratio) * math.sqrt(c2) / (math.sqrt(v) + eps)) * m_hat
    return lr * m_hat


@numba.njit(cache=True, nogil=True)
def advance(
    surface, codes, hp, moments, counts, products, theta, status, status_step, loss, t0, steps, noise, noisy,
    positions, grads, keep_grads,
):  # fmt: skip
    """``steps`` steps of every row, as ``Run.step`` on the stack does them one at a time: positions and
    (if ``keep_grads``) the gradients used into ``positions[j]`` and ``grads[j]``."""
    rows = len(theta)
    for j in range(steps):
        t = t0 + j + 1
        for p in range(rows):
            x, y = theta[p, 0], theta[p, 1]
            gx, gy = gradient(surface, x, y)
            if noisy[p]:
                gx += noise[j, p, 0]
                gy += noise[j, p, 1]
            code = codes[p]
            counts[p] += 1
            tr = counts[p]  # the rule's own step count
            mu = mu_next = 0.0
            if code == 9:
                b1, psi = hp[p, 1], hp[p, 4]
                mu = b1 * (1 - 0.5 * math.pow(0.96, tr * psi))
                mu_next = b1 * (1 - 0.5 * math.pow(0.96, (tr + 1) * psi))
                products[p] *= mu
            if code == 15:  # newton, both coordinates at once: (H + λI)⁻¹ g with the exact Hessian
                hxx, hxy, hyy = hessian(surface, x, y)
                a, b, d = hxx + hp[p, 1], hxy, hyy + hp[p, 1]
                det = a * d - b * b
                sx, sy = hp[p, 0] * ((d * gx - b * gy) / det), hp[p, 0] * ((a * gy - b * gx) / det)
            else:
                sx = rule_step(code, p, 0, gx, x, tr, hp, moments, products[p], mu, mu_next)
                sy = rule_step(code, p, 1, gy, y, tr, hp, moments, products[p], mu, mu_next)
            nx, ny = x - sx, y - sy
            new_loss = value(surface, nx, ny)
            if status[p] == RUNNING:
                finite = math.isfinite(new_loss) and math.isfinite(nx + ny) and math.isfinite(gx + gy)
                still = gx * gx + gy * gy <= GRAD_TOL2 and sx * sx + sy * sy <= STEP_TOL2
                if finite and not still:
                    theta[p, 0], theta[p, 1] = nx, ny
                    loss[p] = new_loss
                elif not finite:
                    gap = (new_loss != new_loss or gx != gx or gy != gy) and abs(nx) < HUGE and abs(ny) < HUGE
                    status[p] = UNDEFINED if gap else DIVERGED
                    status_step[p] = t
                else:
                    status[p] = CONVERGED
                    status_step[p] = t - 1
            positions[j, p, 0], positions[j, p, 1] = theta[p, 0], theta[p, 1]
            if keep_grads:
                grads[j, p, 0], grads[j, p, 1] = gx, gy
