"""make:scheduled-job writes an invokable class that passes ruff and the schedule calls."""

from __future__ import annotations

import subprocess
from pathlib import Path

from scheduling_support import Journal

from foundry.domain.application import CommandCaller
from foundry.scheduling.schedule import Schedule

RUFF_RULES = "E,F,W,I,B,UP,SIM,RUF,PT,ASYNC,S,C4,PIE,RET"


def ruff(base: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    from ruff.__main__ import find_ruff_bin

    return subprocess.run(
        [find_ruff_bin(), *argv], cwd=base, capture_output=True, text=True, check=False
    )


def call(app, command: str, /, *params, **options):
    return app.make(CommandCaller).call(command, *params, **options)


async def test_make_scheduled_job_writes_the_class_and_its_packages(app, tmp_path):
    result = await call(app, "make:scheduled-job", name="prune-reports")

    assert result.exit_code == 0, result.error
    assert result.output.splitlines() == [
        "Created app/__init__.py",
        "Created app/scheduled/__init__.py",
        "Created app/scheduled/prune_reports.py",
    ]
    assert result.message == (
        "Scheduled job PruneReports created. Schedule it in app/schedule.py: from "
        "app.scheduled.prune_reports import PruneReports, then "
        "schedule.call(PruneReports).daily()"
    )
    source = (tmp_path / "app" / "scheduled" / "prune_reports.py").read_text()
    assert "class PruneReports:" in source
    assert "async def __call__(self, clock: Clock) -> str:" in source


async def test_the_generated_job_passes_ruff(app, tmp_path):
    await call(app, "make:scheduled-job", name="SendDigest")
    files = ["app/__init__.py", "app/scheduled/__init__.py", "app/scheduled/send_digest.py"]

    checked = ruff(
        tmp_path,
        "check",
        "--isolated",
        "--no-cache",
        "--select",
        RUFF_RULES,
        "--target-version",
        "py311",
        "--line-length",
        "100",
        *files,
    )
    formatted = ruff(tmp_path, "format", "--isolated", "--no-cache", "--check", *files)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


async def test_the_schedule_can_call_the_generated_job(make_app, tmp_path):
    maker = make_app()
    await call(maker, "make:scheduled-job", name="PruneReports")
    (tmp_path / "app" / "schedule.py").write_text(
        "from app.scheduled.prune_reports import PruneReports\n\n\n"
        "def schedule(schedule):\n"
        "    schedule.call(PruneReports).daily().send_output_to('storage/logs/prune.log')\n"
    )
    app = make_app()

    listed = await call(app, "schedule:list", format="json")
    ran = await call(app, "schedule:test", name="PruneReports")

    assert listed.data[0]["task"] == "app.scheduled.prune_reports.PruneReports"
    assert ran.exit_code == 0, ran.error
    assert ran.data["output"] == "PruneReports ran at 2026-03-02 08:59 UTC."
    log = tmp_path / "storage" / "logs" / "prune.log"
    assert log.read_text() == "PruneReports ran at 2026-03-02 08:59 UTC.\n"
    assert len(app.make(Schedule)) == 1
    assert app.make(Journal).entries == []


async def test_a_dry_run_shows_the_file_and_writes_nothing(app, tmp_path):
    result = await call(app, "make:scheduled-job", name="Cleanup", dry_run=True)

    assert result.message == "Dry run: nothing was written."
    assert "class Cleanup:" in result.data["content"]
    assert result.output.startswith("Would create app/__init__.py\n")
    assert not (tmp_path / "app").exists()


async def test_an_existing_job_is_kept_unless_forced(app, tmp_path):
    await call(app, "make:scheduled-job", name="Cleanup")
    target = tmp_path / "app" / "scheduled" / "cleanup.py"
    target.write_text("# edited by hand\n")

    refused = await call(app, "make:scheduled-job", name="Cleanup")
    assert refused.exit_code == 1
    assert target.read_text() == "# edited by hand\n"

    forced = await call(app, "make:scheduled-job", name="Cleanup", force=True)
    assert forced.exit_code == 0
    assert forced.output == "Overwrote app/scheduled/cleanup.py"
    assert "class Cleanup:" in target.read_text()


async def test_a_name_that_cannot_be_a_class_is_a_usage_error(app, tmp_path):
    result = await call(app, "make:scheduled-job", name="9 lives!")

    assert result.exit_code == 2
    assert "cannot name a Python class" in result.error
    assert not (tmp_path / "app").exists()
