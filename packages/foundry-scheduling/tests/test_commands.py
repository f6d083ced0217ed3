"""schedule:run, schedule:list and schedule:test, run through the CommandCaller, on the
schedule the app declares in app/schedule.py and providers declare in their hook."""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

import pytest
from scheduling_support import Journal

from foundry.domain.application import CommandCaller, CommandRunner
from foundry.domain.outputs import BufferedOutput
from foundry.scheduling.schedule import Schedule

APP_SCHEDULE = """
from scheduling_support import Journal


async def heartbeat(journal: Journal) -> str:
    journal.add("heartbeat")
    return "beat"


def schedule(schedule):
    schedule.command("test:prune", days=3).daily_at("9:00").description("Prune old rows")
    schedule.call(heartbeat).every_five_minutes().without_overlapping()
    schedule.command("test:broken").hourly().timezone("Europe/Zurich").on_one_server()
"""


def write_schedule(base: Path, source: str = APP_SCHEDULE) -> None:
    (base / "app").mkdir(exist_ok=True)
    (base / "app" / "schedule.py").write_text(textwrap.dedent(source))


def call(app, command: str, /, *params, **options):
    return app.make(CommandCaller).call(command, *params, **options)


# --- loading -----------------------------------------------------------------------------


async def test_the_schedule_comes_from_app_schedule_py_and_provider_hooks(make_app, tmp_path):
    write_schedule(tmp_path)

    def declare(app, schedule: Schedule) -> None:
        schedule.command("test:prune", days=90).weekly().name("deep-prune")

    app = make_app(hook=declare)
    schedule = app.make(Schedule)

    assert [(e.display_name, e.expression, e.origin) for e in schedule] == [
        ("test:prune --days=3", "0 9 * * *", "app/schedule.py"),
        ("app.schedule.heartbeat", "*/5 * * * *", "app/schedule.py"),
        ("test:broken", "0 * * * *", "app/schedule.py"),
        ("deep-prune", "0 0 * * 0", "provider scheduling-test-support"),
    ]
    assert app.make(Schedule) is schedule  # built once, lazily


def test_an_app_without_schedule_py_has_only_the_providers_events(app):
    assert len(app.make(Schedule)) == 0


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x = 1\n", "app/schedule.py must define a plain function schedule(schedule)"),
        (
            "async def schedule(schedule):\n    pass\n",
            "app/schedule.py must define a plain function schedule(schedule)",
        ),
        ("import nowhere_to_be_found\n", "app/schedule.py failed to import: ModuleNotFound"),
        (
            "def schedule(schedule):\n    raise KeyError('oops')\n",
            "app/schedule.py: schedule() failed: KeyError: 'oops'",
        ),
        (
            "def schedule(schedule):\n    schedule.command('test:prune').cron('* * *')\n",
            'Scheduled event "test:prune" (app/schedule.py): Cron expression "* * *" has 3 fields',
        ),
    ],
)
async def test_a_broken_schedule_file_fails_the_command_with_one_line(
    make_app, tmp_path, source, message
):
    write_schedule(tmp_path, source)
    app = make_app()

    result = await call(app, "schedule:list")

    assert result.exit_code == 1
    assert message in result.error
    assert "\n" not in result.error


async def test_the_default_timezone_is_app_timezone(make_app, tmp_path):
    write_schedule(tmp_path, "def schedule(s):\n    s.command('test:prune').daily_at('9:00')\n")
    app = make_app(timezone="Europe/Zurich")

    result = await call(app, "schedule:list", format="json")

    [row] = result.data
    assert row["timezone"] == "Europe/Zurich"
    assert row["next_due"] == "2026-03-03T09:00:00+01:00"  # 09:00 CET (08:00 UTC) went by


async def test_an_unknown_app_timezone_names_the_variable(make_app):
    app = make_app(timezone="Mars/Olympus")

    result = await call(app, "schedule:run")

    assert result.exit_code == 1
    assert 'Unknown timezone "Mars/Olympus" as the schedule\'s default (APP_TIMEZONE)' in (
        result.error
    )


# --- schedule:run ------------------------------------------------------------------------


async def test_schedule_run_runs_what_is_due_this_minute_and_reports_each_outcome(
    make_app, tmp_path, clock
):
    write_schedule(tmp_path)
    app = make_app()
    clock.advance(30)  # 09:00:00 UTC: the daily prune, the heartbeat, the hourly broken job

    result = await call(app, "schedule:run")

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert re.fullmatch(r"2026-03-02 09:00 UTC  DONE  Prune old rows \(\d+ ms\)", lines[0])
    assert re.fullmatch(r"2026-03-02 09:00 UTC  DONE  \S+heartbeat \(\d+ ms\)", lines[1])
    assert re.fullmatch(
        r"2026-03-02 09:00 UTC  FAIL  test:broken \(\d+ ms\): The disk is full\.", lines[2]
    )
    assert [line.kind for line in result.lines] == ["success", "success", "error"]
    assert result.error.startswith("1 of 3 scheduled event(s) failed: test:broken")
    assert app.make(Journal).entries == [("test:prune", 3, False), "heartbeat", "test:broken"]


async def test_schedule_run_exits_zero_when_every_event_succeeded(make_app, tmp_path, clock):
    write_schedule(tmp_path)
    app = make_app()
    clock.advance(90)  # 09:01: nothing; then 09:05: the heartbeat only
    assert (await call(app, "schedule:run")).message == (
        "No scheduled events are due at 2026-03-02 09:01 UTC."
    )
    clock.advance(minutes=4)

    result = await call(app, "schedule:run")

    assert (result.exit_code, result.message) == (0, "1 scheduled event(s) ran, 0 skipped.")


async def test_schedule_run_reports_as_json(make_app, tmp_path, clock):
    write_schedule(tmp_path)
    app = make_app()
    clock.advance(30)

    result = await call(app, "schedule:run", format="json")

    assert result.output == ""  # the CLI prints the result document itself
    assert result.data["minute"] == "2026-03-02T09:00:00+00:00"
    assert (result.data["ran"], result.data["failed"], result.data["skipped"]) == (3, 1, 0)
    broken = result.data["events"][2]
    assert broken["status"] == "failure"
    assert broken["exit_code"] == 3
    assert broken["output"] == "Checking the disk.\nThe disk is full."


async def test_schedule_run_waits_for_background_events_before_it_exits(app, journal):
    import asyncio

    async def slow(journal: Journal) -> None:
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        journal.add("background done")

    def declare(schedule: Schedule) -> None:
        schedule.call(slow).run_in_background()
        schedule.call(lambda: journal.add("foreground"))

    declare(app.make(Schedule))

    result = await call(app, "schedule:run")

    assert result.exit_code == 0
    assert journal.entries == ["foreground", "background done"]
    assert "in the background)" in result.output


async def test_skipped_events_are_reported_with_their_reason(app, journal):
    app.make(Schedule).command("test:prune").environments("production")

    result = await call(app, "schedule:run")

    assert result.exit_code == 0
    assert result.output.endswith(
        "SKIP  test:prune: the environment is testing, it runs in production"
    )
    assert journal.entries == []


# --- schedule:list -----------------------------------------------------------------------


async def test_schedule_list_shows_the_real_schedule_with_next_due_times(make_app, tmp_path):
    write_schedule(tmp_path)
    app = make_app()

    result = await call(app, "schedule:list")

    lines = result.output.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["Expression", "Task", "Next due", "Timezone", "Flags"]
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines[2:]]
    assert rows[0] == [
        "0 9 * * *",
        "Prune old rows (test:prune --days=3)",
        "2026-03-02 09:00 UTC",
        "UTC",
    ]
    assert rows[1][0] == "*/5 * * * *"
    assert rows[1][2:] == ["2026-03-02 09:00 UTC", "UTC", "without overlapping (1440 min)"]
    assert rows[2] == [
        "0 * * * *",
        "test:broken",
        "2026-03-02 10:00 CET",
        "Europe/Zurich",
        "on one server",
    ]
    assert result.message == "3 scheduled event(s)."


async def test_schedule_list_as_json(make_app, tmp_path):
    write_schedule(tmp_path)
    app = make_app()

    result = await call(app, "schedule:list", format="json")

    broken = result.data[2]
    assert broken == {
        "name": "test:broken",
        "description": "test:broken",
        "task": "test:broken",
        "kind": "command",
        "expression": "0 * * * *",
        "timezone": "Europe/Zurich",
        "next_due": "2026-03-02T10:00:00+01:00",
        "next_due_utc": "2026-03-02T09:00:00+00:00",
        "next_due_display": "2026-03-02 10:00 CET",
        "without_overlapping": False,
        "expires_after": None,
        "on_one_server": True,
        "background": False,
        "environments": [],
        "windows": [],
        "flags": ["on one server"],
        "origin": "app/schedule.py",
    }


async def test_schedule_list_sorts_by_next_due_and_shows_another_timezone(make_app, tmp_path):
    write_schedule(
        tmp_path,
        """
        def schedule(s):
            s.command("test:prune").yearly()
            s.command("test:prune", days=1).hourly().between("8:00", "17:00")
            s.command("test:prune", days=2).weekly_on("friday", "18:00")
        """,
    )
    app = make_app()

    result = await call(app, "schedule:list", format="json", next=True, timezone="Asia/Tokyo")

    assert [(row["task"], row["next_due"]) for row in result.data] == [
        ("test:prune --days=1", "2026-03-02T18:00:00+09:00"),
        ("test:prune --days=2", "2026-03-07T03:00:00+09:00"),
        ("test:prune", "2027-01-01T09:00:00+09:00"),
    ]
    assert result.data[0]["flags"] == ["between 08:00-17:00"]


async def test_schedule_list_flags_conditions_and_background_events(app):
    schedule = app.make(Schedule)
    schedule.command("test:prune").when(True).skip(False).when(False).run_in_background()
    schedule.command("test:prune", days=1).environments("production", "staging")

    result = await call(app, "schedule:list", format="json")

    assert [row["flags"] for row in result.data] == [
        ["when()", "skip()", "in background"],
        ["env production,staging"],
    ]


async def test_schedule_list_with_no_events_says_where_to_declare_them(app):
    result = await call(app, "schedule:list")

    assert result.output == "No scheduled events. Declare them in app/schedule.py."


async def test_schedule_list_refuses_an_unknown_display_timezone(app):
    result = await call(app, "schedule:list", timezone="Nowhere/Land")

    assert result.exit_code == 1
    assert 'Unknown timezone "Nowhere/Land" (--timezone)' in result.error


# --- schedule:test -----------------------------------------------------------------------


async def test_schedule_test_runs_the_named_event_now_whatever_its_time(make_app, tmp_path):
    write_schedule(tmp_path)
    app = make_app()

    result = await call(app, "schedule:test", name="Prune old rows")

    assert result.exit_code == 0
    assert result.message == '"Prune old rows" ran.'
    assert "Pruned records older than 3 days." in result.output
    assert app.make(Journal).entries == [("test:prune", 3, False)]


async def test_schedule_test_ignores_conditions_but_reports_failures(app, journal):
    schedule = app.make(Schedule)
    schedule.command("test:broken").environments("production").when(False)

    result = await call(app, "schedule:test", name="test:broken")

    assert result.exit_code == 3
    assert result.error == '"test:broken" failed: The disk is full.'
    assert journal.entries == ["test:broken"]


async def test_schedule_test_with_several_matches_needs_a_choice(make_app, tmp_path):
    write_schedule(tmp_path)
    app = make_app()

    result = await call(app, "schedule:test", name="test:")

    assert result.exit_code == 2
    assert result.error == (
        "2 scheduled events match; pass --name with one of: Prune old rows [0 9 * * *], "
        "test:broken [0 * * * *]"
    )
    assert app.make(Journal).entries == []


async def test_schedule_test_asks_which_event_when_interactive(
    make_app, tmp_path, monkeypatch: pytest.MonkeyPatch
):
    from foundry.application.plain.prompter import PlainPrompter

    write_schedule(tmp_path)
    app = make_app()
    monkeypatch.setattr("sys.stdin", io.StringIO("3\n"))
    output = BufferedOutput()

    outcome = await app.make(CommandRunner).run(
        "schedule:test", output=output, prompt=PlainPrompter(interactive=True)
    )

    assert outcome.exit_code == 3  # the third event is the failing command
    assert app.make(Journal).entries == ["test:broken"]


async def test_schedule_test_with_no_match_lists_the_events(make_app, tmp_path):
    write_schedule(tmp_path)
    app = make_app()

    result = await call(app, "schedule:test", name="backup")

    assert result.exit_code == 1
    assert result.error.startswith('No scheduled event matches "backup". Scheduled: ')
    assert "test:broken" in result.error
