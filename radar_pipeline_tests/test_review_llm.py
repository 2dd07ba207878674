"""The LLM where the rules are unsure: the real ``openai`` client against a local server, through the
asset graph. Only documents that need review are sent (once, cached); answers are reconciled with the
rules and guarded against parts that are not in the text; without a key the item waits for a person."""

from __future__ import annotations

import json
from datetime import date

import dagster as dg

from radar_pipeline.demo.corpus import adi_forwarded_email
from radar_pipeline.orchestration.assets import PIPELINE_ASSETS
from radar_pipeline.orchestration.resources import LlmResource
from radar_pipeline.review.queue import review_items_of
from radar_pipeline_tests import review_support as mails
from radar_pipeline_tests.pipeline_support import company, engine_for, land_mail, resources
from radar_pipeline_tests.support import ScriptedHttpServer
from radar_pipeline_tests.test_llm import completion

DAY = date(2026, 11, 2)


def answer(number: str, parts: list[str], ltb: str = "2027-05-15") -> tuple[int, dict, bytes]:
    notice = {
        "notice_number": number,
        "manufacturer": "Texas Instruments",
        "notice_type": "discontinuance",
        "issue_date": None,
        "last_time_buy_date": ltb,
        "last_ship_date": "2027-11-15",
        "parts": [{"mpn": m, "replacement_mpn": None} for m in parts],
    }
    return completion(json.dumps({"notices": [notice]}))


def run(database_url, tmp_path, llm: LlmResource):
    res = resources(database_url, tmp_path) | {"llm": llm}
    return dg.materialize(
        PIPELINE_ASSETS, partition_key=DAY.isoformat(), resources=res, instance=dg.DagsterInstance.ephemeral()
    )


def open_reasons(engine) -> dict:
    return {i["notice_number"]: i["reasons"] for i in review_items_of(engine, [DAY])}


def test_only_unsure_documents_go_to_the_llm_once_and_answers_are_guarded(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_mail(engine, adi_forwarded_email().data, "<adi>", DAY)  # read completely: never sent
    land_mail(engine, mails.attachment_missing(), "<missing>", DAY)
    land_mail(engine, mails.prose_notice("PDN-2611-09", "p9@ti.com"), "<p9>", DAY)
    land_mail(engine, mails.prose_notice("PDN-2611-10", "p10@ti.com"), "<p10>", DAY)

    # without a key, every unsure item waits for a person
    assert run(database_url, tmp_path, LlmResource()).success
    waiting = open_reasons(engine)
    assert set(waiting) == {mails.NUMBER, "PDN-2611-09", "PDN-2611-10"}
    assert waiting["PDN-2611-09"] == ["parts found only in running text, outside any table or list"]

    server = ScriptedHttpServer(
        [
            # the attachment is not there: the model invents a part, which the guard rejects
            answer(mails.NUMBER, ["TPS54331DR"]),
            # the model reads the same two parts as the rules: settled
            answer("PDN-2611-09", ["TPS7A4501DCQR", "LM317T/NOPB"]),
            # the model reads another last-time-buy date: a disagreement for a person
            answer("PDN-2611-10", ["TPS7A4501DCQR", "LM317T/NOPB"], ltb="2027-06-30"),
        ]
    )
    llm = LlmResource(api_key="test-key", base_url=server.url + "/v1", model="test-model")
    try:
        result = run(database_url, tmp_path, llm)
        assert result.success
        asked = [json.loads(r["body"])["messages"][1]["content"] for r in server.requests]
        assert len(asked) == 3 and not any("PDN2401" in text for text in asked)
        assert mails.NUMBER in asked[0] and "PDN-2611-09" in asked[1]
        meta = {
            e.asset_key.to_user_string(): e.materialization.metadata
            for e in result.get_asset_materialization_events()
        }
        assert meta["notice_extractions"]["llm_asked"].value == 3

        reasons = open_reasons(engine)
        assert set(reasons) == {mails.NUMBER, "PDN-2611-10"}  # PDN-2611-09 is settled
        assert "no affected part found" in reasons[mails.NUMBER]
        assert any("attached spreadsheet" in r for r in reasons[mails.NUMBER])
        assert any(
            r.startswith("the LLM and the rules disagree") and "2027-06-30" in r
            for r in reasons["PDN-2611-10"]
        )
        from sqlalchemy import select

        from radar_pipeline.db.schema import extractions

        with engine.connect() as conn:
            warnings = [w for (ws,) in conn.execute(select(extractions.c.warnings)) for w in ws]
        assert any("TPS54331DR" in w and "rejected" in w for w in warnings)

        assert run(database_url, tmp_path, llm).success  # a re-run asks nothing: the answers are cached
        assert len(server.requests) == 3
    finally:
        server.close()
