"""Benchmarks: each script prints its figures; BENCHMARKS.md records them."""
