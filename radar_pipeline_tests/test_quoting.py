"""Issue 29: every command line Radar prints is quoted for the shell — the desk, the mails, the CLI.

Notice numbers carrying ``;``, ``$()`` and backticks land through signed webhooks and need review.
Each command Radar suggests for them is pasted into a real ``bash`` with a stand-in ``radar`` on the
PATH that records its arguments: the notice number arrives as one argument, and nothing runs.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from radar_pipeline.cli import main
from radar_pipeline.config import Settings
from radar_pipeline.web.app import create_app
from radar_pipeline.web.auth import hash_password
from radar_pipeline.web.paths import notice_path
from radar_pipeline_tests.pipeline_support import (
    company,
    engine_for,
    land_webhook,
    materialize_day,
    se_payload,
)
from radar_pipeline_tests.trust_support import mails_in

DAY = date(2026, 11, 2)
PASSWORD = "correct horse"


def hostile_numbers(marks: Path) -> list[str]:
    return [
        f"PCN-9;touch${{IFS}}{marks}/semicolon;#",
        f"PCN-$(touch {marks}/dollar)",
        f"PCN-`touch {marks}/backtick`",
    ]


def pasted(line: str, tmp_path: Path) -> list[str]:
    """Run ``line`` as a person pasting it would, with a ``radar`` that records its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "argv.json"
    stub = bin_dir / "radar"
    stub.write_text(
        f"#!/usr/bin/env python3\nimport json, sys\nopen({str(log)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    stub.chmod(0o755)
    log.unlink(missing_ok=True)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "HOME": str(tmp_path)}
    done = subprocess.run(
        ["bash", "-c", line], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, (line, done.stderr)
    return json.loads(log.read_text())


def test_commands_printed_for_hostile_notice_numbers_run_nothing(database_url, tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    numbers = hostile_numbers(marks)
    engine = engine_for(database_url)
    company(engine, tmp_path)
    for i, number in enumerate(numbers):  # no last-time buy: each needs review, and is mailed about
        land_webhook(engine, se_payload(number, ["LM317T/NOPB"], ltb=None), f"w{i}", DAY)
    assert materialize_day(database_url, tmp_path, DAY).success

    printed: dict[str, list[str]] = {n: [] for n in numbers}
    for mail in mails_in(tmp_path / "outbox"):
        if "[radar review]" in mail["subject"]:
            for line in mail["text"].splitlines():
                if line.strip().startswith("radar "):
                    number = next(n for n in numbers if shell_word(n) in line)
                    printed[number].append(line.strip())
    cli = CliRunner().invoke(main, ["review"], env={"RADAR_DATABASE_URL": database_url})
    assert cli.exit_code == 0, cli.output
    for line in cli.output.splitlines():
        found = re.match(r"\s+(correct|accept)\s+(radar .*)$", line)
        if found:
            printed[next(n for n in numbers if shell_word(n) in line)].append(found.group(2))
    desk = create_app(
        Settings(
            database_url=database_url,
            web_secret="k" * 32,
            web_users=f"alice:reviewer:{hash_password(PASSWORD)}",
        )
    )
    client = TestClient(desk, follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token})
    for number in numbers:
        page = client.get(notice_path("Texas Instruments", number))
        assert page.status_code == 200
        printed[number] += [html.unescape(c) for c in re.findall(r"<code>(radar [^<]*)</code>", page.text)]

    for number, lines in printed.items():
        # the review mail, the CLI and the desk each printed its correct and accept commands
        assert len(lines) >= 6, (number, lines)
        for line in lines:
            argv = pasted(line, tmp_path)
            assert number in argv, (line, argv)  # one argument, as the notice spells it
    assert list(marks.iterdir()) == []  # nothing the numbers carry ran


def shell_word(number: str) -> str:
    """How a number appears quoted (``'PCN-$(touch …)'``)."""
    import shlex

    return shlex.quote(number)
