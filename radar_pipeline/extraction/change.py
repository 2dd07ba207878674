"""What a change notice changes, and by when to object (J-STD-046, the ZVEI PCN guideline).

A change notice says what kind of change it is (design, wafer fab, assembly, test, material,
packing/labelling, datasheet, ordering code), whether form, fit or function is affected, when
changed product first ships, when samples are there, and how long the customer has to object
before the change counts as accepted (commonly 30 or 90 days). Forms carry these as labelled
fields ("Change Type:", "Implementation Date:", "Änderungsart:"), as ticked check-boxes
("[X] Assembly site"), in label/value rows of a distributor's summary, or in sentences
("Lack of acknowledgement within 30 days constitutes acceptance"). The words below are the
trade's vocabulary in English, German, Chinese and Japanese — none is one maker's.

Order of trust for the categories: a labelled change-type field or ticked boxes, then the
notice's title and its description of the change; a sentence that says something does not
change ("no change to the datasheet") names nothing.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from radar_pipeline.documents.model import Document
from radar_pipeline.extraction.dates import MONTHS, find_dates
from radar_pipeline.notices.model import Change, Notice, NoticeType

# -- what changed --------------------------------------------------------------------------------
# Phrases that name a change category in running text: specific enough to stand alone.
CATEGORY_WORDS: dict[str, str] = {
    "design": r"design\s*(?:change|update|revision|modification)|die\s*(?:revision|shrink|redesign|design\s*change)|"
    r"(?:new|revised)\s*die\b|firmware|boot\s*-?loader|hardware\s*(?:change|revision|update)|"
    r"software\s*(?:change|update|revision)|mask\s*(?:change|revision)|circuit\s*(?:change|modification)|"
    r"layout\s*change|design\s*and\s*(?:fab|wafer)|Designänderung|Schaltungsänderung|Chipänderung|"
    r"设计变更|設計變更|設計変更|ファームウェア",
    "wafer_fab": r"wafer\s*fab\w*|\bfab\s*(?:site|transfer|location|process|source|port\w*|change|move)|"
    r"(?:additional|alternate|alternative|new|second|qualif\w+)\s*(?:wafer\s*)?(?:fab|foundry)\b|wafer\s*(?:factory|plant)|"
    r"front[\s-]*end\s*(?:site|source|manufactur\w*|location)|wafer\s*(?:foundry|process\w*|source|"
    r"manufactur\w*|technolog\w*)|diffusion\s*(?:site|plant|location|fab)|Waferfertigung|Wafer-Fab|"
    r"Halbleiterwerk|Frontend-Standort|晶圆厂|晶圓廠|晶圆制造|晶圓製造|晶圆代工|前工程|ウ[ェエ]ハ(?:ー)?(?:工場|製造)",
    "assembly": r"assembly\s*(?:site|location|process|line|house|subcontractor|facility|factory|plant|source)|"
    r"(?:additional|alternate|alternative|new|second)\s*assembly|assemble[ds]?\s*(?:and|&|/)\s*test|"
    r"assembly\s*(?:and|&|/)\s*test|back[\s-]*end\s*(?:site|source|process|manufactur\w*|location)|"
    r"(?:wire\s*)?bond(?:ing)?\s*process|die\s*attach\s*process|Montagestandort|Assemblierung|Montagewerk|Backend-Standort|封装厂|封裝廠|封装地|封裝地|组装厂|組立(?:工場|拠点)|後工程",
    "test": r"test\s*(?:site|location|facility|process|flow|house|plant|source)|final\s*test\s*(?:site|location)|"
    r"probe\s*(?:site|test\w*)|assembl\w*\s*(?:and|&|/)\s*test|backgrind|Teststandort|Prüfstandort|Endtest|"
    r"测试厂|測試廠|测试地|測試地|テスト(?:工場|拠点)|検査工程",
    "material": r"mold(?:ing)?\s*compound|moulding\s*compound|lead\s*-?frames?|die\s*attach|bond(?:ing)?\s*wires?|"
    r"\b(?:cu|copper|gold|au|cupd)\s*wires?\b|wire\s*material|(?:assembly|packaging|package)\s*materials?|material\s*change|"
    r"change\s*(?:of|in)\s*(?:the\s*)?material|plating|PCB\s*(?:supplier|vendor|material|laminate)|substrate\s*material|Vergussmasse|Pressmasse|"
    r"Leiterrahmen|Bonddraht|Materialänderung|塑封料|引线框架|引線框架|键合线|鍵合線|材料变更|材料變更|"
    r"モールド樹脂|リードフレーム|材料変更",
    "packing": r"packing|tape\s*(?:and|&)\s*reel|\breels?\b|reel\s*size|\btrays?\b|\blabel(?:l?ing|s)?\b|carrier\s*tape|"
    r"dry\s*pack|shipping\s*(?:media|container|box)|box\s*(?:artwork|label)|artwork|top\s*mark\w*|Verpackung|Etikett\w*|Gurtung|包装变更|"
    r"包裝變更|标签|標籤|卷盘|梱包|ラベル|リール",
    "datasheet": r"data\s*-?sheets?\s*(?:change|update|revision|correction)|(?:update|revision|correction|change)s?\s*"
    r"(?:of|to|in)\s*(?:the\s*)?data\s*-?sheets?|errata|datasheet\s*addendum|specification\s*(?:change|update)|"
    r"Datenblatt\w*|数据手册|數據手冊|规格书|規格書|データシート",
    "ordering": r"(?:ordering\s*(?:code|part\s*number)|part\s*number|product\s*name)s?\s*change|"
    r"new\s*(?:ordering\s*)?part\s*numbers?|Bestellnummer\w*|Bestellbezeichnung\w*|订货号|訂貨號|型番変更|品番変更",
}
# Bare words that name a category once a field says the value is a change type ("Change Type: Assembly").
FIELD_WORDS: dict[str, str] = {
    "design": r"\bdesign\b|\bdie\b|firmware|hardware|software|boot\s*-?loader|Design|设计|設計",
    "wafer_fab": r"\bfab\b|wafer|front[\s-]*end|foundry|diffusion|晶圆|晶圓|ウ[ェエ]ハ",
    "assembly": r"assembly|assembl|back[\s-]*end|bumping|Montage|封装|封裝|组装|組立",
    "test": r"\btest|probe|Prüf|测试|測試|テスト",
    "material": r"material|compound|lead\s*-?frame|wire|plating|Material|材料",
    "packing": r"packing|packaging\s*media|label|reel|tray|shipping|Verpackung|包装|包裝|梱包",
    "datasheet": r"data\s*-?sheet|specification|errata|Datenblatt|规格|規格|データシート",
    "ordering": r"ordering|part\s*number|Bestell|订货|型番",
}
_CATEGORY = {k: re.compile(v, re.I) for k, v in CATEGORY_WORDS.items()}
_FIELD_CATEGORY = {k: re.compile(v, re.I) for k, v in FIELD_WORDS.items()}
# ZVEI "Delta Qualification Matrix" change codes, where forms print them ("SEM-PW-01"): area -> category.
ZVEI_CODE = re.compile(r"\bSEM-(?P<area>DE|DS|PW|PA|TF)-\d{2}\b")
ZVEI_AREAS = {"DE": "design", "DS": "datasheet", "PW": "wafer_fab", "PA": "assembly", "TF": "test"}

CHANGE_TYPE_LABEL = re.compile(
    r"(?:PCN\s*)?change\s*(?:type|categor(?:y|ies)|classification)|PCN\s*(?:categor(?:y|ies)|type)|type\s*of\s*change|kind\s*of\s*change|^\s*type\s*[:：]|"
    r"Änderungsart|Art\s*der\s*Änderung|变更类型|變更類型|变更类别|變更類別|変更(?:種別|区分|分類)",
    re.I,
)
TITLE_LABEL = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s*)?(?:title|subject|PCN\s*title|change\s*title|Betreff|Titel|标题|標題|件名)\s*[:：]?",
    re.I,
)
DESCRIPTION_HEAD = re.compile(
    r"(?:description|summary)\s*of\s*(?:the\s*)?change|change\s*description|"
    r"changes?\s*to\s*(?:the\s*)?product\s*identification|change\s*desc\.|details?\s*of\s*(?:the\s*)?change|^\s*description\s*[:：]|"
    r"Beschreibung\s*der\s*Änderung|Änderungsbeschreibung|变更内容|變更內容|变更描述|変更内容|変更の内容",
    re.I,
)
SECTION_STOP = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s*)?(?:reason|qualification|qual\s*data|reliability|products?\s*affected|affected|"
    r"impact|customer\s*benefit|marking|traceability|disclaimer|attachments?|Grund|Auswirkung|变更原因|理由)",
    re.I,
)
TICKED = re.compile(
    r"(?:\[\s*[xX✓✔]\s*\]|\(\s*[xX]\s*\)|[☒☑✅■✔✓]|^\s*[xX]\s)\s*(?P<item>[^\[\]☒☐☑□■✔✓]{2,60})"
)
HAS_BOXES = re.compile(r"\[\s*\]|[☐□]")
# A letter's sentence about its change ("Due to the closure of a wafer fab line, the products … will be
# changed", "Assembly moves to …"): what it names is the change, not a table's or a report's word.
CHANGE_SENTENCE = re.compile(
    r"^(?!.*[|\t]).*(?:\bdue\s+to\b|\bwill\s+be\s+(?:changed|moved|transferred|qualified)|\bchang(?:e|es|ed|ing)\b|"
    r"\btransfer\w*|\bmov(?:e|es|ed|ing)\b|\bmigrat\w*|\bconvert\w*|\bqualif(?:y|ied|ying|ication\s+of)\b|"
    r"\badd(?:s|ed|ing)?\b|\breleas(?:e|es|ed|ing)\b|aufgrund|wegen|Freigabe|由于|由於|のため)",
    re.I,
)
# A notice that the change another notice announced is now implemented ("Notification of Change
# Implementation on PCN CN-202602035F", "Umsetzung der PCN …"): what changes is that notice's, and when
# this one does not say it, its kind is "other" (a person reads the earlier notice for the risk).
IMPLEMENTS = re.compile(
    r"\b(?:implementation|implemented|Umsetzung|umgesetzt)\b[^.\n]{0,40}?"
    r"\b(?:PCN|PDN|CN|notice|notification|Mitteilung)\s*(?:no\.?|nr\.?|#)?\s*[:：]?\s*(?P<number>[A-Z0-9][\w\-/.]*\d[\w\-/.]*)",
    re.I,
)
NEGATED = re.compile(
    r"\bno\s+(?:change|impact|modification)|\bnot\s+(?:be\s+)?(?:change|affect|impact)|unchanged|"
    r"remains?\s+(?:the\s+same|unchanged)|will\s+remain|no\s+anticipated|keine\s+Änderung|unverändert|"
    r"不变|不變|無變更|无变更|変更(?:は)?(?:なし|ありません)",
    re.I,
)
LAST_ORDER = re.compile(
    r"last\s*(?:time\s*)?(?:buy|order)\s*date|\bLTB\b|letzte[rn]?\s*(?:Bestell|Kauf)|最后订购|最終(?:注文|受注)",
    re.I,
)

# -- form, fit, function ---------------------------------------------------------------------------
FFF_NONE = re.compile(
    r"no\s+(?:change|impact|effect)\s+(?:(?:to|on|in)\s+(?:the\s+)?)?(?:product\s*)?form\s*,?\s*fit|"
    r"form\s*,?\s*fit\s*(?:,|and|&|or)?\s*function[^.\n]{0,60}(?:no\s+change|unchanged|not\s+(?:be\s+)?affected|"
    r"remains?)|Form,?\s*Passform\s*(?:und|,)\s*Funktion[^.\n]{0,40}unverändert|外形、?尺寸和功能不变",
    re.I,
)
FFF_CHANGING = re.compile(
    r"(?P<what>form|fit|function)\s+(?:is|are|will\s+be)\s+(?:chang|affect|impact)|"
    r"(?:impact|effect|change)s?\s+(?:on|to|of)\s+(?:the\s+)?(?P<what2>form|fit|function)\b",
    re.I,
)
FFF_ITEM = re.compile(
    r"^\s*[-•*]?\s*(?P<what>form|fit|function)\s*[:：]\s*(?P<value>[^\n]{1,120})", re.I | re.M
)

# -- dates -----------------------------------------------------------------------------------------
FIRST_SHIP_LABEL = re.compile(
    r"(?:proposed\s*|planned\s*|estimated\s*|expected\s*)?(?:1st|first)\s*ship(?:ment)?\s*(?:date)?|"
    r"(?:product(?:ion)?\s*|start\s*(?:of\s*)?)ship(?:ment)?\s*date|implementation\s*date|"
    r"(?:intended|planned)\s*start\s*of\s*(?:delivery|shipments?|production)|"
    r"(?:planned\s*)?date\s*of\s*(?:change|implementation)|change\s*implementation\s*date|"
    r"Einführungs(?:datum|termin)|Umstellungs(?:datum|termin)|erste\s*Lieferung|Lieferbeginn|"
    r"实施日期|實施日期|首次出货|首次出貨|実施日|切替日|初回出荷",
    re.I,
)
# "effective date" of a notice: the change's date only when no first-shipment date is given
EFFECTIVE_LABEL = re.compile(r"effective\s*date|Wirksamkeitsdatum|gültig\s*ab|生效日期|発効日", re.I)
SAMPLES_LABEL = re.compile(
    r"samples?\s*(?:availab\w*|available)(?:\s*(?:date|schedule))?|(?:qualification\s*)?samples?\s*date|"
    r"Muster\s*verfügbar\w*|Musterverfügbarkeit|样品(?:提供|可用)日期|樣品(?:提供|可用)日期|サンプル(?:提供|出荷)日",
    re.I,
)
RESPONSE_LABEL = re.compile(
    r"(?:customer\s*)?response\s*(?:due\s*)?(?:date|deadline|by)|(?:objection|approval)\s*(?:deadline|due\s*date)|"
    r"acknowledg\w*[^.\n]{0,60}(?:expected|due|required|requested)\s*(?:till|until|by|before)|"
    r"(?:reply|respond|object)\s*(?:no\s*later\s*than|by|before)|(?:concerns?|objections?|comments?)\s*"
    r"(?:before|by|until|no\s*later\s*than)|Einspruchsfrist|Rückmeldung\s*bis|"
    r"Widerspruch\s*bis|回复截止日期|回覆截止日期|回答期限|回答期日",
    re.I,
)
WITHIN_DAYS = re.compile(
    r"(?:within|in)\s*(?:the\s*)?(?:\w+\s*\(\s*)?(?P<n>\d{1,3})\s*\)?\s*(?:calendar\s*)?days|"
    r"innerhalb\s*von\s*(?P<de>\d{1,3})\s*(?:Kalender)?tagen|(?P<zh>\d{1,3})\s*(?:天|日)\s*(?:内|內|以内)",
    re.I,
)
RESPONSE_WORDS = re.compile(
    r"acknowledg|accept|respon|object|reply|approv|must\s*be\s*(?:sent|received|submitted)|Einspruch|Widerspruch|Rückmeldung|akzeptiert|"
    r"接受|回复|回覆|承認|回答|異議",
    re.I,
)
WORKING_DAYS = re.compile(r"working\s*days|business\s*days|Arbeitstag|工作日|営業日", re.I)
LABEL_CELL = re.compile(r"^[^\d:：]{2,60}[:：]$")


def _lines(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).splitlines()


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"\t|\s{2,}|\s\|\s", line)]


# what stands before a notice number that heads a notice's block ("PCN: 36266", "Notification# …")
NUMBER_HEAD = re.compile(
    r"(?:^|PCN|PDN|EOL|PCI|CN|notice|notification|No\.?|Nr\.?|#|番号|编号|編號)\W{0,3}$", re.I
)
WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*", re.I)
LABEL_TAIL = re.compile(r"^[^:：\d]{0,30}[:：]\s*")  # "Proposed First Ship Date| for change:| 03/19/2026"
NUMBERING = re.compile(r"[\s\d.\-•*()]*(?:PCN\s*|PCI\s*)?", re.I)
IMMEDIATE = re.compile(r"^(?:immediate(?:ly)?|with\s*immediate\s*effect|sofort|即日|立即)", re.I)


MONTH_YEAR = re.compile(
    r"^(?P<mon>"
    + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
    + r")\.?\s+(?P<year>(?:19|20)\d{2})(?!\d)",
    re.I,
)


def _date_in(value: str) -> date | None:
    """The date a field's value starts with; "May 2026" is the month (the 1st), not May 20, '26."""
    value = WEEKDAY.sub("", value.strip())
    month_only = MONTH_YEAR.match(value)
    if month_only:
        return date(int(month_only.group("year")), MONTHS[month_only.group("mon").lower()], 1)
    found = find_dates(value[:60])
    return found[0][2] if found and found[0][0] <= 3 else None


def labelled_date(lines: list[str], label: re.Pattern, issued: date | None = None) -> tuple[date | None, str]:
    """The date a label gives: in its own cell, the next cell, or — for a row of labels over a row
    of values — the cell below ("Immediate": the issue date). An empty field gives nothing, never
    the next field's date."""
    for i, line in enumerate(lines):
        cells = _cells(line)
        for j, cell in enumerate(cells):
            m = label.search(cell)
            if not m or not NUMBERING.fullmatch(cell[: m.start()]):
                continue
            rest = LABEL_TAIL.sub("", cell[m.end() :].lstrip(" :：-\u2013"))
            below = next((x for x in lines[i + 1 : i + 3] if x.strip()), "")
            below_cells = _cells(below)
            if IMMEDIATE.match(rest or (cells[j + 1] if j + 1 < len(cells) else "")):
                value = issued
            elif rest:
                value = _date_in(rest)
            elif len(cells) > 1 and all(LABEL_CELL.match(c) for c in cells if c):
                value = _date_in(below_cells[j]) if len(below_cells) == len(cells) else None
            elif j + 1 < len(cells):
                value = _date_in(cells[j + 1])
            elif not any(LABEL_CELL.match(c) or c.endswith(":") for c in below_cells):
                value = _date_in(below.strip())
            else:
                value = None
            if value is None and not rest and re.match(r"(?:date|datum|日期)\s*[:：]", below.strip(), re.I):
                value = _date_in(below_cells[1] if len(below_cells) > 1 else "")  # "1st Ship / Date: …"
            if value is not None:
                return value, line.strip()
    return None, ""


def response_deadline(text: str, lines: list[str], issued: date | None) -> tuple[date | None, str]:
    """An explicit date to object by, else the issue date plus the "within N days" of the acceptance
    clause (calendar days; working days are not counted here)."""
    found, line = labelled_date(lines, RESPONSE_LABEL)
    if found:
        return found, line
    for sentence in _sentences(text):
        if not RESPONSE_WORDS.search(sentence) or not RESPONSE_LABEL.search(sentence):
            continue
        dates = find_dates(sentence)
        if dates:
            return dates[0][2], sentence
    if issued is None:
        return None, ""
    for sentence in _sentences(text):
        m = WITHIN_DAYS.search(sentence)
        if m and RESPONSE_WORDS.search(sentence) and not WORKING_DAYS.search(sentence):
            days = int(m.group("n") or m.group("de") or m.group("zh"))
            if 7 <= days <= 180:
                return issued + timedelta(days=days), sentence
    return None, ""


def _sentences(text: str) -> list[str]:
    flat = re.sub(r"[ \t]*\n[ \t]*(?=[a-z(])", " ", text)  # lines wrapped inside a sentence
    return [s.strip() for s in re.split(r"(?<=[.!?。])\s+|\n{2,}|\n(?=[A-Z0-9•\-])", flat) if s.strip()]


# -- what changed --------------------------------------------------------------------------------
def _from_words(text: str, words: dict[str, re.Pattern]) -> list[str]:
    return [k for k, rx in words.items() if rx.search(text)]


def _field_categories(lines: list[str]) -> tuple[list[str], str]:
    """Categories from a change-type field's value; a field listing the whole vocabulary (a form's
    unticked boxes) says nothing."""
    categories: list[str] = []
    said: list[str] = []
    for i, line in enumerate(lines):
        m = CHANGE_TYPE_LABEL.search(line)
        if not m:
            continue
        if len(_from_words("\n".join(lines[i : i + 8]), _FIELD_CATEGORY)) >= 5 and not TICKED.search(
            "\n".join(lines[i : i + 8])
        ):
            continue  # a form's grid of every change type, its ticks lost with the drawing
        value = line[m.end() :].lstrip(" \t:：-|")
        if not _from_words(value, _FIELD_CATEGORY):  # the value under the label (a row of labels)
            value = next((x for x in lines[i + 1 : i + 3] if x.strip()), "")
        if not value.strip() or LABEL_CELL.match(value.strip()):
            continue
        if HAS_BOXES.search(value) or TICKED.search(value):
            continue  # check-boxes: the ticked ones, on every line, are read as such
        found = list(dict.fromkeys(_from_words(value, _FIELD_CATEGORY) + _from_words(value, _CATEGORY)))
        if 0 < len(found) <= 3:  # a relay repeats the field per part, each with one type: all count
            categories += [c for c in found if c not in categories]
            said.append(line.strip())
    return categories, "; ".join(dict.fromkeys(said))


def _ticked_categories(lines: list[str]) -> tuple[list[str], str]:
    """Ticked items of a block of check-boxes: a row of them, or one per line (an empty box within three
    lines says the ticks are boxes, not bullets)."""
    boxed = [i for i, line in enumerate(lines) if HAS_BOXES.search(line)]
    near = [line for i, line in enumerate(lines) if any(abs(i - b) <= 3 for b in boxed)]
    items = [m.group("item") for line in near for m in TICKED.finditer(line)]
    found = list(
        dict.fromkeys(
            c for item in items for c in _from_words(item, _FIELD_CATEGORY) + _from_words(item, _CATEGORY)
        )
    )
    return found, "; ".join(items[:6])


def _described(lines: list[str]) -> str:
    """The title lines and the description-of-change section (up to the next section)."""
    out = []
    for i, line in enumerate(lines):
        if TITLE_LABEL.match(line):
            out += lines[i : i + 2]  # a title often wraps onto a second line
        if DESCRIPTION_HEAD.search(line):
            out.append(line[DESCRIPTION_HEAD.search(line).end() :])
            for follow in lines[i + 1 : i + 25]:
                if SECTION_STOP.match(follow):
                    break
                out.append(follow)
    return "\n".join(out)


def _text_categories(text: str) -> tuple[list[str], str]:
    found: list[str] = []
    evidence = []
    for sentence in _sentences(text):
        if NEGATED.search(sentence):
            continue
        new = [c for c in _from_words(sentence, _CATEGORY) if c not in found]
        if new:
            found += new
            evidence.append(sentence[:200])
    return found, " ".join(evidence[:3])


def form_fit_function(text: str) -> tuple[list[str], str]:
    """Which of form, fit, function the notice says are affected; [] when it says none or nothing."""
    items = {m.group("what").lower(): m.group("value") for m in FFF_ITEM.finditer(text)}
    if items:
        hit = [
            k
            for k in ("form", "fit", "function")
            if k in items
            and not NEGATED.search(items[k])
            and not re.match(r"\s*(?:no|none|n/?a|-)\b", items[k], re.I)
        ]
        return hit, "; ".join(f"{k}: {v.strip()}" for k, v in items.items())
    hit, said = [], []
    for sentence in _sentences(text):
        for m in FFF_CHANGING.finditer(sentence):
            if not NEGATED.search(sentence[max(0, m.start() - 12) : m.end()]):
                hit.append((m.group("what") or m.group("what2")).lower())
                said.append(sentence[:200])
    if hit:
        return [k for k in ("form", "fit", "function") if k in hit], " ".join(dict.fromkeys(said))
    m = FFF_NONE.search(text)
    return [], (m.group(0) if m else "")


# -- the scope of one notice -------------------------------------------------------------------
def notice_text(doc: Document, notice: Notice, others: list[Notice]) -> str:
    """The stretch of the document about ``notice``: the whole text, or in a digest the parts from
    each mention of its number up to the next mention of another notice's number."""
    text = doc.text
    numbers = {n.notice_number for n in others if n.notice_number != notice.notice_number}
    numbers = {x for x in numbers if not x.startswith("UNNUMBERED-") and x in text}
    if not numbers or notice.notice_number not in text:
        return text
    marks = sorted(
        (_block_start(text, m.start()), x)
        for x in numbers | {notice.notice_number}
        for m in re.finditer(re.escape(x), text)
        if NUMBER_HEAD.search(text[text.rfind("\n", 0, m.start()) + 1 : m.start()])
    )
    if not any(x == notice.notice_number for _, x in marks):
        return text
    spans, start = [], None
    for pos, number in marks:
        if number == notice.notice_number and start is None:
            start = pos
        elif number != notice.notice_number and start is not None:
            spans.append(text[start:pos])
            start = None
    if start is not None:
        spans.append(text[start:])
    head = "\n".join(x for x in (doc.subject or "",) if x)
    return head + "\n" + "\n".join(spans)


BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _block_start(text: str, pos: int) -> int:
    """Where the block of a notice number begins: its paragraph, with a short heading paragraph
    just above it (a digest prints the title over "PCN: n")."""
    breaks = [m for m in BLANK_LINE.finditer(text, 0, pos)]
    if not breaks:
        return 0
    start = breaks[-1].end()
    heading = text[breaks[-2].end() if len(breaks) > 1 else 0 : breaks[-1].start()]
    if heading.strip() and heading.count("\n") <= 2 and ":" not in heading:
        return breaks[-2].end() if len(breaks) > 1 else 0
    return start


def _implemented_notice(text: str, own: str) -> str | None:
    """The line saying this notice implements the change another notice announced, if it says so."""
    own_key = re.sub(r"\W", "", own).upper()
    for m in IMPLEMENTS.finditer(text[:4000]):
        other = re.sub(r"\W", "", m.group("number")).upper()
        if other and own_key not in other and other not in own_key:
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            return text[start : end if end >= 0 else None].strip()
    return None


def read_change(doc: Document, notice: Notice, others: list[Notice] | None = None) -> Change | None:
    """The ``change`` of ``notice`` as the document states it; ``None`` for a notice that states
    nothing about a change (most discontinuances)."""
    text = notice_text(doc, notice, others or [notice])
    lines = _lines(text)
    flat = "\n".join(lines)
    evidence: list[str] = []
    categories, said = _field_categories(lines)
    if not categories:
        categories, said = _ticked_categories(lines)
    zvei = list(ZVEI_CODE.finditer(flat))
    categories += [ZVEI_AREAS[m.group("area")] for m in zvei]
    if zvei:
        said = "; ".join(x for x in (said, "ZVEI " + ", ".join(m.group(0) for m in zvei)) if x)
    if notice.notice_type == NoticeType.CHANGE:
        described, why = _text_categories("\n".join([doc.subject or "", _described(lines)]))
        if not categories and not described:  # a letter with no description section says it in a sentence
            described, why = _text_categories("\n".join(x for x in lines[:60] if CHANGE_SENTENCE.search(x)))
        categories += described
        said = "; ".join(x for x in (said, why) if x)
        if not categories and (earlier := _implemented_notice(text, notice.notice_number)):
            categories, said = ["other"], earlier
    if said:
        evidence.append(said)
    if notice.notice_type == NoticeType.CHANGE and (
        notice.last_time_buy_date or labelled_date(lines, LAST_ORDER)[0]
    ):
        categories.append("discontinuance")  # current material ends: a last order date inside a change
    if notice.notice_type == NoticeType.DISCONTINUANCE:
        categories = ["discontinuance"]
    fff, fff_said = form_fit_function(flat)
    effective, eff_said = labelled_date(lines, FIRST_SHIP_LABEL, notice.issue_date)
    if effective is None:
        effective, eff_said = labelled_date(lines, EFFECTIVE_LABEL, notice.issue_date)
    samples, samples_said = labelled_date(lines, SAMPLES_LABEL)
    deadline, deadline_said = response_deadline(flat, lines, notice.issue_date)
    evidence += [x for x in (fff_said, eff_said, samples_said, deadline_said) if x]
    if notice.notice_type != NoticeType.CHANGE and not (effective or deadline or fff):
        return None
    return Change(
        categories=list(dict.fromkeys(categories)),
        form_fit_function=fff,
        effective_date=effective,
        response_deadline=deadline,
        samples_date=samples,
        evidence=" | ".join(dict.fromkeys(e.strip()[:300] for e in evidence))[:2000],
    )


# A change notice whose text has no change-type field, no ticked box, no title or description of the
# change and no sentence naming one ("… will be changed due to a portfolio consolidation"): nothing was
# left unread, the letter is silent; a person settles what changes (a decision, not a doubt).
UNSTATED = "the notice does not say what changes"


# What a title says when it only names the kind of notice ("Subject: Product Change Notification PCN26850")
NOTICE_KIND_WORDS = re.compile(
    r"\b(?:product|process|customer|final|change|notice|notification|information|PCN|PDN|FPCN|RE|FW|AW|no|"
    r"number)\b\.?|\S*\d\S*|[^\w\s]|_",
    re.I,
)


def _states_the_change(doc: Document, notice: Notice, others: list[Notice]) -> bool:
    lines = _lines(notice_text(doc, notice, others))
    said = [
        x for x in _described(lines).splitlines() if NOTICE_KIND_WORDS.sub("", TITLE_LABEL.sub("", x)).strip()
    ]
    return bool(said) or any(CHANGE_TYPE_LABEL.search(x) or HAS_BOXES.search(x) for x in lines)


def attach_changes(doc: Document, notices: list[Notice]) -> None:
    """Set each notice's ``change`` from the document (provider notices keep what they carry)."""
    for notice in notices:
        if notice.change is None:
            notice.change = read_change(doc, notice, notices)
            if (
                notice.notice_type == NoticeType.CHANGE
                and not (notice.change and notice.change.categories)
                and not _states_the_change(doc, notice, notices)
            ):
                notice.warnings.append(UNSTATED)
