"""A small company whose exposure is computed by hand in test_exposure.py.

P1 uses U1 directly (x1) and through A1 (x2) -> A2 (x3) -> U1 (x2): 1 + 12 = 13.
P2 uses A1 (x1): 6 of U1, and U3 directly. P3 uses U2 (x4).
"""

from __future__ import annotations

from pathlib import Path

FILES = {
    "parts.csv": """part_id,mpn,manufacturer,description,unit_cost
U1,LM317T/NOPB,Texas Instruments,Adjustable regulator,1.25
U2,MAX3232CSE+T,Maxim Integrated,RS-232 transceiver,3.40
U3,MAX3232CSE,Maxim Integrated,RS-232 transceiver (tube),3.00
U4,PIC16F1509-I/OT,Microchip,MCU SOT-23,0.90
U5,EP4CE10E22C8,Altera,FPGA,12.10
""",
    "products.csv": """product_id,name,unit_price,end_of_life,owner
P1,Controller,500,,ctrl-owner@example.com
P2,Gateway,1000,2027-06-30,
P3,Sensor,200,,
""",
    "bom.csv": """parent_id,child_id,qty_per
P1,U1,1
P1,A1,2
P2,A1,1
A1,A2,3
A2,U1,2
P3,U2,4
P2,U3,1
P3,U4,1
P1,U5,1
""",
    "inventory.csv": """part_id,on_hand
U1,500
U2,10000
""",
}


def demand_csv() -> str:
    rows = ["product_id,month,quantity"]
    for product, qty in (("P1", 100), ("P2", 50), ("P3", 10)):
        rows += [f"{product},2027-{m:02d},{qty}" for m in range(1, 13)]
    return "\n".join(rows) + "\n"


def write_bom(directory: Path, **overrides: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    files = FILES | {"demand.csv": demand_csv()} | {k.replace("_", "."): v for k, v in overrides.items()}
    for name, text in files.items():
        if text is not None:
            (directory / name).write_text(text)
    return directory
