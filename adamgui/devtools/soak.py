"""``python main.py soak``: play 20 runs hard for minutes; report exceptions, memory growth and frame times."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace

from adamgui.devtools.bench import _open_window, _pct, _play, resident_mb, twenty_runs


def _twenty_on(surface: str):
    scene = twenty_runs().with_surface(surface)
    return replace(scene, step_limit=10**6)


def run_soak(minutes: float, progress=None) -> dict:
    """Play 20 runs on Rastrigin at full speed for ``minutes``, resetting and switching surfaces now and then.

    Reports the exceptions the error net caught (must be 0), resident memory at the start and the end,
    and frame times.
    """
    say = progress or (lambda text: None)
    app, window = _open_window(_twenty_on("rastrigin"))
    c = window.controller
    _play(app, c, 60)  # warm up: caches, first paints
    rss_start = resident_mb()
    t_end = time.monotonic() + minutes * 60
    cycle, cpu, gaps = 0, [], []
    surfaces = ("rastrigin", "ackley", "himmelblau", "rastrigin", "six-hump-camel")
    while time.monotonic() < t_end:
        cycle += 1
        t0 = time.perf_counter()
        cpu += _play(app, c, 200)
        gaps += window._bench_counter.rate(t0)[1]
        if cycle % 3 == 0:
            c.load_scene(_twenty_on(surfaces[(cycle // 3) % len(surfaces)]))
        else:
            c.reset()
        if cycle % 10 == 0:
            say(f"{(t_end - time.monotonic()) / 60:.1f} min left, {resident_mb():.0f} MB")
    result = {
        "minutes": minutes,
        "cycles": cycle,
        "frames": len(cpu),
        "exceptions": window.uncaught_errors.count,
        "rss_start_mb": rss_start,
        "rss_end_mb": resident_mb(),
        "frame_ms_p95": _pct(gaps, 95),
        "frame_ms_median": _pct(gaps, 50),
        "frame_cpu_ms_p95": _pct(cpu, 95),
    }
    result["rss_growth_mb"] = result["rss_end_mb"] - result["rss_start_mb"]
    window.force_close()  # a measurement, not a document: close without asking
    return result


def soak_main(minutes: float, as_json: bool) -> int:
    result = run_soak(minutes, progress=lambda text: print(f"soak: {text}", file=sys.stderr, flush=True))
    if as_json:
        sys.stdout.write(json.dumps(result, indent=1) + "\n")
    else:
        sys.stdout.write(
            f"soak {result['minutes']:g} min: {result['frames']:,} frames in {result['cycles']} cycles; "
            f"exceptions {result['exceptions']}; memory {result['rss_start_mb']:.0f} -> {result['rss_end_mb']:.0f} MB "
            f"(growth {result['rss_growth_mb']:+.0f} MB); frame ms median {result['frame_ms_median']:.1f} "
            f"p95 {result['frame_ms_p95']:.1f}; frame_cpu_ms p95 {result['frame_cpu_ms_p95']:.2f}\n"
        )
    return 0 if result["exceptions"] == 0 else 1
