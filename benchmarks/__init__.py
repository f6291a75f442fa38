"""Benchmarks of this SDK side by side with its peers (legacy 1.3.7 and BDK 3.0.0).

Run them with ``python -m benchmarks`` (see ``docs/benchmarks.md``). The peer SDKs are installed in
their own cached virtualenvs by :mod:`benchmarks.peers`, never in this environment.
"""
