"""One way to configure (issue 15, item 6): every setting through ``Settings``, so ``.env`` works for all;
secrets reach Dagster as ``EnvVar`` names; database engines live only as long as a run or tick."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import psycopg
from sqlalchemy import func, select

from radar_pipeline.db import open_database
from radar_pipeline.db.schema import landing_events
from radar_pipeline.documents.pdf_reader import Limit, read_pdf
from radar_pipeline.extraction.version import EXTRACTOR_VERSION
from radar_pipeline.orchestration.inbox import inbox as inbox_job
from radar_pipeline.orchestration.resources import InboxResource, LlmResource, RadarDatabase
from radar_pipeline.orchestration.sensors import landing_sensor
from radar_pipeline_tests.support import REPO, simple_mail
from radar_pipeline_tests.test_inbox import dovecot  # noqa: F401 - the throwaway Dovecot fixture

CONFIG_PREFIXES = ("RADAR_", "OPENAI_", "SENDGRID_")


def clean_env(cwd: Path) -> dict[str, str]:
    """This environment without any Radar setting: what a fresh process sees must come from ``cwd/.env``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CONFIG_PREFIXES)}
    return env | {"DAGSTER_HOME": str(cwd), "PYTHONPATH": str(REPO)}


def test_pdf_limits_in_dotenv_take_effect(tmp_path, monkeypatch):
    from radar_pipeline_tests.hostile import good_pdf

    monkeypatch.delenv("RADAR_PDF_MAX_PAGES", raising=False)
    monkeypatch.chdir(tmp_path)
    whole = read_pdf(good_pdf())
    assert whole.limit is None and whole.page_count == 3
    (tmp_path / ".env").write_text("RADAR_PDF_MAX_PAGES=1\n")
    cut = read_pdf(good_pdf())
    assert cut.limit == Limit.PAGES and "1-page limit (RADAR_PDF_MAX_PAGES)" in cut.limit_warning
    assert len(cut.pages) < len(whole.pages)


def test_extractor_tag_in_dotenv_takes_effect(tmp_path):
    (tmp_path / ".env").write_text("RADAR_EXTRACTOR_TAG=ocr-installed\n")
    code = "from radar_pipeline.extraction.version import extractor_version; print(extractor_version())"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=clean_env(tmp_path), capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"{EXTRACTOR_VERSION}+ocr-installed"


# The code location as `dagster dev` or a code server loads it: a fresh process in a folder with a .env.
LOAD_DEFINITIONS = """
import json
import dagster as dg
from dagster._core.remote_representation.external_data import RepositorySnap
from dagster_shared.serdes import serialize_value
from radar_pipeline.definitions import defs

snapshot = serialize_value(RepositorySnap.from_def(defs.get_repository_def()))
run = defs.get_job_def("inbox").execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
with dg.build_resources({k: defs.resources[k] for k in ("llm", "notifier")}) as r:
    keys = [r.llm.api_key, r.notifier.sendgrid_api_key]
print(json.dumps({"snapshot": snapshot, "success": run.success, "keys": keys}))
"""


def load_definitions(cwd: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", LOAD_DEFINITIONS],
        cwd=cwd,
        env=clean_env(cwd),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def landed(database_url: str) -> int:
    with open_database(database_url).connect() as conn:
        return conn.execute(select(func.count()).select_from(landing_events)).scalar_one()


def test_dotenv_secrets_reach_dagster_as_env_var_names_and_the_resources_work(
    dovecot,  # noqa: F811
    postgres_url,
    tmp_path,
):
    conn = dovecot.client()
    assert conn.create("Landed")[0] == "OK"
    conn.logout()
    dovecot.append(simple_mail(1))
    secrets = {
        "RADAR_DATABASE_URL": postgres_url.replace("root@", "root:db-pw-5c1e9a@"),  # trust auth ignores it
        "RADAR_IMAP_URL": dovecot.url(),
        "OPENAI_API_KEY": "sk-m2-3f9b1c7d0e2a",
        "SENDGRID_API_KEY": "SG.m2-8d4e6a0b2c1f",
    }
    lines = [f"{k}={v}" for k, v in secrets.items()] + ["RADAR_IMAP_MOVE_TO=Landed"]
    (tmp_path / ".env").write_text("\n".join(lines) + "\n")

    loaded = load_definitions(tmp_path)

    snapshot = loaded["snapshot"]
    for value in (
        "db-pw-5c1e9a",
        f":{dovecot.password}@",
        secrets["OPENAI_API_KEY"],
        secrets["SENDGRID_API_KEY"],
    ):
        assert value not in snapshot, f"{value!r} is shown to Dagster"
    for variable in secrets:
        assert f'"{variable}"' in snapshot  # the resource config names the variable instead
    # the resources still get the values: the inbox run landed the mail in that database and moved it
    assert loaded["success"] and loaded["keys"] == [secrets["OPENAI_API_KEY"], secrets["SENDGRID_API_KEY"]]
    assert landed(postgres_url) == 1
    conn = dovecot.client()
    assert [conn.select(box, readonly=True)[1][0] for box in ("INBOX", "Landed")] == [b"0", b"1"]
    conn.logout()


def connections(database_url: str) -> int:
    """Other sessions open on the database (this one's own excluded)."""
    with psycopg.connect(database_url) as pg:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        return pg.execute(query).fetchone()[0]


def test_a_tick_and_a_run_leave_no_database_connection_behind(postgres_url, tmp_path):
    (tmp_path / "md" / "new").mkdir(parents=True)
    (tmp_path / "md" / "new" / "1.M1.h").write_bytes(simple_mail(1))
    database = RadarDatabase(url=postgres_url)
    with dg.build_sensor_context(
        instance=dg.DagsterInstance.ephemeral(), resources={"database": database, "llm": LlmResource()}
    ) as ctx:
        assert isinstance(landing_sensor(ctx), dg.SkipReason)
    assert connections(postgres_url) == 0

    inbox = InboxResource(maildir=str(tmp_path / "md"))
    result = inbox_job.execute_in_process(resources={"database": database, "inbox": inbox})
    assert result.success
    assert connections(postgres_url) == 0  # the run's engine was disposed at teardown
    assert landed(postgres_url) == 1
