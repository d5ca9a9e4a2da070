"""What the engine's two paths (numpy's in core/simulation.py, the compiled one in core/kernel.py) share:
how a run ends, and what the compiled one knows.

Per point, a run is *running*, *converged* (gradient and step both vanished), *diverged* (a position,
loss or gradient overflowed), *undefined* (it stepped where f or its gradient is not defined) or
*failed* (a plugin's update rule raised, exited or returned a step of the wrong shape).
"""

RUNNING, CONVERGED, DIVERGED, UNDEFINED, FAILED = 0, 1, 2, 3, 4
STATUS_NAMES = {
    RUNNING: "running",
    CONVERGED: "converged",
    DIVERGED: "diverged",
    UNDEFINED: "undefined",
    FAILED: "failed",
}
STATUS_TEXTS = {
    CONVERGED: "converged at step {}",
    DIVERGED: "diverged at step {}",
    UNDEFINED: "left the function's domain at step {}",
    FAILED: "stopped at step {}",  # a plugin's rule failed there (Run.failure says how)
}
HUGE = 1e100  # a NaN at a position beyond this is overflow (diverged), not a gap in the function
GRAD_TOL = 1e-10  # at rest: the gradient's length at most this...
STEP_TOL = 1e-12  # ...and the step's at most this

# Rules the kernel knows: name -> (code, hyperparameters in the order the kernel reads them after α).
RULES: dict[str, tuple[int, tuple[str, ...]]] = {
    "gd": (0, ()),
    "momentum": (1, ("beta1",)),
    "nesterov": (2, ("momentum",)),
    "rmsprop": (3, ("alpha", "eps")),
    "adagrad": (4, ("eps",)),
    "adam": (5, ("beta1", "beta2", "eps", "bias_correction")),
    "adamw": (6, ("beta1", "beta2", "eps", "weight_decay")),
    "amsgrad": (7, ("beta1", "beta2", "eps")),
    "adamax": (8, ("beta1", "beta2", "eps")),
    "nadam": (9, ("beta1", "beta2", "eps", "momentum_decay")),
    "radam": (10, ("beta1", "beta2", "eps")),
    "adadelta": (11, ("rho", "eps")),
    "lion": (12, ("beta1", "beta2", "weight_decay")),
    "adabelief": (13, ("beta1", "beta2", "eps", "weight_decay")),
    "sign": (14, ()),
    "newton": (15, ("damping",)),
}
HP_COLUMNS = 1 + max(len(names) for _, names in RULES.values())
MOMENTS = 3  # the most moment arrays a rule keeps (AMSGrad: m, v, v_max)

# Surfaces the kernel knows: name -> code. Their functions in surfaces.py use only + − × and squares.
SURFACES = {"saddle": 0, "bowl": 1, "ravine": 2, "rosenbrock": 3, "himmelblau": 4, "booth": 5}
