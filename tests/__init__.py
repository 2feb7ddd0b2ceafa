"""Tests for ground (the benchmarks are in bench/: `make bench`)."""
