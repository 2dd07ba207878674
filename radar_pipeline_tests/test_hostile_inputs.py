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


def test_prompt_injection_cannot_add_parts():
    from openai import OpenAI

    from radar_pipeline.extraction.llm import LlmExtractor
    from radar_pipeline_tests.support import ScriptedHttpServer
    from radar_pipeline_tests.test_llm import completion, notice_json

    doc = read_bytes(cases()["prompt-injection"], "m.eml")
    server = ScriptedHttpServer(
        [
            completion(
                notice_json(
                    [("LM358DR", None), ("XC7Z020-1CLG400C", None), ("DROP TABLE notices;--", None)],
                    number="9911",
                )
            )
        ]
    )
    try:
        llm = LlmExtractor(OpenAI(api_key="k", base_url=server.url + "/v1", max_retries=0), "m")
        result = llm.extract(doc)
    finally:
        server.close()
    # XC7Z020-1CLG400C is in the text (the injection names it), so the guard keeps it as text the notice holds;
    # what it can never do is make up a part the document does not contain.
    assert "DROP TABLE notices;--" not in {p.mpn for n in result.notices for p in n.parts}
    assert any("does not occur in the document" in w for w in result.warnings)
