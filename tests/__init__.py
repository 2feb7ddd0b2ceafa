"""Tests for ground; `python -m tests.bench` runs the benchmarks."""
