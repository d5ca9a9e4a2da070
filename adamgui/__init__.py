"""AdamGUI: watch gradient descent, Adam and their relatives move across a loss surface."""

__version__ = "0.1.0"
