"""Naming the option a question stands for, and failing when nobody can answer it.

Under ``--no-interaction`` (or with no terminal) a question without a default cannot be
answered, so the run fails the way a missing command-line option does: ``missing --name``.
When a command does not say which option a question fills, the name is derived from the
question itself, so the message still points somewhere useful.
"""

from __future__ import annotations

import re
import unicodedata

from foundry.domain.errors import InputError

__all__ = ["field_name", "missing"]

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def field_name(question: str) -> str:
    """The option-style slug of a question: ``"What is your name?"`` -> ``what-is-your-name``.

    Accents are folded to ASCII so the slug can be typed as an option name; a question with
    no letters or digits at all is named ``answer``.
    """
    folded = unicodedata.normalize("NFKD", question).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_WORD.sub("-", folded.lower()).strip("-")
    return slug or "answer"


def missing(question: str, field: str | None) -> InputError:
    """The error for a question that needs an answer nobody can give (``missing --name``)."""
    name = field or field_name(question)
    return InputError(name, f"missing --{name}")
