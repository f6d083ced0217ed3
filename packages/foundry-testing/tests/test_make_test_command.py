"""make:test writes a feature test module from the package's stub."""

from __future__ import annotations

from pathlib import Path

import pytest

from foundry.application import Application
from foundry.domain.application import CommandRunner
from foundry.domain.errors import InputError
from foundry.stub_system.provider import StubSystemServiceProvider
from foundry.testing import TestingServiceProvider
from foundry.testing.commands import module_name_for


@pytest.fixture
def runner(tmp_path: Path) -> CommandRunner:
    app = Application(
        tmp_path, providers=[TestingServiceProvider, StubSystemServiceProvider], discover=False
    ).boot()
    return app.make(CommandRunner)


async def test_it_writes_a_feature_test_that_compiles(
    runner: CommandRunner, tmp_path: Path
) -> None:
    outcome = await runner.run("make:test", ["UserRegistrationTest"], format="json")
    assert outcome.exit_code == 0, outcome.error
    assert outcome.result.data == {
        "files": [{"path": "tests/feature/test_user_registration.py", "action": "created"}]
    }
    source = (tmp_path / "tests/feature/test_user_registration.py").read_text()
    assert "Feature tests: User Registration." in source
    assert "async def test_user_registration_home_page_answers(client" in source
    compile(source, "test_user_registration.py", "exec")


async def test_an_existing_test_is_not_overwritten_without_force(
    runner: CommandRunner, tmp_path: Path
) -> None:
    target = tmp_path / "tests/feature/test_checkout.py"
    target.parent.mkdir(parents=True)
    target.write_text("# mine\n")
    refused = await runner.run("make:test", ["checkout"])
    assert refused.exit_code == 1
    assert "already exists" in (refused.error or "")
    assert target.read_text() == "# mine\n"
    forced = await runner.run("make:test", ["checkout"], force=True)
    assert forced.exit_code == 0
    assert "test_checkout_home_page_answers" in target.read_text()


async def test_a_dry_run_writes_nothing(runner: CommandRunner, tmp_path: Path) -> None:
    outcome = await runner.run("make:test", ["Orders"], dry_run=True)
    assert outcome.exit_code == 0
    assert outcome.result.message.startswith("Would write")
    assert not (tmp_path / "tests").exists()


def test_names_are_normalised_and_empty_ones_refused() -> None:
    assert module_name_for("UserRegistrationTest") == "user_registration"
    assert module_name_for("test_user_registration") == "user_registration"
    assert module_name_for("user registration") == "user_registration"
    with pytest.raises(InputError, match=r"does not name what is tested"):
        module_name_for("Test")
