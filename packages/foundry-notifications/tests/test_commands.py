"""``make:notification``, ``notifications:table`` and the daily ``notifications:prune``."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import run

from foundry.notifications import Notification, ShouldQueue


def stub_system() -> Any:
    from foundry.stub_system.provider import StubSystemServiceProvider

    return StubSystemServiceProvider


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", "--isolated", "--line-length", "100"],
        capture_output=True,
        text=True,
        check=False,
    )


async def test_make_notification_writes_a_class_that_passes_ruff_and_imports(
    make_app: Any, base: Path, monkeypatch: Any
) -> None:
    app = make_app("sqlite://:memory:", stub_system(), infra=False)
    plain = await run(app, "make:notification", "invoice-paid", format="json")
    queued = await run(app, "make:notification", "OrderShipped", "--queued", format="json")
    assert plain.exit_code == 0, plain.output
    assert queued.exit_code == 0, queued.output
    assert plain.data["class"] == "InvoicePaid"
    assert [f["path"] for f in plain.data["files"]] == [
        "app/__init__.py",
        "app/notifications/__init__.py",
        "app/notifications/invoice_paid.py",
    ]
    assert [f["path"] for f in queued.data["files"]] == ["app/notifications/order_shipped.py"]

    written = [
        base / "app/notifications/invoice_paid.py",
        base / "app/notifications/order_shipped.py",
    ]
    for path in written:
        checked = ruff("check", "--select", "E,F,W,I,B,UP,RUF", str(path))
        assert checked.returncode == 0, checked.stdout + checked.stderr
        formatted = ruff("format", "--check", str(path))
        assert formatted.returncode == 0, formatted.stdout + formatted.stderr

    monkeypatch.syspath_prepend(str(base))
    for name in list(sys.modules):
        if name == "app" or name.startswith("app."):
            del sys.modules[name]
    try:
        paid = importlib.import_module("app.notifications.invoice_paid").InvoicePaid
        shipped = importlib.import_module("app.notifications.order_shipped").OrderShipped
    finally:
        for name in list(sys.modules):
            if name == "app" or name.startswith("app."):
                del sys.modules[name]
    assert issubclass(paid, Notification)
    assert not issubclass(paid, ShouldQueue)
    assert issubclass(shipped, ShouldQueue)
    assert shipped.QueuedJob.tries == 3
    notification = paid()
    assert notification.via(None) == ["mail", "database"]
    assert notification.to_mail(None).build().subject == "Invoice Paid"


async def test_make_notification_refuses_to_overwrite_and_bad_names(
    make_app: Any, base: Path
) -> None:
    app = make_app("sqlite://:memory:", stub_system(), infra=False)
    dry = await run(app, "make:notification", "Ping", dry_run=True, format="json")
    assert dry.exit_code == 0
    assert not (base / "app").exists()
    assert (await run(app, "make:notification", "Ping")).exit_code == 0
    original = (base / "app/notifications/ping.py").read_text()
    again = await run(app, "make:notification", "Ping")
    assert again.exit_code == 1
    assert "--force" in (again.outcome.error or "")
    assert (base / "app/notifications/ping.py").read_text() == original
    bad = await run(app, "make:notification", "9lives!")
    assert bad.exit_code == 2


async def test_notifications_table_points_at_the_shipped_branch(make_app: Any) -> None:
    app = make_app("sqlite://:memory:", infra=False)
    ran = await run(app, "notifications:table", format="json")
    assert ran.exit_code == 0
    assert ran.data["branch"] == "notifications"
    assert ran.data["migrations"] == ["2026_02_01_000000_create_notifications_table.py"]
    assert Path(ran.data["path"], ran.data["migrations"][0]).is_file()
    assert "foundry migrate" in (ran.message or "")
    assert [
        (str(loc.path), loc.branch)
        for loc in app.migration_locations
        if loc.branch == "notifications"
    ] == [(ran.data["path"], "notifications")]


async def test_prune_is_scheduled_daily_when_the_scheduler_can_run_commands(make_app: Any) -> None:
    from foundry.command_executor.provider import CommandExecutorServiceProvider
    from foundry.scheduling import Schedule
    from foundry.scheduling.provider import SchedulingServiceProvider

    app = make_app(
        "sqlite:///storage/database.sqlite",
        CommandExecutorServiceProvider,
        SchedulingServiceProvider,
    )
    events = [(e.display_name, e.expression, e.summary) for e in app.make(Schedule)]
    assert events == [
        (
            "notifications:prune",
            "0 0 * * *",
            "Delete notifications read more than NOTIFICATIONS_PRUNE_DAYS days ago",
        )
    ]


async def test_prune_is_not_scheduled_without_a_database(make_app: Any) -> None:
    from foundry.command_executor.provider import CommandExecutorServiceProvider
    from foundry.scheduling import Schedule
    from foundry.scheduling.provider import SchedulingServiceProvider

    app = make_app(
        "sqlite://:memory:", CommandExecutorServiceProvider, SchedulingServiceProvider, infra=False
    )
    assert list(app.make(Schedule)) == []
