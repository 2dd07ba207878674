"""Product change notices (J-STD-046 / ZVEI) as makers send them, in English and German.

Two layouts carry the change-type vocabulary: a plain-text form with check-boxes (the ticked
box is the change type) and an HTML mail with a key/value table ("Change type | …"). A PDF
form carries the demo's fab transfer with its 90-day objection window. Dates are given by the
caller, so the demo can place them around today and the tests at fixed days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from radar_pipeline.demo.corpus import Sample, Truth, _email

# How a change-type field names each category, in English and German.
CATEGORY_WORDING = {
    "design": ("Design change (new die revision)", "Designänderung (neue Chip-Revision)"),
    "wafer_fab": ("Wafer fab transfer", "Verlagerung der Waferfertigung"),
    "assembly": ("Additional assembly site", "Neuer Montagestandort"),
    "test": ("New final test site", "Neuer Teststandort"),
    "material": ("Mold compound change", "Änderung der Vergussmasse"),
    "packing": ("Tape and reel packing change", "Änderung der Verpackung (Gurtung)"),
    "datasheet": ("Datasheet update", "Datenblattänderung"),
    "ordering": ("Ordering code change", "Änderung der Bestellnummer"),
}


@dataclass(frozen=True)
class Wording:
    """The words of one language's change form."""

    title: str
    number: str
    issued: str
    change_type: str
    description: str
    first_ship: str
    samples: str
    fff_none: str
    acceptance: str  # "{days}": the response period
    parts: str
    date_format: str


ENGLISH = Wording(
    "Product Change Notification",
    "PCN No.",
    "Issue date",
    "Change type",
    "Description of change",
    "Implementation date",
    "Samples available",
    "There is no change in form, fit or function.",
    "Lack of acknowledgement of this PCN within {days} days constitutes acceptance of the change.",
    "Affected parts",
    "%Y-%m-%d",
)
GERMAN = Wording(
    "Produktänderungsmitteilung",
    "PCN Nr.",
    "Ausgabedatum",
    "Änderungsart",
    "Beschreibung der Änderung",
    "Einführungsdatum",
    "Muster verfügbar",
    "Form, Passform und Funktion bleiben unverändert.",
    "Erfolgt innerhalb von {days} Tagen kein Einspruch, gilt die Änderung als akzeptiert.",
    "Betroffene Teile",
    "%d.%m.%Y",
)


@dataclass(frozen=True)
class ChangeForm:
    """One change notice's content, written in either layout."""

    number: str
    maker: str
    sender: str
    category: str
    parts: tuple[str, ...]
    issued: date
    days: int = 90  # the response period
    german: bool = False

    @property
    def words(self) -> Wording:
        return GERMAN if self.german else ENGLISH

    def day(self, d: date) -> str:
        return d.strftime(self.words.date_format)

    @property
    def first_ship(self) -> date:
        return self.issued + timedelta(days=self.days + 30)

    @property
    def samples(self) -> date:
        return self.issued + timedelta(days=14)

    def change(self) -> dict:
        """The ``change`` object a careful reader takes from it (CONTRACT §4)."""
        return {
            "categories": [self.category],
            "form_fit_function": [],
            "effective_date": self.first_ship.isoformat(),
            "response_deadline": (self.issued + timedelta(days=self.days)).isoformat(),
            "samples_date": self.samples.isoformat(),
        }

    def truth(self) -> Truth:
        return Truth(
            self.number,
            self.maker,
            "change",
            self.issued.isoformat(),
            None,
            None,
            [(p, None) for p in self.parts],
            change=self.change(),
        )

    def fields(self) -> list[tuple[str, str]]:
        w = self.words
        return [
            (w.number, self.number),
            (w.issued, self.day(self.issued)),
            (w.change_type, CATEGORY_WORDING[self.category][self.german]),
            (w.description, CATEGORY_WORDING[self.category][self.german] + "."),
            (w.first_ship, self.day(self.first_ship)),
            (w.samples, self.day(self.samples)),
        ]


def checkbox_mail(form: ChangeForm) -> Sample:
    """Layout 1: a plain-text form; every change type has a box, the one that applies is ticked."""
    w = form.words
    boxes = [
        f"  [{'X' if key == form.category else ' '}] {CATEGORY_WORDING[key][form.german].split(' (')[0]}"
        for key in CATEGORY_WORDING
    ]
    fields = dict(form.fields())
    body = "\n".join(
        [
            f"{form.maker}",
            w.title,
            "",
            f"{w.number}: {form.number}",
            f"{w.issued}: {fields[w.issued]}",
            "",
            f"{w.change_type}:",
            *boxes,
            "",
            f"{w.description}:",
            f"  {fields[w.description]}",
            "",
            w.fff_none,
            f"{w.first_ship}: {fields[w.first_ship]}",
            f"{w.samples}: {fields[w.samples]}",
            "",
            w.acceptance.format(days=form.days),
            "",
            f"{w.parts}:",
            *(f"  {p}" for p in form.parts),
        ]
    )
    data = _email(
        form.sender, f"{w.title} {form.number}", body + "\n", msg_id=f"{form.number.lower()}-text@pcn.example"
    )
    return Sample(f"change_{form.category}_{'de' if form.german else 'en'}.eml", data, [form.truth()])


def table_mail(form: ChangeForm) -> Sample:
    """Layout 2: an HTML-only mail whose fields are a key/value table and whose parts are a list."""
    w = form.words
    rows = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in form.fields())
    html = (
        f"<html><body><h2>{escape(form.maker)} {escape(w.title)}</h2><table border=1>{rows}</table>"
        f"<p>{escape(w.fff_none)}</p><p>{escape(w.acceptance.format(days=form.days))}</p>"
        f"<p>{escape(w.parts)}:</p><ul>"
        + "".join(f"<li>{escape(p)}</li>" for p in form.parts)
        + "</ul></body></html>"
    )
    data = _email(
        form.sender,
        f"{w.title} {form.number}",
        None,
        html=html,
        msg_id=f"{form.number.lower()}-html@pcn.example",
    )
    return Sample(f"change_{form.category}_{'de' if form.german else 'en'}.html.eml", data, [form.truth()])


def vocabulary_samples(issued: date) -> list[Sample]:
    """Every change category in English and German, in both layouts: 32 notices."""
    out = []
    for i, category in enumerate(CATEGORY_WORDING):
        for german in (False, True):
            form = ChangeForm(
                f"PCN-{26100 + 2 * i + german}",
                "Infineon Technologies" if german else "Texas Instruments",
                "PCN <pcn@infineon.com>" if german else "PCN <pcn@ti.com>",
                category,
                ("BSS138NH6327XTSA2",) if german else ("TPS7A4501DCQR",),
                issued,
                days=30 if german else 90,
                german=german,
            )
            out += [checkbox_mail(form), table_mail(form)]
    return out


def fab_transfer_pdf(issued: date) -> Sample:
    """The demo's fab transfer: a PDF form with a 90-day objection window."""
    from radar_pipeline.demo.layouts import PDF, _form_pdf, _paragraphs

    form = ChangeForm(
        "FPCN26117X",
        "onsemi",
        "onsemi PCN <pcn@onsemi.com>",
        "wafer_fab",
        ("NCP1117ST33T3G",),
        issued,
        days=90,
    )
    pdf = _form_pdf(f"onsemi {form.words.title}", form.fields(), (60, 120))
    _paragraphs(
        pdf,
        [
            "Wafer fab transfer from the 6-inch line to the 8-inch line; the die and its process are unchanged.",
            form.words.fff_none,
            form.words.acceptance.format(days=form.days),
            f"{form.words.parts}: {', '.join(form.parts)}",
        ],
    )
    data = _email(
        form.sender,
        f"Final Product/Process Change Notification {form.number}",
        "Please find the change notification attached.\n",
        attachments=[(f"{form.number}.pdf", bytes(pdf.output()), *PDF)],
        msg_id="fpcn26117x@onsemi.com",
    )
    return Sample("onsemi_fab_transfer.eml", data, [form.truth()], "fab transfer, 90-day window")


def packing_change(issued: date) -> Sample:
    """The demo's packing change: new reels, a check-box form, 30 days to object."""
    form = ChangeForm(
        "CN-2026-0412",
        "Nexperia",
        "Nexperia PCN <pcn@nexperia.com>",
        "packing",
        ("74HC125D,653",),
        issued,
        days=30,
    )
    return checkbox_mail(form)


def german_material_change(issued: date) -> Sample:
    """The demo's German notice: another mold compound, 30 days to object."""
    form = ChangeForm(
        "PCN-2026-117",
        "Infineon Technologies",
        "Infineon PCN <pcn@infineon.com>",
        "material",
        ("BSS138NH6327XTSA2",),
        issued,
        days=30,
        german=True,
    )
    return table_mail(form)


def demo_changes(today: date) -> list[Sample]:
    """The change notices the demo company receives, issued a few days before ``today``."""
    return [
        fab_transfer_pdf(today - timedelta(days=5)),
        packing_change(today - timedelta(days=3)),
        german_material_change(today - timedelta(days=2)),
    ]
