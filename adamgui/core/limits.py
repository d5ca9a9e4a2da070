"""Every bound on what a scene, a map or a command may ask for, defined once.

The parameter panel, the Maps dock, the session reader and the command line all
read these, so whatever the window lets you make, it can reopen, and a value
refused in one place is refused in every other with the same numbers.
"""

from __future__ import annotations

MAX_RUNS = 64  # runs in one scene
MAX_STEP = 200_000  # step limit of a scene (every step is kept, 16 bytes per run and step)
MAX_CLI_STEPS = 1_000_000  # steps of a headless `run` (nothing is drawn)
MAX_NOISE = 1000.0  # standard deviation of the gradient noise
MAX_SEED = 2**32 - 1  # seeds are 0 ... 2**32 - 1
MAX_COORD = 1e6  # a start coordinate typed into the panel
MIN_DOMAIN_WIDTH, MAX_DOMAIN_WIDTH = 1e-9, 1e9  # a plotted domain's width, either axis (the views can draw it)
MAX_DOMAIN_COORD = 1e9  # the ends of a domain

MAP_MAX_STEPS = 100_000  # steps of a basin map or a sweep
MAP_MIN_RESOLUTION, MAP_MAX_RESOLUTION = 2, 1024  # starts per side of a basin map (the CLI)
DOCK_MIN_RESOLUTION, DOCK_MAX_RESOLUTION = 32, 512  # the same, in the window's Maps dock
SWEEP_MIN_COUNT, SWEEP_MAX_COUNT = 2, 256  # values per axis of a sweep

MAX_SESSION_BYTES = 1_000_000  # size of a session file
MAX_SPEED = 10_000  # steps per second stored in a session (0, from older files: a step a frame)
FOLLOW_MAX_GROWTH = 4096  # "Follow the runs" widens a view's domain at most this many times the scene's
