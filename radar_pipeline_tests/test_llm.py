"""The LLM extractor with the real ``openai`` client against a local OpenAI-compatible server."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from openai import OpenAI

from radar_pipeline.config import Settings
from radar_pipeline.db import open_database
from radar_pipeline.demo.corpus import adi_forwarded_email
from radar_pipeline.documents import read_bytes
from radar_pipeline.extraction.extract import extract_document
from radar_pipeline.extraction.llm import LlmExtractor, llm_from_settings
from radar_pipeline.harness.stub_http import completion
from radar_pipeline_tests.support import ScriptedHttpServer, radar_env


def notice_json(parts, number="PDN2401", ltb="2027-05-12") -> str:
    return json.dumps(
        {
            "notices": [
                {
                    "notice_number": number,
                    "manufacturer": "Analog Devices",
                    "notice_type": "discontinuance",
                    "issue_date": "2026-11-12",
                    "last_time_buy_date": ltb,
                    "last_ship_date": "2027-11-12",
                    "parts": [{"mpn": m, "replacement_mpn": r} for m, r in parts],
                }
            ]
        }
    )


@pytest.fixture
def doc():
    return read_bytes(adi_forwarded_email().data, "adi.eml")


def extractor(server: ScriptedHttpServer, engine=None) -> LlmExtractor:
    client = OpenAI(api_key="test-key", base_url=server.url + "/v1", max_retries=3, timeout=10)
    return LlmExtractor(client, "test-model", engine)


def test_normal_answer_with_structured_output(doc):
    server = ScriptedHttpServer(
        [completion(notice_json([("LTC2944IDD#PBF", "LTC2944IDD#TRPBF"), ("DS3231SN#", None)]))]
    )
    try:
        result = extract_document(doc, extractor(server))
    finally:
        server.close()
    request = json.loads(server.requests[0]["body"])
    assert request["response_format"]["type"] == "json_schema" and request["model"] == "test-model"
    assert server.requests[0]["headers"]["authorization"] == "Bearer test-key"
    (notice,) = result.notices
    assert len(notice.parts) == 4  # the rules' four, the LLM agreeing on two
    assert any("rules only" in w for w in result.warnings)  # disagreement is shown
    assert result.llm_tokens == 150


class TimedRequests(list):
    """``ScriptedHttpServer.requests`` noting when each request arrived (``time.monotonic()``, key ``at``)."""

    def append(self, request: dict) -> None:
        super().append({**request, "at": time.monotonic()})


def timed(server: ScriptedHttpServer) -> ScriptedHttpServer:
    server.requests = TimedRequests()
    return server


def test_429_then_success_waits_the_retry_after_it_was_given(doc):
    answer = notice_json(
        [("LTC2944IDD#PBF", None), ("MAX3232CSE+T", None), ("DS3231SN#", None), ("AD8605ARTZ-REEL7", None)]
    )
    slow_down = (
        429,
        {"Retry-After": "2", "Content-Type": "application/json"},
        b'{"error": {"message": "slow down"}}',
    )
    server = timed(ScriptedHttpServer([slow_down, completion(answer)]))
    settings = Settings(openai_api_key="test-key", openai_base_url=server.url + "/v1", llm_model="test-model")
    try:
        result = extract_document(doc, llm_from_settings(settings))  # the client as production builds it
    finally:
        server.close()
    assert len(server.requests) == 2
    waited = server.requests[1]["at"] - server.requests[0]["at"]
    assert 2.0 <= waited < 3.0, waited
    assert result.notices[0].confidence >= 0.9 and not any("disagree" in w for w in result.warnings)


def test_malformed_json_keeps_the_rules(doc):
    server = ScriptedHttpServer([completion("{not json at all")])
    try:
        result = extract_document(doc, extractor(server))
    finally:
        server.close()
    assert any("not valid JSON" in w for w in result.warnings)
    assert result.notices[0].extractor == "rules" and len(result.notices[0].parts) == 4


def test_invented_part_and_bad_date_are_rejected(doc):
    server = ScriptedHttpServer(
        [
            completion(
                notice_json([("LTC2944IDD#PBF", None), ("XC7Z020-1CLG400C", None)], ltb="sometime in 2027")
            )
        ]
    )
    try:
        llm_only = extractor(server).extract(doc)
    finally:
        server.close()
    assert [p.mpn for p in llm_only.notices[0].parts] == ["LTC2944IDD#PBF"]
    assert any("XC7Z020-1CLG400C" in w and "rejected" in w for w in llm_only.warnings)
    assert llm_only.notices[0].last_time_buy_date is None and any(
        "not a date" in w for w in llm_only.warnings
    )


def test_a_document_is_sent_at_most_once(doc, database_url):
    engine = open_database(database_url)
    server = ScriptedHttpServer([completion(notice_json([("DS3231SN#", None)]))])
    try:
        first = extractor(server, engine).extract(doc)
        second = extractor(server, engine).extract(doc)  # a new process would find the same cache
    finally:
        server.close()
    assert len(server.requests) == 1
    assert first.llm_tokens == 150 and second.llm_tokens == 0
    assert [n.notice_number for n in second.notices] == ["PDN2401"]


def test_extract_command_with_llm(tmp_path):
    path = tmp_path / "adi.eml"
    path.write_bytes(adi_forwarded_email().data)
    server = ScriptedHttpServer([completion(notice_json([("MAX3232CSE+T", "MAX3232ECSE+T")]))])
    env = radar_env(
        f"sqlite:///{tmp_path}/r.db",
        OPENAI_API_KEY="k",
        OPENAI_BASE_URL=server.url + "/v1",
        RADAR_LLM_MODEL="local-model",
    )
    try:
        out = subprocess.run(
            [sys.executable, "-m", "radar_pipeline.cli", "extract", "--llm", str(path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.close()
    assert out.returncode == 0, out.stderr
    assert json.loads(server.requests[0]["body"])["model"] == "local-model"
    line = json.loads(out.stdout)
    assert line["notices"][0]["notice_number"] == "PDN2401"


def test_a_long_document_is_read_in_chunks_and_the_notice_merged():
    from radar_pipeline.documents.model import Document, Section

    rows = "\n".join(f"LT{i:05d}AB | LT{i:05d}ABX | customer C{i}" for i in range(2000))
    doc = Document("long.eml", "email", [Section("list.xlsx", "spreadsheet", rows)], subject="PDN2401 list")
    first, last = "LT00001AB", "LT01998AB"
    server = ScriptedHttpServer(
        [
            completion(notice_json([(first, None)])),
            completion(notice_json([(last, None), ("INVENTED9", None)])),
        ]
    )
    try:
        result = extractor(server).extract(doc)
    finally:
        server.close()
    bodies = [json.loads(r["body"])["messages"][1]["content"] for r in server.requests]
    assert len(bodies) == 2 and all(len(b) <= 60_000 for b in bodies)
    assert first in bodies[0] and last in bodies[1] and "Subject: PDN2401 list" in bodies[1]
    (notice,) = result.notices  # one notice, the parts of both chunks
    assert {p.mpn for p in notice.parts} == {first, last}  # the guard still drops a part not in the text
    assert result.llm_tokens == 300
