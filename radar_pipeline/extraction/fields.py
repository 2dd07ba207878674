"""Notice-level fields found by labels: number, manufacturer, type and the three dates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from radar_pipeline.extraction.dates import DAY_FIRST, MONTH_FIRST, find_dates, swapped, undecided_dates
from radar_pipeline.extraction.parts import tokens_in_line
from radar_pipeline.notices import NoticeType
from radar_pipeline.notices.manufacturers import canonical, from_domain, known_names

# -- dates --------------------------------------------------------------------------------
DATE_LABELS: dict[str, str] = {
    "last_ship_date": (
        r"last[\s-]*time[\s-]*ship(?:ment)?|last[\s-]*ship(?:ment)?[\s-]*date|last[\s-]*ship(?:ment)?s?\b|\bLTS\b|"
        r"final[\s-]*ship(?:ment)?s?|last[\s-]*deliver(?:y|ies)|last\s*date\s*(?:of|for)\s*(?:shipment|delivery)|"
        r"letzte[rs]?\s*liefer(?:termin|ung|datum)|dernière\s*livraison|shipments?\s*(?:end|until|through)|"
        r"final\s*delivery\s*date|最終出荷日?|最終出貨(?:日期)?|最后发货(?:日期)?|最後出貨(?:日期)?|最终发货(?:日期)?"
    ),
    "last_time_buy_date": (
        r"last[\s-]*time[\s-]*(?:to[\s-]*)?buy|\bLTB\b|last[\s-]*(?:buy|order)(?:s)?(?:[\s-]*(?:date|day))?|"
        r"last\s*date\s*(?:to|for)\s*(?:order|place\s*orders|buy)|final[\s-]*(?:order|buy)|"
        r"orders?\s*(?:will\s*be\s*)?accepted\s*(?:until|through)|end\s*of\s*order(?:ing|s)?|"
        r"letzte[rs]?\s*bestell(?:termin|ung|datum)|letztmalige\s*bestellung|bestellungen\s*bis|dernière\s*commande|"
        r"最終(?:ご)?発注(?:日|受付日)?|最終受注日|最[终終后後](?:订货|訂貨|订购|訂購|下单|下單)(?:日期|日)?"
    ),
    "issue_date": (
        r"(?:notification|notice|pcn|pdn|eol|publication|issue|release|announcement)\s*date|date\s*of\s*"
        r"(?:notice|notification|issue|publication|announcement)|date\s*issued|issued\s*(?:on|date)|published(?:\s*on)?|"
        r"ausgabedatum|veröffentlich(?:ung|t)(?:sdatum)?(?:\s*am)?|datum\s*der\s*mitteilung|mitteilungsdatum|"
        r"^\s*(?:\d+(?:\.\d+)*\s*)?(?:date|datum)\b|發布日期|发布日期|発行日|発信日|通知日期"
    ),
}
_LABEL_RES = {k: re.compile(v, re.I | re.M) for k, v in DATE_LABELS.items()}


_OTHER_LABEL = re.compile(r"^\s*[^\d:：|]{3,50}[:：]")


def sending_order(text: str, sent: date | None) -> str | None:
    """The order of the slashed dates that the day the document was sent proves: a notice is not issued
    after it was sent, so an issue date ("9/1/2026", sent on 2026-01-09) that one order would put after
    that day is read in the other. None: nothing proves it (both orders, or neither, before that day)."""
    undecided = undecided_dates(text) if sent else set()
    issued = labelled_dates(text).get("issue_date") if undecided else None  # read month first
    if issued is None or issued not in undecided or (other := swapped(issued)) is None:
        return None
    late = sent + timedelta(days=1)  # the sender's day may be the reader's next
    if issued > late >= other:
        return DAY_FIRST
    if other > late >= issued:
        return MONTH_FIRST
    return None


def labelled_dates(text: str) -> dict[str, date]:
    """The first date after each label (same line, or the next line when the line has none)."""
    lines = text.splitlines()
    found: dict[str, date] = {}
    for i, line in enumerate(lines):
        hits = sorted(
            (m.start(), m.end(), field) for field, rx in _LABEL_RES.items() for m in rx.finditer(line)
        )
        # a longer label wins where two overlap ("last time buy" inside a "last-time-ship" line is not one)
        kept: list[tuple[int, int, str]] = []
        for s, e, f in hits:
            if kept and s < kept[-1][1]:
                if e - s > kept[-1][1] - kept[-1][0]:
                    kept[-1] = (s, e, f)
                continue
            kept.append((s, e, f))
        for j, (start, end, field) in enumerate(kept):
            if field in found:
                continue
            stop = kept[j + 1][0] if j + 1 < len(kept) else len(line)
            dates = [d for s, _, d in find_dates(line[end:stop])]
            if not dates and line[:start].rstrip().endswith("("):
                # "no later than March 31, 2026 (Last order date for …)": the label explains the date before it
                joined = (lines[i - 1] if i else "") + " " + line[:start]  # the sentence may wrap
                before = find_dates(joined[-160:])
                dates = [before[-1][2]] if before else []
            if not dates and j + 1 == len(kept) and not line[end:].strip(" :|-\t"):
                nxt = next((x for x in lines[i + 1 : i + 3] if x.strip()), "")
                if not _OTHER_LABEL.match(nxt):  # an empty field does not take the next field's date
                    dates = [d for _, _, d in find_dates(nxt)[:1]]
            if dates:
                found[field] = dates[0]
    return found


# -- notice number ------------------------------------------------------------------------
_ID = (
    r"(?P<id>[A-Z][A-Z&]+(?:[ \t][A-Z&]+){0,3}/\d{2}/\d{3,6}"  # ST: "EMBEDDED PROCESSING/26/15789"
    r"|[A-Z0-9][A-Z0-9\-_/.]{0,20}(?:#[A-Z0-9\-_/.]{1,20})?[A-Z0-9\-_/.]{0,20}[A-Z0-9]"  # "DN#4972"
    r"(?:\s?\((?:R|REV|A|B|C|D)?\d{0,2}[A-Z]?\))?)"
)
# what a sentence says before another notice's number it mentions: "please refer to PCN 14864", "Change
# Implementation on PCN CN-202602035F", "an update of PCN 1234"
_REFERENCE = re.compile(
    r"(?:refer(?:s|red)?\s*to|see|replaces|supersedes|instead\s*of|previous|"
    r"(?:implementation|based|follow[\s-]*up|update|amendment|revision|extension|cancell?ation)\s+(?:on|of|to))\W{0,3}$",
    re.I,
)
_NUMBER_LABEL = re.compile(
    r"(?:\b(?:pcn|pdn|pci|eol|eoln|fpcn|ecn|eco|e\.c\.o\.|dn|cpn|notice|notification|change[ \t]*notice|"
    r"discontinuance[ \t]*notice|document|doc\.?|mitteilungs|änderungs|abkündigungs|bulletin|advisory[ \t]*(?:\(pa\))?|"
    r"\w*(?:mitteilung|meldung|anzeige|benachrichtigung|information))"  # German compounds: "Abkündigungsmitteilung Nr."
    r"[ \t]*-?[ \t]*(?:no\b\.?|number|nr\b\.?|#|id\b|nummer|ref(?:erence)?\b)"
    r"|\breference[ \t]*(?:no\b\.?|number|#)?|\bref\b\.?(?:[ \t]*no\b\.?)?|\b(?:pcn|pdn|pci|eol|fpcn|notification|notice)\b"
    r"|(?<!\w)N[°º]|(?:通知|文書|管理|公告|[变變]更)?(?:番号|編號|编号))"  # "Avis … N° AAF-26-031": the numero sign labels a number in French, Spanish, Italian
    r"(?:[ \t]*[:#：]+[ \t|]*(?:\n[ \t]*){0,2}|[ \t]*\.?[ \t]*)"
    + _ID,  # a form's value may stand lines below
    re.I,
)
_ID_SHAPES = re.compile(
    r"\b(?:(?:PCN|PDN|FPCN|EOL|DN|CAAN|PD)[-_]?[A-Z0-9][A-Z0-9\-_]*\d[A-Z0-9]*|[A-Z]{2,4}/\d{2}/\d{3,6}|20\d{7,10}(?:DN|PDN|PCN)?|\d{9,12}(?:DN|PDN|PCN))\b"
)


# a notice's kind alone, then a space, labels its number only when the number is one ("PCN 14864")
_BARE_KIND = re.compile(r"(?:pcn|pdn|pci|eol|fpcn)[ \t]+", re.I)
# ... and so does a title word before a number of its own ("Product Change Notification CN-202602002F")
_BARE_TITLE = re.compile(r"(?:notification|notice)[ \t]*[:：]?[ \t]*", re.I)


def _number_like(value: str) -> bool:
    """Mostly digits, five or more: a notice's number, not a part or a word."""
    digits = sum(c.isdigit() for c in value)
    return digits >= 5 and digits >= 0.6 * sum(c.isalnum() for c in value)


def _valid_id(value: str) -> bool:
    value = value.strip(".-/")
    if re.search(r"[a-z]{4,}", value):  # "EOL letter_ACM2012": a word, not an id
        return False
    return any(c.isdigit() for c in value) and len(value) >= 3 and not re.fullmatch(r"\d{1,4}", value)


def notice_numbers(text: str) -> list[tuple[int, str]]:
    """Labelled notice numbers with their positions (for digests: several)."""
    out = []
    for m in _NUMBER_LABEL.finditer(text):
        value = m.group("id").rstrip(".-/")
        if _REFERENCE.search(text[max(0, m.start() - 20) : m.start()]):
            continue  # "please refer to PCN 14864": another notice, mentioned
        label = text[m.start() : m.start("id")]
        if _BARE_KIND.fullmatch(label) and sum(c.isdigit() for c in value) < 3:
            continue  # "EOL HL50S and HL50L process": a word of a sentence, then a process name
        if _BARE_TITLE.fullmatch(label) and not _number_like(value):
            continue  # "this notice SN74LVC1G08 …": a title word labels only what is mostly a number
        if _valid_id(value) and not find_dates(value):
            out.append((m.start(), value))
    return out


def names_parts(value: str, parts: list[str]) -> bool:
    """A "number" that is the notice's parts' family ("PCI  STM32H523x and STM32H533x Products": a title
    after an empty number field), or one of its parts: no notice's number."""
    stem = re.sub(r"[xX*?%]+$", "", value)
    return len(stem) >= 4 and any(p.upper().startswith(stem.upper()) for p in parts)


def notice_number(text: str, subject: str | None, parts: Iterable[str] = ()) -> str | None:
    """A labelled number, else one in a notice id's shape that is no part of the notice ("DND3569-QFN24"
    begins like a notice id), else the document's own id in its page header or footer."""
    parts = list(parts)
    for source in (subject or "", text):
        numbers = [value for _, value in notice_numbers(source) if not names_parts(value, parts)]
        if numbers:
            return numbers[0]
    own = document_id(text)
    for source in (subject or "", text):
        for m in _ID_SHAPES.finditer(source):
            if not any(m.group(0) in p for p in parts):
                # the footer's spelling where it is the same number, more specific ("20260107002.0",
                # "Z200-PCN-DM202601-04-A" for "PCN-DM202601-04")
                return own if own and m.group(0) in own else m.group(0)
    return own


# A page's header or footer: the page mark ("Page 2 of 5", "2/5", "- 2 -") or a revision ("Rev. A")
_PAGE_MARK = re.compile(
    r"\b(?:page|seite|p\.)\s*\d+\s*(?:of|/|von)\s*\d+\b|(?:^|\s)\d{1,3}\s*/\s*\d{1,3}\s*$|^\s*-\s*\d{1,3}\s*-\s*$|"
    r"\brev(?:ision)?\.?\s*[A-Z0-9]{1,3}\b",
    re.I,
)
# A document id: letters and a long number, or a long number ("KDX-21044624", "DOC-0042117", "20261014")
_DOC_ID = re.compile(r"(?<![\w/.#-])[A-Z0-9][A-Z0-9#_./-]{3,30}(?:\([A-Z0-9]{1,3}\))?(?![\w/#-])")


def document_id(text: str) -> str | None:
    """The document's own id where the trade prints it beside the page mark in every page's header or
    footer ("KDX-21044624    Page 1 of 3"): a notice that names no number otherwise goes by it."""
    for line in text.splitlines():
        if len(line) > 120 or not _PAGE_MARK.search(line) or re.search(r"\b(?:tel|phone|fax)\b", line, re.I):
            continue
        for m in _DOC_ID.finditer(_PAGE_MARK.sub(" ", line)):
            value = m.group(0).rstrip("./-")
            if (
                sum(c.isdigit() for c in value) >= 4
                and not find_dates(value)
                and not re.search(r"[a-z]", value)
            ):
                return value
    return None


# -- manufacturer -------------------------------------------------------------------------
_MAKER_LABEL = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\s*)?(?:manufacturer|hersteller|supplier|company|vendor|fabricant)\s*(?:name)?\s*[:|]\s*(?P<name>[^\n|]{2,60})",
    re.I | re.M,
)
_NAMES = known_names()
_NAME_RE = re.compile(r"\b(" + "|".join(re.escape(n) for n in _NAMES if len(n) > 3) + r")\b", re.I)
_SHORT_RE = re.compile(r"\b(" + "|".join(re.escape(n) for n in _NAMES if len(n) <= 3) + r")\b")


# A company's own line in a letterhead or an address block: a name ending in a legal form.
_COMPANY_LINE = re.compile(
    r"^[ \t]*(?:©\s*(?:\d{4}\s*)?)?(?P<name>[A-Z][\w&'.\-]*(?:[ \t]+[A-Z][\w&'.\-]*){0,4},?[ \t]+"
    r"(?:Inc|Incorporated|Corp|Corporation|Co\.,?[ \t]*Ltd|Ltd|Limited|LLC|GmbH|AG|K\.K|S\.A|S\.p\.A|"
    r"B\.V|N\.V|plc|Oy|AB|SE|A/S|S\.A\.S|Pte\.?[ \t]*Ltd|Co)\.?)[ \t]*$",
    re.M,
)
# The same in Chinese and Japanese: the legal form before or after the name ("株式会社ミナセ電子").
_COMPANY_LINE_CJK = re.compile(
    r"^[ \t]*(?P<name>(?:株式会社|有限会社)[^\s、。,:：]{1,20}|[^\s、。,:：]{1,20}(?:株式会社|有限会社|股份有限公司|有限公司|公司))[ \t]*$",
    re.M,
)
# A letterhead line without a legal form: a name and what the company makes ("Korvala Semiconductor",
# "Tessin Microdevices", "Brennfeld Power Electronics")
_MAKER_LINE = re.compile(
    r"^[ \t]*(?P<name>[A-Z][\w&'.\-]*(?:[ \t]+[A-Z][\w&'.\-]*){0,2}[ \t]+(?:Semiconductors?|Micro(?:electronics|"
    r"devices|systems|circuits|chips?)?|Electronics?|Optoelectronics|Photonics|Analog|Devices|Technolog(?:y|ies)|"
    r"Components|Power|Circuits|Instruments|Sensors?|Silicon|Memory|Integrated|Halbleiter|Elektronik|"
    r"Semiconducteurs?))[ \t]*$"
)
_WEB = re.compile(
    r"\bwww\.(?P<name>[a-z0-9][a-z0-9\-]{2,40})\.(?:com|net|org|de|jp|cn|tw|kr|co|io|eu|fr|it)\b", re.I
)


_SIGN_OFF = re.compile(
    r"^[ \t]*(?:sincerely|best regards|kind regards|regards|yours (?:sincerely|faithfully)|"
    r"mit freundlichen gr[üu]ßen|cordialement)[ \t]*,?[ \t]*\n+[ \t]*(?P<name>[A-Z][\w&.\-]*(?:[ \t]+[A-Z][\w&.\-]*){0,3})"
    r"[ \t]*(?:\n|$)",
    re.M | re.I,
)
# A logo's text: the first line is one word of capitals ("KORVALA"), not a word of the letter itself,
# or one name with a trademark sign or set between rules ("Korvala(R)", "Korvala®", "// KORVALA //")
_LOGO = re.compile(r"^\s*(?P<name>[A-Z][A-Z0-9&\-]{2,19})\s*$")
_MARKED_LOGO = re.compile(
    r"^\s*(?P<rule>[/*=#|~\-_.:]{2,}\s*)?(?P<name>[A-Z][A-Za-z0-9&\-]{2,19})\s*(?P<mark>\(R\)|®|™|\(TM\))?"
    r"\s*(?(rule)[/*=#|~\-_.:]{2,}|)\s*$"
)
_NOT_A_BRAND = re.compile(
    r"^(?:PCN|PDN|EOL|NRND|NOTICE|NOTIFICATION|IMPORTANT|URGENT|DEAR|PRODUCT|CHANGE|FYI)$"
)


def _company_of(text: str) -> str | None:
    """A maker we have never seen: its letterhead or address-block line, its logo's text (spelled out
    under the sign-off where it is), else its web domain."""
    lines = text.splitlines()
    for block in ("\n".join(lines[:12]), "\n".join(lines[-25:])):
        hit = _COMPANY_LINE.search(block) or _COMPANY_LINE_CJK.search(block)
        if hit:
            return hit.group("name").strip()
    head = [x for x in lines[:12] if x.strip() and not x.startswith(("From:", "Subject:"))][:3]
    named = next((m for m in map(_MAKER_LINE.match, head + lines[-25:]) if m), None)
    if named:  # the letterhead, else the address block or signature at the end
        return named.group("name").strip()
    signed = _SIGN_OFF.search(text)
    first = next((x for x in lines if x.strip()), "")
    marked = _MARKED_LOGO.match(first)
    logo = _LOGO.match(first) or (marked if marked and (marked["rule"] or marked["mark"]) else None)
    if logo and not _NOT_A_BRAND.match(logo.group("name").upper()):
        if signed and signed.group("name").upper().startswith(logo.group("name")):
            return signed.group("name").strip()
        name = logo.group("name")
        return name.capitalize() if name.isupper() else name
    web = _WEB.search(text)
    return web.group("name").split("-")[0].capitalize() if web else None  # a signature may be a person


def _lines_within(text: str, size: int) -> str:
    """The whole lines of the first ``size`` characters: a cut through "TEZ791K6" leaves no "TE"."""
    return text if len(text) <= size else text[:size].rsplit("\n", 1)[0]


def manufacturer(text: str, sender: str | None) -> tuple[str | None, str]:
    """The issuing manufacturer and how it was found (label, letterhead, sender, text)."""
    m = _MAKER_LABEL.search(text)
    if m:
        name = m.group("name").strip(" .,;")
        return canonical(name) or name, "label"
    head = "\n".join(text.splitlines()[:12])
    for where, block in (("letterhead", head), ("text", _lines_within(text, 6000))):
        hit = _NAME_RE.search(block)
        if hit:
            return canonical(hit.group(1)) or hit.group(1), where
    if sender:
        by_domain = from_domain(re.sub(r".*<|>.*", "", sender))
        if by_domain:
            return by_domain, "sender"
    hit = _SHORT_RE.search(_lines_within(text, 3000))
    if hit:
        return canonical(hit.group(1)), "text"
    company = _company_of(text)
    if company:
        return canonical(company) or company, "letterhead"
    if sender and "@" in sender:
        label = re.sub(r".*@", "", re.sub(r".*<|>.*", "", sender)).split(".")
        if len(label) >= 2:
            return label[-2].capitalize(), "sender"
    return None, "none"


# -- notice type --------------------------------------------------------------------------
_DISC = re.compile(
    r"discontinu|end[\s-]*of[\s-]*life|\bEOL\b|obsolet|product\s*withdrawal|phase[\s-]*out|end\s*of\s*production|"
    r"\bPDN\b|abkündig|abgekündigt|auslauf|last[\s-]*time[\s-]*buy|fin\s*de\s*vie|arrêt\s*de\s*production|"
    r"販売終息|販売終了|生産終了|生産中止|製造中止|廃止|停[產产]|停止生[產产]|[產产]品[終终]止|EOL通知",
    re.I,
)
_NRND = re.compile(
    r"not\s*recommended\s*for\s*new\s*design|\bNRND\b|nicht\s*für\s*neue?\s*(?:designs?|entwicklungen)\s*empfohlen",
    re.I,
)
_CHANGE = re.compile(
    r"product\s*change|process\s*change|change\s*notice|change\s*notification|\bPCN\b|\bFPCN\b|änderungsmitteilung|"
    r"produktänderung|design\s*change|site\s*change|material\s*change|die\s*revision|assembly\s*site",
    re.I,
)


_FIELD_LINE = re.compile(r"^[^:：]{1,40}(?<!\d)[:：]\s*\S")
_NO_HEADING = re.compile(r"\.$|[|\t]|\S {3,}\S")
_TYPE_FIELD = re.compile(
    r"(?:^|[ \t]{2,}|\t|\|)[ \t]*(?:\d+(?:\.\d+)*[ \t]*)?(?:change|pcn|pdn|notice|notification)?[ \t]*"
    r"(?:type|category|kind)[ \t]*(?:of[ \t]*change)?[ \t]*[:：]?[ \t]*(?P<value>[^\n|]{2,40})",
    re.I | re.M,
)


def read_type(text: str, subject: str | None, has_ltb: bool) -> tuple[NoticeType | None, bool]:
    """Discontinuance, NRND or change, and whether the letter says so: the title decides when it can,
    then a type field, then the body.

    In a title, NRND wins, then explicit discontinuance words (many makers call every
    notice a "PCN"), then change words. In the body, words of one kind alone decide;
    with both, the more frequent wins — so a change notice that mentions a last order
    date for its current material stays a change — but that is a guess, not a statement.
    """
    # the subject and the heading lines on top: a field there names its label, not the notice ("PDN
    # Number: …"), the letter's first sentence gives a reason ("Due to supplier obsolescence …") and a
    # table's header row names a column ("Products to be discontinued | Package")
    top = text.splitlines()[:8]
    heads = [x for x in top if not (_FIELD_LINE.match(x) or _NO_HEADING.search(x.rstrip()))]
    title = (subject or "") + "\n" + "\n".join(heads)
    if _NRND.search(title) or _NRND.search("\n".join(top)):  # "Product Status Change: NRND" is a title
        return NoticeType.NRND, True
    if _DISC.search(title):
        return NoticeType.DISCONTINUANCE, True
    for m in _TYPE_FIELD.finditer(text):  # "PCN Type: END OF LIFE", "PCN Category 06 EOL"
        value = m.group("value")
        if _NRND.search(value):
            return NoticeType.NRND, True
        if _DISC.search(value):
            return NoticeType.DISCONTINUANCE, True
    if _CHANGE.search(title):
        return NoticeType.CHANGE, True
    nrnd, disc, change = (len(rx.findall(text)) for rx in (_NRND, _DISC, _CHANGE))
    if nrnd and not disc:
        return NoticeType.NRND, True
    if disc or change:
        # words of both kinds, close in number: a guess ("3 to 1" or more is the letter's own weight)
        return (NoticeType.DISCONTINUANCE if disc > change else NoticeType.CHANGE), max(
            disc, change
        ) >= 3 * min(disc, change)
    return (NoticeType.DISCONTINUANCE if has_ltb else None), True


# -- replacements -------------------------------------------------------------------------
REPLACEMENT_LABEL = re.compile(
    r"(?:recommended\s*)?(?:replacement|substitute|successor|alternative)(?:\s*(?:part|item|product|device))?"
    r"(?:\s*(?:number|no\.?|#))?\s*[:：]|代替(?:製品|品)\s*[:：]|替代(?:產品|产品|品|方案|料[號号]|型[號号])?\s*[:：为為]|"
    r"推[荐薦](?:替代)?(?:型[號号]|料[號号]|產品|产品)?\s*[:：]|nachfolge(?:typ|produkt)?\s*[:：]|ersatz(?:typ)?\s*[:：]",
    re.I,
)


def replacement_offers(text: str) -> list[str]:
    """The parts a replacement field offers ("Replacement: X", "代替製品：MCX314As／MCX514"), in order."""
    out: list[str] = []
    for m in REPLACEMENT_LABEL.finditer(text):
        line = text[m.end() : text.find("\n", m.end()) if "\n" in text[m.end() :] else len(text)]
        line = re.sub(r"(?<=\w)/(?=[A-Z]{2,}\d)", " / ", line)  # "MCX314As/MCX514": alternatives
        out += [t for t in tokens_in_line(line) if t not in out]
    return out
