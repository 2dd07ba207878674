"""Real local services for tests and benchmarks: scratch databases, radar and Dagster processes, stubs.

Not test code: ``bench/`` runs the same processes the tests do, so both import them from here.
"""
