"""Binding validated sections in the container.

At ``register`` every schema class is bound as a lazy singleton, so a provider that asks
for its settings while booting before this package gets validated values (or the
section's own error); at ``boot`` everything is validated at once and the instances are
bound, so one failing boot lists every problem of every section.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import BaseModel

from foundry.config_layer.problems import InvalidConfigurationError
from foundry.config_layer.schemas import SectionSchema, declared_schemas
from foundry.config_layer.sources import ValueSources
from foundry.config_layer.validation import validate_application, validate_section

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.container import Container

__all__ = ["bind_lazily", "bind_validated"]


def _builder(app: Application, schema: SectionSchema) -> Callable[[Container], BaseModel]:
    def build(container: Container) -> BaseModel:
        raw = app.config.get(schema.section)
        result = validate_section(schema, raw, ValueSources.for_app(app))
        if result.instance is None:
            raise InvalidConfigurationError(result.problems)
        return result.instance

    return build


def bind_lazily(app: Application) -> None:
    """Bind each loadable schema class to a singleton that validates on first use.

    Schemas that cannot be loaded are skipped here; :func:`bind_validated` reports them.
    """
    schemas, _problems = declared_schemas(app.providers)
    for schema in schemas:
        app.singleton(schema.cls, _builder(app, schema))


def bind_validated(app: Application) -> None:
    """Validate every section; bind each instance, or raise one error listing all problems.

    Raises:
        InvalidConfigurationError: anything is wrong; the message lists every problem.
    """
    report = validate_application(app)
    report.raise_for_problems()
    for result in report.sections:
        if result.instance is not None:
            app.instance(result.schema.cls, result.instance)
