"""Issue 23: the analysts' desk (``radar web``) in-process, on SQLite and PostgreSQL.

Sign-in guards every page, forms need their CSRF token and the reviewer role, a refused correction
shows the message ``radar correct`` gives and stores nothing, and mails link the notice's page when
``RADAR_PUBLIC_URL`` is set. The end-to-end run in a real browser is test_web_browser.py.
"""

from __future__ import annotations

import email
import html
import re
from datetime import date
from email import policy
from pathlib import Path

import dagster as dg
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from radar_pipeline.cli import main
from radar_pipeline.clock import utc_today
from radar_pipeline.config import Settings
from radar_pipeline.db.schema import notices, review_decisions
from radar_pipeline.exposure.report import to_html
from radar_pipeline.exposure.service import current_exposure
from radar_pipeline.orchestration.assets import PIPELINE_ASSETS, exposure_report
from radar_pipeline.orchestration.resources import ExposureSettings
from radar_pipeline.review.corrections import pending_decision_days
from radar_pipeline.web.app import ROUTERS, create_app
from radar_pipeline.web.auth import WebConfigError, hash_password, parse_users
from radar_pipeline.web.paths import notice_path
from radar_pipeline.web.render import money
from radar_pipeline.web.routes.decisions import in_form_words
from radar_pipeline_tests import review_support as mails
from radar_pipeline_tests.pipeline_support import (
    company,
    engine_for,
    land_mail,
    land_webhook,
    resources,
    se_payload,
)

DAY = date(2026, 11, 2)
PASSWORD = "correct horse"
HASH = hash_password(PASSWORD)
USERS = f"alice:reviewer:{HASH},rob:reader:{HASH}"
PUBLIC = "https://desk.example.com"


def materialize(database_url: str, tmp_path: Path, public_url: str | None = None):
    res = resources(database_url, tmp_path) | {
        "settings": ExposureSettings(report_dir=str(tmp_path / "reports"), public_url=public_url)
    }
    result = dg.materialize(
        PIPELINE_ASSETS, partition_key=DAY.isoformat(), resources=res, instance=dg.DagsterInstance.ephemeral()
    )
    assert result.success


@pytest.fixture
def desk(database_url, tmp_path):
    """A processed day: PDN1 (complete, on the BOM) and PDN-2611-07 (its parts list missing: open review)."""
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_mail(engine, mails.attachment_missing(), "<pdn-2611-07@ti.com>", DAY)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"]), "w1", DAY)
    materialize(database_url, tmp_path, PUBLIC)
    with engine.connect() as conn:
        rows = conn.execute(select(notices.c.notice_number, notices.c.id, notices.c.manufacturer)).all()
    ids = {number: notice_id for number, notice_id, _ in rows}
    makers = {number: maker for number, _, maker in rows}
    app = create_app(Settings(database_url=database_url, web_secret="k" * 32, web_users=USERS))
    return {"app": app, "engine": engine, "ids": ids, "makers": makers, "url": database_url, "tmp": tmp_path}


def link_to(desk, number: str) -> str:
    return notice_path(desk["makers"][number], number)


def names(desk, number: str = mails.NUMBER) -> dict:
    """The fields a notice's forms carry: the notice as ``radar correct`` names it."""
    return {"number": number, "manufacturer": desk["makers"][number]}


def mail_texts(outbox: Path) -> list[str]:
    """The mails' plain-text bodies, decoded, under their To and Subject."""
    out = []
    for path in outbox.glob("*.eml"):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        out.append(f"To: {msg['To']}\nSubject: {msg['Subject']}\n" + msg.get_body(("plain",)).get_content())
    return out


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def signed_in(app, name: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token, "next": "/"})
    assert r.status_code == 303 and r.headers["location"] == "/", r.text
    return client


def decisions(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(review_decisions)).scalar_one()


def test_no_page_answers_without_a_session(desk):
    client = TestClient(desk["app"], follow_redirects=False)
    notice_id = desk["ids"]["PDN1"]
    routes = [r for router in ROUTERS for r in router.routes if r.path not in ("/login", "/logout")]
    assert {r.path for r in routes} >= {"/", "/review", "/notice", "/notices/{notice_id}", "/notice/correct"}
    for route in routes:
        path = route.path.replace("{notice_id}", str(notice_id)).replace("{event_id}", "1")
        path = link_to(desk, "PDN1") if path == "/notice" else path
        for method in route.methods:
            for cookies in ({}, {"radar_session": "eyJ1c2VyIjoiYWxpY2UifQ.forged.signature"}):
                client.cookies.clear()
                client.cookies.update(cookies)
                r = client.request(method, path)
                if method == "GET":
                    assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path
                else:
                    assert r.status_code == 401, (method, path, r.status_code)
                assert "PDN1" not in r.text and "LM317T" not in r.text
    assert decisions(desk["engine"]) == 0
    wrong = client.post(
        "/login",
        data={"username": "alice", "password": "guess", "csrf_token": csrf_of(client.get("/login").text)},
    )
    assert wrong.status_code == 401 and "Wrong name or password" in wrong.text
    assert client.get("/").status_code == 303


def test_overview_and_notice_page_show_the_exposure_formatted(desk):
    client = signed_in(desk["app"], "rob")
    report = current_exposure(desk["engine"], 0.10, utc_today())
    pdn1 = next(n for n in report["notices"] if n["notice_number"] == "PDN1")
    overview = client.get("/")
    assert overview.status_code == 200
    assert f'href="{html.escape(link_to(desk, "PDN1"))}">PDN1<' in overview.text
    assert (
        money(pdn1["total_ltb_cost"]) in overview.text
        and money(pdn1["total_revenue_at_risk"]) in overview.text
    )
    assert re.search(r'id="review-count">1<', overview.text)
    page = client.get(link_to(desk, "PDN1")).text
    assert page == client.get(f"/notices/{desk['ids']['PDN1']}").text
    (part,) = pdn1["parts"]
    assert part["ltb_qty"] > 999  # the page writes it with a thousands separator
    assert f"{part['ltb_qty']:,}" in page and money(part["ltb_cost"]) in page
    assert '<a href="/product?id=P1">P1</a> — Controller' in page and "P2</a> — Gateway" in page  # where-used
    assert "days left" in page
    assert "LM317T/NOPB" in page and 'action="/notice/' not in page  # a reader gets no forms
    queue = client.get("/review").text
    assert f'href="{html.escape(link_to(desk, mails.NUMBER))}">{mails.NUMBER}<' in queue
    assert "attached spreadsheet" in html.unescape(queue)


def test_the_source_document_downloads_as_it_landed(desk):
    client = signed_in(desk["app"], "rob")
    r = client.get(f"/notices/{desk['ids'][mails.NUMBER]}/source")
    assert r.status_code == 200 and r.content == mails.attachment_missing()
    page = client.get(link_to(desk, mails.NUMBER)).text
    lasting = re.search(r'id="source" href="(/events/\d+/source)"', page).group(1)  # by landing event
    assert client.get(lasting).content == r.content and client.get("/events/999999/source").status_code == 404
    assert (
        r.headers["content-type"].startswith("message/rfc822") and ".eml" in r.headers["content-disposition"]
    )


def test_forms_without_a_csrf_token_or_from_a_reader_change_nothing(desk):
    alice, rob = signed_in(desk["app"], "alice"), signed_in(desk["app"], "rob")
    form = names(desk) | {"parts": "LM317T/NOPB", "note": "from the xlsx"}
    for client, data in (
        (alice, form),  # no token
        (alice, form | {"csrf_token": "not-the-token"}),
        (alice, form | {"csrf_token": csrf_of(rob.get("/").text)}),  # someone else's token
        (rob, form | {"csrf_token": csrf_of(rob.get("/").text)}),  # a reader, with a good token
    ):
        for action in ("correct", "accept"):
            r = client.post(f"/notice/{action}", data=data)
            assert r.status_code == 403, (action, r.status_code, r.text)
    assert decisions(desk["engine"]) == 0
    assert re.search(r'id="review-count">1<', rob.get("/").text)


BAD = [  # the form's fields, the command's options, and the field as the form's message names it
    ({"ltb": "31.02.2027"}, ["--ltb", "31.02.2027"], "last-time buy '31.02.2027' is not a date"),
    ({"ltb": "2027-02-30"}, ["--ltb", "2027-02-30"], "last-time buy '2027-02-30' is not a date"),
    ({"parts": "=LM317HVT/NOPB"}, ["--part", "=LM317HVT/NOPB"], "part to add"),
    ({"notice_type": "eol"}, ["--type", "eol"], "type 'eol' is not one of"),
    ({"parts": "X" * 129}, ["--part", "X" * 129], "part to add"),
    ({}, [], "nothing to correct (to close the item unchanged: Accept)"),
    ({"category": "fab"}, ["--category", "fab"], "category 'fab' is not one of"),
    ({"effective": "2027-04-31"}, ["--effective", "2027-04-31"], "effective date '2027-04-31' is not a date"),
    (
        {"response_deadline": "soon"},
        ["--response-deadline", "soon"],
        "response deadline 'soon' is not a date",
    ),
]


@pytest.mark.parametrize(
    ("fields", "args", "words"),
    BAD,
    ids=["date", "no-such-day", "no-part", "type", "long", "nothing", "category", "effective", "deadline"],
)
def test_a_bad_correction_shows_the_commands_message_in_the_forms_words_and_stores_nothing(
    desk, fields, args, words
):
    cli = CliRunner().invoke(main, ["correct", mails.NUMBER, *args], env={"RADAR_DATABASE_URL": desk["url"]})
    assert cli.exit_code == 2
    message = cli.stderr.strip()
    assert message.startswith("error: ")
    alice = signed_in(desk["app"], "alice")
    page = alice.get(link_to(desk, mails.NUMBER)).text
    r = alice.post("/notice/correct", data=names(desk) | fields | {"csrf_token": csrf_of(page)})
    assert r.status_code == 400
    shown = html.unescape(re.search(r'id="decision-error">(.*?)</p>', r.text, re.S).group(1))
    assert words in shown and "--" not in shown and "radar " not in shown
    assert shown == in_form_words(message)  # the command's message, each option named as the form names it
    assert decisions(desk["engine"]) == 0


def test_a_correction_from_the_form_is_the_signed_in_users_and_changes_the_exposure(desk):
    alice = signed_in(desk["app"], "alice")
    page = alice.get(link_to(desk, mails.NUMBER)).text
    assert "Checked against the BOM: no part of it is affected." in page
    data = names(desk) | {"parts": "LM317T/NOPB\n\n", "note": "from the xlsx", "csrf_token": csrf_of(page)}
    r = alice.post("/notice/correct", data=data)
    assert r.status_code == 303 and r.headers["location"] == link_to(desk, mails.NUMBER)
    shown = alice.get(r.headers["location"]).text
    assert f"correction 1 of {mails.NUMBER}: parts LM317T/NOPB; day {DAY}" in html.unescape(shown)
    with desk["engine"].connect() as conn:
        (row,) = conn.execute(select(review_decisions)).all()
    assert (row.action, row.decided_by, row.note) == ("correct", "alice", "from the xlsx")
    assert DAY in pending_decision_days(desk["engine"])  # what the review-decision sensor asks a run for
    assert 'id="being-reread">Being re-read since ' in shown and "$12,300.00" not in shown
    assert "being re-read since " in alice.get("/", params={"q": mails.NUMBER}).text
    materialize(desk["url"], desk["tmp"], PUBLIC)  # the run the sensor starts
    shown = alice.get(r.headers["location"]).text  # the same address after the day was read again
    assert "$12,300.00" in shown and "corrected by alice" in shown and "from the xlsx" in shown
    assert "being-reread" not in shown and "being re-read" not in alice.get("/").text
    assert re.search(r'id="review-count">0<', alice.get("/").text)
    again = names(desk) | {"ltb": "2027-02-01", "csrf_token": csrf_of(shown)}
    shown = alice.get(alice.post("/notice/correct", data=again).headers["location"]).text
    assert f"correction 2 of {mails.NUMBER}: LTB 2027-02-01; day {DAY}" in html.unescape(shown)  # its 2nd


def test_accept_is_recorded_as_the_signed_in_user(desk):
    alice = signed_in(desk["app"], "alice")
    token = csrf_of(alice.get("/").text)
    r = alice.post("/notice/accept", data=names(desk) | {"note": "no list exists", "csrf_token": token})
    assert r.status_code == 303
    with desk["engine"].connect() as conn:
        (row,) = conn.execute(select(review_decisions)).all()
    assert (row.action, row.decided_by, row.notice_number) == ("accept", "alice", mails.NUMBER)


def test_a_notification_links_the_notice_page_that_opens_on_the_desk(desk):
    outbox = mail_texts(desk["tmp"] / "outbox")
    to_buyer = next(m for m in outbox if "To: buyer@example.com" in m and "[radar] " in m and "PDN1" in m)
    link = PUBLIC + link_to(desk, "PDN1")
    assert f"Notice page: {link}\n" in to_buyer and f"Overview: {PUBLIC}/" in to_buyer
    assert "Full report:" not in to_buyer
    review = next(m for m in outbox if "[radar review]" in m)
    assert PUBLIC + link_to(desk, mails.NUMBER) in review and f"{PUBLIC}/review" in review
    assert "On its page, Correct adds what is missing" in review  # the desk's buttons, no command line
    assert "radar " not in review.replace("[radar review]", "") and "--" not in review.split("\n\n", 1)[1]
    client = TestClient(desk["app"], follow_redirects=False)
    path = link.removeprefix(PUBLIC)
    to_login = client.get(path).headers["location"]
    assert to_login.startswith("/login?next=")
    token = csrf_of(client.get(to_login).text)
    next_path = re.search(r'name="next" value="([^"]+)"', client.get(to_login).text).group(1)
    assert html.unescape(next_path) == path  # the link survives the sign-in
    signed = client.post(
        "/login", data={"username": "rob", "password": PASSWORD, "csrf_token": token, "next": path}
    )
    assert signed.headers["location"] == path
    page = client.get(path)
    assert page.status_code == 200 and "<h1>PDN1 — Texas Instruments</h1>" in page.text
    res = resources(desk["url"], desk["tmp"]) | {
        "settings": ExposureSettings(report_dir=str(desk["tmp"] / "reports"), public_url=PUBLIC)
    }
    assert dg.materialize([exposure_report], resources=res, instance=dg.DagsterInstance.ephemeral()).success
    report = (desk["tmp"] / "reports" / "latest.html").read_text()
    assert f'href="{html.escape(link)}"' in report and f'href="{PUBLIC}/"' in report


def test_without_a_public_url_the_mail_names_the_report(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"]), "w1", DAY)
    materialize(database_url, tmp_path)
    (mail,) = [m for m in mail_texts(tmp_path / "outbox") if "To: buyer@example.com" in m]
    report = (tmp_path / "reports").resolve() / "latest.html"
    assert f"Full report: {report}" in mail and "/notice" not in mail


def test_the_static_report_groups_lines_per_notice_formatted_like_the_desk(desk):
    report = current_exposure(desk["engine"], 0.10, utc_today())
    page = to_html(report)
    pdn1 = next(n for n in report["notices"] if n["notice_number"] == "PDN1")
    assert page.count('class="lines"') == sum(1 for n in report["notices"] if n["parts"])
    assert money(pdn1["total_ltb_cost"]) in page and f"{pdn1['parts'][0]['ltb_qty']:,}" in page
    assert "counted" not in page and ">True<" not in page and not re.search(r">\d+\.0<", page)
    assert "/notice" not in page  # no desk to link to without RADAR_PUBLIC_URL


def test_behind_a_trusted_proxy_the_header_names_the_user(desk):
    app = create_app(
        Settings(
            database_url=desk["url"],
            web_secret="k" * 32,
            web_trusted_header="X-Remote-User",
            web_users="alice:reviewer:",
        )
    )
    client = TestClient(app, follow_redirects=False)
    assert client.get("/").status_code == 303 and client.get("/login").status_code == 401
    page = client.get(link_to(desk, mails.NUMBER), headers={"X-Remote-User": "bob"}).text
    assert "bob (reader)" in page and 'action="/notice/' not in page
    reviewer_page = client.get(link_to(desk, mails.NUMBER), headers={"X-Remote-User": "alice"}).text
    assert "alice (reviewer)" in reviewer_page
    form = names(desk) | {"csrf_token": csrf_of(reviewer_page)}  # the browser's session token
    r = client.post("/notice/accept", data=form, headers={"X-Remote-User": "bob"})
    assert r.status_code == 403 and decisions(desk["engine"]) == 0
    r = client.post("/notice/accept", data=form, headers={"X-Remote-User": "alice"})
    assert r.status_code == 303 and decisions(desk["engine"]) == 1


def test_users_setting_and_what_the_desk_refuses_to_start_with():
    other = hash_password("x")
    users = parse_users(f" alice:reviewer:{HASH} , rob:reader:{other}")
    assert {u.name: (u.role, u.password_hash) for u in users.values()} == {
        "alice": ("reviewer", HASH),
        "rob": ("reader", other),
    }
    assert "," in HASH  # argon2's own parameters: the list is split where the next entry begins
    with pytest.raises(WebConfigError, match="role 'admin'"):
        parse_users(f"eve:admin:{HASH}")
    for settings, words in (
        (Settings(web_users=USERS), "RADAR_WEB_SECRET"),
        (Settings(web_secret="k"), "nobody could sign in"),
        (Settings(web_secret="k", web_users="alice:reviewer:plain"), "not an argon2 hash"),
    ):
        with pytest.raises(WebConfigError, match=words):
            create_app(settings)
    out = CliRunner().invoke(main, ["web", "hash-password", "--password", "s3cret"])
    assert out.exit_code == 0
    from argon2 import PasswordHasher

    assert PasswordHasher().verify(out.stdout.strip(), "s3cret")
