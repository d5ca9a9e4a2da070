"""Scenes as adamgui: links: every preset and chapter round-trips to the same scene, a typical one fits in 1,000
characters, and broken or hostile links are refused with one sentence each, quickly and in little memory."""

import tracemalloc
from dataclasses import replace

import pytest

from adamgui.core.lesson import CHAPTERS
from adamgui.core.links import LinkError, from_link, to_link
from adamgui.core.presets import PRESETS
from adamgui.core.scene import scene_from_preset
from adamgui.devtools.hostile_links import HOSTILE
from tests.test_hostile import within

SCENES = {f"preset {n}": scene_from_preset(p) for n, p in PRESETS.items()} | {
    f"chapter {c.key}": c.scene() for c in CHAPTERS
}


def _plain(scene):
    """The scene with each run's hyperparameters written out (as a session writes them): what it means."""
    runs = tuple(replace(r, spec=replace(r.spec, params=r.spec.resolved())) for r in scene.runs)
    return replace(scene, runs=runs)


@pytest.mark.parametrize("name", sorted(SCENES))
def test_a_link_round_trips_every_preset_and_chapter(name):
    scene = SCENES[name]
    link = to_link(scene)
    assert link.startswith("adamgui:1.") and all(c.isalnum() or c in "-_:." for c in link)
    again = from_link(link)
    assert _plain(again) == _plain(scene)
    assert to_link(again) == link  # and round again to the same text
    if name.startswith("preset"):
        assert len(link) < 1000  # a typical scene: a line on a slide


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_broken_or_hostile_link_is_refused_with_one_sentence(name):
    link, says = HOSTILE[name]
    tracemalloc.start()
    try:
        with within(1.0), pytest.raises(LinkError) as refused:
            from_link(link)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    text = str(refused.value)
    assert says in text, text
    assert "\n" not in text and "Traceback" not in text and len(text) < 400
    assert peak < 100_000_000
