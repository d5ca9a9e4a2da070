"""The benchmark and the soak run (with tiny sizes) and report every figure; nothing here is timed."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.slow  # the benchmarks themselves
def test_bench_reports_every_figure():
    doc = run("bench", "--quick", "--json", "--compare-matplotlib")
    assert doc["startup_ms"]["median"] > 0
    for key in ("play_2_runs", "play_3_valley_runs", "play_20_runs", "play_20_adam_runs", "play_20_runs_long"):
        play = doc[key]
        for field in (
            "fps",
            "frame_ms_median",
            "frame_ms_p95",
            "frame_cpu_ms_median",
            "frame_cpu_ms_p95",
            "repaint_fps",
        ):
            assert field in play
        assert play["frame_cpu_ms_median"] > 0
    assert doc["play_20_runs"]["runs"] == doc["play_20_adam_runs"]["runs"] == 20
    assert doc["play_20_runs_long"]["history_steps"] > doc["play_20_runs"]["history_steps"]
    assert set(doc["engine"]) == {"gd_1", "gd_100", "adam_1", "adam_100"}
    assert all(v > 0 for v in doc["engine"].values())
    assert doc["memory_mb"] > 0
    assert doc["basin_map_256_adam_500_s"] > 0 and doc["basin_map_512_adam_1000_s"] > 0
    assert doc["tune_ravine_s"] > 0 and doc["mlp_step_ms"] > 0
    assert doc["hostile_links"]["links"] >= 30 and doc["hostile_links"]["peak_mb"] > 0
    assert doc["responsiveness_during_map"]["ticks"] > 0
    for key in ("play_2_runs", "play_3_valley_runs", "play_20_runs"):
        assert 0 < doc[key]["new_step_fps"] <= 60 + 1e-6  # new steps seen: one a 60 Hz refresh at most
    assert doc["top_speed"]["steps_per_s"] > doc["top_speed"]["new_step_fps"]  # several steps a frame
    m = doc["matplotlib"]
    assert not m["available"] or (m["new_step_fps"] > 0 and m["ratio"] > 0)
    # fast-forward: per view, second by second, at each speed, and after long histories
    speeds = doc["speeds"]
    assert {"noisy_bowl_300", "noisy_bowl_10000", "20_noisy_runs_300", "20_noisy_runs_10000"} <= set(speeds)
    assert {"history_1000", "history_2000"} <= set(speeds)
    views = ("surface", "contour") if doc["display"]["opengl"] else ("contour",)
    for key, r in speeds.items():
        assert r["steps_per_s"] > 0
        for view in views:
            assert len(r[view]["per_second"]) == 1 and r[view]["min"] == min(r[view]["per_second"])
            assert 0 <= r[view]["min"] <= 61
        assert sum(r["contour"]["per_second"]) > 0, key  # the map showed new steps
    assert speeds["history_2000"]["history_steps"] > 2000
    assert speeds["noisy_bowl_10000"]["steps_per_s"] > speeds["noisy_bowl_300"]["steps_per_s"]
    for name in ("noisy_bowl", "20_noisy_runs"):
        e = doc["engine_steps"][name]
        assert e["us_per_run_step"] > 0 and e["steps_per_cpu_s"] > 0
    assert doc["engine_steps"]["20_noisy_runs"]["runs"] == 20
    cost = doc["frame_cost_ms"]
    assert cost["1000"] > 0 and cost["5000"] > 0 and cost["ratio"] == cost["5000"] / cost["1000"]
    ms = doc["matplotlib_speeds"]
    assert not ms["available"] or ms["steps_160"]["steps_per_s"] > ms["steps_1"]["steps_per_s"]


@pytest.mark.slow  # a soak run
def test_soak_reports_exceptions_memory_and_frames():
    doc = run("soak", "--minutes", "0.01", "--json")
    assert doc["exceptions"] == 0
    assert doc["frames"] > 0 and doc["cycles"] >= 1
    for field in ("rss_start_mb", "rss_end_mb", "rss_growth_mb", "frame_ms_p95", "frame_cpu_ms_p95"):
        assert field in doc
