"""The schemas providers declare, loaded, and what they say about a key path.

``ServiceProvider.config_sections`` maps a section name to a ``"module:Class"``
reference; loading happens at boot (never at import), so declaring a schema costs the
CLI nothing. The helpers below walk a schema's field annotations along a key path, to
list the keys a nested table accepts and to know whether a value is a secret.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, SecretBytes, SecretStr

from foundry.config_layer.problems import ConfigProblem
from foundry.domain.discovery import load_reference
from foundry.domain.errors import ConfigurationError
from foundry.domain.provider import ServiceProvider

__all__ = [
    "SectionSchema",
    "annotation_at",
    "declared_schemas",
    "is_secret",
    "known_keys",
    "model_at",
    "provider_label",
]

KeyPath = Sequence[str | int]


@dataclass(frozen=True, slots=True)
class SectionSchema:
    """One declared section: its name, its schema class and who declared it."""

    section: str
    reference: str
    provider: str
    cls: type[BaseModel]

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "schema": self.reference, "provider": self.provider}


def provider_label(provider: ServiceProvider) -> str:
    """``foundry-cache (cache)``: the distribution and the provider's name."""
    name = type(provider).name or type(provider).__name__
    package = provider.package
    return f"{package} ({name})" if package and package != name else name


def declared_schemas(
    providers: Sequence[ServiceProvider],
) -> tuple[list[SectionSchema], list[ConfigProblem]]:
    """Load every provider's ``config_sections``; a reference that cannot be used is a
    problem naming the provider, not an exception, so every problem is reported at once."""
    schemas: dict[str, SectionSchema] = {}
    problems: list[ConfigProblem] = []
    owners: dict[str, tuple[str, str]] = {}
    for provider in providers:
        label = provider_label(provider)
        for section, reference in type(provider).config_sections.items():
            if section in owners:
                first_label, first_reference = owners[section]
                if first_reference != reference:
                    problems.append(
                        ConfigProblem(
                            section,
                            f"declared twice: by {first_label} ({first_reference}) and by "
                            f"{label} ({reference}); opt out of one of the packages",
                            "schema",
                        )
                    )
                continue
            owners[section] = (label, reference)
            try:
                obj = load_reference(reference)
            except ConfigurationError as exc:
                problems.append(
                    ConfigProblem(
                        section, f"the schema of {label} cannot be loaded: {exc.message}", "schema"
                    )
                )
                continue
            if not (inspect.isclass(obj) and issubclass(obj, BaseModel)):
                problems.append(
                    ConfigProblem(
                        section,
                        f"the schema {reference} of {label} is not a pydantic model; "
                        "subclass foundry.config_layer.Section",
                        "schema",
                    )
                )
                continue
            schemas[section] = SectionSchema(section, reference, label, obj)
    return list(schemas.values()), problems


# --- walking annotations ------------------------------------------------------------------


def _members(annotation: Any) -> list[Any]:
    """The alternatives of ``X | Y | None`` / ``Optional[X]`` / ``Annotated[X, ...]``."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        found: list[Any] = []
        for arg in get_args(annotation):
            found.extend(_members(arg))
        return found
    return [annotation]


def _is_model(candidate: Any) -> bool:
    return inspect.isclass(candidate) and issubclass(candidate, BaseModel)


def _field_annotation(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def _child(annotation: Any, part: str | int) -> Any:
    for candidate in _members(annotation):
        origin = get_origin(candidate)
        args = get_args(candidate)
        if isinstance(part, str) and _is_model(candidate):
            found = _field_annotation(candidate, part)
            if found is not None:
                return found
        elif isinstance(part, int) and origin in (list, tuple, set, frozenset, Sequence):
            return args[0] if args else Any
        elif isinstance(part, str) and origin in (dict, Mapping) and len(args) == 2:
            return args[1]
    return None


def annotation_at(schema: type[BaseModel], path: KeyPath) -> Any:
    """The annotation of the value at ``path`` inside ``schema`` (None when unknown)."""
    current: Any = schema
    for part in path:
        current = _child(current, part)
        if current is None:
            return None
    return current


def model_at(schema: type[BaseModel], path: KeyPath) -> type[BaseModel] | None:
    """The (nested) model that holds the keys at ``path``; ``()`` is the schema itself."""
    annotation = annotation_at(schema, path)
    for candidate in _members(annotation):
        if _is_model(candidate):
            model: type[BaseModel] = candidate
            return model
    return None


def known_keys(model: type[BaseModel]) -> list[str]:
    """The keys a table validated by ``model`` accepts (aliases where declared)."""
    return sorted(info.alias or name for name, info in model.model_fields.items())


def is_secret(schema: type[BaseModel], path: KeyPath) -> bool:
    """Whether the field at ``path`` is a ``SecretStr``/``SecretBytes``."""
    annotation = annotation_at(schema, path)
    return any(
        inspect.isclass(c) and issubclass(c, SecretStr | SecretBytes) for c in _members(annotation)
    )
