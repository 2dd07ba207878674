"""Issue 31: the desk computes the exposure once per change of what it is computed from
(``web/snapshot.py``), and never shows a state half written.

The company of bom_fixture.py with the notices of test_consolidated.py, read through the real desk (SQLite
and PostgreSQL). A write that lands while the snapshot is being computed is made to land there by a
listener on the database driver's statements (SQLAlchemy's event API): the desk's own code runs as is.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

from sqlalchemy import event

from radar_pipeline.bom.importer import read_bom
from radar_pipeline.bom.store import replace_bom
from radar_pipeline.clock import utc_today
from radar_pipeline.config import Settings
from radar_pipeline.exposure.service import current_exposure, inputs_version
from radar_pipeline.notices.store import write_notice
from radar_pipeline.web.app import create_app
from radar_pipeline.web.snapshot import ATTEMPTS
from radar_pipeline_tests.bom_fixture import write_bom
from radar_pipeline_tests.test_consolidated import MPNS, company, notice, store
from radar_pipeline_tests.test_web import USERS, signed_in

LTB = utc_today() + timedelta(days=60)


def desk(database_url, tmp_path):
    engine = company(database_url, tmp_path)
    store(engine, [notice("PDN-A", "discontinuance", LTB, [MPNS["U1"]])])
    app = create_app(Settings(database_url=database_url, web_secret="k" * 32, web_users=USERS))
    return app, signed_in(app, "rob")


def add(engine, number: str, mpn: str, event_id: int) -> None:
    with engine.begin() as conn:
        write_notice(conn, notice(number, "discontinuance", LTB, [mpn]), event_id, date(2026, 11, 2))


def test_pages_share_one_computation_until_a_notice_or_the_bom_changes(database_url, tmp_path):
    app, rob = desk(database_url, tmp_path)
    snapshots, engine = app.state.snapshots, app.state.engine
    rob.get("/")
    first = snapshots.current()
    assert rob.get("/export.csv").status_code == 200 and rob.get("/?q=U1").status_code == 200
    assert snapshots.current() is first  # three pages, one computation

    add(engine, "PDN-B", MPNS["U2"], 2)  # a new notice
    assert "PDN-B" in rob.get("/").text
    second = snapshots.current()
    assert second is not first and {n["notice_number"] for n in second.by_id.values()} == {"PDN-A", "PDN-B"}

    add(engine, "PDN-B", MPNS["U4"], 2)  # the same notice written again (a re-read): same row, new parts
    third = snapshots.current()
    assert third is not second
    (b,) = [n for n in third.by_id.values() if n["notice_number"] == "PDN-B"]
    assert [p["mpn"] for p in b["parts"]] == [MPNS["U4"]]

    bom_dir = write_bom(tmp_path / "dearer")  # the BOM again, every part at twice its cost
    rows = list(csv.DictReader((bom_dir / "parts.csv").open()))
    with (bom_dir / "parts.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows([r | {"unit_cost": str(2 * float(r["unit_cost"]))} for r in rows])
    replace_bom(engine, read_bom(bom_dir))
    fourth = snapshots.current()
    assert fourth is not third
    assert fourth.report["totals"]["ltb_cost"] == 2 * third.report["totals"]["ltb_cost"] > 0

    (gone,) = [n["notice_id"] for n in fourth.by_id.values() if n["notice_number"] == "PDN-B"]
    from radar_pipeline.db.schema import notices

    with engine.begin() as conn:
        conn.execute(notices.delete().where(notices.c.id == gone))
    assert gone not in snapshots.current().by_id
    assert "PDN-B" not in rob.get("/").text


def test_a_write_during_the_computation_is_never_shown_half_done(database_url, tmp_path):
    """PDN-C is written between the read of the notices and the read of their parts: the snapshot that
    saw half of it is dropped, the one shown has PDN-C whole, and its version is what is stored."""
    app, rob = desk(database_url, tmp_path)
    engine, writes = app.state.engine, []

    @event.listens_for(engine, "before_cursor_execute")
    def land_a_write(conn, cursor, statement, parameters, context, executemany):
        if not writes and "FROM notice_parts" in statement and "notices.notice_type" not in statement:
            writes.append(statement)
            add(engine, "PDN-C", MPNS["U1"], 3)

    page = rob.get("/").text
    event.remove(engine, "before_cursor_execute", land_a_write)
    assert writes, "the listener never saw the parts being read"
    snapshot = app.state.snapshots.current()
    (c,) = [n for n in snapshot.by_id.values() if n["notice_number"] == "PDN-C"]
    assert [p["mpn"] for p in c["parts"]] == [MPNS["U1"]] and c["total_ltb_cost"] > 0
    assert "PDN-C" in page and snapshot.version == inputs_version(engine)
    whole = current_exposure(engine, app.state.settings.safety_stock, snapshot.as_of)
    assert snapshot.report["totals"] == whole["totals"]


def test_while_writes_keep_landing_the_last_consistent_snapshot_is_shown(database_url, tmp_path):
    app, rob = desk(database_url, tmp_path)
    engine, snapshots = app.state.engine, app.state.snapshots
    rob.get("/")
    before = snapshots.current()
    written = []

    @event.listens_for(engine, "before_cursor_execute")
    def keep_writing(conn, cursor, statement, parameters, context, executemany):
        if "FROM notice_parts" in statement and "notices.notice_type" not in statement and len(written) < 50:
            written.append(len(written))
            add(engine, f"PDN-W{len(written)}", MPNS["U2"], 100 + len(written))

    add(engine, "PDN-D", MPNS["U4"], 4)  # the page has something new to compute
    page = rob.get("/").text
    event.remove(engine, "before_cursor_execute", keep_writing)
    assert len(written) == ATTEMPTS  # each computation saw a write land
    assert snapshots.current() is not before  # writes stopped: the next page computes again
    assert "PDN-A" in page and "PDN-D" not in page and "PDN-W1" not in page  # the consistent one, before
    assert f"Figures computed at {before.computed_at:%H:%M:%S} UTC" in page
