"""``main.py tune``, run as a user runs it: a fair race's table, and one sentence for a bad value."""

import csv
import io
import json

import pytest

from tests.test_cli import cli


def test_tune_prints_the_table_as_json_with_the_same_budget_for_every_optimizer():
    args = ("tune", "--preset", "ravine", "--optimizer", "gd", "--optimizer", "momentum", "--optimizer", "adam")
    out = cli(*args, "--trials", "64", "--objective", "steps-to:1e-8", "--format", "json", check_status=0).stdout
    doc = json.loads(out)
    rows = doc["results"]
    assert [r["optimizer"] for r in rows] == ["gd", "momentum", "adam"]
    assert all(r["trials"] == 64 for r in rows)
    assert all("64 trials over lr" in f and "steps to loss ≤ 1e-08" in f for f in doc["fairness"])
    gd = rows[0]
    assert gd["tuned"]["lr"] == pytest.approx(2 / (0.2 + 4.0), rel=0.05)  # GD's optimum on the ravine
    assert gd["steps_to_tol"] == gd["objective"]


def test_tune_as_csv_and_as_a_table():
    out = cli("tune", "--preset", "noisy-bowl", "--trials", "8", "--seeds", "3", "--format", "csv", check_status=0)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["optimizer"] for r in rows] == ["gd", "momentum", "adam"] and all(r["seeds"] == "3" for r in rows)
    table = cli("tune", "--preset", "ravine", "--trials", "8", check_status=0).stdout
    assert "Fair: 8 trials over lr" in table and "objective" in table
    assert (
        "\r" not in cli("tune", "--preset", "ravine", "--trials", "8", check_status=0).stderr
    )  # no progress off a tty


@pytest.mark.parametrize(
    "args, says",
    [
        (("--trials", "2"), "invalid trials 2"),
        (("--trials", "x"), "invalid trials 'x'"),
        (("--objective", "fastest"), "Unknown objective"),
        (("--objective", "steps-to:soon"), "steps-to needs"),
        (("--seeds", "0"), "invalid seeds 0"),
        (("--optimizer", "adam:lr=-1"), "Invalid lr"),
        (("--surface", "nowhere"), "nowhere"),
        (("--noise", "nan"), "invalid number 'nan'"),
    ],
)
def test_bad_tune_values_get_one_sentence_and_status_2(args, says):
    proc = cli("tune", "--preset", "ravine", *args, check_status=2)
    assert says in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
