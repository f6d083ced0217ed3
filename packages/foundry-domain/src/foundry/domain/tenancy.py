"""Multi-tenancy contracts: the tenant of a request and how it is found."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["Tenant", "TenantResolver"]


@dataclass(frozen=True, slots=True)
class Tenant:
    id: str
    slug: str
    name: str = ""
    domain: str | None = None
    schema: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


@contract("foundry-tenancy")
@runtime_checkable
class TenantResolver(Protocol):
    """Finds the tenant of a request from its ASGI scope (domain, subdomain, header, path)."""

    async def resolve(self, scope: Mapping[str, Any]) -> Tenant | None: ...
