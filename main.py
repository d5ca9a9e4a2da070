"""Start AdamGUI: the window by default, or a command such as ``python main.py run``."""

import sys

from adamgui.app import main

if __name__ == "__main__":
    sys.exit(main())
