"""What the container records: bindings, their lifetimes, deferred loaders, table rows."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from foundry.domain.container import Abstract

__all__ = [
    "ALIAS",
    "DEFERRED",
    "INSTANCE",
    "LIFETIMES",
    "SCOPED",
    "SINGLETON",
    "TRANSIENT",
    "Binding",
    "BindingInfo",
    "DeferredLoader",
]

TRANSIENT: Final = "transient"
SINGLETON: Final = "singleton"
SCOPED: Final = "scoped"
INSTANCE: Final = "instance"
ALIAS: Final = "alias"
DEFERRED: Final = "deferred"
LIFETIMES: Final = (TRANSIENT, SINGLETON, SCOPED, INSTANCE, ALIAS, DEFERRED)
"""Every value of :attr:`BindingInfo.lifetime`, in the order ``container:list`` explains."""


@dataclass(frozen=True, slots=True)
class Binding:
    """How to build an abstract: a class to construct or a factory to call, and how often.

    ``concrete`` is never None here: ``bind(Cls)`` records ``Cls`` as its own concrete.
    """

    concrete: Any
    lifetime: str
    is_class: bool


@dataclass(frozen=True, slots=True)
class BindingInfo:
    """One row of ``container:list``: names only, safe to print or serialise."""

    abstract: str
    lifetime: str
    concrete: str

    def to_dict(self) -> dict[str, str]:
        return {"abstract": self.abstract, "lifetime": self.lifetime, "concrete": self.concrete}


class DeferredLoader:
    """A deferred provider's ``loader``: runs once, for whichever abstract is needed first.

    The lock is re-entrant so a loader that resolves one of its own abstracts (it should
    not, but it may) falls through to the bindings it has made so far instead of hanging.
    """

    __slots__ = ("abstracts", "done", "loader", "lock", "running")

    def __init__(self, abstracts: tuple[Abstract, ...], loader: Callable[[], None]) -> None:
        self.abstracts = abstracts
        self.loader = loader
        self.lock = threading.RLock()
        self.done = False
        self.running = False
