from __future__ import annotations

import pytest

from foundry.domain.errors import InputError
from foundry.interactive import field_name
from foundry.interactive.fields import missing


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("What is your name?", "what-is-your-name"),
        ("Database URL:", "database-url"),
        ("  Quel est votre prénom ?  ", "quel-est-votre-prenom"),
        ("APP_KEY", "app-key"),
        ("???", "answer"),
    ],
)
def test_field_defaults_to_a_slug_of_the_question(question: str, slug: str) -> None:
    assert field_name(question) == slug


def test_missing_names_the_option_to_pass() -> None:
    error = missing("What is your name?", "name")
    assert isinstance(error, InputError)
    assert error.message == "missing --name"
    assert error.field == "name"
    assert error.fields == {"name": ["missing --name"]}


def test_missing_without_field_names_the_question_slug() -> None:
    assert missing("Which database?", None).message == "missing --which-database"
