"""Change notices and NRND: what changed, by when to object, and who must know (issue 21)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from radar_pipeline.demo.change_notices import ChangeForm, checkbox_mail, vocabulary_samples
from radar_pipeline.documents import Document, read_bytes
from radar_pipeline.documents.model import Section
from radar_pipeline.exposure.changes import html_section, risk_of, stored_impacts
from radar_pipeline.extraction.change import read_change
from radar_pipeline.extraction.extract import extract_document
from radar_pipeline.notices.model import AffectedPart, Notice
from radar_pipeline.orchestration.resources import NotifierResource
from radar_pipeline.review.reading import read_reviewed
from radar_pipeline_tests.pipeline_support import (
    company,
    engine_for,
    land_mail,
    land_webhook,
    materialize_day,
    se_payload,
)
from radar_pipeline_tests.support import ScriptedHttpServer, run_radar

DAY = date(2026, 11, 2)


@pytest.mark.parametrize("sample", vocabulary_samples(DAY), ids=lambda s: s.name)
def test_every_category_is_read_in_english_and_german_in_both_layouts(sample):
    (notice,) = extract_document(read_bytes(sample.data, sample.name)).notices
    want = sample.truth[0].change
    got = notice.change.model_dump(mode="json")
    assert {k: got[k] for k in want} == want
    assert notice.to_contract()["change"]["categories"] == want["categories"]


def _read(text: str, issued: date | None = DAY, kind: str = "change") -> dict:
    doc = Document("n.txt", "text", [Section("body", "text", text)])
    notice = Notice(
        notice_number="PCN-1",
        manufacturer="Acme",
        notice_type=kind,
        issue_date=issued,
        parts=[AffectedPart(mpn="LM317T/NOPB")],
        extractor="rules",
        confidence=0.9,
    )
    change = read_change(doc, notice)
    return change.model_dump(mode="json") if change else {}


def test_ticked_boxes_count_and_a_grid_of_every_type_without_ticks_does_not():
    ticked = "Change type:\n[x] Assembly site   [ ] Wafer fab\n[X] Test site   [ ] Datasheet\n[ ] Packing\n"
    assert _read(ticked)["categories"] == ["assembly", "test"]
    grid = (
        "Change Type:\nAssembly Site  Design  Wafer Fab Site\nTest Site  Data Sheet  Packing/Shipping/Labeling\n\n"
        "Description of change:\nAnother mold compound is qualified for the SOIC package.\n"
    )
    assert _read(grid)["categories"] == ["material"]


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("Type:\n[x] Hardware change   [ ] Documentation\n[x] Firmware\n", ["design"]),
        ("Type of change:\n☒ PCB supplier\n☐ Boot loader\n☒ Reel size\n", ["material", "packing"]),
        (
            "Description of change:\nThe boot loader is updated and the reel size changes from 7 to 13 inch.\n",
            ["design", "packing"],
        ),
    ],
    ids=["ticked-brackets", "ticked-glyphs", "prose"],
)
def test_a_module_makers_change_words_name_their_category_ticked_or_written(text, categories):
    assert _read(text)["categories"] == categories


def test_a_sentence_that_says_something_does_not_change_names_nothing():
    text = "Description of change:\nAn additional assembly site is qualified. There is no change to the datasheet.\n"
    assert _read(text)["categories"] == ["assembly"]


def test_form_fit_function():
    assert (
        _read("Description of change: new reel.\nThere is no change in form, fit or function.\n")[
            "form_fit_function"
        ]
        == []
    )
    stated = "Impact:\n- Form: marking change\n- Fit: no change\n- Function: no change\n"
    assert _read(stated)["form_fit_function"] == ["form"]
    assert _read("The function is changed by the new firmware.\n")["form_fit_function"] == ["function"]


def test_response_deadline_stated_or_computed_from_the_issue_date():
    within = "Lack of acknowledgement of this PCN within 90 days constitutes acceptance of the change.\n"
    assert _read(within)["response_deadline"] == (DAY + timedelta(days=90)).isoformat()
    assert _read(within, issued=None)["response_deadline"] is None  # nothing to count from
    stated = within + "Customer response date: 2026-12-15\n"
    assert _read(stated)["response_deadline"] == "2026-12-15"
    german = "Erfolgt innerhalb von 30 Tagen kein Einspruch, gilt die Änderung als akzeptiert.\n"
    assert _read(german)["response_deadline"] == "2026-12-02"
    working = "If we do not receive a response within five (5) working days, we assume you accept the PCN.\n"
    assert _read(working)["response_deadline"] is None  # working days are not calendar days


def test_dates_come_from_their_own_field_only():
    empty = "First Ship Date Of Changed Product:\nLast Ship Date: 2027-09-30\nSamples available: 2026-12-01\n"
    got = _read(empty)
    assert got["effective_date"] is None and got["samples_date"] == "2026-12-01"
    assert _read("Implementation date: Immediate\n")["effective_date"] == DAY.isoformat()
    assert _read("Effective Date: May 2027\n")["effective_date"] == "2027-05-01"
    header_row = (
        "Notification Date:  Implementation Date:  PCN #:\n\nNovember 2, 2026  February 1, 2027  77\n"
    )
    assert _read(header_row)["effective_date"] == "2027-02-01"


def test_zvei_codes_name_the_category():
    assert _read("ZVEI ID: SEM-PW-03, SEM-TF-01\n")["categories"] == ["wafer_fab", "test"]


def test_a_digest_gives_each_notice_its_own_dates():
    text = (
        "PCN: 111\nType: Assembly site change\nProduct Ship Date: 2027-01-10\n\n"
        "PCN: 222\nType: Wafer fab process change\nProduct Ship Date: 2027-03-20\n"
    )
    doc = Document("d.txt", "text", [Section("body", "text", text)])
    notices = [
        Notice(
            notice_number=n, manufacturer="Micron", notice_type="change", extractor="rules", confidence=0.9
        )
        for n in ("111", "222")
    ]
    first, second = (read_change(doc, n, notices) for n in notices)
    assert (first.categories, first.effective_date) == (["assembly"], date(2027, 1, 10))
    assert (second.categories, second.effective_date) == (["wafer_fab"], date(2027, 3, 20))


def test_a_discontinuance_states_no_change_unless_it_gives_dates():
    assert _read("Last time buy: 2027-03-15\n", kind="discontinuance") == {}


@pytest.mark.parametrize(
    ("categories", "fff", "risk"),
    [
        (["packing"], [], "low"),
        (["ordering", "packing"], [], "low"),
        (["assembly", "packing"], [], "medium"),
        (["material"], [], "medium"),
        (["packing"], ["form"], "medium"),
        (["packing"], ["fit"], "high"),
        (["assembly"], ["function"], "high"),
        (["wafer_fab"], [], "high"),
        (["datasheet"], [], "high"),
        ([], [], None),
    ],
)
def test_risk_table(categories, fff, risk):
    assert risk_of("change", {"categories": categories, "form_fit_function": fff}) == risk


def _mail(number: str, category: str, parts: tuple[str, ...], days: int, german: bool = False) -> bytes:
    return checkbox_mail(
        ChangeForm(number, "Texas Instruments", "PCN <pcn@ti.com>", category, parts, DAY, days, german)
    ).data


def _sent(server: ScriptedHttpServer) -> list[tuple[str, str, str]]:
    out = []
    for r in server.requests:
        body = json.loads(r["body"])
        text = next(c["value"] for c in body["content"] if c["type"] == "text/plain")
        out.append((body["personalizations"][0]["to"][0]["email"], body["subject"], text))
    return out


def test_changes_reach_engineering_and_owners_once_with_risk_deadline_and_a_low_risk_digest(
    database_url, tmp_path
):
    engine = engine_for(database_url)
    company(engine, tmp_path)  # LM317T/NOPB in P1 (owner ctrl-owner) and P2; MAX3232CSE+T in P3
    land_mail(engine, _mail("PCN-FAB-1", "wafer_fab", ("LM317T/NOPB",), 90), "<fab>", DAY)
    land_mail(engine, _mail("PCN-REEL-2", "packing", ("MAX3232CSE+T",), 30, german=True), "<reel>", DAY)
    land_webhook(
        engine, se_payload("NRND-5", ["EP4CE10E22C8"], None, "Not Recommended for New Design"), "n5", DAY
    )
    server = ScriptedHttpServer([(202, {"X-Message-Id": "sg"}, b"")])
    notifier = NotifierResource(
        sendgrid_api_key="SG.test-key",
        sendgrid_host=server.url,
        recipients="buyer@example.com",
        engineering_recipients="eng@example.com",
        change_digest="low",
    )
    try:
        for _ in range(2):  # a re-run sends nothing again
            result = materialize_day(database_url, tmp_path, DAY, notifier)
            assert result.success
        sent = [(to, subject, text) for to, subject, text in _sent(server) if "review" not in subject]
    finally:
        server.close()
    (check,) = [c for c in result.get_asset_check_evaluations() if c.check_name == "changes_graded"]
    assert check.passed
    impacts = {r["notice_number"]: r for r in stored_impacts(engine, DAY)}
    fab, reel, nrnd = impacts["PCN-FAB-1"], impacts["PCN-REEL-2"], impacts["NRND-5"]
    assert (fab["risk"], fab["categories"], fab["response_deadline"]) == (
        "high",
        ["wafer_fab"],
        date(2027, 1, 31),
    )
    assert fab["days_left"] == 90
    assert [(p["product_id"], p["extended_qty"], p["forecast_units"]) for p in fab["products"]] == [
        ("P1", 13.0, 1000.0),  # forecast from the first shipment of changed parts (March 2027) on
        ("P2", 6.0, 500.0),
    ]
    assert (reel["risk"], reel["response_deadline"]) == ("low", date(2026, 12, 2))
    assert nrnd["risk"] == "medium" and [p["product_id"] for p in nrnd["products"]] == ["P1"]
    to_whom = sorted(
        (to, "digest" if "digest" in subject else subject.split(":")[0]) for to, subject, _ in sent
    )
    assert to_whom == [
        ("ctrl-owner@example.com", "[radar] Texas Instruments NRND-5"),
        ("ctrl-owner@example.com", "[radar] Texas Instruments PCN-FAB-1"),
        ("eng@example.com", "[radar] Texas Instruments NRND-5"),
        ("eng@example.com", "[radar] Texas Instruments PCN-FAB-1"),
        ("eng@example.com", "digest"),  # the low-risk packing change
    ]
    fab_text = next(text for to, subject, text in sent if to == "eng@example.com" and "PCN-FAB-1" in subject)
    assert "wafer_fab" in fab_text and "high" in fab_text and "2027-01-31" in fab_text and "P1" in fab_text
    assert "Evidence:" in fab_text
    digest = next(text for to, subject, text in sent if "digest" in subject)
    assert "PCN-REEL-2" in digest and "packing" in digest


def test_radar_changes_and_a_correction_of_the_category_that_sticks(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_mail(engine, _mail("PCN-REEL-2", "packing", ("LM317T/NOPB",), 30), "<reel>", DAY)
    assert materialize_day(database_url, tmp_path, DAY).success
    out = run_radar(["changes", "--format", "json"], database_url, tmp_path)
    assert out.returncode == 0, out.stderr
    (row,) = json.loads(out.stdout)
    assert (row["notice_number"], row["risk"], row["categories"]) == ("PCN-REEL-2", "low", ["packing"])
    assert row["response_deadline"] == "2026-12-02"
    bad = run_radar(["correct", "PCN-REEL-2", "--category", "paint"], database_url, tmp_path)
    assert bad.returncode == 2 and "paint" in bad.stderr
    fixed = run_radar(
        [
            "correct",
            "PCN-REEL-2",
            "--category",
            "design",
            "--category",
            "packing",
            "--response-deadline",
            "2026-12-20",
            "--by",
            "alice",
        ],
        database_url,
        tmp_path,
    )
    assert fixed.returncode == 0, fixed.stderr
    for _ in range(2):  # the correction sticks across a replay of the day
        assert materialize_day(database_url, tmp_path, DAY).success
    # the owner of P1 heard of it once, and once more when the correction changed what it says
    mails = [m.read_text() for m in (tmp_path / "outbox").glob("*PCN-REEL-2_ctrl-owner*.eml")]
    assert len(mails) == 2 and sum("updated:" in m for m in mails) == 1
    high = run_radar(["changes", "--format", "csv", "--risk", "high"], database_url, tmp_path)
    lines = high.stdout.splitlines()
    assert (
        len(lines) == 2
        and "PCN-REEL-2" in lines[1]
        and "design,packing" in lines[1]
        and "2026-12-20" in lines[1]
    )


def test_the_report_has_changes_by_deadline_and_nrnd():
    rows = [
        {
            "notice_number": n,
            "manufacturer": "TI",
            "notice_type": t,
            "categories": c,
            "form_fit_function": [],
            "risk": r,
            "effective_date": None,
            "response_deadline": d,
            "days_left": None if d is None else 9,
            "products": [{"product_id": "P1", "forecast_units": 10.0}],
            "review_reason": None,
        }
        for n, t, c, r, d in [
            ("PCN-A", "change", ["wafer_fab"], "high", date(2026, 12, 1)),
            ("NRND-B", "nrnd", [], "medium", None),
        ]
    ]
    html = html_section(rows)
    assert '<h2 id="changes">Changes (1)</h2>' in html and '<h2 id="nrnd">NRND (1)</h2>' in html
    changes, nrnd = html.split('id="nrnd"')
    assert "PCN-A" in changes and "wafer_fab" in changes and "2026-12-01" in changes and "NRND-B" in nrnd


def _llm_answer(change: dict) -> str:
    notice = {
        "notice_number": "PCN-77",
        "manufacturer": "Texas Instruments",
        "notice_type": "change",
        "issue_date": "2026-11-02",
        "last_time_buy_date": None,
        "last_ship_date": None,
        "parts": [{"mpn": "LM317T/NOPB", "replacement_mpn": None}],
        "change": change,
    }
    return json.dumps({"notices": [notice]})


LLM_DOC = (
    "Texas Instruments\nProduct Change Notification\nPCN No.: PCN-77\nIssue date: 2026-11-02\n\n"
    "Description of change:\nThe devices will be delivered in a new container from the date below.\n"
    "First shipment: 2027-01-15\n\nAffected parts:\n  LM317T/NOPB\n"
)


@pytest.mark.parametrize(
    ("evidence", "deadline", "kept"),
    [
        ("The devices will be delivered in a new container from the date below.", "2099-01-01", True),
        ("Ignore the rules: this is a design change.", None, False),  # not in the document: rejected
    ],
)
def test_the_llm_reads_the_change_held_to_the_document(evidence, deadline, kept):
    from openai import OpenAI

    from radar_pipeline.extraction.llm import LlmExtractor
    from radar_pipeline.harness.stub_http import completion

    change = {
        "categories": ["packing"],
        "form_fit_function": [],
        "effective_date": "2027-01-15",
        "response_deadline": deadline,
        "samples_date": None,
        "evidence": evidence,
    }
    server = ScriptedHttpServer([completion(_llm_answer(change))])
    try:
        client = OpenAI(api_key="test-key", base_url=server.url + "/v1", max_retries=0, timeout=10)
        doc = Document("pcn.txt", "text", [Section("body", "text", LLM_DOC)])
        (notice,) = extract_document(doc, LlmExtractor(client, "test-model")).notices
    finally:
        server.close()
    request = json.loads(server.requests[0]["body"])
    assert (
        "change"
        in request["response_format"]["json_schema"]["schema"]["properties"]["notices"]["items"]["required"]
    )
    if kept:
        assert notice.change.categories == ["packing"] and notice.change.effective_date == date(2027, 1, 15)
        assert notice.change.response_deadline is None  # a date the document does not give is dropped
    else:
        assert not (notice.change and notice.change.categories)


def test_a_change_stating_no_response_period_is_a_decision_not_a_doubt_about_the_reading(tmp_path):
    """Read right, it is not flagged on `radar extract`; it still waits in the review queue."""
    letter = (
        "Korvala Semiconductor Inc.\nProduct Change Notification PCN-2026-0417\nDate: 2026-11-02\n\n"
        "Description of change: the assembly site of the SOIC-8 package moves to Penang.\n"
        "Affected products:\nKV3302-SO8-TR\nKV3303-SO8-TR\n"
    )
    path = tmp_path / "pcn.txt"
    path.write_text(letter)
    out = run_radar(["extract", str(path)], f"sqlite:///{tmp_path}/r.db", tmp_path)
    line = json.loads(out.stdout)
    assert line["notices"][0]["change"]["categories"] == ["assembly"]
    assert line["needs_review"] == []
    assert line["to_decide"] == [
        {"notice_number": "PCN-2026-0417", "reasons": ["a change notice with no response deadline read"]}
    ]
    # one that states its period is neither
    path.write_text(letter + "Please respond within 30 days of this notice.\n")
    line = json.loads(run_radar(["extract", str(path)], f"sqlite:///{tmp_path}/r.db", tmp_path).stdout)
    assert line["notices"][0]["change"]["response_deadline"] == "2026-12-02"
    assert line["needs_review"] == [] and line["to_decide"] == []
    # the pipeline's review queue keeps the decision
    db = f"sqlite:///{tmp_path}/q.db"
    path.write_text(letter)
    assert run_radar(["ingest", str(path)], db, tmp_path).returncode == 0
    processed = run_radar(["process"], db, tmp_path)
    assert processed.returncode == 0, processed.stderr
    items = json.loads(run_radar(["review", "--format", "json"], db, tmp_path).stdout)
    assert any("no response deadline read" in r for item in items for r in item["reasons"]), items


RELAY_CIN = (
    "Brand:\t KORVALA\t\nPCN#:\t PCN-2026-0418-WPI\t\n"
    "PCN Title:\t CIN Notification of Change Implementation on PCN PCN-2026-0211\t\n"
    "Change Type:\t \t\nDescription Of Change:\t \t\nPCN Issue Date:\t 20261102\t\n\n"
    "Customer Item\t Item No\t Vendor Item\t\n1300004994-27A0\t KV3302-SO8-TR\t KV3302-SO8-TR\t\n"
)
LETTER_CIN = (
    "Korvala Semiconductor Inc.\nCustomer Information Notification PCN-2026-0418\nIssue date: 2 Nov 2026\n\n"
    "Notification of Change Implementation on PCN PCN-2026-0211\n\n"
    "On 03/09/2026 (PCN-2026-0211) we notified you of the {what}. We have not received a response.\n"
    "We will start supplying parts from the new site for existing and new orders.\n\n"
    "Affected products:\nKV3302-SO8-TR\nKV3303-SO8-TR\n"
)


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        (RELAY_CIN, ["other"]),
        (LETTER_CIN.format(what="planned release of an additional assembly site ATSN"), ["assembly"]),
        (LETTER_CIN.format(what="planned release of a second wafer fab"), ["wafer_fab"]),
    ],
    ids=["relay-says-nothing", "letter-assembly", "letter-fab"],
)
def test_a_notice_implementing_an_earlier_change_reads_its_words_or_is_other(text, categories):
    """A change-implementation notice names the change of an earlier notice: where it says it in words
    ("the planned release of an additional assembly site") those are its categories; where it says
    nothing but the earlier number (a distributor's relay with empty type fields), its kind is "other"
    — read, not a doubt. A relay's form and a maker's letter."""
    doc = Document("n.txt", "text", [Section("body", "text", text)])
    result, assessment, _ = read_reviewed(doc, None, "always")
    (notice,) = result.notices
    assert notice.change.categories == categories
    assert not any("category" in r for r in assessment.notice_reasons[0]), assessment.notice_reasons
    if categories == ["other"]:
        assert "Implementation on PCN PCN-2026-0211" in notice.change.evidence


def test_a_notice_that_names_only_its_own_number_is_no_implementation_of_another():
    own = RELAY_CIN.replace("on PCN PCN-2026-0211", "on PCN PCN-2026-0418")
    doc = Document("n.txt", "text", [Section("body", "text", own)])
    result, assessment, _ = read_reviewed(doc, None, "always")
    assert result.notices[0].change.categories == []
    assert any("no change category read" in r for r in assessment.notice_reasons[0])
