"""Small widgets and helpers every part of the window shares: spin boxes, typeset math, the keyboard guard, number
formats and the one colormap. They import nothing else of the window."""
