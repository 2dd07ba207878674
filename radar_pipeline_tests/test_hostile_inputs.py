"""Feeding the pipeline garbage: each case ends as a clear dead letter or a processed event with a reason,
never a crashed partition, and the good event beside them goes through (issue 9)."""

from __future__ import annotations

from datetime import date

import pytest

from radar_pipeline.demo.corpus import adi_forwarded_email
from radar_pipeline.documents import read_bytes
from radar_pipeline.extraction.extract import extract_document
from radar_pipeline.landing import LandingStore
from radar_pipeline_tests.hostile import cases
from radar_pipeline_tests.pipeline_support import company, engine_for, land_mail, materialize_day

DAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def quick_pdf_limits(monkeypatch):
    # the parser runs in a child process that reads these; a 1 GB stream must hit the memory cap
    monkeypatch.setenv("RADAR_PDF_MEMORY_MB", "768")
    monkeypatch.setenv("RADAR_PDF_CPU_SECONDS", "4")


def test_hostile_mail_never_breaks_the_partition(sqlite_url, tmp_path):
    engine = engine_for(sqlite_url)
    company(engine, tmp_path)
    ids = {name: land_mail(engine, raw, f"<{name}>", DAY) for name, raw in cases().items()}
    good = land_mail(engine, adi_forwarded_email().data, "<good>", DAY)
    result = materialize_day(sqlite_url, tmp_path, DAY)
    assert result.success
    events = {e.id: e for e in LandingStore(engine).fetch([*ids.values(), good])}
    assert events[good].status == "processed" and events[good].reason is None
    for name, event_id in ids.items():
        e = events[event_id]
        assert e.status in ("processed", "dead_letter"), name
        if name != "html-with-scripts":
            assert e.reason and len(e.reason) > 10, (name, e.status, e.reason)
    reason = {name: events[i].reason or "" for name, i in ids.items()}
    assert "zip bomb" in reason["zip-bomb-xlsx"]
    assert (
        "PDF" in reason["pdf-bomb"] and "PDF" in reason["truncated-pdf"] and "PDF" in reason["corrupted-pdf"]
    )
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks["every_event_settled"]


def test_scripts_are_dropped_from_html():
    doc = read_bytes(cases()["html-with-scripts"], "m.eml")
    assert "document.cookie" not in doc.text and "evil.example" not in doc.text
    notice = extract_document(doc).notices[0]
    assert [p.mpn for p in notice.parts] == ["SN74HC00N"]


def test_a_hanging_pdf_is_cut_by_the_wall_clock(monkeypatch):
    monkeypatch.setenv("RADAR_PDF_WALL_SECONDS", "0.3")
    from radar_pipeline_tests.hostile import good_pdf

    doc = read_bytes(good_pdf(), "slow.pdf")
    assert doc.sections == [] and any("did not finish within" in w for w in doc.warnings)


# Prompt injection goes through the whole pipeline in test_prompt_injection.py (issue 16, item 3).
