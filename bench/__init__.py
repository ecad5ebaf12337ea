"""Benchmarks (speed, memory) — results are printed, never asserted in tests."""
