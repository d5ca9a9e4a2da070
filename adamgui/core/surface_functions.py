"""The built-in surfaces' functions, exact gradients and Hessians, written out.

Each takes arrays ``x`` and ``y`` of any (equal) shape and works element-wise, so a whole grid or a batch of points
is one call; those the compiled kernel knows use only + − × and squares (see core/engine_spec.py).
"""

from __future__ import annotations

import numpy as np

TAU = 2 * np.pi


def saddle(x, y):
    return x**2 - y**2


def saddle_grad(x, y):
    return 2 * x, -2 * y


def bowl(x, y):
    return x**2 + y**2


def bowl_grad(x, y):
    return 2 * x, 2 * y


def ravine(x, y):
    return 0.1 * x**2 + 2 * y**2


def ravine_grad(x, y):
    return 0.2 * x, 4 * y


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def rosenbrock_grad(x, y):
    r = y - x**2
    return -2 * (1 - x) - 400 * x * r, 200 * r


def beale(x, y):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def beale_grad(x, y):
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y**2
    c = 2.625 - x + x * y**3
    gx = 2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1)
    gy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y**2
    return gx, gy


def himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def himmelblau_grad(x, y):
    a = x**2 + y - 11
    b = x + y**2 - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


def booth(x, y):
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


def booth_grad(x, y):
    a = x + 2 * y - 7
    b = 2 * x + y - 5
    return 2 * a + 4 * b, 4 * a + 2 * b


def rastrigin(x, y):
    return 20 + x**2 - 10 * np.cos(TAU * x) + y**2 - 10 * np.cos(TAU * y)


def rastrigin_grad(x, y):
    return 2 * x + 10 * TAU * np.sin(TAU * x), 2 * y + 10 * TAU * np.sin(TAU * y)


def ackley(x, y):
    r = np.sqrt(0.5 * (x**2 + y**2))
    return -20 * np.exp(-0.2 * r) - np.exp(0.5 * (np.cos(TAU * x) + np.cos(TAU * y))) + np.e + 20


def ackley_grad(x, y):
    r = np.sqrt(0.5 * (x**2 + y**2))
    # d/dx of -20 exp(-0.2 r) is 2 exp(-0.2 r) x / r; at r = 0 the limit along any
    # line is finite but direction-dependent, so the origin (the minimum) gets 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        radial = np.where(r > 0, 2 * np.exp(-0.2 * r) / r, 0.0)
    wave = np.pi * np.exp(0.5 * (np.cos(TAU * x) + np.cos(TAU * y)))
    return radial * x + wave * np.sin(TAU * x), radial * y + wave * np.sin(TAU * y)


def camel(x, y):
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def camel_grad(x, y):
    return 8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3


def monkey(x, y):
    return x**3 - 3 * x * y**2


def monkey_grad(x, y):
    return 3 * x**2 - 3 * y**2, -6 * x * y


def plateau(x, y):
    return 1 - np.exp(-(x**2 + y**2) / 2)


def plateau_grad(x, y):
    e = np.exp(-(x**2 + y**2) / 2)
    return x * e, y * e


# Second derivatives (f_xx, f_xy, f_yy), worked out by hand like the gradients above, so that
# Newton's method and the curvature view never need sympy on a built-in surface; the tests check
# each against sympy's derivatives of the formula and against central differences of the gradient.
def saddle_hess(x, y):
    return 2.0, 0.0, -2.0


def bowl_hess(x, y):
    return 2.0, 0.0, 2.0


def ravine_hess(x, y):
    return 0.2, 0.0, 4.0


def rosenbrock_hess(x, y):
    return 2 - 400 * y + 1200 * x**2, -400 * x, 200.0


def beale_hess(x, y):
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    ax, bx, cx = y - 1, y**2 - 1, y**3 - 1  # ∂/∂x of a, b, c
    ay, by, cy = x, 2 * x * y, 3 * x * y**2  # ∂/∂y
    hxx = 2 * (ax**2 + bx**2 + cx**2)
    hxy = 2 * (ax * ay + a + bx * by + b * 2 * y + cx * cy + c * 3 * y**2)
    hyy = 2 * (ay**2 + by**2 + b * 2 * x + cy**2 + c * 6 * x * y)
    return hxx, hxy, hyy


def himmelblau_hess(x, y):
    a, b = x**2 + y - 11, x + y**2 - 7
    return 4 * a + 8 * x**2 + 2, 4 * x + 4 * y, 2 + 4 * b + 8 * y**2


def booth_hess(x, y):
    return 10.0, 8.0, 10.0


def rastrigin_hess(x, y):
    k = 10 * TAU**2
    return 2 + k * np.cos(TAU * x), 0.0, 2 + k * np.cos(TAU * y)


def ackley_hess(x, y):
    r = np.sqrt(0.5 * (x**2 + y**2))
    # the cone −20·exp(−0.2r): with q = 2·exp(−0.2r)/r its gradient is q·(x, y), and dq/dr = −q·(0.2 + 1/r);
    # at r = 0 (the minimum) it is a cone's tip: no second derivative (NaN)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(r > 0, 2 * np.exp(-0.2 * r) / r, np.nan)
        k = np.where(r > 0, 0.5 * q * (0.2 + 1 / r) / r, np.nan)
    e = np.exp(0.5 * (np.cos(TAU * x) + np.cos(TAU * y)))
    sx, sy = np.sin(TAU * x), np.sin(TAU * y)
    hxx = q - k * x**2 + np.pi * e * (TAU * np.cos(TAU * x) - np.pi * sx**2)
    hyy = q - k * y**2 + np.pi * e * (TAU * np.cos(TAU * y) - np.pi * sy**2)
    hxy = -k * x * y - np.pi**2 * e * sx * sy
    return hxx, hxy, hyy


def camel_hess(x, y):
    return 8 - 25.2 * x**2 + 10 * x**4, 1.0, -8 + 48 * y**2


def monkey_hess(x, y):
    return 6 * x, -6 * y, -6 * x


def plateau_hess(x, y):
    e = np.exp(-(x**2 + y**2) / 2)
    return e * (1 - x**2), -x * y * e, e * (1 - y**2)


# Losses of the product z = xy, f = ℓ(z): ∇f = ℓ'(z)·(y, x) and ∇²f = ℓ''(z)·(y, x)(y, x)ᵀ + ℓ'(z)·[[0, 1], [1, 0]].
# On the minima ℓ'(z) = 0 the Hessian's eigenvalues are 0 (along the curve of minima) and ℓ''(z)·(x² + y²).
def quartic_product(x, y):  # ℓ(z) = ¼(z² − 1)², Zhu et al.'s minimalist example of the edge of stability
    return 0.25 * (x * x * y * y - 1) ** 2


def quartic_product_grad(x, y):
    r = x * x * y * y - 1
    return r * x * y * y, r * x * x * y


def quartic_product_hess(x, y):
    z = x * y
    slope, bend = z**3 - z, 3 * z * z - 1
    return bend * y * y, bend * z + slope, bend * x * x


def linear_neuron(x, y):  # ℓ(z) = ½(1 − z)²: one linear neuron ŷ = x·y·1 fitted to one point (1, 1)
    return 0.5 * (1 - x * y) ** 2


def linear_neuron_grad(x, y):
    r = x * y - 1
    return r * y, r * x


def linear_neuron_hess(x, y):
    return y * y, 2 * x * y - 1, x * x


_CE_LABEL = 0.9  # the target of the cross-entropy product surface; its minima lie along xy = logit(0.9) = ln 9
_CE_FLOOR = np.log(10.0) - _CE_LABEL * np.log(9.0)  # the loss at those minima, subtracted so that they sit at 0


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # σ(z), without overflow far out


def cross_entropy_product(x, y):  # ℓ(z) = −0.9·log σ(z) − 0.1·log(1 − σ(z)) at z = xy, less its minimum
    z = x * y
    return np.logaddexp(0.0, z) - _CE_LABEL * z - _CE_FLOOR


def cross_entropy_product_grad(x, y):
    g = _sigmoid(x * y) - _CE_LABEL  # ℓ'(z) = σ(z) − 0.9
    return g * y, g * x


def cross_entropy_product_hess(x, y):
    s = _sigmoid(x * y)
    curve, g = s * (1.0 - s), s - _CE_LABEL  # ℓ''(z) = σ(z)(1 − σ(z))
    return curve * y * y, curve * x * y + g, curve * x * x
