"""Foundry's dependency-injection container (Laravel's ``Illuminate\\Container`` in Python).

Bind contracts to implementations, resolve them by type with constructor injection, share
them as singletons or per request, and reach them from FastAPI endpoints with
:func:`foundry.service_container.fastapi.Inject`.
"""

from foundry.service_container.bindings import LIFETIMES, BindingInfo
from foundry.service_container.container import Container

__version__ = "0.1.0"

__all__ = ["LIFETIMES", "BindingInfo", "Container", "__version__"]
