"""``python -m adamgui``: the same as the ``adamgui`` command (the window, or a command such as ``run``)."""

import sys

from adamgui.app import main

sys.exit(main())
