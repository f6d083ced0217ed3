"""Model factories for tests: instances with fake data, persisted in the test transaction.

``factories.create(Post, title="Hello")`` builds a ``Post`` and saves it through the test's
session (so it disappears with the test's rollback, and the code under test sees it). What
the values come from, in order of precedence:

1. the overrides given to the call (values, or functions called per instance);
2. the state given with ``factories.for_(Post).state(published=True)``;
3. the app's own factory for the model, when ``database/factories/`` has one (the classes
   ``make:model --factory`` writes: a ``model`` attribute and a ``make(**overrides)``
   method);
4. Faker, for every column the database requires that is still empty (see
   :mod:`foundry.testing.fake_values`). A required foreign key gets a parent row created
   by the same rules (``create`` only; ``make`` saves nothing and leaves it empty).

Models may be given as classes or by class name (``"Post"``), found through
``Database.models()``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from foundry.domain.database import Database
from foundry.testing.errors import TestSetupError
from foundry.testing.fake_values import fake_value

__all__ = ["BoundFactory", "Factories"]

FACTORIES_PACKAGE = "database.factories"
_MAX_DEPTH = 5


def _resolve(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value() if callable(value) and not isinstance(value, type) else value
        for key, value in values.items()
    }


def _table(model: type[Any]) -> Any:
    table = getattr(model, "__table__", None)
    if table is None:
        raise TestSetupError(
            f"{model.__name__} is not a table model (it has no __table__); factories build "
            "SQLModel classes declared with table=True."
        )
    return table


def _has_default(model: type[Any], column: Any) -> bool:
    if column.default is not None or column.server_default is not None:
        return True
    field = getattr(model, "model_fields", {}).get(column.key)
    if field is not None:
        return not field.is_required()
    return bool(column.nullable)


def _needs_value(model: type[Any], column: Any) -> bool:
    if column.primary_key and (column.autoincrement is True or _is_integer(column)):
        return False
    return not _has_default(model, column)


def _is_integer(column: Any) -> bool:
    try:
        return issubclass(column.type.python_type, int)
    except NotImplementedError:
        return False


def _is_set(instance: Any, name: str) -> bool:
    return name in vars(instance) and vars(instance)[name] is not None


class Factories:
    """The ``factories`` fixture.

    Args:
        database: the application's database (its models are looked up by name there).
        base_path: the application root (``database/factories/`` is found there).
        session: returns the test's session, where ``create`` adds and flushes rows.
        faker: the test's seeded ``Faker``.
    """

    def __init__(
        self,
        database: Database,
        base_path: Path,
        session: Callable[[], Awaitable[Any]],
        faker: Any,
    ) -> None:
        self._database = database
        self._base = base_path
        self._session = session
        self.faker = faker
        self._app_factories: dict[type[Any], type[Any]] | None = None

    def model(self, model: type[Any] | str) -> type[Any]:
        """The model class for a class or a class name.

        Raises:
            TestSetupError: no table model has this name.
        """
        if isinstance(model, type):
            return model
        models = self._database.models()
        if model not in models:
            known = ", ".join(sorted(models)) or "none"
            raise TestSetupError(f"No table model is named {model!r} (models: {known}).")
        return models[model]

    def app_factories(self) -> dict[type[Any], type[Any]]:
        """The app's factory classes by model, from ``database/factories/``."""
        if self._app_factories is None:
            self._app_factories = {}
            folder = self._base / "database" / "factories"
            if folder.is_dir():
                for info in pkgutil.iter_modules([str(folder)]):
                    self._scan(f"{FACTORIES_PACKAGE}.{info.name}")
        return self._app_factories

    def _scan(self, name: str) -> None:
        assert self._app_factories is not None
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # any failure inside the app's module
            raise TestSetupError(
                f"Importing the factory module {name} failed: {type(exc).__name__}: {exc}"
            ) from exc
        for value in vars(module).values():
            model = getattr(value, "model", None)
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and isinstance(model, type)
                and callable(getattr(value, "make", None))
            ):
                self._app_factories[model] = value

    def for_(self, model: type[Any] | str) -> BoundFactory:
        """A factory for ``model``, to give state to or to call repeatedly."""
        return BoundFactory(self, self.model(model))

    def make(self, model: type[Any] | str, **overrides: Any) -> Any:
        """One instance, not saved."""
        return self.for_(model).make(**overrides)

    def make_many(self, model: type[Any] | str, count: int, **overrides: Any) -> list[Any]:
        """``count`` instances, not saved."""
        return self.for_(model).make_many(count, **overrides)

    async def create(self, model: type[Any] | str, **overrides: Any) -> Any:
        """One instance, saved (added and flushed) in the test's session."""
        return await self.for_(model).create(**overrides)

    async def create_many(self, model: type[Any] | str, count: int, **overrides: Any) -> list[Any]:
        """``count`` instances, saved in the test's session."""
        return await self.for_(model).create_many(count, **overrides)

    async def session(self) -> Any:
        return await self._session()

    def parent_model(self, table: Any) -> type[Any] | None:
        for candidate in self._database.models().values():
            if getattr(candidate, "__table__", None) is table:
                return candidate
        return None


class BoundFactory:
    """A factory for one model with optional state; see :class:`Factories`."""

    def __init__(
        self, registry: Factories, model: type[Any], state: Mapping[str, Any] | None = None
    ) -> None:
        self._registry = registry
        self.model = model
        self._state = dict(state or {})

    def state(self, **values: Any) -> BoundFactory:
        """A copy whose instances also get ``values``."""
        return BoundFactory(self._registry, self.model, {**self._state, **values})

    def make(self, **overrides: Any) -> Any:
        """One instance, not saved; required columns left empty are filled with fakes
        (foreign keys excepted)."""
        given = _resolve({**self._state, **overrides})
        factory = self._registry.app_factories().get(self.model)
        instance = factory().make(**given) if factory is not None else self.model(**given)
        for column in _table(self.model).columns:
            if column.foreign_keys or _is_set(instance, column.key):
                continue
            if column.key not in given and _needs_value(self.model, column):
                setattr(instance, column.key, fake_value(self._registry.faker, self.model, column))
        return instance

    def make_many(self, count: int, **overrides: Any) -> list[Any]:
        """``count`` instances, not saved."""
        return [self.make(**overrides) for _ in range(count)]

    async def create(self, **overrides: Any) -> Any:
        """One instance, added to the test's session and flushed (it has its key now)."""
        instance = await self._complete(self.make(**overrides), depth=0)
        session = await self._registry.session()
        session.add(instance)
        await session.flush()
        return instance

    async def create_many(self, count: int, **overrides: Any) -> list[Any]:
        """``count`` instances, added and flushed together."""
        instances = [await self._complete(self.make(**overrides), 0) for _ in range(count)]
        session = await self._registry.session()
        session.add_all(instances)
        await session.flush()
        return instances

    async def _complete(self, instance: Any, depth: int) -> Any:
        """Create the parent row of every required foreign key left empty."""
        for column in _table(self.model).columns:
            if not column.foreign_keys or _is_set(instance, column.key):
                continue
            if not _needs_value(self.model, column):
                continue
            key = next(iter(column.foreign_keys)).column
            parent_model = self._registry.parent_model(key.table)
            if parent_model is None or depth >= _MAX_DEPTH:
                raise TestSetupError(
                    f"{self.model.__name__}.{column.key} must reference a {key.table.name} "
                    f"row, and no factory can make one here; pass {column.key}=... ."
                )
            parent_factory = BoundFactory(self._registry, parent_model)
            parent = await parent_factory._complete(parent_factory.make(), depth + 1)
            session = await self._registry.session()
            session.add(parent)
            await session.flush()
            setattr(instance, column.key, getattr(parent, key.key))
        return instance
