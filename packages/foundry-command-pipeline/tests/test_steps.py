"""``Step.parse``: one quoted command line, split as a shell splits it."""

from __future__ import annotations

import pytest

from foundry.command_pipeline import Step
from foundry.domain.errors import InputError


def test_a_plain_name_is_a_step_without_input():
    assert Step.parse("cache:clear") == Step("cache:clear")


def test_words_after_the_name_are_the_commands_own():
    step = Step.parse("make:model 'Blog Post' --table=posts -m")

    assert step.command == "make:model"
    assert step.argv == ("Blog Post", "--table=posts", "-m")


def test_force_and_dry_run_are_the_global_flags():
    step = Step.parse("migrate --force --step 2 --dry-run")

    assert step.argv == ("--step", "2")
    assert step.force
    assert step.dry_run


def test_words_after_a_double_dash_are_left_alone():
    step = Step.parse("tinker:run -- --force")

    assert step.argv == ("--", "--force")
    assert not step.force


def test_the_label_reads_like_the_command_line():
    assert Step.parse("migrate --force --step=2").label == "migrate --step=2 --force"
    assert Step.parse("greet 'Ada Lovelace'").label == "greet 'Ada Lovelace'"
    assert Step("migrate", {"step": 2}).label == "migrate step=2"


def test_unbalanced_quotes_are_an_input_error_naming_the_step():
    with pytest.raises(InputError) as caught:
        Step.parse('greet "Ada')

    assert caught.value.field == "steps"
    assert 'step "greet "Ada"' in caught.value.message
    assert "No closing quotation" in caught.value.message


@pytest.mark.parametrize("line", ["", "   "])
def test_an_empty_step_is_an_input_error(line):
    with pytest.raises(InputError):
        Step.parse(line)


def test_a_step_needs_a_command_name():
    with pytest.raises(InputError):
        Step("  ")
