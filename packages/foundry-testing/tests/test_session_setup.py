"""Finding the app, reading the ini options, the session's environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from foundry.domain.provider import ServiceProvider
from foundry.testing import TestSetupError
from foundry.testing.environment import EnvironmentSnapshot
from foundry.testing.project import find_app_root, load_kernel, parse_env_lines, parse_providers
from foundry.testing.session import TestSession, run_in_new_loop


class ExampleProvider(ServiceProvider):
    name = "example"


def app_folder(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.foundry]\n')
    return root


def test_the_app_root_is_the_nearest_foundry_pyproject_up_from_the_rootdir(
    tmp_path: Path,
) -> None:
    root = app_folder(tmp_path / "shop")
    (root / "tests" / "unit").mkdir(parents=True)
    (root / "tests" / "pyproject.toml").write_text('[project]\nname = "not-an-app"\n')
    assert find_app_root(root / "tests" / "unit") == root
    assert find_app_root(root) == root


def test_the_ini_option_names_the_app_root_relative_to_the_rootdir(tmp_path: Path) -> None:
    service = tmp_path / "services" / "api"
    service.mkdir(parents=True)
    assert find_app_root(tmp_path, "services/api") == service


def test_a_configured_root_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TestSetupError, match=r"foundry_base_path = nowhere .* is not a folder"):
        find_app_root(tmp_path, "nowhere")


def test_no_app_anywhere_says_how_to_point_at_one(tmp_path: Path) -> None:
    with pytest.raises(TestSetupError, match=r"No Foundry application found .* foundry_base_path"):
        find_app_root(tmp_path)


def test_env_lines_are_parsed_and_bad_ones_refused() -> None:
    lines = ["MAIL_MAILER=array", "", "# a comment", " APP_NAME = Shop = Co "]
    assert parse_env_lines(lines, "foundry_env") == {
        "MAIL_MAILER": "array",
        "APP_NAME": "Shop = Co",
    }
    with pytest.raises(TestSetupError, match=r'foundry_env: "MAIL_MAILER" is not KEY=value'):
        parse_env_lines(["MAIL_MAILER"], "foundry_env")


def test_providers_are_loaded_from_references() -> None:
    reference = f"{__name__}:ExampleProvider"
    assert parse_providers([reference, " "], "foundry_providers") == [ExampleProvider]
    with pytest.raises(TestSetupError, match=r"not a ServiceProvider subclass"):
        parse_providers([f"{__name__}:app_folder"], "foundry_providers")
    with pytest.raises(TestSetupError, match=r"foundry_providers: cannot import no_such_module"):
        parse_providers(["no_such_module:Provider"], "foundry_providers")


def test_the_kernel_is_found_through_its_entry_points() -> None:
    from foundry.application import Application
    from foundry.application.http import create_app

    kernel = load_kernel()
    assert (kernel.application, kernel.asgi) == (Application, create_app)


def test_an_environment_snapshot_puts_everything_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOUNDRY_TESTING_KEPT", "before")
    monkeypatch.delenv("FOUNDRY_TESTING_ADDED", raising=False)
    with EnvironmentSnapshot({"FOUNDRY_TESTING_KEPT": "during"}):
        assert os.environ["FOUNDRY_TESTING_KEPT"] == "during"
        os.environ["FOUNDRY_TESTING_ADDED"] = "by a boot"
    assert os.environ["FOUNDRY_TESTING_KEPT"] == "before"
    assert "FOUNDRY_TESTING_ADDED" not in os.environ


def test_the_session_uses_a_temporary_sqlite_database_unless_one_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    session = TestSession(tmp_path, env={"MAIL_MAILER": "array"}, temp_dir=tmp_path / "tmp")
    env = session.session_env()
    assert env["APP_ENV"] == "testing"
    assert env["MAIL_MAILER"] == "array"
    assert env["DATABASE_URL"] == f"sqlite:///{(tmp_path / 'tmp' / 'database.sqlite').resolve()}"
    assert env["DATABASE_URL"].startswith("sqlite:////")  # absolute: four slashes
    given = TestSession(tmp_path, env={"DATABASE_URL": "postgresql://db/t"}, temp_dir=tmp_path)
    assert given.session_env()["DATABASE_URL"] == "postgresql://db/t"
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/from-env")
    assert "DATABASE_URL" not in session.session_env()


def test_an_ini_app_env_wins_over_testing(tmp_path: Path) -> None:
    session = TestSession(tmp_path, env={"APP_ENV": "ci"}, temp_dir=tmp_path)
    assert session.session_env()["APP_ENV"] == "ci"


async def test_set_up_work_runs_on_its_own_loop_even_inside_a_running_one() -> None:
    async def answer() -> int:
        return 42

    async def fail() -> None:
        raise TestSetupError("no")

    assert run_in_new_loop(answer()) == 42
    with pytest.raises(TestSetupError, match=r"no"):
        run_in_new_loop(fail())


def test_an_in_memory_sqlite_database_is_refused_changing_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("APP_ENV", raising=False)
    session = TestSession(tmp_path, env={"DATABASE_URL": "sqlite://:memory:"}, temp_dir=tmp_path)
    with pytest.raises(TestSetupError, match=r"in-memory SQLite .* Unset DATABASE_URL"):
        session.start()
    assert "APP_ENV" not in os.environ
