"""How abstracts and concretes are named in errors and in ``container:list``.

Errors speak to people (``WelcomeService``); the binding table speaks to people reading a
whole application, so it uses dotted names (``app.services.WelcomeService``) that say
where a class lives.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

__all__ = ["describe_concrete", "dotted_name", "short_name"]


def short_name(abstract: Any) -> str:
    """``WelcomeService`` for a class, the key itself for a string."""
    if isinstance(abstract, type):
        return abstract.__qualname__
    return str(abstract)


def dotted_name(abstract: Any) -> str:
    """``module.QualName`` for a class or function, the key itself for a string."""
    if isinstance(abstract, str):
        return abstract
    module = getattr(abstract, "__module__", None)
    qualname = getattr(abstract, "__qualname__", None)
    if module and qualname:
        return f"{module}.{qualname}"
    return repr(abstract)


def describe_concrete(concrete: Any) -> str:
    """A class or factory by its dotted name; a partial by its function; else its type."""
    if concrete is None:
        return "(itself)"
    if isinstance(concrete, functools.partial):
        return f"partial({dotted_name(concrete.func)})"
    if isinstance(concrete, type) or inspect.isroutine(concrete):
        return dotted_name(concrete)
    return f"{dotted_name(type(concrete))} instance"
