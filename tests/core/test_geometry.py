"""The incremental trail clipper draws exactly what clipping the whole decimated path draws."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from adamgui.core.geometry import TrailClipper, clip_polyline, decimate

BOX = ((-1.0, 1.0), (-1.0, 1.0))


def segments(line: np.ndarray) -> list[tuple]:
    """The drawn segments of a polyline with NaN gaps, zero-length ones left out, rounded for comparing."""
    out = []
    for a, b in zip(line[:-1], line[1:], strict=True):
        if np.isfinite(a).all() and np.isfinite(b).all() and not np.array_equal(a, b):
            out.append(tuple(np.round(np.concatenate([a, b]), 12)))
    return out


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(st.tuples(st.floats(-0.6, 0.6), st.floats(-0.6, 0.6)), min_size=1, max_size=120),
    frames=st.lists(st.integers(1, 40), min_size=1, max_size=12),
    limit=st.sampled_from([4, 8, 2048]),
)
def test_growing_paths_are_drawn_as_the_whole_path_clipped(steps, frames, limit):
    """A random walk in and out of the box, shown after random numbers of new steps (a small ``limit``
    makes the decimation's stride double along the way)."""
    path = np.cumsum(np.array([(0.2, -0.3), *steps]), axis=0)
    clipper = TrailClipper(*BOX, limit=limit)
    shown = 1
    for grow in frames:
        shown = min(shown + grow, len(path))
        (line,) = clipper.lines([(0, 7, path[:shown])])
        expected = clip_polyline(decimate(path[:shown], limit), *BOX)
        assert segments(line) == segments(expected)


def test_a_new_run_in_the_same_slot_starts_over():
    clipper = TrailClipper(*BOX)
    clipper.lines([(0, 1, np.array([[0.0, 0.0], [0.5, 0.5]]))])
    (line,) = clipper.lines([(0, 2, np.array([[-0.5, 0.0], [-0.5, 0.5], [-0.2, 0.2]]))])
    np.testing.assert_array_equal(line, [[-0.5, 0.0], [-0.5, 0.5], [-0.2, 0.2]])
