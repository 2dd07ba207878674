"""The reading stages behind the ledger, each on its own: blocks, candidates, roles, the ledger."""

from __future__ import annotations

from radar_pipeline.documents.model import Document, Section
from radar_pipeline.extraction.blocks import cell_tokens, find_header, layout_of, text_blocks
from radar_pipeline.extraction.candidates import candidates_of
from radar_pipeline.extraction.columns import header_role
from radar_pipeline.extraction.ledger import TOLERANCE, assign_roles, build_ledger
from radar_pipeline.notices import AffectedPart, Notice
from radar_pipeline.review.reading import read_reviewed

PARTS = ["KV3302-QFN24-TR", "TMX81A2#PBF", "AP6124K/T7", "XC7Z010-1CLG400I", "LM5117PMHX/NOPB"]


def _ledger(doc, notices, set_aside=None):
    """The ledger of ``doc`` read as ``notices`` say (the roles against the notices)."""
    layout = layout_of(doc)
    return build_ledger(layout, candidates_of(layout), notices, set_aside)


def _notice(parts, number="PDN-2026-0143", patterns=()):
    return Notice(
        notice_number=number,
        manufacturer="Korvala",
        notice_type="discontinuance",
        parts=[AffectedPart(mpn=m, replacement_mpn=r) for m, r in parts],
        patterns=list(patterns),
        extractor="rules",
        confidence=0.9,
    )


# -- stage 1: blocks ------------------------------------------------------------------------
def test_text_dump_is_cut_into_tables_and_lists():
    text = "\n".join(
        [
            "Product Discontinuance Notice PDN-2026-0143",
            "Devices being discontinued   Recommended replacement   Customer P/N",
            "KV3302-QFN24-TR   KV3402-QFN24-TR   C-100-22",
            "TMX81A2#PBF   #NONE   C-100-23",
            "",
            "The following devices are listed for your information.",
            "AP6124K/T7",
            "XC7Z010-1CLG400I, LM5117PMHX/NOPB",
            "Package: SOT-23",
        ]
    )
    blocks = text_blocks(text)
    kinds = [k for k, *_ in blocks]
    assert kinds == ["table", "list"], blocks
    table, listed = blocks[0][1], blocks[1][1]
    assert table[0][0] == "Devices being discontinued" and len(table) == 3
    assert listed == [["AP6124K/T7"], ["XC7Z010-1CLG400I", "LM5117PMHX/NOPB"]]  # the field line is no list
    assert blocks[1][2] == "The following devices are listed for your information."  # the list's lead-in


def test_header_row_found_below_a_title_block():
    rows = [["Notice", "PDN-1"], ["Products affected", "Suggested replacement"], ["AP6124K/T7", "N/A"]]
    assert find_header(rows) == 1
    assert find_header([["AP6124K/T7", "TMX81A2#PBF"], ["KV3302-QFN24-TR", "XC7Z010-1CLG400I"]]) is None


def test_header_meaning_in_any_word_order():
    for cell in (
        "Devices being discontinued",
        "Device to be Discontinued",
        "Products affected",
        "Part Number (EOL)",
        "Betroffene Typen",
        "停产型号",
    ):
        assert header_role(cell) == "affected", cell
    for cell in ("Recommended replacement products", "Pin to pin match", "Suggested replacement", "新型号"):
        assert header_role(cell) == "replacement", cell
    for cell in ("Customer P/N", "Your part number", "Package", "Last time buy date", "Qty"):
        assert header_role(cell) == "other", cell
    assert header_role("Zorbin codes") == ""


# -- stage 2: candidates ----------------------------------------------------------------------
def test_candidates_skip_sentences_ratings_and_file_names():
    assert cell_tokens("KV3302-QFN24-TR; TMX81A2#PBF") == ["KV3302-QFN24-TR", "TMX81A2#PBF"]
    assert cell_tokens("IR reflow at 245C or 260C (package dependent)") == []
    assert cell_tokens("Qual device KV3302-QFN24-TR is qualified at MSL1") == []
    assert cell_tokens("+3.3V") == [] and cell_tokens("24VDC") == [] and cell_tokens("(22L)") == []
    assert cell_tokens("PDN-2026-0143_list.xlsx") == [] and cell_tokens("JESD22-A104") == []
    # a process node with what is built in it, a count of vias: no parts; a Japanese transistor is one
    assert cell_tokens("0.18μmCMOS") == [] and cell_tokens("28nmHKMG") == [] and cell_tokens("1VIA") == []
    assert cell_tokens("2SK3018") == ["2SK3018"]


def test_form_and_before_after_rows_are_fields_not_lists():
    doc = Document(
        "x.pdf",
        "pdf",
        [
            Section(
                "x.pdf",
                "pdf",
                "",
                [
                    [
                        ["Title of change:", "Wafer fab transfer for KV33 products"],
                        ["Mold compound", "EME-G700Y", "EME-G700LA"],
                    ],
                    [["Products affected:", "KV3302-QFN24-TR"], ["", "TMX81A2#PBF"]],
                ],
            )
        ],
    )
    found = [c.text for c in candidates_of(layout_of(doc))]
    assert found == ["KV3302-QFN24-TR", "TMX81A2#PBF"]


# -- stage 3: roles ---------------------------------------------------------------------------
def _table_doc(rows, name="notice.pdf"):
    return Document(name, "pdf", [Section(name, "pdf", "", [rows])])


def test_roles_with_their_evidence():
    rows = [
        ["Part number", "Replacement", "Customer P/N", "Package"],
        ["KV3302-QFN24-TR", "KV3402-QFN24-TR", "ACME4471-A", "QFN-24"],
        ["TMX81A2#PBF", "#NONE", "ACME4472-B", "SOT-23"],
        ["ADVAP6124K/T7", "", "", ""],
        ["ZX9900-R7", "", "", ""],
    ]
    doc = _table_doc(rows)
    layout = layout_of(doc)
    blocks = layout.blocks
    notice = _notice([("KV3302-QFN24-TR", "KV3402-QFN24-TR"), ("TMX81A2#PBF", None), ("AP6124K/T7", None)])
    roles = assign_roles(blocks, candidates_of(layout), [notice], "")
    assert roles["KV3302-QFN24-TR"].role == "affected"
    assert roles["KV3402-QFN24-TR"].role == "replacement"
    assert roles["ACME4471-A"].role == "other" and "Customer P/N" in roles["ACME4471-A"].why
    assert roles["QFN-24"].role == "other"
    assert roles["ADVAP6124K/T7"].role == "other" and "distributor" in roles["ADVAP6124K/T7"].why
    assert roles["ZX9900-R7"].role == "unaccounted"
    assert "#NONE" not in roles  # a placeholder is no part


def test_strings_of_a_set_aside_section_are_other():
    doc = _table_doc([["Vehicle", "Lot"], ["TQV-2231-A", "L1"], ["TQV-2232-B", "L2"]], "qual_report.pdf")
    ledger = _ledger(
        doc, [_notice([("KV3302-QFN24-TR", None)])], {"qual_report.pdf": "a qualification report"}
    )
    assert ledger.unaccounted == [] and ledger.count("other") == 2


# -- stage 4: the ledger ------------------------------------------------------------------------
def test_an_unread_table_is_named_in_the_reason():
    rows = [["Zorbin codes", "Lot"]] + [[p, "L"] for p in PARTS]
    doc = _table_doc(rows)
    ledger = _ledger(doc, [_notice([(PARTS[0], None)])])
    assert ledger.to_json() == {
        "candidates": 5,
        "affected": 1,
        "replacement": 0,
        "other": 0,
        "unaccounted": PARTS[1:],
    }
    reason = ledger.reason()
    assert reason.startswith("4 part-like strings in a table in notice.pdf were not read: TMX81A2#PBF")


def test_within_the_tolerance_no_reason():
    """A lone code in a column of its own (a wafer size, a lot code) is tolerated."""
    rows = [["Part number", ""], [PARTS[0], "8INCH200MM"], [PARTS[1], ""]]
    ledger = _ledger(_table_doc(rows), [_notice([(PARTS[0], None), (PARTS[1], None)])])
    assert ledger.unaccounted == ["8INCH200MM"] and TOLERANCE == 1 and ledger.reason() is None


def _text_doc(lines, name="notice.txt"):
    return Document(name, "text", [Section(name, "text", "\n".join(lines))])


def test_one_unread_string_in_a_column_of_affected_parts_is_flagged():
    """No tolerance where the reading read the column: the string left in it is a missed part. A PDF's
    table and the same table as a text dump."""
    rows = [
        ["Devices being discontinued", "Customer P/N"],
        *[[p, f"C-10{i}"] for i, p in enumerate(PARTS[:3])],
    ]
    text = [f"{a:<30}{b}" for a, b in rows]
    for doc in (_table_doc(rows), _text_doc(text)):
        ledger = _ledger(doc, [_notice([(PARTS[0], None), (PARTS[1], None)])])
        assert ledger.unaccounted == [PARTS[2]] and ledger.beside_affected == [PARTS[2]]
        assert ledger.reason().startswith(
            f"1 part-like strings in a table in {doc.name} were not read: {PARTS[2]}"
        )


def test_rows_above_the_header_and_change_rows_are_fields():
    """The fields over a table's header ("Description: … firmware G1MU111") and a before/after row that
    shares a parts table ("Molding compound | SUMITOMO G700K") name no parts; in a PDF's table and in
    a spreadsheet."""
    rows = [
        ["Description:", "The firmware of the drives changes"],
        ["", "to release"],
        ["", "G1MU111 (Non-SED)"],
        ["Affected part number", "Supplier"],
        [PARTS[0], "Korvala"],
        [PARTS[1], "Korvala"],
        ["Molding compound", "SUMITOMO G700K"],
    ]
    for doc in (
        _table_doc(rows),
        Document("n.xlsx", "spreadsheet", [Section("n.xlsx[Sheet1]", "spreadsheet", "", [rows])]),
    ):
        ledger = _ledger(doc, [_notice([(PARTS[0], None), (PARTS[1], None)])])
        assert ledger.unaccounted == [] and ledger.count("affected") == 2, ledger.roles


def test_another_name_in_the_row_of_an_affected_part():
    """A type-name column beside the orderable one names the same product; a second column under the
    same header (side-by-side blocks) does not. In a PDF's table and as a text dump."""
    rows = [["Orderable part number", "Product name", "Package"], ["934661883215", "QZX84-B24/1", "SOT23"]]
    rows += [["934661886215", "QZX84-B15/1", "SOT23"]]
    for doc in (_table_doc(rows), _text_doc([f"{a:<26}{b:<18}{c}" for a, b, c in rows])):
        ledger = _ledger(doc, [_notice([("934661883215", None), ("934661886215", None)])])
        assert ledger.unaccounted == [], ledger.roles
        assert "another name of the affected part" in ledger.roles["QZX84-B24/1"].why
    side_by_side = [["Part number", "Part number"], [PARTS[0], PARTS[1]], [PARTS[2], PARTS[3]]]
    ledger = _ledger(_table_doc(side_by_side), [_notice([(PARTS[0], None), (PARTS[2], None)])])
    assert ledger.unaccounted == [PARTS[1], PARTS[3]]


def test_replacements_a_field_offers_and_words_glued_to_parts():
    """ "代替製品：MCX314As／MCX514" offers two replacements; Japanese glues particles to a part number
    ("MCX314AL とMCX514"). In plain text and in a PDF's table."""
    text = [
        "対象製品：KV3302A",
        "代替製品：KV3302B／KV5502",
        "",
        "項目   KV3302A   KV5502",
        "端子配置   -   KV3302A とKV5502",
    ]
    rows = [["項目", "KV3302A", "KV5502"], ["端子配置", "-", "KV3302A とKV5502"]]
    notice = _notice([("KV3302A", "KV3302B")])
    for doc in (
        _text_doc(text),
        Document("n.pdf", "pdf", [Section("n.pdf", "pdf", "\n".join(text[:2]), [rows])]),
    ):
        ledger = _ledger(doc, [notice])
        assert ledger.unaccounted == [] and ledger.roles["KV5502"].role == "replacement", ledger.roles


def test_patterns_and_notice_numbers_account_for_strings():
    rows = [["Series"], ["KV3302-QFN24-TR"], ["KV3305-QFN24-TR"], ["PDN-2026-0143"]]
    ledger = _ledger(_table_doc(rows), [_notice([], patterns=["KV33*-TR"])])
    assert ledger.unaccounted == []


def test_extraction_flags_a_document_with_an_unread_table():
    """Through the whole reading: the rules read the labelled list; the table under unknown words is not
    read, so the notice goes to a person and its confidence says so."""
    text = (
        "Korvala Semiconductor\nProduct Discontinuance Notice PDN-2026-0143\nDate: 2026-03-02\n"
        f"Affected parts: {PARTS[0]}\nLast time buy: 2026-09-30\n"
    )
    rows = [["Zorbin codes", "Lot"]] + [[p, "L7"] for p in PARTS[1:]]
    doc = Document("n.eml", "email", [Section("body", "text", text), Section("list.pdf", "pdf", "", [rows])])
    result, assessment, _ = read_reviewed(doc, None, "always")
    assert [p.mpn for p in result.notices[0].parts] == [PARTS[0]]
    assert any("4 part-like strings" in r for r in assessment.notice_reasons[0])
    assert result.notices[0].confidence <= 0.5


def test_radar_extract_prints_each_stage(tmp_path):
    """`radar extract --format stages`: the layout's blocks with their header rows, what the rules read
    in each stretch, the notices, and the ledger with where each unaccounted string stands."""
    from radar_pipeline_tests.support import run_radar

    path = tmp_path / "pdn.txt"
    path.write_text(
        "Korvala Semiconductor\nProduct Discontinuance Notice PDN-2026-0143\nDate: 2026-03-02\n"
        "Last time buy: 2026-09-30\n\nDevices being discontinued   Recommended replacement   Customer P/N\n"
        "KV3302-QFN24-TR   KV3402-QFN24-TR   C-100-22\nTMX81A2#PBF   #NONE   C-100-23\n\n"
        "Zorbin codes   Lot\nAP6124K/T7   L7\nXC7Z010-1CLG400I   L8\n"
    )
    out = run_radar(["extract", "--format", "stages", str(path)], f"sqlite:///{tmp_path}/r.db", tmp_path)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "layout: 1 stretch(es), 2 block(s)" in text
    assert "header row 0: Devices being discontinued | Recommended replacement | Customer P/N" in text
    assert "2 listed part(s) by table: KV3302-QFN24-TR->KV3402-QFN24-TR, TMX81A2#PBF" in text
    assert "PDN-2026-0143 Korvala Semiconductor discontinuance: 2 part(s)" in text
    assert "2 affected, 1 replacement, 2 other, 2 unaccounted" in text
    assert "unaccounted AP6124K/T7: block 1 row 1 column 0 (Zorbin codes)" in text
    assert "needs a person: 2 part-like strings in a table in pdn.txt were not read" in text


SUMMARY_LETTER = [
    "Korvala Semiconductor Inc.",
    "Product Discontinuance Notice PCN: 40112",
    "Published: 2026-01-28",
    "Last Order Date:  2026-07-28",
    "",
    "Description:  End of life of select 16Gb DDR4 components",
    "Product Affected:  Select 16Gb DDR4 components/die listed below (K3A2, K3B5,",
    "M70C, Q21T)",
    "",
    "Affected Part Number     Recommended Replacement     Customer Part Number",
    f"{PARTS[0]}          KV3402-QFN24-TR             C-100-22",
    f"{PARTS[1]}",
]


def test_a_products_affected_field_that_sums_up_the_list_below_names_no_parts():
    """ "Product Affected: T51G GDDR7 16Gb part numbers listed below", "… die listed below (M70C, Q21T)":
    the family, density and die codes of the list under it, which names the parts. As a PDF's table
    (the field above the header) and as a letter's text (the field wrapped over two lines)."""
    rows = [
        ["Product Affected:", "", "T51G DDR4", "16Gb part numbers listed below", ""],
        ["Affected Part Number", "", "", "Recommended Replacement", "Customer Part Number"],
        [PARTS[0], "", "", "KV3402-QFN24-TR", "C-100-22"],
        [PARTS[1], "", "", "", ""],
    ]
    notice = _notice([(PARTS[0], "KV3402-QFN24-TR"), (PARTS[1], None)])
    pdf = Document("n.pdf", "pdf", [Section("n.pdf", "pdf", "\n".join(SUMMARY_LETTER[:4]), [rows])])
    for doc, codes in ((pdf, ["T51G", "DDR4"]), (_text_doc(SUMMARY_LETTER), ["M70C", "Q21T"])):
        ledger = _ledger(doc, [notice])
        assert ledger.unaccounted == [] and ledger.count("affected") == 2, ledger.roles
        assert all("summary of the list below (Product Affected:)" in ledger.roles[c].why for c in codes)
        result, assessment, _ = read_reviewed(doc, None, "always")
        assert [p.mpn for p in result.notices[0].parts] == PARTS[:2]
        assert not any("not read" in r for r in assessment.notice_reasons[0]), assessment.notice_reasons


def test_a_summary_field_whose_list_was_not_read_stays_unread():
    """The codes of the summary count as "other" only beside a list that was read: with the list under
    unknown words, or the field holding the only part read, the strings are unaccounted."""
    unread = SUMMARY_LETTER[:9] + ["Zorbin codes     Lot", f"{PARTS[2]}     L7", f"{PARTS[3]}     L8"]
    unread[6] = f"Product Affected:  {PARTS[0]} and the 16Gb parts listed below (K3A2, M70C, Q21T)"
    ledger = _ledger(_text_doc(unread), [_notice([(PARTS[0], None)])])
    assert {"M70C", "Q21T", PARTS[2], PARTS[3]} <= set(ledger.unaccounted), ledger.roles
    result, assessment, _ = read_reviewed(_text_doc(unread), None, "always")
    reasons = [*assessment.document_reasons, *(r for rs in assessment.notice_reasons for r in rs)]
    assert any("M70C, Q21T" in r and "were not read" in r for r in reasons), reasons
