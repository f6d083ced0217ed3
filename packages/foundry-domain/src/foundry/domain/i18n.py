"""Translation contract (``trans``/``trans_choice``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["Translator"]


@contract("foundry-i18n")
@runtime_checkable
class Translator(Protocol):
    """Looks up messages by key with ``:placeholder`` replacement and CLDR plurals."""

    @property
    def locale(self) -> str: ...

    def translate(
        self, key: str, replacements: Mapping[str, Any] | None = None, locale: str | None = None
    ) -> str:
        """The message, or ``key`` itself when no catalogue has it."""
        ...

    def choice(
        self,
        key: str,
        count: float,
        replacements: Mapping[str, Any] | None = None,
        locale: str | None = None,
    ) -> str:
        """The plural form for ``count`` in ``locale`` (CLDR rules)."""
        ...
