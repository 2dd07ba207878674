"""The demo company and its notices: a generator used by ``make demo`` and by the tests."""
