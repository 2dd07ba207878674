"""Extraction throughput and LLM calls per unique document (issue 8e).

Documents per second for text emails and for PDFs (rules, the offline default),
and, with the real ``openai`` client against a local stub server, LLM calls per
unique document over two passes through the database cache (goal <= 1), and for
structured webhooks (goal 0: the adapter path never asks the LLM).

Run: ``.venv/bin/python -m bench.bench_extraction [--repeat 5]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time

from radar_pipeline.demo.corpus import (
    adi_forwarded_email,
    build_corpus,
    digest_email,
    infineon_german_email,
    ti_pdn_email,
)
from radar_pipeline.documents import Document, read_bytes
from radar_pipeline.extraction.extract import extract_document


def rate(samples, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for s in samples:
            extract_document(read_bytes(s.data, s.name))
        runs.append(len(samples) / (time.perf_counter() - t0))
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    text_mails = [adi_forwarded_email(), infineon_german_email(), digest_email()] * 10
    pdf_mails = [ti_pdn_email()] * 5

    from openai import OpenAI

    from radar_pipeline.db import open_database
    from radar_pipeline.extraction.llm import LlmExtractor
    from radar_pipeline.harness.stub_http import ScriptedHttpServer, completion

    server = ScriptedHttpServer([completion(json.dumps({"notices": []}))])
    engine = open_database(f"sqlite:///{tempfile.mkdtemp()}/llm.db")
    corpus = build_corpus()
    try:
        llm = LlmExtractor(OpenAI(api_key="k", base_url=server.url + "/v1", max_retries=0), "stub", engine)
        for _ in range(2):  # the second pass must be served from the cache
            for s in corpus:
                extract_document(read_bytes(s.data, s.name), llm)
        webhook = Document(
            name="wh",
            kind="provider",
            source="accuris",
            payload={
                "noticeId": "1",
                "manufacturer": "TI",
                "alertType": "NRND",
                "parts": [{"mpn": "LM317T/NOPB"}],
            },
        )
        before = len(server.requests)
        for _ in range(10):
            extract_document(webhook, llm)
        webhook_calls = len(server.requests) - before
    finally:
        server.close()
    unique = len({s.data for s in corpus})
    print(
        json.dumps(
            {
                "text_emails_per_s": round(rate(text_mails, args.repeat), 1),
                "pdf_emails_per_s": round(rate(pdf_mails, args.repeat), 2),
                "pdf_pages_per_email": 3,
                "llm_calls": len(server.requests) - webhook_calls,
                "unique_documents": unique,
                "llm_calls_per_unique_document": round((len(server.requests) - webhook_calls) / unique, 2),
                "llm_calls_for_10_webhooks": webhook_calls,
                "goal": "<= 1 LLM call per unique document, 0 for webhooks",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
