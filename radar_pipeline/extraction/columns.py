"""Which column of a table holds the affected parts: header words and column roles.

A notice's table mixes several part-number-shaped columns: the maker's orderable
part, the recommended replacement, the customer's own number, a distributor's
item, an internal code, a qualification vehicle. Only the first is affected and
only the second is its replacement. Headers are read in English, German, French,
Chinese and Japanese, after dropping section numbers and every space
(``find_tables`` returns "CurrentPartNumber" and "10.1.1 Customer Part No" alike).

Roles, strongest evidence first:
- *other*: customer, distributor, internal, package, qualification, description,
  quantity and date columns — never parts, even when they say "part number";
- *replacement*: replacement, successor, substitute, new part, 替代, 後継…;
- *part*: ranked by how surely the words mean "the maker's orderable part";
  every column of the best rank is a part column (side-by-side blocks repeat it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from radar_pipeline.extraction.parts import part_cell_tokens

# (pattern on the compact header, rank): the highest rank present marks the part columns
PART_HEADERS: list[tuple[str, int]] = [
    (r"public(external)?(pn|partn|partnumber)|publicproducts?$", 12),
    (
        r"orderable|^mpn$|manufacturer'?s?(part|pn)|mfrs?(part|pn)|mfg(part|pn)|vendor(pn|item|part)|"
        r"pcnitem|makerpart|supplierpart|oempart",
        10,
    ),
    (
        r"^(affected|discontinued|obsolete|old|current|existing|eol|impacted|concerned|deleted)"
        r"[a-z]{0,12}(part|device|product|pn|mpn|ordering|item|type|model|code)",
        9,
    ),
    (
        r"^(part|p/?n|pn)(number|no|nr|#|num|id)?$|partnumber|partno|part#|ordering(code|number|part)|"
        r"ordercode|ordernumber|catalog(ue)?(number|no)|commercialproduct|ourproduct|productlist|"
        r"teilenummer|artikelnummer|bestell(nummer|bezeichnung|code)|sachnummer|typ(en)?bezeichnung|"
        r"betroffene(teile|produkte|typen)|référence|reference(produit|commerciale)|numérodepièce|"
        r"型号|型號|料号|料號|品番|型番|形名|製品名|产品型号|產品型號|物料编[号码]|零件[号號]|品名",
        8,
    ),
    # a type number or designation names the product beside its ordering code ("GNM-7Q-0-10" beside
    # "GNM-7Q-0"): a part column, read where no ordering code stands
    (
        r"^(material|device|product|part|sales|model|item)(name|number|no|id)$|^type(number|no|nr|#|designation)$|"
        r"^typ(en)?(nummer|nr)$",
        6,
    ),
    (
        r"^(device|devices|product|products|part|parts|type|typ|material|item|bauteil|produkt|model|modell|produit)$",
        5,
    ),
]
REPLACEMENT = (
    r"replac|successor|substitut|alternat|migrat|recommend|suggest|^new|^modified|^to$|nachfolge|ersatz|"
    r"pintopin|^p2p|dropin|"
    r"empfohlen|remplacement|equivalent|crossref|替代|替换|替換|代替|後継|推奨|推荐|新料号|新型号"
)
NOT_PART = (
    r"customer|^cust|cpn|kunde|client|^your(?!affected|discontinued|impacted|obsolete)|yourpart|siteitem|bpcode|internal|^wtpn|ztitem|^itemno|^item#|distribut|disti|"
    r"avnet|arrow|wpi|kithead|descr|package|packag|^pkg|^pckg|qty|quantity|date|datum|price|status|comment|remark|note|"
    r"leadtime|moq|spq|marking|rohs|reason|grade|temperature|^pins?$|family|qualif|vehicle|sample|changefrom|"
    r"changeto|^bom|^from$|^site|location|plant|^lot|lot#|lotno|lotnumber|diffusion|^assy|rawline|datecode|dept|department|salescode|region|contact|email|客户|客戶|顧客|お客様|描述|說明|说明|备注|備註|封装|封裝|数量|數量"
)
DISTRIBUTOR = r"avnet|arrow|^wpi|distribut|disti|^wtpn|ztitem|futurepart|mouser|digikey|rspart|farnell"
LTB = r"last(time)?-?(buy|order)|^ltb|finalorder|letzte[rs]?bestell|最終.*発注|最后订货|最終訂貨|最终订货"
LTS = (
    r"last(time)?-?ship|^lts|finalship|lastdeliver|finaldeliver|letzte[rs]?liefer|最終出荷|最后发货|最終出貨"
)


def compact(cell: str) -> str:
    """Header text as matched: NFKC, lower case, no section numbers, no spaces or punctuation but # and /."""
    text = unicodedata.normalize("NFKC", cell).lower()
    text = re.sub(r"^\s*\d+(?:\.\d+)*\.?\s*", "", text)
    return re.sub(r"[\s_().:\-'\"]+", "", text)


# Header meaning by words in any order: a lifecycle word and a part noun make an affected-parts column
# ("Devices being discontinued", "Products affected", "Device to be Discontinued", "Betroffene Typen").
LIFECYCLE_WORD = (
    r"discontinu|obsolet|affected|impacted|concerned|eol|endoflife|lastbuy|retir|withdraw|phaseout|deleted|"
    r"abgek[üu]ndigt|abk[üu]ndig|betroffen|auslauf|concern[ée]|obsol[èe]te|arr[êe]t|"
    r"停产|停產|影响|影響|受影|涉及|対象|該当|生産終了|製造中止|廃止|終息"
)
PART_NOUN = (
    r"part|device|product|pn$|p/n|mpn|type|item|model|component|material|ordering|code|sku|series|"
    r"bauteil|teil|produkt|typ|artikel|produit|r[ée]f[ée]rence|composant|"
    r"型号|型號|料号|料號|品番|型番|形名|製品|产品|產品|器件|部品"
)

# ... but a title is no header: "Product Discontinuance Notice" names the document, not a column
TITLE_WORD = r"notice|notification|announce|letter|information|bulletin|advisory|通知|公告|お知らせ"


# "The products below are discontinued.": a sentence above a table names no column
SENTENCE = re.compile(r"^\S+(?:\s+\S+){3,}[.!]$")


def _rank(header: str) -> int:
    for pattern, rank in PART_HEADERS:
        if re.search(pattern, header):
            return rank
    if (
        re.search(LIFECYCLE_WORD, header)
        and re.search(PART_NOUN, header)
        and not re.search(TITLE_WORD, header)
        and len(header) <= 40
    ):
        return 9
    return 0


def header_role(cell: str) -> str:
    """What a header cell says its column holds: "affected", "replacement", "other" or "" (no idea)."""
    c = compact(cell)
    if not c or len(c) > 60 or SENTENCE.match(cell.strip()):
        return ""
    if re.search(REPLACEMENT, c) and not re.search(NOT_PART, c):
        return "replacement"
    if re.search(NOT_PART, c) or re.search(DISTRIBUTOR, c) or re.search(LTB, c) or re.search(LTS, c):
        return "other"
    return "affected" if _rank(c) else ""


@dataclass
class Columns:
    parts: list[int]
    rank: int = 0
    replacement_of: dict[int, int] = field(default_factory=dict)  # part column -> its replacement column
    ltb: int | None = None
    lts: int | None = None
    width: int = 0
    distributor: int | None = None  # a distributor's own item numbers ("ADV" + MPN): teach its prefix

    @property
    def part(self) -> int:
        return self.parts[0]


def _parent_of(parent: list[str] | None, index: int) -> str:
    """The group heading above a column: the nearest filled cell at or left of it ("Current" | "New")."""
    if not parent:
        return ""
    for i in range(min(index, len(parent) - 1), -1, -1):
        if parent[i].strip():
            return compact(parent[i])
    return ""


def header_columns(
    row: list[str], parent: list[str] | None = None, body: list[list[str]] | None = None
) -> Columns | None:
    """The roles of a header row's columns, or ``None`` if the row is no parts header. With the rows
    under it (``body``), a part column with no part under it gives way to one that has parts (a
    status column "discontinuation type" beside "Part No.")."""
    ranks: dict[int, int] = {}
    replacements: list[int] = []
    ltb = lts = distributor = None
    for i, cell in enumerate(row):
        c = compact(cell)
        if not c or len(c) > 50 or "....." in cell or SENTENCE.match(cell.strip()):
            continue  # a table of contents line or a sentence, not a header
        group = _parent_of(parent, i)
        if re.search(REPLACEMENT, c) or re.search(r"^new|replac|after|neu", group):
            if not re.search(NOT_PART, c):
                replacements.append(i)
            continue
        if re.search(LTB, c):
            ltb = i
            continue
        if re.search(LTS, c):
            lts = i
            continue
        if re.search(DISTRIBUTOR, c):
            distributor = i
            continue
        if re.search(NOT_PART, c) or re.search(r"customer|^cust|客户|客戶", group):
            continue
        rank = _rank(c)
        if rank:
            ranks[i] = rank
    if not ranks:
        return None
    if body:
        filled = {i: r for i, r in ranks.items() if any(i < len(b) and part_cell_tokens(b[i]) for b in body)}
        ranks = filled or ranks
    best = max(ranks.values())
    parts = sorted(i for i, r in ranks.items() if r == best)
    replacement_of = {}
    for n, p in enumerate(parts):
        nxt = parts[n + 1] if n + 1 < len(parts) else len(row)
        mine = [r for r in replacements if p < r < nxt]
        if mine:
            replacement_of[p] = mine[0]
        elif len(replacements) == 1 and len(parts) == 1:
            replacement_of[p] = replacements[0]
    return Columns(parts, best, replacement_of, ltb, lts, len(row), distributor)


# A list's label: the words that lead into a list (or a grid) of the affected parts ("Affected parts:",
# "Product Identification:", "対象製品：")
LIST_LABEL = re.compile(
    r"(?:affected|discontinued|obsolete|impacted|concerned)\s*(?:part|product|device|ordering|item|type|material)s?|"
    r"(?:part|product|device)s?\s*(?:affected|concerned|impacted)|(?:following|these)\s*(?:part|product|device|item|type)s?|"
    r"part\s*numbers?|list\s*of\s*(?:affected\s*)?(?:part|product|device)s?|ordering\s*codes?|"
    r"betroffene\s*(?:teile|produkte|typen|artikel|bauteile)|folgende[n]?\s*(?:teile|produkte|typen|artikel)|"
    r"produits\s*concernés|product\s*identification|(?:public\s*)?products?\s*list|materials?\s*list|"
    r"(?:part|product|device)s?(?:/\w+)?\s*affected|impacted\s*by\s*the\s*change|commercial\s*part\s*numbers|"
    r"対象(?:製品|品|型番|機種)|停[產产](?:產品|产品|型號|型号)|受影[響响](?:料[號号]|型[號号]|產品|产品)|"
    r"影[響响]料[號号]|涉及(?:型号|料号|產品|产品)|betroffene\s*(?:produkte|artikel)",
    re.I,
)
