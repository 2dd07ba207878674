"""Demo webhook payloads and the signing client behind ``radar send-test-webhook``."""

from __future__ import annotations

import base64
import json
import time
import uuid

import httpx

from radar_pipeline.gateway.signatures import sign

DEMO_SECRET = "whsec_" + base64.b64encode(b"radar-demo-secret-do-not-use-in-prod").decode()

PAYLOADS: list[tuple[str, dict]] = [
    (
        "siliconexpert",
        {
            "PCNNumber": "PDN-INTEL-2611",
            "Manufacturer": "Intel",
            "TypeOfChange": "Obsolescence",
            "NotificationDate": "2026-11-02",
            "LastTimeBuyDate": "2027-05-15",
            "LastShipDate": "2027-11-15",
            "AffectedParts": [
                {"PartNumber": "EP4CE10E22C8", "Replacement": "EP4CE10E22C8N"},
                {"PartNumber": "EP4CE6E22C8", "Replacement": "EP4CE6E22C8N"},
            ],
        },
    ),
    (
        "accuris",
        {
            "noticeId": "20261014003",
            "manufacturer": "Texas Instruments",
            "alertType": "DISCONTINUED",
            "publishedDate": "2026-10-14",
            "lastTimeBuyDate": "2027-03-31",
            "lastShipDate": "2027-09-30",
            "parts": [{"mpn": "TPS7A4501DCQR", "replacementMpn": "TPS7A4501DCQRQ1"}],
        },
    ),
    (
        "siliconexpert",
        {
            "PCNNumber": "NRND-ST-2611",
            "Manufacturer": "STMicroelectronics",
            "TypeOfChange": "Not Recommended for New Design",
            "NotificationDate": "2026-11-20",
            "AffectedParts": [{"PartNumber": "STM32F103C8T6", "Replacement": "STM32F103CBT6"}],
        },
    ),
    (
        "accuris",
        {
            "noticeId": "20261120117",
            "manufacturer": "STMicroelectronics",
            "alertType": "CHANGE",
            "publishedDate": "2026-11-20",
            "parts": [{"mpn": "LM2903DT", "replacementMpn": None}],
        },
    ),
]

SAMPLE = (
    "siliconexpert",
    {
        "PCNNumber": "PDN-TEST-0001",
        "Manufacturer": "Texas Instruments",
        "TypeOfChange": "Obsolescence",
        "NotificationDate": "2026-11-29",
        "LastTimeBuyDate": "2027-06-30",
        "LastShipDate": "2027-12-31",
        "AffectedParts": [{"PartNumber": "LM317T/NOPB", "Replacement": "LM317HVT/NOPB"}],
    },
)


def send_webhook(
    base_url: str, source: str, payload: dict, secret: str, msg_id: str | None = None
) -> httpx.Response:
    """POST ``payload`` signed per Standard Webhooks, as a provider would."""
    body = json.dumps(payload).encode()
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    ts = int(time.time())
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(secret, msg_id, ts, body),
        "content-type": "application/json",
    }
    return httpx.post(f"{base_url.rstrip('/')}/webhooks/{source}", content=body, headers=headers, timeout=30)
