from __future__ import annotations

import itertools
import sys
import textwrap
from pathlib import Path

import pytest

from foundry.cli.main import main

_counter = itertools.count()


@pytest.fixture
def app_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An app folder the CLI runs in (FOUNDRY_BASE_PATH), with an audit log of its own."""
    for name in ("APP_ENV", "APP_DEBUG", "FOUNDRY_DONT_DISCOVER", "FOUNDRY_AUDIT_LOG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FOUNDRY_BASE_PATH", str(tmp_path))
    (tmp_path / "pyproject.toml").write_text("[tool.foundry]\n")
    return tmp_path


@pytest.fixture
def app_commands(app_root: Path):
    """Write a module of commands into the app and register it through [tool.foundry]."""

    def write(source: str) -> str:
        module = f"cliapp{next(_counter)}"
        (app_root / f"{module}.py").write_text(
            "from foundry.domain.commands import *\n"
            "from foundry.domain.provider import ServiceProvider\n"
            "from foundry.domain.errors import FoundryError\n" + textwrap.dedent(source)
        )
        (app_root / "pyproject.toml").write_text(
            f'[tool.foundry]\nproviders = ["{module}:Provider"]\n'
        )
        return module

    yield write
    for name in [m for m in sys.modules if m.startswith("cliapp")]:
        sys.modules.pop(name)


@pytest.fixture
def run(capsys):
    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke
