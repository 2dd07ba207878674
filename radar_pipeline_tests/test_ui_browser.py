"""The Dagster UI and the HTML report in a real headless Chromium (Debian's), on the demo instance."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from radar_pipeline.demo.run import demo_environment
from radar_pipeline_tests.support import DagsterServices, radar_env

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ASSETS = [
    "landing_events",
    "parsed_documents",
    "notice_extractions",
    "bom_matches",
    "exposure",
    "notifications",
]


@pytest.fixture(scope="module")
def demo_instance(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ui")
    root = tmp / ".radar"
    out = subprocess.run(
        [sys.executable, "-m", "radar_pipeline.cli", "demo", "--root", str(root)],
        cwd=tmp,
        env=radar_env(f"sqlite:///{root / 'radar.db'}") | demo_environment(root),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    env = radar_env(f"sqlite:///{root / 'radar.db'}") | demo_environment(root)
    services = DagsterServices(tmp, env, daemon=False)
    yield {"url": services.url, "root": root, "tmp": tmp, "stdout": out.stdout}
    services.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def test_code_location_is_loaded(demo_instance):
    query = "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"
    data = httpx.post(f"{demo_instance['url']}/graphql", json={"query": query}, timeout=60).json()["data"]
    (entry,) = data["workspaceOrError"]["locationEntries"]
    assert entry["loadStatus"] == "LOADED"


def test_asset_graph_renders_the_asset_names(demo_instance, browser):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(f"{demo_instance['url']}/locations/radar_pipeline.definitions/asset-groups/notices/lineage")
    skip = page.get_by_role("button", name="Skip")  # Dagster's first-visit community dialog
    with contextlib.suppress(PlaywrightError):  # the dialog does not always show
        skip.click(timeout=15_000)
    for name in ASSETS:
        page.get_by_text(name, exact=True).first.wait_for(timeout=90_000)
    page.screenshot(path=str(demo_instance["tmp"] / "asset-graph.png"))
    body = page.inner_text("body")
    assert all(name in body for name in ASSETS)


def test_html_report_shows_chart_and_tables(demo_instance, browser):
    report = Path(demo_instance["root"]) / "reports" / "latest.html"
    assert str(report.resolve()) in demo_instance["stdout"]  # the demo prints where it is
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(report.resolve().as_uri())
    bars = page.locator("#exposure-chart rect.bar")
    assert bars.count() >= 10
    assert page.locator("#exposure-chart").bounding_box()["width"] > 300
    assert page.locator("#ltb-timeline circle.deadline").count() >= 5
    rows = page.locator("table#notices tbody tr")
    assert rows.count() >= 10 and "PDN-INTEL-2611" in page.inner_text("table#notices")
    assert page.locator("table#lines tbody tr").count() > rows.count()
    page.screenshot(path=str(demo_instance["tmp"] / "report.png"), full_page=False)
