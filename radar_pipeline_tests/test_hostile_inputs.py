"""Feeding the pipeline garbage (issue 9), and each refusal naming the limit that fired (issue 16).

The PDFs really hang or explode the parser: forms that draw each other twice, 40 levels deep
(2**40 line segments: the parser spins at flat memory), or 30 levels deep down to a line of text
(the text extraction keeps every glyph: memory grows until stopped), 20,000 pages, a page tree
that contains itself. The tests tighten the CPU and memory limits only so that they stop sooner:
the files would run into any limit.
"""

from __future__ import annotations

import re
import resource
import time
from datetime import date

import pytest

from radar_pipeline.demo.corpus import adi_forwarded_email
from radar_pipeline.documents import read_bytes
from radar_pipeline.documents.pdf_reader import Limit, read_pdf
from radar_pipeline.documents.spreadsheet_reader import SpreadsheetError, read_workbook
from radar_pipeline.extraction.extract import extract_document
from radar_pipeline.landing import LandingStore
from radar_pipeline_tests.hostile import (
    cases,
    good_pdf,
    many_attachments,
    nested_mime,
    pdf_cpu_bomb,
    ratio_bomb_xlsx,
    size_bomb_xlsx,
)
from radar_pipeline_tests.pipeline_support import company, engine_for, land_mail, materialize_day

DAY = date(2026, 11, 2)


def child_cpu_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


@pytest.mark.slow
def test_hostile_mail_ends_with_a_reason_that_names_what_stopped_it(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv("RADAR_PDF_CPU_SECONDS", "6")  # the memory bomb needs about 2 s to reach 768 MiB
    monkeypatch.setenv("RADAR_PDF_MEMORY_MB", "768")
    monkeypatch.setenv("RADAR_PDF_WALL_SECONDS", "180")  # a busy machine must not turn CPU into wall clock
    engine = engine_for(sqlite_url)
    company(engine, tmp_path)
    ids = {name: land_mail(engine, raw, f"<{name}>", DAY) for name, raw in cases().items()}
    good = land_mail(engine, adi_forwarded_email().data, "<good>", DAY)
    result = materialize_day(sqlite_url, tmp_path, DAY)
    assert result.success
    events = {e.id: e for e in LandingStore(engine).fetch([*ids.values(), good])}
    assert events[good].status == "processed" and events[good].reason is None
    expected = {
        "truncated-pdf": "truncated.pdf: PDF is damaged (truncated or corrupt) and was repaired",
        "corrupted-pdf": "corrupted.pdf: PDF could not be read: not a readable PDF",
        "pdf-cpu-bomb": "spin.pdf: PDF parser stopped by the 6 s CPU-time limit (RADAR_PDF_CPU_SECONDS)",
        "pdf-memory-bomb": "glyphs.pdf: PDF parser stopped by the 768 MiB memory limit (RADAR_PDF_MEMORY_MB",
        "pdf-many-pages": "pages.pdf: only the first 300 of 20000 pages were read: the 300-page limit "
        "(RADAR_PDF_MAX_PAGES)",
        "pdf-page-tree-cycle": "cycle.pdf: PDF could not be read: ",
        "zip-bomb-xlsx": "bomb.xlsx: workbook would expand ",
        "deep-mime": "MIME parts nested deeper than the 12-level MIME depth limit were not read",
        "empty": "could not be read: message has no readable text part or attachment",
    }
    for name, words in expected.items():
        event = events[ids[name]]
        want = "dead_letter" if name == "empty" else "processed"
        assert event.status == want and words in (event.reason or ""), (name, event.status, event.reason)
    for name in ("html-with-scripts", "unknown-charset", "malformed-mime"):  # read as far as they go
        assert events[ids[name]].status == "processed", (name, events[ids[name]].reason)
    reason = {name: events[i].reason or "" for name, i in ids.items()}
    assert "cycle in page tree" in reason["pdf-page-tree-cycle"]
    assert "over the 200:1 decompression-ratio limit; refused as a zip bomb" in reason["zip-bomb-xlsx"]
    assert "size limit" not in reason["zip-bomb-xlsx"]
    named = {name: set(re.findall(r"limit \((RADAR_PDF_\w+)", reason[name])) for name in ids}
    assert named["pdf-cpu-bomb"] == {"RADAR_PDF_CPU_SECONDS"}  # that limit, and no other one
    assert named["pdf-memory-bomb"] == {"RADAR_PDF_MEMORY_MB"}
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks["every_event_settled"]


def test_a_spinning_pdf_is_stopped_by_the_cpu_limit(monkeypatch):
    monkeypatch.setenv("RADAR_PDF_CPU_SECONDS", "3")
    monkeypatch.setenv("RADAR_PDF_WALL_SECONDS", "120")
    before = child_cpu_seconds()
    content = read_pdf(pdf_cpu_bomb())
    assert content.limit is Limit.CPU and content.pages == []
    assert content.error.startswith("PDF parser stopped by the 3 s CPU-time limit (RADAR_PDF_CPU_SECONDS)")
    assert child_cpu_seconds() - before >= 2.5  # it really ran up to the limit (counted in clock ticks)


@pytest.mark.slow
def test_a_hanging_pdf_is_stopped_by_the_wall_clock_while_parsing(monkeypatch):
    monkeypatch.setenv("RADAR_PDF_WALL_SECONDS", "20")
    monkeypatch.setenv("RADAR_PDF_CPU_SECONDS", "600")
    started, before = time.monotonic(), child_cpu_seconds()
    content = read_pdf(pdf_cpu_bomb())
    elapsed, cpu = time.monotonic() - started, child_cpu_seconds() - before
    assert content.limit is Limit.WALL_CLOCK and content.pages == []
    assert content.error.startswith(
        "PDF parser did not finish within 20 s: stopped by the 20 s wall-clock limit (RADAR_PDF_WALL_SECONDS)"
    )
    assert 20 <= elapsed < 30
    # more CPU than reading a whole good notice takes: it was cut while parsing, not while starting up
    good_started = child_cpu_seconds()
    assert read_pdf(good_pdf()).error is None
    assert cpu > child_cpu_seconds() - good_started, cpu


def test_zip_bombs_name_the_limit_they_exceed():
    with pytest.raises(SpreadsheetError) as ratio:
        read_workbook(ratio_bomb_xlsx())
    assert "over the 200:1 decompression-ratio limit; refused as a zip bomb" in str(ratio.value)
    assert "size limit" not in str(ratio.value)
    with pytest.raises(SpreadsheetError) as size:
        read_workbook(size_bomb_xlsx())
    assert "over the 200 MiB size limit; refused as a zip bomb" in str(size.value)
    assert "ratio limit" not in str(size.value)


def test_mime_is_read_to_the_depth_limit_and_no_deeper():
    at_limit = read_bytes(nested_mime(12), "m.eml")
    assert "LM358DR" in at_limit.text and at_limit.warnings == []
    beyond = read_bytes(nested_mime(13), "m.eml")
    assert "LM358DR" not in beyond.text
    assert beyond.warnings == ["MIME parts nested deeper than the 12-level MIME depth limit were not read"]


def test_attachments_are_read_up_to_the_attachment_limit():
    at_limit = read_bytes(many_attachments(50), "m.eml")
    assert "ATTACHED-049" in at_limit.text and at_limit.warnings == []
    beyond = read_bytes(many_attachments(51), "m.eml")
    assert "ATTACHED-049" in beyond.text and "ATTACHED-050" not in beyond.text
    assert beyond.warnings == [
        "message has 51 attachments; only the first 50 were read: the 50-attachment limit"
    ]


def test_scripts_are_dropped_from_html():
    doc = read_bytes(cases()["html-with-scripts"], "m.eml")
    assert "document.cookie" not in doc.text and "evil.example" not in doc.text
    notice = extract_document(doc).notices[0]
    assert [p.mpn for p in notice.parts] == ["SN74HC00N"]


# Prompt injection goes through the whole pipeline in test_prompt_injection.py (issue 16, item 3).
