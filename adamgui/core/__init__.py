"""The numerical core: optimizers, surfaces, simulation, presets, the lesson, sessions and links. numpy, sympy (for
typed formulas' derivatives) and, where installed, numba; never Qt (an import-linter contract holds it to that)."""
