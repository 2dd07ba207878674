"""Slashed dates: a document keeps one order, proved by any date whose day cannot be a month; with no
proof the date read is a guess, and the notice goes to a person saying so."""

from __future__ import annotations

from datetime import date

import pytest

from radar_pipeline.documents import read_bytes
from radar_pipeline.documents.model import Document, Section
from radar_pipeline.extraction.dates import find_dates, reading_order, slashed_order, undecided_dates
from radar_pipeline.extraction.notices import DATE_UNDECIDED
from radar_pipeline.review.reading import read_reviewed

TABLE = """Korvala Semiconductor Inc.
Product Discontinuance Notice
Notice No.: PDN-2026-0143
Date: {issued}

Part Number        Last Time Buy      Replacement
KV3302-QFN24-TR    {ltb}         KV3402-QFN24-TR
KV3303-QFN24-TR    {ltb}         -
"""

PROSE = """Subject: End of life of the KV3302 family (EOL-26-0143)

Dear customer, {issued}

Brightwell Devices announces the end of life of KV3302-QFN24-TR and KV3303-QFN24-TR.
The last time buy date is {ltb}; orders after that date cannot be accepted.
"""


def _read(layout: str, issued: str, ltb: str):
    text = layout.format(issued=issued, ltb=ltb)
    result, assessment, _ = read_reviewed(Document("n.txt", "text", [Section("n.txt", "text", text)]))
    (notice,) = result.notices
    return notice, assessment.notice_reasons[0]


@pytest.mark.parametrize("layout", [TABLE, PROSE], ids=["table", "prose"])
@pytest.mark.parametrize(
    ("issued", "ltb", "expected"),
    [
        ("25/03/2026", "10/02/2027", date(2027, 2, 10)),  # the issue date proves day first
        ("03/25/2026", "10/02/2027", date(2027, 10, 2)),  # ... or month first
        ("2026-03-25", "25/02/2027", date(2027, 2, 25)),  # the date proves its own order
    ],
)
def test_the_document_proves_the_order_of_its_slashed_dates(layout, issued, ltb, expected):
    notice, reasons = _read(layout, issued, ltb)
    assert notice.last_time_buy_date == expected
    assert not any(r.startswith(DATE_UNDECIDED) for r in reasons), reasons


@pytest.mark.parametrize("layout", [TABLE, PROSE], ids=["table", "prose"])
def test_an_unproven_order_is_a_guess_that_goes_to_a_person(layout):
    notice, reasons = _read(layout, "2026-03-25", "10/02/2027")
    assert notice.last_time_buy_date == date(2027, 10, 2)  # month first, as the US writes
    assert f"{DATE_UNDECIDED}: last time buy date 2027-10-02" in reasons


def test_the_same_number_twice_is_no_guess_and_proofs_both_ways_prove_nothing():
    assert undecided_dates("LTB 05/05/2027") == set()
    assert slashed_order("13/01/2026 and 01/13/2026") is None
    assert undecided_dates("13/01/2026 and 01/13/2026, LTB 03/04/2027") == {date(2027, 3, 4)}
    with reading_order(slashed_order("issued 31/12/2026")):
        assert [d for *_, d in find_dates("03/04/2027")] == [date(2027, 4, 3)]
    assert [d for *_, d in find_dates("03/04/2027")] == [date(2027, 3, 4)]  # the order ends with the document


@pytest.mark.parametrize("layout", [TABLE, PROSE], ids=["table", "prose"])
@pytest.mark.parametrize(
    ("ltb", "friday"),
    [("CW53/2026", date(2027, 1, 1)), ("WW14'26", date(2026, 4, 3)), ("KW 7/2027", date(2027, 2, 19))],
)
def test_a_calendar_week_stands_for_its_friday(layout, ltb, friday):
    notice, reasons = _read(layout, "2026-03-25", ltb)
    assert notice.last_time_buy_date == friday, reasons


def _mail(issued: str, ltb: str, sent: str, html: bool) -> bytes:
    """A notice mailed on ``sent`` (a Date header) whose dates are slashed, day and month both ≤ 12."""
    lines = ["Kestrel Semiconductor Inc.", "Product Discontinuance Notice", "Notice number: PDN-2026-0091"]
    lines += [f"Issue date: {issued}", f"Last time buy: {ltb}", "", "Affected parts", "KS4410-A1-TR"]
    body = (
        "<html><body>" + "".join(f"<p>{x}</p>" for x in lines) + "</body></html>"
        if html
        else "\n".join(lines)
    )
    kind = "html" if html else "plain"
    head = f"From: pcn@kestrel.example\nTo: buyer@example.com\nSubject: PDN-2026-0091\nDate: {sent}\n"
    return (head + f"Content-Type: text/{kind}; charset=utf-8\n\n" + body + "\n").encode()


@pytest.mark.parametrize("html", [False, True], ids=["text mail", "html mail"])
@pytest.mark.parametrize(
    ("issued", "sent", "want_issue", "want_ltb"),
    [
        # month first would issue it in September, eight months after it was sent: day first
        ("9/1/2026", "Fri, 09 Jan 2026 11:49:42 -0600", date(2026, 1, 9), date(2026, 6, 3)),
        # day first would issue it in April, after it was sent in February: month first
        ("2/4/2026", "Wed, 11 Feb 2026 17:37:00 +0800", date(2026, 2, 4), date(2026, 3, 6)),
    ],
)
def test_the_day_a_notice_was_sent_proves_its_date_order(html, issued, sent, want_issue, want_ltb):
    ltb = "3/6/2026"  # read in the order the issue date proved
    result, assessment, _ = read_reviewed(read_bytes(_mail(issued, ltb, sent, html), "n.eml"), None, "always")
    (notice,) = result.notices
    assert (notice.issue_date, notice.last_time_buy_date) == (want_issue, want_ltb)
    assert not any(DATE_UNDECIDED in r for r in assessment.notice_reasons[0])


@pytest.mark.parametrize("html", [False, True], ids=["text mail", "html mail"])
def test_a_send_day_that_both_orders_precede_proves_nothing(html):
    data = _mail("2/4/2026", "3/6/2026", "Mon, 04 May 2026 09:00:00 +0000", html)
    result, assessment, _ = read_reviewed(read_bytes(data, "n.eml"), None, "always")
    assert any(DATE_UNDECIDED in r for r in assessment.notice_reasons[0])
