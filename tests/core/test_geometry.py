"""The incremental trail clipper draws exactly what clipping the whole decimated path draws."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adamgui.core.geometry import (
    TrailClipper,
    TrailSegments,
    clip_polyline,
    clip_segments,
    decimate,
    in_sight,
    segment_ends_many,
)

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


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(st.tuples(st.floats(-0.9, 0.9), st.floats(-0.9, 0.9)), min_size=1, max_size=80),
    frames=st.lists(st.integers(1, 3), min_size=1, max_size=60),
)
def test_a_path_shown_step_by_step_in_and_out_of_the_box_is_drawn_as_clipped(steps, frames):
    """A step or three a frame, as when playing: runs leave the box, wander outside and come back."""
    path = np.cumsum(np.array([(0.2, -0.3), *steps]), axis=0)
    clipper = TrailClipper(*BOX)
    shown = 1
    for grow in frames:
        shown = min(shown + grow, len(path))
        (line,) = clipper.lines([(0, 7, path[:shown])])
        assert segments(line) == segments(clip_polyline(path[:shown], *BOX))


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
def test_a_trail_cut_into_segments_frame_by_frame_is_its_whole_drawn_line_cut(steps, frames, limit):
    """The 3D view's segments, lifted and cut only from each frame's new rows (the settled ones kept, the tip
    anew), are the whole drawn line's lifted and cut; and the rows a drawn trail says it keeps are the same in
    every later frame of its generation. Frames go back too."""
    path = np.cumsum(np.array([(0.2, -0.3), *steps]), axis=0)
    clipper = TrailClipper(*BOX, limit=limit)

    def lift(p):
        return np.column_stack([p, p[:, 0] * p[:, 1] - p[:, 1]])

    segments = TrailSegments(lift)
    shown, before = 1, None
    for grow in frames:
        shown = min(max(shown + grow, 1), len(path))
        (drawn,) = clipper.trails([(0, 7, path[:shown])])
        ((settled, tip),) = segments.update([(0, 7, drawn)])
        (whole,) = segment_ends_many([lift(drawn.line)])
        np.testing.assert_array_equal(np.concatenate([settled.segments(), tip]), whole)
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


coordinate = st.floats(-3.0, 3.0, allow_nan=False, allow_subnormal=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(coordinate, coordinate, coordinate, coordinate), min_size=1, max_size=30))
def test_a_clipped_segment_is_exactly_its_part_inside_the_box(segs):
    """Against sampling: every kept piece lies in the box, and every sampled point of a segment that is
    inside the box lies on its kept piece; a segment with no point inside is dropped."""
    a, b = np.array([s[:2] for s in segs]), np.array([s[2:] for s in segs])
    ends, kept = clip_segments(a, b, *BOX)
    assert np.all(np.abs(ends) <= 1.0)
    pieces = iter(ends.reshape(-1, 2, 2))
    for i in range(len(a)):
        t = np.linspace(0.0, 1.0, 401)[:, None]
        samples = a[i] + t * (b[i] - a[i])
        inside = samples[(np.abs(samples) < 1.0 - 1e-9).all(axis=1)]
        if not kept[i]:
            assert len(inside) == 0
            continue
        p, q = next(pieces)
        d = q - p
        if d @ d < 1e-20:  # a point, or a piece too short to measure along: where the samples are
            np.testing.assert_allclose(inside, np.broadcast_to(p, inside.shape), atol=1e-9)
            continue
        s = (inside - p) @ d / (d @ d)  # where each sample lies along the kept piece
        assert np.all(s >= -1e-9) and np.all(s <= 1 + 1e-9)
        np.testing.assert_allclose(p + s[:, None] * d, inside, atol=1e-9)


def segment_ends(line: np.ndarray) -> np.ndarray:
    """One line's drawn segments' end points, pair by pair: the reference for segment_ends_many."""
    ok = np.isfinite(line[:, 0])
    pairs = [(line[k], line[k + 1]) for k in range(len(line) - 1) if ok[k] and ok[k + 1]]
    return np.array([end for pair in pairs for end in pair]).reshape(-1, line.shape[1])


def test_the_segments_of_many_lines_are_each_lines_segments():
    lines = [
        np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 1.0], [np.nan] * 3, [2.0, 2.0, 0.0], [3.0, 2.0, 0.5]]),
        np.empty((0, 3)),
        np.array([[5.0, 5.0, 5.0]]),
        np.array([[1.0, 1.0, 1.0], [2.0, 1.0, 1.0], [2.0, 3.0, 1.0]]),
    ]
    for many, line in zip(segment_ends_many(lines), lines, strict=True):
        np.testing.assert_array_equal(many, segment_ends(line))
    assert [len(s) for s in segment_ends_many(lines)] == [4, 0, 0, 4]


def test_a_contour_picture_shows_the_map_in_sight_and_the_dots_beyond_it():
    view, ravine, none = ((-10, 10), (-10, 10)), ((-10, 10), (-3, 3)), ([], [])
    assert in_sight(view, ravine, none) == ((-10, 10), (-3, 3))  # the empty margins go
    assert in_sight(view, ravine, ([0], [5])) == ((-10, 10), (-3, pytest.approx(5 + 0.08 * 6)))
    assert in_sight(view, ravine, ([0, -12], [50, 0])) == ((-10, 10), (-3, 3))  # dots out of sight
    assert in_sight(((-1, 1), (-1, 2)), ravine, ([0.5], [9])) == ((-1, 1), (-1, 2))  # zoomed in
    assert in_sight(((20, 30), (20, 30)), ravine, none) == ((20, 30), (20, 30))  # no map in sight
    assert in_sight(view, ravine, ([-9.9], [-9.9])) == ((-10, 10), (-10, 3))  # at most the view
