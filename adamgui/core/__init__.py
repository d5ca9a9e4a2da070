"""The numerical core: optimizers, surfaces, simulation, presets. numpy only; never imports Qt."""
