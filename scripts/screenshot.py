"""Take the README's screenshot: the real window on this display (e.g. Xvfb at 1366x768), a preset played.

xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot.py ravine 40 docs/screenshot.png
"""

import os
import sys

os.environ.setdefault("ADAMGUI_SETTINGS", "none")

from adamgui.core.presets import get_preset  # noqa: E402
from adamgui.core.scene import scene_from_preset  # noqa: E402
from adamgui.gui.app.qapplication import application  # noqa: E402


def main(preset: str, steps: int, out: str, inspect: int = -1) -> None:
    app = application()
    from adamgui.gui.main_window import MainWindow

    window = MainWindow(scene_from_preset(get_preset(preset)))
    window.show()
    for _ in range(30):
        app.processEvents()
    window.controller.advance_to(steps)
    if inspect >= 0:
        window.inspector.raise_()
        window.inspector.select_run(inspect)
    for _ in range(30):
        app.processEvents()
    from adamgui.gui.export.save import window_picture

    window_picture(window).save(out)
    window.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else -1)
