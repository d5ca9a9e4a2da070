"""The application around the window: the QApplication and its launch, settings, theme, the net for unexpected
errors, long jobs and their worker threads, and the background builder of a formula's curvature."""
