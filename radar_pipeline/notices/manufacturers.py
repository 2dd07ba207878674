"""Manufacturer names, their aliases and acquisitions.

Notices name a maker many ways ("TI", "Texas Instruments Incorporated", an
``@ti.com`` sender) and parts outlive their makers (Altera parts arrive on Intel
notices, Linear Technology and Maxim on Analog Devices notices). ``canonical``
maps any of these to one name; ``same_maker`` says whether a BOM part's
manufacturer and a notice's agree, acquisitions included.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# canonical name -> (aliases, e-mail domains, acquired companies)
MANUFACTURERS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Texas Instruments": (
        ("TI", "Texas Instruments Incorporated", "National Semiconductor", "Burr-Brown"),
        ("ti.com",),
        ("National Semiconductor", "Burr-Brown"),
    ),
    "Analog Devices": (
        (
            "ADI",
            "Analog Devices Inc",
            "Linear Technology",
            "LTC",
            "Maxim Integrated",
            "Maxim",
            "Dallas Semiconductor",
            "Hittite",
        ),
        ("analog.com", "linear.com", "maximintegrated.com"),
        ("Linear Technology", "Maxim Integrated", "Hittite"),
    ),
    "Intel": (
        ("Intel Corporation", "Altera", "Intel PSG", "Intel Programmable Solutions Group"),
        ("intel.com", "altera.com"),
        ("Altera",),
    ),
    "Microchip Technology": (
        ("Microchip", "Atmel", "Microsemi", "Micrel", "SST", "Silicon Storage Technology"),
        ("microchip.com", "atmel.com", "microsemi.com"),
        ("Atmel", "Microsemi", "Micrel"),
    ),
    "STMicroelectronics": (("ST", "STMicro", "ST Microelectronics"), ("st.com",), ()),
    "NXP Semiconductors": (
        ("NXP", "Freescale", "Freescale Semiconductor", "Philips Semiconductors"),
        ("nxp.com", "freescale.com"),
        ("Freescale",),
    ),
    "Nexperia": (("Nexperia B.V.",), ("nexperia.com",), ()),
    "Infineon Technologies": (
        ("Infineon", "Cypress", "Cypress Semiconductor", "International Rectifier", "IR"),
        ("infineon.com", "cypress.com"),
        ("Cypress Semiconductor", "International Rectifier"),
    ),
    "Renesas Electronics": (
        ("Renesas", "Intersil", "IDT", "Integrated Device Technology", "Dialog Semiconductor"),
        ("renesas.com", "intersil.com", "idt.com"),
        ("Intersil", "IDT", "Dialog Semiconductor"),
    ),
    "onsemi": (
        ("ON Semiconductor", "ON Semi", "Fairchild", "Fairchild Semiconductor"),
        ("onsemi.com", "fairchildsemi.com"),
        ("Fairchild Semiconductor",),
    ),
    "Micron Technology": (("Micron",), ("micron.com",), ()),
    "AMD": (("Advanced Micro Devices", "Xilinx"), ("amd.com", "xilinx.com"), ("Xilinx",)),
    "Vishay": (("Vishay Intertechnology", "Vishay Siliconix", "Vishay Dale"), ("vishay.com",), ()),
    "Murata": (("Murata Manufacturing",), ("murata.com",), ()),
    "TDK": (
        ("TDK Corporation", "EPCOS", "InvenSense"),
        ("tdk.com", "tdk-electronics.tdk.com"),
        ("EPCOS", "InvenSense"),
    ),
    "Würth Elektronik": (("Wurth Elektronik", "Würth", "Wurth"), ("we-online.com", "we-online.de"), ()),
    "Broadcom": (("Avago", "Avago Technologies"), ("broadcom.com",), ("Avago",)),
    "Diodes Incorporated": (("Diodes", "Diodes Inc", "Zetex"), ("diodes.com",), ("Zetex",)),
    "ROHM Semiconductor": (("ROHM", "Rohm"), ("rohm.com",), ()),
    "Toshiba": (("Toshiba Electronic Devices & Storage",), ("toshiba.com",), ()),
    "Silicon Labs": (("Silicon Laboratories", "SiLabs"), ("silabs.com",), ()),
    "Nordic Semiconductor": (("Nordic",), ("nordicsemi.com", "nordicsemi.no"), ()),
    "Kemet": (("KEMET Electronics",), ("kemet.com",), ()),
    "Molex": (("Molex LLC",), ("molex.com",), ()),
    "TE Connectivity": (("TE", "Tyco Electronics"), ("te.com",), ()),
}


@functools.lru_cache(maxsize=4096)  # a few hundred makers' names, asked for on every notice and part
def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(
        r"\b(inc|incorporated|corp|corporation|co|ltd|llc|gmbh|ag|bv|b v|plc|sa|nv)\b\.?", " ", text
    )
    return re.sub(r"[^0-9a-z]+", "", text)


_BY_KEY: dict[str, str] = {}
_BY_DOMAIN: dict[str, str] = {}
for _canon, (_aliases, _domains, _acquired) in MANUFACTURERS.items():
    for _name in (_canon, *_aliases, *_acquired):
        _BY_KEY.setdefault(_key(_name), _canon)
    for _domain in _domains:
        _BY_DOMAIN[_domain] = _canon


def canonical(name: str | None) -> str | None:
    """The canonical maker of ``name``, or ``None`` when it is not in the table."""
    return _BY_KEY.get(_key(name)) if name else None


def from_domain(address_or_domain: str) -> str | None:
    """The maker an e-mail address or domain belongs to (sub-domains included)."""
    domain = address_or_domain.rsplit("@", 1)[-1].strip().strip(">").lower()
    parts = domain.split(".")
    for i in range(len(parts) - 1):
        if ".".join(parts[i:]) in _BY_DOMAIN:
            return _BY_DOMAIN[".".join(parts[i:])]
    return None


def known_names() -> list[str]:
    """Every name and alias, longest first (for finding a maker in running text)."""
    names = {n for c, (a, _, q) in MANUFACTURERS.items() for n in (c, *a, *q)}
    return sorted(names, key=len, reverse=True)


def same_maker(a: str | None, b: str | None) -> bool | None:
    """Whether two manufacturer names agree (aliases, acquisitions); ``None`` if one is missing."""
    if not a or not b:
        return None
    return (canonical(a) or _key(a)) == (canonical(b) or _key(b))
