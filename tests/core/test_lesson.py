"""Every chapter of the lesson says only what its scene does: each claim and each "try this" is run."""

import numpy as np
import pytest

from adamgui.core.lesson import CHAPTERS, KEYS, chapter, number, run_to_limit
from adamgui.core.params import ParamError
from adamgui.core.presets import get_preset
from adamgui.core.scene import scene_from_preset


def test_the_chapters_follow_the_notebook_in_order():
    assert KEYS == (
        "gradient", "descent", "saddle", "momentum", "rmsprop", "adam", "bias", "epsilon", "notebook", "not-adam",
        "tune-first", "network-slice", "edge-of-stability", "adam-nonconvergence",
    )  # fmt: skip
    assert number("adam") == 6
    with pytest.raises(ParamError, match="Unknown chapter"):
        chapter("nope")


@pytest.mark.parametrize("key", KEYS)
def test_each_claim_of_a_chapter_holds_on_its_scene(key):
    c = chapter(key)
    scene = c.scene()
    assert scene.chapter == key and len(scene.runs) >= 1 and 0 <= c.focus < len(scene.runs)
    sim = run_to_limit(scene)
    for claim in c.claims:
        assert claim.holds(sim), f"{key}: {claim.text}"
    assert c.rule and c.symbols and 2 <= c.watch.count(". ") + 1 <= 5  # a few sentences, not an essay


@pytest.mark.parametrize("key", [c.key for c in CHAPTERS if c.tries])
def test_each_try_changes_the_scene_and_shows_what_it_says(key):
    c = chapter(key)
    for t in c.tries:
        changed = t.change(c.scene())
        assert changed != c.scene() and changed.chapter == key
        assert t.claim(run_to_limit(changed)), f"{key}: {t.label}: {t.says}"
        assert not t.claim(run_to_limit(c.scene())) or key == "adam", f"{key}: {t.label} shows nothing new"


def test_the_notebook_chapter_is_the_notebook_to_the_last_bit():
    lesson = run_to_limit(chapter("notebook").scene())
    notebook = run_to_limit(scene_from_preset(get_preset("seed-notebook")))
    for a, b in zip(lesson.runs, notebook.runs, strict=True):
        np.testing.assert_array_equal(a.path(), b.path())


def test_the_tuned_rates_of_the_tune_first_chapter_are_what_a_race_finds():
    """Its "try this" sets the α a race finds with 64 trials each, the steps to loss 1e-8 as the objective."""
    from adamgui.core import race
    from adamgui.core.lesson import TUNED_RAVINE
    from adamgui.core.tuning import Objective

    scene = chapter("tune-first").scene()
    results = race.race(scene, range(3), race.RaceSettings(64, Objective("steps-to", 1e-8), 1000))
    assert tuple(r.best_params["lr"] for r in results) == TUNED_RAVINE
    assert [r.optimizer for r in results] == ["gd", "momentum", "adam"]
