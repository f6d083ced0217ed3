"""``make:test``: a feature test module for the app, written from a stub."""

from __future__ import annotations

from pathlib import Path

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult
from foundry.domain.errors import InputError
from foundry.domain.generators import StubGenerator
from foundry.domain.naming import snake, title
from foundry.domain.stubs import PlannedFile

__all__ = ["MakeTestCommand", "module_name_for"]

TESTS_DIR = Path("tests") / "feature"


def module_name_for(name: str) -> str:
    """``UserRegistrationTest``, ``test_user_registration`` or ``user registration`` ->
    ``user_registration``.

    Raises:
        InputError: nothing is left of the name once ``test`` is taken off.
    """
    module = snake(name)
    module = module.removeprefix("test_").removesuffix("_test")
    if not module or module == "test":
        raise InputError("name", f'"{name}" does not name what is tested; e.g. UserRegistration.')
    return module


class MakeTestCommand(Command):
    """Write ``tests/feature/test_<name>.py``: a feature test using Foundry's fixtures."""

    name = "make:test"
    summary = "Write a feature test module in tests/feature/"
    arguments = (Argument("name", "What the tests are about, e.g. UserRegistration"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        module = module_name_for(str(ctx.argument("name")))
        path = TESTS_DIR / f"test_{module}.py"
        context = {"module": module, "title": title(module)}
        written = StubGenerator(ctx).write([PlannedFile(path, "test", context, "feature test")])
        verb = "Would write" if written.dry_run else "Wrote"
        files = [{"path": str(f.path), "action": f.action} for f in written.files]
        return CommandResult.success(f"{verb} the test {path}.", data={"files": files})
