"""Emulator tests (a package: import helpers relatively, e.g. ``from .podclient import PodClient``)."""
