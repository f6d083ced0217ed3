"""Through the ``foundry`` console script: a broken APP_KEY stops every command that boots
the application, with one line saying what to run, while ``key:generate`` and
``env:validate`` (which only register) still run, so the key can be repaired."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SHORT = "not-long-enough"


@pytest.fixture
def app_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An app folder holding only this package's commands (and the CLI's own)."""
    monkeypatch.setenv("FOUNDRY_BASE_PATH", str(tmp_path))
    monkeypatch.setenv("FOUNDRY_DONT_DISCOVER", "*")
    monkeypatch.setenv("FOUNDRY_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    (tmp_path / "pyproject.toml").write_text(
        "[tool.foundry]\nproviders = [\n"
        '    "foundry.env.provider:EnvServiceProvider",\n'
        '    "foundry.cli.provider:CliServiceProvider",\n'
        "]\n"
    )
    return tmp_path


@pytest.fixture
def foundry(app_root: Path):
    """Run ``foundry ARGV`` as its own process, as a person would (each run loads .env
    afresh)."""

    def invoke(*argv: str) -> tuple[int, str, str]:
        script = "from foundry.cli.main import main; raise SystemExit(main())"
        ran = subprocess.run(
            [sys.executable, "-c", script, *argv],
            cwd=app_root,
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return ran.returncode, ran.stdout, ran.stderr

    return invoke


def test_a_broken_key_stops_a_booting_command_with_one_line(app_root: Path, foundry) -> None:
    (app_root / ".env").write_text(f"APP_NAME=Shop\nAPP_KEY={SHORT}\n")
    code, out, err = foundry("about")
    assert code == 1
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith("Error: APP_KEY is malformed")
    assert "foundry key:generate --force" in line
    assert SHORT not in err
    assert "Traceback" not in err


def test_production_without_a_key_stops_a_booting_command(app_root: Path, foundry) -> None:
    (app_root / ".env").write_text("APP_ENV=production\nAPP_KEY=\n")
    code, _, err = foundry("about")
    assert code == 1
    [line] = err.splitlines()
    assert line.startswith("Error: APP_KEY is not set, and APP_ENV=production needs it")
    assert "foundry key:generate" in line


def test_env_validate_and_key_generate_still_run_on_a_broken_key(app_root: Path, foundry) -> None:
    env = app_root / ".env"
    env.write_text(f"APP_NAME=Shop\nAPP_KEY={SHORT}\n")

    code, out, _ = foundry("env:validate", "--format", "json")
    assert code == 1  # it runs, and reports the key
    report = json.loads(out)
    assert [error["name"] for error in report["data"]["errors"]] == ["APP_KEY"]
    assert SHORT not in out

    code, _, err = foundry("key:generate", "--force")
    assert code == 0, err
    key = env.read_text().splitlines()[1].removeprefix("APP_KEY=")
    assert len(base64.b64decode(key.removeprefix("base64:"))) == 32
    assert env.read_text().startswith("APP_NAME=Shop\n")

    code, _, err = foundry("about")  # repaired: the application boots again
    assert code == 0, err
