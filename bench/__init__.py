"""Benchmarks for the budgets in ARCHITECTURE.md §7 (``make bench``); not a test suite."""
