"""End-to-end tests with the real peer SDKs (legacy 1.3.7, BDK 3.0.0) against the emulator."""
