"""Phrasings of the trade no maker owns, each read in two layouts (plain text and an HTML mail).

Bulleted and numbered lists whose items carry a description, a replacement list with a lead-in of
its own, replacement sentences written either way round, the numero sign and compound words that
label a notice number, and a Japanese legal form naming the maker.
"""

from __future__ import annotations

import pytest

from radar_pipeline.documents.model import Document, Section
from radar_pipeline.extraction.blocks import text_blocks
from radar_pipeline.extraction.parts import looks_like_mpn
from radar_pipeline.review.reading import read_reviewed

LAYOUTS = ["text", "html"]


def _read(lines: list[str], kind: str):
    # an HTML mail as read: one line per paragraph, no blank lines between them
    body = "\n".join(x for x in lines if x.strip() or kind == "text")
    doc = Document("n.eml", "email", [Section("body", kind, body)])
    result, assessment, _ = read_reviewed(doc, None, "always")
    return result, assessment


def _head(
    number_line: str = "Notice No.: PDN-2026-0311", maker: str = "Tessin Microdevices GmbH"
) -> list[str]:
    return [maker, "Product Discontinuance Notice", number_line, "Date: 2026-02-02", ""]


@pytest.mark.parametrize("kind", LAYOUTS)
def test_bulleted_items_with_descriptions_and_a_list_of_replacements(kind):
    lines = _head() + [
        "Affected products:",
        "  • TPV1120-5.0 – 5 V LDO regulator, SOT-223",
        "  • TPV1120-3.3, 3.3 V LDO regulator, TO-252",
        "  • TPV1130-ADJ",
        "",
        "Recommended replacement products:",
        "  • TPV2120-5.0",
        "  • TPV2120-3.3",
        "",
        "Last time buy: 2026-08-31",
    ]
    result, assessment = _read(lines, kind)
    (notice,) = result.notices
    # the packages in the descriptions are no parts; the replacement list pairs with nothing
    assert {p.mpn: p.replacement_mpn for p in notice.parts} == dict.fromkeys(
        ["TPV1120-5.0", "TPV1120-3.3", "TPV1130-ADJ"]
    )
    ledger = result.ledger.to_json()
    assert ledger["affected"] == 3 and ledger["replacement"] == 2 and ledger["unaccounted"] == []
    assert not assessment.needs_review


@pytest.mark.parametrize("kind", LAYOUTS)
def test_an_unread_numbered_list_with_descriptions_is_flagged(kind):
    lines = _head() + [
        "This concerns among others ZQ7710-01.",
        "Zorbin codes",
        *(f"  {i}. ZQ77{i:02d}-01 - serial EEPROM, 256 kbit" for i in range(1, 9)),
        "",
        "Last time buy: 2026-08-31",
    ]
    result, assessment = _read(lines, kind)
    reasons = [r for rs in assessment.notice_reasons for r in rs] + assessment.document_reasons
    read = {p.mpn for n in result.notices for p in n.parts}
    if read != {f"ZQ77{i:02d}-01" for i in range(1, 9)}:
        assert any("were not read" in r for r in reasons), reasons
    assert "ZQ7702-01" in result.ledger.to_json()["unaccounted"] or "ZQ7702-01" in read


@pytest.mark.parametrize("kind", LAYOUTS)
def test_replacement_sentences_either_way_round(kind):
    lines = _head() + [
        "The following devices are discontinued:",
        "OV1201A, OV1202A, OV1203A, OV1204A",
        "",
        "OV2201A is the recommended replacement for OV1201A. OV2202A replaces OV1202A.",
        "The replacement for OV1203A is OV2203A.",
        "OV1204A will be replaced by OV2204A.",
        "Last time buy: 2026-08-31",
    ]
    result, _ = _read(lines, kind)
    (notice,) = result.notices
    assert {p.mpn: p.replacement_mpn for p in notice.parts} == {
        "OV1201A": "OV2201A",
        "OV1202A": "OV2202A",
        "OV1203A": "OV2203A",
        "OV1204A": "OV2204A",
    }


@pytest.mark.parametrize("kind", LAYOUTS)
@pytest.mark.parametrize(
    ("number_line", "maker", "number", "maker_read"),
    [
        ("Avis d'arrêt de fabrication N° AAF-26-031", "Kalvex Microsystems S.A.", "AAF-26-031", None),
        ("Abkündigungsmitteilung Nr. BH-2026-044", "Brennfeld Halbleiter AG", "BH-2026-044", None),
        ("通知番号：MN-EOL-2611", "株式会社ミナセ電子", "MN-EOL-2611", "株式会社ミナセ電子"),
    ],
)
def test_number_labels_and_legal_forms_beyond_english(kind, number_line, maker, number, maker_read):
    lines = _head(number_line, maker) + [
        "Affected products:",
        "KV2210-AB",
        "KV2211-AB",
        "",
        "Last shipments will be made until 2027-10-31.",
        "Last time buy: 2027-04-30",
    ]
    result, _ = _read(lines, kind)
    (notice,) = result.notices
    assert notice.notice_number == number
    assert notice.manufacturer == (maker_read or maker)
    assert str(notice.last_ship_date) == "2027-10-31"


def test_a_list_keeps_its_lead_in_line():
    blocks = text_blocks("Suggested replacements:\n- TPV2120-5.0\n- TPV2120-3.3\n")
    assert blocks == [("list", [["TPV2120-5.0"], ["TPV2120-3.3"]], "Suggested replacements:")]


@pytest.mark.parametrize("kind", LAYOUTS)
@pytest.mark.parametrize(
    ("logo", "maker"),
    [("Tessin(R)", "Tessin"), ("// TESSIN //", "Tessin"), ("Tessin®", "Tessin"), ("TESSIN", "Tessin")],
)
def test_a_logo_with_a_trademark_sign_or_rules_names_the_maker(kind, logo, maker):
    lines = [logo, "Product Discontinuance Notice", "Notice No.: PDN-2026-0311", "Date: 2026-02-02", ""]
    lines += ["Affected products:", "KV2210-AB", "KV2211-AB", "", "Last time buy: 2027-04-30"]
    result, assessment = _read(lines, kind)
    assert result.notices[0].manufacturer == maker
    assert not assessment.needs_review


@pytest.mark.parametrize("kind", LAYOUTS)
def test_a_letter_dated_on_the_addressees_line(kind):
    """Japanese letters set the date to the right of the addressee's line; what stands before a date
    set apart so is no label of it (a labelled last order date on such a line is not the letter's date)."""
    lines = ["KV2210 ユーザ各位          2025 年10 月31 日", "株式会社ミナセ電子", "生産中止のご案内", ""]
    lines += ["１． 対象製品：KV2210-AB", "２． 最終ご発注日：2026 年3 月25 日", ""]
    result, assessment = _read(lines, kind)
    (notice,) = result.notices
    assert str(notice.issue_date) == "2025-10-31" and str(notice.last_time_buy_date) == "2026-03-25"
    assert notice.notice_number.startswith("UNNUMBERED-") and not assessment.needs_review  # maker, date, part
    lines[0] = "Last order date          2026-03-25"
    result, _ = _read(lines, kind)
    assert result.notices[0].issue_date is None


@pytest.mark.parametrize("kind", LAYOUTS)
def test_a_change_named_only_in_the_letters_sentence_and_one_named_nowhere(kind):
    """Without a description section the sentence about the change names its category; a letter that
    names none is a decision for a person (`to_decide`), not a doubt about the reading."""
    lines = ["Tessin Microdevices GmbH", "Product Change Notification", "Notice No.: PCN-2026-0311"]
    lines += [
        "Date: 2026-02-02",
        "",
        "Due to the closure of a wafer fab line, the products listed below will be",
    ]
    lines += [
        "changed. Please respond within 30 days.",
        "",
        "Affected products:",
        "KV2210-AB",
        "KV2211-AB",
        "",
    ]
    result, assessment = _read(lines, kind)
    assert result.notices[0].change.categories == ["wafer_fab"]
    assert not assessment.needs_review and assessment.notice_decisions == [[]]
    lines[5] = "Due to a portfolio consolidation, the products listed below will be"
    result, assessment = _read(lines, kind)
    assert result.notices[0].change.categories == []
    assert not assessment.needs_review
    assert assessment.notice_decisions == [["a change notice that does not say what changes"]]


@pytest.mark.parametrize("kind", LAYOUTS)
@pytest.mark.parametrize(
    "line", ["Tessin Microdevices", "Brennfeld Power Electronics", "Korvala Semiconductor"]
)
def test_a_letterhead_naming_what_the_company_makes_names_the_maker(kind, line):
    """No legal form, no logo: the letterhead's name and trade ("… Semiconductor") name the maker, and
    so does the address block under the signature."""
    body = [
        *_head(maker="")[1:],
        "Affected products:",
        "KV2210-AB",
        "KV2211-AB",
        "",
        "Last time buy: 2027-04-30",
    ]
    result, _ = _read([line, *body], kind)
    assert result.notices[0].manufacturer == line
    result, _ = _read([*body, "", "Sincerely,", "", line, "Industriestrasse 14", "81379 Muenchen"], kind)
    assert result.notices[0].manufacturer == line
    result, _ = _read([*body, "", "Sincerely,", "", "Jane Doe", "Quality Assurance"], kind)
    assert result.notices[0].manufacturer == "Unknown"


@pytest.mark.parametrize("kind", LAYOUTS)
def test_a_labels_name_is_no_title(kind):
    """ "PDN Number: PCN26618" under the title "Customer Change Notification": the title says what the
    notice is, the label only names its field."""
    lines = ["Tessin Microdevices GmbH", "Customer Change Notification", "PDN Number: PCN26618"]
    lines += [
        "Date: 2026-10-07",
        "Due to supplier obsolescence of a raw material, the products below will be",
    ]
    lines += ["changed. The assembly site of the products listed below moves to Penang."]
    lines += ["Products to be discontinued | Package", "KV2210-AB | QFN-24", "KV2211-AB | QFN-24", ""]
    result, _ = _read(lines, kind)
    assert result.notices[0].notice_type.value == "change"
    lines[1] = "Product Discontinuance Notification"
    result, _ = _read(lines, kind)
    assert result.notices[0].notice_type.value == "discontinuance"


@pytest.mark.parametrize("kind", LAYOUTS)
def test_a_maker_name_is_never_read_from_a_part_cut_in_two(kind):
    """The maker is looked for in the first few thousand characters; where that cut falls inside
    "TEZ791K6#PBF" it must not leave the "TE" of a known maker."""
    lines = ["Product Discontinuance Notice", "Notice No.: PDN-2026-0311", "Date: 2026-02-02"]
    lines += ["Affected products:"] + [f"KV{i:04d}-AB" for i in range(100)]
    lines.append("x" * (2998 - len("\n".join(lines)) - 2))
    lines += ["TEZ791K6#PBF", "", "Last time buy: 2027-04-30"]
    assert "\n".join(lines)[2998:3000] == "TE"
    result, _ = _read(lines, kind)
    assert result.notices[0].manufacturer == "Unknown"


@pytest.mark.parametrize(
    ("token", "part"),
    [
        ("DN882F7#PBF", True),  # a maker whose prefix is a notice kind's letters
        ("PDTC114EU", True),
        ("PDN-2026-0143", False),
        ("DN-2026-0394", False),
        ("PCN#1143", False),
        ("IPCN27002X", False),
        ("PCN-01527-REV2", False),
    ],
)
def test_a_part_that_starts_like_a_notice_id(token, part):
    assert looks_like_mpn(token) is part
