"""The session's check of the machine: a missing need stops it at once, PostgreSQL is provisioned.

Each case runs a small suite of its own in an inner pytest with the suite's two plugins.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

PLUGINS = [
    "-p",
    "radar_pipeline_tests.provision",
    "-p",
    "radar_pipeline_tests.no_skips",
    "-p",
    "no:cacheprovider",
]

NEEDS = """
import pytest

@pytest.mark.dovecot
def test_imap():
    pass

@pytest.mark.browser
def test_ui():
    pass

@pytest.mark.ocr
def test_scan():
    pass

def test_plain():
    pass
"""


@pytest.mark.parametrize("ci", ["", "true"], ids=["without-CI", "with-CI"])
def test_missing_programs_stop_the_session_before_any_test(pytester, monkeypatch, tmp_path, ci):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no dovecot, chromium or tesseract to be found
    monkeypatch.setenv("CI", ci)
    pytester.makepyfile(NEEDS)
    result = pytester.runpytest(*PLUGINS, "-rs")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    out = result.stdout.str() + result.stderr.str()
    assert "apt-get install dovecot-imapd chromium tesseract-ocr" in out
    for marker in ("dovecot", "browser", "ocr"):
        assert re.search(rf"- {marker}: `\w+` is not on PATH", out), out
    assert not re.search(r"\d+ (passed|skipped|failed)", out), "no test may run, or be skipped"
    # leaving them out on purpose is the way round, and the rest then runs
    result = pytester.runpytest(*PLUGINS, "-m", "not dovecot and not browser and not ocr")
    result.assert_outcomes(passed=1, skipped=0)


def test_a_named_server_that_does_not_answer_stops_the_session(pytester, monkeypatch):
    from radar_pipeline.harness.processes import free_port

    dead = f"postgresql://root@127.0.0.1:{free_port()}/test"
    monkeypatch.setenv("RADAR_TEST_PG_ADMIN_URL", dead)
    pytester.makepyfile("import pytest\n\n@pytest.mark.postgres\ndef test_db():\n    pass\n")
    result = pytester.runpytest(*PLUGINS)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert f"- postgres: RADAR_TEST_PG_ADMIN_URL={dead} does not answer" in result.stdout.str()


@pytest.mark.postgres
def test_a_test_using_postgresql_without_the_marker_fails_naming_it(pytester):
    pytester.makepyfile(
        """
        import pytest

        from radar_pipeline_tests.support import require_postgres

        @pytest.fixture(params=["sqlite", "postgres"])
        def backend(request):
            if request.param == "postgres":
                require_postgres()
            return request.param

        def test_unmarked(backend):
            pass

        @pytest.mark.postgres
        def test_marked():
            require_postgres()
        """
    )
    result = pytester.runpytest(*PLUGINS)
    result.assert_outcomes(passed=2, errors=1)  # the fixture fails at setup
    result.stdout.fnmatch_lines(["*test_unmarked?postgres? uses PostgreSQL but is not marked postgres*"])


@pytest.mark.slow
@pytest.mark.pg_cluster
@pytest.mark.netns
def test_with_nothing_on_5432_the_session_starts_and_removes_a_throwaway_cluster(pytester, monkeypatch):
    """In a network namespace of its own, 127.0.0.1:5432 is empty: the session provisions a server."""
    monkeypatch.delenv("RADAR_TEST_PG_ADMIN_URL", raising=False)
    pytester.makepyfile(
        """
        import psycopg
        import pytest

        from radar_pipeline_tests.support import fresh_postgres_database

        @pytest.mark.postgres
        def test_db():
            with fresh_postgres_database() as url, psycopg.connect(url) as conn:
                port, data = (conn.execute(f"SHOW {name}").fetchone()[0] for name in ("port", "data_directory"))
                conn.execute("CREATE TABLE t (x int)")
            print(f"SERVER port={port} data={data}")
        """
    )
    loopback_up = 'ip link set lo up && exec "$0" "$@"'
    cmd = ["unshare", "--net", "sh", "-c", loopback_up, sys.executable, "-m", "pytest", *PLUGINS, "-s"]
    result = pytester.run(*cmd, str(pytester.path), timeout=120)
    out = result.stdout.str()
    assert result.ret == 0, out + result.stderr.str()
    port, data = re.search(r"SERVER port=(\d+) data=(\S+)", out).groups()
    assert port != "5432"
    assert not Path(data).exists(), "the throwaway cluster is removed when the session ends"
    assert shutil.which("unshare")


PROVISION = Path(__file__).resolve().parent.parent / "scripts" / "provision-debian"


def test_provisioning_installs_the_packages_the_markers_name():
    from radar_pipeline_tests.provision import REQUIREMENTS

    listed = set(re.findall(r"missing\+=\(([\w.-]+)\)", PROVISION.read_text()))
    assert listed == {r.package for r in REQUIREMENTS if r.package}, listed
    assert "scripts/provision-debian" in (PROVISION.parent.parent / "Makefile").read_text()
    assert "make test" in (PROVISION.parent.parent / ".ci" / "run").read_text()


def readable_copy(script: Path, folder: Path) -> Path:
    """``script`` in ``folder`` made readable by anyone: the checkout may sit in a private (0700) folder
    that user ``nobody`` cannot enter."""
    folder.chmod(0o755)
    copy = folder / script.name
    shutil.copyfile(script, copy)
    copy.chmod(0o644)
    return copy


def test_provisioning_without_root_names_the_command_and_stops():
    import os
    import subprocess
    import tempfile

    as_user = [shutil.which("runuser"), "-u", "nobody", "--"] if os.geteuid() == 0 else []
    with tempfile.TemporaryDirectory(dir="/tmp") as shared:  # /tmp: open to every user (pytest's is 0700)
        script = readable_copy(PROVISION, Path(shared))
        # nothing on PATH (a folder that does not exist): dovecot, chromium, tesseract and ip are all "missing"
        result = subprocess.run(
            [*as_user, "/bin/bash", str(script)],
            env={"PATH": str(Path(shared) / "empty-path")},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1, result
    assert "apt-get install dovecot-imapd chromium tesseract-ocr iproute2" in result.stderr
    assert "installing" not in result.stdout
