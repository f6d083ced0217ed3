"""make:command: a command scaffolded into the app runs at once, with no wiring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from foundry.application import Application
from foundry.cli.provider import CliServiceProvider
from foundry.domain.application import CommandRunner

BIN = Path(sys.executable).parent
# The workspace's lint selection plus docstrings, annotations, naming and unused arguments.
STRICT_RULES = "E,F,W,I,B,UP,SIM,RUF,PT,ASYNC,S,C4,PIE,RET,D,ANN,N,ARG"

EXPECTED = '''"""The ``reports:send`` console command.

``foundry`` finds every Command subclass in app/commands/ without registration. Declare
``arguments`` and ``options`` with ``Argument`` and ``Option`` from
``foundry.domain.commands``, and read them with ``ctx.argument()`` and ``ctx.option()``.
"""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult


class SendReportCommand(Command):
    """Send report."""

    name = "reports:send"
    summary = "Send report"

    def handle(self, ctx: CommandContext) -> CommandResult:
        """Do the work; raise FoundryError with a one-line reason on failure."""
        ctx.output.verbose("Running reports:send.")
        return CommandResult.success("reports:send finished.")
'''


def foundry(app: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``foundry`` script from the app folder, as a person would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FOUNDRY_", "APP_"))}
    env["FOUNDRY_AUDIT_LOG"] = "off"
    return subprocess.run(
        [str(BIN / "foundry"), *argv],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def ruff(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def new_app(tmp_path: Path) -> Path:
    """A fresh application folder: a pyproject with [tool.foundry] and nothing else."""
    app = tmp_path / "shop"
    app.mkdir()
    (app / "pyproject.toml").write_text('[project]\nname = "shop"\n\n[tool.foundry]\n')
    return app


@pytest.fixture(autouse=True)
def forget_app_modules() -> Iterator[None]:
    """In-process runs import the temporary app's ``app`` package; forget it after."""
    yield
    for name in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
        sys.modules.pop(name)


def test_a_generated_command_runs_right_away(new_app: Path) -> None:
    made = foundry(new_app, "make:command", "SendReport")
    assert (made.returncode, made.stderr) == (0, "")
    assert made.stdout == (
        "Created app/__init__.py\n"
        "Created app/commands/__init__.py\n"
        "Created app/commands/send_report.py\n"
        'Command "app:send-report" created. Run it with: foundry app:send-report\n'
    )
    source = new_app / "app" / "commands" / "send_report.py"
    assert "class SendReportCommand(Command):" in source.read_text()
    assert 'name = "app:send-report"' in source.read_text()

    ran = foundry(new_app, "app:send-report")
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "app:send-report finished.\n", "")
    verbose = foundry(new_app, "app:send-report", "-v")
    assert verbose.stdout == "Running app:send-report.\napp:send-report finished.\n"

    listed = foundry(new_app, "list", "--format", "json")
    entry = next(c for c in json.loads(listed.stdout)["data"] if c["name"] == "app:send-report")
    assert entry["summary"] == "Send report"


def test_the_generated_files_pass_ruff(new_app: Path) -> None:
    assert foundry(new_app, "make:command", "send-report", "--command=reports:send").returncode == 0
    assert (new_app / "app" / "commands" / "send_report.py").read_text() == EXPECTED
    app = str(new_app / "app")
    for argv in (
        ["check", "--isolated", "--no-cache", app],  # a new app's defaults
        [
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            STRICT_RULES,
            "--ignore",
            "D203,D213",
            app,
        ],
        ["format", "--isolated", "--no-cache", "--check", app],
    ):
        result = ruff(*argv)
        assert result.returncode == 0, f"ruff {' '.join(argv)}:\n{result.stdout}{result.stderr}"
    ran = foundry(new_app, "reports:send")
    assert (ran.returncode, ran.stdout) == (0, "reports:send finished.\n")


def test_a_dry_run_shows_the_file_and_writes_nothing(run, app_root: Path) -> None:
    code, out, err = run("make:command", "SendReport", "--dry-run")
    assert (code, err) == (0, "")
    assert out.startswith(
        "Would create app/__init__.py\n"
        "Would create app/commands/__init__.py\n"
        "Would create app/commands/send_report.py\n"
        "\n"
        '"""The ``app:send-report`` console command.\n'
    )
    assert "class SendReportCommand(Command):" in out
    assert out.endswith("Dry run: nothing was written.\n")
    assert not (app_root / "app").exists()


def test_json_output_describes_the_files(run, app_root: Path) -> None:
    code, out, _ = run("make:command", "HTTPCheck", "--format", "json")
    assert code == 0
    data = json.loads(out)["data"]
    assert (data["class"], data["command"], data["content"]) == (
        "HTTPCheckCommand",
        "app:http-check",
        None,
    )
    assert [(f["path"], f["action"]) for f in data["files"]] == [
        ("app/__init__.py", "created"),
        ("app/commands/__init__.py", "created"),
        ("app/commands/http_check.py", "created"),
    ]


def test_an_existing_file_is_kept_unless_forced(run, app_root: Path) -> None:
    assert run("make:command", "SendReport")[0] == 0
    target = app_root / "app" / "commands" / "send_report.py"
    target.write_text("# my own edits\n")
    code, out, err = run("make:command", "SendReport")
    assert (code, out) == (1, "")
    assert err == (
        "Error: app/commands/send_report.py already exists. Nothing was written; run again "
        "with --force to overwrite.\n"
    )
    assert target.read_text() == "# my own edits\n"
    code, out, _ = run("make:command", "SendReport", "--force")
    assert code == 0
    assert out.splitlines()[0] == "Overwrote app/commands/send_report.py"  # no __init__ again
    assert "class SendReportCommand(Command):" in target.read_text()


def test_existing_package_files_are_left_alone(run, app_root: Path) -> None:
    (app_root / "app" / "commands").mkdir(parents=True)
    (app_root / "app" / "__init__.py").write_text('"""My app."""\n')
    code, out, _ = run("make:command", "Prune")
    assert code == 0
    assert out.splitlines()[:2] == [
        "Created app/commands/__init__.py",
        "Created app/commands/prune.py",
    ]
    assert (app_root / "app" / "__init__.py").read_text() == '"""My app."""\n'


def test_a_name_a_package_already_uses_is_refused(run, app_root: Path) -> None:
    code, _, err = run("make:command", "About", "--command=about")
    assert code == 1
    assert err == (
        'Error: The command "about" already exists (foundry-cli); choose another name with '
        "--command=<name>.\n"
    )
    assert not (app_root / "app").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["2fast"], 'NAME: "2fast" cannot name a command class'),
        (["class"], "a Python keyword"),
        (["SendReport", "--command=bad name"], '--command: "bad name" is not a command name'),
        ([], "missing argument NAME"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(run, app_root: Path, argv, message) -> None:
    code, _, err = run("make:command", *argv)
    assert code == 2
    assert message in err
    assert not (app_root / "app").exists()


def test_a_warning_when_the_app_scans_other_command_packages(run, app_root: Path) -> None:
    (app_root / "pyproject.toml").write_text('[tool.foundry]\ncommands = ["shop.cli"]\n')
    (app_root / "shop" / "cli").mkdir(parents=True)
    (app_root / "shop" / "__init__.py").write_text("")
    (app_root / "shop" / "cli" / "__init__.py").write_text("")
    code, out, _ = run("make:command", "Prune")
    assert code == 0
    assert '[tool.foundry] commands does not list "app.commands"' in out


async def test_without_a_stub_renderer_the_error_says_what_to_install(tmp_path: Path) -> None:
    app = Application(base_path=tmp_path, providers=[CliServiceProvider], discover=False).boot()
    outcome = await app.make(CommandRunner).run("make:command", ["SendReport"])
    assert outcome.exit_code == 1
    assert outcome.error == (
        "No StubRenderer is bound. Install foundry-stub-system or bind "
        "foundry.domain.stubs.StubRenderer in a provider."
    )
    assert not (tmp_path / "app").exists()


def test_the_provider_ships_its_stubs() -> None:
    from importlib import resources

    assert CliServiceProvider.stubs == "foundry.cli:stubs"
    folder = resources.files("foundry.cli").joinpath("stubs")
    assert sorted(p.name for p in folder.iterdir() if p.name.endswith(".jinja")) == [
        "command.py.jinja",
        "command_package.py.jinja",
    ]
