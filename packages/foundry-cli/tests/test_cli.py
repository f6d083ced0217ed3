"""The foundry script: global flags, list/help/about, errors, audit log."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

COMMANDS = """
class Deploy(Command):
    name = "deploy:run"
    summary = "Deploy the application"
    arguments = (Argument("target", "Where to deploy"),)
    options = (Option("token", "API token", secret=True), Option("retries", type="int", default=1))

    def handle(self, ctx):
        ctx.output.line("deploying to " + ctx.argument("target"))
        if ctx.argument("target") == "mars":
            raise FoundryError("No route to mars: the deploy target is unreachable.")
        if ctx.argument("target") == "bug":
            raise ZeroDivisionError("division by zero")
        data = {"target": ctx.argument("target"), "dry_run": ctx.dry_run}
        return CommandResult.success("Deployed.", data)


class Provider(ServiceProvider):
    name = "deployer"
    commands = (__name__ + ":Deploy",)
"""


def test_version_is_printed_without_booting(run, app_root):
    assert run("--version") == (0, "Foundry 0.1.0\n", "")


def test_list_groups_commands(run, app_root):
    code, out, _ = run("list")
    assert code == 0
    assert "Available commands:" in out
    assert "  about" in out
    assert "  list" in out


def test_no_command_means_list(run, app_root):
    assert "Available commands:" in run()[1]


def test_list_json_describes_every_command(run, app_root):
    code, out, _err = run("list", "--format", "json")
    assert code == 0
    document = json.loads(out)
    by_name = {c["name"]: c for c in document["data"]}
    assert by_name["list"] == {
        "name": "list",
        "aliases": ["ls"],
        "summary": "List commands",
        "package": "foundry-cli",
        "namespace": "",
    }
    assert {"about", "help"} <= set(by_name)


def test_unknown_command_suggests_and_exits_2(run, app_root):
    code, _out, err = run("abot")
    assert code == 2
    assert err == 'Error: Command "abot" is not defined. Did you mean: about?\n'


def test_help_for_a_command(run, app_commands):
    app_commands(COMMANDS)
    code, out, _ = run("deploy:run", "--help")
    assert code == 0
    assert "Usage:\n  foundry deploy:run [options] <target>" in out
    assert "--token=TOKEN" in out
    assert "[default: 1]" in out
    code, out2, _ = run("help", "deploy:run")
    assert code == 0
    assert "Usage:" in out2


def test_a_command_runs_with_global_flags(run, app_commands):
    app_commands(COMMANDS)
    code, out, err = run("deploy:run", "staging", "--dry-run")
    assert (code, err) == (0, "")
    assert out == "deploying to staging\nDeployed.\n"


def test_json_format_keeps_stdout_pure(run, app_commands):
    app_commands(COMMANDS)
    code, out, err = run("--format=json", "deploy:run", "staging", "--dry-run")
    assert code == 0
    assert json.loads(out)["data"] == {"target": "staging", "dry_run": True}
    assert "deploying to staging" in err


def test_missing_argument_exits_2_naming_it(run, app_commands):
    app_commands(COMMANDS)
    assert run("deploy:run") == (2, "", "Error: missing argument TARGET\n")


def test_malformed_option_exits_2(run, app_commands):
    app_commands(COMMANDS)
    code, _, err = run("deploy:run", "x", "--retries", "lots")
    assert (code, err) == (2, 'Error: --retries: "lots" is not an integer\n')


def test_failing_command_is_one_line_exit_1(run, app_commands):
    app_commands(COMMANDS)
    code, _out, err = run("deploy:run", "mars")
    assert code == 1
    assert err == "Error: No route to mars: the deploy target is unreachable.\n"


def test_traceback_only_at_vvv(run, app_commands):
    app_commands(COMMANDS)
    code, _, err = run("deploy:run", "bug")
    assert code == 1
    assert err == "Error: ZeroDivisionError: division by zero\n"
    code, _, err = run("deploy:run", "bug", "-vvv")
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().endswith("ZeroDivisionError: division by zero")


def test_quiet_hides_everything_but_errors(run, app_commands):
    app_commands(COMMANDS)
    assert run("deploy:run", "staging", "-q") == (0, "", "")


def test_bad_global_flag(run, app_root):
    assert run("--format", "xml", "list") == (
        2,
        "",
        'Error: --format: "xml" is not one of human, json\n',
    )


def test_boot_failure_is_one_line(run, app_root):
    (app_root / "pyproject.toml").write_text('[tool.foundry]\nproviders = ["nowhere:Provider"]\n')
    code, _out, err = run("list")
    assert code == 1
    assert err.startswith(
        "Error: Provider nowhere:Provider: [tool.foundry] providers: cannot import nowhere"
    )
    assert "Traceback" not in err


def test_two_packages_registering_one_command_name(run, app_commands):
    app_commands(
        """
class MyAbout(Command):
    name = "about"
    def handle(self, ctx):
        return None

class Provider(ServiceProvider):
    name = "mine"
    commands = (__name__ + ":MyAbout",)
"""
    )
    code, _, err = run("list")
    assert code == 1
    assert 'foundry-cli (cli) and mine both register the command "about"' in err


def test_audit_log_records_each_run_with_secrets_masked(run, app_commands, app_root):
    app_commands(COMMANDS)
    run("deploy:run", "staging", "--token", "s3cr3t", "--retries=2")
    run("deploy:run", "mars", "--token=hunter2")
    lines = (app_root / "storage" / "logs" / "commands.jsonl").read_text().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["command"] == "deploy:run"
    assert first["argv"] == ["staging", "--token", "******", "--retries=2"]
    assert (first["status"], first["exit_code"]) == ("success", 0)
    assert second["argv"] == ["mars", "--token=******"]
    assert (second["status"], second["exit_code"]) == ("failure", 1)
    assert second["error"] == "No route to mars: the deploy target is unreachable."
    assert "s3cr3t" not in "".join(lines)
    assert "hunter2" not in "".join(lines)


def test_audit_log_can_be_moved_or_disabled(run, app_root, monkeypatch, tmp_path):
    monkeypatch.setenv("FOUNDRY_AUDIT_LOG", "logs/audit.jsonl")
    run("about")
    assert (app_root / "logs" / "audit.jsonl").exists()
    monkeypatch.setenv("FOUNDRY_AUDIT_LOG", "off")
    run("about")
    assert len((app_root / "logs" / "audit.jsonl").read_text().splitlines()) == 1
    assert not (app_root / "storage").exists()


def test_about_json(run, app_root):
    _code, out, _ = run("about", "--format", "json")
    data = json.loads(out)["data"]
    assert data["environment"]["Environment"] == "local"
    assert data["packages"]["foundry-cli"] == "0.1.0"
    assert "CliServiceProvider" in data["providers"]


def test_installed_script_and_rustforge_alias(app_root):
    bindir = Path(sys.executable).parent
    for script in ("foundry", "rustforge"):
        done = subprocess.run(
            [str(bindir / script), "--version"], capture_output=True, text=True, check=False
        )
        assert (done.returncode, done.stdout) == (0, "Foundry 0.1.0\n")


def test_diagnostic_commands_run_when_boot_fails(run, app_commands):
    app_commands(
        """
class Diagnose(Command):
    name = "diagnose"
    requires_boot = False
    def handle(self, ctx):
        return CommandResult.success("still here")

class Provider(ServiceProvider):
    name = "fragile"
    commands = (__name__ + ":Diagnose",)
    def boot(self, app):
        raise RuntimeError("bad config")
"""
    )
    assert run("diagnose") == (0, "still here\n", "")
    assert run("list")[0] == 0
    code, _, err = run("about")
    assert (code, err) == (1, "Error: Provider fragile: boot failed: RuntimeError: bad config\n")


def test_list_and_help_are_answered_from_the_manifest_once_written(run, app_commands, app_root):
    app_commands(COMMANDS)
    manifest = app_root / "bootstrap" / "cache" / "commands.json"
    slow_json = run("list", "--format", "json")  # loads the kernel, writes the manifest
    written = manifest.stat().st_mtime_ns
    slow_human = run("deploy:run", "staging")  # a normal run leaves a fresh manifest alone
    assert slow_human[0] == 0
    assert run("list", "--format", "json") == slow_json
    assert "  deploy:run" in run("list")[1]
    assert "Usage:\n  foundry deploy:run [options] <target>" in run("deploy:run", "--help")[1]
    assert manifest.stat().st_mtime_ns == written


def test_a_changed_command_file_makes_the_manifest_stale(run, app_commands, app_root):
    module = app_commands(COMMANDS)
    run("list")
    source = app_root / f"{module}.py"
    source.write_text(source.read_text().replace("Deploy the application", "Ship it"))
    import os
    import sys

    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    sys.modules.pop(module, None)
    assert "Ship it" in run("list")[1]


def test_the_manifest_can_be_disabled(run, app_root, monkeypatch):
    monkeypatch.setenv("FOUNDRY_COMMAND_CACHE", "off")
    assert run("list")[0] == 0
    assert not (app_root / "bootstrap").exists()
