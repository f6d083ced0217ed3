"""Contextual bindings: ``container.when(Consumer).needs(Abstract).give(concrete)``.

Laravel's way to hand one consumer a different implementation than everybody else gets
(the photo controller receives the S3 disk, the video controller the local one). The
override applies to the consumer's constructor parameters only; ``needs`` also takes
``"$name"`` to give a value to a parameter by name (a ``str`` or ``int`` setting).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from foundry.domain.container import Abstract
from foundry.domain.errors import ConfigurationError

__all__ = ["CLASS", "FACTORY", "VALUE", "ContextualBuilder", "Given", "classify"]

CLASS: Final = 0
FACTORY: Final = 1
VALUE: Final = 2


@dataclass(frozen=True, slots=True)
class Given:
    """What a consumer receives: a class (resolved), a factory (called), or a value."""

    kind: int
    value: Any


def classify(concrete: Any) -> Given:
    """A class is resolved from the container; a function, method, lambda or
    ``functools.partial`` is a factory called with the container; anything else, callable
    objects included, is handed over as it is."""
    if isinstance(concrete, type):
        return Given(CLASS, concrete)
    if inspect.isroutine(concrete) or isinstance(concrete, functools.partial):
        return Given(FACTORY, concrete)
    return Given(VALUE, concrete)


class ContextualBuilder:
    """Implements ``foundry.domain.container.ContextualBindingBuilder``."""

    __slots__ = ("_consumer", "_needs", "_register")

    def __init__(
        self,
        consumer: type[Any],
        register: Callable[[type[Any], Abstract, Given], None],
        needs: Abstract | None = None,
    ) -> None:
        self._consumer = consumer
        self._register = register
        self._needs = needs

    def needs(self, abstract: Abstract) -> ContextualBuilder:
        """Name the dependency of the consumer to override (a class, or ``"$param"``)."""
        return ContextualBuilder(self._consumer, self._register, abstract)

    def give(self, concrete: Any) -> None:
        """What the consumer receives instead: a class, a factory or an instance."""
        if self._needs is None:
            raise ConfigurationError(
                f"when({self._consumer.__qualname__}).give(...) was called without "
                "needs(...): name the dependency first, "
                f"when({self._consumer.__qualname__}).needs(Abstract).give(...)."
            )
        self._register(self._consumer, self._needs, classify(concrete))
