"""Issue 23 end to end: the analysts' desk in Debian's headless Chromium, on PostgreSQL, with the real
dagster-daemon. Sign in, read the overview, follow a notice, correct the one the review queue holds
through its form, and see its exposure once the review-decision sensor's run has re-read the day."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect, sync_playwright

from radar_pipeline.orchestration.instance import dagster_pg_url, instance_yaml
from radar_pipeline.web.auth import hash_password
from radar_pipeline.web.render import money
from radar_pipeline_tests import review_support as mails
from radar_pipeline_tests.bom_fixture import write_bom
from radar_pipeline_tests.support import (
    DagsterServices,
    RadarProcess,
    free_port,
    fresh_postgres_database,
    radar_env,
    require_postgres,
    run_radar,
    wait_http,
)
from radar_pipeline_tests.test_ui_browser import ARGS, CHROMIUM

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.browser]
PASSWORD = "ltb-before-friday"
COMPLETE = "PDN-2611-11"
MONEY = re.compile(r"^\$\d{1,3}(,\d{3})*\.\d{2}$")


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """Two notices processed (one complete, one whose parts list is missing), the daemon running and
    ``radar web`` serving them, all on PostgreSQL."""
    require_postgres()
    tmp = tmp_path_factory.mktemp("desk")
    with fresh_postgres_database() as business, fresh_postgres_database() as dagster_db:
        home = tmp / "dagster_home"
        home.mkdir()
        (home / "dagster.yaml").write_text(instance_yaml(postgres=True))
        port = free_port()
        env = {
            "DAGSTER_HOME": str(home),
            "DAGSTER_PG_URL": dagster_pg_url(dagster_db),
            "RADAR_REPORT_DIR": str(tmp / "reports"),
            "RADAR_OUTBOX_DIR": str(tmp / "outbox"),
            "RADAR_NOTIFY_TO": "buyer@example.com",
            "RADAR_HISTORY_START": "2026-11-01",  # the daemon's quiet-day catch-up: weeks, not years
            "RADAR_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "RADAR_WEB_SECRET": "a-long-random-test-secret-0123456789",
            "RADAR_WEB_USERS": f"alice:reviewer:{hash_password(PASSWORD)}",
        }

        def radar(*args):
            out = run_radar(list(args), business, tmp, **env)
            assert out.returncode == 0, out.stdout + out.stderr
            return out.stdout

        (tmp / "missing.eml").write_bytes(mails.attachment_missing())
        listed = mails.listed_notice(
            COMPLETE, "l11@ti.com", "Tue, 03 Nov 2026 09:00:00 +0000", ["LM317T/NOPB"]
        )
        (tmp / "listed.eml").write_bytes(listed)
        radar("bom", "import", str(write_bom(tmp / "bom")))
        radar("ingest", str(tmp / "missing.eml"), str(tmp / "listed.eml"))
        radar("process")
        web = RadarProcess(["web", "--port", str(port)], radar_env(business, **env), tmp, "web.log")
        daemon = None
        try:
            wait_http(f"http://127.0.0.1:{port}/login", proc=web.proc)
            daemon = DagsterServices(tmp, radar_env(business, **env), webserver=False)
            yield {"url": f"http://127.0.0.1:{port}", "radar": radar, "tmp": tmp, "web": web}
        finally:
            if daemon:
                daemon.stop()
            web.stop()


def exposure_of(desk, number: str) -> dict:
    report = json.loads(desk["radar"]("exposure", "--format", "json"))
    return next(n for n in report["notices"] if n["notice_number"] == number)


def test_sign_in_follow_a_notice_and_correct_one_from_the_review_queue(desk):
    complete = exposure_of(desk, COMPLETE)
    assert complete["total_ltb_cost"] and exposure_of(desk, mails.NUMBER)["parts"] == []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1000}, java_script_enabled=False)
            page.goto(desk["url"] + "/")
            expect(page).to_have_url(re.compile(r"/login\?next=/$"))  # nothing without signing in
            page.fill("input[name=username]", "alice")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")

            # the overview: the queue's size, each notice with its money, linked to its page
            expect(page.locator("#review-count")).to_have_text("1")
            row = page.locator("table#notices tbody tr", has_text=COMPLETE)
            expect(row).to_contain_text(money(complete["total_ltb_cost"]))
            row.get_by_role("link", name=COMPLETE).click()

            # the notice: its products by name, money and whole units as people write them
            expect(page.locator("h1")).to_have_text(f"{COMPLETE} — Texas Instruments")
            lines = page.locator("table.lines")
            expect(lines).to_contain_text("P1 — Controller")
            expect(lines).to_contain_text("P2 — Gateway")
            (part,) = complete["parts"]
            expect(lines.locator("tr.part")).to_contain_text(f"{part['ltb_qty']:,}")
            assert MONEY.match(page.locator("#total-ltb-cost").inner_text())
            assert page.locator("#total-ltb-cost").inner_text() == money(complete["total_ltb_cost"])

            # the review queue: the notice whose parts list was missing; correct it through its form
            page.get_by_role("link", name="Review queue").first.click()
            expect(page.locator("table#review")).to_contain_text("attached spreadsheet")
            page.locator("table#review").get_by_role("link", name=mails.NUMBER).click()
            expect(page.locator("table.lines")).to_have_count(0)  # no part of the BOM, yet
            page.fill("textarea[name=parts]", "LM317T/NOPB")
            page.fill("#correct-form input[name=note]", "parts from the xlsx the supplier re-sent")
            page.get_by_role("button", name="Correct as alice").click()
            expect(page.locator(".flash")).to_contain_text(
                f"correction 1 of {mails.NUMBER}: parts LM317T/NOPB"
            )

            # the review-decision sensor starts a run that re-reads the day; the same page then shows it
            deadline = time.monotonic() + 240
            while page.locator("#total-ltb-cost").inner_text() != "$12,300.00":
                assert time.monotonic() < deadline, (
                    "the correction was not re-materialized; daemon log: "
                    + (desk["tmp"] / "daemon.log").read_text()[-3000:]
                )
                time.sleep(3)
                page.reload()
            expect(page.locator("table.lines")).to_contain_text("P1 — Controller")
            expect(page.locator("#history")).to_contain_text("parts from the xlsx the supplier re-sent")
            expect(page.locator("#fields")).to_contain_text("corrected by alice")
            page.get_by_role("link", name="Overview").first.click()
            expect(page.locator("#review-count")).to_have_text("0")
        finally:
            browser.close()
    corrected = exposure_of(desk, mails.NUMBER)
    assert corrected["corrected_by"] == "alice" and corrected["total_ltb_cost"] == 12300.0
