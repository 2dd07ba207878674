"""A pytest plugin: a skipped test or module is a failure, so nothing can be skipped silently.

A skip hides a test behind a green summary; here it fails with its reason, and a test
that must not run is left out on purpose with ``-m`` instead. Expected failures (xfail)
are untouched: they report their own outcome.
"""

from __future__ import annotations

import pytest

ADVICE = "skipped tests are failures in this suite; deselect with -m on purpose instead"


def _reason(longrepr: object) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (path, line, "Skipped: reason")
        return str(longrepr[2])
    return str(longrepr)


def _fail(report: pytest.CollectReport | pytest.TestReport) -> None:
    report.longrepr = f"{_reason(report.longrepr)} ({ADVICE})"
    report.outcome = "failed"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.skipped and not hasattr(report, "wasxfail"):
        _fail(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    report = yield
    if report.skipped:
        _fail(report)
    return report
