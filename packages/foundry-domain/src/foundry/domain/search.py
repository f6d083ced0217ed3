"""Full-text search contract (SQLite FTS5, PostgreSQL tsvector ...)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["SearchEngine", "SearchHit", "SearchResults"]


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    score: float
    document: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class SearchResults:
    hits: Sequence[SearchHit]
    total: int


@contract("foundry-search")
@runtime_checkable
class SearchEngine(Protocol):
    """Indexes documents by id and searches them."""

    async def index(self, index: str, id: str, document: Mapping[str, Any]) -> None: ...

    async def delete(self, index: str, id: str) -> None: ...

    async def search(
        self,
        index: str,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        filters: Mapping[str, Any] | None = None,
    ) -> SearchResults: ...

    async def flush(self, index: str) -> None: ...
