"""The Qt window: views listen to the controller's frames; the panel edits the scene."""
