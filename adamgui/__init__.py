"""AdamGUI: watch gradient descent, Adam and their relatives move across a loss surface."""

__version__ = "0.1.0"

EXIT_INTERRUPTED = 130  # exit status of a command stopped by Ctrl+C or SIGTERM (the shell's convention)
