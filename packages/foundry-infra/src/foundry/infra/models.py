"""Finding the application's table models.

A model is a ``SQLModel`` subclass declared with ``table=True``. The app keeps its models in
``app/models/`` (one module per model, as ``make:model`` writes them); packages declare theirs
in their own modules, which are registered as soon as the package imports them. Listing the
models therefore means: import ``app.models`` and every module under it, then read SQLModel's
registry.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from foundry.domain.errors import ConfigurationError

__all__ = ["APP_MODELS", "import_app_models", "table_models"]

APP_MODELS = "app.models"


def _model_location(base_path: Path, package: str) -> Path | None:
    relative = Path(*package.split("."))
    folder = base_path / relative
    if folder.is_dir():
        return folder
    module = folder.with_suffix(".py")
    return module if module.is_file() else None


def _import(name: str, base_path: Path) -> Any:
    try:
        return importlib.import_module(name)
    except Exception as exc:  # any failure inside the app's code
        raise ConfigurationError(
            f"Importing the models module {name} (in {base_path}) failed: "
            f"{type(exc).__name__}: {exc}. Fix that module; every database command imports it.",
            context={"module": name},
        ) from exc


def import_app_models(base_path: Path, package: str = APP_MODELS) -> list[str]:
    """Import ``package`` (``app/models`` under ``base_path``) and every module below it,
    sub-folders included (with or without ``__init__.py``).

    Returns the imported module names; an app without ``app/models`` imports nothing.

    Raises:
        ConfigurationError: a model module fails to import (the message names it).
    """
    if _model_location(base_path, package) is None:
        return []
    root = str(base_path)
    if root not in sys.path:
        sys.path.insert(0, root)
    _import(package, base_path)
    names = [package]
    location = _model_location(base_path, package)
    if location is not None and location.is_dir():
        for file in sorted(location.rglob("*.py")):
            relative = file.relative_to(location).with_suffix("")
            if "__pycache__" in relative.parts or any(p.startswith(".") for p in relative.parts):
                continue
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            if not parts:
                continue
            name = ".".join((package, *parts))
            _import(name, base_path)
            names.append(name)
    return names


def table_models() -> dict[str, type[Any]]:
    """Every imported SQLModel table class, by class name.

    When two modules declare a class of the same name, both are keyed by their dotted
    ``module.Class`` path instead, so neither hides the other.
    """
    from sqlmodel import SQLModel

    tables = SQLModel.metadata.tables
    classes: list[type[Any]] = []
    for mapper in SQLModel._sa_registry.mappers:  # the registry SQLModel maps tables in
        cls = mapper.class_
        table = getattr(cls, "__table__", None)
        if table is not None and tables.get(table.key) is table:
            classes.append(cls)
    classes.sort(key=lambda c: (c.__module__, c.__qualname__))
    counts: dict[str, int] = {}
    for cls in classes:
        counts[cls.__name__] = counts.get(cls.__name__, 0) + 1
    models: dict[str, type[Any]] = {}
    for cls in classes:
        key = cls.__name__ if counts[cls.__name__] == 1 else f"{cls.__module__}.{cls.__qualname__}"
        models[key] = cls
    return models
