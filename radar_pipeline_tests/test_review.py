"""Issue 13: nothing missed in silence — completeness, the review queue, corrections that stick.

The asset graph runs on a real database (SQLite and PostgreSQL); the commands run as the
real ``radar`` console program in a child process.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import func, select

from radar_pipeline.db.schema import review_decisions
from radar_pipeline.demo.corpus import adi_forwarded_email, not_a_notice
from radar_pipeline.documents import Document, read_bytes
from radar_pipeline.extraction.version import EXTRACTOR_VERSION
from radar_pipeline.notices.model import AffectedPart, Notice
from radar_pipeline.orchestration.assets import exposure_report
from radar_pipeline.review.commands import decision_commands
from radar_pipeline.review.completeness import assess
from radar_pipeline.review.reading import read_reviewed
from radar_pipeline_tests import review_support as mails
from radar_pipeline_tests.bom_fixture import write_bom
from radar_pipeline_tests.pipeline_support import (
    engine_for,
    land_mail,
    land_webhook,
    materialize_day,
    resources,
    se_payload,
)
from radar_pipeline_tests.support import run_radar

DAY = date(2026, 11, 2)
NUMBER = mails.NUMBER


def reasons_of(data: bytes, name: str = "m.eml"):
    doc = read_bytes(data, name)
    result, assessment, _ = read_reviewed(doc)
    return result, assessment


# -- completeness, decided per notice ------------------------------------------------------------
def test_a_notice_whose_parts_are_in_a_missing_attachment_needs_review():
    result, assessment = reasons_of(mails.attachment_missing())
    (notice,) = result.notices
    assert notice.notice_number == NUMBER and notice.parts == []
    (reasons,) = assessment.notice_reasons
    assert "no affected part found" in reasons
    assert any("attachment or list that is not there" in r and "attached spreadsheet" in r for r in reasons)


def test_the_same_notice_with_its_attachment_is_complete():
    result, assessment = reasons_of(mails.attachment_present())
    assert [p.mpn for p in result.notices[0].parts] == ["LM317T/NOPB"]
    assert not assessment.needs_review


def test_mail_that_is_positively_something_else_stays_out_of_the_queue():
    """A newsletter, a reply without new content, an auto-reply and a delivery report are what a notice
    inbox also receives: no notice, and nobody needs to look."""
    auto = mails.mail(
        "Automatic reply: Product Change Notice PCN-2026-0071", "I am out of the office.", msg_id="a@x"
    )
    bounce = mails.mail(
        "Undeliverable: Product Discontinuance Notice", "Your message could not be delivered.",
        sender="MAILER-DAEMON@mx.example", msg_id="b@x",
    )  # fmt: skip
    for data in (mails.newsletter(), mails.reply_without_content(), auto, bounce):
        result, assessment = reasons_of(data)
        assert result.notices == [] and not assessment.needs_review, assessment


def test_mail_on_the_notice_channel_that_is_nothing_known_goes_to_a_person():
    """Never silent: a mail that gave no notice and is not positively something else is looked at, with
    the reason (a notice that calls itself nothing we know must not vanish)."""
    result, assessment = reasons_of(not_a_notice().data)
    assert result.notices == []
    assert assessment.document_reasons == [
        "no notice could be read, and it is not recognisably something else"
    ]


def test_a_lifecycle_mail_without_a_notice_is_itself_a_review_item():
    result, assessment = reasons_of(mails.lifecycle_without_notice())
    assert result.notices == []
    assert any("reads like a lifecycle notice" in r for r in assessment.document_reasons)
    assert any("attachment" in r for r in assessment.document_reasons)  # "entnehmen Sie der Anlage"


def test_an_unreadable_document_is_a_review_item():
    # what the PDF reader gives for a scan it cannot read: no section, a warning
    doc = Document(name="scan.pdf", kind="pdf", warnings=["scan.pdf: no text layer (scanned or image-only)"])
    assessment = assess(doc, [], [])
    assert any("no text layer" in r for r in assessment.document_reasons)


def test_reasons_from_how_the_parts_were_found():
    doc = read_bytes(adi_forwarded_email().data, "adi.eml")

    def notice(**kw):
        base = {
            "notice_number": "N1",
            "manufacturer": "TI",
            "notice_type": "discontinuance",
            "last_time_buy_date": date(2027, 1, 1),
            "parts": [AffectedPart(mpn="LM317T/NOPB")],
            "extractor": "rules",
            "confidence": 0.9,
        }
        return Notice(**(base | kw))

    def why(n, warnings=()):
        return assess(doc, [n], list(warnings)).notice_reasons[0]

    assert why(notice(parts_found_by="table")) == []
    assert why(notice(parts_found_by="prose")) == [
        "parts found only in running text, outside any table or list"
    ]
    assert "patterns or series" in why(notice(parts_found_by="pattern"))[0]
    assert "patterns or series" in why(notice(parts=[AffectedPart(mpn="LM317*")], parts_found_by="list"))[0]
    assert why(notice(last_time_buy_date=None, parts_found_by="table")) == [
        "a discontinuance without a last-time-buy date"
    ]
    assert why(notice(notice_type="nrnd", last_time_buy_date=None, parts_found_by="table")) == []
    assert why(notice(confidence=0.4, parts_found_by="table")) == ["low confidence (0.40)"]
    disagree = why(
        notice(parts_found_by="table"),
        ["N1: rules and LLM disagree (last_time_buy_date: rules 2027-01-01, LLM 2027-02-01); rules kept"],
    )
    assert disagree == [
        "the LLM and the rules disagree: last_time_buy_date: rules 2027-01-01, LLM 2027-02-01"
    ]


# -- the queue, the check, the report and the notification ----------------------------------------
@pytest.fixture
def day_with_a_missing_attachment(database_url, tmp_path):
    engine = engine_for(database_url)
    run_bom = run_radar(["bom", "import", str(write_bom(tmp_path / "bom"))], database_url, tmp_path)
    assert run_bom.returncode == 0, run_bom.stderr
    event = land_mail(engine, mails.attachment_missing(), "<pdn-2611-07@ti.com>", DAY)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"]), "w1", DAY)  # complete
    land_mail(engine, mails.newsletter(), "<nl>", DAY)  # positively no notice: in no queue
    land_mail(engine, mails.reply_without_content(), "<re>", DAY)
    return engine, event


def review_json(database_url, tmp_path, *extra):
    out = run_radar(["review", "--format", "json", *extra], database_url, tmp_path)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_missing_attachment_is_in_the_queue_the_check_the_report_and_one_mail(
    day_with_a_missing_attachment, database_url, tmp_path
):
    engine, event = day_with_a_missing_attachment
    result = materialize_day(database_url, tmp_path, DAY)
    assert result.success

    (item,) = review_json(database_url, tmp_path)
    assert set(item) == {"notice_id", "notice_number", "event_id", "manufacturer", "received_at", "reasons"}
    assert item["notice_number"] == NUMBER and item["event_id"] == event
    assert item["manufacturer"] == "Texas Instruments" and item["received_at"].startswith("2026-11-02T12:00")
    assert any("attached spreadsheet" in r for r in item["reasons"])

    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    complete = checks["notices_complete"]
    assert not complete.passed and complete.severity == dg.AssetCheckSeverity.WARN
    assert NUMBER in complete.metadata["needs_review"].value
    assert checks["every_event_settled"].passed

    report = dg.materialize([exposure_report], resources=resources(database_url, tmp_path))
    report_meta = report.get_asset_materialization_events()[0].materialization.metadata
    assert report_meta["needs_review"].value == 1
    html = Path(report_meta["report"].value).read_text()
    assert html.index("Needs review") < html.index("Exposure per notice")
    review_table = html[html.index('id="review"') : html.index("</table>", html.index('id="review"'))]
    assert NUMBER in review_table and "attached spreadsheet" in review_table

    exposure = json.loads(run_radar(["exposure", "--format", "json"], database_url, tmp_path).stdout)
    by_number = {n["notice_number"]: n for n in exposure["notices"]}
    assert by_number[NUMBER]["review"] == "open" and by_number[NUMBER]["parts"] == []
    assert by_number["PDN1"]["review"] is None
    assert [i["notice_number"] for i in exposure["needs_review"]] == [NUMBER]

    assert materialize_day(database_url, tmp_path, DAY).success  # a re-run tells nobody twice
    review_mails = [
        p.read_text() for p in (tmp_path / "outbox").glob("*.eml") if "[radar review]" in p.read_text()
    ]
    assert len(review_mails) == 1
    assert "To: buyer@example.com" in review_mails[0] and NUMBER in review_mails[0]
    assert "radar correct PDN-2611-07" in review_mails[0]


def test_a_correction_sticks_through_process_and_replay(
    day_with_a_missing_attachment, database_url, tmp_path
):
    engine, event = day_with_a_missing_attachment
    assert materialize_day(database_url, tmp_path, DAY).success
    out = run_radar(
        [
            "correct",
            NUMBER,
            "--part",
            "LM317T/NOPB=LM317HVT/NOPB",
            "--by",
            "alice",
            "--note",
            "from the xlsx",
        ],
        database_url,
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "radar process" in out.stdout and "2026-11-02" in out.stdout

    processed = run_radar(["process"], database_url, tmp_path)
    assert processed.returncode == 0, processed.stderr + processed.stdout

    def notice():
        report = json.loads(run_radar(["exposure", "--format", "json"], database_url, tmp_path).stdout)
        return next(n for n in report["notices"] if n["notice_number"] == NUMBER)

    n = notice()
    assert [(p["mpn"], p["part_id"]) for p in n["parts"]] == [("LM317T/NOPB", "U1")]
    assert n["parts"][0]["replacement_mpn"] == "LM317HVT/NOPB"
    assert n["corrected_by"] == "alice" and n["review"] == "corrected"
    assert n["total_ltb_cost"] == 12300.0  # (700 × 13 + 50 × 6) × 1.1 − 500 on hand, × 1.25
    assert review_json(database_url, tmp_path) == []
    corrected = review_json(database_url, tmp_path, "--state", "corrected")
    assert [i["notice_number"] for i in corrected] == [NUMBER]

    replayed = run_radar(["replay", str(event)], database_url, tmp_path)
    assert replayed.returncode == 0, replayed.stderr + replayed.stdout
    n = notice()
    assert [p["mpn"] for p in n["parts"]] == ["LM317T/NOPB"] and n["corrected_by"] == "alice"

    from radar_pipeline.db.schema import extractions, notices

    with engine.connect() as conn:
        row = conn.execute(select(notices.c.correction_ids, notices.c.extraction_id)).all()
        lineage = {r.extraction_id: r.correction_ids for r in row}
        raw = conn.execute(
            select(extractions.c.id, extractions.c.notice, extractions.c.correction_ids).where(
                extractions.c.event_id == event
            )
        ).one()
    assert lineage[raw.id] == raw.correction_ids and len(raw.correction_ids) == 1
    assert raw.notice["parts"] == []  # the extraction stays what the extractor read


def test_bad_corrections_exit_2_and_change_nothing(day_with_a_missing_attachment, database_url, tmp_path):
    engine, _ = day_with_a_missing_attachment
    assert materialize_day(database_url, tmp_path, DAY).success
    bad = [
        (["correct", "PDN-NOPE", "--part", "X1"], "unknown notice"),
        (["correct", NUMBER, "--ltb", "31.02.2027"], "not a date"),
        (["correct", NUMBER, "--ltb", "2027-02-30"], "not a date"),
        (["correct", NUMBER, "--part", ""], "names no part"),
        (["correct", NUMBER, "--part", "=LM317HVT/NOPB"], "names no part"),
        (["correct", NUMBER, "--remove-part", " "], "names no part"),
        (["correct", NUMBER, "--type", "eol"], "is not one of"),
        (["correct", NUMBER], "nothing to correct"),
        (["correct", NUMBER, "--event", "999999", "--part", "X"], "unknown event"),
        (["review", "accept", "PDN-NOPE"], "unknown notice"),
    ]
    for args, words in bad:
        out = run_radar(args, database_url, tmp_path)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert words in out.stderr, (args, out.stderr)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(review_decisions)).scalar_one() == 0
    assert len(review_json(database_url, tmp_path)) == 1


def test_two_analysts_the_later_wins_and_both_are_kept(day_with_a_missing_attachment, database_url, tmp_path):
    assert materialize_day(database_url, tmp_path, DAY).success
    for who, ltb in (("alice", "2027-05-31"), ("bob", "2027-06-30")):
        out = run_radar(
            ["correct", NUMBER, "--part", "LM317T/NOPB", "--ltb", ltb, "--by", who], database_url, tmp_path
        )
        assert out.returncode == 0, out.stderr
    assert materialize_day(database_url, tmp_path, DAY).success
    report = json.loads(run_radar(["exposure", "--format", "json"], database_url, tmp_path).stdout)
    n = next(n for n in report["notices"] if n["notice_number"] == NUMBER)
    assert n["last_time_buy_date"] == "2027-06-30" and n["corrected_by"] == "bob"
    history = json.loads(run_radar(["review", "history", "--format", "json"], database_url, tmp_path).stdout)
    assert [(h["by"], h["action"]) for h in history] == [("alice", "correct"), ("bob", "correct")]
    assert "LTB 2027-05-31" in history[0]["changes"]


def test_accept_closes_the_item_without_changes(day_with_a_missing_attachment, database_url, tmp_path):
    assert materialize_day(database_url, tmp_path, DAY).success
    out = run_radar(["review", "accept", NUMBER, "--by", "carol"], database_url, tmp_path)
    assert out.returncode == 0, out.stderr
    assert review_json(database_url, tmp_path) == []
    result = materialize_day(database_url, tmp_path, DAY)
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks["notices_complete"] is True
    meta = {
        e.asset_key.to_user_string(): e.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert "carol" in meta["notice_extractions"]["review_decisions"].value
    report = json.loads(run_radar(["exposure", "--format", "json"], database_url, tmp_path).stdout)
    n = next(n for n in report["notices"] if n["notice_number"] == NUMBER)
    assert n["review"] == "accepted" and n["parts"] == [] and n["corrected_by"] is None


def test_a_document_without_a_notice_gets_one_from_the_analyst(database_url, tmp_path):
    engine = engine_for(database_url)
    assert (
        run_radar(["bom", "import", str(write_bom(tmp_path / "bom"))], database_url, tmp_path).returncode == 0
    )
    event = land_mail(engine, mails.lifecycle_without_notice(), "<abk>", DAY)
    assert materialize_day(database_url, tmp_path, DAY).success
    (item,) = review_json(database_url, tmp_path)
    assert item["notice_id"] is None and item["notice_number"] is None and item["event_id"] == event

    no_maker = run_radar(
        ["correct", "ABK-1", "--event", str(event), "--part", "MAX3232CSE+T"], database_url, tmp_path
    )
    assert no_maker.returncode == 2 and "--manufacturer" in no_maker.stderr
    out = run_radar(
        [
            "correct",
            "ABK-1",
            "--event",
            str(event),
            "--manufacturer",
            "Maxim Integrated",
            "--part",
            "MAX3232CSE+T",
            "--ltb",
            "2027-03-15",
            "--by",
            "dora",
        ],
        database_url,
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert materialize_day(database_url, tmp_path, DAY).success
    report = json.loads(run_radar(["exposure", "--format", "json"], database_url, tmp_path).stdout)
    (n,) = [n for n in report["notices"] if n["notice_number"] == "ABK-1"]
    assert n["source_event_id"] == event and n["corrected_by"] == "dora" and n["review"] == "corrected"
    assert [(p["mpn"], p["part_id"], p["match_type"]) for p in n["parts"]] == [
        ("MAX3232CSE+T", "U2", "exact"),
        ("MAX3232CSE+T", "U3", "family"),
    ]
    assert n["total_ltb_cost"] is not None
    assert review_json(database_url, tmp_path) == []


def test_from_json_replaces_the_parts(day_with_a_missing_attachment, database_url, tmp_path):
    assert materialize_day(database_url, tmp_path, DAY).success
    doc = {
        "notice_number": NUMBER,
        "manufacturer": "Texas Instruments",
        "notice_type": "discontinuance",
        "issue_date": "2026-11-02",
        "last_time_buy_date": "2027-04-30",
        "last_ship_date": "2027-10-31",
        "parts": [
            {"mpn": "MAX3232CSE+T", "replacement_mpn": None},
            {"mpn": "LM317T/NOPB", "replacement_mpn": None},
        ],
        "extractor": "rules",
        "confidence": 1.0,
    }
    path = tmp_path / "notice.json"
    path.write_text(json.dumps(doc))
    assert (
        run_radar(
            ["correct", NUMBER, "--from-json", str(path), "--by", "erin"], database_url, tmp_path
        ).returncode
        == 0
    )
    assert (
        run_radar(
            ["correct", NUMBER, "--remove-part", "MAX3232CSE+T", "--by", "erin"], database_url, tmp_path
        ).returncode
        == 0
    )
    path.write_text(json.dumps(doc | {"parts": [{"mpn": ""}]}))
    bad = run_radar(["correct", NUMBER, "--from-json", str(path)], database_url, tmp_path)
    assert bad.returncode == 2
    assert materialize_day(database_url, tmp_path, DAY).success
    report = json.loads(run_radar(["exposure", "--format", "json"], database_url, tmp_path).stdout)
    n = next(n for n in report["notices"] if n["notice_number"] == NUMBER)
    assert [p["mpn"] for p in n["parts"]] == ["LM317T/NOPB"] and n["last_time_buy_date"] == "2027-04-30"


def test_a_changed_exposure_is_notified_again_once(database_url, tmp_path):
    engine = engine_for(database_url)
    assert (
        run_radar(["bom", "import", str(write_bom(tmp_path / "bom"))], database_url, tmp_path).returncode == 0
    )
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"]), "w1", DAY)
    assert materialize_day(database_url, tmp_path, DAY).success

    def buyer_mails():
        return sorted(
            p.read_text()
            for p in (tmp_path / "outbox").glob("*.eml")
            if "To: buyer@example.com" in p.read_text()
        )

    assert len(buyer_mails()) == 1
    assert materialize_day(database_url, tmp_path, DAY).success
    assert len(buyer_mails()) == 1  # nothing changed: nothing sent
    out = run_radar(["correct", "PDN1", "--part", "MAX3232CSE+T", "--by", "alice"], database_url, tmp_path)
    assert out.returncode == 0, out.stderr
    for _ in range(2):
        assert materialize_day(database_url, tmp_path, DAY).success
    got = buyer_mails()
    assert len(got) == 2
    updated = next(m for m in got if "updated:" in m)
    assert "MAX3232CSE+T" in updated and "Corrected by alice" in updated


def test_a_new_extractor_version_keeps_the_correction(day_with_a_missing_attachment, database_url, tmp_path):
    assert materialize_day(database_url, tmp_path, DAY).success
    assert (
        run_radar(
            ["correct", NUMBER, "--part", "LM317T/NOPB", "--by", "alice"], database_url, tmp_path
        ).returncode
        == 0
    )
    out = run_radar(
        ["backfill", "--from", "2026-11-01", "--to", "2026-11-03"],
        database_url,
        tmp_path,
        RADAR_EXTRACTOR_TAG="next",
    )
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads(run_radar(["exposure", "--format", "json"], database_url, tmp_path).stdout)
    n = next(n for n in report["notices"] if n["notice_number"] == NUMBER)
    assert [p["mpn"] for p in n["parts"]] == ["LM317T/NOPB"] and n["corrected_by"] == "alice"
    from radar_pipeline.db.schema import extraction_days

    with engine_for(database_url).connect() as conn:
        versions = conn.execute(select(extraction_days.c.extractor_version)).scalars().all()
    assert versions == [f"{EXTRACTOR_VERSION}+next"] * 3


def test_the_schedule_asks_for_the_oldest_stale_days_as_ranges_and_the_sensor_for_decisions(
    sqlite_url, tmp_path
):
    from radar_pipeline.orchestration.jobs import reextract_stale_days
    from radar_pipeline.orchestration.resources import LlmResource, RadarDatabase
    from radar_pipeline.orchestration.sensors import review_decision_sensor
    from radar_pipeline.pipeline.steps import decode_days, extract_days

    engine = engine_for(sqlite_url)
    days = [date(2026, 11, d) for d in (2, 3, 4, 9, 10)]
    for i, day in enumerate(days):
        land_webhook(engine, se_payload(f"PDN{i}", ["LM317T/NOPB"]), f"w{i}", day)
    decode_days(engine, days)
    extract_days(engine, days[1:2])  # read by the current version: not stale
    database = RadarDatabase(url=sqlite_url)
    # the database resource opens its engine at setup and disposes of it at teardown: resources go through
    # the context, used as a context manager
    with dg.build_schedule_context(
        scheduled_execution_time=None, resources={"database": database}
    ) as context:
        requests = reextract_stale_days(context)
    ranges = [
        (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
        for r in requests
    ]
    assert ranges == [
        ("2026-11-02", "2026-11-02"),
        ("2026-11-04", "2026-11-04"),
        ("2026-11-09", "2026-11-10"),
    ]
    assert {r.tags["radar/trigger"] for r in requests} == {"reextract"}

    def tick(cursor):
        with dg.build_sensor_context(
            instance=dg.DagsterInstance.ephemeral(),
            cursor=cursor,
            resources={"database": database, "llm": LlmResource()},
        ) as context:
            return review_decision_sensor(context), context.cursor

    skip, cursor = tick(None)
    assert isinstance(skip, dg.SkipReason) and cursor is None
    out = run_radar(["correct", "PDN1", "--ltb", "2027-01-31", "--by", "alice"], sqlite_url, tmp_path)
    assert out.returncode == 0, out.stderr
    (request,), cursor = tick(None)
    assert (request.partition_key, request.run_key, cursor) == ("2026-11-03", "review-2026-11-03:1", "1")
    skip, same = tick(cursor)
    assert isinstance(skip, dg.SkipReason) and same == "1"


def test_radar_extract_says_what_needs_review(tmp_path):
    (tmp_path / "missing.eml").write_bytes(mails.attachment_missing())
    (tmp_path / "present.eml").write_bytes(mails.attachment_present())
    out = run_radar(
        ["extract", str(tmp_path / "missing.eml"), str(tmp_path / "present.eml")],
        f"sqlite:///{tmp_path}/r.db",
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    missing, present = (json.loads(line) for line in out.stdout.splitlines())
    (item,) = missing["needs_review"]
    assert item["notice_number"] == NUMBER and "no affected part found" in item["reasons"]
    assert present["needs_review"] == []


def test_dates_are_utc_whatever_the_local_time_zone(sqlite_url, tmp_path):
    from datetime import UTC, datetime

    from radar_pipeline.landing import IncomingEvent, LandingStore

    engine = engine_for(sqlite_url)
    assert (
        run_radar(["bom", "import", str(write_bom(tmp_path / "bom"))], sqlite_url, tmp_path).returncode == 0
    )
    late_evening_in_la = datetime(2026, 11, 2, 1, 30, tzinfo=UTC)  # 1 November, 17:30 in Los Angeles
    event = (
        LandingStore(engine)
        .land(IncomingEvent("mail", "<m>", "message/rfc822", mails.attachment_missing(), late_evening_in_la))
        .event_id
    )
    la = {"TZ": "America/Los_Angeles"}
    first = run_radar(["process"], sqlite_url, tmp_path, **la)
    assert first.returncode == 0 and "1 item(s) need review" in first.stdout, first.stdout + first.stderr
    (item,) = json.loads(run_radar(["review", "--format", "json"], sqlite_url, tmp_path, **la).stdout)
    assert item["received_at"] == "2026-11-02T01:30:00+00:00" and item["event_id"] == event
    table = run_radar(["review"], sqlite_url, tmp_path, **la).stdout
    assert "1 item(s) need review" in table and "2026-11-02T01:30" in table and NUMBER in table
    out = run_radar(["correct", NUMBER, "--part", "LM317T/NOPB", "--by", "alice"], sqlite_url, tmp_path, **la)
    assert out.returncode == 0 and "day 2026-11-02" in out.stdout, out.stdout + out.stderr
    processed = run_radar(["process"], sqlite_url, tmp_path, **la)
    assert "partition 2026-11-02" in processed.stdout and "need review" not in processed.stdout, (
        processed.stdout
    )
    history = json.loads(
        run_radar(["review", "history", "--format", "json"], sqlite_url, tmp_path, **la).stdout
    )
    assert history[0]["at"].endswith("+00:00")
    accepted = run_radar(
        ["review", "accept", "--event", str(event), "--by", "bob"], sqlite_url, tmp_path, **la
    )
    assert accepted.returncode == 0, accepted.stderr
    assert json.loads(run_radar(["review", "--format", "json"], sqlite_url, tmp_path).stdout) == []


@pytest.mark.parametrize(
    "reasons, wanted, not_wanted",
    [
        (["a change notice with no change category"], ["--category CATEGORY"], ["--part", "--ltb"]),
        (["a discontinuance without a last-time-buy date"], ["--ltb YYYY-MM-DD"], ["--part", "--category"]),
        (
            ["fewer parts read than part numbers in its tables (2 of 9)"],
            ["--part MPN[=REPLACEMENT]"],
            ["--ltb"],
        ),
        (["low confidence (0.40)"], ["--part MPN[=REPLACEMENT]"], ["--category"]),
    ],
)
def test_the_correction_offered_fits_what_the_item_lacks(reasons, wanted, not_wanted):
    """Without a desk, the review mail and ``radar review`` print a correction to paste: for a change
    notice without a category it sets the category, not parts and a last-time buy."""
    item = {"notice_number": "PCN-1", "manufacturer": "Nexperia", "event_id": 7, "reasons": reasons}
    line = decision_commands(item)["correct"]
    assert line.startswith("radar correct PCN-1 --manufacturer Nexperia ") and line.endswith(
        " --by YOUR_NAME"
    )
    assert all(w in line for w in wanted) and not any(w in line for w in not_wanted), line
