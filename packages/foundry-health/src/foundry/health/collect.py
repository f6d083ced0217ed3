"""Gathering every provider's checks into one list.

The health provider's own checks come first. A check another provider contributes under
the same name (``foundry-infra`` knowing better how to check its ``database``) replaces
the built-in one; two other providers contributing the same name is a configuration
error naming both.
"""

from __future__ import annotations

from foundry.domain.application import Application
from foundry.domain.errors import ConfigurationError
from foundry.domain.health import HealthCheck
from foundry.domain.provider import ServiceProvider
from foundry.health.errors import DuplicateHealthCheckError

__all__ = ["collect_checks"]


def _label(provider: ServiceProvider) -> str:
    return provider.package or provider.name or type(provider).__name__


def collect_checks(app: Application, own: type[ServiceProvider]) -> list[HealthCheck]:
    """Every check of ``app``'s providers; ``own`` is the health provider's class."""
    builtin: dict[str, HealthCheck] = {}
    contributed: dict[str, tuple[HealthCheck, str]] = {}
    for provider in app.providers:
        label = _label(provider)
        for check in provider.health_checks(app):
            if not isinstance(check, HealthCheck):
                raise ConfigurationError(
                    f"Provider {label} contributed {check!r} as a health check; it needs "
                    "name, critical and an async check() (foundry.domain.health.HealthCheck)."
                )
            if isinstance(provider, own):
                builtin[check.name] = check
                continue
            if check.name in contributed:
                raise DuplicateHealthCheckError(check.name, contributed[check.name][1], label)
            contributed[check.name] = (check, label)
    checks = [contributed.pop(name)[0] if name in contributed else c for name, c in builtin.items()]
    return checks + [check for check, _ in contributed.values()]
