"""Acme Robotics: the demo company — products, shared sub-assemblies, forecast and inventory.

Its parts are chosen so that the demo notices touch it the way real ones would:
exact matches, a packaging-family match for review, an Altera part on an
Intel notice, products whose end of life cuts the window, and a part with an
approved second source (the Infineon notice's IRF540NPBF: Vishay's IRF540PBF is
approved too, so the part is covered, not bought).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from radar_pipeline.clock import utc_today

PARTS = [  # part_id, mpn, manufacturer, description, unit_cost
    ("P-1001", "EP4CE10E22C8", "Altera", "Cyclone IV FPGA", 18.40),
    ("P-1002", "TPS7A4501DCQR", "Texas Instruments", "LDO 1.5A", 2.15),
    ("P-1003", "LM317T/NOPB", "Texas Instruments", "Adjustable regulator", 0.62),
    ("P-1004", "STM32F103C8T6", "STMicroelectronics", "MCU Cortex-M3", 3.90),
    ("P-1005", "LM2903DT", "STMicroelectronics", "Dual comparator", 0.21),
    ("P-1006", "PCA9612PW,118", "NXP", "I2C LED driver", 1.05),
    ("P-1007", "74HC125D,653", "Nexperia", "Quad buffer", 0.09),
    ("P-1008", "PIC16F1509-I/SO", "Microchip", "8-bit MCU", 1.32),
    ("P-1009", "MCP2515-I/ST", "Microchip", "CAN controller", 1.68),
    ("P-1010", "MAX3232CSE+T", "Maxim Integrated", "RS-232 transceiver, reel", 1.95),
    ("P-1011", "MAX3232CSE", "Maxim Integrated", "RS-232 transceiver, tube", 2.10),
    ("P-1012", "DS3231SN#", "Maxim Integrated", "RTC", 4.75),
    ("P-1013", "LTC2944IDD#PBF", "Linear Technology", "Gas gauge", 5.60),
    ("P-1014", "BSS138NH6327XTSA2", "Infineon", "N-MOSFET", 0.05),
    ("P-1015", "IRF540NPBF", "Infineon", "Power MOSFET", 0.88),
    ("P-1016", "MT41K256M16TW-107:P", "Micron", "DDR3L 4Gb", 6.20),
    ("P-1017", "L7805CV", "STMicroelectronics", "5V regulator", 0.31),
    ("P-1018", "NCP1117ST33T3G", "onsemi", "3.3V LDO", 0.18),
    ("P-1019", "744771110", "Würth Elektronik", "Power inductor 10uH", 0.44),
    ("P-1020", "RC0603FR-0710KL", "Yageo", "Resistor 10k 0603", 0.002),
    ("P-1021", "GRM188R71C104KA01D", "Murata", "MLCC 100nF 0603", 0.004),
    ("P-1022", "TPS7A4502DCQR", "Texas Instruments", "LDO 1.5A, fixed", 2.30),
]
# Further approved MPNs: more rows of a part in parts.csv (its cost is its first row's, left empty here)
ALTERNATES = [
    ("P-1015", "IRF540PBF", "Vishay", "Power MOSFET, second source", ""),
]

PRODUCTS = [  # product_id, name, unit_price, end_of_life, owner
    ("ARM-100", "Robot arm controller", 4200, "", "arm-team@acme-robotics.example"),
    ("ARM-200", "Dual-arm controller", 6800, "", "arm-team@acme-robotics.example"),
    ("AGV-1", "Autonomous cart", 12500, "", "agv-team@acme-robotics.example"),
    ("SENS-10", "Sensor hub", 480, "", ""),
    ("CHG-5", "Docking charger", 950, "2028-06-30", ""),
    ("LEGACY-9", "Legacy teach pendant", 1500, "2027-09-30", ""),
]

BOM = [  # parent, child, qty_per — PCBA-CTRL and PCBA-PWR are shared by several products
    ("ARM-100", "PCBA-CTRL", 1),
    ("ARM-200", "PCBA-CTRL", 2),
    ("AGV-1", "PCBA-CTRL", 1),
    ("ARM-100", "PCBA-PWR", 1),
    ("ARM-200", "PCBA-PWR", 1),
    ("AGV-1", "PCBA-PWR", 2),
    ("CHG-5", "PCBA-PWR", 1),
    ("SENS-10", "PCBA-IO", 1),
    ("AGV-1", "PCBA-IO", 3),
    ("PCBA-CTRL", "PCBA-MEM", 2),
    ("PCBA-CTRL", "P-1001", 1),
    ("PCBA-CTRL", "P-1004", 1),
    ("PCBA-CTRL", "P-1009", 1),
    ("PCBA-CTRL", "P-1012", 1),
    ("PCBA-CTRL", "P-1020", 24),
    ("PCBA-CTRL", "P-1021", 40),
    ("PCBA-CTRL", "P-1002", 2),
    ("PCBA-MEM", "P-1016", 2),
    ("PCBA-MEM", "P-1021", 8),
    ("PCBA-PWR", "P-1003", 2),
    ("PCBA-PWR", "P-1015", 4),
    ("PCBA-PWR", "P-1019", 2),
    ("PCBA-PWR", "P-1013", 1),
    ("PCBA-PWR", "P-1017", 1),
    ("PCBA-PWR", "P-1018", 1),
    ("PCBA-PWR", "P-1022", 1),
    ("PCBA-IO", "P-1006", 1),
    ("PCBA-IO", "P-1007", 4),
    ("PCBA-IO", "P-1010", 2),
    ("PCBA-IO", "P-1014", 6),
    ("PCBA-IO", "P-1005", 1),
    ("LEGACY-9", "P-1008", 1),
    ("LEGACY-9", "P-1011", 1),
    ("LEGACY-9", "P-1003", 1),
    ("LEGACY-9", "P-1021", 12),
    ("ARM-100", "P-1003", 1),  # a second path to the LM317T in ARM-100
]

MONTHLY = {"ARM-100": 120, "ARM-200": 45, "AGV-1": 30, "SENS-10": 400, "CHG-5": 60, "LEGACY-9": 25}
INVENTORY = [
    ("P-1001", 300),
    ("P-1002", 1200),
    ("P-1003", 5000),
    ("P-1010", 20000),
    ("P-1016", 800),
    ("P-1012", 150),
]


def _months(start: date, count: int) -> list[str]:
    out, y, m = [], start.year, start.month
    for _ in range(count):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def write_company(directory: Path, today: date | None = None) -> Path:
    """Write the five CSV files; the forecast covers 37 months from this month, with a gentle ramp."""
    directory.mkdir(parents=True, exist_ok=True)
    today = today or utc_today()

    def write(name: str, header: list[str], rows) -> None:
        with (directory / name).open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)

    write("parts.csv", ["part_id", "mpn", "manufacturer", "description", "unit_cost"], PARTS + ALTERNATES)
    write("products.csv", ["product_id", "name", "unit_price", "end_of_life", "owner"], PRODUCTS)
    write("bom.csv", ["parent_id", "child_id", "qty_per"], BOM)
    write(
        "demand.csv",
        ["product_id", "month", "quantity"],
        [
            (p, month, round(base * (1 + 0.01 * i)))
            for p, base in MONTHLY.items()
            for i, month in enumerate(_months(today, 37))
        ],
    )
    write("inventory.csv", ["part_id", "on_hand"], INVENTORY)
    return directory
