"""Testing kit for bot authors: pytest fixtures that run the sympod emulator."""
