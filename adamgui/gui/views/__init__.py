"""What the window draws the scene in: the contour view and the 3D surface view, with their layers (trails,
arrows, curvature, the GL picture). Views only listen: given frames and scenes, they ask for changes by signals."""
