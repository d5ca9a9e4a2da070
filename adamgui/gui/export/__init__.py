"""What leaves the window as a file: pictures, animations, data and notebooks (save), their dialogs, the GIF
writer, and the headless render command."""
