"""Benchmarks run on PostgreSQL by ``bin/bench``; they print figures, they do not assert."""
