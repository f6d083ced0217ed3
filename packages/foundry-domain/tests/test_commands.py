import pytest

from foundry.domain.commands import (
    Argument,
    Command,
    CommandResult,
    CommandStatus,
    Option,
    normalise_result,
)


class Migrate(Command):
    """Run the database migrations.

    Applies every pending migration of every package.
    """

    name = "migrate"
    aliases = ("db:migrate",)
    options = (Option("step", type="int"), Option("force", type="bool"))

    def handle(self, ctx):
        return None


def test_descriptor_falls_back_to_the_docstring():
    d = Migrate.descriptor(package="foundry-infra")
    assert d.summary == "Run the database migrations."
    assert "every pending migration" in d.description
    assert d.package == "foundry-infra"
    assert d.namespace == ""
    assert d.to_dict()["aliases"] == ["db:migrate"]


def test_a_multi_line_docstring_loses_its_indentation_in_the_description():
    d = Migrate.descriptor()
    assert d.description == (
        "Run the database migrations.\n\nApplies every pending migration of every package."
    )


def test_a_declared_description_is_kept_as_written():
    class Seed(Migrate):
        """Ignored when a description is declared."""

        name = "db:seed"
        description = "Seed the database.\n  Indented on purpose."

    assert Seed.descriptor().description == "Seed the database.\n  Indented on purpose."


def test_namespace_is_the_part_before_the_colon():
    class Clear(Migrate):
        name = "cache:clear"

    assert Clear.descriptor().namespace == "cache"


def test_unknown_param_type_is_refused_at_declaration():
    with pytest.raises(ValueError, match="not one of"):
        Option("x", type="dict")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one character"):
        Option("x", short="xy")


def test_option_dest_and_flag():
    opt = Option("dry-run", type="bool")
    assert (opt.dest, opt.flag) == ("dry_run", True)
    assert not Argument("name").to_dict()["choices"]


def test_normalise_result():
    assert normalise_result(None).status is CommandStatus.SUCCESS
    assert normalise_result(0).exit_code == 0
    failed = normalise_result(3)
    assert (failed.status, failed.exit_code) == (CommandStatus.FAILURE, 3)
    result = CommandResult.skipped("nothing to do")
    assert normalise_result(result) is result
    with pytest.raises(TypeError):
        normalise_result(True)
    with pytest.raises(TypeError):
        normalise_result("done")  # type: ignore[arg-type]


def test_result_helpers():
    assert CommandResult.failure("no").exit_code == 1
    assert not CommandResult.failure("no").ok
    assert CommandResult.success("yes", {"n": 1}).to_dict() == {
        "status": "success",
        "message": "yes",
        "data": {"n": 1},
    }
