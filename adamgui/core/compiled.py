"""The compiled engine: many steps of a stack of runs in one call, with the same bits as numpy's.

:class:`adamgui.core.run_stack.RunStack` steps a stack of runs with a fixed number of numpy calls a
step; each costs about a microsecond, which caps fast-forward at some tens of thousands of steps a
second. Here the whole inner loop (gradient, noise, each run's update rule, the new loss and the
checks of ``Run._advance``) is one numba function over a block of steps, so a run-step costs tens of
nanoseconds.

It must not change a single number: the numpy path stays the definition, and this one computes the
same operations in the same order. That holds because every operation used is exact in IEEE
arithmetic (``+ − × ÷ √``, comparisons) or is the very function Python itself calls (``pow`` for
β^t, from the C library): numba would otherwise use its own ``exp`` and a product for ``x**3``,
which differ in the last bit from numpy's. So only surfaces written with products and squares are
compiled (:data:`SURFACES`; the others, typed formulas and the model losses, step in numpy), and
only the built-in rules below (:data:`RULES`), each the scalar form of its class's ``update``.
``tests/core/test_compiled.py`` steps every rule both ways, with noise, and compares the bits.

numba is optional: without it (or with ``ADAMGUI_ENGINE=numpy``) every stack steps in numpy. The
first call compiles the kernel (a few seconds), which numba keeps on disk for later starts; the
window compiles it on a background thread after its first frame (:func:`warm_up`), and until then
steps in numpy, to the same numbers.
"""

from __future__ import annotations

import importlib.util
import os
import threading

import numpy as np

from adamgui.core.engine_spec import HP_COLUMNS, MOMENTS, RULES, SURFACES

ENGINE_ENV = "ADAMGUI_ENGINE"  # "numpy": never compile (a comparison, or a machine where numba misbehaves)

_kernel = None
_state = "untried"  # "untried", "compiling", "ready", "unavailable"
_lock = threading.Lock()


def wanted() -> bool:
    """Whether to compile: numba is installed (and did not fail), and the environment does not say numpy."""
    global _state
    if _state == "unavailable" or os.environ.get(ENGINE_ENV, "").strip().lower() == "numpy":
        return False
    if _state == "untried" and importlib.util.find_spec("numba") is None:
        _state = "unavailable"
        return False
    return True


COMPILE_FOR = 1000  # steps asked for at once that are worth compiling for, here and now (0.4 s; 5 s the first time)


def kernel(steps: int = COMPILE_FOR):
    """The compiled stepping function, or None: numba missing or turned off, still compiling on the
    background thread :func:`warm_up` started, or not built yet and ``steps`` too few to wait for it."""
    if _state == "ready" and wanted():
        return _kernel
    if _state != "untried" or steps < COMPILE_FOR or not wanted():
        return None
    _compile()
    return _kernel


def _compile() -> None:
    """Build the kernel here and now, unless it was built, failed, or another thread builds it."""
    global _state
    with _lock:
        if _state != "untried":
            return
        _state = "compiling"
        _build_locked()


def _build_locked() -> None:
    global _kernel, _state
    try:
        _kernel = _build()
        _state = "ready"
    except Exception:  # noqa: BLE001 (no numba, or it failed: numpy steps, to the same numbers)
        _kernel, _state = None, "unavailable"


def warm_up() -> None:
    """Compile (or load from numba's cache) on a background thread, so that the first fast-forward
    does not wait for it; steps taken meanwhile go through numpy (kernel() says None until then)."""
    global _state
    if not wanted():
        return
    with _lock:
        if _state != "untried":
            return
        _state = "compiling"

    def build() -> None:
        with _lock:
            _build_locked()

    threading.Thread(target=build, name="adamgui-compile", daemon=True).start()


def supports(run) -> bool:
    """Whether the kernel can step ``run``: a built-in rule without a schedule or minibatches, on a surface it
    knows and without a feasible box, with every hyperparameter one number per point."""
    from adamgui.core.optimizers import OPTIMIZERS

    name = run.spec.optimizer
    return (
        wanted()
        and name in RULES
        and run.optimizer is OPTIMIZERS.get(name)
        and not run.plugin_rule
        and run.schedule is None
        and run.batches is None
        and run.surface.model is None
        and run.surface.box is None  # (a projected method steps in numpy)
        and SURFACES.get(run.surface.name) is not None
        and _builtin(run.surface)
    )


def _builtin(surface) -> bool:
    from adamgui.core.surfaces import SURFACES as BUILT_IN

    known = BUILT_IN.get(surface.name)
    return known is not None and (surface.f, surface.grad, surface.hess) == (known.f, known.grad, known.hess)


def layout(rules) -> tuple[np.ndarray, np.ndarray]:
    """Each row's rule code and its hyperparameters ((P,), (P, HP_COLUMNS)) for the stack's ``rules``
    (:class:`~adamgui.core.run_stack._Rule`), in the stack's row order."""
    rows = rules[-1].rows.stop
    codes = np.empty(rows, dtype=np.int64)
    hp = np.zeros((rows, HP_COLUMNS))
    for rule in rules:
        code, names = RULES[rule.run.spec.optimizer]
        source = rule.hp if len(rule.members) > 1 else rule.run.hp
        codes[rule.rows] = code
        n = rule.rows.stop - rule.rows.start
        for col, name in enumerate(("lr", *names)):
            hp[rule.rows, col] = np.broadcast_to(np.asarray(source[name], dtype=float).reshape(-1), n)
    return codes, hp


def gather(rules, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rules' state as the kernel reads it: moments (P, MOMENTS, 2), step counts (P,), NAdam's μ products (P,)."""
    moments = np.zeros((rows, MOMENTS, 2))
    counts = np.empty(rows, dtype=np.int64)
    products = np.ones(rows)
    for rule in rules:
        for i, key in enumerate(rule.run.optimizer.moments):
            moments[rule.rows, i] = rule.state[key]
        counts[rule.rows] = rule.state["t"]
        products[rule.rows] = rule.state.get("mu_product", 1.0)
    return moments, counts, products


def scatter(rules, moments: np.ndarray, counts: np.ndarray, products: np.ndarray) -> None:
    """Back into the rules' own state, in place (runs' arrays are views of it)."""
    for rule in rules:
        first = rule.rows.start
        for i, key in enumerate(rule.run.optimizer.moments):
            rule.state[key][...] = moments[rule.rows, i]
        rule.state["t"] = int(counts[first])
        if "mu_product" in rule.state:
            rule.state["mu_product"] = float(products[first])


def _build():
    """The kernel (adamgui.core.kernel, numba's, loaded from its cache after the first time); raises if
    numba is missing or fails."""
    from adamgui.core.kernel import advance

    return advance
