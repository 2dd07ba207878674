"""Issue 31: find and export on the desk's overview — search by part, notice, maker and product; filters by
type, review state, risk, deadline window and reach; sort by a column; pages; CSV and Excel of the
selection; what an empty desk says.

120 notices on the company of bom_fixture.py, stored as a day's reading would store them (the pipeline's
exposure and change-impact steps grading their risk), read through the real desk over HTTP (SQLite and
PostgreSQL).
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import Engine

from radar_pipeline.clock import utc_today
from radar_pipeline.config import Settings
from radar_pipeline.db import open_database
from radar_pipeline.notices import Change
from radar_pipeline.notices.decisions import Decision, record_decision
from radar_pipeline.pipeline.steps import change_days, expose_days, match_days
from radar_pipeline.web.app import create_app
from radar_pipeline.web.export import XLSX_MEDIA_TYPE
from radar_pipeline_tests.test_consolidated import MPNS, company, notice, store
from radar_pipeline_tests.test_desk_changes import text_of
from radar_pipeline_tests.test_web import USERS, signed_in

TODAY = utc_today()
MAKERS = ["Texas Instruments", "Maxim Integrated", "Microchip"]
# what the change notices change, by turn: a packing change is low risk, a design change high, an
# assembly change medium; one saying nothing gradable has no risk
CHANGES = [["packing"], ["design"], ["assembly"], []]


def kind_of(i: int) -> str:
    return ["discontinuance", "nrnd", "change"][i % 3] if i % 2 else "discontinuance"


def parts_of(i: int) -> list[str]:
    return [] if i % 7 == 0 else [list(MPNS.values())[i % 5]]


def history() -> list:
    """PDN-000…119: every third an NRND or change; LTB i×5 days ahead; parts by turn (none every 7th);
    the changes' categories by turn (``CHANGES``); PDN-HOSTILE's number is a spreadsheet formula."""
    out = []
    for i in range(120):
        kind = kind_of(i)
        ltb = TODAY + timedelta(days=5 * i + 1) if kind == "discontinuance" else None
        n = notice(f"PDN-{i:03d}", kind, ltb, parts_of(i))
        change = Change(categories=CHANGES[i // 6 % 4]) if kind == "change" else None
        out.append(n.model_copy(update={"manufacturer": MAKERS[i % 3], "change": change}))
    out.append(
        notice('=HYPERLINK("http://x.example","PDN")', "discontinuance", TODAY + timedelta(days=3), [])
    )
    return out


def grade(engine: Engine) -> None:
    """What the pipeline's bom_matches, exposure and change_impact steps store for the stored days: each
    change and NRND notice touching the BOM gets its risk."""
    days = [date(2026, 11, 1) + timedelta(days=d) for d in range(28)]  # test_consolidated.store's days
    match_days(engine, days)
    expose_days(engine, days, 0.10, TODAY)
    change_days(engine, days, TODAY)


def desk(database_url, tmp_path):
    engine = company(database_url, tmp_path)
    store(engine, history())
    grade(engine)
    app = create_app(Settings(database_url=database_url, web_secret="k" * 32, web_users=USERS))
    return signed_in(app, "rob")


def listed(page: str) -> list[str]:
    """The notice numbers of the overview's table, in its order."""
    body = page.split('<table id="notices">')[1].split("</tbody>")[0]
    return [html.unescape(n) for n in re.findall(r'<tr><td><a href="[^"]*">([^<]*)</a>', body)]


def test_search_finds_a_notice_by_part_number_maker_and_product(database_url, tmp_path):
    rob = desk(database_url, tmp_path)
    by_part = listed(rob.get("/", params={"q": "lm317t", "per": 200}).text)  # U1, every fifth turn
    want = [f"PDN-{i:03d}" for i in range(120) if i % 7 and i % 5 == 0]
    assert sorted(by_part) == want
    assert sorted(listed(rob.get("/", params={"q": "U1", "per": 200}).text)) == want  # the BOM's part id
    assert listed(rob.get("/", params={"q": "PDN-042"}).text) == ["PDN-042"]
    microchip = listed(rob.get("/", params={"q": "microchip", "per": 200}).text)
    assert len(microchip) == 40 and all(int(n[4:]) % 3 == 2 for n in microchip)
    # P3 (Sensor) uses U2 (MAX3232CSE+T) and U4 (PIC16F1509-I/OT), and MAX3232CSE is U2's family: by its name
    sensor = listed(rob.get("/", params={"q": "sensor", "per": 200}).text)
    assert sorted(sensor) == [f"PDN-{i:03d}" for i in range(120) if i % 7 and i % 5 in (1, 2, 3)]
    page = rob.get("/", params={"q": "no-such-thing"}).text
    assert listed(page) == [] and "No notice matches." in page


def test_filters_sort_and_pages(database_url, tmp_path):
    rob = desk(database_url, tmp_path)
    changes = listed(rob.get("/", params={"type": "change", "per": 200}).text)
    assert sorted(changes) == [f"PDN-{i:03d}" for i in range(120) if i % 2 and i % 3 == 2]
    soon = listed(rob.get("/", params={"within": "30", "type": "discontinuance"}).text)
    formula = '=HYPERLINK("http://x.example","PDN")'
    assert soon == ["PDN-000", formula, "PDN-002", "PDN-003", "PDN-004"]  # 1, 3, 11, 16, 21 days
    on_bom = listed(rob.get("/", params={"on_bom": "1", "per": 200}).text)
    assert len(on_bom) == 120 - 18 and "PDN-007" not in on_bom  # 0, 7, 14 … name no part; and the formula
    assert listed(rob.get("/", params={"review": "open", "per": 200}).text) == []

    by_number = listed(rob.get("/", params={"sort": "notice", "dir": "desc", "per": 25}).text)
    assert by_number[:3] == ["PDN-119", "PDN-118", "PDN-117"] and len(by_number) == 25
    page2 = rob.get("/", params={"sort": "notice", "dir": "desc", "per": 25, "page": 2}).text
    assert listed(page2)[0] == "PDN-094" and "26–50 of 121 notice(s)" in page2
    assert 'rel="next" href="/?sort=notice&amp;dir=desc&amp;page=3&amp;per=25"' in page2
    last = rob.get("/", params={"sort": "notice", "dir": "desc", "per": 25, "page": 99}).text
    assert "page 5 of 5" in last and len(listed(last)) == 21
    # a header sorts by its column, and sorting by it again turns the order around
    page1 = rob.get("/", params={"sort": "notice", "dir": "desc", "per": 25}).text
    assert '<a href="/?sort=notice&amp;per=25">notice ▼</a>' in page1
    costs = rob.get("/", params={"sort": "ltb", "per": 200}).text
    dated = [n for n in listed(costs) if n.startswith("PDN")][:3]
    assert dated == ["PDN-000", "PDN-002", "PDN-003"]
    assert 'aria-sort="ascending"><a href="/?sort=ltb&amp;dir=desc' in costs.replace("\n", "")


def test_the_export_is_the_selection_in_its_order_every_page(database_url, tmp_path):
    rob = desk(database_url, tmp_path)
    query = {"type": "discontinuance", "sort": "ltb", "dir": "desc", "per": 25}
    page = rob.get("/", params=query).text
    link = html.unescape(re.search(r'id="export-csv" href="([^"]+)"', page).group(1))
    r = rob.get(link)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith('attachment; filename="radar-notices-')
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 81 and [row["notice_number"] for row in rows[:25]] == listed(page)
    days = [int(row["days_to_ltb"]) for row in rows]
    assert days == sorted(days, reverse=True)
    quoted = [row["notice_number"] for row in rows if "HYPERLINK" in row["notice_number"]]
    assert quoted == ['\'=HYPERLINK("http://x.example","PDN")']  # a spreadsheet never runs it as a formula
    first = rows[0]
    assert first["notice_type"] == "discontinuance" and first["currency"] == "USD"
    assert {"ltb_cost_this_notice", "revenue_at_risk_this_notice", "review"} <= set(first)


def xlsx_rows(content: bytes) -> tuple[list, list[list]]:
    """The workbook's one sheet: its header and rows of cells (openpyxl reads dates as datetimes)."""
    sheet = load_workbook(io.BytesIO(content)).active
    header, *rows = sheet.iter_rows()
    return sheet, [c.value for c in header], rows


def agrees(cell, text: str) -> bool:
    """Whether a cell holds, typed, what the CSV wrote for the same value."""
    value = cell.value
    if value is None:
        return text == ""
    if isinstance(value, int | float):
        return float(text) == value
    if isinstance(value, datetime):
        if cell.number_format == "yyyy-mm-dd":
            return value.date().isoformat() == text
        return value.isoformat() + "+00:00" == text  # the decision's time, UTC
    return text in (value, "'" + value)  # a formula-like text: quoted in the CSV, a text cell here


def test_the_excel_export_is_the_csv_selection_typed(database_url, tmp_path):
    rob = desk(database_url, tmp_path)
    placed = Decision(
        "ltb_placed",
        owner="rob",
        due_date=TODAY + timedelta(days=9),
        quantity=12000,
        placed_on=TODAY,
        po="=cmd|' /C calc'!A0",  # a purchase order field typed by anyone: never a formula either
    )
    record_decision(open_database(database_url), "Microchip", "PDN-002", placed, by="alice")
    query = {"type": "discontinuance", "sort": "ltb", "dir": "desc", "per": 25}
    page = rob.get("/", params=query).text
    link = html.unescape(re.search(r'id="export-xlsx" href="([^"]+)"', page).group(1))
    assert link == html.unescape(re.search(r'id="export-csv" href="([^"]+)"', page).group(1)).replace(
        ".csv", ".xlsx"
    )
    r = rob.get(link)
    assert r.status_code == 200 and r.headers["content-type"] == XLSX_MEDIA_TYPE
    assert re.fullmatch(
        r'attachment; filename="radar-notices-\d{4}-\d\d-\d\d\.xlsx"', r.headers["content-disposition"]
    )
    lines = list(csv.DictReader(io.StringIO(rob.get(link.replace(".xlsx", ".csv")).text)))
    sheet, header, rows = xlsx_rows(r.content)

    assert header == list(lines[0]) and len(rows) == len(lines) == 81  # one header row, every page
    assert [row[0].value for row in rows] == [line["notice_number"].removeprefix("'") for line in lines]
    differ = [
        (line["notice_number"], name, cell.value, text)
        for row, line in zip(rows, lines, strict=True)
        for cell, (name, text) in zip(row, line.items(), strict=True)
        if not agrees(cell, text)
    ]
    assert differ == []
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:AA{len(rows) + 1}"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    column = {name: i for i, name in enumerate(header)}
    by_number = {row[0].value: row for row in rows}
    hostile = by_number['=HYPERLINK("http://x.example","PDN")'][0]
    assert hostile.data_type == "s"  # the text as the mail spelled it, shown, never run
    decided = by_number["PDN-002"]
    assert decided[column["purchase_order"]].value == "=cmd|' /C calc'!A0"
    assert decided[column["ltb_quantity_placed"]].value == 12000
    assert decided[column["decision_due"]].value.date() == TODAY + timedelta(days=9)
    assert decided[column["decided_at"]].is_date and decided[column["decided_at"]].value.date() == utc_today()
    first = rows[0]
    assert first[column["last_time_buy_date"]].is_date and isinstance(first[column["days_to_ltb"]].value, int)
    money = [row[column["ltb_cost_this_notice"]] for row in rows if row[column["parts"]].value]
    assert money and all(isinstance(c.value, float | int) and c.number_format == "#,##0.00" for c in money)
    widths = [sheet.column_dimensions[letter].width for letter in ("A", "B", "N")]
    assert all(8 <= w <= 48 for w in widths) and widths[0] >= len(hostile.value[:46])


def expected_risk(i: int) -> str | None:
    """The risk of ``history()``'s notice i by the README's table: an NRND medium, a change by its category."""
    if not parts_of(i) or kind_of(i) == "discontinuance":
        return None
    if kind_of(i) == "nrnd":
        return "medium"
    return {"packing": "low", "design": "high", "assembly": "medium"}.get((CHANGES[i // 6 % 4] or [""])[0])


def test_the_risk_filter_keeps_the_notices_of_that_risk_and_so_do_the_exports(database_url, tmp_path):
    rob = desk(database_url, tmp_path)
    for risk in ("high", "medium", "low"):
        want = [f"PDN-{i:03d}" for i in range(120) if expected_risk(i) == risk]
        page = rob.get("/", params={"risk": risk, "per": 200}).text
        assert want and sorted(listed(page)) == want
        assert f'<option value="{risk}" selected>{risk}</option>' in page
        export = rob.get(html.unescape(re.search(r'id="export-csv" href="([^"]+)"', page).group(1))).text
        lines = list(csv.DictReader(io.StringIO(export)))
        assert sorted(line["notice_number"] for line in lines) == want and {
            line["risk"] for line in lines
        } == {risk}
        _, header, rows = xlsx_rows(rob.get("/export.xlsx", params={"risk": risk}).content)
        assert sorted(row[0].value for row in rows) == want
        assert {row[header.index("risk")].value for row in rows} == {risk}
    changes = listed(rob.get("/", params={"risk": "medium", "type": "change", "per": 200}).text)
    assert sorted(changes) == [
        f"PDN-{i:03d}" for i in range(120) if expected_risk(i) == "medium" and kind_of(i) == "change"
    ]
    assert len(listed(rob.get("/", params={"risk": "severe", "per": 200}).text)) == 121  # unknown: no filter


def test_an_empty_desk_says_what_to_do_first(database_url, tmp_path):
    app = create_app(Settings(database_url=database_url, web_secret="k" * 32, web_users=USERS))
    rob = signed_in(app, "rob")
    empty = rob.get("/").text
    first = text_of(empty, "first-step")
    assert "First, import your BOM." in first and "radar bom import DIR" in first and "demand.csv" in first
    assert "No notice yet." in first and "forward a maker's notice to Radar's inbox address" in first
    assert " --" not in first  # no command-line flag for an analyst
    assert "$0.00" not in empty and 'id="total-ltb-cost"' not in empty and 'id="notices"' not in empty
    assert text_of(empty, "review-count") == "0"

    engine = company(database_url, tmp_path)  # a BOM, still no notice
    bom_only = rob.get("/").text
    first = text_of(bom_only, "first-step")
    assert "No notice yet." in first and "import your BOM" not in first
    assert "$0.00" not in bom_only and 'id="total-revenue"' not in bom_only

    store(engine, history()[:10])
    ready = rob.get("/").text
    assert 'id="first-step"' not in ready and len(listed(ready)) == 10
    assert text_of(ready, "total-ltb-cost").startswith("$") and text_of(ready, "total-revenue").startswith(
        "$"
    )


def test_notices_without_a_bom_are_listed_under_the_first_step(database_url, tmp_path):
    store(open_database(database_url), history()[:10])
    app = create_app(Settings(database_url=database_url, web_secret="k" * 32, web_users=USERS))
    page = signed_in(app, "rob").get("/").text
    first = text_of(page, "first-step")
    assert "First, import your BOM." in first and "No notice yet." not in first
    assert len(listed(page)) == 10 and "$0.00" not in page.split('id="find"')[0]  # no money cards
