"""The incremental trail clipper draws exactly what clipping the whole decimated path draws."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from adamgui.core.geometry import TrailClipper, TrailMapper, clip_polyline, decimate

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


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(st.tuples(st.floats(-0.6, 0.6), st.floats(-0.6, 0.6)), min_size=1, max_size=120),
    frames=st.lists(st.integers(-30, 40), min_size=1, max_size=12),
    limit=st.sampled_from([4, 8, 2048]),
)
def test_a_mapped_trail_is_its_whole_drawn_line_mapped(steps, frames, limit):
    """The 3D view's lift, done only on each frame's new rows, gives the whole line lifted; and the rows a
    drawn trail says it keeps are the same in every later frame of its generation. Frames go back too."""
    path = np.cumsum(np.array([(0.2, -0.3), *steps]), axis=0)
    clipper = TrailClipper(*BOX, limit=limit)
    lift = TrailMapper(lambda p: np.column_stack([p, p[:, 0] * p[:, 1] - p[:, 1]]))
    shown, before = 1, None
    for grow in frames:
        shown = min(max(shown + grow, 1), len(path))
        (drawn,) = clipper.trails([(0, 7, path[:shown])])
        (lifted,) = lift.lines([(0, drawn)])
        line = drawn.line
        np.testing.assert_array_equal(lifted, np.column_stack([line, line[:, 0] * line[:, 1] - line[:, 1]]))
        if before is not None and before.generation == drawn.generation:
            np.testing.assert_array_equal(drawn.line[: before.kept], before.line[: before.kept])
        before = drawn


def test_a_trail_that_stood_still_is_handed_back_as_it_was():
    clipper = TrailClipper(*BOX)
    path = np.array([[0.0, 0.0], [0.5, 0.5], [2.0, 0.5]])
    (first,) = clipper.trails([(0, 1, path)])
    (again,) = clipper.trails([(0, 1, path)])
    assert again is first
    np.testing.assert_array_equal(first.line, [[0.0, 0.0], [0.5, 0.5], [1.0, 0.5]])
