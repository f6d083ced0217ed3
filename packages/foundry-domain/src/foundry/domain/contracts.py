"""Marking contracts with the package that implements them.

A contract is a Protocol or ABC the container resolves by type. When nothing is bound to
it, the container's error should say what to install, so each contract is decorated with
the distribution that ships its default implementation::

    @contract("foundry-mail")
    class Mailer(Protocol): ...

The mark is kept in a registry beside the class, not on it: an attribute on a Protocol
would become a protocol member (Python 3.11 computes members lazily) and break
``isinstance`` checks against implementations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from weakref import WeakKeyDictionary

__all__ = ["contract", "implementing_package", "unbound_message"]

T = TypeVar("T", bound=type)

_PACKAGES: WeakKeyDictionary[type, str] = WeakKeyDictionary()


def contract(package: str) -> Callable[[T], T]:
    """Class decorator recording ``package`` as the distribution implementing a contract."""

    def mark(cls: T) -> T:
        _PACKAGES[cls] = package
        return cls

    return mark


def implementing_package(abstract: object) -> str | None:
    """The distribution that implements ``abstract``, if it is a marked contract."""
    if not isinstance(abstract, type):
        return None
    return _PACKAGES.get(abstract)


def unbound_message(abstract: object) -> str:
    """The error text for resolving a contract nothing is bound to."""
    if isinstance(abstract, type):
        name = abstract.__name__
        dotted = f"{abstract.__module__}.{abstract.__qualname__}"
    else:
        name = dotted = str(abstract)
    package = implementing_package(abstract)
    if package:
        return f"No {name} is bound. Install {package} or bind {dotted} in a provider."
    return f"No {name} is bound. Bind {dotted} in a provider."
