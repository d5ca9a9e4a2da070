"""Clipping paths to the plotted domain (Liang–Barsky, vectorized over segments), and the part of a view
a picture of another shape shows."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

DRAWN = 2048  # points of a trail drawn at most


def decimation_stride(n: int, limit: int) -> int:
    """The smallest power of two ``s`` with ``ceil(n / s) <= limit``: stable while a path grows."""
    stride = 1
    while (n + stride - 1) // stride > limit:
        stride *= 2
    return stride


def decimated_indices(n: int, limit: int = DRAWN) -> np.ndarray:
    """Indices of every stride-th of ``n`` entries (at most ``limit``), and always the last one.

    Drawing these instead of the whole history keeps a frame's cost flat however long a run gets.
    """
    stride = decimation_stride(n, limit)
    idx = np.arange(0, n, stride)
    return idx if n == 0 or idx[-1] == n - 1 else np.append(idx, n - 1)


def decimate(points: np.ndarray, limit: int = DRAWN) -> np.ndarray:
    """``points`` at :func:`decimated_indices` (all of them when there are few)."""
    return points if len(points) <= limit else points[decimated_indices(len(points), limit)]


def clip_segments(
    a: np.ndarray, b: np.ndarray, x_range: tuple[float, float], y_range: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Segments ``a[i]``–``b[i]`` cut to the rectangle: (2K, 2) end points of those kept, and which were kept."""
    if len(a) == 0:
        return np.empty((0, 2)), np.zeros(0, dtype=bool)
    (x0, x1), (y0, y1) = x_range, y_range
    ends = np.concatenate([a, b])
    if ends[:, 0].min() >= x0 and ends[:, 0].max() <= x1 and ends[:, 1].min() >= y0 and ends[:, 1].max() <= y1:
        out = np.empty((2 * len(a), 2))  # all inside: nothing to cut
        out[0::2], out[1::2] = a, b
        return out, np.ones(len(a), dtype=bool)
    with np.errstate(invalid="ignore"):  # wholly beyond one side (NaN: never): nothing of it is drawn
        beyond = (
            ((a[:, 0] < x0) & (b[:, 0] < x0))
            | ((a[:, 0] > x1) & (b[:, 0] > x1))
            | ((a[:, 1] < y0) & (b[:, 1] < y0))
            | ((a[:, 1] > y1) & (b[:, 1] > y1))
        )
    if beyond.all():  # a run far off: the usual case outside, decided in a few calls
        return np.empty((0, 2)), np.zeros(len(a), dtype=bool)
    d = b - a
    t0 = np.zeros(len(d))
    t1 = np.ones(len(d))
    keep = np.isfinite(d).all(axis=1) & ~beyond
    for axis, (lo, hi) in enumerate((x_range, y_range)):
        for p, q in ((-d[:, axis], a[:, axis] - lo), (d[:, axis], hi - a[:, axis])):
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                r = q / p
            parallel = p == 0
            keep &= ~(parallel & (q < 0))
            entering = (p < 0) & ~parallel
            leaving = (p > 0) & ~parallel
            t0 = np.where(entering, np.maximum(t0, r), t0)
            t1 = np.where(leaving, np.minimum(t1, r), t1)
    with np.errstate(invalid="ignore", over="ignore"):
        first, last = a + t0[:, None] * d, a + t1[:, None] * d
    keep &= (t0 <= t1) & np.isfinite(first).all(axis=1) & np.isfinite(last).all(axis=1)
    out = np.empty((2 * int(keep.sum()), 2))
    out[0::2] = first[keep]
    out[1::2] = last[keep]
    # rounding in t·d may land a hair outside: the border is the border
    np.clip(out[:, 0], x0, x1, out=out[:, 0])
    np.clip(out[:, 1], y0, y1, out=out[:, 1])
    return out, keep


def clip_polyline(points: np.ndarray, x_range: tuple[float, float], y_range: tuple[float, float]) -> np.ndarray:
    """The path through ``points`` cut to the rectangle, as one polyline with NaN rows between its pieces.

    A path that stays inside comes back unchanged; one that leaves and comes back is two pieces
    ending and starting on the border; a point far outside (or huge) never breaks the rest.
    """
    return clip_polylines([points], x_range, y_range)[0]


def clip_polylines(
    paths: list[np.ndarray], x_range: tuple[float, float], y_range: tuple[float, float]
) -> list[np.ndarray]:
    """:func:`clip_polyline` of many paths, their segments cut in one vectorized call."""
    (x0, x1), (y0, y1) = x_range, y_range
    out: list[np.ndarray | None] = [None] * len(paths)
    lengths = np.array([len(p) for p in paths])
    filled = np.flatnonzero(lengths)
    # which paths lie wholly inside (the common case, nothing to cut), for all of them in a few calls
    inside = np.zeros(len(paths), dtype=bool)
    if len(filled):
        every = np.concatenate([paths[i] for i in filled])
        x, y = every[:, 0], every[:, 1]
        with np.errstate(invalid="ignore"):
            point_inside = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
        firsts = np.concatenate([[0], np.cumsum(lengths[filled])[:-1]])
        inside[filled] = np.logical_and.reduceat(point_inside, firsts)
    todo = []
    for i, p in enumerate(paths):
        if inside[i]:
            out[i] = p
        elif len(p) < 2:
            out[i] = np.empty((0, 2))
        else:
            todo.append(i)
    if todo:
        a = np.concatenate([paths[i][:-1] for i in todo])
        b = np.concatenate([paths[i][1:] for i in todo])
        owner = np.repeat(np.arange(len(todo)), lengths[todo] - 1)  # which path each segment belongs to
        ends, kept = clip_segments(a, b, x_range, y_range)
        owner = owner[kept]
        starts, stops = ends[0::2], ends[1::2]
        first = np.ones(len(starts), dtype=bool)  # a path's first kept segment starts a piece, with no gap before
        first[1:] = owner[1:] != owner[:-1]
        joined = np.zeros(len(starts), dtype=bool)  # continues where the previous segment stopped
        joined[1:] = (starts[1:] == stops[:-1]).all(axis=1) & ~first[1:]
        rows = np.empty((len(starts), 3, 2))
        rows[:, 0], rows[:, 1], rows[:, 2] = np.nan, starts, stops
        keep = np.empty((len(starts), 3), dtype=bool)
        keep[:, 0] = ~joined & ~first  # the pen lifts between pieces
        keep[:, 1] = ~joined
        keep[:, 2] = True
        lines = rows[keep]
        counts = np.bincount(owner, weights=keep.sum(axis=1), minlength=len(todo)).astype(int)
        for k, part in zip(todo, _pieces(lines, counts), strict=True):
            out[k] = part
    return out


def _pieces(joined: np.ndarray, lengths) -> list[np.ndarray]:
    """``joined`` cut back into consecutive pieces of these lengths (np.split, without its overhead)."""
    ends = np.cumsum(lengths).tolist()
    return [joined[a:b] for a, b in zip([0] + ends[:-1], ends, strict=True)]


@dataclass(frozen=True, eq=False)
class Drawn:
    """A trail as the views draw it: the path decimated and cut to the domain, NaN rows between pieces.

    Its first ``kept`` rows are the clipper's body: while ``generation`` stays the same, later frames
    only add rows after them. A view that maps the rows (the 3D view lifts them onto the surface) maps
    only what is new (:class:`TrailMapper`).
    """

    line: np.ndarray
    kept: int
    generation: int


_GENERATIONS = itertools.count(1)


class TrailClipper:
    """Growing paths, each decimated and cut to a rectangle, kept between frames: only what grew is clipped.

    ``lines`` gives what ``clip_polyline(decimate(path))`` gives (the same segments), but per frame it
    clips only the points added since the last one and the step to the newest point; the rest, the
    decimated body, is kept until the decimation's stride changes (each doubling of the length).
    """

    def __init__(self, x_range: tuple[float, float], y_range: tuple[float, float], limit: int = DRAWN):
        self.ranges = (x_range, y_range)
        self.limit = limit
        self._cache: dict = {}  # slot -> (serial, stride, end, clipped body, generation)
        self._last: dict = {}  # slot -> (serial, length of the path, what was drawn of it): a path that stood still

    def lines(self, trails: list[tuple[object, object, np.ndarray]]) -> list[np.ndarray]:
        """One clipped polyline (NaN rows between pieces) for each (slot, serial, path) in ``trails``."""
        return [drawn.line for drawn in self.trails(trails)]

    def trails(self, trails: list[tuple[object, object, np.ndarray]]) -> list[Drawn]:
        """:meth:`lines`, each with how much of it later frames keep (:class:`Drawn`). A trail whose
        drawn line did not change (it stood still, or moved only outside the domain) is handed back as
        the very object it was, so views can skip it."""
        pieces, plans, same = [], [], {}
        for slot, serial, path in trails:
            n = len(path)
            last = self._last.get(slot)
            if last is not None and last[0] == serial and last[1] == n:
                same[slot] = last[2]
                continue
            stride = decimation_stride(n, self.limit)
            end = (n - 1) // stride * stride if n else 0  # the last point of the decimated body
            cached = self._cache.get(slot)
            fresh = cached is None or cached[0] != serial or cached[1] != stride or cached[2] > end
            grew = None if fresh else (path[cached[2] : end + 1 : stride] if cached[2] < end else None)
            body = path[: end + 1 : stride] if fresh else grew
            tail = path[[end, n - 1]] if n and end != n - 1 else None
            unchanged = last is not None and last[0] == serial and not fresh and last[2].line is cached[3]
            if unchanged and tail is None and grew is not None and len(grew) <= 8 and self._beyond(grew.tolist()):
                # a run far off moving on (the usual case outside): nothing new to draw, not even to clip
                self._cache[slot] = (serial, stride, end, *cached[3:])
                self._last[slot] = (serial, n, last[2])
                same[slot] = last[2]
                continue
            plans.append((slot, serial, n, stride, end, fresh, body is not None, tail is not None))
            pieces += [p for p in (body, tail) if p is not None]
        clipped = iter(clip_polylines(pieces, *self.ranges))
        for slot, serial, n, stride, end, fresh, has_body, has_tail in plans:
            body, generation = (None, next(_GENERATIONS)) if fresh else self._cache[slot][3:]
            if has_body:
                piece = next(clipped)
                body = piece if fresh else _joined(body, piece)
            self._cache[slot] = (serial, stride, end, body, generation)
            line = _joined(body, next(clipped)) if has_tail else body
            last = self._last.get(slot)
            if last is not None and last[0] == serial and last[2].line is line:
                drawn = last[2]  # it moved only outside the domain: nothing new to draw
            else:
                drawn = Drawn(line, len(body), generation)
            self._last[slot] = (serial, n, drawn)
            same[slot] = drawn
        return [same[slot] for slot, _, _ in trails]

    def _beyond(self, points: list[list[float]]) -> bool:
        """Whether every one of ``points`` lies beyond one side of the rectangle (so do the segments
        between them); NaN is beyond nothing."""
        (x0, x1), (y0, y1) = self.ranges
        return (
            all(x < x0 for x, _ in points)
            or all(x > x1 for x, _ in points)
            or all(y < y0 for _, y in points)
            or all(y > y1 for _, y in points)
        )


class Settled:
    """One trail's settled segments, mapped (segment ends, (2K, D)), in a buffer that grows in place: ``key``
    says which trail they belong to (slot, serial, generation of its drawn line), ``rows`` how many rows of
    the drawn line they cover, ``count`` how many segments there are."""

    def __init__(self, key: tuple, width: int):
        self.key = key
        self.rows = 0
        self.count = 0
        self._ends = np.empty((64, width))

    def add(self, ends: np.ndarray, rows: int) -> None:
        need = 2 * self.count + len(ends)
        if need > len(self._ends):
            bigger = np.empty((max(need, 2 * len(self._ends)), self._ends.shape[1]))
            bigger[: 2 * self.count] = self._ends[: 2 * self.count]
            self._ends = bigger
        self._ends[2 * self.count : need] = ends
        self.count = need // 2
        self.rows = rows

    def segments(self, start: int = 0) -> np.ndarray:
        """Segment ends from segment ``start`` on."""
        return self._ends[2 * start : 2 * self.count]


class TrailSegments:
    """Drawn trails as mapped segments (the 3D view's: lifted onto the surface), each in two parts: its
    settled segments (those between the rows its frames keep, :class:`Settled`: mapped and cut once, as they
    grow, and kept) and its tip (from the last kept row to the newest point, mapped anew each frame). Every
    trail's new rows are mapped in one call of ``transform`` (K, 2) -> (K, D)."""

    def __init__(self, transform: Callable[[np.ndarray], np.ndarray], width: int = 3):
        self.transform = transform
        self.width = width
        self.settled: dict = {}  # slot -> Settled

    def forget(self, slot) -> None:
        self.settled.pop(slot, None)

    def update(self, trails: list[tuple[object, object, Drawn]]) -> list[tuple[Settled, np.ndarray]]:
        """For each (slot, serial, drawn): its settled segments (the same object while they only grow) and
        its tip's segment ends."""
        pieces, bodies = [], []
        for slot, serial, drawn in trails:
            body = self.settled.get(slot)
            if body is None or body.key != (serial, drawn.generation) or body.rows > drawn.kept:
                body = self.settled[slot] = Settled((serial, drawn.generation), self.width)
            bodies.append(body)
            pieces += [drawn.line[max(body.rows - 1, 0) : drawn.kept], drawn.line[max(drawn.kept - 1, 0) :]]
        mapped = self.transform(np.concatenate(pieces)) if pieces else np.zeros((0, self.width))
        segments = segment_ends_many(_pieces(mapped, [len(p) for p in pieces]))
        out = []
        for k, ((_, _, drawn), body) in enumerate(zip(trails, bodies, strict=True)):
            body.add(segments[2 * k], drawn.kept)
            out.append((body, segments[2 * k + 1]))
        return out


def _joined(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two clipped polylines as one: continued where ``b`` starts at ``a``'s end, else with a gap."""
    if not len(a) or not len(b):
        return b if len(b) else a
    if a[-1].tolist() == b[0].tolist():  # (ends are never NaN)
        return np.concatenate([a, b[1:]])
    return np.concatenate([a, np.full((1, a.shape[1]), np.nan), b])


def segment_ends_many(lines: list[np.ndarray]) -> list[np.ndarray]:
    """Each polyline (NaN rows between its pieces) as its drawn segments' end points, (2K, D): what a
    line item drawing separate segments takes; for all the lines in one pass (a few calls, not a few
    per line)."""
    if not lines:
        return []
    width = lines[0].shape[1]
    gap = np.full((1, width), np.nan)  # between two lines: no segment joins them
    joined = np.concatenate([part for line in lines for part in (line, gap)])
    owner = np.repeat(np.arange(len(lines)), [len(line) + 1 for line in lines])
    ok = np.isfinite(joined[:, 0])
    pair = ok[:-1] & ok[1:]
    out = np.empty((2 * int(pair.sum()), width))
    out[0::2], out[1::2] = joined[:-1][pair], joined[1:][pair]
    counts = 2 * np.bincount(owner[:-1][pair], minlength=len(lines))
    return _pieces(out, counts)


def grow_mask(mask: np.ndarray, steps: int = 1) -> np.ndarray:
    """``mask`` widened by ``steps`` cells in the four grid directions."""
    grown = mask.copy()
    for _ in range(steps):
        padded = np.pad(grown, 1)
        grown = grown | padded[:-2, 1:-1] | padded[2:, 1:-1] | padded[1:-1, :-2] | padded[1:-1, 2:]
    return grown


def fill_holes(u: np.ndarray, passes: int = 3) -> np.ndarray:
    """NaNs replaced by the mean of their finite neighbours (a few rings deep), the rest by 0.

    A mesh over a grid with holes keeps its edge where the function stops, instead
    of dropping in a wall to zero.
    """
    filled = np.array(u, dtype=float)
    for _ in range(passes):
        hole = np.isnan(filled)
        if not hole.any():
            break
        padded = np.pad(filled, 1, constant_values=np.nan)
        around = np.stack([padded[:-2, 1:-1], padded[2:, 1:-1], padded[1:-1, :-2], padded[1:-1, 2:]])
        count = np.isfinite(around).sum(axis=0)
        total = np.nansum(around, axis=0)
        mean = np.divide(total, count, out=np.full_like(total, np.nan), where=count > 0)
        filled = np.where(hole, mean, filled)
    return np.nan_to_num(filled, nan=0.0)


def in_sight(view_range, domain, points, pad: float = 0.08) -> tuple[tuple[float, float], tuple[float, float]]:
    """The part of ``view_range`` ((x0, x1), (y0, y1)) a contour picture of another shape shows: the map
    (``domain``) in sight, and the ``points`` (xs, ys: the runs' dots) in sight beyond it, with ``pad``
    of the range around those for the dot and its arrow. Nothing else is drawn beyond the map, and
    the margin a view of one shape shows around the map (one unit of x as long as one of y) would
    grow to fill a picture of another. With no map in sight: the view's range as it is."""
    (x0, x1), (y0, y1) = view_range
    (dx0, dx1), (dy0, dy1) = domain
    box = [max(x0, dx0), min(x1, dx1), max(y0, dy0), min(y1, dy1)]
    if not (box[0] < box[1] and box[2] < box[3]):
        return (x0, x1), (y0, y1)
    xs, ys = (np.asarray(v, dtype=float) for v in points)
    seen = (xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)
    for k, values, lo, hi in ((0, xs[seen], x0, x1), (2, ys[seen], y0, y1)):
        margin = pad * (box[k + 1] - box[k])
        if len(values) and values.min() < box[k]:
            box[k] = max(lo, values.min() - margin)
        if len(values) and values.max() > box[k + 1]:
            box[k + 1] = min(hi, values.max() + margin)
    return (box[0], box[1]), (box[2], box[3])
