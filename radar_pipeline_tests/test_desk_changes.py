"""Issue 31: change and NRND notices on the desk — what changes, the risk, the dates and the days left to
object — the response deadlines among the next deadlines, and the Correct form setting the change.

A packing change (TI, response within 20 days of yesterday's mail: 19 days left, near) and a
discontinuance (last-time buy 2027-03-15) on the BOM of bom_fixture.py, through the real pipeline and
the real desk (FastAPI over HTTP, SQLite and PostgreSQL).
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

from fastapi.testclient import TestClient

from radar_pipeline.clock import utc_today
from radar_pipeline.config import Settings
from radar_pipeline.demo.change_notices import ChangeForm, checkbox_mail
from radar_pipeline.web.app import create_app
from radar_pipeline.web.data import find_notice_id
from radar_pipeline_tests.pipeline_support import (
    company,
    engine_for,
    land_mail,
    land_webhook,
    materialize_day,
    se_payload,
)
from radar_pipeline_tests.test_web import USERS, csrf_of, signed_in

DAY = utc_today() - timedelta(days=1)
NUMBER, MAKER = "PCN-REEL-31", "Texas Instruments"


def text_of(page: str, element_id: str) -> str:
    """The text of the element with ``element_id``, tags dropped, white space collapsed."""
    found = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert found, f"no #{element_id} on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(2))).split())


def desk(database_url, tmp_path) -> tuple[TestClient, dict]:
    engine = engine_for(database_url)
    company(engine, tmp_path)
    form = ChangeForm(NUMBER, MAKER, "PCN <pcn@ti.com>", "packing", ("LM317T/NOPB",), DAY, 20)
    land_mail(engine, checkbox_mail(form).data, "<reel-31>", DAY)
    land_webhook(engine, se_payload("PDN1", ["MAX3232CSE+T"]), "w1", DAY)
    assert materialize_day(database_url, tmp_path, DAY).success
    app = create_app(Settings(database_url=database_url, web_secret="k" * 32, web_users=USERS))
    return signed_in(app, "alice"), {"engine": engine, "url": database_url, "tmp": tmp_path, "app": app}


def test_a_change_notice_shows_what_changes_and_the_days_left_to_object(database_url, tmp_path):
    alice, _ = desk(database_url, tmp_path)
    page = alice.get("/notice", params={"manufacturer": MAKER, "number": NUMBER}).text
    assert text_of(page, "change-categories") == "packing"
    assert text_of(page, "change-risk") == "low"
    assert text_of(page, "change-fff") in ("no impact stated", "affects form")
    deadline = DAY + timedelta(days=20)
    assert text_of(page, "response-deadline").startswith(deadline.isoformat())
    assert text_of(page, "response-days-left") == "19 days left"
    assert re.search(r'class="urgent" id="response-days-left"', page)  # near: within 30 days
    assert "after it the change counts as accepted" in page

    overview = alice.get("/").text
    items = re.findall(r'<li class="deadline ([a-z-]+)">', overview)
    assert items[:2] == ["response-deadline", "last-time-buy"]  # the change's 19 days before the LTB's
    first = text_of(overview, "deadlines")
    assert first.startswith(f"{deadline.isoformat()} (19 days left)")


def test_the_correct_form_sets_category_and_dates_with_date_inputs(database_url, tmp_path):
    alice, ctx = desk(database_url, tmp_path)
    url = "/notice?" + f"manufacturer={MAKER.replace(' ', '+')}&number={NUMBER}"
    page = alice.get(url).text
    for name in ("ltb", "last_ship", "effective", "response_deadline"):
        assert re.search(rf'<input type="date" name="{name}"', page), name
    later = DAY + timedelta(days=60)
    r = alice.post(
        "/notice/correct",
        data={
            "number": NUMBER,
            "manufacturer": MAKER,
            "category": ["design", "packing"],
            "effective": (DAY + timedelta(days=90)).isoformat(),
            "response_deadline": later.isoformat(),
            "csrf_token": csrf_of(page),
        },
    )
    assert r.status_code == 303, r.text
    flashed = html.unescape(alice.get(r.headers["location"]).text)
    assert "categories design, packing" in flashed and "radar process" not in flashed
    assert materialize_day(ctx["url"], ctx["tmp"], DAY).success  # the run the review-decision sensor starts
    page = alice.get(url).text
    assert text_of(page, "change-categories") == "design, packing"
    assert text_of(page, "change-risk") == "high"  # a design change
    assert text_of(page, "change-effective") == (DAY + timedelta(days=90)).isoformat()
    assert text_of(page, "response-days-left") == "59 days left"
    assert not re.search(r'class="urgent" id="response-days-left"', page)
    assert find_notice_id(ctx["engine"], MAKER, NUMBER) is not None
